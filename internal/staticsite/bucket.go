package staticsite

import (
	"bytes"
	"context"
	"fmt"
	"mime"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"newsdesk/internal/media"
)

// Bucket publishes an exported folder into an object store, as a copy of
// the folder: after each export or update, Sync puts the files whose
// digest changed and deletes the ones gone, in the folder's order (the
// pages a list links to before the list, the home page last, deletions
// after), so a reader of the bucket never follows a link to an object not
// yet there. The precompressed copies (.gz, .br) stay out: a bucket
// serves one object per key, and its CDN compresses.
type Bucket struct {
	Storage media.Storage
	Name    string // for messages: s3://BUCKET/PREFIX

	mu     sync.Mutex
	synced Manifest // what the bucket holds, as of the last Sync; nil: unknown
}

// SyncResult counts what a Sync did.
type SyncResult struct{ Put, Deleted int }

// precompressed says whether a file is a copy for nginx's gzip_static or
// brotli_static.
func precompressed(rel string) bool {
	return strings.HasSuffix(rel, ".gz") || strings.HasSuffix(rel, ".br")
}

// syncRank orders the puts: assets and pictures, articles, the other
// pages, and the home page last.
func syncRank(rel string) int {
	switch {
	case strings.HasPrefix(rel, "static/") || strings.HasPrefix(rel, "media/"):
		return 0
	case articleID(rel) != 0:
		return 1
	case rel == indexName+".html":
		return 3
	}
	return 2
}

// ContentType is the type an object of the static site is served with.
func ContentType(rel string) string {
	ext := path.Ext(rel)
	switch ext {
	case ".html":
		return "text/html; charset=utf-8"
	case ".xml":
		return "application/xml; charset=utf-8"
	case ".txt":
		return "text/plain; charset=utf-8"
	}
	if t := mime.TypeByExtension(ext); t != "" {
		return t
	}
	return "application/octet-stream"
}

// Sync brings the bucket in line with the exporter's folder and manifest.
// The first Sync of a process knows nothing of the bucket: it puts every
// file and deletes every object not in the folder.
func (b *Bucket) Sync(ctx context.Context, e *Exporter) (SyncResult, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	m, _, err := e.readManifest()
	if err != nil {
		return SyncResult{}, fmt.Errorf("manifest of %s: %w", e.Dir, err)
	}
	var res SyncResult
	var stale []string // objects to delete
	if b.synced == nil {
		err := b.Storage.List(ctx, "", func(fi media.FileInfo) error {
			if _, ok := m[fi.Key]; !ok || precompressed(fi.Key) {
				stale = append(stale, fi.Key)
			}
			return nil
		})
		if err != nil {
			return res, fmt.Errorf("list %s: %w", b.Name, err)
		}
		b.synced = Manifest{}
	} else {
		for rel := range b.synced {
			if _, ok := m[rel]; !ok {
				stale = append(stale, rel)
			}
		}
	}
	var puts []string
	for rel, sum := range m {
		if precompressed(rel) {
			continue
		}
		if old, ok := b.synced[rel]; !ok || old != sum {
			puts = append(puts, rel)
		}
	}
	slices.SortFunc(puts, func(a, c string) int {
		if d := syncRank(a) - syncRank(c); d != 0 {
			return d
		}
		return strings.Compare(a, c)
	})
	for _, rel := range puts {
		body, err := os.ReadFile(filepath.Join(e.Dir, filepath.FromSlash(rel)))
		if os.IsNotExist(err) {
			continue // removed since the manifest was read; the next Sync deletes it
		}
		if err != nil {
			return res, err
		}
		if err := b.Storage.Put(ctx, rel, bytes.NewReader(body), int64(len(body)), ContentType(rel)); err != nil {
			return res, fmt.Errorf("put %s into %s: %w", rel, b.Name, err)
		}
		b.synced[rel] = m[rel]
		res.Put++
	}
	slices.Sort(stale)
	for _, rel := range stale {
		if err := b.Storage.Delete(ctx, rel); err != nil {
			return res, fmt.Errorf("delete %s from %s: %w", rel, b.Name, err)
		}
		delete(b.synced, rel)
		res.Deleted++
	}
	return res, nil
}

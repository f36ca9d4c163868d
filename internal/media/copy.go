package media

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"mime"
	"path"
	"time"
)

// CopyStats counts what CopyFiles copied.
type CopyStats struct {
	Files int
	Bytes int64
	Took  time.Duration
}

// errFound stops a listing at its first file.
var errFound = errors.New("found a file")

// IsEmpty reports whether s holds no file at all.
func IsEmpty(ctx context.Context, s Storage) (bool, error) {
	err := s.List(ctx, "", func(FileInfo) error { return errFound })
	if errors.Is(err, errFound) {
		return false, nil
	}
	return err == nil, err
}

// CopyFiles copies every file of from into to under the same key, one at a
// time and streamed (a file is never read into memory whole), checking as
// it goes that each arrives with its size and the sha256 it left with.
// progress, when set, is called after each file.
func CopyFiles(ctx context.Context, from, to Storage, progress func(CopyStats)) (CopyStats, error) {
	start := time.Now()
	var st CopyStats
	err := from.List(ctx, "", func(fi FileInfo) error {
		sum, err := copyFile(ctx, from, to, fi)
		if err != nil {
			return err
		}
		got, size, err := fileSum(ctx, to, fi.Key)
		if err != nil {
			return fmt.Errorf("check copied %s: %w", fi.Key, err)
		}
		if size != fi.Size || got != sum {
			return fmt.Errorf("copied %s: %d bytes sha256 %.12s arrived as %d bytes sha256 %.12s", fi.Key, fi.Size, sum, size, got)
		}
		st.Files++
		st.Bytes += fi.Size
		if progress != nil {
			progress(st)
		}
		return nil
	})
	st.Took = time.Since(start)
	if err != nil {
		return st, fmt.Errorf("copy media files: %w", err)
	}
	return st, nil
}

// copyFile streams one file and returns the sha256 of what it read.
func copyFile(ctx context.Context, from, to Storage, fi FileInfo) (string, error) {
	r, err := from.Get(ctx, fi.Key)
	if err != nil {
		return "", fmt.Errorf("read %s: %w", fi.Key, err)
	}
	defer r.Close()
	h := sha256.New()
	if err := to.Put(ctx, fi.Key, io.TeeReader(r, h), fi.Size, contentTypeOf(fi.Key)); err != nil {
		return "", fmt.Errorf("write %s: %w", fi.Key, err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// fileSum streams the file under key and returns its sha256 and size.
func fileSum(ctx context.Context, s Storage, key string) (string, int64, error) {
	r, err := s.Get(ctx, key)
	if err != nil {
		return "", 0, err
	}
	defer r.Close()
	h := sha256.New()
	n, err := io.Copy(h, r)
	if err != nil {
		return "", n, err
	}
	return hex.EncodeToString(h.Sum(nil)), n, nil
}

// Expected is a file a copy must have brought: its key, its size (-1 when
// unknown: then it must equal the source's) and, when known, its sha256.
type Expected struct {
	Key    string
	Size   int64
	SHA256 string
}

// VerifyFile checks that to holds the file e names with its size and
// sha256, comparing with from where e does not know them.
func VerifyFile(ctx context.Context, from, to Storage, e Expected) error {
	got, err := to.Stat(ctx, e.Key)
	if err != nil {
		return fmt.Errorf("media file %s: %w", e.Key, err)
	}
	want := e.Size
	if want < 0 {
		src, err := from.Stat(ctx, e.Key)
		if err != nil {
			return fmt.Errorf("media file %s in the source: %w", e.Key, err)
		}
		want = src.Size
	}
	if got.Size != want {
		return fmt.Errorf("media file %s: %d bytes, want %d", e.Key, got.Size, want)
	}
	if e.SHA256 == "" {
		return nil
	}
	sum, _, err := fileSum(ctx, to, e.Key)
	if err != nil {
		return fmt.Errorf("media file %s: %w", e.Key, err)
	}
	if sum != e.SHA256 {
		return fmt.Errorf("media file %s: sha256 %s, want %s", e.Key, sum, e.SHA256)
	}
	return nil
}

// contentTypeOf names the type of a stored file by its key's extension,
// which the media service chose from the checked content.
func contentTypeOf(key string) string {
	ext := path.Ext(key)
	for ctype, e := range extensions {
		if e == ext {
			return ctype
		}
	}
	if t := mime.TypeByExtension(ext); t != "" {
		return t
	}
	return "application/octet-stream"
}

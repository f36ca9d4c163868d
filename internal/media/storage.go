package media

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"

	"newsdesk/internal/model"
)

// Storage keeps media files by key ("ab/abcdef….jpg"). Implementations
// stream: nothing is read into memory whole. A missing key is
// model.ErrNotFound.
type Storage interface {
	// Put stores size bytes from r under key, replacing any file there;
	// readers never see a partly written file.
	Put(ctx context.Context, key string, r io.Reader, size int64, contentType string) error
	// Get opens the file under key. It can seek, for Range requests.
	Get(ctx context.Context, key string) (io.ReadSeekCloser, error)
	Stat(ctx context.Context, key string) (FileInfo, error)
	// Delete removes the file under key; deleting a missing key is not an error.
	Delete(ctx context.Context, key string) error
	// List calls fn for every file whose key starts with prefix, in key order.
	List(ctx context.Context, prefix string, fn func(FileInfo) error) error
}

// FileInfo describes a stored file.
type FileInfo struct {
	Key     string
	Size    int64
	ModTime time.Time
}

// Local keeps media files in a folder on disk.
type Local struct {
	Dir string
}

var _ Storage = (*Local)(nil)

// validKey refuses keys that could leave the folder or name it oddly.
func validKey(key string) error {
	if key == "" || strings.HasPrefix(key, "/") || strings.Contains(key, `\`) || path.Clean(key) != key || strings.HasPrefix(key, "..") {
		return fmt.Errorf("media key %q: %w", key, model.ErrNotFound)
	}
	return nil
}

func (l *Local) path(key string) string { return filepath.Join(l.Dir, filepath.FromSlash(key)) }

// Put writes to a temporary file beside the target and renames it into place.
func (l *Local) Put(ctx context.Context, key string, r io.Reader, size int64, contentType string) error {
	if err := validKey(key); err != nil {
		return err
	}
	p := l.path(key)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return fmt.Errorf("store media %s: %w", key, err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(p), ".upload-*")
	if err != nil {
		return fmt.Errorf("store media %s: %w", key, err)
	}
	n, err := io.Copy(tmp, r)
	if err == nil && size >= 0 && n != size {
		err = fmt.Errorf("wrote %d bytes, expected %d", n, size)
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), p)
	}
	if err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("store media %s: %w", key, err)
	}
	return nil
}

func (l *Local) Get(ctx context.Context, key string) (io.ReadSeekCloser, error) {
	if err := validKey(key); err != nil {
		return nil, err
	}
	f, err := os.Open(l.path(key))
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("media file %s: %w", key, model.ErrNotFound)
	}
	return f, err
}

func (l *Local) Stat(ctx context.Context, key string) (FileInfo, error) {
	if err := validKey(key); err != nil {
		return FileInfo{}, err
	}
	fi, err := os.Stat(l.path(key))
	if errors.Is(err, os.ErrNotExist) {
		return FileInfo{}, fmt.Errorf("media file %s: %w", key, model.ErrNotFound)
	}
	if err != nil {
		return FileInfo{}, err
	}
	return FileInfo{Key: key, Size: fi.Size(), ModTime: fi.ModTime()}, nil
}

func (l *Local) Delete(ctx context.Context, key string) error {
	if err := validKey(key); err != nil {
		return err
	}
	err := os.Remove(l.path(key))
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	return err
}

// List walks the folder in lexical order, which is key order; temporary
// upload files are skipped.
func (l *Local) List(ctx context.Context, prefix string, fn func(FileInfo) error) error {
	err := filepath.WalkDir(l.Dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || strings.HasPrefix(d.Name(), ".upload-") {
			return nil
		}
		rel, err := filepath.Rel(l.Dir, p)
		if err != nil {
			return err
		}
		key := filepath.ToSlash(rel)
		if !strings.HasPrefix(key, prefix) {
			return nil
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		return fn(FileInfo{Key: key, Size: fi.Size(), ModTime: fi.ModTime()})
	})
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	return err
}

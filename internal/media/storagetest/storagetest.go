// Package storagetest is the conformance suite every media.Storage passes.
package storagetest

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strings"
	"testing"

	"newsdesk/internal/media"
	"newsdesk/internal/model"
)

// Run tests the Storage that open returns; each call gives an empty one.
func Run(t *testing.T, open func(t *testing.T) media.Storage) {
	ctx := context.Background()
	t.Run("PutGetStat", func(t *testing.T) {
		s := open(t)
		data := bytes.Repeat([]byte("新闻"), 100_000) // 600 KB
		if err := s.Put(ctx, "ab/abc.jpg", bytes.NewReader(data), int64(len(data)), "image/jpeg"); err != nil {
			t.Fatal(err)
		}
		f, err := s.Get(ctx, "ab/abc.jpg")
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		got, err := io.ReadAll(f)
		if err != nil || !bytes.Equal(got, data) {
			t.Fatalf("read back %d bytes (%v), want %d", len(got), err, len(data))
		}
		// Seek serves Range requests.
		if _, err := f.Seek(3, io.SeekStart); err != nil {
			t.Fatal(err)
		}
		part := make([]byte, 6)
		if _, err := io.ReadFull(f, part); err != nil || string(part) != "闻新" {
			t.Fatalf("after seek read %q (%v)", part, err)
		}
		fi, err := s.Stat(ctx, "ab/abc.jpg")
		if err != nil || fi.Size != int64(len(data)) || fi.Key != "ab/abc.jpg" {
			t.Fatalf("stat = %+v, %v", fi, err)
		}
	})
	t.Run("PutReplaces", func(t *testing.T) {
		s := open(t)
		for _, v := range []string{"first", "second"} {
			if err := s.Put(ctx, "k/x.txt", strings.NewReader(v), int64(len(v)), "text/plain"); err != nil {
				t.Fatal(err)
			}
		}
		f, err := s.Get(ctx, "k/x.txt")
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if got, _ := io.ReadAll(f); string(got) != "second" {
			t.Fatalf("got %q", got)
		}
	})
	t.Run("Missing", func(t *testing.T) {
		s := open(t)
		if _, err := s.Get(ctx, "no/such.jpg"); !errors.Is(err, model.ErrNotFound) {
			t.Errorf("get missing: %v", err)
		}
		if _, err := s.Stat(ctx, "no/such.jpg"); !errors.Is(err, model.ErrNotFound) {
			t.Errorf("stat missing: %v", err)
		}
		if err := s.Delete(ctx, "no/such.jpg"); err != nil {
			t.Errorf("delete missing: %v", err)
		}
	})
	t.Run("BadKeys", func(t *testing.T) {
		s := open(t)
		for _, k := range []string{"../etc/passwd", "/etc/passwd", "a/../../b", ""} {
			if _, err := s.Get(ctx, k); err == nil {
				t.Errorf("get %q: no error", k)
			}
			if err := s.Put(ctx, k, strings.NewReader("x"), 1, "text/plain"); err == nil {
				t.Errorf("put %q: no error", k)
			}
		}
	})
	t.Run("ListDelete", func(t *testing.T) {
		s := open(t)
		keys := []string{"a1/one.jpg", "a1/two.jpg", "b2/three.png", "v/a1/one-480.webp"}
		for _, k := range keys {
			if err := s.Put(ctx, k, strings.NewReader(k), int64(len(k)), "application/octet-stream"); err != nil {
				t.Fatal(err)
			}
		}
		list := func(prefix string) []string {
			var got []string
			if err := s.List(ctx, prefix, func(fi media.FileInfo) error {
				got = append(got, fi.Key)
				if fi.Size != int64(len(fi.Key)) {
					t.Errorf("%s: size %d", fi.Key, fi.Size)
				}
				return nil
			}); err != nil {
				t.Fatal(err)
			}
			return got
		}
		if got := strings.Join(list(""), ","); got != strings.Join(keys, ",") {
			t.Errorf("list all = %s", got)
		}
		if got := strings.Join(list("a1/"), ","); got != "a1/one.jpg,a1/two.jpg" {
			t.Errorf("list a1/ = %s", got)
		}
		if err := s.Delete(ctx, "a1/one.jpg"); err != nil {
			t.Fatal(err)
		}
		if got := strings.Join(list("a1/"), ","); got != "a1/two.jpg" {
			t.Errorf("after delete, list a1/ = %s", got)
		}
	})
}

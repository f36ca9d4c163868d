package media

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/png"
	"io"
	"path/filepath"
	"testing"

	"newsdesk/internal/store"
	"newsdesk/internal/store/sqlstore"
)

func newService(t *testing.T) *Service {
	t.Helper()
	dir := t.TempDir()
	db, err := sqlstore.OpenSQLite(context.Background(), filepath.Join(dir, "db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return &Service{Store: db, Files: &Local{Dir: filepath.Join(dir, "media")}, MaxSize: 1 << 20}
}

func pngBytes(t *testing.T, w, h int) []byte {
	var b bytes.Buffer
	if err := png.Encode(&b, image.NewGray(image.Rect(0, 0, w, h))); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestSaveChecksContentNotName(t *testing.T) {
	s := newService(t)
	ctx := context.Background()
	m, err := s.Save(ctx, "照片.jpg", pngBytes(t, 40, 30), store.Media{Caption: "说明"})
	if err != nil {
		t.Fatal(err)
	}
	if m.ContentType != "image/png" || m.Width != 40 || m.Height != 30 || m.Caption != "说明" {
		t.Fatalf("saved %+v", m)
	}
	f, err := s.Files.Open(m.Key)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(f)
	f.Close()
	if !bytes.Equal(got, pngBytes(t, 40, 30)) {
		t.Fatal("stored bytes differ")
	}
	for name, data := range map[string][]byte{
		"script.jpg": []byte("<script>alert(1)</script>"),
		"cut.png":    pngBytes(t, 40, 30)[:20],
		"big.png":    bytes.Repeat([]byte{0}, 2<<20),
	} {
		if _, err := s.Save(ctx, name, data, store.Media{}); !errors.Is(err, ErrRefused) {
			t.Errorf("%s: err = %v, want ErrRefused", name, err)
		}
	}
}

func TestOpenRefusesPathsOutsideTheFolder(t *testing.T) {
	s := newService(t)
	if _, err := s.Files.Open("../../etc/passwd"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("err = %v", err)
	}
}

package media

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"image"
	"image/png"
	"io"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"newsdesk/internal/media/videotest"
	"newsdesk/internal/model"
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
	m, err := s.Save(ctx, model.SystemActor("test"), "照片.jpg", pngBytes(t, 40, 30), model.Media{Caption: "说明"})
	if err != nil {
		t.Fatal(err)
	}
	if m.ContentType != "image/png" || m.Width != 40 || m.Height != 30 || m.Caption != "说明" {
		t.Fatalf("saved %+v", m)
	}
	f, err := s.Files.Get(context.Background(), m.Key)
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
		if _, err := s.Save(ctx, model.SystemActor("test"), name, data, model.Media{}); !errors.Is(err, ErrRefused) {
			t.Errorf("%s: err = %v, want ErrRefused", name, err)
		}
	}
}

func TestOpenRefusesPathsOutsideTheFolder(t *testing.T) {
	s := newService(t)
	if _, err := s.Files.Get(context.Background(), "../../etc/passwd"); !errors.Is(err, model.ErrNotFound) {
		t.Fatalf("err = %v", err)
	}
}

// officeFile builds a minimal Office Open XML package with the given parts.
func officeFile(t *testing.T, parts ...string) []byte {
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for _, p := range parts {
		w, err := zw.Create(p)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte("<x/>"))
	}
	zw.Close()
	return b.Bytes()
}

func TestSaveAttachmentChecksContent(t *testing.T) {
	s := newService(t)
	ctx := context.Background()
	good := []struct {
		name  string
		data  []byte
		ctype string
	}{
		{"通知.pdf", []byte("%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"), "application/pdf"},
		{"报名表.docx", officeFile(t, "[Content_Types].xml", "word/document.xml"), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
		{"名单.xlsx", officeFile(t, "[Content_Types].xml", "xl/workbook.xml"), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
		{"讲稿.pptx", officeFile(t, "[Content_Types].xml", "ppt/presentation.xml"), "application/vnd.openxmlformats-officedocument.presentationml.presentation"},
	}
	for _, tc := range good {
		m, err := s.SaveAttachment(ctx, model.SystemActor("test"), tc.name, tc.data)
		if err != nil || m.ContentType != tc.ctype || m.Name != tc.name {
			t.Errorf("%s: %+v %v", tc.name, m, err)
		}
	}
	bad := map[string][]byte{
		"伪装.pdf":     []byte("MZ\x90\x00 an executable"),
		"截断.pdf":     []byte("%PDF-1.7\n1 0 obj<<>>"),
		"普通压缩包.docx": officeFile(t, "readme.txt"),
		"照片.docx":    pngBytes(t, 4, 4),
	}
	for name, data := range bad {
		var ie *model.InvalidError
		if _, err := s.SaveAttachment(ctx, model.SystemActor("test"), name, data); !errors.Is(err, ErrRefused) || !errors.As(err, &ie) || ie.Code != "attachment_type" {
			t.Errorf("%s: %v, want refused as attachment_type", name, err)
		}
	}
	if _, err := s.SaveAttachment(ctx, model.SystemActor("test"), "大.pdf", append([]byte("%PDF-"), make([]byte, 2<<20)...)); !errors.Is(err, ErrRefused) {
		t.Errorf("oversize: %v", err)
	}
}

func TestSaveAcceptsWebP(t *testing.T) {
	// A 1×1 lossy WebP, as phones and browsers save them.
	webp, err := base64.StdEncoding.DecodeString("UklGRiIAAABXRUJQVlA4IBYAAAAwAQCdASoBAAEADsD+JaQAA3AAAAAA")
	if err != nil {
		t.Fatal(err)
	}
	m, err := newService(t).Save(context.Background(), model.SystemActor("test"), "photo.bin", webp, model.Media{Alt: "x"})
	if err != nil || m.ContentType != "image/webp" || m.Width != 1 || !strings.HasSuffix(m.Key, ".webp") {
		t.Errorf("webp: %+v %v", m, err)
	}
}

// TestSaveVideoChecksBoxesAndStaysSmall: an MP4 is taken by its boxes
// (ftyp with a playable brand, moov, mdat), whatever its name; a file that
// only claims to be one, or a cut one, is refused as video_type; a video
// needs its poster, itself checked as a photo; and a 64 MB video is saved
// without being held in memory.
func TestSaveVideoChecksBoxesAndStaysSmall(t *testing.T) {
	s := newService(t)
	ctx := context.Background()
	good := videotest.MP4(4000)
	poster := pngBytes(t, 64, 36)
	v, p, err := s.SaveVideo(ctx, model.SystemActor("test"), "开学典礼.mov", bytes.NewReader(good), int64(len(good)), "封面.png", poster)
	if err != nil {
		t.Fatal(err)
	}
	if v.ContentType != VideoType || v.Name != "开学典礼.mp4" || v.Size != int64(len(good)) || p.ContentType != "image/png" || v.Width != 64 || v.Height != 36 {
		t.Fatalf("video %+v, poster %+v", v, p)
	}
	f, err := s.Files.Get(ctx, v.Key)
	if err != nil {
		t.Fatal(err)
	}
	stored, _ := io.ReadAll(f)
	f.Close()
	if !bytes.Equal(stored, good) {
		t.Fatal("the stored video differs from the upload")
	}
	ftypOnly := good[:32]
	qt := bytes.Replace(bytes.Clone(good), []byte("isomiso2avc1mp41"), []byte("qt  qt  qt  qt  "), 1)
	qt = bytes.Replace(qt, []byte("ftypisom"), []byte("ftypqt  "), 1)
	for name, data := range map[string][]byte{
		"假视频.mp4":  []byte("<script>alert(1)</script> not a video at all"),
		"照片.mp4":   pngBytes(t, 8, 8),
		"截断.mp4":   good[:len(good)-100],
		"只有头.mp4":  ftypOnly,
		"苹果格式.mp4": qt,
	} {
		var ie *model.InvalidError
		_, _, err := s.SaveVideo(ctx, model.SystemActor("test"), name, bytes.NewReader(data), int64(len(data)), "封面.png", poster)
		if !errors.Is(err, ErrRefused) || !errors.As(err, &ie) || ie.Code != "video_type" || ie.Args[0] != name {
			t.Errorf("%s: %v, want refused as video_type naming the file", name, err)
		}
	}
	var ie *model.InvalidError
	if _, _, err := s.SaveVideo(ctx, model.SystemActor("test"), "无封面.mp4", bytes.NewReader(good), int64(len(good)), "", nil); !errors.As(err, &ie) || ie.Code != "video_poster" {
		t.Errorf("no poster: %v", err)
	}
	if _, _, err := s.SaveVideo(ctx, model.SystemActor("test"), "坏封面.mp4", bytes.NewReader(good), int64(len(good)), "封面.png", []byte("GIF89a not really")); !errors.Is(err, ErrRefused) {
		t.Errorf("a poster that is no picture: %v", err)
	}

	s.MaxSize = 128 << 20
	big := videotest.Large(64 << 20)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	if _, _, err := s.SaveVideo(ctx, model.SystemActor("test"), "大视频.mp4", big, big.Size(), "封面.png", poster); err != nil {
		t.Fatal(err)
	}
	runtime.ReadMemStats(&after)
	if grew := after.TotalAlloc - before.TotalAlloc; grew > 8<<20 {
		t.Errorf("saving a 64 MB video allocated %d MB: it was held in memory", grew>>20)
	}
	s.MaxSize = 1 << 20
	if _, _, err := s.SaveVideo(ctx, model.SystemActor("test"), "太大.mp4", big, big.Size(), "封面.png", poster); !errors.As(err, &ie) || ie.Code != "upload_size" {
		t.Errorf("a video over the limit: %v", err)
	}
}

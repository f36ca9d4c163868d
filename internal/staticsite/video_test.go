package staticsite_test

import (
	"bytes"
	"context"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"newsdesk/internal/article"
	"newsdesk/internal/demo/photo"
	"newsdesk/internal/media"
	"newsdesk/internal/media/videotest"
	"newsdesk/internal/model"
	"newsdesk/internal/staticsite"
)

// TestExportCarriesVideos: a published story with a video figure is
// exported with its video file and poster beside its page, byte for byte.
func TestExportCarriesVideos(t *testing.T) {
	if testing.Short() {
		t.Skip("a whole demo site exported: skipped under -short (scripts/test.sh runs it)")
	}
	s := newSite(t)
	ctx := context.Background()
	poster, err := photo.JPEG(4, 640, 360)
	if err != nil {
		t.Fatal(err)
	}
	clip := videotest.MP4(5000)
	v, p, err := s.app.Media.SaveVideo(ctx, model.SystemActor("test"), "校庆.mp4", bytes.NewReader(clip), int64(len(clip)), "封面.jpg", poster)
	if err != nil {
		t.Fatal(err)
	}
	cols, _ := s.app.Store.Columns(ctx)
	a := model.Article{ColumnID: cols[1].ID, Title: "校庆视频", Status: model.StatusPublished, PublishedAt: demoUntil.Add(-time.Hour),
		Body: "<p>校庆。</p>" + article.VideoHTML(v, p, "校庆现场")}
	if err := s.app.Articles.Import(ctx, model.SystemActor("test"), &a, "test"); err != nil {
		t.Fatal(err)
	}
	s.export(t)
	found := map[string][]byte{}
	filepath.WalkDir(s.out, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(s.out, path)
		if u, ok := staticsite.URLOf(filepath.ToSlash(rel)); ok {
			found[u], _ = os.ReadFile(path)
		}
		return nil
	})
	// Files are named by the unescaped path (校庆.mp4).
	file := func(m model.Media) string { u, _ := url.PathUnescape(media.URL(m)); return u }
	if got, ok := found[file(v)]; !ok || !bytes.Equal(got, clip) {
		t.Errorf("the export lacks the video %s (or it differs)", media.URL(v))
	}
	if _, ok := found[file(p)]; !ok {
		t.Errorf("the export lacks the poster %s", media.URL(p))
	}
	var page []byte
	for u, b := range found {
		if strings.Contains(string(b), `<video controls="" preload="metadata" poster="`+media.URL(p)+`" src="`+media.URL(v)+`">`) && strings.HasPrefix(u, "/articles/") {
			page = b
		}
	}
	if page == nil {
		t.Errorf("no exported story page shows the video with its controls and poster")
	}
}

package web_test

import (
	"compress/gzip"
	"context"
	"io"
	"strings"
	"testing"
	"time"

	"newsdesk/internal/article"
	"newsdesk/internal/model"
)

func TestETagGivesNotModified(t *testing.T) {
	res := get(t, "/")
	body(t, res)
	tag := res.Header.Get("ETag")
	if tag == "" {
		t.Fatal("no ETag")
	}
	again := get(t, "/", "If-None-Match", tag)
	if b := body(t, again); again.StatusCode != 304 || b != "" {
		t.Fatalf("revalidation = %d with %d bytes, want 304 and none", again.StatusCode, len(b))
	}
	if other := get(t, "/", "If-None-Match", `"stale"`); other.StatusCode != 200 {
		t.Fatalf("stale tag = %d, want 200", other.StatusCode)
	}
}

// An uncompressed cached page keeps within eight header fields of its own
// (Date is the server's), the number Go's maps hold without growing (pagecache.Serve),
// and states the referrer policy in the page instead of a header.
func TestCachedPageHeaders(t *testing.T) {
	for _, path := range []string{"/", "/articles/1"} {
		get(t, path).Body.Close() // cached now
		// As wrk asks, uncompressed; gzip adds Content-Encoding, a ninth.
		res := get(t, path, "Accept-Encoding", "identity")
		b := body(t, res)
		delete(res.Header, "Date")
		if len(res.Header) > 8 {
			t.Errorf("%s: %d header fields, at most 8 wanted: %v", path, len(res.Header), res.Header)
		}
		for _, k := range []string{"Content-Security-Policy", "X-Content-Type-Options", "Permissions-Policy", "Etag", "Cache-Control", "Vary", "Content-Length"} {
			if res.Header.Get(k) == "" {
				t.Errorf("%s: no %s", path, k)
			}
		}
		if !strings.Contains(b, `<meta name="referrer" content="strict-origin-when-cross-origin">`) {
			t.Errorf("%s: no referrer policy in the page", path)
		}
	}
}

func TestGzipWhenAsked(t *testing.T) {
	plain := body(t, get(t, "/feeds"))
	res := get(t, "/feeds", "Accept-Encoding", "gzip")
	defer res.Body.Close()
	if res.Header.Get("Content-Encoding") != "gzip" {
		t.Fatalf("Content-Encoding = %q", res.Header.Get("Content-Encoding"))
	}
	zr, err := gzip.NewReader(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(zr)
	if string(b) != plain {
		t.Fatal("gzip body differs from the plain one")
	}
	if !strings.Contains(res.Header.Get("Vary"), "Accept-Encoding") {
		t.Error("no Vary: Accept-Encoding")
	}
}

func TestLanguageFollowsBrowserAndParameter(t *testing.T) {
	tests := []struct {
		header, query, want, lang string
	}{
		{"", "", "我要投稿", "zh-CN"},
		{"en-US,en;q=0.9", "", "Submit a story", "en"},
		{"zh-CN,zh;q=0.9,en;q=0.8", "", "我要投稿", "zh-CN"},
		{"en", "?lang=zh-CN", "我要投稿", "zh-CN"},
		{"", "?lang=en", "Submit a story", "en"},
	}
	for _, tc := range tests {
		res := get(t, "/help"+tc.query, "Accept-Language", tc.header)
		b := body(t, res)
		if !strings.Contains(b, tc.want) || !strings.Contains(b, `<html lang="`+tc.lang+`"`) {
			t.Errorf("Accept-Language %q %s: want %q in lang %s", tc.header, tc.query, tc.want, tc.lang)
		}
	}
}

// TestChangeShowsEverywhere edits a published article through the domain
// service (a working copy, then approved) and expects every page that
// shows it to change at once.
func TestChangeShowsEverywhere(t *testing.T) {
	ctx := context.Background()
	rec, _, err := site.app.Store.Placed(ctx, model.SlotRecommended, time.Now(), 1, 0)
	if err != nil || len(rec) == 0 {
		t.Fatal(err)
	}
	a := rec[0]
	col, _ := columnOf(t, a.ColumnID)
	pages := []string{"/", "/recommended", "/columns/" + col, "/articles/" + itoa(a.ID), "/rss.xml", "/atom.xml", "/columns/" + col + "/rss.xml"}
	for _, p := range pages { // warm the cache
		if b := body(t, get(t, p)); !strings.Contains(b, a.Title) {
			t.Fatalf("%s does not show %q before the change", p, a.Title)
		}
	}
	lastmodBefore := sitemapLastmod(t, a.ID)
	old := a.Title
	correct := func(title string) error {
		cur, err := site.app.Articles.Editable(ctx, a.ID)
		if err != nil {
			return err
		}
		cur.Title = title
		if err := site.app.Articles.Update(ctx, editorActor(t, site.app), &cur); err != nil {
			return err
		}
		done, err := site.app.Articles.ApproveRevision(ctx, editorActor(t, site.app), a.ID, cur.Version, "")
		a.Version = done.Version
		return err
	}
	a.Title = "编辑修改后的新标题" + itoa(a.ID)
	if err := correct(a.Title); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { correct(old) })
	for _, p := range pages {
		b := body(t, get(t, p))
		if !strings.Contains(b, a.Title) || strings.Contains(b, ">"+old+"<") {
			t.Errorf("%s still shows the old title", p)
		}
	}
	if after := sitemapLastmod(t, a.ID); after == "" || after < lastmodBefore {
		t.Errorf("sitemap lastmod %q → %q", lastmodBefore, after)
	}

	// Withdrawing removes it from the site, and from its column's archive
	// counts (the aside is kept between pages until a change).
	archive := func() string {
		h, err := doc(t, "/columns/"+col).Find(".archive").Html()
		if err != nil || h == "" {
			t.Fatalf("/columns/%s: no archive (%v)", col, err)
		}
		return h
	}
	archiveBefore := archive()
	a.Version = transition(t, site.app, a.ID, a.Version, article.ActionWithdraw).Version
	t.Cleanup(func() {
		got, _ := site.app.Articles.Transition(ctx, editorActor(t, site.app), a.ID, a.Version, article.ActionPublish, "", time.Time{})
		a.Version = got.Version
	})
	if res := get(t, "/articles/"+itoa(a.ID)); res.StatusCode != 404 {
		t.Errorf("withdrawn article = %d, want 404", res.StatusCode)
	}
	for _, p := range []string{"/", "/recommended", "/rss.xml", "/sitemap.xml"} {
		if b := body(t, get(t, p)); strings.Contains(b, "/articles/"+itoa(a.ID)+"\"") || strings.Contains(b, a.Title) {
			t.Errorf("%s still shows the withdrawn article", p)
		}
	}
	if archive() == archiveBefore {
		t.Errorf("/columns/%s: the archive still counts the withdrawn article", col)
	}
}

func columnOf(t *testing.T, id int64) (string, string) {
	t.Helper()
	cols, err := site.app.Store.Columns(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cols {
		if c.ID == id {
			return c.Slug, c.Name
		}
	}
	t.Fatalf("no column %d", id)
	return "", ""
}

// TestViewsCountedWithoutRendering hits a cached article page and expects
// the counter to reach the store after a flush, and the page to show it.
func TestViewsCountedWithoutRendering(t *testing.T) {
	ctx := context.Background()
	id := seedID(t)
	if err := site.app.Views.Flush(ctx); err != nil { // views of earlier tests
		t.Fatal(err)
	}
	before, _ := site.app.Store.Article(ctx, id)
	for i := 0; i < 25; i++ {
		body(t, get(t, "/articles/"+itoa(id)))
	}
	if err := site.app.Views.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	after, _ := site.app.Store.Article(ctx, id)
	if after.Views-before.Views != 25 {
		t.Fatalf("views %d → %d, want +25", before.Views, after.Views)
	}
	if after.Version != before.Version {
		t.Fatalf("counting views changed the article version %d → %d", before.Version, after.Version)
	}
}

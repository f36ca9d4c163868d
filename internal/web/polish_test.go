package web_test

import (
	"compress/gzip"
	"encoding/json"
	"io"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

// docWith fetches path with header pairs and parses it.
func docWith(t *testing.T, path string, header ...string) (*goquery.Document, int) {
	t.Helper()
	res := get(t, path, header...)
	defer res.Body.Close()
	d, err := goquery.NewDocumentFromReader(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return d, res.StatusCode
}

// Every public page says what it is in a meta description; search results
// and the 404 page ask search engines not to index them, the others do not.
func TestPublicPagesDescribeThemselvesAndSearchIsNotIndexed(t *testing.T) {
	seed := itoa(seedID(t))
	for _, tc := range []struct {
		path    string
		noindex bool
	}{
		{"/", false}, {"/focus", false}, {"/recommended", false}, {"/columns/news", false}, {"/articles/" + seed, false},
		{"/sitemap", false}, {"/feeds", false}, {"/help", false}, {"/pages/guide", false}, {"/submit", false},
		{"/search", true}, {"/search?q=" + url.QueryEscape("学院"), true}, {"/no-such-page", true},
	} {
		d, _ := docWith(t, tc.path)
		if desc, _ := d.Find(`meta[name="description"]`).Attr("content"); strings.TrimSpace(desc) == "" {
			t.Errorf("%s has no meta description", tc.path)
		}
		if got := d.Find(`meta[name="robots"][content="noindex"]`).Length() > 0; got != tc.noindex {
			t.Errorf("%s: noindex %v, want %v", tc.path, got, tc.noindex)
		}
		if href, _ := d.Find(`link[rel="icon"]`).Attr("href"); href == "" {
			t.Errorf("%s names no icon", tc.path)
		}
	}
}

func TestFaviconAnswers(t *testing.T) {
	for path, ctype := range map[string]string{"/favicon.ico": "image/x-icon", "/favicon.svg": "image/svg+xml"} {
		res := get(t, path)
		b := body(t, res)
		if res.StatusCode != 200 || res.Header.Get("Content-Type") != ctype || len(b) < 50 {
			t.Errorf("%s: %d %s, %d bytes", path, res.StatusCode, res.Header.Get("Content-Type"), len(b))
		}
	}
}

// The article page links its column's feeds in both formats and carries a
// NewsArticle in JSON-LD with its title and dates.
func TestArticlePageHasColumnAtomAndNewsArticle(t *testing.T) {
	d := doc(t, "/articles/"+itoa(seedID(t)))
	if n := d.Find(`link[rel="alternate"][type="application/atom+xml"][href^="/columns/"]`).Length(); n != 1 {
		t.Errorf("%d column Atom links, want 1", n)
	}
	var ld map[string]any
	if err := json.Unmarshal([]byte(d.Find(`script[type="application/ld+json"]`).Text()), &ld); err != nil {
		t.Fatalf("JSON-LD: %v", err)
	}
	if ld["@type"] != "NewsArticle" || ld["headline"] != strings.TrimSpace(d.Find("h1").Text()) || ld["datePublished"] == nil || ld["dateModified"] == nil {
		t.Errorf("NewsArticle: %v", ld)
	}
}

// Chinese content keeps lang="zh-CN" on an English page: the title,
// summary, body and the column names.
func TestChineseContentIsMarkedOnEnglishPages(t *testing.T) {
	d := doc(t, "/articles/"+itoa(seedID(t))+"?lang=en")
	if l, _ := d.Find("html").Attr("lang"); l != "en" {
		t.Fatalf("html lang %q", l)
	}
	for _, sel := range []string{".story h1", ".story .body", ".abstract p", "nav.columns a[href^='/columns/']"} {
		if l, _ := d.Find(sel).First().Attr("lang"); l != "zh-CN" {
			t.Errorf("%s: lang %q, want zh-CN", sel, l)
		}
	}
	d = doc(t, "/articles/"+itoa(seedID(t)))
	if d.Find(".story h1[lang]").Length() != 0 {
		t.Error("a Chinese page repeats lang on its content")
	}
}

// The archive's year toggles hold no link (a link in a <summary> is
// nested interactive content, and opened the year page instead of the
// months); the year page is linked inside the list.
func TestArchiveYearTogglesHoldNoLink(t *testing.T) {
	d := doc(t, "/columns/news")
	if d.Find(".archive summary").Length() == 0 {
		t.Fatal("no archive")
	}
	if n := d.Find(".archive summary a").Length(); n != 0 {
		t.Errorf("%d links inside <summary>", n)
	}
	if d.Find(".archive details .year-link a").Length() != d.Find(".archive details").Length() {
		t.Error("not every year links its year page")
	}
}

// The reader mode is picked by the header's link (no JavaScript needed),
// remembered in a cookie, and the page cache never gives one reader's mode
// to another.
func TestReaderModeIsRememberedAndCachedApart(t *testing.T) {
	mode := func(d *goquery.Document) string { c, _ := d.Find("html").Attr("class"); return c }
	d, _ := docWith(t, "/columns/news")
	if mode(d) != "" {
		t.Fatalf("standard page has class %q", mode(d))
	}
	href, _ := d.Find("a.mode").Attr("href")
	if href != "/columns/news?mode=care" {
		t.Fatalf("mode link %q", href)
	}
	res := get(t, href)
	body(t, res)
	var cookie string
	for _, c := range res.Cookies() {
		if c.Name == "mode" {
			cookie = c.Name + "=" + c.Value
		}
	}
	if cookie != "mode=care" {
		t.Fatalf("mode link sets cookie %q", cookie)
	}
	if d, _ := docWith(t, "/columns/news", "Cookie", cookie); mode(d) != "mode-care" {
		t.Errorf("with the cookie: class %q", mode(d))
	}
	if d, _ := docWith(t, "/columns/news"); mode(d) != "" {
		t.Errorf("without the cookie after a care page was cached: class %q", mode(d))
	}
	if d, _ := docWith(t, "/columns/news", "Cookie", cookie); d.Find("a.mode").Text() == "" {
		t.Error("no way back to the standard view")
	}
}

// style.css and site.js go out gzipped to clients that take it; desk pages
// too.
func TestAssetsAndDeskPagesAreCompressed(t *testing.T) {
	d := doc(t, "/")
	css, _ := d.Find(`link[rel="stylesheet"]`).Attr("href")
	js, _ := d.Find(`script[src]`).Attr("src")
	for _, path := range []string{css, js, "/desk/login"} {
		res := get(t, path, "Accept-Encoding", "gzip")
		defer res.Body.Close()
		if res.Header.Get("Content-Encoding") != "gzip" {
			t.Errorf("%s: Content-Encoding %q", path, res.Header.Get("Content-Encoding"))
			continue
		}
		zr, err := gzip.NewReader(res.Body)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		b, err := io.ReadAll(zr)
		if err != nil || len(b) < 500 {
			t.Errorf("%s: %d bytes, %v", path, len(b), err)
		}
	}
	if res := get(t, css); res.Header.Get("Content-Encoding") != "" {
		t.Errorf("gzip to a client that does not take it")
	}
}

// Desk titles name the page once: 编辑部后台 - 东岳大学新闻网, not twice.
func TestDeskTitlesDoNotRepeat(t *testing.T) {
	_, srv := deskServer(t)
	c := signIn(t, srv, "editor")
	for _, path := range []string{"/desk/", "/desk/library"} {
		_, d := c.get(path)
		title := d.Find("title").Text()
		parts := strings.Split(title, " - ")
		seen := map[string]bool{}
		for _, p := range parts {
			if seen[p] {
				t.Errorf("%s: title %q repeats %q", path, title, p)
			}
			seen[p] = true
		}
	}
}

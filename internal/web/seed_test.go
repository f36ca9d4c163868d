package web_test

import (
	"bufio"
	"os"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"newsdesk/internal/demo"
)

// seedPage is what the seed page says, read from the seed text itself.
type seedPage struct {
	title, date, summary string
	paragraphs           []string
	photos               int
	credit               []string
}

func readSeed(t *testing.T) seedPage {
	t.Helper()
	f, err := os.Open("../demo/seed_article.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var p seedPage
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	next := ""
	for line := 0; sc.Scan(); line++ {
		s := strings.TrimSpace(sc.Text())
		switch {
		case s == "" || line == 0:
		case p.title == "":
			p.title = s
		case strings.HasPrefix(s, "日期"):
			p.date = strings.TrimSpace(s[strings.Index(s, ":")+1:])
		case s == "摘要":
			next = "summary"
		case next == "summary":
			p.summary, next = s, ""
		case strings.HasSuffix(s, ".jpg"):
			p.photos++
		case strings.HasPrefix(s, "图片:"):
			p.credit = strings.Fields(strings.TrimPrefix(s, "图片:"))
		default:
			p.paragraphs = append(p.paragraphs, s)
		}
	}
	return p
}

// TestSeedArticlePage checks every element of the page Newsdesk grew from.
func TestSeedArticlePage(t *testing.T) {
	want := readSeed(t)
	if want.title != demo.SeedTitle || want.photos != 8 || len(want.paragraphs) != 9 {
		t.Fatalf("seed text parsed as %q, %d photos, %d paragraphs", want.title, want.photos, len(want.paragraphs))
	}
	d := doc(t, "/articles/"+itoa(seedID(t)))

	// The six header links of the seed, in order, to working pages.
	var links []string
	d.Find("header .quick a").Each(func(i int, s *goquery.Selection) {
		links = append(links, s.Text())
		href, _ := s.Attr("href")
		if res := get(t, href); res.StatusCode != 200 {
			t.Errorf("header link %s → %s = %d", s.Text(), href, res.StatusCode)
		}
	})
	wantLinks := []string{"主页焦点", "主页推荐", "网站地图", "使用帮助", "RSS", "我要投稿"}
	if got := strings.Join(links, "|"); !strings.HasPrefix(got, strings.Join(wantLinks, "|")) {
		t.Errorf("header links = %v, want %v first", links, wantLinks)
	}
	if got := d.Find("header .brand").Text(); got == "" {
		t.Error("no site name in the header")
	}

	if got := d.Find("article.story h1").Text(); got != want.title {
		t.Errorf("h1 = %q", got)
	}
	if got := d.Find("title").Text(); !strings.HasPrefix(got, want.title) {
		t.Errorf("<title> = %q", got)
	}
	if got := d.Find(".byline .date").Text(); !strings.Contains(got, "日期") || !strings.Contains(got, want.date) {
		t.Errorf("date line = %q, want 日期 and %s", got, want.date)
	}
	if got := d.Find(".abstract h2").Text(); got != "摘要" {
		t.Errorf("summary heading = %q", got)
	}
	if got := d.Find(".abstract p").Text(); got != want.summary {
		t.Errorf("summary = %q", got)
	}
	if got, _ := d.Find(`meta[name="description"]`).Attr("content"); got != want.summary {
		t.Errorf("meta description = %q", got)
	}

	// Paragraphs and figures in the seed's order.
	var order []string
	d.Find(".body").Children().Each(func(i int, s *goquery.Selection) {
		switch goquery.NodeName(s) {
		case "p":
			order = append(order, "p:"+s.Text())
		case "figure":
			img := s.Find("img")
			alt, _ := img.Attr("alt")
			src, _ := img.Attr("src")
			if alt == "" || s.Find("figcaption").Text() == "" {
				t.Errorf("figure %d lacks alt or caption", i)
			}
			if w, _ := img.Attr("width"); w == "" {
				t.Errorf("figure %d has no width (layout shift)", i)
			}
			if res := get(t, src); res.StatusCode != 200 || res.Header.Get("Content-Type") != "image/jpeg" {
				t.Errorf("figure image %s = %d %s", src, res.StatusCode, res.Header.Get("Content-Type"))
			}
			order = append(order, "figure")
		}
	})
	var wantOrder []string
	seedLines := strings.Split(mustRead(t, "../demo/seed_article.txt"), "\n")
	for _, l := range seedLines[5:] { // after header, title, date, 摘要, summary
		l = strings.TrimSpace(l)
		switch {
		case l == "" || strings.HasPrefix(l, "图片:") || l == want.summary || l == "摘要" || l == want.title || strings.HasPrefix(l, "日期"):
		case strings.HasSuffix(l, ".jpg"):
			wantOrder = append(wantOrder, "figure")
		default:
			wantOrder = append(wantOrder, "p:"+l)
		}
	}
	if strings.Join(order, "\n") != strings.Join(wantOrder, "\n") {
		t.Errorf("body order:\n got %d items %q\nwant %d items %q", len(order), order, len(wantOrder), wantOrder)
	}

	// The closing credit line.
	credit := d.Find(".credits").Text()
	if !strings.Contains(credit, "图片") || !strings.Contains(credit, strings.Join(want.credit, " ")) {
		t.Errorf("credits = %q, want 图片 %v", credit, want.credit)
	}
	// Breadcrumb, views, prev/next, Open Graph, canonical.
	if got := d.Find(".breadcrumb a").Length(); got < 2 {
		t.Errorf("breadcrumb has %d links", got)
	}
	if !strings.Contains(d.Find(".byline .views").Text(), "浏览次数") {
		t.Error("no view count")
	}
	if d.Find(".prevnext").Length() != 1 {
		t.Error("no previous/next navigation")
	}
	for _, p := range []string{"og:title", "og:description", "og:image", "og:type", "article:published_time"} {
		if v, ok := d.Find(`meta[property="` + p + `"]`).Attr("content"); !ok || v == "" {
			t.Errorf("meta %s missing", p)
		}
	}
	if v, _ := d.Find(`meta[property="og:type"]`).Attr("content"); v != "article" {
		t.Errorf("og:type = %q", v)
	}
	if v, _ := d.Find(`meta[property="article:published_time"]`).Attr("content"); !strings.HasPrefix(v, "2020-11-05T") || !strings.HasSuffix(v, "+08:00") {
		t.Errorf("article:published_time = %q, want 2020-11-05 in +08:00", v)
	}
	if v, _ := d.Find(`link[rel="canonical"]`).Attr("href"); !strings.HasSuffix(v, "/articles/"+itoa(seedID(t))) {
		t.Errorf("canonical = %q", v)
	}
	if d.Find(`link[rel="alternate"][type="application/rss+xml"]`).Length() == 0 {
		t.Error("no RSS autodiscovery link")
	}
}

func mustRead(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

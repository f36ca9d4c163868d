package web_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"newsdesk/internal/app"
	"newsdesk/internal/config"
	"newsdesk/internal/demo"
	"newsdesk/internal/model"
)

// site is one demo site shared by the tests of this package; tests that
// change content restore it or use their own site.
var site struct {
	app *app.App
	srv *httptest.Server
}

// demoUntil fixes the demo's newest date so lists are reproducible.
var demoUntil = time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "newsdesk-web-*")
	if err != nil {
		panic(err)
	}
	a, srv := newSite(dir)
	site.app, site.srv = a, srv
	code := m.Run()
	srv.Close()
	a.Close()
	os.RemoveAll(dir)
	os.Exit(code)
}

func newSite(dir string) (*app.App, *httptest.Server) {
	ctx := context.Background()
	cfg, err := config.Parse("test", []string{"--data", dir})
	if err != nil {
		panic(err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	a, err := app.Open(ctx, cfg, log)
	if err != nil {
		panic(err)
	}
	if err := a.LoadDemo(ctx, demo.Options{Until: demoUntil, Seed: 1}); err != nil {
		panic(err)
	}
	return a, httptest.NewServer(a.Web)
}

func get(t *testing.T, path string, header ...string) *http.Response {
	t.Helper()
	req, err := http.NewRequest("GET", site.srv.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	res, err := site.srv.Client().Transport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func body(t *testing.T, res *http.Response) string {
	t.Helper()
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func doc(t *testing.T, path string) *goquery.Document {
	t.Helper()
	res := get(t, path)
	if res.StatusCode != 200 {
		t.Fatalf("GET %s = %d", path, res.StatusCode)
	}
	defer res.Body.Close()
	d, err := goquery.NewDocumentFromReader(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// seedID is the seed article's id: the demo places it in focus after its
// own stories.
func seedID(t *testing.T) int64 {
	t.Helper()
	as, _, err := site.app.Store.Placed(context.Background(), model.SlotFocus, time.Now(), 10, 0)
	for _, a := range as {
		if a.Title == demo.SeedTitle {
			return a.ID
		}
	}
	t.Fatalf("seed article is not in focus: %v %v", as, err)
	return 0
}

func TestPublicRoutes(t *testing.T) {
	seed := seedID(t)
	tests := []struct {
		path   string
		status int
		ctype  string
		want   string // in the body
	}{
		{"/", 200, "text/html", "焦点新闻"},
		{"/focus", 200, "text/html", demo.SeedTitle},
		{"/focus?page=2", 404, "text/html", "页面不存在"},
		{"/recommended", 200, "text/html", "主页推荐"},
		{"/columns/news", 200, "text/html", "学校要闻"},
		{"/columns/news?page=2", 200, "text/html", "上一页"},
		{"/columns/news?page=999", 404, "text/html", "页面不存在"},
		{"/columns/news?page=abc", 404, "text/html", "页面不存在"},
		{"/columns/news?page=-1", 404, "text/html", "页面不存在"},
		{"/columns/headlines", 200, "text/html", "学校要闻"},
		{"/columns/nope", 404, "text/html", "页面不存在"},
		{"/columns/media/2020", 200, "text/html", demo.SeedTitle},
		{"/columns/media/2020/11", 200, "text/html", demo.SeedTitle},
		{"/columns/headlines/1999", 404, "text/html", "页面不存在"},
		{"/columns/headlines/2020/13", 404, "text/html", "页面不存在"},
		{"/columns/headlines/year", 404, "text/html", "页面不存在"},
		{"/articles/" + itoa(seed), 200, "text/html", "刘孟秋"},
		{"/articles/99999999", 404, "text/html", "页面不存在"},
		{"/articles/abc", 404, "text/html", "页面不存在"},
		{"/articles/99999999999999999999999", 404, "text/html", "页面不存在"},
		{"/sitemap", 200, "text/html", "学术讲座"},
		{"/sitemap.xml", 200, "application/xml", "<urlset"},
		{"/sitemaps/1.xml", 404, "text/html", "页面不存在"},
		{"/robots.txt", 200, "text/plain", "Sitemap: "},
		{"/feeds", 200, "text/html", "/columns/lectures/atom.xml"},
		{"/rss.xml", 200, "application/rss+xml", "<rss"},
		{"/atom.xml", 200, "application/atom+xml", "<feed"},
		{"/columns/academic/rss.xml", 200, "application/rss+xml", "学术动态"},
		{"/columns/academic/atom.xml", 200, "application/atom+xml", "学术动态"},
		{"/columns/nope/rss.xml", 404, "text/html", "页面不存在"},
		{"/help", 200, "text/html", "使用帮助"},
		{"/pages/guide", 200, "text/html", "投稿须知"},
		{"/pages/nope", 404, "text/html", "页面不存在"},
		{"/submit", 200, "text/html", "稿件要求"},
		{"/desk/", 303, "text/html", "/desk/login"},
		{"/desk/login", 200, "text/html", "通讯员、审核人和编辑请用账号登录"},
		{"/healthz", 200, "text/plain", "ok"},
		{"/metrics", 404, "text/html", "页面不存在"}, // only on the desk listener or to the token
		{"/no/such/page", 404, "text/html", "返回首页"},
		{"/static/nope/none.css", 404, "text/html", "页面不存在"},
		{"/media/99999/x.jpg", 404, "text/html", "页面不存在"},
		{"/?lang=en", 200, "text/html", "Submit a story"},
	}
	for _, tc := range tests {
		t.Run(tc.path, func(t *testing.T) {
			res := get(t, tc.path)
			b := body(t, res)
			if res.StatusCode != tc.status {
				t.Fatalf("status = %d, want %d", res.StatusCode, tc.status)
			}
			if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, tc.ctype) {
				t.Errorf("Content-Type = %q, want %q", ct, tc.ctype)
			}
			if !strings.Contains(b, tc.want) {
				t.Errorf("body lacks %q", tc.want)
			}
		})
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

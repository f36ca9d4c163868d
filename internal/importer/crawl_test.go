package importer_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/text/encoding/simplifiedchinese"

	"newsdesk/internal/importer"
	"newsdesk/internal/model"
)

// fixtureSite serves, on 127.0.0.1, an old campus site in the style of a
// preset: two list pages linked by 下页/下一页, story pages with a title,
// date, body with a photo and closing credit lines, one story without a
// date, one story disallowed by robots.txt; VSB pages are GBK-encoded, as
// such sites often are. It counts requests at once, to check the crawl
// makes one at a time, and notes when each picture was asked for.
func fixtureSite(t *testing.T, preset string) (*httptest.Server, *siteLog) {
	t.Helper()
	img := photo(t, 3, "jpeg")
	var inFlight atomic.Int32
	seen := &siteLog{}
	most := &seen.most
	var srv *httptest.Server
	story := func(n int) string {
		if preset == "vsb" {
			return fmt.Sprintf("/info/1012/%d.htm", 3450+n)
		}
		return fmt.Sprintf("/2020/1105/c1012a%d/page.htm", 3450+n)
	}
	list := func(page int) string {
		var links strings.Builder
		for n := page*3 - 2; n <= page*3; n++ {
			fmt.Fprintf(&links, `<li><a href="%s">第%d篇</a></li>`, story(n), n)
		}
		next := ""
		if page == 1 {
			if preset == "vsb" {
				next = `<a href="xwzx/2.htm" class="Next">下页</a>`
			} else {
				next = `<a class="next" href="/xwzx/list2.htm">下一页</a>`
			}
		}
		return `<html><head><meta charset="gbk"><title>综合新闻</title></head><body><ul class="news_list">` + links.String() + `</ul>` + next + `</body></html>`
	}
	article := func(n int) string {
		date := fmt.Sprintf("2020-11-%02d 10:30", n)
		if n == 5 {
			date = "日期不详"
		}
		if preset == "vsb" {
			return fmt.Sprintf(`<html><head><meta http-equiv="Content-Type" content="text/html; charset=gbk"><title>第%[1]d篇</title></head><body>
<form name="_newscontent_fromname"><div class="titlestyle">第%[1]d篇：研究生培训开班</div><span class="timestyle">%[2]s</span>
<div id="vsb_content"><div class="v_news_content"><p>正文第%[1]d段。</p><p><img src="/__local/A/B/photo%[1]d.jpg" alt="现场"></p><p>文字：张三</p><p>图片:刘孟秋 曹文玥</p></div></div>
<span class="sourcestyle">来源：党委宣传部</span></form></body></html>`, n, date)
		}
		return fmt.Sprintf(`<html><head><meta charset="utf-8"><title>第%[1]d篇</title></head><body><h1 class="arti_title">第%[1]d篇：研究生培训开班</h1>
<p class="arti_metas"><span class="arti_update">发布时间：%[2]s</span></p>
<div class="wp_articlecontent"><p>正文第%[1]d段。</p><p><img src="/_upload/article/images/%[1]d.jpg" alt="现场"></p><p>摄影／刘孟秋</p><p>责任编辑：王五</p></div></body></html>`, n, date)
	}
	gbk := func(w http.ResponseWriter, s string) {
		if preset == "vsb" {
			b, err := simplifiedchinese.GBK.NewEncoder().String(s)
			if err != nil {
				t.Error(err)
			}
			w.Header().Set("Content-Type", "text/html")
			w.Write([]byte(b))
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte(s))
	}
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if now := inFlight.Add(1); now > most.Load() {
			most.Store(now)
		}
		defer inFlight.Add(-1)
		if strings.HasSuffix(r.URL.Path, ".jpg") {
			seen.mu.Lock()
			seen.pictures = append(seen.pictures, time.Now())
			seen.mu.Unlock()
		}
		if !strings.HasPrefix(r.Header.Get("User-Agent"), "Newsdesk") {
			http.Error(w, "who are you", http.StatusForbidden)
			return
		}
		time.Sleep(2 * time.Millisecond)
		p := r.URL.Path
		switch {
		case p == "/robots.txt":
			fmt.Fprintf(w, "User-agent: *\nDisallow: %s\n", story(6))
		case p == "/xwzx.htm" || p == "/xwzx/list1.htm":
			gbk(w, list(1))
		case p == "/xwzx/2.htm" || p == "/xwzx/list2.htm":
			gbk(w, list(2))
		case strings.HasSuffix(p, ".jpg"):
			w.Write(img)
		default:
			for n := 1; n <= 6; n++ {
				if p == story(n) {
					gbk(w, article(n))
					return
				}
			}
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	return srv, seen
}

// siteLog is what the fixture site saw: the most requests at once, and
// when each picture was asked for.
type siteLog struct {
	most     atomic.Int32
	mu       sync.Mutex
	pictures []time.Time
}

// TestCrawlPresetsReadListsStoriesCreditsAndPhotos: a VSB-style site (GBK)
// and a WebPlus-style site are crawled through their list pages, one
// request at a time, robots.txt honoured; stories come in with their
// dates, photos and credits, the dateless one is reported with its
// address, a second run makes nothing new, and old addresses redirect.
func TestCrawlPresetsReadListsStoriesCreditsAndPhotos(t *testing.T) {
	for _, tc := range []struct{ preset, start string }{{"vsb", "/xwzx.htm"}, {"webplus", "/xwzx/list1.htm"}} {
		t.Run(tc.preset, func(t *testing.T) {
			a := openSite(t, "")
			srv, seen := fixtureSite(t, tc.preset)
			most := &seen.most
			c := &importer.Crawler{Delay: time.Millisecond}
			p, err := c.Crawl(ctx, srv.URL+tc.start, importer.Presets[tc.preset], time.FixedZone("CST", 8*3600))
			if err != nil {
				t.Fatal(err)
			}
			if most.Load() != 1 {
				t.Errorf("%d requests at once, want one at a time", most.Load())
			}
			if len(p.Items) != 4 || len(p.Skipped) != 2 {
				t.Fatalf("read %d stories, skipped %+v", len(p.Items), p.Skipped)
			}
			var whys []string
			for _, s := range p.Skipped {
				whys = append(whys, s.Where+" "+why(t, s))
			}
			if !slices.ContainsFunc(whys, func(w string) bool { return strings.Contains(w, "3455") && strings.Contains(w, "no date") }) ||
				!slices.ContainsFunc(whys, func(w string) bool {
					return strings.Contains(w, "3456") && strings.Contains(w, "robots.txt does not allow")
				}) {
				t.Errorf("skipped: %q", whys)
			}
			im := importer.ForApp(a, model.SystemActor("cli"), nil)
			im.Workers, im.Delay = 1, 40*time.Millisecond // as newsdesk import crawl --delay 40ms
			sum, err := im.Run(ctx, "crawl:"+srv.URL, p)
			if err != nil || sum.Created != 4 || sum.Photos != 1 || sum.PhotosReused != 3 { // one picture at four addresses: one photo
				t.Fatalf("import: %+v %v", sum, err)
			}
			if most.Load() != 1 {
				t.Errorf("%d requests at once while the pictures came in, want one at a time", most.Load())
			}
			// The delay between pictures, as the site saw it: the span
			// from the first to the last is (n-1) delays, less what a
			// busy machine may add to one request's way (a quarter).
			seen.mu.Lock()
			if n := len(seen.pictures); n < 4 {
				t.Errorf("%d pictures downloaded, want one for each of the 4 stories", n)
			} else if span := seen.pictures[n-1].Sub(seen.pictures[0]); span < time.Duration(n-1)*im.Delay*3/4 {
				t.Errorf("%d pictures asked for within %v, want the crawl's delay of %v between each two", n, span, im.Delay)
			}
			seen.mu.Unlock()
			s := byTitle(t, a, "第2篇：研究生培训开班")
			if !s.PublishedAt.Equal(time.Date(2020, 11, 2, 2, 30, 0, 0, time.UTC)) || s.LeadMediaID == 0 || !slices.Equal(s.Credits.Photographers, []string{"刘孟秋", "曹文玥"}[:map[string]int{"vsb": 2, "webplus": 1}[tc.preset]]) {
				t.Errorf("story: %v lead %d credits %+v", s.PublishedAt, s.LeadMediaID, s.Credits)
			}
			if tc.preset == "vsb" && (s.Credits.Source != "党委宣传部" || !slices.Equal(s.Credits.Writers, []string{"张三"})) {
				t.Errorf("VSB credits %+v", s.Credits)
			}
			if tc.preset == "webplus" && s.Credits.Editor != "王五" {
				t.Errorf("WebPlus credits %+v", s.Credits)
			}
			if strings.Contains(s.Body, "刘孟秋") || !strings.Contains(s.Body, "正文第2段") {
				t.Errorf("body %s", s.Body)
			}
			again, err := im.Run(ctx, "crawl:"+srv.URL, p)
			if err != nil || again.Created != 0 || again.Unchanged != 4 {
				t.Errorf("again: %+v %v", again, err)
			}
			web := httptest.NewServer(a.Web)
			defer web.Close()
			old := map[string]string{"vsb": "/info/1012/3452.htm", "webplus": "/2020/1105/c1012a3452/page.htm"}[tc.preset]
			noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
			res, err := noFollow.Get(web.URL + old)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			if res.StatusCode != http.StatusMovedPermanently || res.Header.Get("Location") != fmt.Sprintf("/articles/%d", s.ID) {
				t.Errorf("old address %s: %d → %q", old, res.StatusCode, res.Header.Get("Location"))
			}
		})
	}
}

// TestCrawlOfAPageNoPresetMatchesSaysSo: a start page with no story links
// of the preset's structure is an error naming the page.
func TestCrawlOfAPageNoPresetMatchesSaysSo(t *testing.T) {
	srv, _ := fixtureSite(t, "webplus")
	_, err := (&importer.Crawler{}).Crawl(ctx, srv.URL+"/xwzx/list1.htm", importer.Presets["vsb"], time.UTC)
	if err == nil || !strings.Contains(err.Error(), "list1.htm") || !strings.Contains(err.Error(), "vsb") {
		t.Errorf("got %v", err)
	}
}

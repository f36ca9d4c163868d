package importer_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"newsdesk/internal/importer"
	"newsdesk/internal/model"
)

// BenchmarkCrawl crawls a VSB-style site of NEWSDESK_BENCH_STORIES stories
// (300 by default; 20 a list page, a photo each) served on 127.0.0.1 with
// NEWSDESK_BENCH_LATENCY per request (20ms by default: a campus server
// across the country), with no delay, and imports what it read. In the
// same run it fetches every address the crawl asked for, one at a time
// with the same client and nothing else: the time the remote server
// alone sets. crawl/fetch near 1 means the crawl is bound by the server
// (and, with --delay, by the delay), not by Newsdesk.
//
//	go test -run '^$' -bench Crawl -benchtime 1x ./internal/importer
func BenchmarkCrawl(b *testing.B) {
	stories := 300
	if v, err := strconv.Atoi(os.Getenv("NEWSDESK_BENCH_STORIES")); err == nil && v > 0 {
		stories = v
	}
	latency := 20 * time.Millisecond
	if v, err := time.ParseDuration(os.Getenv("NEWSDESK_BENCH_LATENCY")); err == nil {
		latency = v
	}
	const perList = 20
	lists := (stories + perList - 1) / perList
	photos := benchPhotos(b, 8, 800, 533)
	var mu sync.Mutex
	var asked []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		asked = append(asked, r.URL.Path)
		mu.Unlock()
		time.Sleep(latency)
		p := r.URL.Path
		switch {
		case p == "/robots.txt":
			fmt.Fprint(w, "User-agent: *\nDisallow: /admin/\n")
		case strings.HasPrefix(p, "/xwzx/"):
			page, _ := strconv.Atoi(strings.TrimSuffix(strings.TrimPrefix(p, "/xwzx/"), ".htm"))
			var links strings.Builder
			for n := (page-1)*perList + 1; n <= min(page*perList, stories); n++ {
				fmt.Fprintf(&links, `<li><a href="/info/1012/%d.htm">第%d篇新闻</a><span>2020-11-05</span></li>`, n, n)
			}
			next := ""
			if page < lists {
				next = fmt.Sprintf(`<a href="/xwzx/%d.htm" class="Next">下页</a>`, page+1)
			}
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprintf(w, `<html><head><meta charset="utf-8"><title>综合新闻</title></head><body><ul class="news_list">%s</ul>%s</body></html>`, links.String(), next)
		case strings.HasPrefix(p, "/info/1012/"):
			n, _ := strconv.Atoi(strings.TrimSuffix(strings.TrimPrefix(p, "/info/1012/"), ".htm"))
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			para := strings.Repeat("学校召开研究生党支部书记培训开班仪式，来自各个学院的共四十五名研究生党支部书记代表参加了培训。", 6)
			fmt.Fprintf(w, `<html><head><meta charset="utf-8"><title>第%[1]d篇</title></head><body>
<form name="_newscontent_fromname"><div class="titlestyle">第%[1]d篇：研究生培训开班</div><span class="timestyle">2020-11-%02[2]d 10:30</span>
<div id="vsb_content"><div class="v_news_content"><p>%[3]s</p><p><img src="/__local/p/%[1]d.jpg" alt="现场"></p><p>%[3]s</p><p>文字：张三</p><p>图片:刘孟秋 曹文玥</p></div></div>
<span class="sourcestyle">来源：党委宣传部</span></form></body></html>`, n, n%28+1, para)
		case strings.HasPrefix(p, "/__local/p/"):
			n, _ := strconv.Atoi(strings.TrimSuffix(strings.TrimPrefix(p, "/__local/p/"), ".jpg"))
			w.Write(photos[n%len(photos)])
			fmt.Fprintf(w, "%d", n) // after the image's end: bytes of its own
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	tz := time.FixedZone("CST", 8*3600)
	for b.Loop() {
		b.StopTimer()
		a := openSite(b, os.Getenv("NEWSDESK_BENCH_POSTGRES"))
		mu.Lock()
		asked = nil
		mu.Unlock()
		b.StartTimer()
		start, cpu0 := time.Now(), cpuTime()
		c := &importer.Crawler{}
		p, err := c.Crawl(context.Background(), srv.URL+"/xwzx/1.htm", importer.Presets["vsb"], tz)
		if err != nil {
			b.Fatal(err)
		}
		im := importer.ForApp(a, model.SystemActor("cli"), nil)
		im.Workers = 1 // as newsdesk import crawl: one request at a time
		sum, err := im.Run(context.Background(), "crawl:"+srv.URL, p)
		if err != nil || sum.Created != stories || sum.Photos != stories {
			b.Fatalf("%+v %v", sum, err)
		}
		took, cpu := time.Since(start), cpuTime()-cpu0
		b.StopTimer()
		// The reference: the same addresses, one at a time, only fetched.
		mu.Lock()
		paths := append([]string(nil), asked...)
		mu.Unlock()
		client := &http.Client{Timeout: 30 * time.Second}
		fstart := time.Now()
		for _, path := range paths {
			res, err := client.Get(srv.URL + path)
			if err != nil {
				b.Fatal(err)
			}
			io.Copy(io.Discard, res.Body)
			res.Body.Close()
		}
		fetch := time.Since(fstart)
		b.ReportMetric(took.Seconds(), "crawl-s")
		b.ReportMetric(fetch.Seconds(), "fetch-only-s")
		b.ReportMetric(took.Seconds()/fetch.Seconds(), "crawl/fetch")
		b.ReportMetric(float64(cpu.Milliseconds())/float64(stories), "cpu-ms/story")
		b.ReportMetric(float64(len(paths)), "requests")
		b.StartTimer()
	}
}

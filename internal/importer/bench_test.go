package importer_test

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"newsdesk/internal/importer"
	"newsdesk/internal/model"
)

// cpuTime is the CPU time this process has used (user and system).
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// benchPhotos are a few real-sized JPEGs; each address gets one of them
// with its number appended after the image's end, so every photo has
// bytes of its own (and its own library file) at no cost per request.
func benchPhotos(b *testing.B, n, w, h int) [][]byte {
	out := make([][]byte, n)
	for i := range out {
		img := image.NewRGBA(image.Rect(0, 0, w, h))
		for x := range w {
			for y := range h {
				img.Set(x, y, color.RGBA{uint8(x*i + y), uint8(y * 3), uint8(i * 30), 255})
			}
		}
		var buf bytes.Buffer
		if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 80}); err != nil {
			b.Fatal(err)
		}
		out[i] = buf.Bytes()
	}
	return out
}

// BenchmarkWXRImport imports a WordPress export of NEWSDESK_BENCH_STORIES
// stories (10,000 by default), each with a featured and an inline photo
// (800×533 JPEG) downloaded from 127.0.0.1, into an empty SQLite site
// (PostgreSQL when NEWSDESK_BENCH_POSTGRES names one), and reports the
// import's time; then it runs the variant jobs for 30 s and reports
// their rate, from which the time to make all of them follows.
//
//	go test -run '^$' -bench WXRImport -benchtime 1x ./internal/importer
func BenchmarkWXRImport(b *testing.B) {
	stories := 10000
	if v, err := strconv.Atoi(os.Getenv("NEWSDESK_BENCH_STORIES")); err == nil && v > 0 {
		stories = v
	}
	photos := benchPhotos(b, 16, 800, 533)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n, _ := strconv.Atoi(strings.TrimSuffix(strings.TrimPrefix(r.URL.Path, "/p/"), ".jpg"))
		w.Write(photos[n%len(photos)])
		fmt.Fprintf(w, "%d", n) // after the image's end: other bytes, the same picture
	}))
	defer srv.Close()
	var x strings.Builder
	x.WriteString(`<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel><title>东岳大学新闻网</title><wp:base_blog_url>http://old.example.edu.cn</wp:base_blog_url>
<wp:category><wp:term_id>1</wp:term_id><wp:category_nicename>news</wp:category_nicename><wp:category_parent></wp:category_parent><wp:cat_name>新闻</wp:cat_name></wp:category>
`)
	para := strings.Repeat("学校召开研究生党支部书记培训开班仪式，来自各个学院的共四十五名研究生党支部书记代表参加了培训。", 6)
	for i := 1; i <= stories; i++ {
		fmt.Fprintf(&x, `<item><title>第%[1]d篇新闻：研究生党支部书记培训开班</title><link>http://old.example.edu.cn/info/1012/%[1]d.htm</link><guid>http://old.example.edu.cn/?p=%[1]d</guid>
<content:encoded><![CDATA[<p>%[2]s</p><p><img src="%[3]s/p/%[4]d.jpg" alt="培训现场"></p><p>%[2]s</p><p>图片:刘孟秋 曹文玥</p>]]></content:encoded>
<wp:post_id>%[1]d</wp:post_id><wp:post_date_gmt>2020-11-05 08:00:00</wp:post_date_gmt><wp:status>publish</wp:status><wp:post_type>post</wp:post_type>
<category domain="category" nicename="news">新闻</category><wp:postmeta><wp:meta_key>_thumbnail_id</wp:meta_key><wp:meta_value>%[5]d</wp:meta_value></wp:postmeta></item>
<item><title>封面</title><wp:post_id>%[5]d</wp:post_id><wp:post_type>attachment</wp:post_type><wp:attachment_url>%[3]s/p/%[6]d.jpg</wp:attachment_url></item>
`, i, para, srv.URL, 2*i, 1000000+i, 2*i+1)
	}
	x.WriteString("</channel></rss>\n")
	data := []byte(x.String())
	for b.Loop() {
		b.StopTimer()
		a := openSite(b, os.Getenv("NEWSDESK_BENCH_POSTGRES"))
		b.StartTimer()
		start, cpu0 := time.Now(), cpuTime()
		p, err := importer.ParseWXR("bench.xml", data, time.UTC)
		if err != nil {
			b.Fatal(err)
		}
		sum, err := importer.ForApp(a, model.SystemActor("cli"), nil).Run(context.Background(), "wxr:bench", p)
		if err != nil || sum.Created != stories || sum.Photos != 2*stories {
			b.Fatalf("%+v %v", sum, err)
		}
		took, cpu := time.Since(start), cpuTime()-cpu0
		b.StopTimer()
		// The machine may be shared: the CPU time the import took is the
		// figure that does not depend on what else runs.
		b.ReportMetric(cpu.Seconds(), "import-cpu-s")
		b.ReportMetric(took.Seconds(), "import-s")
		b.ReportMetric(float64(stories)/took.Seconds(), "stories/s")
		jobs, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		vstart := time.Now()
		n, err := a.Jobs.RunDue(jobs)
		cancel()
		if err != nil && jobs.Err() == nil {
			b.Fatal(err)
		}
		rate := float64(n) / time.Since(vstart).Seconds()
		b.ReportMetric(rate, "variant-jobs/s")
		b.ReportMetric(float64(2*stories)/rate, "all-variants-s")
		b.StartTimer()
	}
	b.ReportMetric(float64(len(data))/(1<<20), "wxr-MB")
}

package sitearchive_test

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"newsdesk/internal/model"
	"newsdesk/internal/sitearchive"
)

// peakHeap samples the heap in use every 20 ms until stop is called and
// returns the most it saw, in MB.
func peakHeap() (stop func() float64) {
	var peak atomic.Uint64
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		var ms runtime.MemStats
		for {
			runtime.ReadMemStats(&ms)
			if ms.HeapInuse > peak.Load() {
				peak.Store(ms.HeapInuse)
			}
			select {
			case <-done:
				return
			case <-time.After(20 * time.Millisecond):
			}
		}
	}()
	return func() float64 {
		close(done)
		<-finished
		return float64(peak.Load()) / (1 << 20)
	}
}

// BenchmarkSiteArchive writes the archive of a SQLite site of
// NEWSDESK_BENCH_STORIES stories (2,000 by default, each with two saved
// versions, a publish event and a 3 KB body) and restores it into an
// empty site, reporting each one's time and the most heap either held:
// both read in pages, so the heap stays flat as the site grows.
//
//	go test -run '^$' -bench SiteArchive -benchtime 1x ./internal/sitearchive
func BenchmarkSiteArchive(b *testing.B) {
	stories := 2000
	if v, err := strconv.Atoi(os.Getenv("NEWSDESK_BENCH_STORIES")); err == nil && v > 0 {
		stories = v
	}
	src := openSite(b, b.TempDir(), "")
	col, err := src.Columns.Save(ctx, model.SystemActor("bench"), model.Column{Slug: "news", Name: "综合新闻"})
	if err != nil {
		b.Fatal(err)
	}
	para := strings.Repeat("学校召开研究生党支部书记培训开班仪式，来自各个学院的共四十五名研究生党支部书记代表参加了培训。", 10)
	for i := range stories {
		a := model.Article{ColumnID: col.ID, Title: fmt.Sprintf("第%d篇新闻", i+1), Body: "<p>" + para + "</p>", Status: model.StatusPublished,
			PublishedAt: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(i) * time.Hour)}
		if err := src.Articles.Import(ctx, model.SystemActor("bench"), &a, "bench"); err != nil {
			b.Fatal(err)
		}
		a.Body += "<p>更正。</p>"
		if err := src.Store.UpdateArticle(ctx, &a); err != nil {
			b.Fatal(err)
		}
	}
	for b.Loop() {
		path := filepath.Join(b.TempDir(), "site.zip")
		f, err := os.Create(path)
		if err != nil {
			b.Fatal(err)
		}
		stop := peakHeap()
		start := time.Now()
		if _, err := sitearchive.Export(ctx, f, src.Store, src.Media.Files, sitearchive.ExportOptions{}); err != nil {
			b.Fatal(err)
		}
		exportTook, exportHeap := time.Since(start), stop()
		f.Close()
		fi, _ := os.Stat(path)

		b.StopTimer()
		dst := openSite(b, b.TempDir(), "")
		b.StartTimer()
		stop = peakHeap()
		start = time.Now()
		res, err := importSite(dst, path)
		if err != nil || res.Counts[sitearchive.ArticlesFile] != stories {
			b.Fatalf("import: %v %v", res.Counts, err)
		}
		importTook, importHeap := time.Since(start), stop()
		b.ReportMetric(exportTook.Seconds(), "export-s")
		b.ReportMetric(importTook.Seconds(), "import-s")
		b.ReportMetric(float64(stories)/importTook.Seconds(), "restored-stories/s")
		b.ReportMetric(float64(fi.Size())/(1<<20), "archive-MB")
		b.ReportMetric(exportHeap, "export-peak-heap-MB")
		b.ReportMetric(importHeap, "import-peak-heap-MB")
	}
}

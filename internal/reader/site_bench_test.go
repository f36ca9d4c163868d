package reader_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"newsdesk/internal/feed"
	"newsdesk/internal/reader"
	"newsdesk/internal/site"
	"newsdesk/internal/store/sqlstore"
)

// BenchmarkSitemapIndexOnSite plans the sitemap (its size and the parts'
// last changes, as the index does) after each change, on an existing site:
// NEWSDESK_BENCH_DATA=/tmp/scale/site1m go test -run - -bench SitemapIndexOnSite ./internal/reader
// (the site is opened, not written; skipped without the variable).
func BenchmarkSitemapIndexOnSite(b *testing.B) {
	ctx, r := siteReader(b)
	for b.Loop() {
		r.Invalidate()
		n, err := r.SitemapSize(ctx)
		if err != nil || n == 0 {
			b.Fatal(n, err)
		}
		if _, err := r.SitemapParts(ctx, 50000); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkColumnPagesOnSite reads every column's first list page and a
// deep one after each change, on an existing site, as a cold column page
// of the dynamic site and of an export's update does (the page model,
// not its HTML): NEWSDESK_BENCH_DATA=/tmp/site100k go test -run - -bench
// ColumnPagesOnSite ./internal/reader (skipped without the variable).
func BenchmarkColumnPagesOnSite(b *testing.B) {
	ctx, r := siteReader(b)
	st, err := r.Site(ctx)
	if err != nil {
		b.Fatal(err)
	}
	cols := st.Columns.All()
	for b.Loop() {
		for _, c := range cols {
			r.Invalidate()
			for _, page := range []int{1, 200} {
				if _, err := r.Column(ctx, reader.ColumnParams{Slug: c.Slug, Page: page}); err != nil {
					b.Fatal(c.Slug, page, err)
				}
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N*len(cols)*2), "µs/page")
}

// BenchmarkHomeOnSite builds the home page's model after each change, on
// an existing site, as a cold home page does: NEWSDESK_BENCH_DATA=DIR go
// test -run - -bench HomeOnSite ./internal/reader (skipped without the
// variable).
func BenchmarkHomeOnSite(b *testing.B) {
	ctx, r := siteReader(b)
	for b.Loop() {
		r.Invalidate()
		if h, err := r.Home(ctx); err != nil || len(h.Sections) == 0 {
			b.Fatal(len(h.Sections), err)
		}
	}
}

// BenchmarkSitemapPartOnSite writes the second part of the sitemap (the
// URLs of 50,000 articles) after each change, on an existing site, as a
// cold /sitemaps/2.xml does: NEWSDESK_BENCH_DATA=/tmp/site100k go test
// -run - -bench SitemapPartOnSite ./internal/reader (skipped without the
// variable).
func BenchmarkSitemapPartOnSite(b *testing.B) {
	ctx, r := siteReader(b)
	const per = feed.MaxSitemapURLs
	for b.Loop() {
		r.Invalidate()
		urls, err := r.SitemapURLs(ctx, per, per)
		if err != nil || len(urls) == 0 {
			b.Fatal(len(urls), err)
		}
		if _, err := feed.Sitemap(urls); err != nil {
			b.Fatal(err)
		}
	}
}

// siteReader opens the site NEWSDESK_BENCH_DATA names, read only by the
// benchmark, or skips it.
func siteReader(b *testing.B) (context.Context, *reader.Service) {
	data := os.Getenv("NEWSDESK_BENCH_DATA")
	if data == "" {
		b.Skip("NEWSDESK_BENCH_DATA names no site")
	}
	ctx := context.Background()
	db, err := sqlstore.OpenSQLite(ctx, filepath.Join(data, "newsdesk.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	return ctx, &reader.Service{Store: db, Settings: &site.Service{Store: db}}
}

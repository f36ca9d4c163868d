package reader_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"newsdesk/internal/reader"
	"newsdesk/internal/site"
	"newsdesk/internal/store/sqlstore"
)

// BenchmarkSitemapIndexOnSite plans the sitemap (its size and the parts'
// last changes, as the index does) after each change, on an existing site:
// NEWSDESK_BENCH_DATA=/tmp/scale/site1m go test -run - -bench SitemapIndexOnSite ./internal/reader
// (the site is opened, not written; skipped without the variable).
func BenchmarkSitemapIndexOnSite(b *testing.B) {
	data := os.Getenv("NEWSDESK_BENCH_DATA")
	if data == "" {
		b.Skip("NEWSDESK_BENCH_DATA names no site")
	}
	ctx := context.Background()
	db, err := sqlstore.OpenSQLite(ctx, filepath.Join(data, "newsdesk.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	r := &reader.Service{Store: db, Settings: &site.Service{Store: db}}
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

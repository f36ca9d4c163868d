package web_test

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// BenchmarkArticleColdRender renders the seed article page from the store
// on every iteration (the cache is purged first). Target: under 1 ms.
func BenchmarkArticleColdRender(b *testing.B) {
	benchPage(b, true, "/articles/1")
}

// BenchmarkArticleCached serves the seed article page from the page cache.
func BenchmarkArticleCached(b *testing.B) {
	benchPage(b, false, "/articles/1")
}

// BenchmarkHomeColdRender renders the home page from the store every time.
func BenchmarkHomeColdRender(b *testing.B) {
	benchPage(b, true, "/")
}

func benchPage(b *testing.B, cold bool, path string) {
	srv := site.app.Web
	req := httptest.NewRequest(http.MethodGet, path, nil)
	b.ReportAllocs()
	for b.Loop() {
		if cold {
			srv.Invalidate()
		}
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, req)
		if rec.Code != 200 {
			b.Fatalf("GET %s = %d", path, rec.Code)
		}
	}
}

// BenchmarkHomeCached serves the home page from the page cache.
func BenchmarkHomeCached(b *testing.B) {
	benchPage(b, false, "/")
}

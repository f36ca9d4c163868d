package api_test

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// BenchmarkCachedAnswers measures a cached JSON answer next to the cached
// HTML article page, in the same run (the reference), through the whole
// server: go test -run '^$' -bench CachedAnswers ./internal/web/api
func BenchmarkCachedAnswers(b *testing.B) {
	t := &testing.T{}
	a, _ := apiSite(t)
	res := site.call(t, "", "GET", "/api/v1/articles?per_page=1", nil)
	id := int64(res.json["articles"].([]any)[0].(map[string]any)["id"].(float64))
	for _, p := range []struct{ name, path string }{
		{"HTMLArticlePage", path("/articles/%d", id)},
		{"JSONArticle", path("/api/v1/articles/%d", id)},
		{"JSONList20", "/api/v1/articles"},
	} {
		b.Run(p.name, func(b *testing.B) {
			req := httptest.NewRequest("GET", p.path, nil)
			req.Header.Set("Accept-Encoding", "gzip")
			for b.Loop() {
				w := httptest.NewRecorder()
				a.Web.ServeHTTP(w, req)
				if w.Code != http.StatusOK {
					b.Fatalf("%s: %d", p.path, w.Code)
				}
				b.SetBytes(int64(w.Body.Len()))
			}
		})
	}
}

package api_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
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

// BenchmarkLiveCheckRoundTrip is the live editor's call over real HTTP
// (a token, JSON both ways): a 2,000- and a 20,000-character text against
// the demo site's rules, beside an authenticated desk read of one story
// (the reference): go test -run '^$' -bench LiveCheck ./internal/web/api
func BenchmarkLiveCheckRoundTrip(b *testing.B) {
	t := &testing.T{}
	apiSite(t)
	para := "2020年11月5日下午，研究生院举办导师培训会，既使下雨，会场仍座无虚席。示例敏感词出现在这里。"
	draft := site.newDraft(t, "contributor", "基准测试稿件")
	for _, c := range []struct {
		name   string
		method string
		path   string
		body   any
	}{
		{"Text2k", "POST", "/api/v1/desk/checks", map[string]any{"text": strings.Repeat(para, 2000/len([]rune(para)))}},
		{"Text20k", "POST", "/api/v1/desk/checks", map[string]any{"text": strings.Repeat(para, 20000/len([]rune(para)))}},
		{"ReferenceDeskGet", "GET", path("/api/v1/desk/articles/%d", draft.num("id")), nil},
	} {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				if res := site.call(t, "contributor", c.method, c.path, c.body); res.status != http.StatusOK {
					b.Fatalf("%s: %d %s", c.path, res.status, res.raw)
				}
			}
		})
	}
}

package api_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestContentArticleCarriesWhatAnAppNeeds reads a published story with
// photos: absolute URLs, the site's offset, credits, figures with variants.
func TestContentArticleCarriesWhatAnAppNeeds(t *testing.T) {
	a, _ := apiSite(t)
	ctx := context.Background()
	list := call(t, "", "GET", "/api/v1/articles?per_page=100", nil)
	var id, lead int64
	for _, x := range list.json["articles"].([]any) {
		m := x.(map[string]any)
		if m["lead_image"] != nil {
			id = int64(m["id"].(float64))
			lead = int64(m["lead_image"].(map[string]any)["id"].(float64))
			break
		}
	}
	if id == 0 {
		t.Fatal("no published story with a lead image in the demo")
	}
	if err := a.Media.MakeVariants(ctx, lead); err != nil {
		t.Fatal(err)
	}
	res := call(t, "", "GET", path("/api/v1/articles/%d", id), nil)
	if res.status != 200 {
		t.Fatalf("%d %s", res.status, res.raw)
	}
	ar, err := a.Store.Article(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	j := res.json
	st, _ := a.Site.Settings(ctx)
	if j["url"] != st.BaseURL+path("/articles/%d", id) || j["title"] != ar.Title || j["summary"] != ar.Summary {
		t.Errorf("url %v title %v summary %v", j["url"], j["title"], j["summary"])
	}
	pub, err := time.Parse(time.RFC3339, j["published_at"].(string))
	if err != nil || !pub.Equal(ar.PublishedAt) || !strings.HasSuffix(j["published_at"].(string), "+08:00") {
		t.Errorf("published_at %v (stored %v): not RFC 3339 in the site's offset", j["published_at"], ar.PublishedAt)
	}
	body := j["body_html"].(string)
	if strings.Contains(body, `src="/`) || !strings.Contains(body, `src="`+st.BaseURL+`/media/`) {
		t.Errorf("body keeps site-relative photo addresses: %.300s", body)
	}
	col := j["column"].(map[string]any)
	if int64(col["id"].(float64)) != ar.ColumnID || !strings.HasPrefix(col["url"].(string), st.BaseURL+"/columns/") {
		t.Errorf("column %v", col)
	}
	cr := j["credits"].(map[string]any)
	if len(ar.Credits.Writers) > 0 && cr["writers"].([]any)[0] != ar.Credits.Writers[0] {
		t.Errorf("credits %v, stored %+v", cr, ar.Credits)
	}
	img := j["lead_image"].(map[string]any)
	vs := img["variants"].([]any)
	if len(vs) == 0 {
		t.Fatalf("lead image without variants: %v", img)
	}
	v := vs[0].(map[string]any)
	if !strings.HasPrefix(v["url"].(string), st.BaseURL+"/media/v/") || v["width"].(float64) <= 0 || v["format"] == "" {
		t.Errorf("variant %v", v)
	}
	if figs := j["figures"].([]any); len(figs) == 0 {
		t.Error("no figures for a story with photos")
	}
	if _, ok := j["views"].(float64); !ok {
		t.Error("no view count")
	}
	// Reading the article through the API is a view, cached or not.
	before := a.Views.Pending(id)
	call(t, "", "GET", path("/api/v1/articles/%d", id), nil)
	call(t, "", "GET", path("/api/v1/articles/%d", id), nil)
	if got := a.Views.Pending(id); got != before+2 {
		t.Errorf("views pending after two reads: %d, want %d", got, before+2)
	}

	// Lists are newest first, published only, and honour from/to.
	day := pub.Format("2006-01-02")
	res = call(t, "", "GET", "/api/v1/articles?from="+day+"&to="+day, nil)
	found := false
	for _, x := range res.json["articles"].([]any) {
		m := x.(map[string]any)
		got, _ := time.Parse(time.RFC3339, m["published_at"].(string))
		if got.In(st.TimeZone).Format("2006-01-02") != day {
			t.Errorf("story of %v in the list for %s", got, day)
		}
		found = found || int64(m["id"].(float64)) == id
		if _, ok := m["body_html"]; ok {
			t.Error("lists carry bodies")
		}
	}
	if !found {
		t.Errorf("story %d missing from its day's list", id)
	}
}

// TestContentAPIIsCachedWithETagAndCORS: the second read is a 304, a
// change purges it, and only configured origins get CORS headers.
func TestContentAPIIsCachedWithETagAndCORS(t *testing.T) {
	first := call(t, "", "GET", "/api/v1/columns", nil, "Origin", "https://app.example.edu.cn")
	etag := first.header.Get("ETag")
	if first.status != 200 || etag == "" {
		t.Fatalf("first read: %d, ETag %q", first.status, etag)
	}
	if got := first.header.Get("Access-Control-Allow-Origin"); got != "https://app.example.edu.cn" {
		t.Errorf("CORS origin %q", got)
	}
	if !strings.Contains(first.header.Get("Vary"), "Origin") {
		t.Errorf("Vary %q lacks Origin", first.header.Get("Vary"))
	}
	again := call(t, "", "GET", "/api/v1/columns", nil, "If-None-Match", etag)
	if again.status != http.StatusNotModified {
		t.Errorf("revalidation: %d", again.status)
	}
	if other := call(t, "", "GET", "/api/v1/columns", nil, "Origin", "https://evil.example"); other.header.Get("Access-Control-Allow-Origin") != "" {
		t.Error("an origin not configured got CORS access")
	}
	pre := call(t, "", "OPTIONS", "/api/v1/articles", nil, "Origin", "https://app.example.edu.cn", "Access-Control-Request-Method", "GET")
	if pre.status != http.StatusNoContent || !strings.Contains(pre.header.Get("Access-Control-Allow-Methods"), "GET") {
		t.Errorf("preflight: %d %v", pre.status, pre.header)
	}
	// Publishing purges the cache: the list changes at once.
	before := call(t, "", "GET", "/api/v1/articles", nil)
	id := newDraft(t, "editor", "缓存清除测试稿件").num("id")
	call(t, "editor", "POST", path("/api/v1/desk/articles/%d/transitions", id), map[string]any{"action": "publish", "version": 1})
	after := call(t, "", "GET", "/api/v1/articles", nil, "If-None-Match", before.header.Get("ETag"))
	if after.status != 200 || int64(after.json["articles"].([]any)[0].(map[string]any)["id"].(float64)) != id {
		t.Errorf("after publishing: %d, newest is not the new story", after.status)
	}
}

package api_test

import (
	"context"
	"fmt"
	"net/url"
	"testing"
	"time"

	"newsdesk/internal/store"
)

// The desk API's list is the story list's query: following next visits
// every story the filters select once, in the store's order, and prev
// comes back; the filters are the desk's.
func TestDeskListPagesByKey(t *testing.T) {
	a, _ := apiSite(t)
	ctx := context.Background()
	tz, _ := time.LoadLocation("Asia/Shanghai")
	for _, c := range []struct {
		query string
		want  store.ListQuery
	}{
		{"sort=updated", store.ListQuery{ByUpdate: true}},
		{"state=published&has_photos=true", store.ListQuery{Status: "published", HasPhotos: true}},
		{"sort=published&from=2020-01-01&to=2100-12-31", store.ListQuery{From: time.Date(2020, 1, 1, 0, 0, 0, 0, tz), To: time.Date(2101, 1, 1, 0, 0, 0, 0, tz)}},
	} {
		want, err := a.Store.CountArticles(ctx, c.want)
		if err != nil {
			t.Fatal(err)
		}
		seen := map[float64]bool{}
		var pages []answer
		next := ""
		for range 100 {
			res := call(t, "editor", "GET", "/api/v1/desk/articles?per_page=7&"+c.query+next, nil)
			if res.status != 200 {
				t.Fatalf("%s: %d %s", c.query, res.status, res.raw)
			}
			if res.num("total") != int64(want) {
				t.Fatalf("%s: total %d, want %d", c.query, res.num("total"), want)
			}
			for _, x := range res.json["articles"].([]any) {
				id := x.(map[string]any)["id"].(float64)
				if seen[id] {
					t.Fatalf("%s: story %v twice", c.query, id)
				}
				seen[id] = true
			}
			pages = append(pages, res)
			key, _ := res.json["next"].(string)
			if key == "" {
				break
			}
			next = "&after=" + url.QueryEscape(key)
		}
		if len(seen) != want || want == 0 {
			t.Fatalf("%s: %d stories seen, want %d", c.query, len(seen), want)
		}
		if len(pages) > 2 {
			prev, _ := pages[2].json["prev"].(string)
			back := call(t, "editor", "GET", "/api/v1/desk/articles?per_page=7&"+c.query+"&before="+url.QueryEscape(prev), nil)
			if fmt.Sprint(back.json["articles"]) != fmt.Sprint(pages[1].json["articles"]) {
				t.Errorf("%s: prev of page 3 is not page 2", c.query)
			}
		}
		if _, ok := pages[0].json["prev"]; ok {
			t.Errorf("%s: the first page has a prev", c.query)
		}
	}
	for _, bad := range []string{"page=2", "sort=sideways", "has_photos=maybe", "from=yesterday", "after=12", "before=x-1"} {
		if res := call(t, "editor", "GET", "/api/v1/desk/articles?"+bad, nil); res.status != 400 || res.errCode() != "bad_parameter" {
			t.Errorf("%s: %d %s", bad, res.status, res.errCode())
		}
	}
}

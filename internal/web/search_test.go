package web_test

import (
	"context"
	"encoding/xml"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"newsdesk/internal/article"
	"newsdesk/internal/demo"
)

func searchDoc(t *testing.T, params string) *goquery.Document {
	t.Helper()
	return doc(t, "/search?"+params)
}

func firstResult(t *testing.T, q string) string {
	t.Helper()
	d := searchDoc(t, "q="+url.QueryEscape(q))
	return d.Find(".results li .title").First().Text()
}

func TestSearchFindsSeedArticleFirst(t *testing.T) {
	for _, q := range []string{"疫情", "李蕊", "党支部书记培训", "黨支部書記", "启邦", "孝感 防护服"} {
		if got := firstResult(t, q); got != demo.SeedTitle {
			t.Errorf("first result for %q = %q", q, got)
		}
	}
}

func TestSearchPageHighlightsAndEscapes(t *testing.T) {
	d := searchDoc(t, "q="+url.QueryEscape("李蕊"))
	if d.Find(".results li").Length() == 0 {
		t.Fatal("no results")
	}
	if got := d.Find(".results li").First().Find(".summary mark").First().Text(); got != "李蕊" {
		t.Errorf("snippet highlight = %q", got)
	}
	if v, _ := d.Find(`#q`).Attr("value"); v != "李蕊" {
		t.Errorf("header search box keeps the query: %q", v)
	}
	res := get(t, "/search?q="+url.QueryEscape(`<script>alert(1)</script>疫情`))
	b := body(t, res)
	if res.StatusCode != 200 || strings.Contains(b, "<script>alert(1)") {
		t.Errorf("script query: %d, unescaped=%v", res.StatusCode, strings.Contains(b, "<script>alert(1)"))
	}
}

func TestSearchOddQueriesGiveClearPages(t *testing.T) {
	tests := []struct{ params, want string }{
		{"q=", "请输入要搜索的词语"},
		{"", "请输入要搜索的词语"},
		{"q=" + url.QueryEscape("!!! ???"), "没有可以搜索的文字"},
		{"q=" + strings.Repeat("%E7%96%AB", 2000), "搜索词太长"},
		{"q=" + url.QueryEscape("不存在的词语组合甲乙丙"), "没有找到相关文章"},
		{"q=" + url.QueryEscape("疫情") + "&from=2020-13-45", "无法识别"},
		{"q=" + url.QueryEscape("疫情") + "&column=nope", "没有这个栏目"},
		{"q=" + url.QueryEscape("疫情") + "&lang=en", "articles found"},
	}
	for _, tc := range tests {
		res := get(t, "/search?"+tc.params)
		b := body(t, res)
		if res.StatusCode != 200 || !strings.Contains(b, tc.want) {
			t.Errorf("/search?%.40s: %d, want %q on the page", tc.params, res.StatusCode, tc.want)
		}
	}
	if res := get(t, "/search?q=%E7%96%AB%E6%83%85&page=999"); res.StatusCode != 404 {
		t.Errorf("page out of range = %d, want 404", res.StatusCode)
	}
}

func TestSearchFilters(t *testing.T) {
	all := searchDoc(t, "q="+url.QueryEscape("疫情")).Find(".results li").Length()
	inColumn := searchDoc(t, "q="+url.QueryEscape("疫情")+"&column=media")
	if inColumn.Find(".results li").Length() == 0 || inColumn.Find(".results li").Length() > all {
		t.Errorf("column filter: %d of %d", inColumn.Find(".results li").Length(), all)
	}
	dated := searchDoc(t, "q="+url.QueryEscape("李蕊")+"&from=2020-11-05&to=2020-11-05")
	if got := dated.Find(".results li .title").First().Text(); got != demo.SeedTitle {
		t.Errorf("date filter on the seed's day: %q", got)
	}
	none := searchDoc(t, "q="+url.QueryEscape("李蕊")+"&from=2021-01-01")
	if none.Find(".results li").Length() != 0 {
		t.Error("date filter after the seed's day still finds it")
	}
	byDate := searchDoc(t, "q="+url.QueryEscape("学院")+"&sort=date")
	var dates []string
	byDate.Find(".results li time").Each(func(_ int, s *goquery.Selection) { dates = append(dates, s.Text()) })
	for i := 1; i < len(dates); i++ {
		if dates[i] > dates[i-1] {
			t.Fatalf("sort=date not newest first: %v", dates)
		}
	}
}

func TestOpenSearchDescription(t *testing.T) {
	var d struct {
		ShortName string `xml:"ShortName"`
		URLs      []struct {
			Type     string `xml:"type,attr"`
			Template string `xml:"template,attr"`
		} `xml:"Url"`
	}
	if err := xml.Unmarshal([]byte(body(t, get(t, "/opensearch.xml"))), &d); err != nil {
		t.Fatal(err)
	}
	if d.ShortName == "" || len(d.URLs) == 0 || !strings.Contains(d.URLs[0].Template, "/search?q={searchTerms}") {
		t.Fatalf("opensearch = %+v", d)
	}
	if _, ok := doc(t, "/").Find(`link[rel="search"]`).Attr("href"); !ok {
		t.Error("no OpenSearch link on the home page")
	}
}

// TestSearchFollowsEdits edits (a working copy, approved), withdraws and
// republishes an article and searches right after each change.
func TestSearchFollowsEdits(t *testing.T) {
	ctx := context.Background()
	a, err := site.app.Store.Article(ctx, seedID(t))
	if err != nil {
		t.Fatal(err)
	}
	orig := a.Title
	a.Title = orig + "暨独一无二的检验词"
	if err := site.app.Articles.Update(ctx, editorActor(t, site.app), &a); err != nil {
		t.Fatal(err)
	}
	if a, err = site.app.Articles.ApproveRevision(ctx, editorActor(t, site.app), a.ID, a.Version, ""); err != nil {
		t.Fatal(err)
	}
	if got := firstResult(t, "独一无二的检验词"); got != a.Title {
		t.Errorf("after edit: first result %q", got)
	}
	w := transition(t, site.app, a.ID, a.Version, article.ActionWithdraw)
	if got := firstResult(t, "独一无二的检验词"); got != "" {
		t.Errorf("withdrawn article still found: %q", got)
	}
	p := transition(t, site.app, a.ID, w.Version, article.ActionPublish)
	p.Title = orig
	if err := site.app.Articles.Update(ctx, editorActor(t, site.app), &p); err != nil {
		t.Fatal(err)
	}
	if got := firstResult(t, "独一无二的检验词"); got == "" {
		t.Error("a published story's working copy changed what search finds")
	}
	if _, err := site.app.Articles.ApproveRevision(ctx, editorActor(t, site.app), p.ID, p.Version, ""); err != nil {
		t.Fatal(err)
	}
	if got := firstResult(t, "独一无二的检验词"); got != "" {
		t.Errorf("old title still found: %q", got)
	}
	if got := firstResult(t, "李蕊"); got != orig {
		t.Errorf("republished article: first result %q", got)
	}
}

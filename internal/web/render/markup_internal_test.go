package render

import (
	"html/template"
	"strings"
	"testing"
	"time"

	"newsdesk/internal/i18n"
	"newsdesk/internal/model"
	"newsdesk/internal/reader"
	"newsdesk/internal/site"
)

// Markup written in Go escapes text and attribute values to the byte as
// html/template does, so a part moved out of a template reads the same.
func TestMarkupEscapesAsHTMLTemplate(t *testing.T) {
	tpl := template.Must(template.New("").Parse(`<p title="{{.}}">{{.}}</p>`))
	for _, s := range []string{`C++ & "引号" <b>'x'</b>`, "a\x00b", "纯文本", ""} {
		var want strings.Builder
		if err := tpl.Execute(&want, s); err != nil {
			t.Fatal(err)
		}
		m := newMarkup(0)
		m.raw(`<p title="`)
		m.text(s)
		m.raw(`">`)
		m.text(s)
		m.raw("</p>")
		if m.String() != want.String() {
			t.Errorf("escaped %q as %s, html/template as %s", s, m.String(), want.String())
		}
	}
}

// A URL written in Go is filtered, normalised and escaped as
// html/template does with an href.
func TestMarkupURLsAsHTMLTemplate(t *testing.T) {
	tpl := template.Must(template.New("").Parse(`<a href="{{.}}">`))
	for _, s := range []string{"/articles/1", "javascript:alert(1)", "JavaScript:x", "/搜索 新闻?q=a b&c=+1", `/x"y'<z>%41`, "http://127.0.0.1/a?b=1&c=2#d", "mailto:a@b", "/a:b/c"} {
		var want strings.Builder
		if err := tpl.Execute(&want, s); err != nil {
			t.Fatal(err)
		}
		m := newMarkup(0)
		m.raw(`<a href="`)
		m.url(s)
		m.raw(`">`)
		if m.String() != want.String() {
			t.Errorf("url %q written as %s, html/template as %s", s, m.String(), want.String())
		}
	}
}

// The article's content shows what the story has and nothing it lacks,
// in the reader's language, with every value escaped.
func TestArticleContentShowsTheStoryEscaped(t *testing.T) {
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	rd := &Renderer{cat: cat}
	at := time.Date(2026, 8, 8, 9, 15, 0, 0, time.UTC)
	hostile := `<script>alert(1)</script>`
	d := ArticlePage{Article: reader.Article{
		Card: reader.Card{ID: 7, URL: "/articles/7", Title: "标题" + hostile, Summary: "摘要 & 导语", PublishedAt: at, Views: 42,
			Credits: model.Credits{Unit: "校团委"}},
		Path:    []model.Column{{ID: 1, Slug: "news", Name: "综合新闻"}},
		Next:    &reader.Card{URL: "/articles/8", Title: `下一篇 "8"`},
		Related: []reader.Card{{URL: "/articles/3", Title: "相关" + hostile, PublishedAt: at}},
	}, Body: "<p>正文</p>", Lines: []CreditLine{{Label: "文字", Value: "康梅婧"}}}
	v := &View{Lang: i18n.ZH, cat: cat, Site: site.Settings{TimeZone: time.FixedZone("CST", 8*3600)}, Data: d}
	h, err := written(rd.writeArticle, v)
	if err != nil {
		t.Fatal(err)
	}
	got := string(h)
	for _, want := range []string{
		`<nav class="breadcrumb" aria-label="当前位置"><a href="/">首页</a> › <a href="/columns/news">综合新闻</a></nav>`,
		"<h1>标题&lt;script&gt;alert(1)&lt;/script&gt;</h1>",
		`<span class="date">日期：<time datetime="2026-08-08T09:15:00Z">2026-08-08</time></span>`,
		"<span>供稿单位：<span>校团委</span></span>",
		`<span class="views">浏览次数：42</span>`,
		`<p>摘要 &amp; 导语</p></section>`,
		`<div class="body"><p>正文</p></div>`,
		`<footer class="credits"><p><span class="label">文字：</span><span>康梅婧</span></p></footer>`,
		"<p><span>上一篇：</span>没有了</p>",
		`<a rel="next" href="/articles/8">下一篇 &#34;8&#34;</a>`,
		`<a class="title" href="/articles/3">相关&lt;script&gt;`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("content lacks %q:\n%s", want, got)
		}
	}
	for _, absent := range []string{"<script>", `class="kicker"`, `class="subtitle"`, `class="revised"`, `class="correction"`} {
		if strings.Contains(got, absent) {
			t.Errorf("content has %q:\n%s", absent, got)
		}
	}

	d.Kicker, d.Correction, d.RevisedAt, d.Related = "引题", "更正说明", at.Add(time.Hour), nil
	v.Lang, v.Data = i18n.EN, d
	h, err = written(rd.writeArticle, v)
	if err != nil {
		t.Fatal(err)
	}
	got = string(h)
	for _, want := range []string{`<p class="kicker" lang="zh-CN">引题</p>`, `<h1 lang="zh-CN">`, `<span class="revised">`, `<p lang="zh-CN">更正说明</p></aside>`, "Previous"} {
		if !strings.Contains(got, want) {
			t.Errorf("English content lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, `class="related"`) {
		t.Errorf("a story without related ones lists some:\n%s", got)
	}
}

// A card shows its summary, column and thumbnail only when its list asks.
func TestCardsShowWhatTheirListAsks(t *testing.T) {
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	v := &View{Lang: i18n.ZH, cat: cat, Site: site.Settings{TimeZone: time.UTC}}
	c := reader.Card{URL: "/articles/1", Title: "一", Summary: "导语", Column: model.Column{Name: "综合新闻"},
		Lead: &reader.Image{URL: "/media/1/a.jpg", Width: 800, Height: 600, Alt: "图"}}
	bare, full := newMarkup(0), newMarkup(0)
	writeCards(&bare, v, cardsOf{}, []reader.Card{c})
	writeCards(&full, v, cardsOf{images: true, summaries: true, columns: true}, []reader.Card{c})
	if s := bare.String(); strings.Contains(s, "summary") || strings.Contains(s, "综合新闻") || strings.Contains(s, "<img") {
		t.Errorf("a bare card shows more than its title and date:\n%s", s)
	}
	for _, want := range []string{`<a class="thumb" href="/articles/1" tabindex="-1" aria-hidden="true"><img src="/media/1/a.jpg" alt=""`, `<p class="summary">导语</p>`, ` · <span>综合新闻</span>`} {
		if !strings.Contains(full.String(), want) {
			t.Errorf("a full card lacks %q:\n%s", want, full.String())
		}
	}
}

// The pager written in Go for the public lists is the partial the desk's
// lists and search use, to the byte, at either end, in the middle, with
// a page's dates in place of its number, and alone (nothing).
func TestPagerAsItsPartial(t *testing.T) {
	rd, cat := testRenderer(t)
	for _, lang := range []string{i18n.ZH, i18n.EN} {
		v := &View{Lang: lang, cat: cat, Site: site.Settings{TimeZone: time.UTC}}
		for _, tc := range []struct {
			p    reader.Pager
			span string
		}{
			{reader.Pager{Page: 1, Pages: 1}, ""},
			{reader.Pager{Page: 1, Pages: 3, Next: "/columns/news?page=2"}, ""},
			{reader.Pager{Page: 2, Pages: 3, Prev: "/columns/news", Next: `/搜索?q=a b&page=3"`}, ""},
			{reader.Pager{Page: 3, Pages: 3, Prev: "/columns/news?page=2"}, "2026-08-11 至 2026-08-13"},
		} {
			var want strings.Builder
			if err := rd.pages["search"].ExecuteTemplate(&want, "pager", map[string]any{"V": v, "P": tc.p, "Span": tc.span}); err != nil {
				t.Fatal(err)
			}
			m := newMarkup(0)
			writePager(&m, v, tc.p, tc.span)
			if m.String() != want.String() {
				t.Errorf("%s pager %+v written as\n%s\nthe partial as\n%s", lang, tc.p, m.String(), want.String())
			}
		}
	}
}

// A list page shows its column, sub-columns, cards and archive, or a
// slot's heading, the count on a first page and the dates past it, and
// escapes every value.
func TestListContentShowsTheList(t *testing.T) {
	rd, cat := testRenderer(t)
	hostile := `<script>alert(1)</script>`
	at := time.Date(2026, 8, 11, 9, 0, 0, 0, time.UTC)
	col := model.Column{ID: 1, Slug: "news", Name: "综合新闻" + hostile}
	d := ListPage{Heading: col.Name, Count: 45, Column: &col, Children: []model.Column{{Slug: "news-sub", Name: "院系 & 部门"}},
		Articles: []reader.Card{{URL: "/articles/9", Title: "标题" + hostile, Summary: "导语", PublishedAt: at, Column: model.Column{Name: "综合新闻"}}},
		Pager:    reader.Pager{Page: 1, Pages: 2, Next: "/columns/news?page=1", From: at, To: at.Add(48 * time.Hour)},
		Archive:  []reader.ArchiveYear{{Year: 2026, Count: 45, URL: "/columns/news/2026"}}, FeedURL: "/columns/news/rss.xml"}
	v := &View{Lang: i18n.ZH, cat: cat, Site: site.Settings{TimeZone: time.UTC}, Data: d}
	h, err := written(rd.writeList, v)
	if err != nil {
		t.Fatal(err)
	}
	got := string(h)
	for _, want := range []string{
		`<nav class="breadcrumb" aria-label="当前位置"><a href="/">首页</a> › <a href="/columns/news">综合新闻&lt;script&gt;`,
		"<small>共 45 篇</small></h1>",
		`<nav class="subcolumns" aria-label="`, `<a href="/columns/news-sub">院系 &amp; 部门</a></nav>`,
		`<ul class="cards">`, `<a class="title" href="/articles/9">标题&lt;script&gt;`, `<p class="summary">导语</p>`,
		`<a rel="next" href="/columns/news?page=1">`, "<span>2026-08-11 至 2026-08-13</span>",
		`href="/columns/news/2026"`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("list lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "<script>") || strings.Contains(got, " · <span>") {
		t.Errorf("list has a script, or cards naming their column in a column's own list:\n%s", got)
	}

	// Past the first page, the heading shows the page's dates; a slot's
	// list, empty here, has no column link, no archive and shows images.
	d.Deep = true
	v.Data = d
	if h, _ = written(rd.writeList, v); !strings.Contains(string(h), "<small>2026-08-11 至 2026-08-13</small>") {
		t.Errorf("a deep page's heading lacks its dates:\n%s", h)
	}
	v.Lang, v.Data = i18n.EN, ListPage{Heading: "Focus", ShowImages: true, Pager: reader.Pager{Page: 1, Pages: 1}}
	h, _ = written(rd.writeList, v)
	got = string(h)
	for _, want := range []string{"</a> › Focus</nav>", `<h1><span>Focus</span>`, `<p class="empty">`} {
		if !strings.Contains(got, want) {
			t.Errorf("empty slot list lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, `class="pager"`) || strings.Contains(got, `class="archive`) {
		t.Errorf("a one-page slot list has a pager or an archive:\n%s", got)
	}
}

// testRenderer is a Renderer of every template, and its catalogue.
func testRenderer(t *testing.T) (*Renderer, *i18n.Catalog) {
	t.Helper()
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	rd, err := New(Options{Catalog: cat, Funcs: template.FuncMap{"campus": func() []string { return nil }}})
	if err != nil {
		t.Fatal(err)
	}
	return rd, cat
}

// written is what write writes for v, as a page's content.
func written(write func(*markup, *View) error, v *View) (string, error) {
	m := newMarkup(0)
	err := write(&m, v)
	return m.String(), err
}

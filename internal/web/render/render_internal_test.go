package render

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"newsdesk/internal/column"
	"newsdesk/internal/i18n"
	"newsdesk/internal/reader"
	"newsdesk/internal/search"
	"newsdesk/internal/site"
	"newsdesk/internal/web/pagecache"
)

// Search gives positions; rendering escapes the text and marks them.
func TestHighlightEscapesAndMarksMatchedSpans(t *testing.T) {
	for _, tc := range []struct{ text, query, want string }{
		{`<b>黨支部</b> & 党支部`, "党支部", `&lt;b&gt;<mark>黨支部</mark>&lt;/b&gt; &amp; <mark>党支部</mark>`},
		{"疫情防控", "疫情 防控", "<mark>疫情防控</mark>"},
		{"ＡＢＣ 与 abc", "abc", "<mark>ＡＢＣ</mark> 与 <mark>abc</mark>"},
		{`"引号"`, "无关", `&#34;引号&#34;`},
	} {
		if got := string(Highlight(tc.text, search.Matches(tc.text, search.Words(tc.query)))); got != tc.want {
			t.Errorf("highlight(%q, %q) = %s\nwant %s", tc.text, tc.query, got, tc.want)
		}
	}
	// Spans past the text's end (a stale index) are ignored, not a panic.
	if got := string(Highlight("短", []search.Span{{Start: 0, End: 5}})); got != "<mark>短</mark>" {
		t.Errorf("span past the end: %s", got)
	}
}

// A checkout built without scripts/editor.sh has no editor bundle: the
// story page then asks for none and desk.js's fallback editor runs; with
// it, the page marks the body for the bundle.
func TestEditorBundleOnlyWhenEmbedded(t *testing.T) {
	for _, tc := range []struct {
		files fstest.MapFS
		want  bool
	}{
		{fstest.MapFS{"static/desk.js": {Data: []byte("//")}}, false},
		{fstest.MapFS{"static/desk.js": {Data: []byte("//")}, "static/" + editorBundle: {Data: []byte("//")}}, true},
	} {
		st, err := loadStatic(tc.files)
		if err != nil {
			t.Fatal(err)
		}
		if st.editor != tc.want {
			t.Errorf("files %v: editor bundle found = %v, want %v", tc.files, st.editor, tc.want)
		}
	}
	attrs, err := assets.ReadFile("templates/partials/editor_attrs.html")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(attrs), `{{- if editorBundle}} data-editor="bundle"`) {
		t.Error(`the editor's attributes do not mark the body data-editor="bundle" only under {{if editorBundle}}`)
	}
	// The story page and the editor pages' page edit with the same editor.
	for _, name := range []string{"templates/desk/article.html", "templates/desk/page.html"} {
		page, err := assets.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(page), `{{if editorBundle}}<script src="{{static "`+editorBundle+`"}}"`) || !strings.Contains(string(page), `data-wysiwyg {{template "editor_attrs" .}}`) {
			t.Errorf(`%s does not ask for the bundle only under {{if editorBundle}}, or has no editor attributes`, name)
		}
	}
}

// A page requested for a static export (pagecache.Rendered with Into) is
// rendered into the exporter's buffer and handed over without a copy;
// the same page asked for otherwise is its own copy, with the same bytes.
func TestExecuteRendersIntoTheCallersBuffer(t *testing.T) {
	rd, _ := testRenderer(t)
	into := bytes.NewBufferString("stale bytes of the page before")
	ctx := pagecache.WithRendered(context.Background(), &pagecache.Rendered{Into: into})
	st := site.Settings{Name: "东岳大学新闻网", TimeZone: time.UTC}
	list := ListPage{Heading: "主页焦点", Pager: reader.Pager{Page: 1, Pages: 1}}
	page := func(r *http.Request) pagecache.Page {
		t.Helper()
		v := rd.Base(r, i18n.ZH, column.NewTree(nil), st)
		v.Data = list
		p, err := rd.Execute("list", v)
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	own := page(httptest.NewRequest(http.MethodGet, "/focus", nil))
	got := page(httptest.NewRequest(http.MethodGet, "/focus", nil).WithContext(ctx))
	if !bytes.Equal(got.Body, own.Body) || !bytes.Contains(got.Body, []byte("主页焦点")) {
		t.Fatalf("the page rendered into the buffer differs from the one served:\n%s\nwant\n%s", got.Body, own.Body)
	}
	if &got.Body[0] != &into.Bytes()[0] {
		t.Error("the page rendered for an export was copied out of its buffer")
	}
	if &own.Body[0] == &into.Bytes()[0] {
		t.Error("a page not asked for into a buffer shares the export's")
	}
}

// A renderer of the public site only (a static export's) renders the
// public pages as any other and answers a desk page with an error.
func TestPublicOnlyRendererHasNoDeskPages(t *testing.T) {
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	rd, err := New(Options{Catalog: cat, PublicOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	v := &View{Lang: i18n.ZH, cat: cat, Site: site.Settings{Name: "东岳大学新闻网", TimeZone: time.UTC}, Data: ListPage{Heading: "主页推荐", Pager: reader.Pager{Page: 1, Pages: 1}}}
	if p, err := rd.Execute("list", v); err != nil || !bytes.Contains(p.Body, []byte("主页推荐")) {
		t.Errorf("public list: %v\n%s", err, p.Body)
	}
	if _, err := rd.Execute("desk_home", v); err == nil || !strings.Contains(err.Error(), "desk_home") {
		t.Errorf("desk page of a public-only renderer: %v, want an error naming it", err)
	}
	if _, ok := rd.pages["desk_home"]; ok {
		t.Error("the desk's templates were parsed")
	}
}

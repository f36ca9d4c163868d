package web_test

import (
	"context"
	"testing"

	"newsdesk/internal/model"
	"newsdesk/internal/reader"
)

// TestEveryURLTheReaderBuildsIsServed follows the addresses the reader
// puts into its page models — one of each kind — and expects each to be a
// page: the URL builders and the routes must agree.
func TestEveryURLTheReaderBuildsIsServed(t *testing.T) {
	ctx := context.Background()
	r := site.app.Web.Reader
	urls := map[string]string{}
	add := func(kind, u string) {
		if u != "" && urls[kind] == "" {
			urls[kind] = u
		}
	}
	h, err := r.Home(ctx)
	if err != nil {
		t.Fatal(err)
	}
	add("home", reader.HomeURL)
	add("focus article", h.Focus[0].URL)
	add("section", h.Sections[0].URL)
	col, err := r.Column(ctx, reader.ColumnParams{Slug: h.Sections[0].Column.Slug})
	if err != nil {
		t.Fatal(err)
	}
	add("column next page", col.Pager.Next)
	add("column rss", col.RSS)
	add("column atom", col.Atom)
	add("year archive", col.Archive[0].URL)
	add("month archive", col.Archive[0].Months[0].URL)
	a, err := r.Article(ctx, col.Articles[1].ID)
	if err != nil {
		t.Fatal(err)
	}
	add("article", a.URL)
	if a.Prev != nil {
		add("prev", a.Prev.URL)
	}
	if a.Next != nil {
		add("next", a.Next.URL)
	}
	for _, slot := range []string{model.SlotFocus, model.SlotRecommended} {
		add(slot, reader.SlotURL(slot, 1))
	}
	rec, err := r.Slot(ctx, model.SlotRecommended, 1)
	if err != nil {
		t.Fatal(err)
	}
	add("slot next page", rec.Pager.Next)
	m, err := r.SiteMap(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range m.Pages {
		add("page "+p.Slug, p.URL)
	}
	add("sub-column", m.Columns[0].Children[0].URL)
	d, err := r.FeedDirectory(ctx)
	if err != nil {
		t.Fatal(err)
	}
	add("site rss", d.RSS)
	add("site atom", d.Atom)
	for _, u := range []string{reader.SitemapURL, reader.SitemapXMLURL, reader.RobotsURL, reader.FeedsURL, reader.SubmitURL, reader.OpenSearchURL, reader.HelpURL} {
		add(u, u)
	}
	s, err := r.Search(ctx, reader.SearchParams{Query: "学院", Column: h.Sections[0].Column.Slug, Page: 1})
	if err != nil {
		t.Fatal(err)
	}
	add("search next page", s.Pager.Next)
	if len(urls) < 25 {
		t.Errorf("only %d kinds of address found: %v", len(urls), urls)
	}
	for kind, u := range urls {
		if res := get(t, u); res.StatusCode != 200 {
			t.Errorf("%s %s = %d", kind, u, res.StatusCode)
		}
	}
}

package web_test

import (
	"context"
	"encoding/xml"
	"strings"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"

	"newsdesk/internal/model"
	"newsdesk/internal/store"
	"newsdesk/internal/web"
)

// TestFeedsMatchStore reads every feed with a real feed parser and compares
// it with the newest published articles in the store.
func TestFeedsMatchStore(t *testing.T) {
	ctx := context.Background()
	cols, _ := site.app.Store.Columns(ctx)
	type feedCase struct {
		path string
		ids  []int64
	}
	cases := []feedCase{{"/rss.xml", nil}, {"/atom.xml", nil}}
	for _, c := range cols {
		ids := []int64{c.ID}
		for _, d := range cols {
			if d.ParentID == c.ID {
				ids = append(ids, d.ID)
			}
		}
		cases = append(cases, feedCase{"/columns/" + c.Slug + "/rss.xml", ids}, feedCase{"/columns/" + c.Slug + "/atom.xml", ids})
	}
	parser := gofeed.NewParser()
	for _, fc := range cases {
		t.Run(fc.path, func(t *testing.T) {
			want, _, err := site.app.Store.Articles(ctx, store.ArticleQuery{ColumnIDs: fc.ids, Status: model.StatusPublished, PublishedBy: time.Now(), Limit: 20})
			if err != nil {
				t.Fatal(err)
			}
			f, err := parser.ParseString(body(t, get(t, fc.path)))
			if err != nil {
				t.Fatalf("parse: %v", err)
			}
			if len(f.Items) != len(want) || len(want) == 0 {
				t.Fatalf("%d items, want %d", len(f.Items), len(want))
			}
			for i, it := range f.Items {
				a := want[i]
				if it.Title != a.Title || !strings.HasSuffix(it.Link, "/articles/"+itoa(a.ID)) || it.GUID == "" {
					t.Errorf("item %d = %q %s, want %q", i, it.Title, it.Link, a.Title)
				}
				if it.PublishedParsed == nil || !it.PublishedParsed.Equal(a.PublishedAt) {
					t.Errorf("item %d date = %v, want %v", i, it.PublishedParsed, a.PublishedAt)
				}
				if it.Description != a.Summary {
					t.Errorf("item %d summary = %q", i, it.Description)
				}
				if len(it.Authors) == 0 || it.Authors[0].Name == "" {
					t.Errorf("item %d has no author", i)
				}
				if a.LeadMediaID != 0 && len(it.Enclosures) == 0 {
					t.Errorf("item %d has no lead image", i)
				}
			}
		})
	}
}

type sitemapDoc struct {
	URLs []struct {
		Loc     string `xml:"loc"`
		LastMod string `xml:"lastmod"`
	} `xml:"url"`
	Sitemaps []struct {
		Loc string `xml:"loc"`
	} `xml:"sitemap"`
}

func parseSitemap(t *testing.T, b string) sitemapDoc {
	t.Helper()
	var d sitemapDoc
	if err := xml.Unmarshal([]byte(b), &d); err != nil {
		t.Fatalf("sitemap: %v", err)
	}
	return d
}

func sitemapLastmod(t *testing.T, id int64) string {
	t.Helper()
	for _, u := range parseSitemap(t, body(t, get(t, "/sitemap.xml"))).URLs {
		if strings.HasSuffix(u.Loc, "/articles/"+itoa(id)) {
			return u.LastMod
		}
	}
	return ""
}

// TestSitemapComplete expects every published article, column and page.
func TestSitemapComplete(t *testing.T) {
	ctx := context.Background()
	d := parseSitemap(t, body(t, get(t, "/sitemap.xml")))
	locs := map[string]bool{}
	for _, u := range d.URLs {
		locs[u.Loc[strings.Index(u.Loc[8:], "/")+8:]] = true
	}
	as, _, _ := site.app.Store.Articles(ctx, store.ArticleQuery{Status: model.StatusPublished, PublishedBy: time.Now()})
	if len(as) < 300 {
		t.Fatalf("only %d published demo articles", len(as))
	}
	for _, a := range as {
		if !locs["/articles/"+itoa(a.ID)] {
			t.Fatalf("sitemap lacks article %d", a.ID)
		}
	}
	cols, _ := site.app.Store.Columns(ctx)
	for _, c := range cols {
		if !locs["/columns/"+c.Slug] {
			t.Errorf("sitemap lacks column %s", c.Slug)
		}
	}
	for _, p := range []string{"/", "/help", "/pages/guide", "/feeds", "/submit"} {
		if !locs[p] {
			t.Errorf("sitemap lacks %s", p)
		}
	}
	if !strings.Contains(body(t, get(t, "/robots.txt")), "/sitemap.xml") {
		t.Error("robots.txt does not name the sitemap")
	}
}

// TestSitemapSplitsIntoIndex lowers the per-file limit and expects an index
// whose parts hold every URL exactly once.
func TestSitemapSplitsIntoIndex(t *testing.T) {
	a := site.app
	srv, err := web.New(web.Deps{Store: a.Store, Site: a.Site, Articles: a.Articles, Catalog: catalog(t), SitemapLimit: 100})
	if err != nil {
		t.Fatal(err)
	}
	all := parseSitemap(t, body(t, get(t, "/sitemap.xml"))).URLs
	index := parseSitemap(t, serve(t, srv, "/sitemap.xml"))
	if want := (len(all) + 99) / 100; len(index.Sitemaps) != want {
		t.Fatalf("index lists %d sitemaps, want %d", len(index.Sitemaps), want)
	}
	seen := map[string]bool{}
	for _, s := range index.Sitemaps {
		part := parseSitemap(t, serve(t, srv, s.Loc[strings.Index(s.Loc, "/sitemaps/"):]))
		if len(part.URLs) > 100 {
			t.Fatalf("%s has %d URLs", s.Loc, len(part.URLs))
		}
		for _, u := range part.URLs {
			if seen[u.Loc] {
				t.Fatalf("%s twice", u.Loc)
			}
			seen[u.Loc] = true
		}
	}
	if len(seen) != len(all) {
		t.Fatalf("parts hold %d URLs, want %d", len(seen), len(all))
	}
}

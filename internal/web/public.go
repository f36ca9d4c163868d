package web

import (
	"context"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"strconv"
	"strings"
	"time"

	"newsdesk/internal/article"
	"newsdesk/internal/column"
	"newsdesk/internal/feed"

	"newsdesk/internal/site"
	"newsdesk/internal/store"
)

// PerPage is the number of articles on a list page.
const PerPage = 20

// card is an article as shown in lists: with its column and lead image.
type card struct {
	store.Article
	URL    string
	Column store.Column
	Image  *store.Media
	ImgURL string
	Pic    picture
}

// common loads what every page needs.
func (s *Server) common(r *http.Request, lang string) (*view, *column.Tree, error) {
	snap, err := s.snapshot(r.Context())
	if err != nil {
		return nil, nil, err
	}
	return s.base(r, lang, snap.cols, snap.settings), snap.cols, nil
}

// siteSnapshot is the settings and column tree every page shows, read once
// per content change rather than once per render.
type siteSnapshot struct {
	settings site.Settings
	cols     *column.Tree
}

func (s *Server) snapshot(ctx context.Context) (*siteSnapshot, error) {
	if snap := s.snap.Load(); snap != nil {
		return snap, nil
	}
	st, err := s.Site.Settings(ctx)
	if err != nil {
		return nil, err
	}
	cols, err := s.Store.Columns(ctx)
	if err != nil {
		return nil, err
	}
	snap := &siteSnapshot{settings: st, cols: column.NewTree(cols)}
	s.snap.CompareAndSwap(nil, snap)
	return snap, nil
}

// cards prepares articles for a list; withImages also loads lead images,
// which only some lists show.
func (s *Server) cards(ctx context.Context, cols *column.Tree, as []store.Article, withImages bool) ([]card, error) {
	var pics map[int64]picture
	var files map[int64]store.Media
	if withImages {
		var ids []int64
		for _, a := range as {
			if a.LeadMediaID != 0 {
				ids = append(ids, a.LeadMediaID)
			}
		}
		var err error
		if pics, files, err = s.pictures(ctx, ids); err != nil {
			return nil, err
		}
	}
	out := make([]card, 0, len(as))
	for _, a := range as {
		c := card{Article: a, URL: articleURL(a)}
		c.Column, _ = cols.Get(a.ColumnID)
		if m, ok := files[a.LeadMediaID]; ok {
			c.Image, c.ImgURL, c.Pic = &m, s.mediaURL(m), pics[m.ID]
		}
		out = append(out, c)
	}
	return out, nil
}

func (s *Server) published(ctx context.Context, cols *column.Tree, q store.ArticleQuery, withImages bool) ([]card, int, error) {
	q.Status, q.PublishedBy = store.StatusPublished, s.Now()
	as, total, err := s.Store.Articles(ctx, q)
	if err != nil {
		return nil, 0, err
	}
	cs, err := s.cards(ctx, cols, as, withImages)
	return cs, total, err
}

// --- home ---

type homeData struct {
	Focus       []card
	Recommended []card
	Sections    []section
}

type section struct {
	Column   store.Column
	Articles []card
}

func (s *Server) home(r *http.Request, lang string) (rendered, error) {
	ctx := r.Context()
	v, cols, err := s.common(r, lang)
	if err != nil {
		return rendered{}, err
	}
	var d homeData
	focus, _, err := s.Store.Placed(ctx, store.SlotFocus, s.Now(), 6, 0)
	if err != nil {
		return rendered{}, err
	}
	if d.Focus, err = s.cards(ctx, cols, focus, true); err != nil {
		return rendered{}, err
	}
	rec, _, err := s.Store.Placed(ctx, store.SlotRecommended, s.Now(), 10, 0)
	if err != nil {
		return rendered{}, err
	}
	if d.Recommended, err = s.cards(ctx, cols, rec, false); err != nil {
		return rendered{}, err
	}
	for _, c := range cols.Children(0) {
		as, _, err := s.published(ctx, cols, store.ArticleQuery{ColumnIDs: cols.Subtree(c.ID), Limit: 6, NoTotal: true}, false)
		if err != nil {
			return rendered{}, err
		}
		d.Sections = append(d.Sections, section{Column: c, Articles: as})
	}
	v.Description = v.Site.Name
	v.Canonical = v.Abs("/")
	v.Data = d
	return s.execute("home", v)
}

// --- lists ---

type listData struct {
	Heading    string
	Count      int
	Articles   []card
	Pager      pager
	Column     *store.Column
	Children   []store.Column
	Archive    []archiveYear
	FeedURL    string
	ShowImages bool
}

type pager struct {
	Page, Pages int
	Base        string // URL without the page parameter
	Sep         string // "?" or "&" before page=; "?" when empty
}

func (p pager) URL(n int) string {
	if n <= 1 {
		return p.Base
	}
	sep := p.Sep
	if sep == "" {
		sep = "?"
	}
	return p.Base + sep + "page=" + strconv.Itoa(n)
}

type archiveYear struct {
	Year, Count int
	URL         string
	Months      []archiveMonth
}

type archiveMonth struct {
	Month, Count int
	URL          string
}

// pageNumber reads ?page=; anything but a positive number is "not found".
func pageNumber(r *http.Request) (int, error) {
	p := r.URL.Query().Get("page")
	if p == "" {
		return 1, nil
	}
	n, err := strconv.Atoi(p)
	if err != nil || n < 1 || n > 1_000_000 {
		return 0, fmt.Errorf("page %q: %w", p, store.ErrNotFound)
	}
	return n, nil
}

// paginate checks the page against the total.
func paginate(page, total int, base string) (pager, error) {
	pages := max(1, (total+PerPage-1)/PerPage)
	if page > pages {
		return pager{}, fmt.Errorf("page %d of %d: %w", page, pages, store.ErrNotFound)
	}
	return pager{Page: page, Pages: pages, Base: base}, nil
}

func (s *Server) slotList(slot string) renderFunc {
	return func(r *http.Request, lang string) (rendered, error) {
		ctx := r.Context()
		page, err := pageNumber(r)
		if err != nil {
			return rendered{}, err
		}
		v, cols, err := s.common(r, lang)
		if err != nil {
			return rendered{}, err
		}
		as, total, err := s.Store.Placed(ctx, slot, s.Now(), PerPage, (page-1)*PerPage)
		if err != nil {
			return rendered{}, err
		}
		d := listData{Heading: v.T("list." + slot), Count: total, ShowImages: slot == store.SlotFocus}
		if d.Pager, err = paginate(page, total, "/"+slot); err != nil {
			return rendered{}, err
		}
		if d.Articles, err = s.cards(ctx, cols, as, d.ShowImages); err != nil {
			return rendered{}, err
		}
		v.Title, v.Canonical, v.Data = d.Heading, v.Abs(d.Pager.URL(page)), d
		return s.execute("list", v)
	}
}

func (s *Server) columnPage(r *http.Request, lang string) (rendered, error) {
	return s.columnList(r, lang, 0, 0)
}

// columnArchive serves /columns/{slug}/{year} and /columns/{slug}/{year}/{month}.
func (s *Server) columnArchive(r *http.Request, lang string) (rendered, error) {
	year, err := strconv.Atoi(r.PathValue("year"))
	if err != nil || year < 1900 || year > 9999 {
		return rendered{}, fmt.Errorf("archive year %q: %w", r.PathValue("year"), store.ErrNotFound)
	}
	month := 0
	if m := r.PathValue("month"); m != "" {
		if month, err = strconv.Atoi(m); err != nil || month < 1 || month > 12 {
			return rendered{}, fmt.Errorf("archive month %q: %w", m, store.ErrNotFound)
		}
	}
	return s.columnList(r, lang, year, month)
}

func (s *Server) columnList(r *http.Request, lang string, year, month int) (rendered, error) {
	ctx := r.Context()
	page, err := pageNumber(r)
	if err != nil {
		return rendered{}, err
	}
	v, cols, err := s.common(r, lang)
	if err != nil {
		return rendered{}, err
	}
	col, err := cols.BySlug(r.PathValue("slug"))
	if err != nil {
		return rendered{}, err
	}
	ids := cols.Subtree(col.ID)
	q := store.ArticleQuery{ColumnIDs: ids, Limit: PerPage, Offset: (page - 1) * PerPage}
	base := "/columns/" + col.Slug
	d := listData{Heading: col.Name, Column: &col, Children: cols.Children(col.ID), FeedURL: base + "/rss.xml"}
	if year != 0 {
		tz := v.Site.TimeZone
		if month == 0 {
			q.From, q.To = time.Date(year, 1, 1, 0, 0, 0, 0, tz), time.Date(year+1, 1, 1, 0, 0, 0, 0, tz)
			base += "/" + strconv.Itoa(year)
			d.Heading = v.T("list.archive.title", col.Name, v.T("list.year", year))
		} else {
			q.From, q.To = time.Date(year, time.Month(month), 1, 0, 0, 0, 0, tz), time.Date(year, time.Month(month)+1, 1, 0, 0, 0, 0, tz)
			base += fmt.Sprintf("/%d/%02d", year, month)
			d.Heading = v.T("list.archive.title", col.Name, v.T("list.month", year, month))
		}
	}
	if d.Articles, d.Count, err = s.published(ctx, cols, q, false); err != nil {
		return rendered{}, err
	}
	if year != 0 && d.Count == 0 {
		return rendered{}, fmt.Errorf("archive %s %d-%d is empty: %w", col.Slug, year, month, store.ErrNotFound)
	}
	if d.Pager, err = paginate(page, d.Count, base); err != nil {
		return rendered{}, err
	}
	if d.Archive, err = s.archive(ctx, col, ids, v.Site.TimeZone); err != nil {
		return rendered{}, err
	}
	v.Title, v.Active, v.Canonical, v.Data = d.Heading, topOf(cols, col.ID), v.Abs(d.Pager.URL(page)), d
	v.Description = col.Description
	v.Feeds = append(v.Feeds,
		feedLink{Title: col.Name + " RSS", Href: "/columns/" + col.Slug + "/rss.xml", Type: "application/rss+xml"},
		feedLink{Title: col.Name + " Atom", Href: "/columns/" + col.Slug + "/atom.xml", Type: "application/atom+xml"})
	return s.execute("list", v)
}

func topOf(cols *column.Tree, id int64) int64 {
	if p := cols.Path(id); len(p) > 0 {
		return p[0].ID
	}
	return 0
}

// archive groups a column's publish dates by year and month, newest first.
func (s *Server) archive(ctx context.Context, col store.Column, ids []int64, tz *time.Location) ([]archiveYear, error) {
	times, err := s.Store.PublishedTimes(ctx, ids, s.Now())
	if err != nil {
		return nil, err
	}
	var out []archiveYear
	for _, t := range times {
		t = t.In(tz)
		y, m := t.Year(), int(t.Month())
		if len(out) == 0 || out[len(out)-1].Year != y {
			out = append(out, archiveYear{Year: y, URL: fmt.Sprintf("/columns/%s/%d", col.Slug, y)})
		}
		ay := &out[len(out)-1]
		ay.Count++
		if len(ay.Months) == 0 || ay.Months[len(ay.Months)-1].Month != m {
			ay.Months = append(ay.Months, archiveMonth{Month: m, URL: fmt.Sprintf("/columns/%s/%d/%02d", col.Slug, y, m)})
		}
		ay.Months[len(ay.Months)-1].Count++
	}
	return out, nil
}

// --- article ---

type articleData struct {
	card
	Body    template.HTML // the stored body with its pictures as they are now
	Path    []store.Column
	Views   int64
	Prev    *card
	Next    *card
	Related []card
	Lines   []credit // the credit lines at the end, in display order
}

type credit struct {
	Label, Value string
}

func (s *Server) articlePage(r *http.Request, lang string) (rendered, error) {
	ctx := r.Context()
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return rendered{}, fmt.Errorf("article %q: %w", r.PathValue("id"), store.ErrNotFound)
	}
	a, err := s.Store.Article(ctx, id)
	if err != nil {
		return rendered{}, err
	}
	if !article.Visible(a, s.Now()) {
		return rendered{}, fmt.Errorf("article %d is not public: %w", id, store.ErrNotFound)
	}
	v, cols, err := s.common(r, lang)
	if err != nil {
		return rendered{}, err
	}
	cs, err := s.cards(ctx, cols, []store.Article{a}, true)
	if err != nil {
		return rendered{}, err
	}
	d := articleData{card: cs[0], Path: cols.Path(a.ColumnID), Views: a.Views}
	if d.Body, err = s.renderBody(ctx, a.Body, v); err != nil {
		return rendered{}, err
	}
	if s.Views != nil {
		d.Views += s.Views.Pending(a.ID)
	}
	inColumn := []int64{a.ColumnID}
	older, _, err := s.published(ctx, cols, store.ArticleQuery{ColumnIDs: inColumn, To: a.PublishedAt, Limit: 1, NoTotal: true}, false)
	if err != nil {
		return rendered{}, err
	}
	newer, _, err := s.published(ctx, cols, store.ArticleQuery{ColumnIDs: inColumn, From: a.PublishedAt.Add(time.Second), Limit: 1, OldestFirst: true, NoTotal: true}, false)
	if err != nil {
		return rendered{}, err
	}
	if len(older) > 0 {
		d.Prev = &older[0]
	}
	if len(newer) > 0 {
		d.Next = &newer[0]
	}
	related, _, err := s.published(ctx, cols, store.ArticleQuery{ColumnIDs: cols.Subtree(topOf(cols, a.ColumnID)), To: a.PublishedAt.Add(time.Second), Limit: 6, NoTotal: true}, false)
	if err != nil {
		return rendered{}, err
	}
	for _, c := range related {
		if c.ID != a.ID && len(d.Related) < 5 {
			d.Related = append(d.Related, c)
		}
	}
	cr := a.Credits
	for _, c := range []credit{
		{"article.credit.photographers", strings.Join(cr.Photographers, " ")},
		{"article.credit.writers", strings.Join(cr.Writers, " ")},
		{"article.credit.unit", cr.Unit},
		{"article.credit.source", cr.Source},
		{"article.credit.editor", cr.Editor},
	} {
		if c.Value != "" {
			d.Lines = append(d.Lines, credit{Label: v.T(c.Label), Value: c.Value})
		}
	}
	v.Title, v.Description, v.Canonical, v.Active = a.Title, a.Summary, v.Abs(articleURL(a)), topOf(cols, a.ColumnID)
	v.OG = &openGraph{Type: "article", Published: a.PublishedAt.In(v.Site.TimeZone).Format(time.RFC3339), Modified: a.UpdatedAt.In(v.Site.TimeZone).Format(time.RFC3339)}
	if d.Image != nil {
		v.OG.Image = v.Abs(d.ImgURL)
	}
	if col, ok := cols.Get(a.ColumnID); ok {
		v.Feeds = append(v.Feeds, feedLink{Title: col.Name + " RSS", Href: "/columns/" + col.Slug + "/rss.xml", Type: "application/rss+xml"})
	}
	v.Data = d
	out, err := s.execute("article", v)
	out.articleID = a.ID
	return out, err
}

// --- pages ---

type pageData struct {
	Page     store.Page
	Intro    string
	Link     string
	LinkText string
	Note     string
}

func (s *Server) editorPage(slug string) renderFunc {
	return func(r *http.Request, lang string) (rendered, error) {
		p, err := s.Store.Page(r.Context(), slug)
		if err != nil {
			return rendered{}, err
		}
		v, _, err := s.common(r, lang)
		if err != nil {
			return rendered{}, err
		}
		v.Title, v.Canonical, v.Data = p.Title, v.Abs(r.URL.Path), pageData{Page: p}
		return s.execute("page", v)
	}
}

func (s *Server) pageBySlug(r *http.Request, lang string) (rendered, error) {
	return s.editorPage(r.PathValue("slug"))(r, lang)
}

func (s *Server) submitPage(r *http.Request, lang string) (rendered, error) {
	v, _, err := s.common(r, lang)
	if err != nil {
		return rendered{}, err
	}
	guide, err := s.Store.Page(r.Context(), site.PageGuide)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return rendered{}, err
	}
	v.Title, v.Canonical = v.T("submit.title"), v.Abs("/submit")
	v.Data = pageData{Page: store.Page{Title: v.T("submit.title"), Body: guide.Body}, Intro: v.T("submit.intro"),
		Link: "/desk/", LinkText: v.T("submit.signin"), Note: v.T("submit.signin.note")}
	return s.execute("page", v)
}

// --- site map ---

type sitemapData struct {
	Columns []columnNode
	Pages   []store.Page
}

type columnNode struct {
	Column   store.Column
	Children []columnNode
}

func tree(cols *column.Tree, parent int64) []columnNode {
	var out []columnNode
	for _, c := range cols.Children(parent) {
		out = append(out, columnNode{Column: c, Children: tree(cols, c.ID)})
	}
	return out
}

func (s *Server) sitemapPage(r *http.Request, lang string) (rendered, error) {
	v, cols, err := s.common(r, lang)
	if err != nil {
		return rendered{}, err
	}
	pages, err := s.Store.Pages(r.Context())
	if err != nil {
		return rendered{}, err
	}
	v.Title, v.Canonical, v.Data = v.T("sitemap.title"), v.Abs("/sitemap"), sitemapData{Columns: tree(cols, 0), Pages: pages}
	return s.execute("sitemap", v)
}

// sitemapURLs lists every public URL with its last change.
func (s *Server) sitemapURLs(ctx context.Context) ([]feed.URL, error) {
	snap, err := s.snapshot(ctx)
	if err != nil {
		return nil, err
	}
	st, cols := snap.settings, snap.cols.All()
	pages, err := s.Store.Pages(ctx)
	if err != nil {
		return nil, err
	}
	as, _, err := s.Store.Articles(ctx, store.ArticleQuery{Status: store.StatusPublished, PublishedBy: s.Now()})
	if err != nil {
		return nil, err
	}
	var newest time.Time
	if len(as) > 0 {
		newest = as[0].PublishedAt
	}
	urls := []feed.URL{{Loc: st.BaseURL + "/", LastMod: newest}}
	for _, p := range []string{"/focus", "/recommended", "/sitemap", "/feeds", "/submit"} {
		urls = append(urls, feed.URL{Loc: st.BaseURL + p})
	}
	for _, c := range cols {
		urls = append(urls, feed.URL{Loc: st.BaseURL + "/columns/" + c.Slug})
	}
	for _, p := range pages {
		loc := "/pages/" + p.Slug
		if p.Slug == site.PageHelp {
			loc = "/help"
		}
		urls = append(urls, feed.URL{Loc: st.BaseURL + loc, LastMod: p.UpdatedAt})
	}
	for _, a := range as {
		urls = append(urls, feed.URL{Loc: st.BaseURL + articleURL(a), LastMod: later(a.UpdatedAt, a.PublishedAt)})
	}
	return urls, nil
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func (s *Server) sitemapLimit() int {
	if s.SitemapLimit > 0 {
		return s.SitemapLimit
	}
	return feed.MaxSitemapURLs
}

func (s *Server) sitemapXML(r *http.Request, lang string) (rendered, error) {
	urls, err := s.sitemapURLs(r.Context())
	if err != nil {
		return rendered{}, err
	}
	per := s.sitemapLimit()
	var body []byte
	if len(urls) <= per {
		body, err = feed.Sitemap(urls)
	} else {
		snap, serr := s.snapshot(r.Context())
		if serr != nil {
			return rendered{}, serr
		}
		st := snap.settings
		n := (len(urls) + per - 1) / per
		body, err = feed.SitemapIndex(n,
			func(i int) string { return fmt.Sprintf("%s/sitemaps/%d.xml", st.BaseURL, i) },
			func(i int) time.Time {
				_, part, _ := feed.Parts(urls, per, i)
				var t time.Time
				for _, u := range part {
					t = later(t, u.LastMod)
				}
				return t
			})
	}
	return rendered{body: body, contentType: "application/xml; charset=utf-8"}, err
}

func (s *Server) sitemapPart(r *http.Request, lang string) (rendered, error) {
	num, ok := strings.CutSuffix(r.PathValue("file"), ".xml")
	i, err := strconv.Atoi(num)
	if !ok || err != nil {
		return rendered{}, fmt.Errorf("sitemap %q: %w", r.PathValue("file"), store.ErrNotFound)
	}
	urls, err := s.sitemapURLs(r.Context())
	if err != nil {
		return rendered{}, err
	}
	if len(urls) <= s.sitemapLimit() {
		return rendered{}, fmt.Errorf("sitemap is not split: %w", store.ErrNotFound)
	}
	_, part, err := feed.Parts(urls, s.sitemapLimit(), i)
	if err != nil {
		return rendered{}, fmt.Errorf("%v: %w", err, store.ErrNotFound)
	}
	body, err := feed.Sitemap(part)
	return rendered{body: body, contentType: "application/xml; charset=utf-8"}, err
}

func (s *Server) robots(r *http.Request, lang string) (rendered, error) {
	snap, err := s.snapshot(r.Context())
	if err != nil {
		return rendered{}, err
	}
	st := snap.settings
	body := "User-agent: *\nAllow: /\nDisallow: /desk/\n\nSitemap: " + st.BaseURL + "/sitemap.xml\n"
	return rendered{body: []byte(body), contentType: "text/plain; charset=utf-8"}, nil
}

// --- feeds ---

type feedsData struct {
	Columns []store.Column
	Depth   map[int64]int
}

func (s *Server) feedsPage(r *http.Request, lang string) (rendered, error) {
	v, cols, err := s.common(r, lang)
	if err != nil {
		return rendered{}, err
	}
	d := feedsData{Depth: map[int64]int{}}
	var walk func(parent int64, depth int)
	walk = func(parent int64, depth int) {
		for _, c := range cols.Children(parent) {
			d.Columns = append(d.Columns, c)
			d.Depth[c.ID] = depth
			walk(c.ID, depth+1)
		}
	}
	walk(0, 0)
	v.Title, v.Canonical, v.Data = v.T("feeds.title"), v.Abs("/feeds"), d
	return s.execute("feeds", v)
}

func (s *Server) siteFeed(format string) renderFunc {
	return func(r *http.Request, lang string) (rendered, error) {
		return s.feed(r, lang, format, nil)
	}
}

func (s *Server) columnFeed(format string) renderFunc {
	return func(r *http.Request, lang string) (rendered, error) {
		snap, err := s.snapshot(r.Context())
		if err != nil {
			return rendered{}, err
		}
		col, err := snap.cols.BySlug(r.PathValue("slug"))
		if err != nil {
			return rendered{}, err
		}
		return s.feed(r, lang, format, &col)
	}
}

// feed renders the latest 20 articles of the site or of a column (with its
// sub-columns) as RSS 2.0 or Atom.
func (s *Server) feed(r *http.Request, lang, format string, col *store.Column) (rendered, error) {
	ctx := r.Context()
	v, cols, err := s.common(r, lang)
	if err != nil {
		return rendered{}, err
	}
	st := v.Site
	f := feed.Feed{Title: st.Name, Link: st.BaseURL + "/", Description: v.T("feeds.site.description", st.Name), Language: v.HTMLLang()}
	q := store.ArticleQuery{Limit: 20, NoTotal: true}
	self := "/" + format + ".xml"
	if col != nil {
		q.ColumnIDs = cols.Subtree(col.ID)
		f.Title = v.T("feeds.column.title", col.Name, st.Name)
		f.Link = st.BaseURL + "/columns/" + col.Slug
		f.Description = col.Description
		if f.Description == "" {
			f.Description = f.Title
		}
		self = "/columns/" + col.Slug + self
	}
	f.Self = st.BaseURL + self
	cs, _, err := s.published(ctx, cols, q, true)
	if err != nil {
		return rendered{}, err
	}
	for _, c := range cs {
		link := st.BaseURL + c.URL
		it := feed.Item{Title: c.Title, Link: link, GUID: link, Published: c.PublishedAt.In(st.TimeZone), Updated: c.UpdatedAt.In(st.TimeZone),
			Summary: c.Summary, Author: strings.Join(c.Credits.Writers, " ")}
		if it.Author == "" {
			it.Author = c.Credits.Unit
		}
		if c.Image != nil {
			it.Image = &feed.Image{URL: absURL(st.BaseURL, c.ImgURL), Type: c.Image.ContentType, Length: c.Image.Size}
		}
		f.Items = append(f.Items, it)
		f.Updated = later(f.Updated, later(c.UpdatedAt, c.PublishedAt))
	}
	if f.Updated.IsZero() {
		f.Updated = s.cache.lastChange()
	}
	f.Updated = f.Updated.In(st.TimeZone)
	var body []byte
	ctype := "application/rss+xml; charset=utf-8"
	if format == "atom" {
		body, err = feed.Atom(f)
		ctype = "application/atom+xml; charset=utf-8"
	} else {
		body, err = feed.RSS(f)
	}
	return rendered{body: body, contentType: ctype}, err
}

// --- media ---

// serveMedia serves an uploaded file by id. Its bytes never change for an
// id, so it may be cached for a year.
func (s *Server) serveMedia(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		s.fail(w, r, s.lang(r), store.ErrNotFound)
		return
	}
	m, err := s.Store.Media(r.Context(), id)
	if err == nil && m.Name != r.PathValue("name") {
		err = fmt.Errorf("media %d is not named %q: %w", id, r.PathValue("name"), store.ErrNotFound)
	}
	if err != nil {
		s.fail(w, r, s.lang(r), err)
		return
	}
	s.serveFile(w, r, m.Key, m.ContentType, m.Checksum[:16])
}

// serveFile serves a stored file that never changes under its key: cached
// for a year, with Range requests (attachments, video), its own content
// type and no sniffing, and a policy that lets nothing in it run, should a
// file ever hold script.
func (s *Server) serveFile(w http.ResponseWriter, r *http.Request, key, ctype, etag string) {
	f, err := s.Files.Get(r.Context(), key)
	if err != nil {
		s.fail(w, r, s.lang(r), err)
		return
	}
	defer f.Close()
	h := w.Header()
	h.Set("Content-Type", ctype)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	h.Set("Cache-Control", "public, max-age=31536000, immutable")
	h.Set("Etag", `"`+etag+`"`)
	http.ServeContent(w, r, "", time.Time{}, f)
}

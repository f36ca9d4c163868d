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

	"newsdesk/internal/column"
	"newsdesk/internal/feed"
	"newsdesk/internal/media"
	"newsdesk/internal/reader"
	"newsdesk/internal/site"
	"newsdesk/internal/store"
	"newsdesk/internal/web/render"
)

// PerPage is the number of articles on a list page.
const PerPage = reader.PerPage

// common loads what every page needs.
func (s *Server) common(r *http.Request, lang string) (*render.View, *column.Tree, error) {
	snap, err := s.snapshot(r.Context())
	if err != nil {
		return nil, nil, err
	}
	return s.render.Base(r, lang, snap.cols, snap.settings), snap.cols, nil
}

// siteSnapshot is the settings and column tree every page shows, read by
// the reader once per content change rather than once per render.
type siteSnapshot struct {
	settings site.Settings
	cols     *column.Tree
}

func (s *Server) snapshot(ctx context.Context) (*siteSnapshot, error) {
	st, err := s.Reader.Site(ctx)
	if err != nil {
		return nil, err
	}
	return &siteSnapshot{settings: st.Settings, cols: st.Columns}, nil
}

// --- home ---

func (s *Server) home(r *http.Request, lang string) (rendered, error) {
	d, err := s.Reader.Home(r.Context())
	if err != nil {
		return rendered{}, err
	}
	v, _, err := s.common(r, lang)
	if err != nil {
		return rendered{}, err
	}
	v.Description = v.Site.Name
	v.Canonical = v.Abs(reader.HomeURL)
	v.Data = d
	return s.render.Execute("home", v)
}

// --- lists ---

type listData struct {
	Heading    string
	Count      int
	Articles   []reader.Card
	Pager      reader.Pager
	Column     *store.Column
	Children   []store.Column
	Archive    []reader.ArchiveYear
	FeedURL    string
	ShowImages bool
}

// pager is a desk list's place: its pages are Base with page=N added.
type pager struct {
	Page, Pages int
	Base        string // URL without the page parameter
	Sep         string // "?" or "&" before page=; "?" when empty
}

// URL is the address of page n.
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

// Prev is the previous page's address, or "" on the first.
func (p pager) Prev() string {
	if p.Page <= 1 {
		return ""
	}
	return p.URL(p.Page - 1)
}

// Next is the next page's address, or "" on the last.
func (p pager) Next() string {
	if p.Page >= p.Pages {
		return ""
	}
	return p.URL(p.Page + 1)
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
		page, err := pageNumber(r)
		if err != nil {
			return rendered{}, err
		}
		l, err := s.Reader.Slot(r.Context(), slot, page)
		if err != nil {
			return rendered{}, err
		}
		v, _, err := s.common(r, lang)
		if err != nil {
			return rendered{}, err
		}
		d := listData{Heading: v.T("list." + slot), Count: l.Count, Articles: l.Articles, Pager: l.Pager, ShowImages: slot == store.SlotFocus}
		v.Title, v.Canonical, v.Data = d.Heading, v.Abs(l.URL), d
		return s.render.Execute("list", v)
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
	page, err := pageNumber(r)
	if err != nil {
		return rendered{}, err
	}
	l, err := s.Reader.Column(r.Context(), reader.ColumnParams{Slug: r.PathValue("slug"), Year: year, Month: month, Page: page})
	if err != nil {
		return rendered{}, err
	}
	v, _, err := s.common(r, lang)
	if err != nil {
		return rendered{}, err
	}
	col := l.Column
	d := listData{Heading: col.Name, Count: l.Count, Articles: l.Articles, Pager: l.Pager, Column: &col, Children: l.Children,
		Archive: l.Archive, FeedURL: l.RSS}
	switch {
	case month != 0:
		d.Heading = v.T("list.archive.title", col.Name, v.T("list.month", year, month))
	case year != 0:
		d.Heading = v.T("list.archive.title", col.Name, v.T("list.year", year))
	}
	v.Title, v.Canonical, v.Data = d.Heading, v.Abs(l.URL), d
	v.Active = l.Path[0].ID
	v.Description = col.Description
	v.Feeds = append(v.Feeds,
		render.FeedLink{Title: col.Name + " RSS", Href: l.RSS, Type: "application/rss+xml"},
		render.FeedLink{Title: col.Name + " Atom", Href: l.Atom, Type: "application/atom+xml"})
	return s.render.Execute("list", v)
}

// --- article ---

type articleData struct {
	reader.Article
	Body  template.HTML // the stored body with its pictures as they are now
	Lines []credit      // the credit lines at the end, labelled
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
	a, err := s.Reader.Article(ctx, id)
	if err != nil {
		return rendered{}, err
	}
	v, _, err := s.common(r, lang)
	if err != nil {
		return rendered{}, err
	}
	d := articleData{Article: a}
	if d.Body, err = s.render.Body(ctx, s.Store, string(a.Body), v); err != nil {
		return rendered{}, err
	}
	for _, c := range a.Lines {
		d.Lines = append(d.Lines, credit{Label: v.T("article.credit." + c.Role), Value: c.Value})
	}
	v.Title, v.Description, v.Canonical = a.Title, a.Summary, v.Abs(a.URL)
	if len(a.Path) > 0 {
		v.Active = a.Path[0].ID
	}
	v.OG = &render.OpenGraph{Type: "article", Published: a.PublishedAt.In(v.Site.TimeZone).Format(time.RFC3339), Modified: a.UpdatedAt.In(v.Site.TimeZone).Format(time.RFC3339)}
	if a.Lead != nil {
		v.OG.Image = v.Abs(a.Lead.URL)
	}
	if a.Column.ID != 0 {
		v.Feeds = append(v.Feeds, render.FeedLink{Title: a.Column.Name + " RSS", Href: reader.FeedURL(a.Column.Slug, "rss"), Type: "application/rss+xml"})
	}
	v.Data = d
	out, err := s.render.Execute("article", v)
	out.ArticleID = a.ID
	return out, err
}

// --- pages ---

type pageData struct {
	Page     reader.Page
	Intro    string
	Link     string
	LinkText string
	Note     string
}

func (s *Server) editorPage(slug string) renderFunc {
	return func(r *http.Request, lang string) (rendered, error) {
		p, err := s.Reader.Page(r.Context(), slug)
		if err != nil {
			return rendered{}, err
		}
		v, _, err := s.common(r, lang)
		if err != nil {
			return rendered{}, err
		}
		v.Title, v.Canonical, v.Data = p.Title, v.Abs(p.URL), pageData{Page: p}
		return s.render.Execute("page", v)
	}
}

func (s *Server) pageBySlug(r *http.Request, lang string) (rendered, error) {
	return s.editorPage(r.PathValue("slug"))(r, lang)
}

func (s *Server) submitPage(r *http.Request, lang string) (rendered, error) {
	d, err := s.Reader.Submit(r.Context())
	if err != nil {
		return rendered{}, err
	}
	v, _, err := s.common(r, lang)
	if err != nil {
		return rendered{}, err
	}
	v.Title, v.Canonical = v.T("submit.title"), v.Abs(d.URL)
	v.Data = pageData{Page: reader.Page{Title: v.T("submit.title"), Body: d.Guide.Body}, Intro: v.T("submit.intro"),
		Link: d.SignIn, LinkText: v.T("submit.signin"), Note: v.T("submit.signin.note")}
	return s.render.Execute("page", v)
}

// --- site map ---

func (s *Server) sitemapPage(r *http.Request, lang string) (rendered, error) {
	d, err := s.Reader.SiteMap(r.Context())
	if err != nil {
		return rendered{}, err
	}
	v, _, err := s.common(r, lang)
	if err != nil {
		return rendered{}, err
	}
	v.Title, v.Canonical, v.Data = v.T("sitemap.title"), v.Abs(reader.SitemapURL), d
	return s.render.Execute("sitemap", v)
}

func (s *Server) sitemapLimit() int {
	if s.SitemapLimit > 0 {
		return s.SitemapLimit
	}
	return feed.MaxSitemapURLs
}

func (s *Server) sitemapXML(r *http.Request, lang string) (rendered, error) {
	urls, err := s.Reader.SitemapURLs(r.Context())
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
		base := snap.settings.BaseURL
		n := (len(urls) + per - 1) / per
		body, err = feed.SitemapIndex(n,
			func(i int) string { return base + reader.SitemapPartURL(i) },
			func(i int) time.Time {
				_, part, _ := feed.Parts(urls, per, i)
				var t time.Time
				for _, u := range part {
					if u.LastMod.After(t) {
						t = u.LastMod
					}
				}
				return t
			})
	}
	return rendered{Body: body, ContentType: "application/xml; charset=utf-8"}, err
}

func (s *Server) sitemapPart(r *http.Request, lang string) (rendered, error) {
	num, ok := strings.CutSuffix(r.PathValue("file"), ".xml")
	i, err := strconv.Atoi(num)
	if !ok || err != nil {
		return rendered{}, fmt.Errorf("sitemap %q: %w", r.PathValue("file"), store.ErrNotFound)
	}
	urls, err := s.Reader.SitemapURLs(r.Context())
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
	return rendered{Body: body, ContentType: "application/xml; charset=utf-8"}, err
}

func (s *Server) robots(r *http.Request, lang string) (rendered, error) {
	snap, err := s.snapshot(r.Context())
	if err != nil {
		return rendered{}, err
	}
	body := "User-agent: *\nAllow: /\nDisallow: " + reader.DeskURL + "\n\nSitemap: " + snap.settings.BaseURL + reader.SitemapXMLURL + "\n"
	return rendered{Body: []byte(body), ContentType: "text/plain; charset=utf-8"}, nil
}

// --- feeds ---

func (s *Server) feedsPage(r *http.Request, lang string) (rendered, error) {
	d, err := s.Reader.FeedDirectory(r.Context())
	if err != nil {
		return rendered{}, err
	}
	v, _, err := s.common(r, lang)
	if err != nil {
		return rendered{}, err
	}
	v.Title, v.Canonical, v.Data = v.T("feeds.title"), v.Abs(reader.FeedsURL), d
	return s.render.Execute("feeds", v)
}

func (s *Server) siteFeed(format string) renderFunc {
	return func(r *http.Request, lang string) (rendered, error) {
		return s.feed(r, lang, format, "")
	}
}

func (s *Server) columnFeed(format string) renderFunc {
	return func(r *http.Request, lang string) (rendered, error) {
		return s.feed(r, lang, format, r.PathValue("slug"))
	}
}

// feed renders the latest articles of the site or of a column (with its
// sub-columns) as RSS 2.0 or Atom.
func (s *Server) feed(r *http.Request, lang, format, slug string) (rendered, error) {
	d, err := s.Reader.Feed(r.Context(), slug, format)
	if err != nil {
		return rendered{}, err
	}
	v, _, err := s.common(r, lang)
	if err != nil {
		return rendered{}, err
	}
	st := v.Site
	f := feed.Feed{Title: st.Name, Link: d.Link, Self: d.Self, Description: v.T("feeds.site.description", st.Name), Language: v.HTMLLang(),
		Updated: d.Updated, Items: d.Items}
	if col := d.Column; col != nil {
		f.Title = v.T("feeds.column.title", col.Name, st.Name)
		f.Description = col.Description
		if f.Description == "" {
			f.Description = f.Title
		}
	}
	if f.Updated.IsZero() {
		f.Updated = s.cache.LastChange().In(st.TimeZone)
	}
	var body []byte
	ctype := "application/rss+xml; charset=utf-8"
	if format == "atom" {
		body, err = feed.Atom(f)
		ctype = "application/atom+xml; charset=utf-8"
	} else {
		body, err = feed.RSS(f)
	}
	return rendered{Body: body, ContentType: ctype}, err
}

// --- media ---

// serveMedia serves an uploaded file by id, to whoever media.Open lets
// have it; anyone else is told it does not exist.
func (s *Server) serveMedia(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		s.fail(w, r, s.lang(r), store.ErrNotFound)
		return
	}
	viewer, err := s.mediaViewer(r)
	if err != nil {
		s.fail(w, r, s.lang(r), err)
		return
	}
	m, reach, err := s.Media.Open(r.Context(), viewer, id, r.PathValue("name"))
	if err != nil {
		s.fail(w, r, s.lang(r), err)
		return
	}
	s.serveFile(w, r, m.Key, m.ContentType, m.Checksum[:16], reach)
}

// mediaViewer is the signed-in desk user asking for a file, or nil.
func (s *Server) mediaViewer(r *http.Request) (*store.User, error) {
	u, err := s.deskSession(r)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &u.User, nil
}

// Cache-Control of served files, by how widely they may go. The bytes
// under a URL never change, but whether they may be served does: a story
// is withdrawn, and its files must stop reaching readers within a minute,
// also from browsers, proxies and CDNs in front (they hold a copy for
// max-age and then revalidate with the ETag, a cheap 304). Only what an
// editor marked public for good is cached for a year: taking the mark back
// cannot recall those copies, which the library page says. Files served
// before publication go to their viewer alone and are never stored.
var mediaCaching = map[media.Reach]string{
	media.Marked:    "public, max-age=31536000, immutable",
	media.Published: "public, max-age=60",
	media.Private:   "private, no-store",
}

// serveFile serves a stored file that never changes under its key: cached
// as its reach allows, with Range requests (attachments, video), its own
// content type and no sniffing, and a policy that lets nothing in it run,
// should a file ever hold script. A revalidation that matches its ETag is
// answered before the file is opened (a round trip to the bucket on S3).
func (s *Server) serveFile(w http.ResponseWriter, r *http.Request, key, ctype, etag string, reach media.Reach) {
	h := w.Header()
	h.Set("Cache-Control", mediaCaching[reach])
	h.Set("Etag", `"`+etag+`"`)
	if inm := r.Header.Get("If-None-Match"); inm != "" && (inm == "*" || strings.Contains(inm, `"`+etag+`"`)) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	f, err := s.Files.Get(r.Context(), key)
	if err != nil {
		h.Del("Etag")
		s.fail(w, r, s.lang(r), err)
		return
	}
	defer f.Close()
	h.Set("Content-Type", ctype)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	http.ServeContent(w, r, "", time.Time{}, f)
}

// serveVariant serves a responsive variant to whoever may fetch its file.
func (s *Server) serveVariant(w http.ResponseWriter, r *http.Request) {
	viewer, err := s.mediaViewer(r)
	if err != nil {
		s.fail(w, r, s.lang(r), err)
		return
	}
	v, reach, err := s.Media.OpenVariant(r.Context(), viewer, "v/"+r.PathValue("dir")+"/"+r.PathValue("file"))
	if err != nil {
		s.fail(w, r, s.lang(r), err)
		return
	}
	s.serveFile(w, r, v.Key, v.ContentType, v.Key, reach)
}

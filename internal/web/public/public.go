// Package public serves the public site: home, lists, articles, pages,
// sitemaps, feeds, search, OpenSearch, media files and their variants. The
// pages come from the reader as plain data and are pagecache.Page by render,
// through the page cache.
package public

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"newsdesk/internal/feed"
	"newsdesk/internal/media"
	"newsdesk/internal/model"
	"newsdesk/internal/reader"
	"newsdesk/internal/web/pagecache"
	"newsdesk/internal/web/render"
)

// --- home ---

func (h *Handler) home(r *http.Request, lang string) (pagecache.Page, error) {
	d, err := h.Reader.Home(r.Context())
	if err != nil {
		return pagecache.Page{}, err
	}
	v, _, err := h.Render.Common(r, lang)
	if err != nil {
		return pagecache.Page{}, err
	}
	v.Canonical = v.Abs(reader.HomeURL)
	v.Data = d
	return h.Render.Execute("home", v)
}

// --- lists ---

func (h *Handler) slotList(slot string) pagecache.Render {
	return func(r *http.Request, lang string) (pagecache.Page, error) {
		page, err := render.PageNumber(r)
		if err != nil {
			return pagecache.Page{}, err
		}
		l, err := h.Reader.Slot(r.Context(), slot, page)
		if err != nil {
			return pagecache.Page{}, err
		}
		v, _, err := h.Render.Common(r, lang)
		if err != nil {
			return pagecache.Page{}, err
		}
		d := render.ListPage{Heading: v.T("list." + slot), Count: l.Count, Articles: l.Articles, Pager: l.Pager, ShowImages: slot == model.SlotFocus}
		v.Title, v.Canonical, v.Data = d.Heading, v.Abs(l.URL), d
		v.Description = v.T("list."+slot+".description", v.Site.Name)
		return h.Render.Execute("list", v)
	}
}

func (h *Handler) columnPage(r *http.Request, lang string) (pagecache.Page, error) {
	return h.columnList(r, lang, 0, 0)
}

// columnArchive serves /columns/{slug}/{year} and /columns/{slug}/{year}/{month}.
func (h *Handler) columnArchive(r *http.Request, lang string) (pagecache.Page, error) {
	year, err := strconv.Atoi(r.PathValue("year"))
	if err != nil || year < 1900 || year > 9999 {
		return pagecache.Page{}, fmt.Errorf("archive year %q: %w", r.PathValue("year"), model.ErrNotFound)
	}
	month := 0
	if m := r.PathValue("month"); m != "" {
		if month, err = strconv.Atoi(m); err != nil || month < 1 || month > 12 {
			return pagecache.Page{}, fmt.Errorf("archive month %q: %w", m, model.ErrNotFound)
		}
	}
	return h.columnList(r, lang, year, month)
}

func (h *Handler) columnList(r *http.Request, lang string, year, month int) (pagecache.Page, error) {
	page, err := render.ColumnPage(r)
	if err != nil {
		return pagecache.Page{}, err
	}
	l, err := h.Reader.Column(r.Context(), reader.ColumnParams{Slug: r.PathValue("slug"), Year: year, Month: month, Page: page})
	if err != nil {
		return pagecache.Page{}, err
	}
	v, _, err := h.Render.Common(r, lang)
	if err != nil {
		return pagecache.Page{}, err
	}
	col := l.Column
	d := render.ListPage{Heading: col.Name, Count: l.Count, Deep: page > 0, Articles: l.Articles, Pager: l.Pager, Column: &col, Children: l.Children,
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
	return h.Render.Execute("list", v)
}

// --- article ---

func (h *Handler) articlePage(r *http.Request, lang string) (pagecache.Page, error) {
	ctx := r.Context()
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return pagecache.Page{}, fmt.Errorf("article %q: %w", r.PathValue("id"), model.ErrNotFound)
	}
	a, err := h.Reader.Article(ctx, id)
	if err != nil {
		return pagecache.Page{}, err
	}
	v, _, err := h.Render.Common(r, lang)
	if err != nil {
		return pagecache.Page{}, err
	}
	d, err := h.Render.ArticlePageOf(ctx, h.Store, a, v)
	if err != nil {
		return pagecache.Page{}, err
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
		v.Feeds = append(v.Feeds,
			render.FeedLink{Title: a.Column.Name + " RSS", Href: reader.FeedURL(a.Column.Slug, "rss"), Type: "application/rss+xml"},
			render.FeedLink{Title: a.Column.Name + " Atom", Href: reader.FeedURL(a.Column.Slug, "atom"), Type: "application/atom+xml"})
	}
	v.JSONLD = v.NewsArticle(a)
	v.Data = d
	out, err := h.Render.Execute("article", v)
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

func (h *Handler) editorPage(slug string) pagecache.Render {
	return func(r *http.Request, lang string) (pagecache.Page, error) {
		p, err := h.Reader.Page(r.Context(), slug)
		if err != nil {
			return pagecache.Page{}, err
		}
		v, _, err := h.Render.Common(r, lang)
		if err != nil {
			return pagecache.Page{}, err
		}
		v.Title, v.Canonical, v.Data = p.Title, v.Abs(p.URL), pageData{Page: p}
		return h.Render.Execute("page", v)
	}
}

func (h *Handler) pageBySlug(r *http.Request, lang string) (pagecache.Page, error) {
	return h.editorPage(r.PathValue("slug"))(r, lang)
}

func (h *Handler) submitPage(r *http.Request, lang string) (pagecache.Page, error) {
	d, err := h.Reader.Submit(r.Context())
	if err != nil {
		return pagecache.Page{}, err
	}
	v, _, err := h.Render.Common(r, lang)
	if err != nil {
		return pagecache.Page{}, err
	}
	v.Title, v.Canonical, v.Description = v.T("submit.title"), v.Abs(d.URL), v.T("submit.intro")
	v.Data = pageData{Page: reader.Page{Title: v.T("submit.title"), Body: d.Guide.Body}, Intro: v.T("submit.intro"),
		Link: d.SignIn, LinkText: v.T("submit.signin"), Note: v.T("submit.signin.note")}
	return h.Render.Execute("page", v)
}

// --- site map ---

func (h *Handler) sitemapPage(r *http.Request, lang string) (pagecache.Page, error) {
	d, err := h.Reader.SiteMap(r.Context())
	if err != nil {
		return pagecache.Page{}, err
	}
	v, _, err := h.Render.Common(r, lang)
	if err != nil {
		return pagecache.Page{}, err
	}
	v.Title, v.Canonical, v.Data = v.T("sitemap.title"), v.Abs(reader.SitemapURL), d
	v.Description = v.T("sitemap.description", v.Site.Name)
	return h.Render.Execute("sitemap", v)
}

func (h *Handler) sitemapLimit() int {
	if h.SitemapLimit > 0 {
		return h.SitemapLimit
	}
	return feed.MaxSitemapURLs
}

func (h *Handler) sitemapXML(r *http.Request, lang string) (pagecache.Page, error) {
	ctx, per := r.Context(), h.sitemapLimit()
	size, err := h.Reader.SitemapSize(ctx)
	if err != nil {
		return pagecache.Page{}, err
	}
	var body []byte
	if size <= per {
		urls, err := h.Reader.SitemapURLs(ctx, 0, per)
		if err != nil {
			return pagecache.Page{}, err
		}
		body, err = feed.Sitemap(urls)
		return pagecache.Page{Body: body, ContentType: "application/xml; charset=utf-8"}, err
	}
	snap, err := h.Reader.Site(ctx)
	if err != nil {
		return pagecache.Page{}, err
	}
	parts, err := h.Reader.SitemapParts(ctx, per)
	if err != nil {
		return pagecache.Page{}, err
	}
	base := snap.Settings.BaseURL
	body, err = feed.SitemapIndex(len(parts),
		func(i int) string { return base + reader.SitemapPartURL(i) },
		func(i int) time.Time { return parts[i-1] })
	return pagecache.Page{Body: body, ContentType: "application/xml; charset=utf-8"}, err
}

func (h *Handler) sitemapPart(r *http.Request, lang string) (pagecache.Page, error) {
	num, ok := strings.CutSuffix(r.PathValue("file"), ".xml")
	i, err := strconv.Atoi(num)
	if !ok || err != nil || i < 1 {
		return pagecache.Page{}, fmt.Errorf("sitemap %q: %w", r.PathValue("file"), model.ErrNotFound)
	}
	ctx, per := r.Context(), h.sitemapLimit()
	size, err := h.Reader.SitemapSize(ctx)
	if err != nil {
		return pagecache.Page{}, err
	}
	if size <= per {
		return pagecache.Page{}, fmt.Errorf("sitemap is not split: %w", model.ErrNotFound)
	}
	if (i-1)*per >= size {
		return pagecache.Page{}, fmt.Errorf("sitemap part %d of %d: %w", i, (size+per-1)/per, model.ErrNotFound)
	}
	part, err := h.Reader.SitemapURLs(ctx, (i-1)*per, per)
	if err != nil {
		return pagecache.Page{}, err
	}
	body, err := feed.Sitemap(part)
	return pagecache.Page{Body: body, ContentType: "application/xml; charset=utf-8"}, err
}

func (h *Handler) robots(r *http.Request, lang string) (pagecache.Page, error) {
	snap, err := h.Reader.Site(r.Context())
	if err != nil {
		return pagecache.Page{}, err
	}
	body := "User-agent: *\nAllow: /\nDisallow: " + reader.DeskURL + "\n\nSitemap: " + snap.Settings.BaseURL + reader.SitemapXMLURL + "\n"
	return pagecache.Page{Body: []byte(body), ContentType: "text/plain; charset=utf-8"}, nil
}

// --- feeds ---

func (h *Handler) feedsPage(r *http.Request, lang string) (pagecache.Page, error) {
	d, err := h.Reader.FeedDirectory(r.Context())
	if err != nil {
		return pagecache.Page{}, err
	}
	v, _, err := h.Render.Common(r, lang)
	if err != nil {
		return pagecache.Page{}, err
	}
	v.Title, v.Canonical, v.Data = v.T("feeds.title"), v.Abs(reader.FeedsURL), d
	v.Description = v.T("feeds.intro")
	return h.Render.Execute("feeds", v)
}

func (h *Handler) siteFeed(format string) pagecache.Render {
	return func(r *http.Request, lang string) (pagecache.Page, error) {
		return h.feed(r, lang, format, "")
	}
}

func (h *Handler) columnFeed(format string) pagecache.Render {
	return func(r *http.Request, lang string) (pagecache.Page, error) {
		return h.feed(r, lang, format, r.PathValue("slug"))
	}
}

// feed renders the latest articles of the site or of a column (with its
// sub-columns) as RSS 2.0 or Atom.
func (h *Handler) feed(r *http.Request, lang, format, slug string) (pagecache.Page, error) {
	d, err := h.Reader.Feed(r.Context(), slug, format)
	if err != nil {
		return pagecache.Page{}, err
	}
	v, _, err := h.Render.Common(r, lang)
	if err != nil {
		return pagecache.Page{}, err
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
		f.Updated = h.Pages.Cache.LastChange().In(st.TimeZone)
	}
	var body []byte
	ctype := "application/rss+xml; charset=utf-8"
	if format == "atom" {
		body, err = feed.Atom(f)
		ctype = "application/atom+xml; charset=utf-8"
	} else {
		body, err = feed.RSS(f)
	}
	return pagecache.Page{Body: body, ContentType: ctype}, err
}

// --- media ---

// serveMedia serves an uploaded file by id, to whoever media.Open lets
// have it; anyone else is told it does not exist.
func (h *Handler) serveMedia(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		h.fail(w, r, model.ErrNotFound)
		return
	}
	viewer, err := h.Viewer(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	m, reach, err := h.Media.Open(r.Context(), viewer, id, r.PathValue("name"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.serveFile(w, r, m.Key, m.ContentType, m.Checksum[:16], reach)
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
func (h *Handler) serveFile(w http.ResponseWriter, r *http.Request, key, ctype, etag string, reach media.Reach) {
	hd := w.Header()
	hd.Set("Cache-Control", mediaCaching[reach])
	hd.Set("Etag", `"`+etag+`"`)
	if inm := r.Header.Get("If-None-Match"); inm != "" && (inm == "*" || strings.Contains(inm, `"`+etag+`"`)) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	f, err := h.Files.Get(r.Context(), key)
	if err != nil {
		hd.Del("Etag")
		h.fail(w, r, err)
		return
	}
	defer f.Close()
	hd.Set("Content-Type", ctype)
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	http.ServeContent(w, r, "", time.Time{}, f)
}

// serveVariant serves a responsive variant to whoever may fetch its file.
func (h *Handler) serveVariant(w http.ResponseWriter, r *http.Request) {
	viewer, err := h.Viewer(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	v, reach, err := h.Media.OpenVariant(r.Context(), viewer, "v/"+r.PathValue("dir")+"/"+r.PathValue("file"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.serveFile(w, r, v.Key, v.ContentType, v.Key, reach)
}

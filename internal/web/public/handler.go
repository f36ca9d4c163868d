package public

import (
	"errors"
	"net/http"

	"newsdesk/internal/i18n"
	"newsdesk/internal/media"
	"newsdesk/internal/model"
	"newsdesk/internal/reader"
	"newsdesk/internal/redirect"
	"newsdesk/internal/site"
	"newsdesk/internal/web/pagecache"
	"newsdesk/internal/web/render"
)

// Deps are what the public handlers need.
type Deps struct {
	Reader *reader.Service
	// Store reads the library files shown in article bodies.
	Store   render.MediaFiles
	Media   *media.Service
	Files   media.Storage
	Catalog *i18n.Catalog
	Render  *render.Renderer
	Pages   *pagecache.Pages
	// SitemapLimit is the number of URLs per sitemap file (0 = 50,000).
	SitemapLimit int
	// Viewer is the signed-in desk user asking for a media file, or nil
	// (the desk's session, which this package does not know).
	Viewer func(r *http.Request) (*model.User, error)
	// Redirects answers the old addresses of imported sites (nil: none).
	Redirects *redirect.Service
}

// Handler serves the public site.
type Handler struct {
	Deps
}

// New makes the public handlers.
func New(d Deps) *Handler { return &Handler{Deps: d} }

// Route is one route of the public site.
type Route struct {
	Pattern string
	Handle  http.HandlerFunc
}

// Routes are the public site's routes (everything but the desk and the API).
func (h *Handler) Routes() []Route {
	page := h.cached
	return []Route{
		{"GET /{$}", h.oldHomeQuery(page(h.home))},
		{"GET /focus", page(h.slotList(model.SlotFocus))},
		{"GET /recommended", page(h.slotList(model.SlotRecommended))},
		{"GET /columns/{slug}", page(h.columnPage)},
		{"GET /columns/{slug}/{year}", page(h.columnArchive)},
		{"GET /columns/{slug}/{year}/{month}", page(h.columnArchive)},
		{"GET /columns/{slug}/rss.xml", page(h.columnFeed("rss"))},
		{"GET /columns/{slug}/atom.xml", page(h.columnFeed("atom"))},
		{"GET /articles/{id}", page(h.articlePage)},
		{"GET /sitemap", page(h.sitemapPage)},
		{"GET /sitemap.xml", page(h.sitemapXML)},
		{"GET /sitemaps/{file}", page(h.sitemapPart)},
		{"GET /robots.txt", page(h.robots)},
		{"GET /feeds", page(h.feedsPage)},
		{"GET /rss.xml", page(h.siteFeed("rss"))},
		{"GET /atom.xml", page(h.siteFeed("atom"))},
		{"GET /help", page(h.editorPage(site.PageHelp))},
		{"GET /pages/{slug}", page(h.pageBySlug)},
		{"GET /submit", page(h.submitPage)},
		{"GET /search", page(h.searchPage)},
		{"GET /opensearch.xml", page(h.openSearch)},
		{"GET /media/{id}/{name}", h.serveMedia},
		{"GET /media/v/{dir}/{file}", h.serveVariant},
		{"GET /static/{version}/{file}", h.serveStatic},
		{"GET " + reader.FaviconICO, h.serveIcon},
		{"GET " + reader.FaviconSVG, h.serveIcon},
		{"GET /healthz", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("ok\n")) }},
		{"/", h.unmatched(page(func(*http.Request, string) (pagecache.Page, error) { return pagecache.Page{}, model.ErrNotFound }))},
	}
}

// unmatched answers a request no route matched: an old address of an
// imported site with a 301 to where it went, anything else with notFound.
// Only such requests look redirects up, so they cost other pages nothing.
func (h *Handler) unmatched(notFound http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if h.Redirects == nil || (r.Method != http.MethodGet && r.Method != http.MethodHead) {
			notFound(w, r)
			return
		}
		rd, err := h.Redirects.Lookup(r.Context(), r.URL.EscapedPath(), r.URL.RawQuery)
		if errors.Is(err, model.ErrNotFound) {
			notFound(w, r)
			return
		}
		if err != nil {
			h.fail(w, r, err)
			return
		}
		to := rd.Target
		if rd.ArticleID != 0 {
			to = reader.ArticleURL(rd.ArticleID)
		}
		w.Header().Set("Cache-Control", "public, max-age=86400")
		http.Redirect(w, r, to, http.StatusMovedPermanently)
	}
}

// oldHomeQuery answers the home page, unless it is asked with a query
// that an imported site's address had (WordPress's /?p=12): then with
// its redirect. The home page without a query looks nothing up.
func (h *Handler) oldHomeQuery(home http.HandlerFunc) http.HandlerFunc {
	old := h.unmatched(home)
	return func(w http.ResponseWriter, r *http.Request) {
		if r.URL.RawQuery == "" || h.Redirects == nil {
			home(w, r)
			return
		}
		old(w, r)
	}
}

// cached serves a page from the page cache; errors render the 404 or 500 page.
func (h *Handler) cached(render pagecache.Render) http.HandlerFunc {
	return h.Pages.Handler(render, h.Render.Fail)
}

// fail answers err with the site's error page.
func (h *Handler) fail(w http.ResponseWriter, r *http.Request, err error) {
	h.Render.Fail(w, r, render.Lang(h.Catalog, r), err)
}

// serveIcon serves the site's icon.
func (h *Handler) serveIcon(w http.ResponseWriter, r *http.Request) {
	if err := h.Render.ServeIcon(w, r); err != nil {
		h.fail(w, r, err)
	}
}

// serveStatic serves the embedded assets.
func (h *Handler) serveStatic(w http.ResponseWriter, r *http.Request) {
	if err := h.Render.ServeStatic(w, r); err != nil {
		h.fail(w, r, err)
	}
}

// Package web is Newsdesk's HTTP side: the public site (and later the desk
// and API). Handlers are thin: they read the request, ask the domain
// packages, and render embedded templates.
package web

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"runtime/debug"
	"strings"
	"sync/atomic"
	"time"

	"newsdesk/internal/account"
	"newsdesk/internal/article"
	"newsdesk/internal/column"
	"newsdesk/internal/i18n"
	"newsdesk/internal/media"
	"newsdesk/internal/reader"
	"newsdesk/internal/search"
	"newsdesk/internal/site"
	"newsdesk/internal/slot"
	"newsdesk/internal/store"
)

//go:embed templates static
var assets embed.FS

// Deps are what the server is built from; main wires them.
type Deps struct {
	Store    store.Store
	Site     *site.Service
	Articles *article.Service
	Search   *search.Service
	Accounts *account.Service
	Slots    *slot.Service
	Columns  *column.Service
	Media    *media.Service
	Views    *article.Views
	// Reader builds the public pages' content; New makes one from the
	// other dependencies when it is nil.
	Reader *reader.Service
	Files  media.Storage
	// MediaBase is the public address of the media storage (a CDN), if
	// readers fetch files there rather than through Newsdesk.
	MediaBase string
	Catalog   *i18n.Catalog
	Log       *slog.Logger
	// CacheBytes bounds the page cache; 0 means 64 MiB.
	CacheBytes int64
	// ViewsRefresh is how stale a cached article page's view count may get.
	ViewsRefresh time.Duration
	// Now returns the current time; tests replace it.
	Now func() time.Time
	// TrustProxy: the client's address is the last X-Forwarded-For entry.
	TrustProxy bool
	// SitemapLimit is the number of URLs per sitemap file (0 = 50,000).
	SitemapLimit int
}

// Server serves the public site.
type Server struct {
	Deps
	cache  *pageCache
	pages  map[string]pageTemplate
	static staticFiles
	mux    *http.ServeMux
	errors atomic.Int64
}

// New parses every template (failing fast on a broken one) and builds the
// route table.
func New(d Deps) (*Server, error) {
	if d.CacheBytes == 0 {
		d.CacheBytes = 64 << 20
	}
	if d.ViewsRefresh == 0 {
		d.ViewsRefresh = 5 * time.Second
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Log == nil {
		d.Log = slog.Default()
	}
	s := &Server{Deps: d, cache: newPageCache(d.CacheBytes)}
	if s.Reader == nil {
		s.Reader = &reader.Service{Store: d.Store, Settings: d.Site, Now: d.Now, FileURL: s.mediaURL, VariantURL: s.variantURL}
		// Nil pointers stay nil interfaces.
		if d.Search != nil {
			s.Reader.Index = d.Search
		}
		if d.Views != nil {
			s.Reader.Views = d.Views
		}
	}
	var err error
	if s.static, err = loadStatic(); err != nil {
		return nil, err
	}
	if s.pages, err = parseTemplates(s); err != nil {
		return nil, err
	}
	s.routes()
	return s, nil
}

// Invalidate drops every cached page. Domain services call it (through main)
// after each change to published content.
func (s *Server) Invalidate() {
	s.Reader.Invalidate()
	s.cache.purge()
}

func (s *Server) routes() {
	m := http.NewServeMux()
	page := s.cached
	m.HandleFunc("GET /{$}", page(s.home))
	m.HandleFunc("GET /focus", page(s.slotList(store.SlotFocus)))
	m.HandleFunc("GET /recommended", page(s.slotList(store.SlotRecommended)))
	m.HandleFunc("GET /columns/{slug}", page(s.columnPage))
	m.HandleFunc("GET /columns/{slug}/{year}", page(s.columnArchive))
	m.HandleFunc("GET /columns/{slug}/{year}/{month}", page(s.columnArchive))
	m.HandleFunc("GET /columns/{slug}/rss.xml", page(s.columnFeed("rss")))
	m.HandleFunc("GET /columns/{slug}/atom.xml", page(s.columnFeed("atom")))
	m.HandleFunc("GET /articles/{id}", page(s.articlePage))
	m.HandleFunc("GET /sitemap", page(s.sitemapPage))
	m.HandleFunc("GET /sitemap.xml", page(s.sitemapXML))
	m.HandleFunc("GET /sitemaps/{file}", page(s.sitemapPart))
	m.HandleFunc("GET /robots.txt", page(s.robots))
	m.HandleFunc("GET /feeds", page(s.feedsPage))
	m.HandleFunc("GET /rss.xml", page(s.siteFeed("rss")))
	m.HandleFunc("GET /atom.xml", page(s.siteFeed("atom")))
	m.HandleFunc("GET /help", page(s.editorPage(site.PageHelp)))
	m.HandleFunc("GET /pages/{slug}", page(s.pageBySlug))
	m.HandleFunc("GET /submit", page(s.submitPage))
	m.HandleFunc("GET /search", page(s.searchPage))
	m.HandleFunc("GET /opensearch.xml", page(s.openSearch))
	s.deskMux(m)
	m.HandleFunc("GET /media/{id}/{name}", s.serveMedia)
	m.HandleFunc("GET /media/v/{dir}/{file}", s.serveVariant)
	m.HandleFunc("GET /static/{version}/{file}", s.serveStatic)
	m.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("ok\n")) })
	m.HandleFunc("GET /metrics", s.metrics)
	m.HandleFunc("/", page(func(*http.Request, string) (rendered, error) { return rendered{}, store.ErrNotFound }))
	s.mux = m
}

// ServeHTTP recovers from panics so one broken page never takes the site
// down, and answers with the site's 500 page.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	defer func() {
		if v := recover(); v != nil {
			if v == http.ErrAbortHandler {
				panic(v)
			}
			s.Log.Error("panic", "path", r.URL.Path, "panic", v, "stack", string(debug.Stack()))
			s.fail(w, r, s.lang(r), fmt.Errorf("panic: %v", v))
		}
	}()
	s.mux.ServeHTTP(w, r)
}

// rendered is a page produced by a handler, before caching.
type rendered struct {
	body        []byte
	contentType string
	articleID   int64
}

type renderFunc func(r *http.Request, lang string) (rendered, error)

// lang picks the interface language: ?lang=, then the lang cookie, then
// Accept-Language.
func (s *Server) lang(r *http.Request) string {
	param := ""
	if strings.Contains(r.URL.RawQuery, "lang=") {
		param = r.URL.Query().Get("lang")
	}
	if param == "" && r.Header.Get("Cookie") != "" {
		if c, err := r.Cookie("lang"); err == nil {
			param = c.Value
		}
	}
	return s.Catalog.Pick(param, r.Header.Get("Accept-Language"))
}

// cached serves a page from the cache, rendering it on a miss. Only
// successful renders are cached; errors render the 404 or 500 page.
func (s *Server) cached(render renderFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		lang := s.lang(r)
		if strings.Contains(r.URL.RawQuery, "lang=") && r.URL.Query().Get("lang") != "" {
			http.SetCookie(w, &http.Cookie{Name: "lang", Value: lang, Path: "/", MaxAge: 365 * 24 * 3600, HttpOnly: true, SameSite: http.SameSiteLaxMode})
		}
		key := lang + " " + r.URL.Path + "?" + r.URL.RawQuery
		e := s.cache.get(key)
		if e != nil && e.articleID != 0 && time.Since(e.rendered) > s.ViewsRefresh && s.Views != nil && s.Views.Pending(e.articleID) > 0 {
			// Show the newer view count: one request re-renders, the others
			// keep getting the cached page meanwhile.
			if e.refreshing.CompareAndSwap(false, true) {
				e = nil
			}
		}
		if e == nil {
			gen := s.cache.generation()
			out, err := render(r, lang)
			if err != nil {
				s.fail(w, r, lang, err)
				return
			}
			e = newEntry(out.body, out.contentType, s.cache.lastChange())
			e.articleID = out.articleID
			s.cache.put(key, e, gen)
		}
		if e.articleID != 0 && s.Views != nil {
			s.Views.Add(e.articleID)
		}
		s.serveEntry(w, r, e)
	}
}

func (s *Server) serveEntry(w http.ResponseWriter, r *http.Request, e *entry) {
	h := w.Header()
	body, etag, clen := e.body, e.etag, e.clen
	if strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
		body, etag, clen = e.gzipped()
		h["Content-Encoding"] = gzipEncoding
	}
	h["Content-Type"] = e.ctype
	h["Etag"] = etag
	h["Last-Modified"] = e.lastMod
	h["Vary"] = varyHeader
	h["Cache-Control"] = noCache
	if inm := r.Header.Get("If-None-Match"); inm != "" && strings.Contains(inm, etag[0]) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	h["Content-Length"] = clen
	if r.Method == http.MethodHead {
		return
	}
	w.Write(body)
}

var (
	gzipEncoding = []string{"gzip"}
	varyHeader   = []string{"Accept-Encoding, Accept-Language, Cookie"}
	// Browsers and proxies revalidate with the ETag; the answer is a cheap 304.
	noCache = []string{"public, max-age=0, must-revalidate"}
)

// fail renders the site's error page for err: 404 for anything not found,
// 500 (logged) for the rest.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, lang string, err error) {
	status := http.StatusInternalServerError
	if errors.Is(err, store.ErrNotFound) {
		status = http.StatusNotFound
	} else {
		s.errors.Add(1)
		s.Log.Error("page failed", "path", r.URL.Path, "err", err)
	}
	body, rerr := s.renderError(r, lang, status)
	if rerr != nil {
		s.Log.Error("error page failed", "err", rerr)
		http.Error(w, http.StatusText(status), status)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(body)
}

func (s *Server) metrics(w http.ResponseWriter, r *http.Request) {
	entries, size := s.cache.stats()
	w.Header().Set("Content-Type", "text/plain; version=0.0.4")
	fmt.Fprintf(w, "# TYPE newsdesk_page_cache_hits_total counter\nnewsdesk_page_cache_hits_total %d\n", s.cache.hits.Load())
	fmt.Fprintf(w, "# TYPE newsdesk_page_cache_misses_total counter\nnewsdesk_page_cache_misses_total %d\n", s.cache.misses.Load())
	fmt.Fprintf(w, "# TYPE newsdesk_page_cache_evictions_total counter\nnewsdesk_page_cache_evictions_total %d\n", s.cache.evictions.Load())
	fmt.Fprintf(w, "# TYPE newsdesk_page_cache_entries gauge\nnewsdesk_page_cache_entries %d\n", entries)
	fmt.Fprintf(w, "# TYPE newsdesk_page_cache_bytes gauge\nnewsdesk_page_cache_bytes %d\n", size)
	fmt.Fprintf(w, "# TYPE newsdesk_page_errors_total counter\nnewsdesk_page_errors_total %d\n", s.errors.Load())
}

// staticFiles are the embedded assets, served under a content-hash version
// so they can be cached forever.
type staticFiles struct {
	version string
	fs      fs.FS
}

// Run serves on addr until ctx ends, then shuts down gracefully.
func Run(ctx context.Context, addr string, h http.Handler, log *slog.Logger) error {
	srv := &http.Server{Addr: addr, Handler: h, ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 2 * time.Minute}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", addr, err)
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	log.Info("serving", "addr", "http://"+addr)
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shut, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	return srv.Shutdown(shut)
}

// Package web is Newsdesk's HTTP side: the public site (and later the desk
// and API). Handlers are thin: they read the request, ask the domain
// packages, and render embedded templates.
package web

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"html/template"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"path"
	"runtime/debug"
	"strings"
	"time"

	"golang.org/x/net/netutil"

	"newsdesk/internal/account"
	"newsdesk/internal/annotation"
	"newsdesk/internal/approval"
	"newsdesk/internal/article"
	"newsdesk/internal/campus"
	"newsdesk/internal/check"
	"newsdesk/internal/column"
	"newsdesk/internal/i18n"
	"newsdesk/internal/media"
	"newsdesk/internal/model"
	"newsdesk/internal/notify"
	"newsdesk/internal/reader"
	"newsdesk/internal/redirect"
	"newsdesk/internal/review"
	"newsdesk/internal/search"
	"newsdesk/internal/site"
	"newsdesk/internal/slot"
	"newsdesk/internal/store"
	"newsdesk/internal/web/approve"
	"newsdesk/internal/web/desk"
	"newsdesk/internal/web/pagecache"
	"newsdesk/internal/web/public"
	"newsdesk/internal/web/render"
)

// Deps are what the server is built from; main wires them.
type Deps struct {
	Store    store.Store
	Site     *site.Service
	Articles *article.Service
	// Reviews keeps the review chains; New makes one when it is nil.
	Reviews  *review.Service
	Search   *search.Service
	Accounts *account.Service
	Campus   *campus.Service // campus sign-in (CAS, OpenID Connect)
	Slots    *slot.Service
	Columns  *column.Service
	Media    *media.Service
	Checks   *check.Service // content checks (错敏检查)
	Views    *article.Views
	// Notify is the users' notifications (and, through it, the outbox).
	Notify *notify.Service
	// Approval is the outside approvers' links.
	Approval *approval.Service
	// Redirects keeps imported sites' old addresses working (nil: none).
	Redirects *redirect.Service
	// Reader builds the public pages' content; New makes one from the
	// other dependencies when it is nil.
	Reader *reader.Service
	Files  media.Storage
	// DeskURL is the desk's public address, where campus sign-in comes
	// back to, when it differs from the site's (a desk listener apart).
	DeskURL string
	// MediaBase is the public address of the media storage (a CDN), if
	// readers fetch files there rather than through Newsdesk.
	MediaBase string
	Catalog   *i18n.Catalog
	Log       *slog.Logger
	// SearchURL is where the public pages' search box sends readers
	// (default /search): a static export names a dynamic Newsdesk.
	SearchURL string
	// PublicOnly is a server that renders only the public site (a static
	// export's): its desk answers with an error (render.Options).
	PublicOnly bool
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
	// MetricsToken, when set, is the bearer token /metrics asks for. With
	// no desk listener /metrics answers only to it (404 otherwise).
	MetricsToken string
	// Limits bound each connection's time; the upload and media routes
	// take theirs from it (zero fields: the defaults).
	Limits Limits
	// APICORSOrigins may read the content API from a browser ("*": any).
	APICORSOrigins []string

	// Annotations are the reviewers' comments on passages (批注).
	Annotations *annotation.Service
}

// Server serves the public site.
type Server struct {
	Deps
	cache  *pagecache.Cache
	pages  *pagecache.Pages
	render *render.Renderer
	public *public.Handler
	desk   *desk.Handler
	// approve is the outside approvers' page (nil without Approval).
	approve *approve.Handler
	mux     *http.ServeMux
	// apiFail answers errors under /api/ (as JSON); see failFor.
	apiFail func(w http.ResponseWriter, r *http.Request, lang string, err error)
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
	s := &Server{Deps: d, cache: pagecache.New(d.CacheBytes)}
	s.pages = &pagecache.Pages{Cache: s.cache, Lang: s.lang, Mode: render.Mode, Remember: render.RememberMode, ViewsRefresh: d.ViewsRefresh}
	if d.Views != nil {
		s.pages.Views = d.Views
	}
	var err error
	if s.render, err = render.New(render.Options{Catalog: d.Catalog, MediaBase: d.MediaBase, Funcs: template.FuncMap{"campus": func() []string { return s.desk.CampusSignIns() }},
		Site: func(ctx context.Context) (*reader.Site, error) { return s.Reader.Site(ctx) }, Log: d.Log, SearchURL: d.SearchURL, PublicOnly: d.PublicOnly}); err != nil {
		return nil, err
	}
	if s.Reader == nil {
		s.Reader = &reader.Service{Store: d.Store, Settings: d.Site, Now: d.Now, FileURL: s.render.FileURL, VariantURL: s.render.VariantURL}
		// Nil pointers stay nil interfaces.
		if d.Search != nil {
			s.Reader.Index = d.Search
		}
		if d.Views != nil {
			s.Reader.Views = d.Views
		}
	}
	if d.Reviews == nil {
		d.Reviews = &review.Service{Store: d.Store, Now: d.Now}
		s.Reviews = d.Reviews // the API's too
	}
	s.desk = desk.New(desk.Deps{Store: d.Store, Site: d.Site, Articles: d.Articles, Annotations: d.Annotations, Reviews: d.Reviews, Search: d.Search, Accounts: d.Accounts,
		Campus: d.Campus, Slots: d.Slots, Columns: d.Columns, Media: d.Media, Checks: d.Checks, Reader: s.Reader, DeskURL: d.DeskURL, Notify: d.Notify, Approval: d.Approval, Redirects: d.Redirects,
		Catalog: d.Catalog, Log: d.Log, ClientIP: s.clientIP}, s.render)
	s.public = public.New(public.Deps{Reader: s.Reader, Store: d.Store, Media: d.Media, Files: d.Files, Catalog: d.Catalog,
		Render: s.render, Pages: s.pages, SitemapLimit: d.SitemapLimit, Viewer: s.desk.Viewer, Redirects: d.Redirects})
	if d.Approval != nil {
		s.approve = approve.New(approve.Deps{Approval: d.Approval, Reader: s.Reader, Store: d.Store, Media: d.Media, Files: d.Files, Render: s.render, Catalog: d.Catalog, Log: d.Log, ClientIP: s.clientIP})
	}
	s.routes()
	return s, nil
}

// Invalidate drops every cached page. Domain services call it (through main)
// after each change to published content.
func (s *Server) Invalidate() {
	s.Reader.Invalidate()
	s.cache.Purge()
}

// PublicPatterns lists the public site's routes, for the tests that walk
// every route.
func (s *Server) PublicPatterns() []string {
	var out []string
	for _, rt := range s.public.Routes() {
		out = append(out, rt.Pattern)
	}
	return out
}

func (s *Server) routes() {
	m := http.NewServeMux()
	for _, rt := range s.public.Routes() {
		m.HandleFunc(rt.Pattern, rt.Handle)
	}
	s.desk.Mount(m)
	if s.approve != nil {
		for _, rt := range s.approve.Routes() {
			m.HandleFunc(rt.Pattern, rt.Handle)
		}
	}
	s.mountAPI(m)
	s.mux = m
}

// door is the listener a request came in by.
type door int

const (
	doorAll    door = iota // one listener serves everything
	doorPublic             // the public listener, the desk having its own
	doorDesk               // the desk's own listener
)

// ServeHTTP serves everything on one listener: the public site, the desk,
// and /metrics to holders of the metrics token.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.serve(w, r, doorAll) }

// PublicHandler serves the public listener when the desk has one of its
// own (DeskHandler): the desk, the desk API and /metrics answer 404 here.
func (s *Server) PublicHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { s.serve(w, r, doorPublic) })
}

// DeskHandler serves the desk's own listener to clients whose address
// (clientIP, so behind a trusted proxy the one it saw) is in allow, or to
// all when allow is empty; others get 403. It serves the whole site, since
// desk pages use its assets and link to its pages, and /metrics.
func (s *Server) DeskHandler(allow []netip.Prefix) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if len(allow) > 0 && !allowed(allow, s.clientIP(r)) {
			w.Header().Set("Content-Type", "text/plain; charset=utf-8")
			w.Header().Set("Cache-Control", "no-store")
			w.WriteHeader(http.StatusForbidden)
			fmt.Fprintln(w, s.Catalog.T(s.lang(r), "desk.not_allowed"))
			return
		}
		s.serve(w, r, doorDesk)
	})
}

func allowed(allow []netip.Prefix, ip string) bool {
	a, err := netip.ParseAddr(ip)
	if err != nil {
		return false
	}
	a = a.Unmap() // an IPv4 client on a dual-stack socket
	for _, p := range allow {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// deskOnly says whether a path belongs to the desk's listener when there
// is one: the desk, the desk API and the metrics.
func deskOnly(p string) bool {
	if strings.Contains(p, "/.") || strings.Contains(p, "//") {
		p = path.Clean(p) // what the router will serve, or redirect to
	}
	return p == "/metrics" || p == "/desk" || strings.HasPrefix(p, "/desk/") || p == "/api/v1/desk" || strings.HasPrefix(p, "/api/v1/desk/")
}

// serve answers a request that came in by door: the security headers,
// the time the route may take, then the route. It recovers from panics so
// one broken page never takes the site down, and answers with the site's
// 500 page.
func (s *Server) serve(w http.ResponseWriter, r *http.Request, d door) {
	defer func() {
		if v := recover(); v != nil {
			if v == http.ErrAbortHandler {
				panic(v)
			}
			s.Log.Error("panic", "path", r.URL.Path, "panic", v, "stack", string(debug.Stack()))
			s.failFor(r)(w, r, s.lang(r), fmt.Errorf("panic: %v", v))
		}
	}()
	s.securityHeaders(w, r)
	s.extendDeadlines(w, r)
	switch {
	case d == doorPublic && deskOnly(r.URL.Path):
		s.failFor(r)(w, r, s.lang(r), model.ErrNotFound)
	case r.URL.Path == "/metrics":
		s.metrics(w, r, d)
	case s.pages.Hit(w, r): // a cached page, served without routing
	default:
		s.mux.ServeHTTP(w, r)
	}
}

// clientIP is the address sign-in limits and the audit log use. Behind a
// reverse proxy every request comes from the proxy, so with TrustProxy the
// address the proxy saw is taken instead (never the leftmost entries,
// which the client can write). TrustProxy is read on each request.
func (s *Server) clientIP(r *http.Request) string { return render.ClientIP(r, s.TrustProxy) }

// DeskPatterns lists the signed-in desk routes, for the authorisation test.
func (s *Server) DeskPatterns() []string { return s.desk.Patterns() }

// lang picks the interface language (render.Lang).
func (s *Server) lang(r *http.Request) string { return render.Lang(s.Catalog, r) }

// fail renders the site's error page for err (render.Fail).
func (s *Server) fail(w http.ResponseWriter, r *http.Request, lang string, err error) {
	s.render.Fail(w, r, lang, err)
}

// metrics answers Prometheus: on the desk's listener, or anywhere to the
// bearer of the metrics token (when one is set, on the desk's too). Every
// refusal is a 404, which says nothing of what is there.
func (s *Server) metrics(w http.ResponseWriter, r *http.Request, d door) {
	if d == doorPublic || (d == doorAll && s.MetricsToken == "") || (r.Method != http.MethodGet && r.Method != http.MethodHead) ||
		(s.MetricsToken != "" && subtle.ConstantTimeCompare([]byte(r.Header.Get("Authorization")), []byte("Bearer "+s.MetricsToken)) != 1) {
		s.fail(w, r, s.lang(r), model.ErrNotFound)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	entries, size := s.cache.Stats()
	w.Header().Set("Content-Type", "text/plain; version=0.0.4")
	fmt.Fprintf(w, "# TYPE newsdesk_page_cache_hits_total counter\nnewsdesk_page_cache_hits_total %d\n", s.cache.Hits.Load())
	fmt.Fprintf(w, "# TYPE newsdesk_page_cache_misses_total counter\nnewsdesk_page_cache_misses_total %d\n", s.cache.Misses.Load())
	fmt.Fprintf(w, "# TYPE newsdesk_page_cache_evictions_total counter\nnewsdesk_page_cache_evictions_total %d\n", s.cache.Evictions.Load())
	fmt.Fprintf(w, "# TYPE newsdesk_page_cache_entries gauge\nnewsdesk_page_cache_entries %d\n", entries)
	fmt.Fprintf(w, "# TYPE newsdesk_page_cache_bytes gauge\nnewsdesk_page_cache_bytes %d\n", size)
	fmt.Fprintf(w, "# TYPE newsdesk_page_errors_total counter\nnewsdesk_page_errors_total %d\n", s.render.Failures())
}

// Limits bound how long a client may hold a connection, and how many may
// be open. The defaults fit a small server; a zero field takes its default.
type Limits struct {
	// HeaderTimeout is the time to send a request's headers (10 s).
	HeaderTimeout time.Duration
	// ReadTimeout is the time to send a whole request, body included (30 s).
	ReadTimeout time.Duration
	// WriteTimeout is the time to receive a whole response (60 s).
	WriteTimeout time.Duration
	// UploadTimeout replaces both for an upload: any POST or PUT body that
	// is not a plain form or JSON (10 min: 50 MB at 1 Mbit/s takes 7).
	UploadTimeout time.Duration
	// MediaTimeout replaces WriteTimeout for media files under /media/ (10 min).
	MediaTimeout time.Duration
	// IdleTimeout is how long a kept-alive connection may wait (2 min).
	IdleTimeout time.Duration
	// MaxConns bounds the open connections of each listener (1,024); the
	// next ones wait to be accepted.
	MaxConns int
}

func (l Limits) withDefaults() Limits {
	def := func(d *time.Duration, v time.Duration) {
		if *d == 0 {
			*d = v
		}
	}
	def(&l.HeaderTimeout, 10*time.Second)
	def(&l.ReadTimeout, 30*time.Second)
	def(&l.WriteTimeout, time.Minute)
	def(&l.UploadTimeout, 10*time.Minute)
	def(&l.MediaTimeout, 10*time.Minute)
	def(&l.IdleTimeout, 2*time.Minute)
	if l.MaxConns == 0 {
		l.MaxConns = 1024
	}
	return l
}

// extendDeadlines gives uploads and media files their longer time; every
// other request keeps the server's read and write time-outs.
func (s *Server) extendDeadlines(w http.ResponseWriter, r *http.Request) {
	switch {
	case isUpload(r):
		lim := s.Limits.withDefaults()
		rc := http.NewResponseController(w)
		until := time.Now().Add(lim.UploadTimeout)
		// Errors mean the connection cannot take deadlines (a test
		// recorder): nothing to extend then.
		_ = rc.SetReadDeadline(until)
		_ = rc.SetWriteDeadline(until.Add(lim.WriteTimeout))
	case strings.HasPrefix(r.URL.Path, "/media/"):
		_ = http.NewResponseController(w).SetWriteDeadline(time.Now().Add(s.Limits.withDefaults().MediaTimeout))
	}
}

// isUpload says whether r carries a file: a POST or PUT body other than a
// plain form or JSON. The sign-in form never is, whatever it claims to be.
func isUpload(r *http.Request) bool {
	if (r.Method != http.MethodPost && r.Method != http.MethodPut) || r.URL.Path == "/desk/login" {
		return false
	}
	ct := r.Header.Get("Content-Type")
	return ct != "" && !strings.HasPrefix(ct, "application/x-www-form-urlencoded") && !strings.HasPrefix(ct, "application/json")
}

// Listener is one address the server answers on and what it serves there.
type Listener struct {
	Addr    string
	Handler http.Handler
	// Name says in the log what is served there ("site", "desk").
	Name string
}

// Run listens on every address (failing before serving if one is taken)
// and serves them until ctx ends, then shuts all down gracefully.
func Run(ctx context.Context, log *slog.Logger, limits Limits, ls ...Listener) error {
	var bound []Bound
	for _, l := range ls {
		ln, err := net.Listen("tcp", l.Addr)
		if err != nil {
			for _, b := range bound {
				b.Listener.Close()
			}
			return fmt.Errorf("listen on %s: %w", l.Addr, err)
		}
		bound = append(bound, Bound{Listener: ln, Handler: l.Handler, Name: l.Name})
	}
	return Serve(ctx, log, limits, bound...)
}

// Bound is a listener already listening and what it serves.
type Bound struct {
	Listener net.Listener
	Handler  http.Handler
	Name     string
}

// Serve serves each bound listener, at most limits.MaxConns connections
// open on each, until ctx ends or one fails; then it shuts all down.
func Serve(ctx context.Context, log *slog.Logger, limits Limits, bs ...Bound) error {
	limits = limits.withDefaults()
	deskApart := false
	for _, b := range bs {
		deskApart = deskApart || b.Name == "desk"
	}
	errc := make(chan error, len(bs))
	var servers []*http.Server
	for _, b := range bs {
		srv := &http.Server{Handler: b.Handler, ReadHeaderTimeout: limits.HeaderTimeout, ReadTimeout: limits.ReadTimeout,
			WriteTimeout: limits.WriteTimeout, IdleTimeout: limits.IdleTimeout}
		servers = append(servers, srv)
		ln := netutil.LimitListener(b.Listener, limits.MaxConns)
		go func() { errc <- srv.Serve(ln) }()
		addr := "http://" + b.Listener.Addr().String()
		if b.Name == "desk" || !deskApart {
			// Where people sign in to write, said once at start.
			log.Info("serving", "what", b.Name, "addr", addr, "desk", addr+"/desk/")
		} else {
			log.Info("serving", "what", b.Name, "addr", addr)
		}
	}
	var err error
	select {
	case err = <-errc:
	case <-ctx.Done():
	}
	shut, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	for _, srv := range servers {
		if serr := srv.Shutdown(shut); err == nil {
			err = serr
		}
	}
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	log.Info("stopped serving")
	return err
}

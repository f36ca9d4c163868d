// Package api is Newsdesk's JSON API, the third front door next to the
// HTML desk and the command line: a public, read-only content API for
// campus apps, mini-programs and signage (/api/v1/…), served through the
// page cache, and the desk API (/api/v1/desk/…) for scripts and
// integrations, signed in with the desk session or a personal API token.
//
// Handlers only decode, call one domain function and encode: the rules
// and the audit log are the domain services', the same as the desk's.
package api

import (
	"context"
	"crypto/subtle"
	"errors"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"time"

	"newsdesk/internal/account"
	"newsdesk/internal/annotation"
	"newsdesk/internal/article"
	"newsdesk/internal/check"
	"newsdesk/internal/i18n"
	"newsdesk/internal/media"
	"newsdesk/internal/model"
	"newsdesk/internal/reader"
	"newsdesk/internal/review"
	"newsdesk/internal/search"
	"newsdesk/internal/site"
	"newsdesk/internal/slot"
	"newsdesk/internal/store"
)

// ContentType is the type of every API answer.
const ContentType = "application/json; charset=utf-8"

// sessionCookie is the desk's session cookie, which also signs in here.
const sessionCookie = "nd_session"

// csrfHeader carries the session's CSRF token on changes made with the
// session cookie; a token-signed request needs none (no browser sends a
// bearer token on its own).
const csrfHeader = "X-CSRF-Token"

// Store is what the desk API reads itself: stories as they stand, to
// answer a change with the saved story. It has no write method: every
// change goes through a domain service; public content comes from the
// reader.
type Store interface {
	Article(ctx context.Context, id int64) (model.Article, error)
	Articles(ctx context.Context, q store.ArticleQuery) ([]model.Article, int, error)
	// Users names the named holders of a review chain's steps.
	Users(ctx context.Context) ([]model.User, error)
}

// Deps are what the API is built from.
type Deps struct {
	Store    Store
	Articles *article.Service
	Slots    *slot.Service
	Media    *media.Service
	Accounts *account.Service
	Checks   *check.Service
	Search   *search.Service
	Site     *site.Service
	// Reader builds what the public site shows; the content API answers
	// from it, and its URL builders name every public address.
	Reader  *reader.Service
	Catalog *i18n.Catalog
	Log     *slog.Logger
	// ClientIP is the caller's address, as the desk sees it.
	ClientIP func(*http.Request) string
	// CORSOrigins may read the content API from a browser ("*": any).
	CORSOrigins []string
	Now         func() time.Time

	// Annotations are the reviewers' comments on passages (批注).
	Annotations *annotation.Service
	// Reviews keeps the review chains, the record and the ledger.
	Reviews *review.Service
}

// API serves the JSON API.
type API struct {
	Deps
}

// New returns the API.
func New(d Deps) *API {
	if d.Log == nil {
		d.Log = slog.Default()
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.ClientIP == nil {
		d.ClientIP = func(r *http.Request) string { return r.RemoteAddr }
	}
	return &API{Deps: d}
}

// Render produces a public answer for the page cache, or an error that
// Fail turns into a JSON error.
type Render func(r *http.Request, lang string) (Answer, error)

// Answer is a public answer: its JSON, and the article it shows, if one
// (the cache counts a view of it on every hit, as for the article page).
type Answer struct {
	Body      []byte
	ArticleID int64
}

// caller is who makes a desk API request.
type caller struct {
	user  model.User
	actor model.Actor
	lang  string
	// token is true when signed in with an API token, not the session.
	token bool
}

type deskHandler func(w http.ResponseWriter, r *http.Request, c *caller) error

// Route is one API route and who may use it.
type Route struct {
	Pattern string
	// Public routes need no sign-in and are served through the page cache.
	Public bool
	// May says who may use a desk route; nil: any signed-in user (the
	// service checks the story itself).
	May     func(model.User) bool
	desk    deskHandler
	content Render
}

// Who may use a route, named once in model.User.
var (
	writers    = model.User.CanWrite
	publishers = model.User.CanPublish
)

// Routes is the route table: what Mount serves and what the authorisation
// test walks.
func (a *API) Routes() []Route {
	return []Route{
		{Pattern: "GET /api/v1/articles", Public: true, content: a.contentArticles},
		{Pattern: "GET /api/v1/articles/{id}", Public: true, content: a.contentArticle},
		{Pattern: "GET /api/v1/columns", Public: true, content: a.contentColumns},
		{Pattern: "GET /api/v1/slots/focus", Public: true, content: a.contentSlot(model.SlotFocus)},
		{Pattern: "GET /api/v1/slots/recommended", Public: true, content: a.contentSlot(model.SlotRecommended)},
		{Pattern: "GET /api/v1/search", Public: true, content: a.contentSearch},
		{Pattern: "GET /api/v1/openapi.json", Public: true, content: a.openAPI},

		{Pattern: "GET /api/v1/desk/articles", desk: a.deskList},
		{Pattern: "POST /api/v1/desk/articles", May: writers, desk: a.deskCreate},
		{Pattern: "GET /api/v1/desk/articles/{id}", desk: a.deskGet},
		{Pattern: "PATCH /api/v1/desk/articles/{id}", desk: a.deskUpdate},
		{Pattern: "POST /api/v1/desk/articles/{id}/transitions", desk: a.deskTransition},
		{Pattern: "POST /api/v1/desk/articles/{id}/media", desk: a.deskMedia},
		{Pattern: "POST /api/v1/desk/articles/{id}/revision/approve", May: publishers, desk: a.deskApproveRevision},
		{Pattern: "POST /api/v1/desk/articles/{id}/revision/discard", May: publishers, desk: a.deskDiscardRevision},
		{Pattern: "GET /api/v1/desk/articles/{id}/annotations", desk: a.deskAnnotations},
		{Pattern: "POST /api/v1/desk/articles/{id}/annotations", desk: a.deskAnnotate},
		{Pattern: "POST /api/v1/desk/articles/{id}/annotations/{aid}/replies", desk: a.deskReply},
		{Pattern: "POST /api/v1/desk/articles/{id}/annotations/{aid}/resolve", desk: a.deskResolve},
		{Pattern: "GET /api/v1/desk/articles/{id}/record", desk: a.deskRecord},
		{Pattern: "GET /api/v1/desk/articles/{id}/lock", desk: a.deskLock},
		{Pattern: "POST /api/v1/desk/articles/{id}/lock", desk: a.deskHeartbeat},
		{Pattern: "DELETE /api/v1/desk/articles/{id}/lock", desk: a.deskUnlock},
		{Pattern: "POST /api/v1/desk/articles/{id}/lock/takeover", desk: a.deskTakeOver},
		{Pattern: "GET /api/v1/desk/articles/{id}/checks", desk: a.deskChecks},
		{Pattern: "POST /api/v1/desk/articles/{id}/checks/acknowledgements", desk: a.deskAcknowledge},
		{Pattern: "POST /api/v1/desk/checks", May: writers, desk: a.deskCheckText},
		{Pattern: "GET /api/v1/desk/columns/{id}/chain", May: publishers, desk: a.deskChain},
		{Pattern: "PUT /api/v1/desk/columns/{id}/chain", May: publishers, desk: a.deskSaveChain},
		{Pattern: "GET /api/v1/desk/columns/{id}/correction-chain", May: publishers, desk: a.deskCorrectionChain},
		{Pattern: "PUT /api/v1/desk/columns/{id}/correction-chain", May: publishers, desk: a.deskSaveCorrectionChain},
		{Pattern: "GET /api/v1/desk/review/ledger", May: publishers, desk: a.deskLedger},
		{Pattern: "GET /api/v1/desk/review/reasons", desk: a.deskReasons},
		{Pattern: "PUT /api/v1/desk/review/reasons", May: publishers, desk: a.deskSaveReasons},
		{Pattern: "PUT /api/v1/desk/slots/{slot}/{id}", May: publishers, desk: a.deskPlace},
		{Pattern: "DELETE /api/v1/desk/slots/{slot}/{id}", May: publishers, desk: a.deskUnplace},
	}
}

// Mount adds every API route to m; cached serves a public route through
// the page cache.
func (a *API) Mount(m *http.ServeMux, cached func(Render) http.Handler) {
	allowed := map[string][]string{} // path → its methods
	var paths []string
	for _, rt := range a.Routes() {
		method, p, _ := strings.Cut(rt.Pattern, " ")
		if allowed[p] == nil {
			paths = append(paths, p)
		}
		allowed[p] = append(allowed[p], method)
		if rt.Public {
			m.Handle(rt.Pattern, a.cors(cached(rt.content)))
			m.Handle("OPTIONS"+strings.TrimPrefix(rt.Pattern, "GET"), a.cors(http.HandlerFunc(preflight)))
			continue
		}
		m.Handle(rt.Pattern, a.serveDesk(rt))
	}
	// A known address with another method, and an unknown address, are
	// JSON errors too (the router's own answers are plain text).
	for _, p := range paths {
		allow := strings.Join(allowed[p], ", ")
		m.HandleFunc(p, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Allow", allow)
			a.Fail(w, r, a.lang(r), newError(http.StatusMethodNotAllowed, "method_not_allowed", "api.method", r.Method, allow))
		})
	}
	m.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		a.Fail(w, r, a.lang(r), errNoRoute)
	})
}

// lang is the caller's language: ?lang=, then Accept-Language.
func (a *API) lang(r *http.Request) string {
	param := ""
	if strings.Contains(r.URL.RawQuery, "lang=") {
		param = r.URL.Query().Get("lang")
	}
	return a.Catalog.Pick(param, r.Header.Get("Accept-Language"))
}

// serveDesk signs the caller in (token or session, plus CSRF for a
// session's changes), checks the route's roles and runs the handler.
func (a *API) serveDesk(rt Route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		lang := a.lang(r)
		c, err := a.signIn(r)
		if err == nil && rt.May != nil && !rt.May(c.user) {
			err = errRole
		}
		if err == nil {
			c.lang = lang
			err = rt.desk(w, r, c)
		}
		if err != nil {
			a.Fail(w, r, lang, err)
		}
	})
}

func (a *API) signIn(r *http.Request) (*caller, error) {
	ctx := r.Context()
	c := &caller{}
	if h := r.Header.Get("Authorization"); h != "" {
		secret, ok := strings.CutPrefix(h, "Bearer ")
		if !ok {
			return nil, errBadAuth
		}
		_, u, err := a.Accounts.TokenUser(ctx, strings.TrimSpace(secret))
		if errors.Is(err, model.ErrNotFound) {
			return nil, errBadToken
		} else if err != nil {
			return nil, err
		}
		c.user, c.token = u, true
	} else {
		ck, err := r.Cookie(sessionCookie)
		if err != nil {
			return nil, errSignedOut
		}
		se, u, err := a.Accounts.Lookup(ctx, ck.Value)
		if errors.Is(err, model.ErrNotFound) {
			return nil, errSignedOut
		} else if err != nil {
			return nil, err
		}
		if r.Method != http.MethodGet && r.Method != http.MethodHead &&
			subtle.ConstantTimeCompare([]byte(r.Header.Get(csrfHeader)), []byte(se.CSRF)) != 1 {
			return nil, errCSRF
		}
		c.user = u
	}
	c.actor = model.Actor{User: c.user, IP: a.ClientIP(r), Via: "api"}
	return c, nil
}

// cors lets the configured origins read the public API from a browser.
func (a *API) cors(h http.Handler) http.Handler {
	if len(a.CORSOrigins) == 0 {
		return h
	}
	any := slices.Contains(a.CORSOrigins, "*")
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		origin := r.Header.Get("Origin")
		switch {
		case any:
			w.Header().Set("Access-Control-Allow-Origin", "*")
		case origin != "" && slices.Contains(a.CORSOrigins, origin):
			w.Header().Set("Access-Control-Allow-Origin", origin)
			w = &varyOrigin{ResponseWriter: w}
		default:
			w = &varyOrigin{ResponseWriter: w}
		}
		w.Header().Set("Access-Control-Expose-Headers", "ETag")
		h.ServeHTTP(w, r)
	})
}

// varyOrigin adds Origin to the Vary header the cache writes, so a shared
// cache keeps the answers for different origins apart.
type varyOrigin struct {
	http.ResponseWriter
	done bool
}

func (v *varyOrigin) WriteHeader(status int) {
	if !v.done {
		v.done = true
		v.Header().Set("Vary", strings.TrimPrefix(v.Header().Get("Vary")+", Origin", ", "))
	}
	v.ResponseWriter.WriteHeader(status)
}

func (v *varyOrigin) Write(b []byte) (int, error) {
	if !v.done {
		v.WriteHeader(http.StatusOK)
	}
	return v.ResponseWriter.Write(b)
}

// preflight answers a browser's CORS check for a GET with revalidation
// headers; cors has set the allowed origin.
func preflight(w http.ResponseWriter, r *http.Request) {
	if w.Header().Get("Access-Control-Allow-Origin") != "" {
		w.Header().Set("Access-Control-Allow-Methods", "GET, HEAD")
		w.Header().Set("Access-Control-Allow-Headers", "If-None-Match, Accept-Language")
		w.Header().Set("Access-Control-Max-Age", "86400")
	}
	w.WriteHeader(http.StatusNoContent)
}

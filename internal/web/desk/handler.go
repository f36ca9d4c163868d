// Package desk serves the newsroom's desk (编辑部): sign-in, stories, the
// library, users, campus sign-in, tokens and the site settings. Every
// route names the roles it admits; handlers return an error, which one
// wrapper answers (deskError).
package desk

import (
	"log/slog"
	"net/http"

	"newsdesk/internal/account"
	"newsdesk/internal/annotation"
	"newsdesk/internal/approval"
	"newsdesk/internal/article"
	"newsdesk/internal/campus"
	"newsdesk/internal/check"
	"newsdesk/internal/column"
	"newsdesk/internal/i18n"
	"newsdesk/internal/media"
	"newsdesk/internal/notify"
	"newsdesk/internal/reader"
	"newsdesk/internal/redirect"
	"newsdesk/internal/review"
	"newsdesk/internal/search"
	"newsdesk/internal/site"
	"newsdesk/internal/slot"
	"newsdesk/internal/store"
	"newsdesk/internal/web/render"
)

// Deps are what the desk handlers need.
type Deps struct {
	Store    store.Store
	Site     *site.Service
	Articles *article.Service
	Reviews  *review.Service
	Search   *search.Service
	Accounts *account.Service
	Campus   *campus.Service // campus sign-in (CAS, OpenID Connect)
	Slots    *slot.Service
	Columns  *column.Service
	Media    *media.Service
	Checks   *check.Service // content checks (错敏检查)
	Reader   *reader.Service
	// Notify is each user's notifications; its Mail the outbox.
	Notify *notify.Service
	// Approval sends stories' steps to outside approvers.
	Approval *approval.Service
	// Redirects are the old addresses of imported sites.
	Redirects *redirect.Service
	// DeskURL is the desk's public address, where campus sign-in comes
	// back to, when it differs from the site's (a desk listener apart).
	DeskURL string
	Catalog *i18n.Catalog
	Log     *slog.Logger
	// ClientIP is the client's address, for sign-in limits and the audit
	// (the server's: it knows whether a proxy is trusted).
	ClientIP func(r *http.Request) string

	// Annotations are the reviewers' comments on passages (批注).
	Annotations *annotation.Service
}

// base is what every desk page shares: the dependencies, the session
// lookup, rendering and the one error wrapper (deskError).
type base struct {
	Deps
	render *render.Renderer
}

// stories are the desk's story pages: the list, articles and their
// workflow, diffs, slots, uploads and the desk search.
type stories struct{ *base }

// library is the media library.
type library struct{ *base }

// siteDesk is the site's settings, pages and columns.
type siteDesk struct{ *base }

// accounts are sign-in and out, users and units, sessions, sign-in
// slowdowns, two-factor sign-in, tokens, passwords and the audit log.
type accounts struct{ *base }

// campusDesk is campus sign-in (CAS, OpenID Connect) and its settings.
// A failed sign-in answers with the sign-in page, a failed identity link
// with the users page: both are the accounts'.
type campusDesk struct {
	*base
	accounts *accounts
}

// Handler serves the desk: its one route table (deskRoutes) sends each
// route to the part of the desk that owns it.
type Handler struct {
	*base
	stories  *stories
	library  *library
	site     *siteDesk
	accounts *accounts
	campus   *campusDesk
	reviews  *reviewDesk
	checks   *checksDesk
	slots    *slotDesk
}

// New makes the desk handlers, rendering with rd.
func New(d Deps, rd *render.Renderer) *Handler {
	b := &base{Deps: d, render: rd}
	a := &accounts{b}
	st := &stories{b}
	return &Handler{base: b, stories: st, library: &library{b}, site: &siteDesk{b},
		accounts: a, campus: &campusDesk{b, a}, reviews: &reviewDesk{b, st}, checks: &checksDesk{b}, slots: &slotDesk{b}}
}

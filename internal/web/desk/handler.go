// Package desk serves the newsroom's desk (编辑部): sign-in, stories, the
// library, users, campus sign-in, tokens and the site settings. Every
// route names the roles it admits; handlers return an error, which one
// wrapper answers (deskError).
package desk

import (
	"log/slog"
	"net/http"

	"newsdesk/internal/account"
	"newsdesk/internal/article"
	"newsdesk/internal/campus"
	"newsdesk/internal/column"
	"newsdesk/internal/i18n"
	"newsdesk/internal/media"
	"newsdesk/internal/reader"
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
	Search   *search.Service
	Accounts *account.Service
	Campus   *campus.Service // campus sign-in (CAS, OpenID Connect)
	Slots    *slot.Service
	Columns  *column.Service
	Media    *media.Service
	Reader   *reader.Service
	// DeskURL is the desk's public address, where campus sign-in comes
	// back to, when it differs from the site's (a desk listener apart).
	DeskURL string
	Catalog *i18n.Catalog
	Log     *slog.Logger
	// ClientIP is the client's address, for sign-in limits and the audit
	// (the server's: it knows whether a proxy is trusted).
	ClientIP func(r *http.Request) string
}

// Handler serves the desk.
type Handler struct {
	Deps
	render *render.Renderer
}

// New makes the desk handlers, rendering with rd.
func New(d Deps, rd *render.Renderer) *Handler { return &Handler{Deps: d, render: rd} }

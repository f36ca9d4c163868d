package web

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"io"
	"net"
	"net/http"
	"net/url"
	"newsdesk/internal/column"
	"newsdesk/internal/media"
	"newsdesk/internal/search"
	"newsdesk/internal/site"
	"newsdesk/internal/slot"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"newsdesk/internal/account"
	"newsdesk/internal/article"
	"newsdesk/internal/demo"
	"newsdesk/internal/store"
)

// The desk (编辑部): signed-in pages, never cached. Every route names the
// roles it admits; deskRoutes is also what the authorisation test walks.

const sessionCookie = "nd_session"

// deskUser is the signed-in user of a desk request.
type deskUser struct {
	store.User
	session store.Session
	token   string
}

type deskHandler func(w http.ResponseWriter, r *http.Request, u *deskUser, v *view)

// deskRoute is one desk route and the roles that may use it (nil: any
// signed-in user; per-article checks happen in the handler).
type deskRoute struct {
	Pattern string
	Roles   []string
	handle  deskHandler
}

func (s *Server) deskRoutes() []deskRoute {
	return []deskRoute{
		{"GET /desk/{$}", nil, s.deskHome},
		{"GET /desk/articles/new", []string{store.RoleContributor, store.RoleEditor, store.RoleAdmin}, s.deskNew},
		{"POST /desk/articles", []string{store.RoleContributor, store.RoleEditor, store.RoleAdmin}, s.deskCreate},
		{"GET /desk/articles/{id}", nil, s.deskArticle},
		{"POST /desk/articles/{id}", nil, s.deskSave},
		{"POST /desk/articles/{id}/{action}", nil, s.deskTransition},
		{"POST /desk/articles/{id}/slot", []string{store.RoleEditor, store.RoleAdmin}, s.deskSlot},
		{"POST /desk/articles/{id}/figure", nil, s.deskUpload},
		{"POST /desk/articles/{id}/attachment", nil, s.deskUpload},
		{"POST /desk/media", nil, s.deskMedia},
		{"GET /desk/library", nil, s.deskLibrary},
		{"POST /desk/library", nil, s.deskLibraryUpload},
		{"GET /desk/library/pick", nil, s.deskLibraryPick},
		{"GET /desk/library/{id}", nil, s.deskLibraryItem},
		{"POST /desk/library/{id}", nil, s.deskDescribe},
		{"POST /desk/library/{id}/delete", nil, s.deskDeleteMedia},
		{"POST /desk/library/{id}/use", nil, s.deskUseMedia},
		{"GET /desk/articles/{id}/diff", nil, s.deskDiff},
		{"GET /desk/search", nil, s.deskSearch},
		{"GET /desk/site", []string{store.RoleEditor, store.RoleAdmin}, s.deskSite},
		{"POST /desk/site", []string{store.RoleEditor, store.RoleAdmin}, s.deskSaveSettings},
		{"POST /desk/pages/{slug}", []string{store.RoleEditor, store.RoleAdmin}, s.deskSavePage},
		{"POST /desk/columns", []string{store.RoleEditor, store.RoleAdmin}, s.deskSaveColumn},
		{"GET /desk/password", nil, s.deskPasswordPage},
		{"POST /desk/password", nil, s.deskPassword},
		{"GET /desk/audit", []string{store.RoleAdmin}, s.deskAudit},
		{"GET /desk/users", []string{store.RoleAdmin}, s.deskUsers},
		{"POST /desk/users", []string{store.RoleAdmin}, s.deskAddUser},
		{"POST /desk/units", []string{store.RoleAdmin}, s.deskSaveUnit},
		{"POST /desk/users/{id}", []string{store.RoleAdmin}, s.deskUpdateUser},
		{"POST /desk/logout", nil, s.deskLogout},
	}
}

// DeskPatterns lists the signed-in desk routes, for the authorisation test.
func (s *Server) DeskPatterns() []string {
	var out []string
	for _, rt := range s.deskRoutes() {
		out = append(out, rt.Pattern)
	}
	return out
}

func (s *Server) deskMux(m *http.ServeMux) {
	m.HandleFunc("GET /desk/login", s.deskLoginPage)
	m.HandleFunc("POST /desk/login", s.deskLogin)
	for _, rt := range s.deskRoutes() {
		m.HandleFunc(rt.Pattern, s.desk(rt))
	}
}

// desk wraps a handler with the session, CSRF and role checks.
func (s *Server) desk(rt deskRoute) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		lang := s.lang(r)
		u, err := s.deskSession(r)
		if err != nil {
			if r.Method == http.MethodGet {
				http.Redirect(w, r, "/desk/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
				return
			}
			s.deskFail(w, r, lang, http.StatusUnauthorized, "desk.signed_out")
			return
		}
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			// Bounded: an upload may be as large as the limit, plus the form.
			limit := int64(1 << 20)
			if s.Media != nil {
				limit += s.Media.MaxSize
			}
			r.Body = http.MaxBytesReader(w, r.Body, limit)
			var perr error
			if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
				perr = r.ParseMultipartForm(8 << 20)
			} else {
				perr = r.ParseForm()
			}
			var tooBig *http.MaxBytesError
			if errors.As(perr, &tooBig) {
				s.deskFail(w, r, lang, http.StatusRequestEntityTooLarge, "invalid.upload_size", "", (limit-(1<<20))>>20)
				return
			}
			if subtle.ConstantTimeCompare([]byte(r.PostFormValue("csrf")), []byte(u.session.CSRF)) != 1 {
				s.deskFail(w, r, lang, http.StatusForbidden, "desk.csrf")
				return
			}
		}
		if rt.Roles != nil && !hasAny(u.User, rt.Roles) {
			s.deskFail(w, r, lang, http.StatusForbidden, "desk.forbidden")
			return
		}
		v, err := s.deskView(r, lang, u)
		if err != nil {
			s.fail(w, r, lang, err)
			return
		}
		rt.handle(w, r, u, v)
	}
}

func hasAny(u store.User, roles []string) bool {
	for _, r := range roles {
		if u.Has(r) {
			return true
		}
	}
	return false
}

func (s *Server) deskSession(r *http.Request) (*deskUser, error) {
	c, err := r.Cookie(sessionCookie)
	if err != nil || s.Accounts == nil {
		return nil, store.ErrNotFound
	}
	se, u, err := s.Accounts.Lookup(r.Context(), c.Value)
	if err != nil {
		return nil, err
	}
	return &deskUser{User: u, session: se, token: c.Value}, nil
}

// deskData is what the desk layout needs besides the page's data.
type deskData struct {
	User      *deskUser
	CSRF      string
	DemoUsers bool
	Flash     string
	Error     string
	Page      any
}

func (s *Server) deskView(r *http.Request, lang string, u *deskUser) (*view, error) {
	v, _, err := s.common(r, lang)
	if err != nil {
		return nil, err
	}
	d := &deskData{User: u}
	// The message after a redirect names a catalogue key; only desk keys.
	if f := r.URL.Query().Get("flash"); strings.HasPrefix(f, "desk.") {
		d.Flash = v.T(f)
	}
	if u != nil {
		d.CSRF = u.session.CSRF
	}
	settings, err := s.Store.Settings(r.Context())
	if err != nil {
		return nil, err
	}
	d.DemoUsers = settings[demo.DemoUsersSetting] != ""
	v.Data = d
	return v, nil
}

func (s *Server) renderDesk(w http.ResponseWriter, r *http.Request, status int, name string, v *view, page any) {
	v.Data.(*deskData).Page = page
	out, err := s.execute(name, v)
	if err != nil {
		s.fail(w, r, v.Lang, err)
		return
	}
	w.Header().Set("Content-Type", out.contentType)
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(out.body)
}

func (s *Server) deskFail(w http.ResponseWriter, r *http.Request, lang string, status int, key string, args ...any) {
	v, err := s.deskView(r, lang, nil)
	if err != nil {
		s.fail(w, r, lang, err)
		return
	}
	v.Title = v.T(key, args...)
	v.Data.(*deskData).Error = v.T(key, args...)
	s.renderDesk(w, r, status, "desk_message", v, nil)
}

// invalidMessage says in the page's language what is wrong with the input.
func invalidMessage(v *view, err error) string {
	var ie *store.InvalidError
	if !errors.As(err, &ie) {
		return v.T("invalid.unknown")
	}
	return v.T("invalid."+ie.Code, ie.Args...)
}

func randomHex() string {
	b := make([]byte, 16)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// clientIP is the address sign-in limits and the audit log use. Behind a
// reverse proxy every request comes from the proxy, so with TrustProxy the
// address the proxy saw is taken instead (never the leftmost entries,
// which the client can write).
func (s *Server) clientIP(r *http.Request) string {
	if s.TrustProxy {
		if xff := r.Header.Values("X-Forwarded-For"); len(xff) > 0 {
			parts := strings.Split(xff[len(xff)-1], ",")
			if ip := strings.TrimSpace(parts[len(parts)-1]); net.ParseIP(ip) != nil {
				return ip
			}
		}
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// --- sign in and out ---

type loginPage struct {
	Next, Username string
}

// Sign-in has no session yet, so its CSRF token is a cookie repeated in the
// form (double submit).
const loginCSRFCookie = "nd_login"

func (s *Server) deskLoginPage(w http.ResponseWriter, r *http.Request) {
	lang := s.lang(r)
	if u, err := s.deskSession(r); err == nil && u != nil {
		http.Redirect(w, r, "/desk/", http.StatusSeeOther)
		return
	}
	s.loginForm(w, r, lang, http.StatusOK, "", "")
}

func (s *Server) loginForm(w http.ResponseWriter, r *http.Request, lang string, status int, username, errKey string, args ...any) {
	v, err := s.deskView(r, lang, nil)
	if err != nil {
		s.fail(w, r, lang, err)
		return
	}
	token := randomHex()
	http.SetCookie(w, &http.Cookie{Name: loginCSRFCookie, Value: token, Path: "/desk/login", HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.secure(r)})
	d := v.Data.(*deskData)
	d.CSRF = token
	if errKey != "" {
		d.Error = v.T(errKey, args...)
	}
	v.Title = v.T("desk.login")
	s.renderDesk(w, r, status, "desk_login", v, loginPage{Next: safeNext(r.FormValue("next")), Username: username})
}

func (s *Server) deskLogin(w http.ResponseWriter, r *http.Request) {
	lang := s.lang(r)
	w.Header().Set("Cache-Control", "no-store")
	c, err := r.Cookie(loginCSRFCookie)
	if err != nil || c.Value == "" || subtle.ConstantTimeCompare([]byte(c.Value), []byte(r.PostFormValue("csrf"))) != 1 {
		s.loginForm(w, r, lang, http.StatusForbidden, "", "desk.csrf")
		return
	}
	username := r.PostFormValue("username")
	token, _, err := s.Accounts.SignIn(r.Context(), username, r.PostFormValue("password"), s.clientIP(r))
	var limited *account.LimitedError
	switch {
	case errors.As(err, &limited):
		s.loginForm(w, r, lang, http.StatusTooManyRequests, username, "desk.rate_limited", int(limited.Wait.Minutes())+1)
		return
	case errors.Is(err, account.ErrBadLogin):
		s.audit(r, 0, "login_failed", "user "+username, "")
		s.loginForm(w, r, lang, http.StatusUnauthorized, username, "desk.bad_login")
		return
	case err != nil:
		s.fail(w, r, lang, err)
		return
	}
	if se, u, err := s.Accounts.Lookup(r.Context(), token); err == nil {
		s.audit(r, se.UserID, "login", "user "+u.Username, "")
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: token, Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.secure(r)})
	http.Redirect(w, r, safeNext(r.PostFormValue("next")), http.StatusSeeOther)
}

// safeNext keeps redirects after sign-in inside the desk.
func safeNext(next string) string {
	if strings.HasPrefix(next, "/desk/") && !strings.HasPrefix(next, "//") {
		return next
	}
	return "/desk/"
}

func (s *Server) deskLogout(w http.ResponseWriter, r *http.Request, u *deskUser, v *view) {
	if err := s.Accounts.SignOut(r.Context(), u.token); err != nil {
		s.fail(w, r, v.Lang, err)
		return
	}
	s.audit(r, u.ID, "logout", "user "+u.Username, "")
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteLaxMode})
	http.Redirect(w, r, "/desk/login", http.StatusSeeOther)
}

// --- lists ---

type deskList struct {
	Title    string
	Articles []deskRow
}

type deskRow struct {
	store.Article
	Column string
}

type deskHomePage struct {
	Lists []deskList
}

func (s *Server) deskHome(w http.ResponseWriter, r *http.Request, u *deskUser, v *view) {
	ctx := r.Context()
	var page deskHomePage
	add := func(title string, q store.ArticleQuery) bool {
		q.Limit, q.NoTotal = 50, true
		as, _, err := s.Store.Articles(ctx, q)
		if err != nil {
			s.fail(w, r, v.Lang, err)
			return false
		}
		page.Lists = append(page.Lists, deskList{Title: title, Articles: s.deskRows(ctx, as)})
		return true
	}
	if u.Has(store.RoleEditor) || u.Has(store.RoleAdmin) {
		if !add(v.T("desk.queue_editor"), store.ArticleQuery{Status: store.StatusUnitApproved}) ||
			!add(v.T("desk.scheduled"), store.ArticleQuery{Status: store.StatusScheduled}) {
			return
		}
	}
	if u.Has(store.RoleReviewer) && u.UnitID != 0 {
		if !add(v.T("desk.queue_unit"), store.ArticleQuery{Status: store.StatusSubmitted, UnitID: u.UnitID}) {
			return
		}
	}
	if !add(v.T("desk.mine"), store.ArticleQuery{AuthorID: u.ID}) {
		return
	}
	v.Title = v.T("desk.title")
	s.renderDesk(w, r, http.StatusOK, "desk_home", v, page)
}

func (s *Server) deskRows(ctx context.Context, as []store.Article) []deskRow {
	snap, _ := s.snapshot(ctx)
	rows := make([]deskRow, len(as))
	for i, a := range as {
		rows[i] = deskRow{Article: a}
		if snap != nil {
			if c, ok := snap.cols.Get(a.ColumnID); ok {
				rows[i].Column = c.Name
			}
		}
	}
	return rows
}

// --- one article ---

type deskArticlePage struct {
	Article  store.Article
	New      bool
	CanEdit  bool
	Actions  []string
	Columns  []store.Column
	Events   []deskEvent
	Versions []store.Version
	Conflict *store.Article // the stored version, when a save was refused
	Writers  string
	Photos   string
	// Slots shows where the article is placed, for editors.
	Slots    []slotState
	CanPlace bool
}

type slotState struct {
	Name      string
	Placed    bool
	Position  int
	ExpiresAt time.Time
}

type deskEvent struct {
	store.Event
	User string
}

func (s *Server) deskNew(w http.ResponseWriter, r *http.Request, u *deskUser, v *view) {
	v.Title = v.T("desk.new")
	s.renderDesk(w, r, http.StatusOK, "desk_article", v, s.articleForm(r.Context(), store.Article{UnitID: u.UnitID}, true))
}

func (s *Server) articleForm(ctx context.Context, a store.Article, isNew bool) deskArticlePage {
	p := deskArticlePage{Article: a, New: isNew, CanEdit: true,
		Writers: strings.Join(a.Credits.Writers, " "), Photos: strings.Join(a.Credits.Photographers, " ")}
	if snap, err := s.snapshot(ctx); err == nil {
		p.Columns = snap.cols.All()
	}
	return p
}

// formArticle reads the article fields of the edit form into a.
func formArticle(r *http.Request, a *store.Article) {
	a.ColumnID, _ = strconv.ParseInt(r.PostFormValue("column"), 10, 64)
	a.Kicker = strings.TrimSpace(r.PostFormValue("kicker"))
	a.Title = strings.TrimSpace(r.PostFormValue("title"))
	a.Subtitle = strings.TrimSpace(r.PostFormValue("subtitle"))
	a.Summary = strings.TrimSpace(r.PostFormValue("summary"))
	a.Body = r.PostFormValue("body")
	a.Credits.Writers = strings.Fields(r.PostFormValue("writers"))
	a.Credits.Photographers = strings.Fields(r.PostFormValue("photographers"))
	a.Credits.Unit = strings.TrimSpace(r.PostFormValue("unit_credit"))
	if r.PostForm.Has("editor") {
		a.Credits.Editor = strings.TrimSpace(r.PostFormValue("editor"))
	}
}

func (s *Server) deskCreate(w http.ResponseWriter, r *http.Request, u *deskUser, v *view) {
	a := store.Article{AuthorID: u.ID, UnitID: u.UnitID, SavedBy: u.ID, Status: store.StatusDraft}
	formArticle(r, &a)
	if err := s.Articles.Create(r.Context(), &a); err != nil {
		s.formError(w, r, v, s.articleForm(r.Context(), a, true), err)
		return
	}
	s.audit(r, u.ID, "create", fmt.Sprintf("article %d", a.ID), a.Title)
	http.Redirect(w, r, fmt.Sprintf("/desk/articles/%d?flash=desk.saved", a.ID), http.StatusSeeOther)
}

// formError shows the form again with what was typed and the reason.
func (s *Server) formError(w http.ResponseWriter, r *http.Request, v *view, p deskArticlePage, err error) {
	status := http.StatusUnprocessableEntity
	msg := invalidMessage(v, err)
	switch {
	case errors.Is(err, store.ErrConflict):
		status, msg = http.StatusConflict, v.T("desk.conflict")
	case errors.Is(err, article.ErrForbidden):
		status, msg = http.StatusForbidden, v.T("desk.forbidden")
	case !errors.Is(err, article.ErrInvalid):
		s.fail(w, r, v.Lang, err)
		return
	}
	v.Data.(*deskData).Error = msg
	v.Title = v.T("desk.edit")
	s.renderDesk(w, r, status, "desk_article", v, p)
}

// loadArticle reads the article of the route and checks u may see it.
func (s *Server) loadArticle(w http.ResponseWriter, r *http.Request, u *deskUser, v *view) (store.Article, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		s.fail(w, r, v.Lang, store.ErrNotFound)
		return store.Article{}, false
	}
	a, err := s.Store.Article(r.Context(), id)
	if err != nil {
		s.fail(w, r, v.Lang, err)
		return a, false
	}
	if !article.CanView(u.User, a) {
		s.deskFail(w, r, v.Lang, http.StatusForbidden, "desk.forbidden")
		return a, false
	}
	return a, true
}

func (s *Server) articlePageData(ctx context.Context, u *deskUser, a store.Article) (deskArticlePage, error) {
	p := s.articleForm(ctx, a, false)
	p.CanEdit = article.CanEdit(u.User, a)
	p.Actions = article.Actions(u.User, a)
	evs, err := s.Store.Events(ctx, a.ID)
	if err != nil {
		return p, err
	}
	names := map[int64]string{}
	for _, e := range evs {
		if _, ok := names[e.UserID]; !ok && e.UserID != 0 {
			if usr, err := s.Store.User(ctx, e.UserID); err == nil {
				names[e.UserID] = usr.Name
			}
		}
		p.Events = append(p.Events, deskEvent{Event: e, User: names[e.UserID]})
	}
	p.Versions, err = s.Store.Versions(ctx, a.ID)
	if err != nil {
		return p, err
	}
	p.CanPlace = u.Has(store.RoleEditor) || u.Has(store.RoleAdmin)
	if p.CanPlace {
		for _, name := range slot.Names {
			st := slotState{Name: name}
			placed, err := s.Store.Placements(ctx, name)
			if err != nil {
				return p, err
			}
			for _, pl := range placed {
				if pl.ArticleID == a.ID {
					st.Placed, st.Position, st.ExpiresAt = true, pl.Position, pl.ExpiresAt
				}
			}
			p.Slots = append(p.Slots, st)
		}
	}
	return p, nil
}

func (s *Server) deskArticle(w http.ResponseWriter, r *http.Request, u *deskUser, v *view) {
	a, ok := s.loadArticle(w, r, u, v)
	if !ok {
		return
	}
	p, err := s.articlePageData(r.Context(), u, a)
	if err != nil {
		s.fail(w, r, v.Lang, err)
		return
	}
	v.Title = a.Title
	s.renderDesk(w, r, http.StatusOK, "desk_article", v, p)
}

func (s *Server) deskSave(w http.ResponseWriter, r *http.Request, u *deskUser, v *view) {
	stored, ok := s.loadArticle(w, r, u, v)
	if !ok {
		return
	}
	if !article.CanEdit(u.User, stored) {
		s.deskFail(w, r, v.Lang, http.StatusForbidden, "desk.forbidden")
		return
	}
	a := stored
	a.Version, _ = strconv.Atoi(r.PostFormValue("version"))
	formArticle(r, &a)
	a.SavedBy = u.ID
	if err := s.Articles.Update(r.Context(), &a); err != nil {
		p, perr := s.articlePageData(r.Context(), u, stored)
		if perr != nil {
			s.fail(w, r, v.Lang, perr)
			return
		}
		// Keep what this user typed in the form; show what is stored now.
		typed := a
		typed.Version = stored.Version
		p.Article = typed
		if errors.Is(err, store.ErrConflict) {
			p.Conflict = &stored
		}
		s.formError(w, r, v, p, err)
		return
	}
	s.audit(r, u.ID, "save", fmt.Sprintf("article %d", a.ID), fmt.Sprintf("version %d: %s", a.Version, a.Title))
	http.Redirect(w, r, fmt.Sprintf("/desk/articles/%d?flash=desk.saved", a.ID), http.StatusSeeOther)
}

func (s *Server) deskTransition(w http.ResponseWriter, r *http.Request, u *deskUser, v *view) {
	a, ok := s.loadArticle(w, r, u, v)
	if !ok {
		return
	}
	version, _ := strconv.Atoi(r.PostFormValue("version"))
	var when time.Time
	if at := r.PostFormValue("when"); at != "" {
		t, err := time.ParseInLocation("2006-01-02T15:04", at, v.Site.TimeZone)
		if err != nil {
			s.transitionError(w, r, u, v, a, store.Invalid("time"))
			return
		}
		when = t
	}
	after, err := s.Articles.Transition(r.Context(), u.User, a.ID, version, r.PathValue("action"), r.PostFormValue("comment"), s.clientIP(r), when)
	if err != nil {
		s.transitionError(w, r, u, v, a, err)
		return
	}
	s.audit(r, u.ID, r.PathValue("action"), fmt.Sprintf("article %d", a.ID), a.Status+" → "+after.Status)
	http.Redirect(w, r, fmt.Sprintf("/desk/articles/%d?flash=desk.done_%s", a.ID, r.PathValue("action")), http.StatusSeeOther)
}

func (s *Server) transitionError(w http.ResponseWriter, r *http.Request, u *deskUser, v *view, a store.Article, err error) {
	p, perr := s.articlePageData(r.Context(), u, a)
	if perr != nil {
		s.fail(w, r, v.Lang, perr)
		return
	}
	s.formError(w, r, v, p, err)
}

// --- users (administrators) ---

type deskUsersPage struct {
	Users []store.User
	Units []store.Unit
	Roles []string
}

func (s *Server) deskUsers(w http.ResponseWriter, r *http.Request, u *deskUser, v *view) {
	s.usersPage(w, r, v, http.StatusOK)
}

func (s *Server) usersPage(w http.ResponseWriter, r *http.Request, v *view, status int) {
	users, err := s.Store.Users(r.Context())
	if err != nil {
		s.fail(w, r, v.Lang, err)
		return
	}
	units, err := s.Store.Units(r.Context())
	if err != nil {
		s.fail(w, r, v.Lang, err)
		return
	}
	v.Title = v.T("desk.users")
	s.renderDesk(w, r, status, "desk_users", v, deskUsersPage{Users: users, Units: units, Roles: account.Roles})
}

func (s *Server) deskAddUser(w http.ResponseWriter, r *http.Request, u *deskUser, v *view) {
	nu := store.User{Username: r.PostFormValue("username"), Name: r.PostFormValue("name"), Roles: r.PostForm["role"]}
	nu.UnitID, _ = strconv.ParseInt(r.PostFormValue("unit"), 10, 64)
	if err := s.Accounts.AddUser(r.Context(), &nu, r.PostFormValue("password")); err != nil {
		if !errors.Is(err, account.ErrInvalid) {
			s.fail(w, r, v.Lang, err)
			return
		}
		v.Data.(*deskData).Error = invalidMessage(v, err)
		s.usersPage(w, r, v, http.StatusUnprocessableEntity)
		return
	}
	s.audit(r, u.ID, "user_add", "user "+nu.Username, strings.Join(nu.Roles, ","))
	http.Redirect(w, r, "/desk/users?flash=desk.user_added", http.StatusSeeOther)
}

// --- search ---

type deskSearchPage struct {
	Query, State       string
	Unit, Author       int64
	States             []string
	Units              []store.Unit
	Authors            []store.User
	AllUnits, Searched bool
	Hits               []deskHit
	Total              int
	Pager              pager
}

type deskHit struct {
	search.Hit
	Column string
}

// deskSearch finds stories in every state, limited to what the user may
// see: editors everything, unit reviewers their unit's, contributors their
// own.
func (s *Server) deskSearch(w http.ResponseWriter, r *http.Request, u *deskUser, v *view) {
	ctx := r.Context()
	q := r.URL.Query()
	p := deskSearchPage{Query: strings.TrimSpace(q.Get("q")), State: q.Get("state"),
		States: []string{store.StatusDraft, store.StatusSubmitted, store.StatusUnitApproved, store.StatusReturned,
			store.StatusRejected, store.StatusScheduled, store.StatusPublished, store.StatusWithdrawn}}
	p.Unit, _ = strconv.ParseInt(q.Get("unit"), 10, 64)
	p.Author, _ = strconv.ParseInt(q.Get("author"), 10, 64)
	page, err := pageNumber(r)
	if err != nil {
		s.fail(w, r, v.Lang, err)
		return
	}
	sq := search.Query{Text: p.Query, Limit: PerPage, Offset: (page - 1) * PerPage, UnitID: p.Unit, AuthorID: p.Author}
	switch {
	case u.Has(store.RoleEditor) || u.Has(store.RoleAdmin):
		p.AllUnits = true
	case u.Has(store.RoleReviewer) && u.UnitID != 0:
		sq.UnitID, p.Unit = u.UnitID, u.UnitID
	default:
		sq.AuthorID, p.Author = u.ID, u.ID
		sq.UnitID, p.Unit = 0, 0
	}
	if p.State != "" {
		if !slices.Contains(p.States, p.State) {
			v.Data.(*deskData).Error = invalidMessage(v, store.Invalid("state_filter", p.State))
			p.State = ""
		} else {
			sq.Statuses = []string{p.State}
		}
	}
	if p.AllUnits {
		if p.Units, err = s.Store.Units(ctx); err != nil {
			s.fail(w, r, v.Lang, err)
			return
		}
	}
	if p.AllUnits || u.Has(store.RoleReviewer) {
		if p.Authors, err = s.Store.Users(ctx); err != nil {
			s.fail(w, r, v.Lang, err)
			return
		}
	}
	if len(search.Parse(p.Query)) > 0 {
		p.Searched = true
		hits, total, err := s.Search.Search(ctx, sq)
		if err != nil {
			s.fail(w, r, v.Lang, err)
			return
		}
		p.Total = total
		params := url.Values{"q": {p.Query}, "state": {p.State}, "unit": {strconv.FormatInt(p.Unit, 10)}, "author": {strconv.FormatInt(p.Author, 10)}}
		if p.Pager, err = paginate(page, total, "/desk/search?"+params.Encode()); err != nil {
			s.fail(w, r, v.Lang, err)
			return
		}
		p.Pager.Sep = "&"
		snap, _ := s.snapshot(ctx)
		for _, h := range hits {
			dh := deskHit{Hit: h}
			if snap != nil {
				if c, ok := snap.cols.Get(h.ColumnID); ok {
					dh.Column = c.Name
				}
			}
			p.Hits = append(p.Hits, dh)
		}
	}
	v.Title, v.Query = v.T("desk.search"), p.Query
	s.renderDesk(w, r, http.StatusOK, "desk_search", v, p)
}

// deskSlot puts the article into the focus or recommended slot at a
// position, with an optional expiry date, or takes it out.
func (s *Server) deskSlot(w http.ResponseWriter, r *http.Request, u *deskUser, v *view) {
	a, ok := s.loadArticle(w, r, u, v)
	if !ok {
		return
	}
	name := r.PostFormValue("slot")
	var err error
	switch {
	case !slot.Valid(name):
		err = store.Invalid("slot", name)
	case r.PostFormValue("remove") != "":
		err = s.Slots.Remove(r.Context(), name, a.ID)
	default:
		pl := store.Placement{Slot: name, ArticleID: a.ID}
		pos := strings.TrimSpace(r.PostFormValue("position"))
		if pl.Position, err = strconv.Atoi(pos); pos != "" && (err != nil || pl.Position < 0) {
			err = store.Invalid("position")
			break
		}
		err = nil
		if exp := r.PostFormValue("expires"); exp != "" {
			t, perr := time.ParseInLocation("2006-01-02", exp, v.Site.TimeZone)
			if perr != nil {
				err = store.Invalid("expires")
				break
			}
			pl.ExpiresAt = t.AddDate(0, 0, 1) // through the whole day
		}
		err = s.Slots.Place(r.Context(), pl)
	}
	if err != nil {
		s.transitionError(w, r, u, v, a, err)
		return
	}
	s.audit(r, u.ID, "slot", fmt.Sprintf("article %d", a.ID), name+" "+r.PostFormValue("position")+" "+r.PostFormValue("remove"))
	http.Redirect(w, r, fmt.Sprintf("/desk/articles/%d?flash=desk.slot_saved", a.ID), http.StatusSeeOther)
}

type deskDiffPage struct {
	Article              store.Article
	From, To             store.Version
	Title, Summary, Body []article.Change
	Same                 bool
}

// deskDiff compares two saved versions of an article (?from=N&to=M).
func (s *Server) deskDiff(w http.ResponseWriter, r *http.Request, u *deskUser, v *view) {
	a, ok := s.loadArticle(w, r, u, v)
	if !ok {
		return
	}
	vs, err := s.Store.Versions(r.Context(), a.ID)
	if err != nil {
		s.fail(w, r, v.Lang, err)
		return
	}
	find := func(param string) (store.Version, bool) {
		n, err := strconv.Atoi(r.URL.Query().Get(param))
		for _, ver := range vs {
			if err == nil && ver.Version == n {
				return ver, true
			}
		}
		return store.Version{}, false
	}
	from, ok1 := find("from")
	to, ok2 := find("to")
	if !ok1 || !ok2 {
		p, err := s.articlePageData(r.Context(), u, a)
		if err != nil {
			s.fail(w, r, v.Lang, err)
			return
		}
		s.formError(w, r, v, p, store.Invalid("versions"))
		return
	}
	p := deskDiffPage{Article: a, From: from, To: to,
		Title: article.DiffText(from.Title, to.Title), Summary: article.DiffText(from.Summary, to.Summary), Body: article.DiffBody(from.Body, to.Body)}
	p.Same = len(p.Title) <= 1 && len(p.Summary) <= 1 && len(p.Body) <= 1 && !changed(p.Title) && !changed(p.Summary) && !changed(p.Body)
	v.Title = v.T("desk.diff_title", from.Version, to.Version)
	s.renderDesk(w, r, http.StatusOK, "desk_diff", v, p)
}

func changed(cs []article.Change) bool {
	for _, c := range cs {
		if c.Deleted || c.Inserted {
			return true
		}
	}
	return false
}

// audit records an action; a failure to record is logged, not shown: the
// action itself has already happened.
func (s *Server) audit(r *http.Request, userID int64, action, target, detail string) {
	e := store.AuditEntry{At: s.Now(), UserID: userID, Action: action, Target: target, Detail: detail, IP: s.clientIP(r)}
	if err := s.Store.AddAudit(r.Context(), e); err != nil {
		s.Log.Error("audit", "action", action, "err", err)
	}
}

type deskAuditPage struct {
	Entries []deskAuditRow
	Pager   pager
}

type deskAuditRow struct {
	store.AuditEntry
	User string
}

func (s *Server) deskAudit(w http.ResponseWriter, r *http.Request, u *deskUser, v *view) {
	page, err := pageNumber(r)
	if err != nil {
		s.fail(w, r, v.Lang, err)
		return
	}
	entries, total, err := s.Store.Audit(r.Context(), PerPage, (page-1)*PerPage)
	if err != nil {
		s.fail(w, r, v.Lang, err)
		return
	}
	p := deskAuditPage{}
	if p.Pager, err = paginate(page, total, "/desk/audit"); err != nil {
		s.fail(w, r, v.Lang, err)
		return
	}
	users, err := s.Store.Users(r.Context())
	if err != nil {
		s.fail(w, r, v.Lang, err)
		return
	}
	names := map[int64]string{}
	for _, usr := range users {
		names[usr.ID] = usr.Name
	}
	for _, e := range entries {
		p.Entries = append(p.Entries, deskAuditRow{AuditEntry: e, User: names[e.UserID]})
	}
	v.Title = v.T("desk.audit")
	s.renderDesk(w, r, http.StatusOK, "desk_audit", v, p)
}

// --- own password ---

func (s *Server) deskPasswordPage(w http.ResponseWriter, r *http.Request, u *deskUser, v *view) {
	v.Title = v.T("desk.password_change")
	s.renderDesk(w, r, http.StatusOK, "desk_password", v, nil)
}

func (s *Server) deskPassword(w http.ResponseWriter, r *http.Request, u *deskUser, v *view) {
	err := s.Accounts.ChangePassword(r.Context(), u.User, r.PostFormValue("old"), r.PostFormValue("new"), u.token)
	switch {
	case errors.Is(err, account.ErrBadLogin):
		v.Data.(*deskData).Error = v.T("desk.bad_password")
	case errors.Is(err, store.ErrInvalid):
		v.Data.(*deskData).Error = invalidMessage(v, err)
	case err != nil:
		s.fail(w, r, v.Lang, err)
		return
	default:
		s.audit(r, u.ID, "password", "user "+u.Username, "")
		http.Redirect(w, r, "/desk/?flash=desk.password_changed", http.StatusSeeOther)
		return
	}
	v.Title = v.T("desk.password_change")
	s.renderDesk(w, r, http.StatusUnprocessableEntity, "desk_password", v, nil)
}

// deskUpload uploads a photo and adds it to the end of the body as a
// figure with its caption, alt text and credit (the first photo of a story
// also becomes its lead image), or an attachment (PDF, Office) as a
// download link. Uploads are checked by content; a refused one changes
// nothing.
func (s *Server) deskUpload(w http.ResponseWriter, r *http.Request, u *deskUser, v *view) {
	stored, ok := s.loadArticle(w, r, u, v)
	if !ok {
		return
	}
	if !article.CanEdit(u.User, stored) {
		s.deskFail(w, r, v.Lang, http.StatusForbidden, "desk.forbidden")
		return
	}
	a := stored
	a.Version, _ = strconv.Atoi(r.FormValue("version"))
	attachment := strings.HasSuffix(r.URL.Path, "/attachment")
	err := func() error {
		if attachment {
			name, data, err := formFile(r)
			if err != nil {
				return err
			}
			m, err := s.Media.SaveAttachment(r.Context(), name, data)
			if err != nil {
				return err
			}
			a.Body += attachmentHTML(m, v)
		} else {
			m, err := s.savePhoto(r, u)
			if err != nil {
				return err
			}
			a.Body += figureHTML(m)
			if a.LeadMediaID == 0 {
				a.LeadMediaID = m.ID
			}
		}
		a.SavedBy = u.ID
		return s.Articles.Update(r.Context(), &a)
	}()
	if err != nil {
		s.transitionError(w, r, u, v, stored, err)
		return
	}
	if attachment {
		s.audit(r, u.ID, "attachment", fmt.Sprintf("article %d", a.ID), "")
		http.Redirect(w, r, fmt.Sprintf("/desk/articles/%d?flash=desk.attachment_added", a.ID), http.StatusSeeOther)
		return
	}
	s.audit(r, u.ID, "figure", fmt.Sprintf("article %d", a.ID), r.FormValue("caption"))
	http.Redirect(w, r, fmt.Sprintf("/desk/articles/%d?flash=desk.figure_added", a.ID), http.StatusSeeOther)
}

// formFile reads the uploaded file of a form.
func formFile(r *http.Request) (string, []byte, error) {
	f, hdr, err := r.FormFile("file")
	if err != nil {
		return "", nil, store.Invalid("upload_missing")
	}
	defer f.Close()
	data, err := io.ReadAll(f)
	return hdr.Filename, data, err
}

// savePhoto checks and stores the photo of a form with its caption, alt
// text (required) and credit.
func (s *Server) savePhoto(r *http.Request, u *deskUser) (store.Media, error) {
	meta := store.Media{UploadedBy: u.ID, Caption: strings.TrimSpace(r.FormValue("caption")), Alt: strings.TrimSpace(r.FormValue("alt")), Credit: strings.TrimSpace(r.FormValue("credit"))}
	if meta.Alt == "" {
		return store.Media{}, store.Invalid("alt_required")
	}
	name, data, err := formFile(r)
	if err != nil {
		return store.Media{}, err
	}
	return s.Media.Save(r.Context(), name, data, meta)
}

// attachmentHTML is the download link of an attachment, with its size.
func attachmentHTML(m store.Media, v *view) string {
	return fmt.Sprintf(`<p><a href="%s">%s</a></p>`, html.EscapeString(media.URL(m)),
		html.EscapeString(v.T("desk.attachment_link", m.Name, float64(m.Size)/(1<<20))))
}

// figureHTML is a photo as the body stores it. Pages show it as the
// library describes it now (renderBody); the caption here tells the
// editor which photo it is.
func figureHTML(m store.Media) string {
	caption := html.EscapeString(m.Caption)
	if m.Credit != "" {
		caption += "（摄影：" + html.EscapeString(m.Credit) + "）"
	}
	return fmt.Sprintf(`<figure><img src="%s" alt="%s" width="%d" height="%d"><figcaption>%s</figcaption></figure>`,
		html.EscapeString(media.URL(m)), html.EscapeString(m.Alt), m.Width, m.Height, caption)
}

// --- the site: settings, editor pages, columns ---

type deskSitePage struct {
	Settings site.Settings
	TimeZone string
	Pages    []store.Page
	Columns  []store.Column
}

func (s *Server) deskSite(w http.ResponseWriter, r *http.Request, u *deskUser, v *view) {
	s.sitePage(w, r, v, http.StatusOK)
}

func (s *Server) sitePage(w http.ResponseWriter, r *http.Request, v *view, status int) {
	ctx := r.Context()
	st, err := s.Site.Settings(ctx)
	if err != nil {
		s.fail(w, r, v.Lang, err)
		return
	}
	pages, err := s.Store.Pages(ctx)
	if err != nil {
		s.fail(w, r, v.Lang, err)
		return
	}
	cols, err := s.Store.Columns(ctx)
	if err != nil {
		s.fail(w, r, v.Lang, err)
		return
	}
	v.Title = v.T("desk.site")
	s.renderDesk(w, r, status, "desk_site", v, deskSitePage{Settings: st, TimeZone: st.TimeZone.String(), Pages: pages, Columns: cols})
}

func (s *Server) deskSaveSettings(w http.ResponseWriter, r *http.Request, u *deskUser, v *view) {
	values := map[string]string{}
	for _, key := range []string{"site.name", "site.footer", "site.timezone"} {
		values[key] = r.PostFormValue(key)
	}
	if err := s.Site.Set(r.Context(), values); err != nil {
		s.siteError(w, r, v, err)
		return
	}
	s.audit(r, u.ID, "settings", "site", r.PostFormValue("site.name"))
	http.Redirect(w, r, "/desk/site?flash=desk.saved", http.StatusSeeOther)
}

func (s *Server) siteError(w http.ResponseWriter, r *http.Request, v *view, err error) {
	if !errors.Is(err, store.ErrInvalid) {
		s.fail(w, r, v.Lang, err)
		return
	}
	v.Data.(*deskData).Error = invalidMessage(v, err)
	s.sitePage(w, r, v, http.StatusUnprocessableEntity)
}

func (s *Server) deskSavePage(w http.ResponseWriter, r *http.Request, u *deskUser, v *view) {
	p, err := s.Store.Page(r.Context(), r.PathValue("slug"))
	if err != nil {
		s.fail(w, r, v.Lang, err)
		return
	}
	p.Title, p.Body = r.PostFormValue("title"), r.PostFormValue("body")
	if err := s.Site.SavePage(r.Context(), &p); err != nil {
		s.siteError(w, r, v, err)
		return
	}
	s.audit(r, u.ID, "page", "page "+p.Slug, p.Title)
	http.Redirect(w, r, "/desk/site?flash=desk.saved", http.StatusSeeOther)
}

var slugRE = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,39}$`)

// deskSaveColumn adds a column (no id) or renames, moves and reorders one.
func (s *Server) deskSaveColumn(w http.ResponseWriter, r *http.Request, u *deskUser, v *view) {
	ctx := r.Context()
	cols, err := s.Store.Columns(ctx)
	if err != nil {
		s.fail(w, r, v.Lang, err)
		return
	}
	c := store.Column{}
	id, _ := strconv.ParseInt(r.PostFormValue("id"), 10, 64)
	for _, x := range cols {
		if x.ID == id {
			c = x
		}
	}
	if id != 0 && c.ID == 0 {
		s.fail(w, r, v.Lang, store.ErrNotFound)
		return
	}
	c.Name = strings.TrimSpace(r.PostFormValue("name"))
	c.Description = strings.TrimSpace(r.PostFormValue("description"))
	if c.ID == 0 {
		c.Slug = strings.TrimSpace(r.PostFormValue("slug"))
	}
	c.Position, _ = strconv.Atoi(r.PostFormValue("position"))
	c.ParentID, _ = strconv.ParseInt(r.PostFormValue("parent"), 10, 64)
	tree := column.NewTree(cols)
	switch {
	case c.Name == "":
		err = store.Invalid("column_name")
	case !slugRE.MatchString(c.Slug):
		err = store.Invalid("column_slug")
	case c.ParentID != 0 && c.ID != 0 && slices.Contains(tree.Subtree(c.ID), c.ParentID):
		err = store.Invalid("column_cycle")
	case c.ParentID != 0:
		if _, ok := tree.Get(c.ParentID); !ok {
			err = store.Invalid("column_parent")
		}
	}
	if err == nil && c.ID == 0 {
		if _, e := tree.BySlug(c.Slug); e == nil {
			err = store.Invalid("column_taken", c.Slug)
		}
	}
	if err == nil {
		if c.ID == 0 {
			err = s.Store.CreateColumn(ctx, &c)
		} else {
			err = s.Store.UpdateColumn(ctx, &c)
		}
	}
	if err != nil {
		s.siteError(w, r, v, err)
		return
	}
	s.Changed()
	s.audit(r, u.ID, "column", "column "+c.Slug, c.Name)
	http.Redirect(w, r, "/desk/site?flash=desk.saved", http.StatusSeeOther)
}

// secure says whether cookies must be Secure: served over TLS here, or
// behind a proxy that terminates it (the site's address is https).
func (s *Server) secure(r *http.Request) bool {
	if r.TLS != nil {
		return true
	}
	snap, err := s.snapshot(r.Context())
	return err == nil && strings.HasPrefix(snap.settings.BaseURL, "https://")
}

// deskSaveUnit adds a unit, or renames one (id set).
func (s *Server) deskSaveUnit(w http.ResponseWriter, r *http.Request, u *deskUser, v *view) {
	ctx := r.Context()
	unit := store.Unit{Name: strings.TrimSpace(r.PostFormValue("name"))}
	unit.ID, _ = strconv.ParseInt(r.PostFormValue("id"), 10, 64)
	units, err := s.Store.Units(ctx)
	if err != nil {
		s.fail(w, r, v.Lang, err)
		return
	}
	switch {
	case unit.Name == "" || utf8.RuneCountInString(unit.Name) > 100:
		err = store.Invalid("unit_name")
	case slices.ContainsFunc(units, func(x store.Unit) bool { return x.Name == unit.Name && x.ID != unit.ID }):
		err = store.Invalid("unit_taken", unit.Name)
	case unit.ID == 0:
		err = s.Store.CreateUnit(ctx, &unit)
	default:
		err = s.Store.UpdateUnit(ctx, &unit)
	}
	if errors.Is(err, store.ErrInvalid) {
		v.Data.(*deskData).Error = invalidMessage(v, err)
		s.usersPage(w, r, v, http.StatusUnprocessableEntity)
		return
	}
	if err != nil {
		s.fail(w, r, v.Lang, err)
		return
	}
	s.audit(r, u.ID, "unit", fmt.Sprintf("unit %d", unit.ID), unit.Name)
	http.Redirect(w, r, "/desk/users?flash=desk.saved", http.StatusSeeOther)
}

// deskUpdateUser changes a user's name, roles, unit, disabled flag and,
// when given, password. Administrators cannot disable themselves or drop
// their own administrator role, so a site always keeps one.
func (s *Server) deskUpdateUser(w http.ResponseWriter, r *http.Request, u *deskUser, v *view) {
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	target, err := s.Store.User(r.Context(), id)
	if err != nil {
		s.fail(w, r, v.Lang, err)
		return
	}
	target.Name, target.Roles = r.PostFormValue("name"), r.PostForm["role"]
	target.UnitID, _ = strconv.ParseInt(r.PostFormValue("unit"), 10, 64)
	target.Disabled = r.PostFormValue("disabled") != ""
	if target.ID == u.ID && (target.Disabled || !target.Has(store.RoleAdmin)) {
		err = store.Invalid("self_lockout")
	} else {
		err = s.Accounts.Update(r.Context(), target, r.PostFormValue("password"))
	}
	if errors.Is(err, store.ErrInvalid) {
		v.Data.(*deskData).Error = invalidMessage(v, err)
		s.usersPage(w, r, v, http.StatusUnprocessableEntity)
		return
	}
	if err != nil {
		s.fail(w, r, v.Lang, err)
		return
	}
	s.audit(r, u.ID, "user_update", "user "+target.Username, fmt.Sprintf("%s disabled=%v password_reset=%v", strings.Join(target.Roles, ","), target.Disabled, r.PostFormValue("password") != ""))
	http.Redirect(w, r, "/desk/users?flash=desk.saved", http.StatusSeeOther)
}

// deskMedia takes a photo from the editor and answers, as JSON, the figure
// to insert where the cursor is ({"html": …}) or what is wrong ({"error":
// …}, in the user's language). The story itself is saved with the form.
func (s *Server) deskMedia(w http.ResponseWriter, r *http.Request, u *deskUser, v *view) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	m, err := s.savePhoto(r, u)
	if errors.Is(err, store.ErrInvalid) {
		w.WriteHeader(http.StatusUnprocessableEntity)
		json.NewEncoder(w).Encode(map[string]string{"error": invalidMessage(v, err)})
		return
	}
	if err != nil {
		s.Log.Error("desk media", "err", err)
		w.WriteHeader(http.StatusInternalServerError)
		json.NewEncoder(w).Encode(map[string]string{"error": v.T("error.500.title")})
		return
	}
	s.audit(r, u.ID, "media", fmt.Sprintf("media %d", m.ID), m.Name)
	json.NewEncoder(w).Encode(map[string]any{"html": figureHTML(m), "id": m.ID})
}

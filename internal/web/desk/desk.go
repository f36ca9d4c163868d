package desk

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"newsdesk/internal/search"
	"newsdesk/internal/site"
	"newsdesk/internal/slot"
	"path"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"newsdesk/internal/account"
	"newsdesk/internal/article"
	"newsdesk/internal/campus"
	"newsdesk/internal/store"
	"newsdesk/internal/web/render"
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

type deskHandler func(w http.ResponseWriter, r *http.Request, u *deskUser, v *render.View) error

// deskRoute is one desk route and who may use it (nil: any signed-in
// user; per-article checks happen in the domain).
type deskRoute struct {
	Pattern string
	May     func(store.User) bool
	handle  deskHandler
}

var (
	writers    = store.User.CanWrite
	publishers = store.User.CanPublish
	admins     = store.User.CanAdminister
)

func (s *Handler) deskRoutes() []deskRoute {
	return []deskRoute{
		{"GET /desk/{$}", nil, s.deskHome},
		{"GET /desk/articles/new", writers, s.deskNew},
		{"POST /desk/articles", writers, s.deskCreate},
		{"GET /desk/articles/{id}", nil, s.deskArticle},
		{"POST /desk/articles/{id}", nil, s.deskSave},
		{"POST /desk/articles/{id}/{action}", nil, s.deskTransition},
		{"POST /desk/articles/{id}/slot", publishers, s.deskSlot},
		{"POST /desk/articles/{id}/figure", nil, s.deskUpload},
		{"POST /desk/articles/{id}/attachment", nil, s.deskUpload},
		{"POST /desk/media", nil, s.deskMedia},
		{"GET /desk/library", nil, s.deskLibrary},
		{"POST /desk/library", nil, s.deskLibraryUpload},
		{"GET /desk/library/pick", nil, s.deskLibraryPick},
		{"GET /desk/library/{id}", nil, s.deskLibraryItem},
		{"POST /desk/library/{id}", nil, s.deskDescribe},
		{"POST /desk/library/{id}/delete", nil, s.deskDeleteMedia},
		{"POST /desk/library/{id}/public", publishers, s.deskMarkPublic},
		{"POST /desk/library/{id}/use", nil, s.deskUseMedia},
		{"GET /desk/articles/{id}/diff", nil, s.deskDiff},
		{"GET /desk/search", nil, s.deskSearch},
		{"GET /desk/site", publishers, s.deskSite},
		{"POST /desk/site", publishers, s.deskSaveSettings},
		{"POST /desk/pages/{slug}", publishers, s.deskSavePage},
		{"POST /desk/columns", publishers, s.deskSaveColumn},
		{"GET /desk/password", nil, s.deskPasswordPage},
		{"POST /desk/password", nil, s.deskPassword},
		{"GET /desk/tokens", nil, s.deskTokens},
		{"POST /desk/tokens", nil, s.deskAddToken},
		{"POST /desk/tokens/{id}/delete", nil, s.deskRevokeToken},
		{"GET /desk/sessions", nil, s.deskSessions},
		{"GET /desk/2fa", nil, s.desk2FA},
		{"POST /desk/2fa/setup", nil, s.desk2FASetup},
		{"POST /desk/2fa/enable", nil, s.desk2FAEnable},
		{"POST /desk/2fa/passkeys/begin", nil, s.deskPasskeyBegin},
		{"POST /desk/2fa/passkeys", nil, s.deskPasskeyAdd},
		{"POST /desk/2fa/passkeys/{id}/delete", nil, s.deskPasskeyRemove},
		{"POST /desk/sessions/end", nil, s.deskEndSession},
		{"GET /desk/audit", admins, s.deskAudit},
		{"GET /desk/audit/export", admins, s.deskAuditExport},
		{"GET /desk/users", admins, s.deskUsers},
		{"POST /desk/users", admins, s.deskAddUser},
		{"POST /desk/units", admins, s.deskSaveUnit},
		{"POST /desk/users/{id}", admins, s.deskUpdateUser},
		{"POST /desk/campus/identities", admins, s.deskLinkIdentity},
		{"GET /desk/campus", publishers, s.deskCampus},
		{"POST /desk/campus/departments", publishers, s.deskSaveDepartment},
		{"POST /desk/campus/settings", admins, s.deskCampusSettings},
		{"POST /desk/password-policy", admins, s.deskSavePolicy},
		{"POST /desk/users/{id}/reset-2fa", admins, s.deskReset2FA},
		{"GET /desk/sign-ins", admins, s.deskSignIns},
		{"POST /desk/sign-ins/clear", admins, s.deskClearSignIns},
		{"POST /desk/logout", nil, s.deskLogout},
	}
}

// Patterns lists the signed-in desk routes, for the authorisation test.
func (s *Handler) Patterns() []string {
	var out []string
	for _, rt := range s.deskRoutes() {
		out = append(out, rt.Pattern)
	}
	return out
}

// Mount adds the desk's routes to m: sign-in (with campus sign-in) and
// the signed-in routes.
func (s *Handler) Mount(m *http.ServeMux) {
	m.HandleFunc("GET /desk/login", s.deskLoginPage)
	m.HandleFunc("POST /desk/login", s.deskLogin)
	m.HandleFunc("POST /desk/login/passkey", s.deskLoginPasskey)
	s.campusMux(m)
	for _, rt := range s.deskRoutes() {
		m.HandleFunc(rt.Pattern, s.desk(rt))
	}
}

// desk wraps a handler with the session, CSRF and role checks.
func (s *Handler) desk(rt deskRoute) http.HandlerFunc {
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
		if rt.May != nil && !rt.May(u.User) {
			s.deskFail(w, r, lang, http.StatusForbidden, "desk.forbidden")
			return
		}
		if s.passwordFirst(w, r, lang, u, rt.Pattern) {
			return
		}
		v, err := s.deskView(r, lang, u)
		if err != nil {
			s.fail(w, r, lang, err)
			return
		}
		if err := rt.handle(w, r, u, v); err != nil {
			s.deskError(w, r, v, err)
		}
	}
}

// deskStatus is the one place that turns a domain error into a status and
// the catalogue key of the message the user reads.
func deskStatus(err error) (int, string) {
	var tooBig *http.MaxBytesError
	switch {
	case errors.Is(err, store.ErrNotFound):
		return http.StatusNotFound, "error.404.title"
	case errors.Is(err, store.ErrForbidden):
		return http.StatusForbidden, "desk.forbidden"
	case errors.Is(err, store.ErrConflict):
		return http.StatusConflict, "desk.conflict"
	case errors.Is(err, store.ErrFull), errors.Is(err, syscall.ENOSPC):
		return http.StatusInsufficientStorage, "desk.storage_full"
	case errors.As(err, &tooBig):
		return http.StatusRequestEntityTooLarge, "invalid.upload_size"
	case errors.Is(err, store.ErrInvalid):
		return http.StatusUnprocessableEntity, ""
	}
	return http.StatusInternalServerError, "error.500.title"
}

// message says err in the language of v.
func message(v *render.View, err error) string {
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return v.T("invalid.upload_size", tooBig.Limit>>20)
	}
	if _, key := deskStatus(err); key != "" {
		return v.T(key)
	}
	return invalidMessage(v, err)
}

// userError reports whether err is something the user can act on (bad
// input, a conflict, no room left), so the form is shown again with what
// they typed, rather than an error page.
func userError(err error) bool {
	return errors.Is(err, store.ErrInvalid) || errors.Is(err, store.ErrConflict) || errors.Is(err, store.ErrFull) || errors.Is(err, syscall.ENOSPC)
}

// deskError answers a handler's error: not found is the site's 404 page;
// the rest a desk page that says what went wrong; failures are logged.
func (s *Handler) deskError(w http.ResponseWriter, r *http.Request, v *render.View, err error) {
	status, _ := deskStatus(err)
	if status == http.StatusNotFound || status == http.StatusInternalServerError {
		s.fail(w, r, v.Lang, err)
		return
	}
	if status == http.StatusInsufficientStorage {
		s.Log.Error("storage full", "path", r.URL.Path, "err", err)
	}
	msg := message(v, err)
	v.Title = msg
	v.Data.(*deskData).Error = msg
	s.renderDesk(w, r, status, "desk_message", v, nil)
}

// Viewer is the signed-in desk user asking for a media file, or nil.
func (s *Handler) Viewer(r *http.Request) (*store.User, error) {
	u, err := s.deskSession(r)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &u.User, nil
}

func (s *Handler) deskSession(r *http.Request) (*deskUser, error) {
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

func (s *Handler) deskView(r *http.Request, lang string, u *deskUser) (*render.View, error) {
	v, _, err := s.render.Common(r, lang)
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
	d.DemoUsers = settings[site.DemoUsersSetting] != ""
	v.Data = d
	return v, nil
}

func (s *Handler) renderDesk(w http.ResponseWriter, r *http.Request, status int, name string, v *render.View, page any) {
	v.Data.(*deskData).Page = page
	out, err := s.render.Execute(name, v)
	if err != nil {
		s.fail(w, r, v.Lang, err)
		return
	}
	w.Header().Set("Content-Type", out.ContentType)
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(out.Body)
}

func (s *Handler) deskFail(w http.ResponseWriter, r *http.Request, lang string, status int, key string, args ...any) {
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
func invalidMessage(v *render.View, err error) string {
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

// lang picks the interface language (render.Lang).
func (s *Handler) lang(r *http.Request) string { return render.Lang(s.Catalog, r) }

// fail renders the site's error page for err.
func (s *Handler) fail(w http.ResponseWriter, r *http.Request, lang string, err error) {
	s.render.Fail(w, r, lang, err)
}

// --- sign in and out ---

type loginPage struct {
	Next, Username string
}

// Sign-in has no session yet, so its CSRF token is a cookie repeated in the
// form (double submit).
const loginCSRFCookie = "nd_login"

func (s *Handler) deskLoginPage(w http.ResponseWriter, r *http.Request) {
	lang := s.lang(r)
	if u, err := s.deskSession(r); err == nil && u != nil {
		http.Redirect(w, r, "/desk/", http.StatusSeeOther)
		return
	}
	s.loginForm(w, r, lang, http.StatusOK, "", "")
}

func (s *Handler) loginForm(w http.ResponseWriter, r *http.Request, lang string, status int, username, errKey string, args ...any) {
	v, err := s.deskView(r, lang, nil)
	if err != nil {
		s.fail(w, r, lang, err)
		return
	}
	token := randomHex()
	http.SetCookie(w, &http.Cookie{Name: loginCSRFCookie, Value: token, Path: "/desk/login", HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.render.Secure(r)})
	d := v.Data.(*deskData)
	d.CSRF = token
	if errKey != "" {
		d.Error = v.T(errKey, args...)
	}
	v.Title = v.T("desk.login")
	s.renderDesk(w, r, status, "desk_login", v, loginPage{Next: safeNext(r.FormValue("next")), Username: username})
}

// loginBodyLimit bounds a sign-in request's body: the form is a user name,
// a password, a token and where to go next. Anyone may post it, so nothing
// larger is read (let alone spooled to disk as a multipart upload).
const loginBodyLimit = 8 << 10

func (s *Handler) deskLogin(w http.ResponseWriter, r *http.Request) {
	lang := s.lang(r)
	w.Header().Set("Cache-Control", "no-store")
	r.Body = http.MaxBytesReader(w, r.Body, loginBodyLimit)
	var perr error
	if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
		perr = r.ParseMultipartForm(loginBodyLimit) // all in memory: it is that small
	} else {
		perr = r.ParseForm()
	}
	// A form that does not parse otherwise has no token: the check below refuses it.
	var tooBig *http.MaxBytesError
	if errors.As(perr, &tooBig) {
		s.loginForm(w, r, lang, http.StatusRequestEntityTooLarge, "", "desk.login_too_large", loginBodyLimit>>10)
		return
	}
	c, err := r.Cookie(loginCSRFCookie)
	if err != nil || c.Value == "" || subtle.ConstantTimeCompare([]byte(c.Value), []byte(r.PostFormValue("csrf"))) != 1 {
		s.loginForm(w, r, lang, http.StatusForbidden, "", "desk.csrf")
		return
	}
	username := r.PostFormValue("username")
	token, _, err := s.Accounts.SignInAt(r.Context(), s.deskActor(r, nil), s.relyingParty(r), username, r.PostFormValue("password"), r.PostFormValue("code"))
	var limited *account.LimitedError
	var campusErr *campus.Error
	switch {
	case errors.As(err, &limited):
		s.loginForm(w, r, lang, http.StatusTooManyRequests, username, "desk.rate_limited", int(limited.Wait.Minutes())+1)
		return
	case errors.As(err, &campusErr): // campus sign-in required of this account
		s.loginForm(w, r, lang, http.StatusForbidden, username, "campus."+campusErr.Code, campusErr.Args...)
		return
	case s.passkeyStep(w, r, lang, err): // a passkey may answer
		return
	case errors.Is(err, account.ErrCodeRequired):
		s.loginForm(w, r, lang, http.StatusUnauthorized, username, "desk.code_required")
		return
	case errors.Is(err, account.ErrBadLogin):
		s.loginForm(w, r, lang, http.StatusUnauthorized, username, "desk.bad_login")
		return
	case err != nil:
		s.fail(w, r, lang, err)
		return
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: token, Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.render.Secure(r)})
	http.Redirect(w, r, safeNext(r.PostFormValue("next")), http.StatusSeeOther)
}

// safeNext keeps redirects after sign-in inside the desk: only a path
// under /desk/ of this site, written the way it is meant (no dot segments,
// doubled or back slashes, scheme, host or control characters), so that no
// browser can read it as another site ("/\evil.example/" is
// http://evil.example/ to them). Anything else goes to the desk's home.
func safeNext(next string) string {
	const home = "/desk/"
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Opaque != "" || u.User != nil || u.Host != "" ||
		strings.ContainsAny(next, "\\") || strings.ContainsAny(u.Path, "\\") || hasControl(next) || hasControl(u.Path) {
		return home
	}
	clean := path.Clean(u.Path)
	if strings.HasSuffix(u.Path, "/") && clean != "/" {
		clean += "/"
	}
	if clean != u.Path || !strings.HasPrefix(clean, home) {
		return home
	}
	return next
}

// hasControl says whether s holds a control character (a browser drops
// tabs and line breaks from URLs, which can turn a path into a host).
func hasControl(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool { return r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) }) >= 0
}

func (s *Handler) deskLogout(w http.ResponseWriter, r *http.Request, u *deskUser, v *render.View) error {
	if err := s.Accounts.SignOut(r.Context(), s.deskActor(r, u), u.token); err != nil {
		return err
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteLaxMode})
	http.Redirect(w, r, "/desk/login", http.StatusSeeOther)
	return nil
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

func (s *Handler) deskHome(w http.ResponseWriter, r *http.Request, u *deskUser, v *render.View) error {
	ctx := r.Context()
	var page deskHomePage
	add := func(title string, q store.ArticleQuery) error {
		q.Limit, q.NoTotal = 50, true
		as, _, err := s.Store.Articles(ctx, q)
		if err != nil {
			return err
		}
		page.Lists = append(page.Lists, deskList{Title: title, Articles: s.deskRows(ctx, as)})
		return nil
	}
	var lists []func() error
	if u.CanPublish() {
		lists = append(lists,
			func() error {
				return add(v.T("desk.queue_editor"), store.ArticleQuery{Status: store.StatusUnitApproved})
			},
			func() error { return add(v.T("desk.scheduled"), store.ArticleQuery{Status: store.StatusScheduled}) })
	}
	if u.Has(store.RoleReviewer) && u.UnitID != 0 {
		lists = append(lists, func() error {
			return add(v.T("desk.queue_unit"), store.ArticleQuery{Status: store.StatusSubmitted, UnitID: u.UnitID})
		})
	}
	lists = append(lists, func() error { return add(v.T("desk.mine"), store.ArticleQuery{AuthorID: u.ID}) })
	for _, list := range lists {
		if err := list(); err != nil {
			return err
		}
	}
	v.Title = v.T("desk.title")
	s.renderDesk(w, r, http.StatusOK, "desk_home", v, page)
	return nil
}

func (s *Handler) deskRows(ctx context.Context, as []store.Article) []deskRow {
	snap, _ := s.Reader.Site(ctx)
	rows := make([]deskRow, len(as))
	for i, a := range as {
		rows[i] = deskRow{Article: a}
		if snap != nil {
			if c, ok := snap.Columns.Get(a.ColumnID); ok {
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

func (s *Handler) deskNew(w http.ResponseWriter, r *http.Request, u *deskUser, v *render.View) error {
	v.Title = v.T("desk.new")
	s.renderDesk(w, r, http.StatusOK, "desk_article", v, s.articleForm(r.Context(), store.Article{UnitID: u.UnitID}, true))
	return nil
}

func (s *Handler) articleForm(ctx context.Context, a store.Article, isNew bool) deskArticlePage {
	p := deskArticlePage{Article: a, New: isNew, CanEdit: true,
		Writers: strings.Join(a.Credits.Writers, " "), Photos: strings.Join(a.Credits.Photographers, " ")}
	if snap, err := s.Reader.Site(ctx); err == nil {
		p.Columns = snap.Columns.All()
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

func (s *Handler) deskCreate(w http.ResponseWriter, r *http.Request, u *deskUser, v *render.View) error {
	var a store.Article
	formArticle(r, &a)
	if err := s.Articles.Create(r.Context(), s.actor(r, u), &a); err != nil {
		a.Body = article.Sanitize(a.Body)
		return s.formError(w, r, v, s.articleForm(r.Context(), a, true), err)
	}
	http.Redirect(w, r, fmt.Sprintf("/desk/articles/%d?flash=desk.saved", a.ID), http.StatusSeeOther)
	return nil
}

// formError shows the story form again with what was typed and what is
// wrong, when the user can act on err; other errors go to the wrapper.
func (s *Handler) formError(w http.ResponseWriter, r *http.Request, v *render.View, p deskArticlePage, err error) error {
	if !userError(err) {
		return err
	}
	status, _ := deskStatus(err)
	v.Data.(*deskData).Error = message(v, err)
	v.Title = v.T("desk.edit")
	s.renderDesk(w, r, status, "desk_article", v, p)
	return nil
}

// loadArticle reads the article of the route and checks u may see it.
func (s *Handler) loadArticle(r *http.Request, u *deskUser) (store.Article, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return store.Article{}, store.ErrNotFound
	}
	a, err := s.Store.Article(r.Context(), id)
	if err != nil {
		return a, err
	}
	if !article.CanView(u.User, a) {
		return a, fmt.Errorf("%w: article %d", store.ErrForbidden, id)
	}
	return a, nil
}

func (s *Handler) articlePageData(ctx context.Context, u *deskUser, a store.Article) (deskArticlePage, error) {
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
	p.CanPlace = u.CanPublish()
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

func (s *Handler) deskArticle(w http.ResponseWriter, r *http.Request, u *deskUser, v *render.View) error {
	a, err := s.loadArticle(r, u)
	if err != nil {
		return err
	}
	p, err := s.articlePageData(r.Context(), u, a)
	if err != nil {
		return err
	}
	v.Title = a.Title
	s.renderDesk(w, r, http.StatusOK, "desk_article", v, p)
	return nil
}

func (s *Handler) deskSave(w http.ResponseWriter, r *http.Request, u *deskUser, v *render.View) error {
	stored, err := s.loadArticle(r, u)
	if err != nil {
		return err
	}
	a := stored
	a.Version, _ = strconv.Atoi(r.PostFormValue("version"))
	formArticle(r, &a)
	if err := s.Articles.Update(r.Context(), s.actor(r, u), &a); err != nil {
		if !userError(err) {
			return err
		}
		p, perr := s.articlePageData(r.Context(), u, stored)
		if perr != nil {
			return perr
		}
		// Keep what this user typed in the form (made safe to show again);
		// show what is stored now.
		typed := a
		typed.Version = stored.Version
		typed.Body = article.Sanitize(typed.Body)
		p.Article = typed
		if errors.Is(err, store.ErrConflict) {
			p.Conflict = &stored
		}
		return s.formError(w, r, v, p, err)
	}
	http.Redirect(w, r, fmt.Sprintf("/desk/articles/%d?flash=desk.saved", a.ID), http.StatusSeeOther)
	return nil
}

func (s *Handler) deskTransition(w http.ResponseWriter, r *http.Request, u *deskUser, v *render.View) error {
	a, err := s.loadArticle(r, u)
	if err != nil {
		return err
	}
	version, _ := strconv.Atoi(r.PostFormValue("version"))
	var when time.Time
	if at := r.PostFormValue("when"); at != "" {
		t, err := time.ParseInLocation("2006-01-02T15:04", at, v.Site.TimeZone)
		if err != nil {
			return s.transitionError(w, r, u, v, a, store.Invalid("time"))
		}
		when = t
	}
	if _, err := s.Articles.Transition(r.Context(), s.actor(r, u), a.ID, version, r.PathValue("action"), r.PostFormValue("comment"), when); err != nil {
		return s.transitionError(w, r, u, v, a, err)
	}
	http.Redirect(w, r, fmt.Sprintf("/desk/articles/%d?flash=desk.done_%s", a.ID, r.PathValue("action")), http.StatusSeeOther)
	return nil
}

// transitionError shows the story page again with what went wrong.
func (s *Handler) transitionError(w http.ResponseWriter, r *http.Request, u *deskUser, v *render.View, a store.Article, err error) error {
	if !userError(err) {
		return err
	}
	p, perr := s.articlePageData(r.Context(), u, a)
	if perr != nil {
		return perr
	}
	return s.formError(w, r, v, p, err)
}

// --- users (administrators) ---

type deskUsersPage struct {
	Users  []store.User
	Units  []store.Unit
	Roles  []string
	Policy deskPolicy
	// Identities are the campus identities linked to accounts.
	Identities []store.Identity
}

func (s *Handler) deskUsers(w http.ResponseWriter, r *http.Request, u *deskUser, v *render.View) error {
	s.usersPage(w, r, v, http.StatusOK)
	return nil
}

func (s *Handler) usersPage(w http.ResponseWriter, r *http.Request, v *render.View, status int) {
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
	ids, err := s.Store.Identities(r.Context(), 0)
	if err != nil {
		s.fail(w, r, v.Lang, err)
		return
	}
	policy, err := s.Accounts.Policy(r.Context())
	if err != nil {
		s.fail(w, r, v.Lang, err)
		return
	}
	v.Title = v.T("desk.users")
	s.renderDesk(w, r, status, "desk_users", v, deskUsersPage{Users: users, Units: units, Roles: account.Roles, Identities: ids, Policy: newDeskPolicy(policy)})
}

func (s *Handler) deskAddUser(w http.ResponseWriter, r *http.Request, u *deskUser, v *render.View) error {
	nu := store.User{Username: r.PostFormValue("username"), Name: r.PostFormValue("name"), Roles: r.PostForm["role"]}
	nu.UnitID, _ = strconv.ParseInt(r.PostFormValue("unit"), 10, 64)
	if err := s.Accounts.AddUser(r.Context(), s.deskActor(r, u), &nu, r.PostFormValue("password")); err != nil {
		return s.accountError(w, r, v, err)
	}
	http.Redirect(w, r, "/desk/users?flash=desk.user_added", http.StatusSeeOther)
	return nil
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
func (s *Handler) deskSearch(w http.ResponseWriter, r *http.Request, u *deskUser, v *render.View) error {
	ctx := r.Context()
	q := r.URL.Query()
	p := deskSearchPage{Query: strings.TrimSpace(q.Get("q")), State: q.Get("state"),
		States: []string{store.StatusDraft, store.StatusSubmitted, store.StatusUnitApproved, store.StatusReturned,
			store.StatusRejected, store.StatusScheduled, store.StatusPublished, store.StatusWithdrawn}}
	p.Unit, _ = strconv.ParseInt(q.Get("unit"), 10, 64)
	p.Author, _ = strconv.ParseInt(q.Get("author"), 10, 64)
	page, err := render.PageNumber(r)
	if err != nil {
		return err
	}
	scope := article.ScopeOf(u.User)
	p.AllUnits = scope.All
	p.Unit, p.Author = scope.Narrow(p.Unit, p.Author)
	sq := search.Query{Text: p.Query, Limit: PerPage, Offset: (page - 1) * PerPage, UnitID: p.Unit, AuthorID: p.Author}
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
			return err
		}
	}
	if p.AllUnits || u.Has(store.RoleReviewer) {
		if p.Authors, err = s.Store.Users(ctx); err != nil {
			return err
		}
	}
	if len(search.Parse(p.Query)) > 0 {
		p.Searched = true
		hits, total, err := s.Search.Search(ctx, sq)
		if err != nil {
			return err
		}
		p.Total = total
		params := url.Values{"q": {p.Query}, "state": {p.State}, "unit": {strconv.FormatInt(p.Unit, 10)}, "author": {strconv.FormatInt(p.Author, 10)}}
		if p.Pager, err = paginate(page, total, "/desk/search?"+params.Encode()); err != nil {
			return err
		}
		p.Pager.Sep = "&"
		snap, _ := s.Reader.Site(ctx)
		for _, h := range hits {
			dh := deskHit{Hit: h}
			if snap != nil {
				if c, ok := snap.Columns.Get(h.ColumnID); ok {
					dh.Column = c.Name
				}
			}
			p.Hits = append(p.Hits, dh)
		}
	}
	v.Title, v.Query = v.T("desk.search"), p.Query
	s.renderDesk(w, r, http.StatusOK, "desk_search", v, p)
	return nil
}

// deskSlot puts the article into the focus or recommended slot at a
// position, with an optional expiry date, or takes it out.
func (s *Handler) deskSlot(w http.ResponseWriter, r *http.Request, u *deskUser, v *render.View) error {
	a, err := s.loadArticle(r, u)
	if err != nil {
		return err
	}
	name := r.PostFormValue("slot")
	if r.PostFormValue("remove") != "" {
		err = s.Slots.Remove(r.Context(), s.actor(r, u), name, a.ID)
	} else {
		var pl store.Placement
		pl, err = formPlacement(r, name, a.ID, v.Site.TimeZone)
		if err == nil {
			err = s.Slots.Place(r.Context(), s.actor(r, u), pl)
		}
	}
	if err != nil {
		return s.transitionError(w, r, u, v, a, err)
	}
	http.Redirect(w, r, fmt.Sprintf("/desk/articles/%d?flash=desk.slot_saved", a.ID), http.StatusSeeOther)
	return nil
}

type deskDiffPage struct {
	Article              store.Article
	From, To             store.Version
	Title, Summary, Body []article.Change
	Same                 bool
}

// deskDiff compares two saved versions of an article (?from=N&to=M).
func (s *Handler) deskDiff(w http.ResponseWriter, r *http.Request, u *deskUser, v *render.View) error {
	a, err := s.loadArticle(r, u)
	if err != nil {
		return err
	}
	vs, err := s.Store.Versions(r.Context(), a.ID)
	if err != nil {
		return err
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
		return s.transitionError(w, r, u, v, a, store.Invalid("versions"))
	}
	p := deskDiffPage{Article: a, From: from, To: to,
		Title: article.DiffText(from.Title, to.Title), Summary: article.DiffText(from.Summary, to.Summary), Body: article.DiffBody(from.Body, to.Body)}
	p.Same = len(p.Title) <= 1 && len(p.Summary) <= 1 && len(p.Body) <= 1 && !changed(p.Title) && !changed(p.Summary) && !changed(p.Body)
	v.Title = v.T("desk.diff_title", from.Version, to.Version)
	s.renderDesk(w, r, http.StatusOK, "desk_diff", v, p)
	return nil
}

func changed(cs []article.Change) bool {
	for _, c := range cs {
		if c.Deleted || c.Inserted {
			return true
		}
	}
	return false
}

// --- own password ---

func (s *Handler) deskPasswordPage(w http.ResponseWriter, r *http.Request, u *deskUser, v *render.View) error {
	return s.passwordPage(w, r, v, http.StatusOK)
}

func (s *Handler) deskPassword(w http.ResponseWriter, r *http.Request, u *deskUser, v *render.View) error {
	err := s.Accounts.ChangePassword(r.Context(), s.deskActor(r, u), r.PostFormValue("old"), r.PostFormValue("new"), u.token)
	switch {
	case errors.Is(err, account.ErrBadLogin):
		v.Data.(*deskData).Error = v.T("desk.bad_password")
	case errors.Is(err, store.ErrInvalid):
		v.Data.(*deskData).Error = invalidMessage(v, err)
	case err != nil:
		return err
	default:
		http.Redirect(w, r, "/desk/?flash=desk.password_changed", http.StatusSeeOther)
		return nil
	}
	return s.passwordPage(w, r, v, http.StatusUnprocessableEntity)
}

// deskUpload uploads a photo and adds it to the end of the body as a
// figure with its caption, alt text and credit, or an attachment (PDF,
// Office) as a download link. Uploads are checked by content; a refused
// one changes nothing.
func (s *Handler) deskUpload(w http.ResponseWriter, r *http.Request, u *deskUser, v *render.View) error {
	stored, err := s.loadArticle(r, u)
	if err != nil {
		return err
	}
	if !article.CanEdit(u.User, stored) {
		return fmt.Errorf("%w: add media to article %d", store.ErrForbidden, stored.ID)
	}
	version, _ := strconv.Atoi(r.FormValue("version"))
	attachment := strings.HasSuffix(r.URL.Path, "/attachment")
	var m store.Media
	if attachment {
		name, data, ferr := formFile(r)
		if ferr == nil {
			m, ferr = s.Media.SaveAttachment(r.Context(), s.actor(r, u), name, data)
		}
		err = ferr
	} else {
		m, err = s.savePhoto(r, u)
	}
	if err == nil {
		_, err = s.Articles.AddMedia(r.Context(), s.actor(r, u), stored.ID, version, m, attachmentLabel(m, v))
	}
	if err != nil {
		return s.transitionError(w, r, u, v, stored, err)
	}
	flash := "desk.figure_added"
	if attachment {
		flash = "desk.attachment_added"
	}
	http.Redirect(w, r, fmt.Sprintf("/desk/articles/%d?flash=%s", stored.ID, flash), http.StatusSeeOther)
	return nil
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
func (s *Handler) savePhoto(r *http.Request, u *deskUser) (store.Media, error) {
	meta := store.Media{UploadedBy: u.ID, Caption: strings.TrimSpace(r.FormValue("caption")), Alt: strings.TrimSpace(r.FormValue("alt")), Credit: strings.TrimSpace(r.FormValue("credit"))}
	if meta.Alt == "" {
		return store.Media{}, store.Invalid("alt_required")
	}
	name, data, err := formFile(r)
	if err != nil {
		return store.Media{}, err
	}
	return s.Media.Save(r.Context(), s.actor(r, u), name, data, meta)
}

// --- the site: settings, editor pages, columns ---

type deskSitePage struct {
	Settings site.Settings
	TimeZone string
	Pages    []store.Page
	Columns  []store.Column
}

func (s *Handler) deskSite(w http.ResponseWriter, r *http.Request, u *deskUser, v *render.View) error {
	return s.sitePage(w, r, v, http.StatusOK)
}

func (s *Handler) sitePage(w http.ResponseWriter, r *http.Request, v *render.View, status int) error {
	ctx := r.Context()
	st, err := s.Site.Settings(ctx)
	if err != nil {
		return err
	}
	pages, err := s.Store.Pages(ctx)
	if err != nil {
		return err
	}
	cols, err := s.Store.Columns(ctx)
	if err != nil {
		return err
	}
	v.Title = v.T("desk.site")
	s.renderDesk(w, r, status, "desk_site", v, deskSitePage{Settings: st, TimeZone: st.TimeZone.String(), Pages: pages, Columns: cols})
	return nil
}

func (s *Handler) deskSaveSettings(w http.ResponseWriter, r *http.Request, u *deskUser, v *render.View) error {
	values := map[string]string{}
	for _, key := range []string{"site.name", "site.footer", "site.timezone"} {
		values[key] = r.PostFormValue(key)
	}
	if err := s.Site.Set(r.Context(), s.actor(r, u), values); err != nil {
		return s.siteError(w, r, v, err)
	}
	http.Redirect(w, r, "/desk/site?flash=desk.saved", http.StatusSeeOther)
	return nil
}

// siteError shows the site page again with what is wrong.
func (s *Handler) siteError(w http.ResponseWriter, r *http.Request, v *render.View, err error) error {
	if !userError(err) {
		return err
	}
	v.Data.(*deskData).Error = message(v, err)
	status, _ := deskStatus(err)
	return s.sitePage(w, r, v, status)
}

func (s *Handler) deskSavePage(w http.ResponseWriter, r *http.Request, u *deskUser, v *render.View) error {
	p, err := s.Store.Page(r.Context(), r.PathValue("slug"))
	if err != nil {
		return err
	}
	p.Title, p.Body = r.PostFormValue("title"), r.PostFormValue("body")
	if err := s.Site.SavePage(r.Context(), s.actor(r, u), &p); err != nil {
		return s.siteError(w, r, v, err)
	}
	http.Redirect(w, r, "/desk/site?flash=desk.saved", http.StatusSeeOther)
	return nil
}

// deskSaveColumn adds a column (no id) or renames, moves and reorders one.
func (s *Handler) deskSaveColumn(w http.ResponseWriter, r *http.Request, u *deskUser, v *render.View) error {
	c := store.Column{Name: r.PostFormValue("name"), Description: r.PostFormValue("description"), Slug: r.PostFormValue("slug")}
	c.ID, _ = strconv.ParseInt(r.PostFormValue("id"), 10, 64)
	c.Position, _ = strconv.Atoi(r.PostFormValue("position"))
	c.ParentID, _ = strconv.ParseInt(r.PostFormValue("parent"), 10, 64)
	if _, err := s.Columns.Save(r.Context(), s.actor(r, u), c); err != nil {
		return s.siteError(w, r, v, err)
	}
	http.Redirect(w, r, "/desk/site?flash=desk.saved", http.StatusSeeOther)
	return nil
}

// deskSaveUnit adds a unit, or renames one (id set).
func (s *Handler) deskSaveUnit(w http.ResponseWriter, r *http.Request, u *deskUser, v *render.View) error {
	unit := store.Unit{Name: r.PostFormValue("name")}
	unit.ID, _ = strconv.ParseInt(r.PostFormValue("id"), 10, 64)
	if err := s.Accounts.SaveUnit(r.Context(), s.deskActor(r, u), &unit); err != nil {
		return s.accountError(w, r, v, err)
	}
	http.Redirect(w, r, "/desk/users?flash=desk.saved", http.StatusSeeOther)
	return nil
}

// deskUpdateUser changes a user's name, roles, unit, disabled flag and,
// when given, password.
func (s *Handler) deskUpdateUser(w http.ResponseWriter, r *http.Request, u *deskUser, v *render.View) error {
	target := store.User{Name: r.PostFormValue("name"), Roles: r.PostForm["role"], Disabled: r.PostFormValue("disabled") != ""}
	target.ID, _ = strconv.ParseInt(r.PathValue("id"), 10, 64)
	target.UnitID, _ = strconv.ParseInt(r.PostFormValue("unit"), 10, 64)
	if err := s.Accounts.Update(r.Context(), s.deskActor(r, u), target, r.PostFormValue("password")); err != nil {
		return s.accountError(w, r, v, err)
	}
	http.Redirect(w, r, "/desk/users?flash=desk.saved", http.StatusSeeOther)
	return nil
}

// deskMedia takes a photo from the editor and answers, as JSON, the figure
// to insert where the cursor is ({"html": …}) or what is wrong ({"error":
// …}, in the user's language). The story itself is saved with the form.
func (s *Handler) deskMedia(w http.ResponseWriter, r *http.Request, u *deskUser, v *render.View) error {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	m, err := s.savePhoto(r, u)
	if err != nil {
		status, _ := deskStatus(err)
		if status == http.StatusInternalServerError {
			s.Log.Error("desk media", "err", err)
		}
		w.WriteHeader(status)
		return json.NewEncoder(w).Encode(map[string]string{"error": message(v, err)})
	}
	return json.NewEncoder(w).Encode(map[string]any{"html": article.FigureHTML(m), "id": m.ID})
}

// actor is who makes a desk request's changes, and from where.
func (s *Handler) actor(r *http.Request, u *deskUser) store.Actor {
	return store.Actor{User: u.User, IP: s.ClientIP(r), Via: "desk"}
}

// formPlacement reads a slot form: a position (empty is 0) and an expiry
// date, through the whole of which the story stays placed.
func formPlacement(r *http.Request, name string, articleID int64, tz *time.Location) (store.Placement, error) {
	pl := store.Placement{Slot: name, ArticleID: articleID}
	if pos := strings.TrimSpace(r.PostFormValue("position")); pos != "" {
		n, err := strconv.Atoi(pos)
		if err != nil || n < 0 {
			return pl, store.Invalid("position")
		}
		pl.Position = n
	}
	if exp := r.PostFormValue("expires"); exp != "" {
		t, err := time.ParseInLocation("2006-01-02", exp, tz)
		if err != nil {
			return pl, store.Invalid("expires")
		}
		pl.ExpiresAt = t.AddDate(0, 0, 1)
	}
	return pl, nil
}

// attachmentLabel is the text of an attachment's download link: its name
// and size.
func attachmentLabel(m store.Media, v *render.View) string {
	return v.T("desk.attachment_link", m.Name, float64(m.Size)/(1<<20))
}

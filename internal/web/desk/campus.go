package desk

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"newsdesk/internal/campus"
	"newsdesk/internal/model"
	"newsdesk/internal/web/render"
)

// Campus sign-in (统一身份认证): the routes the CAS server and the OpenID
// provider send the browser back to, the CAS back-channel single logout,
// and the desk pages that keep the department → unit mapping and the
// links of accounts to campus identities. The protocols live in package
// campus; these handlers decode, call it and render.

const (
	casPath          = "/desk/login/cas"
	oidcCallbackPath = "/desk/login/oidc/callback"
	// campusCookie marks a browser that started a campus sign-in here, and
	// keeps the desk page to go to once signed in, across the trip to the
	// campus server (the CAS service URL must not vary). A CAS ticket that
	// arrives without it is not taken: someone else's ticket would sign the
	// browser in as them (login CSRF); CAS itself has no state parameter.
	campusCookie = "nd_campus"
	// oidcCookie keeps the state, nonce and PKCE verifier of the OpenID
	// sign-in under way: used once, for ten minutes at most.
	oidcCookie = "nd_oidc"
)

func (s *campusDesk) campusMux(m *http.ServeMux) {
	m.HandleFunc("GET "+casPath, s.casLogin)
	// CAS servers post the logoutRequest to the service URL itself, or to
	// the logout URL registered for the service.
	m.HandleFunc("POST "+casPath, s.casLogout)
	m.HandleFunc("POST "+casPath+"/logout", s.casLogout)
	m.HandleFunc("GET /desk/login/oidc", s.oidcLogin)
	m.HandleFunc("GET "+oidcCallbackPath, s.oidcCallback)
}

// CampusSignIns lists the campus providers configured, for the sign-in
// page (the templates' "campus").
func (s *Handler) CampusSignIns() []string { return s.campus.CampusSignIns() }

// CampusSignIns lists the campus providers configured.
func (s *campusDesk) CampusSignIns() []string {
	var out []string
	if s.Campus != nil && s.Campus.CAS != nil {
		out = append(out, campus.ProviderCAS)
	}
	if s.Campus != nil && s.Campus.OIDC != nil {
		out = append(out, campus.ProviderOIDC)
	}
	return out
}

// siteURL is the desk's public address followed by path: the CAS service
// and the OpenID redirect are built from the configured address (DeskURL,
// else the site's), never from the request's Host header.
func (s *campusDesk) siteURL(ctx context.Context, path string) (string, error) {
	if s.DeskURL != "" {
		return strings.TrimRight(s.DeskURL, "/") + path, nil
	}
	snap, err := s.Reader.Site(ctx)
	if err != nil {
		return "", err
	}
	return strings.TrimRight(snap.Settings.BaseURL, "/") + path, nil
}

func (s *campusDesk) campusActor(r *http.Request) model.Actor {
	return model.Actor{IP: s.ClientIP(r), Via: "desk"}
}

// rememberNext keeps where to go after sign-in while the browser is away.
func (s *campusDesk) rememberNext(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, &http.Cookie{Name: campusCookie, Value: url.QueryEscape(safeNext(r.URL.Query().Get("next"))), Path: "/desk/login",
		MaxAge: 600, HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.render.Secure(r)})
}

func (s *campusDesk) casLogin(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	lang := s.lang(r)
	if s.Campus == nil || s.Campus.CAS == nil {
		s.fail(w, r, lang, model.ErrNotFound)
		return
	}
	service, err := s.siteURL(r.Context(), casPath)
	if err != nil {
		s.fail(w, r, lang, err)
		return
	}
	ticket := r.URL.Query().Get("ticket")
	if ticket == "" {
		s.rememberNext(w, r)
		http.Redirect(w, r, s.Campus.CAS.LoginURL(service), http.StatusSeeOther)
		return
	}
	if c, err := r.Cookie(campusCookie); err != nil || c.Value == "" {
		s.accounts.loginForm(w, r, lang, http.StatusForbidden, "", "campus.bad_state")
		return
	}
	id, err := s.Campus.CAS.Validate(r.Context(), service, ticket)
	if err == nil {
		id.Ticket = ticket
	}
	s.campusSignIn(w, r, lang, id, err)
}

// campusSignIn opens the session of a person a campus provider vouched
// for (or says why not, on the sign-in page) and goes on to the desk.
func (s *campusDesk) campusSignIn(w http.ResponseWriter, r *http.Request, lang string, id campus.Identity, err error) {
	var token string
	if err == nil {
		token, _, _, err = s.Campus.SignIn(r.Context(), s.campusActor(r), id)
	}
	var ce *campus.Error
	switch {
	case errors.As(err, &ce):
		s.Log.Info("campus sign-in refused", "provider", id.Provider, "subject", id.Subject, "ip", s.ClientIP(r), "err", err)
		s.accounts.loginForm(w, r, lang, http.StatusForbidden, "", "campus."+ce.Code, ce.Args...)
		return
	case err != nil:
		s.Log.Error("campus sign-in failed", "err", err)
		s.accounts.loginForm(w, r, lang, http.StatusBadGateway, "", "campus.unavailable")
		return
	}
	next := "/desk/"
	if c, err := r.Cookie(campusCookie); err == nil {
		if v, err := url.QueryUnescape(c.Value); err == nil {
			next = safeNext(v)
		}
	}
	http.SetCookie(w, &http.Cookie{Name: campusCookie, Value: "", Path: "/desk/login", MaxAge: -1})
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: token, Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.render.Secure(r)})
	http.Redirect(w, r, next, http.StatusSeeOther)
}

// casLogout takes the CAS server's back-channel logoutRequest and ends the
// session its ticket opened. The request carries no credentials (the CAS
// protocol has none); knowing the ticket is what it proves.
func (s *campusDesk) casLogout(w http.ResponseWriter, r *http.Request) {
	if s.Campus == nil || s.Campus.CAS == nil {
		http.NotFound(w, r)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		http.Error(w, "bad logout request", http.StatusBadRequest)
		return
	}
	ended, err := s.Campus.SingleLogout(r.Context(), s.campusActor(r), []byte(r.PostFormValue("logoutRequest")))
	var ce *campus.Error
	switch {
	case errors.As(err, &ce):
		http.Error(w, "bad logout request", http.StatusBadRequest)
		return
	case err != nil:
		s.Log.Error("cas single logout", "err", err)
		http.Error(w, "single logout failed", http.StatusInternalServerError)
		return
	}
	s.Log.Info("cas single logout", "ended", ended)
	w.WriteHeader(http.StatusOK)
	io.WriteString(w, "ok\n")
}

func (s *campusDesk) oidcLogin(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	lang := s.lang(r)
	if s.Campus == nil || s.Campus.OIDC == nil {
		s.fail(w, r, lang, model.ErrNotFound)
		return
	}
	redirect, err := s.siteURL(r.Context(), oidcCallbackPath)
	if err != nil {
		s.fail(w, r, lang, err)
		return
	}
	st := campus.NewAuthStart()
	to, err := s.Campus.OIDC.AuthURL(st, redirect)
	if err != nil {
		s.Log.Error("openid sign-in", "err", err)
		s.accounts.loginForm(w, r, lang, http.StatusBadGateway, "", "campus.unavailable")
		return
	}
	s.rememberNext(w, r)
	http.SetCookie(w, &http.Cookie{Name: oidcCookie, Value: st.State + "." + st.Nonce + "." + st.Verifier, Path: "/desk/login/oidc",
		MaxAge: 600, HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.render.Secure(r)})
	http.Redirect(w, r, to, http.StatusSeeOther)
}

func (s *campusDesk) oidcCallback(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	lang := s.lang(r)
	if s.Campus == nil || s.Campus.OIDC == nil {
		s.fail(w, r, lang, model.ErrNotFound)
		return
	}
	// The values are for one return only, whatever comes of it.
	var st campus.AuthStart
	if c, err := r.Cookie(oidcCookie); err == nil {
		if parts := strings.Split(c.Value, "."); len(parts) == 3 {
			st = campus.AuthStart{State: parts[0], Nonce: parts[1], Verifier: parts[2]}
		}
	}
	http.SetCookie(w, &http.Cookie{Name: oidcCookie, Value: "", Path: "/desk/login/oidc", MaxAge: -1})
	q := r.URL.Query()
	if e := q.Get("error"); e != "" {
		s.Log.Info("openid provider refused the sign-in", "error", e, "description", q.Get("error_description"))
		s.accounts.loginForm(w, r, lang, http.StatusForbidden, "", "campus.provider_refused")
		return
	}
	redirect, err := s.siteURL(r.Context(), oidcCallbackPath)
	if err != nil {
		s.fail(w, r, lang, err)
		return
	}
	id, err := s.Campus.OIDC.Exchange(r.Context(), st, q.Get("state"), q.Get("code"), redirect)
	s.campusSignIn(w, r, lang, id, err)
}

// --- the desk's campus page (editors: department mapping; administrators:
// the setting and the links of accounts) ---

type deskCampusPage struct {
	Departments []model.DepartmentUnit
	Units       []model.Unit
	UnitNames   map[int64]string
	Required    bool
	Providers   []string
}

func (s *campusDesk) deskCampus(w http.ResponseWriter, r *http.Request, u *deskUser, v *render.View) error {
	return s.campusPage(w, r, v, http.StatusOK)
}

func (s *campusDesk) campusPage(w http.ResponseWriter, r *http.Request, v *render.View, status int) error {
	ctx := r.Context()
	p := deskCampusPage{UnitNames: map[int64]string{}, Providers: s.CampusSignIns()}
	var err error
	if p.Departments, err = s.Store.DepartmentUnits(ctx); err != nil {
		return err
	}
	if p.Units, err = s.Store.Units(ctx); err != nil {
		return err
	}
	if p.Required, err = s.campusService().Required(ctx); err != nil {
		return err
	}
	for _, un := range p.Units {
		p.UnitNames[un.ID] = un.Name
	}
	v.Title = v.T("campus.title")
	s.renderDesk(w, r, status, "desk_campus", v, p)
	return nil
}

// campusChanged answers a change: back to the page with a message, or the
// page again saying what is wrong with the input; other errors go to the
// desk's one wrapper.
func (s *campusDesk) campusChanged(w http.ResponseWriter, r *http.Request, v *render.View, err error, back string, page func(int) error) error {
	switch {
	case err == nil:
		http.Redirect(w, r, back+"?flash=desk.saved", http.StatusSeeOther)
		return nil
	case errors.Is(err, model.ErrInvalid):
		v.Data.(*deskData).Error = invalidMessage(v, err)
		return page(http.StatusUnprocessableEntity)
	}
	return err
}

// deskSaveDepartment maps a department code to a unit, or removes it.
func (s *campusDesk) deskSaveDepartment(w http.ResponseWriter, r *http.Request, u *deskUser, v *render.View) error {
	unitID, _ := strconv.ParseInt(r.PostFormValue("unit"), 10, 64)
	if r.PostFormValue("remove") != "" {
		unitID = 0
	}
	err := s.campusService().SetDepartmentUnit(r.Context(), s.actor(r, u), r.PostFormValue("code"), unitID)
	return s.campusChanged(w, r, v, err, "/desk/campus", func(st int) error { return s.campusPage(w, r, v, st) })
}

func (s *campusDesk) deskCampusSettings(w http.ResponseWriter, r *http.Request, u *deskUser, v *render.View) error {
	err := s.campusService().SetRequired(r.Context(), s.actor(r, u), r.PostFormValue("required") != "")
	return s.campusChanged(w, r, v, err, "/desk/campus", func(st int) error { return s.campusPage(w, r, v, st) })
}

// deskLinkIdentity links an account to a campus identity, or unlinks it.
func (s *campusDesk) deskLinkIdentity(w http.ResponseWriter, r *http.Request, u *deskUser, v *render.View) error {
	userID, _ := strconv.ParseInt(r.PostFormValue("user"), 10, 64)
	provider, subject := r.PostFormValue("provider"), r.PostFormValue("subject")
	var err error
	if r.PostFormValue("remove") != "" {
		err = s.campusService().Unlink(r.Context(), s.actor(r, u), userID, provider, subject)
	} else {
		err = s.campusService().Link(r.Context(), s.actor(r, u), userID, provider, subject)
	}
	return s.campusChanged(w, r, v, err, "/desk/users", func(st int) error {
		s.accounts.usersPage(w, r, v, st)
		return nil
	})
}

// campusService is the campus service, or one with no provider: the
// mapping and links can be kept before campus sign-in is switched on.
func (s *campusDesk) campusService() *campus.Service {
	if s.Campus != nil {
		return s.Campus
	}
	return &campus.Service{Store: s.Store, Accounts: s.Accounts}
}

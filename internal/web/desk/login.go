package desk

import (
	"crypto/subtle"
	"errors"
	"net/http"
	"net/url"
	"path"
	"strings"

	"newsdesk/internal/account"
	"newsdesk/internal/campus"
	"newsdesk/internal/web/render"
)

// --- sign in and out ---

type loginPage struct {
	Next, Username string
}

// Sign-in has no session yet, so its CSRF token is a cookie repeated in the
// form (double submit).
const loginCSRFCookie = "nd_login"

func (s *accounts) deskLoginPage(w http.ResponseWriter, r *http.Request) {
	lang := s.lang(r)
	if u, err := s.deskSession(r); err == nil && u != nil {
		http.Redirect(w, r, "/desk/", http.StatusSeeOther)
		return
	}
	s.loginForm(w, r, lang, http.StatusOK, "", "")
}

func (s *accounts) loginForm(w http.ResponseWriter, r *http.Request, lang string, status int, username, errKey string, args ...any) {
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

func (s *accounts) deskLogin(w http.ResponseWriter, r *http.Request) {
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

func (s *accounts) deskLogout(w http.ResponseWriter, r *http.Request, u *deskUser, v *render.View) error {
	if err := s.Accounts.SignOut(r.Context(), s.deskActor(r, u), u.token); err != nil {
		return err
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteLaxMode})
	http.Redirect(w, r, "/desk/login", http.StatusSeeOther)
	return nil
}

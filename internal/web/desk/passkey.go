package desk

import (
	"crypto/subtle"
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"strconv"
	"strings"

	"newsdesk/internal/account"
	"newsdesk/internal/model"
	"newsdesk/internal/web/render"
)

// Passkeys on the desk: registered, listed and removed on the two-step
// page, and the second step of a sign-in whose password was right. The
// browser side is static/passkey.js; the rules are in package account.

// relyingParty is the site as the browser sees it for this request: the
// host name passkeys are bound to, and the origin. Taken from the request
// rather than the base URL, so that a desk on its own listener (or its
// own name) works too; the browser will not answer a challenge for a
// name other than the page's, whatever Host a request claims.
func (s *accounts) relyingParty(r *http.Request) account.RelyingParty {
	scheme := "http"
	if s.render.Secure(r) {
		scheme = "https"
	}
	name := r.Host
	if h, _, err := net.SplitHostPort(r.Host); err == nil {
		name = h
	}
	return account.RelyingParty{ID: strings.ToLower(strings.Trim(name, "[]")), Origin: scheme + "://" + strings.ToLower(r.Host)}
}

// deskPasskeys is the passkey part of the two-step page.
type deskPasskeys struct {
	List []model.Passkey
	// SiteError says why this address cannot have passkeys ("" if it can).
	SiteError string
}

// addPasskeys fills in the passkey part of the two-step page.
func (s *accounts) addPasskeys(r *http.Request, v *render.View, p *desk2FAPage) error {
	u := v.Data.(*deskData).User
	list, err := s.Accounts.Passkeys(r.Context(), s.deskActor(r, u))
	if err != nil {
		return err
	}
	p.Passkeys = &deskPasskeys{List: list}
	if rp := s.relyingParty(r); net.ParseIP(rp.ID) != nil {
		p.Passkeys.SiteError = v.T("invalid.passkey_site")
	}
	return nil
}

// deskPasskeyBegin starts registering a passkey: the answer (JSON) is what
// passkey.js gives navigator.credentials.create, and the ceremony's token.
func (s *accounts) deskPasskeyBegin(w http.ResponseWriter, r *http.Request, u *deskUser, v *render.View) error {
	c, err := s.Accounts.BeginPasskey(r.Context(), s.deskActor(r, u), s.relyingParty(r))
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json")
	return json.NewEncoder(w).Encode(map[string]any{"token": c.Token, "options": c.Options})
}

// deskPasskeyAdd stores the passkey the browser made.
func (s *accounts) deskPasskeyAdd(w http.ResponseWriter, r *http.Request, u *deskUser, v *render.View) error {
	_, err := s.Accounts.AddPasskey(r.Context(), s.deskActor(r, u), r.PostFormValue("token"), r.PostFormValue("name"), []byte(r.PostFormValue("response")), u.token)
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/desk/2fa?flash=desk.passkey_added", http.StatusSeeOther)
	return nil
}

// deskPasskeyRemove removes one of the user's passkeys.
func (s *accounts) deskPasskeyRemove(w http.ResponseWriter, r *http.Request, u *deskUser, v *render.View) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return model.ErrNotFound
	}
	if err := s.Accounts.RemovePasskey(r.Context(), s.deskActor(r, u), id); err != nil {
		return err
	}
	http.Redirect(w, r, "/desk/2fa?flash=desk.passkey_removed", http.StatusSeeOther)
	return nil
}

// passkeyLoginPage is the sign-in's second step with a passkey.
type passkeyLoginPage struct {
	Next, Token string
	Options     string // JSON for navigator.credentials.get
	TOTP        bool   // the user may type a code instead
}

// passkeyStep shows the second step of a sign-in when err (from the first)
// asks for one and offers a passkey; it reports whether it answered.
func (s *accounts) passkeyStep(w http.ResponseWriter, r *http.Request, lang string, err error) bool {
	var need *account.SecondFactorError
	if !errors.As(err, &need) || need.Passkey == nil {
		return false
	}
	v, err := s.deskView(r, lang, nil)
	if err != nil {
		s.fail(w, r, lang, err)
		return true
	}
	s.loginCSRF(w, r, v)
	v.Title = v.T("desk.login")
	s.renderDesk(w, r, http.StatusOK, "desk_passkey_login", v, passkeyLoginPage{Next: safeNext(r.FormValue("next")), Token: need.Passkey.Token,
		Options: string(need.Passkey.Options), TOTP: need.TOTP})
	return true
}

// loginCSRF sets a new sign-in CSRF cookie, and its copy in the page.
func (s *accounts) loginCSRF(w http.ResponseWriter, r *http.Request, v *render.View) {
	token := randomHex()
	http.SetCookie(w, &http.Cookie{Name: loginCSRFCookie, Value: token, Path: "/desk/login", HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.render.Secure(r)})
	v.Data.(*deskData).CSRF = token
}

// passkeyBodyLimit bounds the second step's body: a token and an
// assertion of a few hundred bytes (a user handle, a signature and the
// client data), with room to spare.
const passkeyBodyLimit = 16 << 10

// deskLoginPasskey finishes a sign-in with the browser's passkey answer.
func (s *accounts) deskLoginPasskey(w http.ResponseWriter, r *http.Request) {
	lang := s.lang(r)
	w.Header().Set("Cache-Control", "no-store")
	r.Body = http.MaxBytesReader(w, r.Body, passkeyBodyLimit)
	if err := r.ParseForm(); err != nil {
		s.loginForm(w, r, lang, http.StatusBadRequest, "", "desk.passkey_failed")
		return
	}
	c, err := r.Cookie(loginCSRFCookie)
	if err != nil || c.Value == "" || subtle.ConstantTimeCompare([]byte(c.Value), []byte(r.PostFormValue("csrf"))) != 1 {
		s.loginForm(w, r, lang, http.StatusForbidden, "", "desk.csrf")
		return
	}
	token, _, err := s.Accounts.SignInPasskey(r.Context(), s.deskActor(r, nil), r.PostFormValue("token"), []byte(r.PostFormValue("response")))
	var limited *account.LimitedError
	switch {
	case errors.As(err, &limited):
		s.loginForm(w, r, lang, http.StatusTooManyRequests, "", "desk.rate_limited", int(limited.Wait.Minutes())+1)
		return
	case errors.Is(err, account.ErrBadLogin):
		s.loginForm(w, r, lang, http.StatusUnauthorized, "", "desk.passkey_failed")
		return
	case err != nil:
		s.fail(w, r, lang, err)
		return
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: token, Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.render.Secure(r)})
	http.Redirect(w, r, safeNext(r.PostFormValue("next")), http.StatusSeeOther)
}

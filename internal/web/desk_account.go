package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"newsdesk/internal/account"
	"newsdesk/internal/store"
)

// Desk pages for accounts: users and units (administrators), and what the
// user changes of their own account. The rules are in package account.

// deskActor is who makes a desk request, and from where (u nil: nobody is
// signed in yet).
func (s *Server) deskActor(r *http.Request, u *deskUser) store.Actor {
	a := store.Actor{IP: s.clientIP(r), Via: "desk"}
	if u != nil {
		a.User = u.User
	}
	return a
}

// accountError shows what is wrong with a change on the users page; other
// errors go to the desk's one wrapper.
func (s *Server) accountError(w http.ResponseWriter, r *http.Request, v *view, err error) error {
	if !errors.Is(err, store.ErrInvalid) {
		return err
	}
	v.Data.(*deskData).Error = invalidMessage(v, err)
	s.usersPage(w, r, v, http.StatusUnprocessableEntity)
	return nil
}

// --- sign-in slowdowns (administrators) ---

type deskSignInsPage struct {
	Throttles []deskThrottle
}

type deskThrottle struct {
	account.Throttle
	WaitSeconds int
}

// deskSignIns lists the accounts and addresses whose sign-ins are slowed
// down after failures.
func (s *Server) deskSignIns(w http.ResponseWriter, r *http.Request, u *deskUser, v *view) error {
	ts, err := s.Accounts.Throttles(r.Context(), s.deskActor(r, u))
	if err != nil {
		return err
	}
	var p deskSignInsPage
	for _, t := range ts {
		p.Throttles = append(p.Throttles, deskThrottle{Throttle: t, WaitSeconds: int((t.Wait + time.Second - 1) / time.Second)})
	}
	v.Title = v.T("desk.sign_ins")
	s.renderDesk(w, r, http.StatusOK, "desk_signins", v, p)
	return nil
}

// deskClearSignIns forgets the failures of an account or an address.
func (s *Server) deskClearSignIns(w http.ResponseWriter, r *http.Request, u *deskUser, v *view) error {
	if err := s.Accounts.ClearThrottle(r.Context(), s.deskActor(r, u), r.PostFormValue("username"), r.PostFormValue("ip")); err != nil {
		return err
	}
	http.Redirect(w, r, "/desk/sign-ins?flash=desk.sign_ins_cleared", http.StatusSeeOther)
	return nil
}

// --- own sessions ---

type deskSessionsPage struct {
	Sessions              []account.SessionInfo
	IdleMinutes, MaxHours int
}

// deskSessions lists the user's active sessions.
func (s *Server) deskSessions(w http.ResponseWriter, r *http.Request, u *deskUser, v *view) error {
	ses, err := s.Accounts.Sessions(r.Context(), s.deskActor(r, u), u.token)
	if err != nil {
		return err
	}
	idle, lifetime := s.Accounts.Timeouts()
	v.Title = v.T("desk.sessions")
	s.renderDesk(w, r, http.StatusOK, "desk_sessions", v, deskSessionsPage{Sessions: ses, IdleMinutes: int(idle.Minutes()), MaxHours: int(lifetime.Hours())})
	return nil
}

// deskEndSession ends one of the user's sessions (the current one too:
// that signs out).
func (s *Server) deskEndSession(w http.ResponseWriter, r *http.Request, u *deskUser, v *view) error {
	if err := s.Accounts.EndSession(r.Context(), s.deskActor(r, u), r.PostFormValue("session")); err != nil {
		return err
	}
	http.Redirect(w, r, "/desk/sessions?flash=desk.session_ended", http.StatusSeeOther)
	return nil
}

// --- password policy ---

// deskPolicy is the password policy as the forms show it.
type deskPolicy struct {
	MinLength, History, MaxAgeDays int
}

func newDeskPolicy(p account.Policy) deskPolicy {
	return deskPolicy{MinLength: p.MinLength, History: p.History, MaxAgeDays: int(p.MaxAge / (24 * time.Hour))}
}

// passwordPage shows the form to change one's own password, with the
// policy it must meet.
func (s *Server) passwordPage(w http.ResponseWriter, r *http.Request, v *view, status int) error {
	p, err := s.Accounts.Policy(r.Context())
	if err != nil {
		return err
	}
	v.Title = v.T("desk.password_change")
	s.renderDesk(w, r, status, "desk_password", v, newDeskPolicy(p))
	return nil
}

// deskSavePolicy sets the password policy.
func (s *Server) deskSavePolicy(w http.ResponseWriter, r *http.Request, u *deskUser, v *view) error {
	var p account.Policy
	var days int
	var err error
	for key, dst := range map[string]*int{"min_length": &p.MinLength, "history": &p.History, "max_age": &days} {
		if *dst, err = strconv.Atoi(r.PostFormValue(key)); err != nil {
			return s.accountError(w, r, v, store.Invalid("number", key))
		}
	}
	p.MaxAge = time.Duration(days) * 24 * time.Hour
	if err := s.Accounts.SavePolicy(r.Context(), s.deskActor(r, u), p); err != nil {
		return s.accountError(w, r, v, err)
	}
	http.Redirect(w, r, "/desk/users?flash=desk.saved", http.StatusSeeOther)
	return nil
}

// passwordFirst keeps a session whose password had expired at sign-in on
// the password page (signing out is allowed too); it reports whether it
// answered.
func (s *Server) passwordFirst(w http.ResponseWriter, r *http.Request, lang string, u *deskUser, pattern string) bool {
	if !u.session.MustChangePassword || strings.HasSuffix(pattern, " /desk/password") || pattern == "POST /desk/logout" {
		return false
	}
	if r.Method == http.MethodGet {
		http.Redirect(w, r, "/desk/password?flash=desk.password_expired", http.StatusSeeOther)
	} else {
		s.deskFail(w, r, lang, http.StatusForbidden, "desk.password_expired")
	}
	return true
}

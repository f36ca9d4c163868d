package desk

import (
	"errors"
	"fmt"
	"html/template"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"newsdesk/internal/account"
	"newsdesk/internal/audit"
	"newsdesk/internal/model"
	"newsdesk/internal/store"
	"newsdesk/internal/table"
	"newsdesk/internal/web/render"
)

// Desk pages for accounts: users and units (administrators), and what the
// user changes of their own account. The rules are in package account.

// deskActor is who makes a desk request, and from where (u nil: nobody is
// signed in yet).
func (s *base) deskActor(r *http.Request, u *deskUser) model.Actor {
	a := model.Actor{IP: s.ClientIP(r), Via: "desk"}
	if u != nil {
		a.User = u.User
	}
	return a
}

// accountError shows what is wrong with a change on the users page; other
// errors go to the desk's one wrapper.
func (s *accounts) accountError(w http.ResponseWriter, r *http.Request, v *render.View, err error) error {
	if !errors.Is(err, model.ErrInvalid) {
		return err
	}
	msg := invalidMessage(v, err)
	v.Data.(*deskData).Error = msg // the summary at the top; the field says it again
	page := deskUsersPage{Fields: map[string]string{}}
	switch {
	case r.URL.Path == "/desk/users":
		page.Form = "add"
		page.Typed = url.Values{"username": {r.PostFormValue("username")}, "name": {r.PostFormValue("name")}}
	case r.URL.Path == "/desk/units" && r.PostFormValue("id") != "" && r.PostFormValue("id") != "0":
		page.Form = "unit-" + r.PostFormValue("id")
	case r.URL.Path == "/desk/units":
		page.Form = "unit-new"
	case r.PathValue("id") != "":
		page.Form = "user-" + r.PathValue("id")
	}
	if f := fieldOf(err); f != "" {
		page.Fields[f] = msg
	}
	s.usersPageWith(w, r, v, http.StatusUnprocessableEntity, page)
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
func (s *accounts) deskSignIns(w http.ResponseWriter, r *http.Request, u *deskUser, v *render.View) error {
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
func (s *accounts) deskClearSignIns(w http.ResponseWriter, r *http.Request, u *deskUser, v *render.View) error {
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
func (s *accounts) deskSessions(w http.ResponseWriter, r *http.Request, u *deskUser, v *render.View) error {
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
func (s *accounts) deskEndSession(w http.ResponseWriter, r *http.Request, u *deskUser, v *render.View) error {
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
	Require2FA                     bool
}

func newDeskPolicy(p account.Policy) deskPolicy {
	return deskPolicy{MinLength: p.MinLength, History: p.History, MaxAgeDays: int(p.MaxAge / (24 * time.Hour)), Require2FA: p.Require2FA}
}

// passwordPage shows the form to change one's own password, with the
// policy it must meet.
func (s *accounts) passwordPage(w http.ResponseWriter, r *http.Request, v *render.View, status int) error {
	p, err := s.Accounts.Policy(r.Context())
	if err != nil {
		return err
	}
	v.Title = v.T("desk.password_change")
	s.renderDesk(w, r, status, "desk_password", v, newDeskPolicy(p))
	return nil
}

// deskSavePolicy sets the password policy.
func (s *accounts) deskSavePolicy(w http.ResponseWriter, r *http.Request, u *deskUser, v *render.View) error {
	var p account.Policy
	var days int
	var err error
	for key, dst := range map[string]*int{"min_length": &p.MinLength, "history": &p.History, "max_age": &days} {
		if *dst, err = strconv.Atoi(r.PostFormValue(key)); err != nil {
			return s.accountError(w, r, v, model.Invalid("number", key))
		}
	}
	p.MaxAge = time.Duration(days) * 24 * time.Hour
	p.Require2FA = r.PostFormValue("require_2fa") != ""
	if err := s.Accounts.SavePolicy(r.Context(), s.deskActor(r, u), p); err != nil {
		return s.accountError(w, r, v, err)
	}
	http.Redirect(w, r, "/desk/users?flash=desk.saved", http.StatusSeeOther)
	return nil
}

// passwordFirst keeps a session whose password had expired at sign-in on
// the password page (signing out is allowed too); it reports whether it
// answered.
//
// Likewise a session that must set up two-factor sign-in first.
func (s *accounts) passwordFirst(w http.ResponseWriter, r *http.Request, lang string, u *deskUser, pattern string) bool {
	page, key := "", ""
	switch {
	case pattern == "POST /desk/logout":
		return false
	case u.session.MustChangePassword && !strings.HasSuffix(pattern, " /desk/password"):
		page, key = "/desk/password", "desk.password_expired"
	case u.session.MustEnrol2FA && !u.session.MustChangePassword && !strings.Contains(pattern, " /desk/2fa"):
		page, key = "/desk/2fa", "desk.2fa_required"
	default:
		return false
	}
	if r.Method == http.MethodGet {
		http.Redirect(w, r, page+"?flash="+key, http.StatusSeeOther)
	} else {
		s.deskFail(w, r, lang, http.StatusForbidden, key)
	}
	return true
}

// --- audit log (administrators) ---

type deskAuditPage struct {
	Entries []deskAuditRow
	Pager   pager
	Users   []model.User
	Filter  deskAuditFilter
	// ExportCSV and ExportXLSX download what the filter selects.
	ExportCSV, ExportXLSX string
}

type deskAuditRow struct {
	model.AuditEntry
	User string
}

// deskAuditFilter is the audit page's filter form as typed.
type deskAuditFilter struct {
	User           int64
	Action, Target string
	FromDay, ToDay string // 2026-12-01, in the site's time zone; To is inclusive
}

// auditQuery reads the filter from the request.
func auditQuery(r *http.Request, loc *time.Location) (store.AuditQuery, deskAuditFilter, url.Values, error) {
	f := deskAuditFilter{Action: strings.TrimSpace(r.FormValue("action")), Target: strings.TrimSpace(r.FormValue("target")),
		FromDay: r.FormValue("from"), ToDay: r.FormValue("to")}
	f.User, _ = strconv.ParseInt(r.FormValue("user"), 10, 64)
	q := store.AuditQuery{UserID: f.User, Action: f.Action, Target: f.Target}
	vals := url.Values{}
	for k, v := range map[string]string{"action": f.Action, "target": f.Target, "from": f.FromDay, "to": f.ToDay} {
		if v != "" {
			vals.Set(k, v)
		}
	}
	if f.User != 0 {
		vals.Set("user", strconv.FormatInt(f.User, 10))
	}
	for _, d := range []struct {
		day string
		dst *time.Time
		add int
	}{{f.FromDay, &q.From, 0}, {f.ToDay, &q.To, 1}} {
		if d.day == "" {
			continue
		}
		t, err := time.ParseInLocation("2006-01-02", d.day, loc)
		if err != nil {
			return q, f, vals, model.Invalid("date", d.day)
		}
		*d.dst = t.AddDate(0, 0, d.add)
	}
	return q, f, vals, nil
}

// userNames maps user ids to display names.
func (s *accounts) userNames(r *http.Request) ([]model.User, map[int64]string, error) {
	users, err := s.Store.Users(r.Context())
	if err != nil {
		return nil, nil, err
	}
	names := map[int64]string{}
	for _, usr := range users {
		names[usr.ID] = usr.Name
	}
	return users, names, nil
}

// deskAudit lists the audit log, newest first, filtered by user, action,
// target and date.
func (s *accounts) deskAudit(w http.ResponseWriter, r *http.Request, u *deskUser, v *render.View) error {
	page, err := render.PageNumber(r)
	if err != nil {
		return err
	}
	q, f, vals, err := auditQuery(r, v.Site.TimeZone)
	if err != nil {
		return err
	}
	q.Limit, q.Offset = PerPage, (page-1)*PerPage
	entries, total, err := s.Store.AuditSearch(r.Context(), q)
	if err != nil {
		return err
	}
	p := deskAuditPage{Filter: f}
	base := "/desk/audit"
	if len(vals) > 0 {
		base += "?" + vals.Encode()
	}
	if p.Pager, err = paginate(page, total, base); err != nil {
		return err
	}
	if len(vals) > 0 {
		p.Pager.Sep = "&"
	}
	for format, dst := range map[string]*string{table.CSV: &p.ExportCSV, table.XLSX: &p.ExportXLSX} {
		vals.Set("format", format)
		*dst = "/desk/audit/export?" + vals.Encode()
	}
	var names map[int64]string
	if p.Users, names, err = s.userNames(r); err != nil {
		return err
	}
	for _, e := range entries {
		p.Entries = append(p.Entries, deskAuditRow{AuditEntry: e, User: names[e.UserID]})
	}
	v.Title = v.T("desk.audit")
	s.renderDesk(w, r, http.StatusOK, "desk_audit", v, p)
	return nil
}

// deskAuditExport downloads the filtered audit log as CSV or XLSX.
func (s *accounts) deskAuditExport(w http.ResponseWriter, r *http.Request, u *deskUser, v *render.View) error {
	q, _, _, err := auditQuery(r, v.Site.TimeZone)
	if err != nil {
		return err
	}
	_, names, err := s.userNames(r)
	if err != nil {
		return err
	}
	format := r.FormValue("format")
	header := []string{v.T("desk.audit_id"), v.T("desk.when_done"), v.T("desk.who"), v.T("desk.audit_action"), v.T("desk.audit_target"), v.T("desk.audit_detail"), v.T("desk.from_where"), v.T("desk.audit_hash")}
	if format != table.CSV && format != table.XLSX {
		return model.Invalid("export_format", format)
	}
	w.Header().Set("Content-Type", table.ContentType(format))
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="audit-%s.%s"`, time.Now().In(v.Site.TimeZone).Format("20060102"), format))
	// Streamed: the log may be long. Until the first byte is out a failure
	// is still an error page; after it, only a log line can say so.
	out := &countingWriter{w: w}
	if format == table.CSV {
		out.prefix = []byte("\ufeff") // so spreadsheet programs read the CSV as UTF-8
	}
	err = audit.Export(r.Context(), s.Store, s.deskActor(r, u), q, format, header, names, v.Site.TimeZone, out)
	if err != nil && out.n > 0 {
		s.Log.Error("audit export cut short", "err", err)
		return nil
	}
	return err
}

// countingWriter counts what went through, after writing prefix first.
type countingWriter struct {
	w      io.Writer
	n      int64
	prefix []byte
}

func (c *countingWriter) Write(p []byte) (int, error) {
	if c.n == 0 && len(c.prefix) > 0 {
		if _, err := c.w.Write(c.prefix); err != nil {
			return 0, err
		}
	}
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// --- two-factor sign-in ---

type desk2FAPage struct {
	Enabled   bool
	Enrolment *account.Enrolment
	SVG       template.HTML // the QR code, drawn by package account
	Codes     []string      // recovery codes, shown once
	Passkeys  *deskPasskeys
}

// desk2FA shows whether the user signs in with a second factor.
func (s *accounts) desk2FA(w http.ResponseWriter, r *http.Request, u *deskUser, v *render.View) error {
	on, err := s.Accounts.TwoFactor(r.Context(), s.deskActor(r, u))
	if err != nil {
		return err
	}
	return s.render2FA(w, r, v, desk2FAPage{Enabled: on})
}

func (s *accounts) render2FA(w http.ResponseWriter, r *http.Request, v *render.View, p desk2FAPage) error {
	if err := s.addPasskeys(r, v, &p); err != nil {
		return err
	}
	v.Title = v.T("desk.2fa")
	s.renderDesk(w, r, http.StatusOK, "desk_2fa", v, p)
	return nil
}

// desk2FASetup makes a new secret and shows it as a QR code.
func (s *accounts) desk2FASetup(w http.ResponseWriter, r *http.Request, u *deskUser, v *render.View) error {
	en, err := s.Accounts.StartTwoFactor(r.Context(), s.deskActor(r, u))
	if err != nil {
		return err
	}
	// The SVG is made by qrSVG from numbers only: safe to embed as is.
	return s.render2FA(w, r, v, desk2FAPage{Enrolment: &en, SVG: template.HTML(en.SVG)})
}

// deskReset2FA removes a user's second factor (administrators).
func (s *accounts) deskReset2FA(w http.ResponseWriter, r *http.Request, u *deskUser, v *render.View) error {
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err := s.Accounts.ResetTwoFactor(r.Context(), s.deskActor(r, u), id); err != nil {
		return err
	}
	http.Redirect(w, r, "/desk/users?flash=desk.2fa_reset_done", http.StatusSeeOther)
	return nil
}

// desk2FAEnable confirms the set-up with a code and shows the recovery codes.
func (s *accounts) desk2FAEnable(w http.ResponseWriter, r *http.Request, u *deskUser, v *render.View) error {
	codes, err := s.Accounts.EnableTwoFactor(r.Context(), s.deskActor(r, u), r.PostFormValue("code"), u.token)
	if err != nil {
		return err
	}
	return s.render2FA(w, r, v, desk2FAPage{Enabled: true, Codes: codes})
}

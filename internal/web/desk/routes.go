package desk

import (
	"crypto/subtle"
	"errors"
	"net/http"
	"net/url"
	"strings"

	"newsdesk/internal/model"
	"newsdesk/internal/web/render"
)

// The desk (编辑部): signed-in pages, never cached. Every route names the
// roles it admits; deskRoutes is also what the authorisation test walks.

// deskUser is the signed-in user of a desk request.
type deskUser struct {
	model.User
	session model.Session
	token   string
}

type deskHandler func(w http.ResponseWriter, r *http.Request, u *deskUser, v *render.View) error

// deskRoute is one desk route and who may use it (nil: any signed-in
// user; per-article checks happen in the domain).
type deskRoute struct {
	Pattern string
	May     func(model.User) bool
	handle  deskHandler
}

var (
	writers    = model.User.CanWrite
	publishers = model.User.CanPublish
	admins     = model.User.CanAdminister
)

func (s *Handler) deskRoutes() []deskRoute {
	return []deskRoute{
		{"GET /desk/{$}", nil, s.stories.deskHome},
		{"GET /desk/articles", nil, s.stories.deskStories},
		{"POST /desk/articles/bulk", publishers, s.stories.deskBulk},
		{"GET /desk/articles/new", writers, s.stories.deskNew},
		{"POST /desk/articles", writers, s.stories.deskCreate},
		{"POST /desk/articles/preview", writers, s.stories.deskPreview},
		{"GET /desk/articles/{id}", nil, s.stories.deskArticle},
		{"POST /desk/articles/{id}", nil, s.stories.deskSave},
		{"POST /desk/articles/{id}/{action}", nil, s.stories.deskTransition},
		{"POST /desk/articles/{id}/slot", publishers, s.stories.deskSlot},
		{"POST /desk/articles/{id}/revision/{decision}", publishers, s.stories.deskRevision},
		{"POST /desk/articles/{id}/checks/ack", nil, s.stories.deskAcknowledge},
		{"POST /desk/articles/{id}/figure", nil, s.stories.deskUpload},
		{"POST /desk/articles/{id}/attachment", nil, s.stories.deskUpload},
		{"POST /desk/media", nil, s.stories.deskMedia},
		{"POST /desk/attachments", nil, s.stories.deskAttachment},
		{"POST /desk/videos", nil, s.stories.deskVideo},
		{"GET /desk/library", nil, s.library.deskLibrary},
		{"POST /desk/library", nil, s.library.deskLibraryUpload},
		{"GET /desk/library/pick", nil, s.library.deskLibraryPick},
		{"GET /desk/library/{id}", nil, s.library.deskLibraryItem},
		{"POST /desk/library/{id}", nil, s.library.deskDescribe},
		{"POST /desk/library/{id}/delete", nil, s.library.deskDeleteMedia},
		{"POST /desk/library/{id}/public", publishers, s.library.deskMarkPublic},
		{"POST /desk/library/{id}/use", nil, s.library.deskUseMedia},
		{"GET /desk/articles/{id}/diff", nil, s.stories.deskDiff},
		{"GET /desk/articles/{id}/approvers", nil, s.stories.deskApprovers},
		{"POST /desk/articles/{id}/approvers", nil, s.stories.deskSendApprover},
		{"POST /desk/approvers/{id}/revoke", nil, s.stories.deskRevokeApprover},
		{"GET /desk/articles/{id}/record", nil, s.reviews.deskRecord},
		{"GET /desk/review", publishers, s.reviews.deskChains},
		{"GET /desk/review/columns/{id}", publishers, s.reviews.deskChain},
		{"POST /desk/review/columns/{id}", publishers, s.reviews.deskSaveChain},
		{"GET /desk/review/columns/{id}/correction", publishers, s.reviews.deskCorrectionChain},
		{"POST /desk/review/columns/{id}/correction", publishers, s.reviews.deskSaveCorrectionChain},
		{"POST /desk/review/reasons", publishers, s.reviews.deskSaveReasons},
		{"GET /desk/review/ledger", publishers, s.reviews.deskLedger},
		{"GET /desk/search", nil, s.stories.deskSearch},
		{"GET /desk/checks", publishers, s.checks.deskChecks},
		{"GET /desk/checks/{kind}", publishers, s.checks.deskCheckList},
		{"POST /desk/checks/{kind}", publishers, s.checks.deskSaveCheckList},
		{"GET /desk/checks/{kind}/export", publishers, s.checks.deskExportCheckList},
		{"GET /desk/selfaudit", publishers, s.checks.deskSelfAudit},
		{"POST /desk/selfaudit", publishers, s.checks.deskStartSelfAudit},
		{"POST /desk/selfaudit/items/{id}", publishers, s.checks.deskSetAuditItem},
		{"GET /desk/selfaudit/export", publishers, s.checks.deskExportSelfAudit},
		{"GET /desk/slots", publishers, s.slots.deskSlots},
		{"POST /desk/slots/{slot}", publishers, s.slots.deskArrangeSlot},
		{"POST /desk/slots/{slot}/add", publishers, s.slots.deskAddToSlot},
		{"GET /desk/site", publishers, s.site.deskSite},
		{"POST /desk/site", publishers, s.site.deskSaveSettings},
		{"POST /desk/pages", publishers, s.site.deskAddPage},
		{"GET /desk/pages/{slug}", publishers, s.site.deskPage},
		{"POST /desk/pages/{slug}", publishers, s.site.deskSavePage},
		{"POST /desk/pages/{slug}/delete", publishers, s.site.deskDeletePage},
		{"POST /desk/columns", publishers, s.site.deskSaveColumn},
		{"GET /desk/redirects", publishers, s.site.deskRedirects},
		{"POST /desk/redirects", publishers, s.site.deskSaveRedirect},
		{"POST /desk/redirects/{id}/delete", publishers, s.site.deskDeleteRedirect},
		{"GET /desk/redirects/export", publishers, s.site.deskExportRedirects},
		{"GET /desk/password", nil, s.accounts.deskPasswordPage},
		{"POST /desk/password", nil, s.accounts.deskPassword},
		{"GET /desk/tokens", nil, s.accounts.deskTokens},
		{"POST /desk/tokens", nil, s.accounts.deskAddToken},
		{"POST /desk/tokens/{id}/delete", nil, s.accounts.deskRevokeToken},
		{"GET /desk/sessions", nil, s.accounts.deskSessions},
		{"GET /desk/notifications", nil, s.accounts.deskNotifications},
		{"POST /desk/notifications/read", nil, s.accounts.deskReadNotifications},
		{"POST /desk/notifications/address", nil, s.accounts.deskMailAddress},
		{"GET /desk/outbox", admins, s.accounts.deskOutbox},
		{"GET /desk/2fa", nil, s.accounts.desk2FA},
		{"POST /desk/2fa/setup", nil, s.accounts.desk2FASetup},
		{"POST /desk/2fa/enable", nil, s.accounts.desk2FAEnable},
		{"POST /desk/2fa/passkeys/begin", nil, s.accounts.deskPasskeyBegin},
		{"POST /desk/2fa/passkeys", nil, s.accounts.deskPasskeyAdd},
		{"POST /desk/2fa/passkeys/{id}/delete", nil, s.accounts.deskPasskeyRemove},
		{"POST /desk/sessions/end", nil, s.accounts.deskEndSession},
		{"GET /desk/audit", admins, s.accounts.deskAudit},
		{"GET /desk/audit/export", admins, s.accounts.deskAuditExport},
		{"GET /desk/users", admins, s.accounts.deskUsers},
		{"POST /desk/users", admins, s.accounts.deskAddUser},
		{"POST /desk/units", admins, s.accounts.deskSaveUnit},
		{"POST /desk/users/{id}", admins, s.accounts.deskUpdateUser},
		{"POST /desk/campus/identities", admins, s.campus.deskLinkIdentity},
		{"GET /desk/campus", publishers, s.campus.deskCampus},
		{"POST /desk/campus/departments", publishers, s.campus.deskSaveDepartment},
		{"POST /desk/campus/settings", admins, s.campus.deskCampusSettings},
		{"POST /desk/password-policy", admins, s.accounts.deskSavePolicy},
		{"POST /desk/users/{id}/reset-2fa", admins, s.accounts.deskReset2FA},
		{"GET /desk/sign-ins", admins, s.accounts.deskSignIns},
		{"POST /desk/sign-ins/clear", admins, s.accounts.deskClearSignIns},
		{"POST /desk/logout", nil, s.accounts.deskLogout},
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
	m.HandleFunc("GET /desk/login", s.accounts.deskLoginPage)
	m.HandleFunc("POST /desk/login", s.accounts.deskLogin)
	m.HandleFunc("POST /desk/login/passkey", s.accounts.deskLoginPasskey)
	s.campus.campusMux(m)
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
		if s.accounts.passwordFirst(w, r, lang, u, rt.Pattern) {
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

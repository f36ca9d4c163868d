package desk

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"net/http"
	"strings"
	"syscall"

	"newsdesk/internal/model"
	"newsdesk/internal/site"
	"newsdesk/internal/web/render"
)

const sessionCookie = "nd_session"

// deskStatus is the one place that turns a domain error into a status and
// the catalogue key of the message the user reads.
func deskStatus(err error) (int, string) {
	var tooBig *http.MaxBytesError
	switch {
	case errors.Is(err, model.ErrNotFound):
		return http.StatusNotFound, "error.404.title"
	case errors.Is(err, model.ErrForbidden):
		return http.StatusForbidden, "desk.forbidden"
	case errors.Is(err, model.ErrConflict):
		return http.StatusConflict, "desk.conflict"
	case errors.Is(err, model.ErrFull), errors.Is(err, syscall.ENOSPC):
		return http.StatusInsufficientStorage, "desk.storage_full"
	case errors.As(err, &tooBig):
		return http.StatusRequestEntityTooLarge, "invalid.upload_size"
	case errors.Is(err, model.ErrInvalid):
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
	return errors.Is(err, model.ErrInvalid) || errors.Is(err, model.ErrConflict) || errors.Is(err, model.ErrFull) || errors.Is(err, syscall.ENOSPC)
}

// deskError answers a handler's error: not found is the site's 404 page;
// the rest a desk page that says what went wrong; failures are logged.
func (s *base) deskError(w http.ResponseWriter, r *http.Request, v *render.View, err error) {
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
func (s *Handler) Viewer(r *http.Request) (*model.User, error) {
	u, err := s.deskSession(r)
	if errors.Is(err, model.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &u.User, nil
}

func (s *base) deskSession(r *http.Request) (*deskUser, error) {
	c, err := r.Cookie(sessionCookie)
	if err != nil || s.Accounts == nil {
		return nil, model.ErrNotFound
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
	// Unread is the user's unread notifications (the header's badge).
	Unread int
	Flash  string
	Error  string
	Page   any
}

func (s *base) deskView(r *http.Request, lang string, u *deskUser) (*render.View, error) {
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
		if s.Notify != nil {
			if d.Unread, err = s.Notify.Unread(r.Context(), model.Actor{User: u.User}); err != nil {
				return nil, err
			}
		}
	}
	settings, err := s.Store.Settings(r.Context())
	if err != nil {
		return nil, err
	}
	d.DemoUsers = settings[site.DemoUsersSetting] != ""
	v.Data = d
	return v, nil
}

func (s *base) renderDesk(w http.ResponseWriter, r *http.Request, status int, name string, v *render.View, page any) {
	v.Data.(*deskData).Page = page
	out, err := s.render.Execute(name, v)
	if err != nil {
		s.fail(w, r, v.Lang, err)
		return
	}
	render.RememberMode(w, r)
	w.Header().Set("Content-Type", out.ContentType)
	w.Header().Set("Cache-Control", "no-store")
	render.WriteCompressed(w, r, status, out.Body)
}

func (s *base) deskFail(w http.ResponseWriter, r *http.Request, lang string, status int, key string, args ...any) {
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
	var ie *model.InvalidError
	if !errors.As(err, &ie) {
		return v.T("invalid.unknown")
	}
	return v.T("invalid."+ie.Code, ie.Args...)
}

// fieldCodes names the form field each kind of bad input is about, so
// that a form shows the message next to it (the rest go in the page's
// error box).
var fieldCodes = map[string]string{
	"page":              "title",
	"page_slug":         "slug",
	"page_taken":        "slug",
	"page_confirm":      "confirm",
	"username":          "username",
	"username_taken":    "username",
	"password":          "password",
	"password_username": "password",
	"password_reused":   "password",
	"roles":             "roles",
	"role":              "roles",
	"unit_required":     "unit",
	"unit_name":         "unit-name",
	"unit_taken":        "unit-name",
}

// fieldOf is the form field err is about, or "".
func fieldOf(err error) string {
	var ie *model.InvalidError
	if !errors.As(err, &ie) {
		return ""
	}
	return fieldCodes[ie.Code]
}

func randomHex() string {
	b := make([]byte, 16)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// lang picks the interface language (render.Lang).
func (s *base) lang(r *http.Request) string { return render.Lang(s.Catalog, r) }

// fail renders the site's error page for err.
func (s *base) fail(w http.ResponseWriter, r *http.Request, lang string, err error) {
	s.render.Fail(w, r, lang, err)
}

// actor is who makes a desk request's changes, and from where.
func (s *base) actor(r *http.Request, u *deskUser) model.Actor {
	return model.Actor{User: u.User, IP: s.ClientIP(r), Via: "desk"}
}

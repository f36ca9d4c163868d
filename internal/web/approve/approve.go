// Package approve is the outside approvers' door: the page an approval
// link opens, on the public site (an approver is outside the desk and its
// network), with no desk session. The link is the approver's credential;
// the form carries a token bound to it, so only the page the link opened
// can post a decision. Nothing here is cached.
package approve

import (
	"errors"
	"html/template"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"newsdesk/internal/approval"
	"newsdesk/internal/i18n"
	"newsdesk/internal/media"
	"newsdesk/internal/model"
	"newsdesk/internal/reader"
	"newsdesk/internal/web/render"
)

// Deps are what the approver's page needs.
type Deps struct {
	Approval *approval.Service
	Reader   *reader.Service
	// Store reads the library files shown in the body; Media decides
	// which the link may fetch, Files holds their bytes.
	Store   render.MediaFiles
	Media   *media.Service
	Files   media.Storage
	Render  *render.Renderer
	Catalog *i18n.Catalog
	Log     *slog.Logger
	// ClientIP is the approver's address, recorded with the decision.
	ClientIP func(r *http.Request) string
}

// Handler serves /approve/{token}.
type Handler struct{ Deps }

// New makes the handler.
func New(d Deps) *Handler { return &Handler{Deps: d} }

// Route is one of the door's routes.
type Route struct {
	Pattern string
	Handle  http.HandlerFunc
}

// Routes are the door's routes.
func (h *Handler) Routes() []Route {
	return []Route{
		{"GET /approve/{token}", h.page},
		{"POST /approve/{token}", h.decide},
		{"GET /approve/{token}/media/{id}/{name}", h.file},
		{"GET /approve/{token}/media/v/{dir}/{file}", h.variant},
	}
}

// pageData is what the approver's page shows.
type pageData struct {
	Story     reader.Article
	Body      template.HTML
	Lines     []credit
	Link      model.ApproverLink
	Token     string // the link's, for the form's action
	FormToken string
	// Refused names why the link cannot be used (approver.refused.X).
	Refused string
	// Done is the decision just recorded.
	Done    string
	Comment string // what was typed, shown again with an error
	Error   string
}

type credit struct{ Label, Value string }

func (h *Handler) lang(r *http.Request) string { return render.Lang(h.Catalog, r) }

func (h *Handler) show(w http.ResponseWriter, r *http.Request, status int, d pageData) {
	lang := h.lang(r)
	v, _, err := h.Render.Common(r, lang)
	if err != nil {
		h.Render.Fail(w, r, lang, err)
		return
	}
	switch {
	case d.Refused != "":
		v.Title = v.T("approver.refused.title")
	case d.Done != "":
		v.Title = v.T("approver.done." + d.Done)
	default:
		v.Title = v.T("approver.title", d.Story.Title)
	}
	v.Data = d
	v.NoReferrer = true
	out, err := h.Render.Execute("approve", v)
	if err != nil {
		h.Render.Fail(w, r, lang, err)
		return
	}
	// The token in the address must not travel further, nor the page be
	// kept or indexed anywhere.
	w.Header().Set("Content-Type", out.ContentType)
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Referrer-Policy", "no-referrer")
	w.Header().Set("X-Robots-Tag", "noindex, nofollow")
	w.WriteHeader(status)
	w.Write(out.Body)
}

// refused answers a link that cannot be used, saying why; false when err
// is no refusal.
func (h *Handler) refused(w http.ResponseWriter, r *http.Request, err error) bool {
	var ref *approval.Refusal
	if !errors.As(err, &ref) {
		return false
	}
	status := http.StatusGone
	switch ref.Code {
	case approval.ErrAltered.Code:
		status = http.StatusNotFound
	case approval.ErrMoved.Code:
		status = http.StatusConflict
	}
	h.show(w, r, status, pageData{Refused: ref.Code})
	return true
}

func (h *Handler) page(w http.ResponseWriter, r *http.Request) {
	h.open(w, r, http.StatusOK, pageData{})
}

// open shows the story of a usable link, with d's message and comment.
func (h *Handler) open(w http.ResponseWriter, r *http.Request, status int, d pageData) {
	tok := r.PathValue("token")
	o, err := h.Approval.Open(r.Context(), tok)
	if h.refused(w, r, err) {
		return
	}
	if err != nil {
		h.Render.Fail(w, r, h.lang(r), err)
		return
	}
	story, err := h.Reader.Preview(r.Context(), o.Article)
	if err != nil {
		h.Render.Fail(w, r, h.lang(r), err)
		return
	}
	v, _, err := h.Render.Common(r, h.lang(r))
	if err != nil {
		h.Render.Fail(w, r, h.lang(r), err)
		return
	}
	d.Story, d.Link, d.Token, d.FormToken = story, o.Link, tok, o.FormToken
	// The story as it will appear, pictures included: those not yet
	// public come through the link (file, variant).
	if d.Body, err = h.Render.BodyThrough(r.Context(), h.Store, string(story.Body), v, "/approve/"+url.PathEscape(tok)); err != nil {
		h.Render.Fail(w, r, h.lang(r), err)
		return
	}
	for _, c := range story.Lines {
		d.Lines = append(d.Lines, credit{Label: v.T("article.credit." + c.Role), Value: c.Value})
	}
	h.show(w, r, status, d)
}

// file serves a picture of the link's story, while the link is good
// (not expired, used, revoked or moved on): the approver has no desk
// session, and the story's pictures are not public before it is.
func (h *Handler) file(w http.ResponseWriter, r *http.Request) {
	o, err := h.Approval.Open(r.Context(), r.PathValue("token"))
	if err != nil {
		h.noFile(w, r, err)
		return
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		h.noFile(w, r, model.ErrNotFound)
		return
	}
	m, _, err := h.Media.OpenUsedBy(r.Context(), o.Article.ID, id, r.PathValue("name"))
	if err != nil {
		h.noFile(w, r, err)
		return
	}
	h.serve(w, r, m.Key, m.ContentType)
}

// variant serves a responsive variant of a picture of the link's story.
func (h *Handler) variant(w http.ResponseWriter, r *http.Request) {
	o, err := h.Approval.Open(r.Context(), r.PathValue("token"))
	if err != nil {
		h.noFile(w, r, err)
		return
	}
	v, _, err := h.Media.OpenVariantUsedBy(r.Context(), o.Article.ID, "v/"+r.PathValue("dir")+"/"+r.PathValue("file"))
	if err != nil {
		h.noFile(w, r, err)
		return
	}
	h.serve(w, r, v.Key, v.ContentType)
}

// noFile answers a file the link may not fetch: not found, as for anyone.
func (h *Handler) noFile(w http.ResponseWriter, r *http.Request, err error) {
	var ref *approval.Refusal
	if !errors.As(err, &ref) && !errors.Is(err, model.ErrNotFound) {
		h.Log.Error("approver's file", "err", err)
		http.Error(w, http.StatusText(http.StatusInternalServerError), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	http.Error(w, http.StatusText(http.StatusNotFound), http.StatusNotFound)
}

// serve writes a stored file to the approver alone: never kept, nothing
// in it run.
func (h *Handler) serve(w http.ResponseWriter, r *http.Request, key, ctype string) {
	f, err := h.Files.Get(r.Context(), key)
	if err != nil {
		h.noFile(w, r, err)
		return
	}
	defer f.Close()
	hd := w.Header()
	hd.Set("Cache-Control", "private, no-store")
	hd.Set("Referrer-Policy", "no-referrer")
	hd.Set("Content-Type", ctype)
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	http.ServeContent(w, r, "", time.Time{}, f)
}

func (h *Handler) decide(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		h.show(w, r, http.StatusBadRequest, pageData{Refused: approval.ErrAltered.Code})
		return
	}
	decision, comment := r.PostFormValue("decision"), r.PostFormValue("comment")
	_, err := h.Approval.Decide(r.Context(), r.PathValue("token"), r.PostFormValue("form_token"), decision, comment, h.ClientIP(r))
	switch {
	case err == nil:
		h.show(w, r, http.StatusOK, pageData{Done: decision})
	case h.refused(w, r, err):
	case errors.Is(err, model.ErrForbidden):
		h.show(w, r, http.StatusForbidden, pageData{Refused: "form"})
	case errors.Is(err, model.ErrInvalid):
		var ie *model.InvalidError
		msg := h.Catalog.T(h.lang(r), "invalid.unknown")
		if errors.As(err, &ie) {
			msg = h.Catalog.T(h.lang(r), "invalid."+ie.Code, ie.Args...)
		}
		h.open(w, r, http.StatusUnprocessableEntity, pageData{Error: msg, Comment: comment})
	default:
		h.Render.Fail(w, r, h.lang(r), err)
	}
}

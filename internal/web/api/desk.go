package api

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"newsdesk/internal/article"
	"newsdesk/internal/model"
	"newsdesk/internal/reader"
	"newsdesk/internal/review"
	"newsdesk/internal/search"
	"newsdesk/internal/slot"
	"newsdesk/internal/store"
)

// The desk API: the stories a signed-in user may see, and the same
// changes the HTML desk makes, through the same services.

// deskArticle is a story as the desk API shows it.
type deskArticle struct {
	ID          int64      `json:"id"`
	State       string     `json:"state"`
	Version     int        `json:"version"`
	ColumnID    int64      `json:"column_id"`
	Kicker      string     `json:"kicker"`
	Title       string     `json:"title"`
	Subtitle    string     `json:"subtitle"`
	Summary     string     `json:"summary"`
	Body        *string    `json:"body,omitempty"` // not in lists
	LeadMediaID int64      `json:"lead_media_id"`
	Credits     credits    `json:"credits"`
	AuthorID    int64      `json:"author_id"`
	UnitID      int64      `json:"unit_id"`
	PublishedAt *time.Time `json:"published_at"`
	CreatedAt   time.Time  `json:"created_at"`
	UpdatedAt   time.Time  `json:"updated_at"`
	Views       int64      `json:"views"`
	// Actions are the workflow actions the caller may take now.
	Actions []string `json:"actions"`
	CanEdit bool     `json:"can_edit"`
	// Correction is the public correction note; RevisedAt when a
	// correction last replaced the published text (更新于).
	Correction string     `json:"correction"`
	RevisedAt  *time.Time `json:"revised_at"`
	// WorkingCopy: one story's answer says whether the text shown is the
	// working copy of a published story, under review (not in lists).
	WorkingCopy *bool `json:"working_copy,omitempty"`
	// Step is the step of its review chain the story waits at (null:
	// none); in one story's answer, Revision is its working copy's place
	// in the correction chain and what the caller may decide on it.
	Step     *waitingStep `json:"step"`
	Revision *revision    `json:"revision,omitempty"`
}

// waitingStep is the step of a chain a story (or its correction) waits at.
type waitingStep struct {
	Number int    `json:"number"`
	Of     int    `json:"of"`
	Name   string `json:"name"`
	// Label is how desk lists name the state (待校对).
	Label string `json:"label"`
}

// revision is where a working copy stands: at a step (Step), or back
// with its maker (state returned).
type revision struct {
	State   string       `json:"state"`
	Step    *waitingStep `json:"step"`
	Actions []string     `json:"actions"`
}

// stepOf is the step a waits at, named in the caller's language.
func (a *API) stepOf(c *caller, ar model.Article) *waitingStep {
	i, st, ok := review.Current(ar)
	if !ok {
		return nil
	}
	name := review.StepName(a.text(c), st.Name, st.Key)
	return &waitingStep{Number: i + 1, Of: len(review.Steps(ar)), Name: name, Label: a.Catalog.T(c.lang, "review.waiting_at", name)}
}

// credits are the people and units an article names.
type credits struct {
	Writers       []string `json:"writers"`
	Photographers []string `json:"photographers"`
	Editor        string   `json:"editor"`
	Unit          string   `json:"unit"`
	Source        string   `json:"source"`
}

func creditsOf(c model.Credits) credits {
	return credits{Writers: nonNil(c.Writers), Photographers: nonNil(c.Photographers), Editor: c.Editor, Unit: c.Unit, Source: c.Source}
}

func nonNil[T any](xs []T) []T {
	if xs == nil {
		return []T{}
	}
	return xs
}

// timeIn is t in the site's time zone, or nil when unset.
func timeIn(t time.Time, tz *time.Location) *time.Time {
	if t.IsZero() {
		return nil
	}
	t = t.In(tz)
	return &t
}

func (a *API) deskArticle(ctx context.Context, c *caller, ar model.Article, tz *time.Location, withBody bool) (deskArticle, error) {
	actions, err := a.Articles.Actions(ctx, c.user, ar)
	if err != nil {
		return deskArticle{}, err
	}
	canEdit, err := a.Articles.CanEdit(ctx, c.user, ar)
	if err != nil {
		return deskArticle{}, err
	}
	d := deskArticle{ID: ar.ID, State: ar.Status, Version: ar.Version, ColumnID: ar.ColumnID, Kicker: ar.Kicker, Title: ar.Title,
		Subtitle: ar.Subtitle, Summary: ar.Summary, LeadMediaID: ar.LeadMediaID, Credits: creditsOf(ar.Credits),
		AuthorID: ar.AuthorID, UnitID: ar.UnitID, PublishedAt: timeIn(ar.PublishedAt, tz), CreatedAt: ar.CreatedAt.In(tz),
		UpdatedAt: ar.UpdatedAt.In(tz), Views: ar.Views, Actions: nonNil(actions), CanEdit: canEdit,
		Correction: ar.Correction, RevisedAt: timeIn(ar.RevisedAt, tz), Step: a.stepOf(c, ar)}
	if withBody {
		d.Body = &ar.Body
	}
	return d, nil
}

// articleList is one page of stories.
type articleList[T any] struct {
	Articles []T `json:"articles"`
	Page     int `json:"page"`
	PerPage  int `json:"per_page"`
	Total    int `json:"total"`
}

// paging reads page and per_page (at most 100, default 20).
func paging(r *http.Request) (page, perPage int, err error) {
	page, perPage = 1, 20
	q := r.URL.Query()
	if v := q.Get("page"); v != "" {
		if page, err = strconv.Atoi(v); err != nil || page < 1 || page > 100000 {
			return 0, 0, badParam("page", v)
		}
	}
	if v := q.Get("per_page"); v != "" {
		if perPage, err = strconv.Atoi(v); err != nil || perPage < 1 || perPage > 100 {
			return 0, 0, badParam("per_page", v)
		}
	}
	return page, perPage, nil
}

// columnIDs is the column a filter names by slug, with its sub-columns.
func (a *API) columnIDs(ctx context.Context, slug string) ([]int64, error) {
	if slug == "" {
		return nil, nil
	}
	st, err := a.Reader.Site(ctx)
	if err != nil {
		return nil, err
	}
	tree := st.Columns
	c, err := tree.BySlug(slug)
	if err != nil {
		return nil, badParam("column", slug)
	}
	return tree.Subtree(c.ID), nil
}

// deskArticleList is one page of the desk's stories: keyset pages of the
// story list (Next and Prev continue it), or numbered pages of a search.
type deskArticleList struct {
	Articles []deskArticle `json:"articles"`
	Page     int           `json:"page"`
	PerPage  int           `json:"per_page"`
	Total    int           `json:"total"`
	Next     string        `json:"next,omitempty"`
	Prev     string        `json:"prev,omitempty"`
}

// listQuery reads the story list's filters, as the desk's 稿件管理 has
// them: state, unit, author, column (with its sub-columns), sort, dates
// (from and to, whole days in the site's time zone), has_photos, and the
// keys after and before.
func (a *API) listQuery(ctx context.Context, q url.Values, tz *time.Location) (store.ListQuery, error) {
	var lq store.ListQuery
	var err error
	for name, dst := range map[string]*int64{"unit": &lq.UnitID, "author": &lq.AuthorID} {
		if v := q.Get(name); v != "" {
			if *dst, err = strconv.ParseInt(v, 10, 64); err != nil || *dst < 0 {
				return lq, badParam(name, v)
			}
		}
	}
	lq.Status = q.Get("state")
	if lq.Status != "" && !slices.Contains(article.States, lq.Status) {
		return lq, badParam("state", lq.Status)
	}
	if lq.ColumnIDs, err = a.columnIDs(ctx, q.Get("column")); err != nil {
		return lq, err
	}
	switch v := q.Get("sort"); v {
	case "", "published":
	case "updated":
		lq.ByUpdate = true
	default:
		return lq, badParam("sort", v)
	}
	switch v := q.Get("has_photos"); v {
	case "", "false":
	case "true":
		lq.HasPhotos = true
	default:
		return lq, badParam("has_photos", v)
	}
	for name, dst := range map[string]*time.Time{"from": &lq.From, "to": &lq.To} {
		if v := q.Get(name); v != "" {
			t, err := time.ParseInLocation("2006-01-02", v, tz)
			if err != nil {
				return lq, badParam(name, v)
			}
			if name == "to" {
				t = t.AddDate(0, 0, 1) // through the whole day
			}
			*dst = t
		}
	}
	for name, dst := range map[string]*store.ListKey{"after": &lq.After, "before": &lq.Before} {
		if v := q.Get(name); v != "" {
			if *dst, err = article.ParseListKey(v); err != nil {
				return lq, badParam(name, v)
			}
		}
	}
	return lq, nil
}

// deskList lists the stories the caller may see in keyset pages, with
// the story list's filters, or searches them (q, numbered pages). Both
// have the desk's scope: editors everything, unit reviewers their unit's,
// contributors their own.
func (a *API) deskList(w http.ResponseWriter, r *http.Request, c *caller) error {
	ctx := r.Context()
	q := r.URL.Query()
	page, perPage, err := paging(r)
	if err != nil {
		return err
	}
	st, err := a.Site.Settings(ctx)
	if err != nil {
		return err
	}
	lq, err := a.listQuery(ctx, q, st.TimeZone)
	if err != nil {
		return err
	}
	out := deskArticleList{Articles: []deskArticle{}, Page: page, PerPage: perPage}
	var found []model.Article
	if text := strings.TrimSpace(q.Get("q")); text != "" {
		unit, author := article.ScopeOf(c.user).Narrow(lq.UnitID, lq.AuthorID)
		sq := search.Query{Text: text, UnitID: unit, AuthorID: author, ColumnIDs: lq.ColumnIDs, Limit: perPage, Offset: (page - 1) * perPage}
		if lq.Status != "" {
			sq.Statuses = []string{lq.Status}
		}
		hits, n, err := a.Search.Search(ctx, sq)
		if err != nil {
			return err
		}
		for _, h := range hits {
			found = append(found, h.Article)
		}
		out.Total = n
	} else {
		// The list pages by key (next, prev), so that a deep page costs
		// what the first does; page numbers are the search's.
		if page != 1 {
			return badParam("page", q.Get("page"))
		}
		lq.Limit = perPage
		list, err := a.Articles.List(ctx, c.user, lq)
		if err != nil {
			return err
		}
		found, out.Total = list.Articles, list.Total
		out.Next, out.Prev = article.FormatListKey(list.Next), article.FormatListKey(list.Prev)
	}
	for _, ar := range found {
		d, err := a.deskArticle(ctx, c, ar, st.TimeZone, false)
		if err != nil {
			return err
		}
		out.Articles = append(out.Articles, d)
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// viewable reads the story of the route and checks the caller may see
// it; one they may not see is not found, as for a wrong number.
func (a *API) viewable(r *http.Request, c *caller) (model.Article, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return model.Article{}, fmt.Errorf("article %q: %w", r.PathValue("id"), model.ErrNotFound)
	}
	ar, err := a.Store.Article(r.Context(), id)
	if err != nil {
		return ar, err
	}
	if ok, err := a.Articles.CanView(r.Context(), c.user, ar); err != nil {
		return ar, err
	} else if !ok {
		return ar, fmt.Errorf("%w: article %d", model.ErrForbidden, id)
	}
	return ar, nil
}

// answer writes a story with its body: a published story under
// correction with its working copy's text, as the desk edits it.
func (a *API) answer(w http.ResponseWriter, r *http.Request, c *caller, status int, ar model.Article) error {
	st, err := a.Site.Settings(r.Context())
	if err != nil {
		return err
	}
	shown, err := a.Articles.Editable(r.Context(), ar.ID)
	if err != nil {
		return err
	}
	shown.Status, shown.Version = ar.Status, ar.Version
	d, err := a.deskArticle(r.Context(), c, shown, st.TimeZone, true)
	if err != nil {
		return err
	}
	wc, err := a.Articles.WorkingCopy(r.Context(), ar.ID)
	if err != nil && !errors.Is(err, model.ErrNotFound) {
		return err
	}
	copying := err == nil
	d.WorkingCopy = &copying
	if copying {
		d.Revision = &revision{State: wc.Status, Step: a.stepOf(c, wc.Article), Actions: nonNil(article.RevisionActions(c.user, wc))}
	}
	writeJSON(w, status, d)
	return nil
}

func (a *API) deskGet(w http.ResponseWriter, r *http.Request, c *caller) error {
	ar, err := a.viewable(r, c)
	if err != nil {
		return err
	}
	return a.answer(w, r, c, http.StatusOK, ar)
}

// articleFields are the fields a client writes; absent ones stay as they are.
type articleFields struct {
	ColumnID    *int64        `json:"column_id"`
	Kicker      *string       `json:"kicker"`
	Title       *string       `json:"title"`
	Subtitle    *string       `json:"subtitle"`
	Summary     *string       `json:"summary"`
	Body        *string       `json:"body"`
	LeadMediaID *int64        `json:"lead_media_id"`
	Credits     *creditsInput `json:"credits"`
	// Correction is the public correction note of a published story's
	// working copy.
	Correction *string `json:"correction"`
}

type creditsInput struct {
	Writers       []string `json:"writers"`
	Photographers []string `json:"photographers"`
	Editor        string   `json:"editor"`
	Unit          string   `json:"unit"`
	Source        string   `json:"source"`
}

func (f articleFields) apply(ar *model.Article) {
	set := func(dst *string, v *string) {
		if v != nil {
			*dst = strings.TrimSpace(*v)
		}
	}
	if f.ColumnID != nil {
		ar.ColumnID = *f.ColumnID
	}
	set(&ar.Kicker, f.Kicker)
	set(&ar.Title, f.Title)
	set(&ar.Subtitle, f.Subtitle)
	set(&ar.Summary, f.Summary)
	if f.Body != nil {
		ar.Body = *f.Body
	}
	if f.LeadMediaID != nil {
		ar.LeadMediaID = *f.LeadMediaID
	}
	set(&ar.Correction, f.Correction)
	if f.Credits != nil {
		ar.Credits = model.Credits{Writers: f.Credits.Writers, Photographers: f.Credits.Photographers,
			Editor: strings.TrimSpace(f.Credits.Editor), Unit: strings.TrimSpace(f.Credits.Unit), Source: strings.TrimSpace(f.Credits.Source)}
	}
}

// deskCreate starts a draft by the caller, for the caller's unit.
func (a *API) deskCreate(w http.ResponseWriter, r *http.Request, c *caller) error {
	var in articleFields
	if err := decode(w, r, &in); err != nil {
		return err
	}
	var ar model.Article
	in.apply(&ar)
	if err := a.Articles.Create(r.Context(), c.actor, &ar); err != nil {
		return err
	}
	w.Header().Set("Location", fmt.Sprintf("/api/v1/desk/articles/%d", ar.ID))
	return a.answer(w, r, c, http.StatusCreated, ar)
}

// articlePatch is a change to a story read at Version.
type articlePatch struct {
	articleFields
	Version *int `json:"version"`
}

var errVersion = newError(http.StatusBadRequest, "version_required", "api.version_required")

// deskUpdate saves the given fields of a story the caller read at
// version; a stale version is refused with the stored story.
func (a *API) deskUpdate(w http.ResponseWriter, r *http.Request, c *caller) error {
	stored, err := a.viewable(r, c)
	if err != nil {
		return err
	}
	var in articlePatch
	if err := decode(w, r, &in); err != nil {
		return err
	}
	if in.Version == nil {
		return errVersion
	}
	// A published story under correction is changed on its working copy.
	ar, err := a.Articles.Editable(r.Context(), stored.ID)
	if err != nil {
		return err
	}
	ar.Version = *in.Version
	in.apply(&ar)
	if err := a.Articles.Update(r.Context(), c.actor, &ar); err != nil {
		return a.conflict(r, c, stored.ID, err)
	}
	saved, err := a.Store.Article(r.Context(), ar.ID)
	if err != nil {
		return err
	}
	return a.answer(w, r, c, http.StatusOK, saved)
}

// conflict adds the stored story to a conflict error.
func (a *API) conflict(r *http.Request, c *caller, id int64, err error) error {
	if !errors.Is(err, model.ErrConflict) {
		return err
	}
	current, rerr := a.Store.Article(r.Context(), id)
	if rerr != nil {
		return errors.Join(err, rerr)
	}
	st, rerr := a.Site.Settings(r.Context())
	if rerr != nil {
		return errors.Join(err, rerr)
	}
	d, rerr := a.deskArticle(r.Context(), c, current, st.TimeZone, true)
	if rerr != nil {
		return errors.Join(err, rerr)
	}
	return &conflictError{err: err, current: d}
}

// transitionRequest moves a story through the workflow.
type transitionRequest struct {
	Action  string `json:"action"`
	Comment string `json:"comment"`
	Version *int   `json:"version"`
	// Time is when a scheduled story goes out, RFC 3339.
	Time string `json:"time"`
	// Step is the number of the review step decided on (0: the current);
	// Reason a preset return reason; ReturnTo where a return goes (0:
	// the author, n: step n).
	Step     int    `json:"step"`
	Reason   string `json:"reason"`
	ReturnTo int    `json:"return_to"`
}

func (a *API) deskTransition(w http.ResponseWriter, r *http.Request, c *caller) error {
	ar, err := a.viewable(r, c)
	if err != nil {
		return err
	}
	var in transitionRequest
	if err := decode(w, r, &in); err != nil {
		return err
	}
	if in.Version == nil {
		return errVersion
	}
	var when time.Time
	if in.Time != "" {
		if when, err = time.Parse(time.RFC3339, in.Time); err != nil {
			return model.Invalid("time")
		}
	}
	after, err := a.Articles.Move(r.Context(), c.actor, ar.ID, article.Move{Action: in.Action, Version: *in.Version, Comment: in.Comment,
		When: when, Step: in.Step, Reason: in.Reason, ReturnTo: in.ReturnTo})
	if err != nil {
		return a.conflict(r, c, ar.ID, err)
	}
	return a.answer(w, r, c, http.StatusOK, after)
}

// mediaItem is an uploaded file as the API shows it.
type mediaItem struct {
	ID          int64  `json:"id"`
	URL         string `json:"url"`
	Name        string `json:"name"`
	ContentType string `json:"content_type"`
	Width       int    `json:"width"`
	Height      int    `json:"height"`
	Size        int64  `json:"size"`
	Caption     string `json:"caption"`
	Alt         string `json:"alt"`
	Credit      string `json:"credit"`
}

type mediaAnswer struct {
	Media   mediaItem   `json:"media"`
	Article deskArticle `json:"article"`
}

// deskMedia uploads a photo (with caption, alt text and credit) or an
// attachment (kind=attachment) and adds it to the end of the story, as
// the desk's upload does.
func (a *API) deskMedia(w http.ResponseWriter, r *http.Request, c *caller) error {
	ctx := r.Context()
	ar, err := a.viewable(r, c)
	if err != nil {
		return err
	}
	if !article.CanEdit(c.user, ar) {
		return fmt.Errorf("%w: add media to article %d", model.ErrForbidden, ar.ID)
	}
	limit := a.Media.MaxSize + 1<<20 // the file and the form's other fields
	r.Body = http.MaxBytesReader(w, r.Body, limit)
	if err := r.ParseMultipartForm(8 << 20); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return newError(http.StatusRequestEntityTooLarge, "too_large", "api.too_large", a.Media.MaxSize>>20)
		}
		return newError(http.StatusBadRequest, "bad_form", "api.bad_form")
	}
	defer r.MultipartForm.RemoveAll()
	version, err := strconv.Atoi(r.FormValue("version"))
	if err != nil {
		return errVersion
	}
	f, hdr, err := r.FormFile("file")
	if err != nil {
		return model.Invalid("upload_missing")
	}
	defer f.Close()
	data, err := io.ReadAll(f)
	if err != nil {
		return err
	}
	var m model.Media
	label := ""
	switch kind := r.FormValue("kind"); kind {
	case "", "photo":
		meta := model.Media{UploadedBy: c.user.ID, Caption: strings.TrimSpace(r.FormValue("caption")),
			Alt: strings.TrimSpace(r.FormValue("alt")), Credit: strings.TrimSpace(r.FormValue("credit"))}
		if meta.Alt == "" {
			return model.Invalid("alt_required")
		}
		if m, err = a.Media.Save(ctx, c.actor, hdr.Filename, data, meta); err != nil {
			return err
		}
	case "attachment":
		if m, err = a.Media.SaveAttachment(ctx, c.actor, hdr.Filename, data); err != nil {
			return err
		}
		label = a.Catalog.T(c.lang, "desk.attachment_link", m.Name, float64(m.Size)/(1<<20))
	default:
		return badParam("kind", kind)
	}
	after, err := a.Articles.AddMedia(ctx, c.actor, ar.ID, version, m, label)
	if err != nil {
		return a.conflict(r, c, ar.ID, err)
	}
	saved, err := a.Store.Article(ctx, after.ID)
	if err != nil {
		return err
	}
	st, err := a.Site.Settings(ctx)
	if err != nil {
		return err
	}
	d, err := a.deskArticle(ctx, c, saved, st.TimeZone, true)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, mediaAnswer{
		Media: mediaItem{ID: m.ID, URL: reader.Abs(st.BaseURL, a.Reader.FileURL(m)), Name: m.Name, ContentType: m.ContentType, Width: m.Width,
			Height: m.Height, Size: m.Size, Caption: m.Caption, Alt: m.Alt, Credit: m.Credit},
		Article: d})
	return nil
}

// placement is where a story goes in a slot.
type placement struct {
	Position  int    `json:"position"`
	ExpiresAt string `json:"expires_at"` // RFC 3339; empty: never
}

type placementAnswer struct {
	Slot      string     `json:"slot"`
	ArticleID int64      `json:"article_id"`
	Position  int        `json:"position"`
	ExpiresAt *time.Time `json:"expires_at"`
}

func slotAndID(r *http.Request) (string, int64, error) {
	name := r.PathValue("slot")
	if !slot.Valid(name) {
		return "", 0, fmt.Errorf("slot %q: %w", name, model.ErrNotFound)
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return "", 0, fmt.Errorf("article %q: %w", r.PathValue("id"), model.ErrNotFound)
	}
	return name, id, nil
}

// deskPlace puts a story into a slot at a position, with an optional
// expiry (an empty body: position 0, no expiry).
func (a *API) deskPlace(w http.ResponseWriter, r *http.Request, c *caller) error {
	name, id, err := slotAndID(r)
	if err != nil {
		return err
	}
	var in placement
	if r.ContentLength != 0 {
		if err := decode(w, r, &in); err != nil {
			return err
		}
	}
	p := model.Placement{Slot: name, ArticleID: id, Position: in.Position}
	if in.Position < 0 {
		return model.Invalid("position")
	}
	if in.ExpiresAt != "" {
		if p.ExpiresAt, err = time.Parse(time.RFC3339, in.ExpiresAt); err != nil {
			return model.Invalid("expires")
		}
	}
	if err := a.Slots.Place(r.Context(), c.actor, p); err != nil {
		return err
	}
	st, err := a.Site.Settings(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, placementAnswer{Slot: name, ArticleID: id, Position: p.Position, ExpiresAt: timeIn(p.ExpiresAt, st.TimeZone)})
	return nil
}

// deskUnplace takes a story out of a slot.
func (a *API) deskUnplace(w http.ResponseWriter, r *http.Request, c *caller) error {
	name, id, err := slotAndID(r)
	if err != nil {
		return err
	}
	if err := a.Slots.Remove(r.Context(), c.actor, name, id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

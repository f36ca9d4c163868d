package desk

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"newsdesk/internal/annotation"
	"newsdesk/internal/article"
	"newsdesk/internal/model"
	"newsdesk/internal/review"
	"newsdesk/internal/slot"
	"newsdesk/internal/store"
	"newsdesk/internal/web/render"
)

// --- the dashboard (工作台) ---

// deskList is one list of the dashboard: its stories, how many there are
// in all, and the story list that shows them all.
type deskList struct {
	Key      string // what it is: "drafts", "returned", "scheduled", "published"
	Title    string
	Articles []deskRow
	Total    int
	More     string // the story list with this list's filters
}

type deskRow struct {
	model.Article
	Column string
}

type deskHomePage struct {
	// Inbox are the review steps waiting for the user (InboxTotal in all).
	Inbox      []inboxRow
	InboxTotal int
	// Drafts and Returned are the user's own stories to work on; Scheduled
	// and Published (the last 20, with views) what the user may see.
	Drafts, Returned, Scheduled, Published *deskList
	// Month is this month's figures by unit, with their sums.
	Month      []monthRow
	MonthTotal monthRow
	MonthName  string
	// SlotBoards: editors get the home page's slot board here (template
	// "home_slotboard" in templates/desk/home.html), posting with CSRF.
	SlotBoards *SlotBoards
	CSRF       string
}

type monthRow struct {
	Unit                 string
	Submitted, Published int
}

type inboxRow struct {
	review.InboxItem
	Column string
}

// deskHome is the dashboard by role: what waits for the user, their
// drafts and returned stories, scheduled stories, the last 20 published,
// and this month's figures by unit — each within what the user may see.
func (s *stories) deskHome(w http.ResponseWriter, r *http.Request, u *deskUser, v *render.View) error {
	ctx := r.Context()
	var page deskHomePage
	if u.CanPublish() {
		b, err := s.slotBoards(ctx, s.actor(r, u), v.Site.TimeZone, r.URL.Query().Get("q"), "/desk/")
		if err != nil {
			return err
		}
		page.SlotBoards, page.CSRF = &b, u.session.CSRF
	}
	items, total, err := s.Reviews.Inbox(ctx, u.User, 50)
	if err != nil {
		return err
	}
	page.InboxTotal = total
	snap, _ := s.Reader.Site(ctx)
	for _, it := range items {
		row := inboxRow{InboxItem: it}
		if snap != nil {
			if c, ok := snap.Columns.Get(it.Article.ColumnID); ok {
				row.Column = c.Name
			}
		}
		page.Inbox = append(page.Inbox, row)
	}
	list := func(key string, limit int, q store.ListQuery, more url.Values) (*deskList, error) {
		q.Limit = limit
		p, err := s.Articles.List(ctx, u.User, q)
		if err != nil {
			return nil, err
		}
		return &deskList{Key: key, Title: v.T("desk.home_" + key), Articles: s.deskRows(ctx, p.Articles), Total: p.Total,
			More: "/desk/articles?" + more.Encode()}, nil
	}
	mine := strconv.FormatInt(u.ID, 10)
	if u.CanWrite() {
		if page.Drafts, err = list("drafts", 5, store.ListQuery{AuthorID: u.ID, Status: model.StatusDraft, ByUpdate: true},
			url.Values{"author": {mine}, "state": {model.StatusDraft}, "sort": {"updated"}}); err != nil {
			return err
		}
		if page.Returned, err = list("returned", 5, store.ListQuery{AuthorID: u.ID, Status: model.StatusReturned, ByUpdate: true},
			url.Values{"author": {mine}, "state": {model.StatusReturned}, "sort": {"updated"}}); err != nil {
			return err
		}
	}
	if page.Scheduled, err = list("scheduled", 5, store.ListQuery{Status: model.StatusScheduled},
		url.Values{"state": {model.StatusScheduled}}); err != nil {
		return err
	}
	if page.Published, err = list("published", 20, store.ListQuery{Status: model.StatusPublished},
		url.Values{"state": {model.StatusPublished}}); err != nil {
		return err
	}
	now := time.Now().In(v.Site.TimeZone)
	first := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, v.Site.TimeZone)
	figures, err := s.Articles.Figures(ctx, u.User, first, first.AddDate(0, 1, 0))
	if err != nil {
		return err
	}
	names, err := s.names(ctx)
	if err != nil {
		return err
	}
	for _, f := range figures {
		name := names.unit[f.UnitID]
		if name == "" {
			name = v.T("desk.no_unit")
		}
		page.Month = append(page.Month, monthRow{Unit: name, Submitted: f.Submitted, Published: f.Published})
		page.MonthTotal.Submitted += f.Submitted
		page.MonthTotal.Published += f.Published
	}
	page.MonthName = first.Format("2006-01")
	v.Title = v.T("desk.title")
	s.renderDesk(w, r, http.StatusOK, "desk_home", v, page)
	return nil
}

func (s *stories) deskRows(ctx context.Context, as []model.Article) []deskRow {
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
	Article  model.Article
	New      bool
	CanEdit  bool
	Actions  []string
	Columns  []model.Column
	Events   []deskEvent
	Versions []model.Version
	Conflict *model.Article // the stored version, when a save was refused
	Writers  string
	Photos   string
	// Slots shows where the article is placed, for editors.
	Slots    []slotState
	CanPlace bool
	// Lock is the story's edit lock, for those who may edit it: the page
	// says who else has it open, and its script keeps the lock alive.
	Lock article.Lock
	// Annotations are the comments on passages of the text (批注).
	Annotations []annotation.Thread
	// Copy is the working copy of a published story under correction,
	// by CopyBy; the form edits it, the site shows the published text,
	// which is LiveVersion in the history. Correcting: saves go to a
	// working copy (the story is published, or has one).
	Copy        *model.WorkingCopy
	CopyBy      string
	LiveVersion int
	CopyVersion int // the newest version in the history: the copy's text
	Correcting  bool
	// CopyProgress is the copy's correction chain as a progress line,
	// CopyStep the number of the step it waits at (0: back with its
	// maker), CopyBack the steps a return may go to, CopyActions what the
	// user may decide on it.
	CopyProgress []review.ProgressStep
	CopyStep     int
	CopyBack     []review.ProgressStep
	CopyActions  []string
	// Progress is the story's review chain as a progress line; Step the
	// number of the step it waits at (0: none), Back the steps a return
	// may go to, Reasons the preset return reasons.
	Progress []review.ProgressStep
	Step     int
	Back     []review.ProgressStep
	Reasons  []string
	// Checks are the story's content-check findings (错敏检查).
	Checks *checkPanel
	// Unreadable are the story's photos (lead photo first) that the
	// variants job could not decode: the public page leaves them out, and
	// the editor is told to replace them.
	Unreadable []unreadablePhoto
}

// unreadablePhoto is a photo of the story that does not decode.
type unreadablePhoto struct {
	model.Media
	Lead bool // the story's lead photo
}

type slotState struct {
	Name      string
	Placed    bool
	Position  int
	ExpiresAt time.Time
}

type deskEvent struct {
	model.Event
	User string
}

func (s *stories) deskNew(w http.ResponseWriter, r *http.Request, u *deskUser, v *render.View) error {
	v.Title = v.T("desk.new")
	s.renderDesk(w, r, http.StatusOK, "desk_article", v, s.articleForm(r.Context(), model.Article{UnitID: u.UnitID}, true))
	return nil
}

func (s *stories) articleForm(ctx context.Context, a model.Article, isNew bool) deskArticlePage {
	p := deskArticlePage{Article: a, New: isNew, CanEdit: true,
		Writers: strings.Join(a.Credits.Writers, " "), Photos: strings.Join(a.Credits.Photographers, " ")}
	if snap, err := s.Reader.Site(ctx); err == nil {
		p.Columns = snap.Columns.All()
	}
	return p
}

// deskPreview answers the public article page the story form's fields
// would make (sanitised as a save would), saving nothing: the editor shows
// it at phone and desktop width before the story is saved or published.
func (s *stories) deskPreview(w http.ResponseWriter, r *http.Request, u *deskUser, v *render.View) error {
	a := model.Article{UnitID: u.UnitID, PublishedAt: time.Now(), UpdatedAt: time.Now()}
	formArticle(r, &a)
	a.Body = article.Sanitize(a.Body)
	page, err := s.Reader.Preview(r.Context(), a)
	if err != nil {
		return err
	}
	pv, _, err := s.render.Common(r, v.Lang)
	if err != nil {
		return err
	}
	pv.Title = a.Title
	if pv.Data, err = s.render.ArticlePageOf(r.Context(), s.Store, page, pv); err != nil {
		return err
	}
	out, err := s.render.Execute("article", pv)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", out.ContentType)
	_, err = w.Write(out.Body)
	return err
}

// formArticle reads the article fields of the edit form into a.
func formArticle(r *http.Request, a *model.Article) {
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
	if r.PostForm.Has("correction") {
		a.Correction = strings.TrimSpace(r.PostFormValue("correction"))
	}
}

func (s *stories) deskCreate(w http.ResponseWriter, r *http.Request, u *deskUser, v *render.View) error {
	var a model.Article
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
func (s *stories) formError(w http.ResponseWriter, r *http.Request, v *render.View, p deskArticlePage, err error) error {
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
func (s *stories) loadArticle(r *http.Request, u *deskUser) (model.Article, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return model.Article{}, model.ErrNotFound
	}
	a, err := s.Store.Article(r.Context(), id)
	if err != nil {
		return a, err
	}
	if ok, err := s.Articles.CanView(r.Context(), u.User, a); err != nil {
		return a, err
	} else if !ok {
		return a, fmt.Errorf("%w: article %d", model.ErrForbidden, id)
	}
	return a, nil
}

// unreadablePhotos lists the photos of a that the variants job marked as
// not decodable, the lead photo first.
func (s *stories) unreadablePhotos(ctx context.Context, a model.Article) ([]unreadablePhoto, error) {
	ids := model.MediaRefs(a)
	if len(ids) == 0 {
		return nil, nil
	}
	files, err := s.Store.MediaByIDs(ctx, ids)
	if err != nil {
		return nil, err
	}
	var out []unreadablePhoto
	for _, id := range ids {
		if m, ok := files[id]; ok && m.Unreadable != "" {
			out = append(out, unreadablePhoto{Media: m, Lead: id == a.LeadMediaID})
		}
	}
	return out, nil
}

func (s *stories) articlePageData(ctx context.Context, u *deskUser, a model.Article) (deskArticlePage, error) {
	p := s.articleForm(ctx, a, false)
	var err error
	if p.CanEdit, err = s.Articles.CanEdit(ctx, u.User, a); err != nil {
		return p, err
	}
	if p.Actions, err = s.Articles.Actions(ctx, u.User, a); err != nil {
		return p, err
	}
	if p.Annotations, err = s.Annotations.List(ctx, u.User, a.ID); err != nil {
		return p, err
	}
	p.Correcting = a.Status == model.StatusPublished
	if wc, err := s.Articles.WorkingCopy(ctx, a.ID); err == nil {
		p.Copy, p.Correcting = &wc, true
		if by, err := s.Store.User(ctx, wc.CreatedBy); err == nil {
			p.CopyBy = by.Name
		}
		if p.Article, err = s.Articles.Editable(ctx, a.ID); err != nil {
			return p, err
		}
		p.Writers, p.Photos = strings.Join(p.Article.Credits.Writers, " "), strings.Join(p.Article.Credits.Photographers, " ")
	} else if !errors.Is(err, model.ErrNotFound) {
		return p, err
	}
	if p.Unreadable, err = s.unreadablePhotos(ctx, p.Article); err != nil {
		return p, err
	}
	if p.CanEdit {
		l, err := s.Articles.LockOf(ctx, u.User, a.ID)
		if err != nil {
			return p, err
		}
		p.Lock = l
	}
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
	if n := len(p.Versions); n > 0 {
		p.CopyVersion = p.Versions[n-1].Version
	}
	// The published text is the newest version that reads as it does.
	for i := len(p.Versions) - 1; i >= 0 && p.Copy != nil; i-- {
		if ver := p.Versions[i]; ver.Title == a.Title && ver.Summary == a.Summary && ver.Body == a.Body {
			p.LiveVersion = ver.Version
			break
		}
	}
	if a.Status != model.StatusDraft || a.Review.Chain != nil {
		p.Progress = review.Progress(a, evs, time.Now())
	}
	if i, _, ok := review.Current(a); ok {
		p.Step = i + 1
		p.Back = p.Progress[:i]
	}
	if p.Copy != nil {
		p.CopyProgress = review.Progress(p.Copy.Article, evs, time.Now())
		p.CopyActions = article.RevisionActions(u.User, *p.Copy)
		if i, _, ok := review.Current(p.Copy.Article); ok {
			p.CopyStep = i + 1
			p.CopyBack = p.CopyProgress[:i]
		}
	}
	if p.Step != 0 || p.CopyStep != 0 {
		if p.Reasons, err = s.Reviews.Reasons(ctx); err != nil {
			return p, err
		}
	}
	if p.Checks, err = s.checkPanel(ctx, u, a); err != nil {
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

func (s *stories) deskArticle(w http.ResponseWriter, r *http.Request, u *deskUser, v *render.View) error {
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

func (s *stories) deskSave(w http.ResponseWriter, r *http.Request, u *deskUser, v *render.View) error {
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
		if errors.Is(err, model.ErrConflict) {
			p.Conflict = &stored
		}
		return s.formError(w, r, v, p, err)
	}
	http.Redirect(w, r, fmt.Sprintf("/desk/articles/%d?flash=desk.saved", a.ID), http.StatusSeeOther)
	return nil
}

func (s *stories) deskTransition(w http.ResponseWriter, r *http.Request, u *deskUser, v *render.View) error {
	a, err := s.loadArticle(r, u)
	if err != nil {
		return err
	}
	version, _ := strconv.Atoi(r.PostFormValue("version"))
	var when time.Time
	if at := r.PostFormValue("when"); at != "" {
		t, err := time.ParseInLocation("2006-01-02T15:04", at, v.Site.TimeZone)
		if err != nil {
			return s.transitionError(w, r, u, v, a, model.Invalid("time"))
		}
		when = t
	}
	m := article.Move{Action: r.PathValue("action"), Version: version, Comment: r.PostFormValue("comment"), Reason: r.PostFormValue("reason"), When: when}
	m.Step, _ = strconv.Atoi(r.PostFormValue("step"))
	m.ReturnTo, _ = strconv.Atoi(r.PostFormValue("return_to"))
	if _, err := s.Articles.Move(r.Context(), s.actor(r, u), a.ID, m); err != nil {
		return s.transitionError(w, r, u, v, a, err)
	}
	http.Redirect(w, r, fmt.Sprintf("/desk/articles/%d?flash=desk.done_%s", a.ID, r.PathValue("action")), http.StatusSeeOther)
	return nil
}

// deskRevision approves or discards the working copy of a published
// story (editors).
func (s *stories) deskRevision(w http.ResponseWriter, r *http.Request, u *deskUser, v *render.View) error {
	a, err := s.loadArticle(r, u)
	if err != nil {
		return err
	}
	version, _ := strconv.Atoi(r.PostFormValue("version"))
	decision := r.PathValue("decision")
	switch decision {
	case "approve":
		_, err = s.Articles.ApproveRevision(r.Context(), s.actor(r, u), a.ID, version, r.PostFormValue("comment"))
	case "discard":
		err = s.Articles.DiscardRevision(r.Context(), s.actor(r, u), a.ID, version)
	default:
		return model.ErrNotFound
	}
	if err != nil {
		return s.transitionError(w, r, u, v, a, err)
	}
	http.Redirect(w, r, fmt.Sprintf("/desk/articles/%d?flash=desk.done_revision_%s", a.ID, decision), http.StatusSeeOther)
	return nil
}

// transitionError shows the story page again with what went wrong.
func (s *stories) transitionError(w http.ResponseWriter, r *http.Request, u *deskUser, v *render.View, a model.Article, err error) error {
	if !userError(err) {
		return err
	}
	p, perr := s.articlePageData(r.Context(), u, a)
	if perr != nil {
		return perr
	}
	return s.formError(w, r, v, p, err)
}

// deskSlot puts the article into the focus or recommended slot at a
// position, with an optional expiry date, or takes it out.
func (s *stories) deskSlot(w http.ResponseWriter, r *http.Request, u *deskUser, v *render.View) error {
	a, err := s.loadArticle(r, u)
	if err != nil {
		return err
	}
	name := r.PostFormValue("slot")
	if r.PostFormValue("remove") != "" {
		err = s.Slots.Remove(r.Context(), s.actor(r, u), name, a.ID)
	} else {
		var pl model.Placement
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

// formPlacement reads a slot form: a position (empty is 0) and an expiry
// date, through the whole of which the story stays placed.
func formPlacement(r *http.Request, name string, articleID int64, tz *time.Location) (model.Placement, error) {
	pl := model.Placement{Slot: name, ArticleID: articleID}
	if pos := strings.TrimSpace(r.PostFormValue("position")); pos != "" {
		n, err := strconv.Atoi(pos)
		if err != nil || n < 0 {
			return pl, model.Invalid("position")
		}
		pl.Position = n
	}
	if exp := r.PostFormValue("expires"); exp != "" {
		t, err := time.ParseInLocation("2006-01-02", exp, tz)
		if err != nil {
			return pl, model.Invalid("expires")
		}
		pl.ExpiresAt = t.AddDate(0, 0, 1)
	}
	return pl, nil
}

type deskDiffPage struct {
	Article              model.Article
	From, To             model.Version
	Title, Summary, Body []article.Change
	Same                 bool
}

// deskDiff compares two saved versions of an article (?from=N&to=M).
func (s *stories) deskDiff(w http.ResponseWriter, r *http.Request, u *deskUser, v *render.View) error {
	a, err := s.loadArticle(r, u)
	if err != nil {
		return err
	}
	vs, err := s.Store.Versions(r.Context(), a.ID)
	if err != nil {
		return err
	}
	find := func(param string) (model.Version, bool) {
		n, err := strconv.Atoi(r.URL.Query().Get(param))
		for _, ver := range vs {
			if err == nil && ver.Version == n {
				return ver, true
			}
		}
		return model.Version{}, false
	}
	from, ok1 := find("from")
	to, ok2 := find("to")
	if !ok1 || !ok2 {
		return s.transitionError(w, r, u, v, a, model.Invalid("versions"))
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

package desk

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"newsdesk/internal/article"
	"newsdesk/internal/bulk"
	"newsdesk/internal/model"
	"newsdesk/internal/slot"
	"newsdesk/internal/store"
	"newsdesk/internal/web/render"
)

// --- the story list (稿件管理) ---

// storyFilter is the story list's filters as the form has them.
type storyFilter struct {
	Column, Unit, Author int64
	State, Sort          string // Sort: "published" or "updated"
	From, To             string // dates, in the site's time zone
	Photos               bool
}

// values are the filter's query parameters (empty ones left out).
func (f storyFilter) values() url.Values {
	v := url.Values{}
	for name, n := range map[string]int64{"column": f.Column, "unit": f.Unit, "author": f.Author} {
		if n != 0 {
			v.Set(name, strconv.FormatInt(n, 10))
		}
	}
	for name, s := range map[string]string{"state": f.State, "from": f.From, "to": f.To} {
		if s != "" {
			v.Set(name, s)
		}
	}
	if f.Sort == "updated" {
		v.Set("sort", f.Sort)
	}
	if f.Photos {
		v.Set("photos", "1")
	}
	return v
}

type deskStoriesPage struct {
	Filter      storyFilter
	States      []string
	Columns     []model.Column
	Units       []model.Unit
	Authors     []model.User
	AllUnits    bool
	Rows        []storyRow
	Total       int
	Page, Pages int
	Prev, Next  string // addresses of the pages around; "" for none
	// Back is this page's address, where a bulk action returns.
	Back string
	// CanBulk: news-centre staff may choose stories for a bulk action.
	CanBulk     bool
	BulkActions []string
}

// storyRow is one story of the list, with the names it refers to.
type storyRow struct {
	model.Article
	Column, Unit, Author string
}

// storyQuery reads the list's filters from the address.
func storyQuery(q url.Values, tz *time.Location, cols func(int64) []int64) (storyFilter, store.ListQuery, error) {
	var f storyFilter
	var lq store.ListQuery
	for name, dst := range map[string]*int64{"column": &f.Column, "unit": &f.Unit, "author": &f.Author} {
		if v := q.Get(name); v != "" && v != "0" {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil || n < 0 {
				return f, lq, model.Invalid("filter", name, v)
			}
			*dst = n
		}
	}
	f.State, f.Photos = q.Get("state"), q.Get("photos") != ""
	f.Sort = "published"
	switch q.Get("sort") {
	case "", "published":
	case "updated":
		f.Sort = "updated"
	default:
		return f, lq, model.Invalid("filter", "sort", q.Get("sort"))
	}
	lq = store.ListQuery{Status: f.State, UnitID: f.Unit, AuthorID: f.Author, HasPhotos: f.Photos, ByUpdate: f.Sort == "updated"}
	if f.Column != 0 {
		lq.ColumnIDs = cols(f.Column)
	}
	for name, dst := range map[string]*time.Time{"from": &lq.From, "to": &lq.To} {
		v := strings.TrimSpace(q.Get(name))
		if v == "" {
			continue
		}
		t, err := time.ParseInLocation("2006-01-02", v, tz)
		if err != nil {
			return f, lq, model.Invalid("date", v)
		}
		if name == "to" {
			t = t.AddDate(0, 0, 1) // through the whole day
			f.To = v
		} else {
			f.From = v
		}
		*dst = t
	}
	var err error
	if lq.After, err = article.ParseListKey(q.Get("after")); err != nil {
		return f, lq, err
	}
	if lq.Before, err = article.ParseListKey(q.Get("before")); err != nil {
		return f, lq, err
	}
	return f, lq, nil
}

// deskStories is the story list: every story the user may see, filtered,
// in keyset pages; editors choose stories for a bulk action.
func (s *stories) deskStories(w http.ResponseWriter, r *http.Request, u *deskUser, v *render.View) error {
	ctx := r.Context()
	snap, err := s.Reader.Site(ctx)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	p := deskStoriesPage{States: article.States, Columns: snap.Columns.All(), AllUnits: article.ScopeOf(u.User).All,
		CanBulk: u.CanPublish(), BulkActions: bulk.Actions, Back: r.URL.RequestURI()}
	f, lq, err := storyQuery(q, v.Site.TimeZone, snap.Columns.Subtree)
	p.Filter = f
	var list article.ListPage
	if err == nil {
		list, err = s.Articles.List(ctx, u.User, lq)
	}
	if err != nil {
		if !userError(err) {
			return err
		}
		// A filter that makes no sense is said, and the list shown whole.
		v.Data.(*deskData).Error = message(v, err)
		p.Filter = storyFilter{Sort: "published"}
		if list, err = s.Articles.List(ctx, u.User, store.ListQuery{}); err != nil {
			return err
		}
	}
	names, err := s.names(ctx)
	if err != nil {
		return err
	}
	if p.AllUnits {
		p.Units = names.units
	}
	if p.AllUnits || u.Has(model.RoleReviewer) {
		p.Authors = names.users
	}
	for _, a := range list.Articles {
		p.Rows = append(p.Rows, names.row(a, snap.Columns.Get))
	}
	p.Total = list.Total
	p.Pages = max(1, (list.Total+article.ListPerPage-1)/article.ListPerPage)
	p.Page, _ = strconv.Atoi(q.Get("page"))
	if list.Prev.ID == 0 || p.Page < 1 {
		p.Page = 1
	}
	p.Page = min(p.Page, p.Pages)
	link := func(key, value string, page int) string {
		params := p.Filter.values()
		params.Set(key, value)
		params.Set("page", strconv.Itoa(page))
		return "/desk/articles?" + params.Encode()
	}
	if list.Prev.ID != 0 {
		p.Prev = link("before", article.FormatListKey(list.Prev), p.Page-1)
	}
	if list.Next.ID != 0 {
		p.Next = link("after", article.FormatListKey(list.Next), p.Page+1)
	}
	v.Title = v.T("desk.stories")
	s.renderDesk(w, r, http.StatusOK, "desk_stories", v, p)
	return nil
}

// deskNames are the units' and users' names, for lists.
type deskNames struct {
	units []model.Unit
	users []model.User
	unit  map[int64]string
	user  map[int64]string
}

// row is a story of a list with its column's, unit's and author's
// names; a story from outside (imported, the demo) names its unit and
// writers in its credits.
func (n deskNames) row(a model.Article, column func(int64) (model.Column, bool)) storyRow {
	r := storyRow{Article: a, Unit: n.unit[a.UnitID], Author: n.user[a.AuthorID]}
	if c, ok := column(a.ColumnID); ok {
		r.Column = c.Name
	}
	if r.Unit == "" {
		r.Unit = a.Credits.Unit
	}
	if r.Author == "" {
		r.Author = strings.Join(a.Credits.Writers, " ")
	}
	return r
}

func (s *stories) names(ctx context.Context) (deskNames, error) {
	var n deskNames
	var err error
	if n.units, err = s.Store.Units(ctx); err != nil {
		return n, err
	}
	if n.users, err = s.Store.Users(ctx); err != nil {
		return n, err
	}
	n.unit, n.user = map[int64]string{}, map[int64]string{}
	for _, x := range n.units {
		n.unit[x.ID] = x.Name
	}
	for _, x := range n.users {
		n.user[x.ID] = x.Name
	}
	return n, nil
}

// --- bulk actions ---

type deskBulkPage struct {
	Action  string
	Rows    []storyRow // the stories chosen, as they are now
	Columns []model.Column
	Slots   []string
	// Back is the list the stories were chosen from.
	Back string
	// Done and Refused are the outcome, once confirmed.
	Done    []storyRow
	Refused []bulkRefusal
	// The request's details, shown again when confirming.
	ColumnID int64
	Slot     string
	Comment  string
	Expires  string
}

type bulkRefusal struct {
	storyRow
	Reason string
}

// formItems reads the chosen stories ("id:version" each).
func formItems(r *http.Request) ([]bulk.Item, error) {
	var out []bulk.Item
	for _, s := range r.PostForm["story"] {
		id, ver, ok := strings.Cut(s, ":")
		n, err1 := strconv.ParseInt(id, 10, 64)
		vn, err2 := strconv.Atoi(ver)
		if !ok || err1 != nil || err2 != nil || n <= 0 {
			return nil, model.Invalid("bulk_story", s)
		}
		out = append(out, bulk.Item{ID: n, Version: vn})
	}
	return out, nil
}

// deskBulk asks to confirm a bulk action on the chosen stories, then
// (confirm=1) applies it and reports what became of each.
func (s *stories) deskBulk(w http.ResponseWriter, r *http.Request, u *deskUser, v *render.View) error {
	ctx := r.Context()
	snap, err := s.Reader.Site(ctx)
	if err != nil {
		return err
	}
	p := deskBulkPage{Action: r.PostFormValue("action"), Columns: snap.Columns.All(), Slots: slot.Names, Back: safeBack(r.PostFormValue("back")),
		Slot: r.PostFormValue("slot"), Comment: strings.TrimSpace(r.PostFormValue("comment")), Expires: r.PostFormValue("expires")}
	p.ColumnID, _ = strconv.ParseInt(r.PostFormValue("column"), 10, 64)
	items, err := formItems(r)
	if err != nil {
		return err
	}
	req := bulk.Request{Action: p.Action, Items: items, ColumnID: p.ColumnID, Slot: p.Slot, Comment: p.Comment}
	if p.Expires != "" {
		t, err := time.ParseInLocation("2006-01-02", p.Expires, v.Site.TimeZone)
		if err != nil {
			return model.Invalid("expires")
		}
		req.ExpiresAt = t.AddDate(0, 0, 1)
	}
	names, err := s.names(ctx)
	if err != nil {
		return err
	}
	row := func(a model.Article) storyRow { return names.row(a, snap.Columns.Get) }
	svc := bulk.Service{Articles: s.Articles, Slots: s.Slots}
	if r.PostFormValue("confirm") == "" {
		// The confirmation: the stories as they are now, nothing changed.
		// Apply's own checks (who, how many, which action) come first.
		if err := svc.Check(u.User, req); err != nil {
			return err
		}
		for _, it := range items {
			a, err := s.Store.Article(ctx, it.ID)
			if err != nil || !article.CanView(u.User, a) {
				p.Refused = append(p.Refused, bulkRefusal{storyRow: storyRow{Article: model.Article{ID: it.ID}}, Reason: v.T("error.404.title")})
				continue
			}
			a.Version = it.Version // the version chosen: a change since is refused when applied
			p.Rows = append(p.Rows, row(a))
		}
		v.Title = v.T("desk.bulk_confirm")
		s.renderDesk(w, r, http.StatusOK, "desk_bulk", v, p)
		return nil
	}
	results, err := svc.Apply(ctx, s.actor(r, u), req)
	if err != nil {
		return err
	}
	for _, res := range results {
		if res.Err != nil {
			if !userError(res.Err) && !isRefusal(res.Err) {
				return res.Err
			}
			p.Refused = append(p.Refused, bulkRefusal{storyRow: row(res.Article), Reason: message(v, res.Err)})
			continue
		}
		p.Done = append(p.Done, row(res.Article))
	}
	v.Title = v.T("desk.bulk_done_title")
	s.renderDesk(w, r, http.StatusOK, "desk_bulk", v, p)
	return nil
}

// isRefusal reports whether a story's error is a refusal to report (not
// allowed, not found) rather than a failure.
func isRefusal(err error) bool {
	status, _ := deskStatus(err)
	return status == http.StatusForbidden || status == http.StatusNotFound
}

// safeBack keeps a return address only when it is the story list's.
func safeBack(s string) string {
	if strings.HasPrefix(s, "/desk/articles?") || s == "/desk/articles" {
		return s
	}
	return "/desk/articles"
}

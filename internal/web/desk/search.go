package desk

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"newsdesk/internal/article"
	"newsdesk/internal/model"
	"newsdesk/internal/search"
	"newsdesk/internal/web/render"
)

// --- search ---

type deskSearchPage struct {
	Query, State       string
	Unit, Author       int64
	States             []string
	Units              []model.Unit
	Authors            []model.User
	AllUnits, Searched bool
	Hits               []deskHit
	Total              int
	Pager              pager
}

type deskHit struct {
	search.Hit
	Column string
}

// deskSearch finds stories in every state, limited to what the user may
// see: editors everything, unit reviewers their unit's, contributors their
// own.
func (s *stories) deskSearch(w http.ResponseWriter, r *http.Request, u *deskUser, v *render.View) error {
	ctx := r.Context()
	q := r.URL.Query()
	p := deskSearchPage{Query: strings.TrimSpace(q.Get("q")), State: q.Get("state"),
		States: article.States}
	p.Unit, _ = strconv.ParseInt(q.Get("unit"), 10, 64)
	p.Author, _ = strconv.ParseInt(q.Get("author"), 10, 64)
	page, err := render.PageNumber(r)
	if err != nil {
		return err
	}
	scope := article.ScopeOf(u.User)
	p.AllUnits = scope.All
	p.Unit, p.Author = scope.Narrow(p.Unit, p.Author)
	sq := search.Query{Text: p.Query, Limit: PerPage, Offset: (page - 1) * PerPage, UnitID: p.Unit, AuthorID: p.Author}
	if p.State != "" {
		if !slices.Contains(p.States, p.State) {
			v.Data.(*deskData).Error = invalidMessage(v, model.Invalid("state_filter", p.State))
			p.State = ""
		} else {
			sq.Statuses = []string{p.State}
		}
	}
	if p.AllUnits {
		if p.Units, err = s.Store.Units(ctx); err != nil {
			return err
		}
	}
	if p.AllUnits || u.Has(model.RoleReviewer) {
		if p.Authors, err = s.Store.Users(ctx); err != nil {
			return err
		}
	}
	if len(search.Parse(p.Query)) > 0 {
		p.Searched = true
		hits, total, err := s.Search.Search(ctx, sq)
		if err != nil {
			return err
		}
		p.Total = total
		params := url.Values{"q": {p.Query}, "state": {p.State}, "unit": {strconv.FormatInt(p.Unit, 10)}, "author": {strconv.FormatInt(p.Author, 10)}}
		if p.Pager, err = paginate(page, total, "/desk/search?"+params.Encode()); err != nil {
			return err
		}
		p.Pager.Sep = "&"
		snap, _ := s.Reader.Site(ctx)
		for _, h := range hits {
			dh := deskHit{Hit: h}
			if snap != nil {
				if c, ok := snap.Columns.Get(h.ColumnID); ok {
					dh.Column = c.Name
				}
			}
			p.Hits = append(p.Hits, dh)
		}
	}
	v.Title, v.Query = v.T("desk.search"), p.Query
	s.renderDesk(w, r, http.StatusOK, "desk_search", v, p)
	return nil
}

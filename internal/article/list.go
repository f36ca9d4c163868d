package article

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"newsdesk/internal/model"
	"newsdesk/internal/store"
)

// States lists every state a story can be in, in the workflow's order:
// what a list or search may filter by.
var States = []string{model.StatusDraft, model.StatusSubmitted, model.StatusUnitApproved, model.StatusReturned,
	model.StatusRejected, model.StatusScheduled, model.StatusPublished, model.StatusWithdrawn}

// ListPerPage is the story list's page size unless asked otherwise;
// ListMaxPerPage the most a page may hold.
const (
	ListPerPage    = 50
	ListMaxPerPage = 100
)

// ListPage is one page of the story list (稿件管理): its stories, how
// many the filters select in all, and the keys of the pages before and
// after it (zero: there is none).
type ListPage struct {
	Articles   []model.Article
	Total      int
	Prev, Next store.ListKey
}

// ListKeyOf is a's place in the list's order.
func ListKeyOf(a model.Article, byUpdate bool) store.ListKey {
	if byUpdate {
		return store.ListKey{At: a.UpdatedAt, ID: a.ID}
	}
	return store.ListKey{At: a.PublishedAt, ID: a.ID}
}

// FormatListKey writes a key for an address ("1700000000-42"); "" for none.
func FormatListKey(k store.ListKey) string {
	if k.ID == 0 {
		return ""
	}
	var at int64
	if !k.At.IsZero() {
		at = k.At.Unix()
	}
	return strconv.FormatInt(at, 10) + "-" + strconv.FormatInt(k.ID, 10)
}

// ParseListKey reads a key FormatListKey wrote; "" is the zero key.
func ParseListKey(s string) (store.ListKey, error) {
	if s == "" {
		return store.ListKey{}, nil
	}
	at, id, ok := strings.Cut(s, "-")
	sec, err1 := strconv.ParseInt(at, 10, 64)
	n, err2 := strconv.ParseInt(id, 10, 64)
	if !ok || err1 != nil || err2 != nil || n <= 0 || sec < 0 {
		return store.ListKey{}, model.Invalid("list_key", s)
	}
	k := store.ListKey{ID: n}
	if sec != 0 {
		k.At = time.Unix(sec, 0).UTC()
	}
	return k, nil
}

// List returns the page of the story list q asks for, within what u may
// see (ScopeOf, as the desk search): editors every story, unit reviewers
// their unit's, contributors their own; the unit and author filters
// narrow within that, never wider. A page back that reaches the start is
// the first page, full.
func (s *Service) List(ctx context.Context, u model.User, q store.ListQuery) (ListPage, error) {
	if q.Status != "" && !slices.Contains(States, q.Status) {
		return ListPage{}, model.Invalid("state_filter", q.Status)
	}
	if !q.From.IsZero() && !q.To.IsZero() && !q.From.Before(q.To) {
		return ListPage{}, model.Invalid("date_range")
	}
	if q.After.ID != 0 && q.Before.ID != 0 {
		return ListPage{}, model.Invalid("list_key", FormatListKey(q.Before))
	}
	limit := q.Limit
	if limit <= 0 {
		limit = ListPerPage
	}
	if limit > ListMaxPerPage {
		return ListPage{}, model.Invalid("per_page", ListMaxPerPage)
	}
	q.UnitID, q.AuthorID = ScopeOf(u).Narrow(q.UnitID, q.AuthorID)
	// One more than a page says whether there is a page beyond.
	q.Limit = limit + 1
	rows, err := s.Store.ListArticles(ctx, q)
	if err != nil {
		return ListPage{}, err
	}
	var p ListPage
	switch back := q.Before.ID != 0; {
	case back && len(rows) <= limit:
		q.Before = store.ListKey{}
		if rows, err = s.Store.ListArticles(ctx, q); err != nil {
			return ListPage{}, err
		}
		fallthrough
	case !back:
		if len(rows) > limit {
			rows = rows[:limit]
			p.Next = ListKeyOf(rows[limit-1], q.ByUpdate)
		}
		if q.After.ID != 0 && len(rows) > 0 {
			p.Prev = ListKeyOf(rows[0], q.ByUpdate)
		}
	default: // back, with more before
		rows = rows[1:]
		p.Prev = ListKeyOf(rows[0], q.ByUpdate)
		p.Next = ListKeyOf(rows[len(rows)-1], q.ByUpdate)
	}
	p.Articles = rows
	if p.Total, err = s.Store.CountArticles(ctx, q); err != nil {
		return ListPage{}, fmt.Errorf("count story list: %w", err)
	}
	return p, nil
}

// Figures counts the stories submitted and published in a period, by
// unit, within what u may see (ScopeOf): the desk's 本月统计.
func (s *Service) Figures(ctx context.Context, u model.User, from, to time.Time) ([]store.UnitFigures, error) {
	if !from.Before(to) {
		return nil, model.Invalid("date_range")
	}
	unit, author := ScopeOf(u).Narrow(0, 0)
	return s.Store.Figures(ctx, store.FiguresQuery{From: from, To: to, UnitID: unit, AuthorID: author})
}

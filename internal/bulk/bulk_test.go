package bulk_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"newsdesk/internal/article"
	"newsdesk/internal/bulk"
	"newsdesk/internal/model"
	"newsdesk/internal/slot"
	"newsdesk/internal/store"
	"newsdesk/internal/store/sqlstore"
)

var ctx = context.Background()

type site struct {
	st                            *sqlstore.DB
	svc                           bulk.Service
	news, other                   model.Column
	unit, unit2                   model.Unit
	editor, reviewer, writer, w2  model.User
	published, draft, foreign, wc model.Article
}

func newSite(t *testing.T) *site {
	t.Helper()
	st, err := sqlstore.OpenSQLite(ctx, filepath.Join(t.TempDir(), "newsdesk.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	s := &site{st: st}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	s.news, s.other = model.Column{Slug: "news", Name: "综合新闻"}, model.Column{Slug: "other", Name: "学术动态"}
	must(st.CreateColumn(ctx, &s.news))
	must(st.CreateColumn(ctx, &s.other))
	s.unit, s.unit2 = model.Unit{Name: "研究生院"}, model.Unit{Name: "外语学院"}
	must(st.CreateUnit(ctx, &s.unit))
	must(st.CreateUnit(ctx, &s.unit2))
	mk := func(name string, unit int64, roles ...string) model.User {
		u := model.User{Username: name, Name: name, PasswordHash: "x", Roles: roles, UnitID: unit}
		must(st.CreateUser(ctx, &u))
		return u
	}
	s.editor = mk("editor", 0, model.RoleEditor)
	s.reviewer = mk("reviewer", s.unit.ID, model.RoleReviewer)
	s.writer = mk("writer", s.unit.ID, model.RoleContributor)
	s.w2 = mk("w2", s.unit2.ID, model.RoleContributor)
	arts := &article.Service{Store: st}
	s.svc = bulk.Service{Articles: arts, Slots: &slot.Service{Store: st}}
	story := func(title string, w model.User, status string) model.Article {
		a := model.Article{ColumnID: s.news.ID, Title: title, Body: "<p>正文</p>", Status: status, AuthorID: w.ID, UnitID: w.UnitID}
		if status == model.StatusPublished {
			a.PublishedAt = time.Now().Add(-time.Hour).Truncate(time.Second)
		}
		must(st.CreateArticle(ctx, &a))
		return a
	}
	s.published = story("已发布的稿件", s.writer, model.StatusPublished)
	s.draft = story("草稿", s.writer, model.StatusDraft)
	s.foreign = story("外单位稿件", s.w2, model.StatusPublished)
	s.wc = story("正在更正的稿件", s.writer, model.StatusPublished)
	// A correction under way: a working copy of the published story.
	copyText := s.wc
	copyText.Title = "更正中的标题"
	must(arts.Update(ctx, model.Actor{User: s.editor}, &copyText))
	s.wc, _ = st.Article(ctx, s.wc.ID)
	return s
}

func titles(as []model.Article) []string {
	var out []string
	for _, a := range as {
		out = append(out, a.Title)
	}
	slices.Sort(out)
	return out
}

// The story list shows each role what the desk search would: editors
// everything, the unit reviewer their unit's, a contributor their own —
// whatever unit or author they ask for.
func TestStoryListScopedByRole(t *testing.T) {
	s := newSite(t)
	all := []string{"外单位稿件", "已发布的稿件", "正在更正的稿件", "草稿"}
	mine := []string{"已发布的稿件", "正在更正的稿件", "草稿"}
	for _, c := range []struct {
		who  model.User
		q    store.ListQuery
		want []string
	}{
		{s.editor, store.ListQuery{}, all},
		{s.editor, store.ListQuery{UnitID: s.unit2.ID}, []string{"外单位稿件"}},
		{s.reviewer, store.ListQuery{}, mine},
		{s.reviewer, store.ListQuery{UnitID: s.unit2.ID}, mine},
		{s.writer, store.ListQuery{}, mine},
		{s.writer, store.ListQuery{AuthorID: s.w2.ID}, mine},
		{s.w2, store.ListQuery{}, []string{"外单位稿件"}},
		{s.w2, store.ListQuery{Status: model.StatusDraft}, nil},
	} {
		p, err := s.svc.Articles.List(ctx, c.who, c.q)
		if err != nil {
			t.Fatal(err)
		}
		if got := titles(p.Articles); !slices.Equal(got, c.want) || p.Total != len(c.want) {
			t.Errorf("%s %+v: %v (total %d), want %v", c.who.Username, c.q, got, p.Total, c.want)
		}
	}
	if _, err := s.svc.Articles.List(ctx, s.editor, store.ListQuery{Status: "lost"}); !errors.Is(err, model.ErrInvalid) {
		t.Errorf("unknown state: %v", err)
	}
	day := time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC)
	if _, err := s.svc.Articles.List(ctx, s.editor, store.ListQuery{From: day, To: day}); !errors.Is(err, model.ErrInvalid) {
		t.Errorf("empty date range: %v", err)
	}
}

// Pages of the list link forward and back; a page back that reaches the
// start is the first page, full.
func TestStoryListPagesForwardAndBack(t *testing.T) {
	s := newSite(t)
	for i := range 7 {
		a := model.Article{ColumnID: s.other.ID, Title: fmt.Sprintf("翻页%d", i), Status: model.StatusPublished,
			PublishedAt: time.Date(2025, 3, 1+i, 8, 0, 0, 0, time.UTC)}
		if err := s.st.CreateArticle(ctx, &a); err != nil {
			t.Fatal(err)
		}
	}
	q := store.ListQuery{ColumnIDs: []int64{s.other.ID}, Limit: 3}
	p1, err := s.svc.Articles.List(ctx, s.editor, q)
	if err != nil {
		t.Fatal(err)
	}
	if p1.Prev.ID != 0 || p1.Next.ID == 0 || p1.Total != 7 || len(p1.Articles) != 3 || p1.Articles[0].Title != "翻页6" {
		t.Fatalf("page 1: %v prev %v next %v total %d", titles(p1.Articles), p1.Prev, p1.Next, p1.Total)
	}
	q.After = p1.Next
	p2, _ := s.svc.Articles.List(ctx, s.editor, q)
	q.After = p2.Next
	p3, _ := s.svc.Articles.List(ctx, s.editor, q)
	if len(p3.Articles) != 1 || p3.Next.ID != 0 || p3.Prev.ID == 0 || p3.Articles[0].Title != "翻页0" {
		t.Fatalf("page 3: %v next %v", titles(p3.Articles), p3.Next)
	}
	back := q
	back.After, back.Before = store.ListKey{}, p3.Prev
	b2, _ := s.svc.Articles.List(ctx, s.editor, back)
	if !slices.Equal(titles(b2.Articles), titles(p2.Articles)) || b2.Next != p2.Next {
		t.Fatalf("back from page 3 = %v, want %v", titles(b2.Articles), titles(p2.Articles))
	}
	back.Before = store.ListKey{At: p1.Articles[1].PublishedAt, ID: p1.Articles[1].ID}
	b1, _ := s.svc.Articles.List(ctx, s.editor, back)
	if !slices.Equal(titles(b1.Articles), titles(p1.Articles)) || b1.Prev.ID != 0 {
		t.Fatalf("back to the start = %v (prev %v), want page 1 %v", titles(b1.Articles), b1.Prev, titles(p1.Articles))
	}
	k, err := article.ParseListKey(article.FormatListKey(p1.Next))
	if err != nil || k != p1.Next {
		t.Fatalf("key round trip: %v %v, want %v", k, err, p1.Next)
	}
	for _, bad := range []string{"x", "1-", "-3", "12-0", "1-2-3"} {
		if _, err := article.ParseListKey(bad); !errors.Is(err, model.ErrInvalid) {
			t.Errorf("key %q: %v", bad, err)
		}
	}
}

// audits returns the audit entries of action, newest first.
func audits(t *testing.T, st *sqlstore.DB, action string) []model.AuditEntry {
	t.Helper()
	es, _, err := st.AuditSearch(ctx, store.AuditQuery{Action: action, Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	return es
}

func reasons(rs []bulk.Result) map[int64]error {
	out := map[int64]error{}
	for _, r := range rs {
		out[r.Article.ID] = r.Err
	}
	return out
}

// Withdrawing in bulk withdraws each published story through the
// workflow, audited one by one; a draft, a stale version and a story that
// does not exist are refused with their reason and change nothing.
func TestBulkWithdrawAuditsEachAndReportsRefusals(t *testing.T) {
	s := newSite(t)
	ed := model.Actor{User: s.editor, IP: "127.0.0.1", Via: "desk"}
	rs, err := s.svc.Apply(ctx, ed, bulk.Request{Action: bulk.Withdraw, Comment: "批量撤稿", Items: []bulk.Item{
		{s.published.ID, s.published.Version}, {s.draft.ID, s.draft.Version}, {s.foreign.ID, s.foreign.Version - 1}, {999999, 1}}})
	if err != nil {
		t.Fatal(err)
	}
	got := reasons(rs)
	if got[s.published.ID] != nil || !errors.Is(got[s.draft.ID], model.ErrInvalid) || !errors.Is(got[s.foreign.ID], model.ErrConflict) ||
		!errors.Is(got[999999], model.ErrNotFound) || len(rs) != 4 {
		t.Fatalf("results = %v", got)
	}
	for id, want := range map[int64]string{s.published.ID: model.StatusWithdrawn, s.draft.ID: model.StatusDraft, s.foreign.ID: model.StatusPublished} {
		if a, _ := s.st.Article(ctx, id); a.Status != want {
			t.Errorf("article %d is %s, want %s", id, a.Status, want)
		}
	}
	es := audits(t, s.st, "withdraw")
	if len(es) != 1 || es[0].Target != fmt.Sprintf("article %d", s.published.ID) || es[0].UserID != s.editor.ID || es[0].IP != "127.0.0.1" {
		t.Fatalf("withdraw audit = %+v", es)
	}
}

// Moving in bulk changes each story's column, audited; a story under
// correction, one already there and an unknown column are refused.
func TestBulkMoveToColumn(t *testing.T) {
	s := newSite(t)
	ed := model.Actor{User: s.editor}
	items := []bulk.Item{{s.published.ID, s.published.Version}, {s.draft.ID, s.draft.Version}, {s.wc.ID, s.wc.Version}}
	rs, err := s.svc.Apply(ctx, ed, bulk.Request{Action: bulk.Move, ColumnID: s.other.ID, Items: items})
	if err != nil {
		t.Fatal(err)
	}
	got := reasons(rs)
	var ie *model.InvalidError
	if got[s.published.ID] != nil || got[s.draft.ID] != nil || !errors.As(got[s.wc.ID], &ie) || ie.Code != "move_working_copy" {
		t.Fatalf("results = %v", got)
	}
	for id, want := range map[int64]int64{s.published.ID: s.other.ID, s.draft.ID: s.other.ID, s.wc.ID: s.news.ID} {
		if a, _ := s.st.Article(ctx, id); a.ColumnID != want {
			t.Errorf("article %d in column %d, want %d", id, a.ColumnID, want)
		}
	}
	if es := audits(t, s.st, "move_column"); len(es) != 2 || !strings.Contains(es[0].Detail, s.other.Name) {
		t.Fatalf("move audit = %+v", es)
	}
	// Again: the stories are there already (and their versions moved on).
	pub, _ := s.st.Article(ctx, s.published.ID)
	rs, _ = s.svc.Apply(ctx, ed, bulk.Request{Action: bulk.Move, ColumnID: s.other.ID, Items: []bulk.Item{{pub.ID, pub.Version}, {s.draft.ID, s.draft.Version}}})
	if got := reasons(rs); !errors.As(got[pub.ID], &ie) || ie.Code != "same_column" || !errors.Is(got[s.draft.ID], model.ErrConflict) {
		t.Fatalf("second move = %v", got)
	}
	rs, _ = s.svc.Apply(ctx, ed, bulk.Request{Action: bulk.Move, ColumnID: 424242, Items: []bulk.Item{{pub.ID, pub.Version}}})
	if err := rs[0].Err; !errors.As(err, &ie) || ie.Code != "column_required" {
		t.Fatalf("unknown column: %v", err)
	}
	if _, err := s.svc.Apply(ctx, ed, bulk.Request{Action: bulk.Move, Items: []bulk.Item{{pub.ID, pub.Version}}}); !errors.As(err, &ie) || ie.Code != "column_required" {
		t.Fatalf("no column: %v", err)
	}
}

// Adding to a slot places each published story, audited; a draft is
// refused. Nobody but the news centre acts in bulk.
func TestBulkSlotAndWhoMay(t *testing.T) {
	s := newSite(t)
	ed := model.Actor{User: s.editor}
	rs, err := s.svc.Apply(ctx, ed, bulk.Request{Action: bulk.Slot, Slot: model.SlotFocus, Items: []bulk.Item{{s.published.ID, 0}, {s.draft.ID, 0}}})
	if err != nil {
		t.Fatal(err)
	}
	var ie *model.InvalidError
	if got := reasons(rs); got[s.published.ID] != nil || !errors.As(got[s.draft.ID], &ie) || ie.Code != "slot_unpublished" {
		t.Fatalf("results = %v", got)
	}
	ps, _ := s.st.Placements(ctx, model.SlotFocus)
	if len(ps) != 1 || ps[0].ArticleID != s.published.ID {
		t.Fatalf("focus = %+v", ps)
	}
	if es := audits(t, s.st, "slot"); len(es) != 1 || es[0].Target != fmt.Sprintf("article %d", s.published.ID) {
		t.Fatalf("slot audit = %+v", es)
	}
	for _, who := range []model.User{s.reviewer, s.writer} {
		if _, err := s.svc.Apply(ctx, model.Actor{User: who}, bulk.Request{Action: bulk.Withdraw, Items: []bulk.Item{{s.published.ID, 1}}}); !errors.Is(err, model.ErrForbidden) {
			t.Errorf("%s in bulk: %v", who.Username, err)
		}
	}
	for _, r := range []bulk.Request{
		{Action: "delete", Items: []bulk.Item{{s.published.ID, 1}}},
		{Action: bulk.Withdraw},
		{Action: bulk.Slot, Slot: "nowhere", Items: []bulk.Item{{s.published.ID, 1}}},
		{Action: bulk.Withdraw, Items: make([]bulk.Item, bulk.MaxStories+1)},
	} {
		if _, err := s.svc.Apply(ctx, ed, r); !errors.Is(err, model.ErrInvalid) {
			t.Errorf("%+v: %v", r.Action, err)
		}
	}
	if es := audits(t, s.st, "withdraw"); len(es) != 0 {
		t.Fatalf("refused requests audited: %+v", es)
	}
}

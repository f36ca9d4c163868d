package review_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"newsdesk/internal/article"
	"newsdesk/internal/model"
	"newsdesk/internal/review"
	"newsdesk/internal/store"
	"newsdesk/internal/store/sqlstore"
	"newsdesk/internal/store/sqlstore/pgtest"
)

var ctx = context.Background()

// onBothStores runs fn on a fresh SQLite store and, when a server is
// configured, a fresh PostgreSQL one.
func onBothStores(t *testing.T, fn func(t *testing.T, st store.Store)) {
	t.Run("sqlite", func(t *testing.T) {
		st, err := sqlstore.OpenSQLite(ctx, filepath.Join(t.TempDir(), "newsdesk.db"))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		fn(t, st)
	})
	t.Run("postgres", func(t *testing.T) { fn(t, pgtest.Open(t)) })
}

// site is a newsroom with two units and one of every kind of person.
type site struct {
	st                                store.Store
	arts                              *article.Service
	chains                            *review.Service
	now                               time.Time
	news, campus, sub                 model.Column
	unit, other                       model.Unit
	author, reviewer, otherReviewer   model.User
	editor, chief, proofreader, admin model.User
	stranger                          model.User
}

func newSite(t *testing.T, st store.Store) *site {
	s := &site{st: st, now: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)}
	clock := func() time.Time { return s.now }
	s.arts = &article.Service{Store: st, Now: clock}
	s.chains = &review.Service{Store: st, Now: clock}
	s.news, s.campus = model.Column{Slug: "news", Name: "综合新闻"}, model.Column{Slug: "campus", Name: "校园"}
	for _, c := range []*model.Column{&s.news, &s.campus} {
		if err := st.CreateColumn(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	s.sub = model.Column{Slug: "sub", Name: "院系动态", ParentID: s.news.ID}
	if err := st.CreateColumn(ctx, &s.sub); err != nil {
		t.Fatal(err)
	}
	s.unit, s.other = model.Unit{Name: "研究生院"}, model.Unit{Name: "外语学院"}
	st.CreateUnit(ctx, &s.unit)
	st.CreateUnit(ctx, &s.other)
	mk := func(name string, unitID int64, roles ...string) model.User {
		u := model.User{Username: name, Name: name, PasswordHash: "x", Roles: roles, UnitID: unitID}
		if err := st.CreateUser(ctx, &u); err != nil {
			t.Fatal(err)
		}
		return u
	}
	s.author = mk("author", s.unit.ID, model.RoleContributor)
	s.stranger = mk("stranger", s.unit.ID, model.RoleContributor)
	s.reviewer = mk("reviewer", s.unit.ID, model.RoleReviewer)
	s.otherReviewer = mk("other", s.other.ID, model.RoleReviewer)
	s.editor = mk("editor", 0, model.RoleEditor)
	s.chief = mk("chief", 0, model.RoleChief)
	s.proofreader = mk("proofreader", 0, model.RoleContributor)
	s.admin = mk("admin", 0, model.RoleAdmin)
	return s
}

// fourSteps is the 三审三校 chain of the demo.
func (s *site) fourSteps() []model.ReviewStep {
	return []model.ReviewStep{
		{Name: "单位初审", Kind: model.StepReview, Holders: []string{model.HoldUnit}, DueHours: 24},
		{Name: "编辑复审", Kind: model.StepReview, Holders: []string{model.HoldEditor}},
		{Name: "校对", Kind: model.StepProofread, UserIDs: []int64{s.proofreader.ID}},
		{Name: "总编终审", Kind: model.StepReview, Holders: []string{model.HoldChief}},
	}
}

func as(u model.User) model.Actor { return model.Actor{User: u, IP: "127.0.0.1", Via: "desk"} }

func (s *site) draft(t *testing.T, col model.Column) model.Article {
	t.Helper()
	a := model.Article{ColumnID: col.ID, Title: "稿件", Body: "<p>原文有个错字。</p>"}
	if err := s.arts.Create(ctx, as(s.author), &a); err != nil {
		t.Fatal(err)
	}
	return a
}

// move applies m by u to the story as it is now (its current version
// unless m names one) and fails t unless the outcome is want; a refused
// move must leave the story and the audit log as they were.
func (s *site) move(t *testing.T, id int64, u model.User, m article.Move, want error) model.Article {
	t.Helper()
	cur, err := s.st.Article(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if m.Version == 0 {
		m.Version = cur.Version
	}
	_, before, _ := s.st.Audit(ctx, 1, 0)
	got, err := s.arts.Move(ctx, as(u), id, m)
	if (want == nil && err != nil) || (want != nil && !errors.Is(err, want)) {
		t.Fatalf("%s by %s at step %d: %v, want %v", m.Action, u.Username, cur.Review.Step+1, err, want)
	}
	_, after, _ := s.st.Audit(ctx, 1, 0)
	if want != nil {
		now, _ := s.st.Article(ctx, id)
		if after != before || now.Version != cur.Version || now.Status != cur.Status || now.Review.Step != cur.Review.Step {
			t.Fatalf("refused %s by %s changed something", m.Action, u.Username)
		}
		return now
	}
	if after != before+1 {
		t.Fatalf("%s by %s: %d audit entries added, want 1", m.Action, u.Username, after-before)
	}
	return got
}

func TestChainValidation(t *testing.T) {
	chief := model.User{ID: 1, Roles: []string{model.RoleChief}}
	editor := model.User{ID: 2, Roles: []string{model.RoleEditor}}
	reviewer := model.User{ID: 3, UnitID: 5, Roles: []string{model.RoleReviewer}}
	contributor := model.User{ID: 4, Roles: []string{model.RoleContributor}}
	gone := model.User{ID: 6, Roles: []string{model.RoleEditor}, Disabled: true}
	everyone := []model.User{chief, editor, reviewer, contributor, gone}
	review := func(name string, holders ...string) model.ReviewStep {
		return model.ReviewStep{Name: name, Kind: model.StepReview, Holders: holders}
	}
	named := func(name string, ids ...int64) model.ReviewStep {
		return model.ReviewStep{Name: name, Kind: model.StepProofread, UserIDs: ids}
	}
	cases := []struct {
		name  string
		steps []model.ReviewStep
		users []model.User
		want  string // the InvalidError code, "" when valid
	}{
		{"four steps", []model.ReviewStep{review("单位初审", "unit"), review("编辑复审", "editor"), named("校对", 4), review("总编终审", "chief")}, everyone, ""},
		{"one step by an editor", []model.ReviewStep{review("终审", "editor")}, everyone, ""},
		{"no steps", nil, everyone, "chain_empty"},
		{"too many steps", make([]model.ReviewStep, 11), everyone, "chain_long"},
		{"a step without a name", []model.ReviewStep{review("  ", "editor")}, everyone, "step_name"},
		{"a name too long", []model.ReviewStep{review("审核审核审核审核审核审核审核审核审核审核审核审核审核审核审核审核审核审核审核审核审", "editor")}, everyone, "step_name_long"},
		{"an unknown kind", []model.ReviewStep{{Name: "审", Kind: "sign", Holders: []string{"editor"}}}, everyone, "step_kind"},
		{"an unknown holder", []model.ReviewStep{review("审", "dean")}, everyone, "step_holder"},
		{"nobody named", []model.ReviewStep{{Name: "校对", Kind: model.StepProofread}, review("终审", "editor")}, everyone, "step_no_holder"},
		{"a named user who does not exist", []model.ReviewStep{named("校对", 99), review("终审", "editor")}, everyone, "step_user"},
		{"a named user who is disabled", []model.ReviewStep{named("校对", 6), review("终审", "editor")}, everyone, "step_user"},
		{"no chief on the site", []model.ReviewStep{review("总编终审", "chief")}, []model.User{editor, reviewer}, "step_nobody"},
		{"no unit reviewer nor editor", []model.ReviewStep{review("单位初审", "unit"), review("终审", "editor")}, []model.User{contributor}, "step_nobody"},
		{"the last step by a unit", []model.ReviewStep{review("编辑", "editor"), review("单位终审", "unit")}, everyone, "last_step_publish"},
		{"the last step by a contributor", []model.ReviewStep{review("编辑", "editor"), named("校对", 4)}, everyone, "last_step_publish"},
		{"a due time too long", []model.ReviewStep{{Name: "审", Kind: model.StepReview, Holders: []string{"editor"}, DueHours: 721}}, everyone, "step_due"},
		{"a negative due time", []model.ReviewStep{{Name: "审", Kind: model.StepReview, Holders: []string{"editor"}, DueHours: -1}}, everyone, "step_due"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := reviewValidate(c.steps, c.users)
			var inv *model.InvalidError
			switch {
			case c.want == "" && err != nil:
				t.Errorf("refused: %v", err)
			case c.want != "" && (!errors.As(err, &inv) || inv.Code != c.want):
				t.Errorf("got %v, want invalid %s", err, c.want)
			}
		})
	}
}

func reviewValidate(steps []model.ReviewStep, users []model.User) error {
	return review.Validate(steps, users)
}

// TestSavedChainIsInheritedBySubColumns: a sub-column takes its parent's
// chain until it has its own; removing a chain falls back; a chain that
// cannot complete is refused with nothing saved; only editors save.
func TestSavedChainIsInheritedBySubColumns(t *testing.T) {
	onBothStores(t, func(t *testing.T, st store.Store) {
		s := newSite(t, st)
		if _, err := s.chains.SaveChain(ctx, as(s.author), s.news.ID, s.fourSteps()); !errors.Is(err, model.ErrForbidden) {
			t.Fatalf("a contributor saved a chain: %v", err)
		}
		if _, err := s.chains.SaveChain(ctx, as(s.editor), s.news.ID, s.fourSteps()); err != nil {
			t.Fatal(err)
		}
		sub, err := s.chains.Chain(ctx, s.sub.ID)
		if err != nil {
			t.Fatal(err)
		}
		if sub.Own || sub.From != s.news.ID || len(sub.Steps) != 4 || sub.Steps[3].Name != "总编终审" {
			t.Errorf("sub-column's chain: %+v", sub)
		}
		if c, _ := s.chains.Chain(ctx, s.campus.ID); c.From != 0 || len(c.Steps) != 2 || c.Steps[0].Key != "unit" {
			t.Errorf("an unconfigured column's chain: %+v, want the default", c)
		}
		own := []model.ReviewStep{{Name: "编辑审核", Kind: model.StepReview, Holders: []string{model.HoldEditor}}}
		if _, err := s.chains.SaveChain(ctx, as(s.chief), s.sub.ID, own); err != nil {
			t.Fatal(err)
		}
		if c, _ := s.chains.Chain(ctx, s.sub.ID); !c.Own || len(c.Steps) != 1 {
			t.Errorf("sub-column's own chain: %+v", c)
		}
		_, audits, _ := st.Audit(ctx, 1, 0)
		bad := []model.ReviewStep{{Name: "单位终审", Kind: model.StepReview, Holders: []string{model.HoldUnit}}}
		if _, err := s.chains.SaveChain(ctx, as(s.editor), s.sub.ID, bad); !errors.Is(err, model.ErrInvalid) {
			t.Fatalf("a chain that cannot publish: %v", err)
		}
		if c, _ := s.chains.Chain(ctx, s.sub.ID); len(c.Steps) != 1 || c.Steps[0].Name != "编辑审核" {
			t.Errorf("a refused chain changed the saved one: %+v", c)
		}
		if _, after, _ := st.Audit(ctx, 1, 0); after != audits {
			t.Error("a refused chain was audited")
		}
		if _, err := s.chains.SaveChain(ctx, as(s.editor), s.sub.ID, nil); err != nil {
			t.Fatal(err)
		}
		if c, _ := s.chains.Chain(ctx, s.sub.ID); c.Own || c.From != s.news.ID {
			t.Errorf("after removing its chain: %+v, want the parent's", c)
		}
		entries, _, _ := st.Audit(ctx, 1, 0)
		if entries[0].Action != "review_chain" || entries[0].Target != fmt.Sprintf("column %d", s.sub.ID) || entries[0].Detail != "inherit" {
			t.Errorf("audit: %+v", entries[0])
		}
	})
}

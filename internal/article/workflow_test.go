package article_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"newsdesk/internal/article"
	"newsdesk/internal/model"
	"newsdesk/internal/store/sqlstore"
)

func open(t *testing.T, path string) *sqlstore.DB {
	t.Helper()
	st, err := sqlstore.OpenSQLite(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// Scheduled publishing lives in the store: a schedule made before a
// restart is published by the next process once its time comes.
func TestScheduledPublishingSurvivesRestart(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "newsdesk.db")
	now := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }

	st := open(t, path)
	col := model.Column{Slug: "news", Name: "新闻"}
	if err := st.CreateColumn(ctx, &col); err != nil {
		t.Fatal(err)
	}
	editor := model.User{Username: "editor", Name: "编辑", PasswordHash: "x", Roles: []string{model.RoleEditor}}
	if err := st.CreateUser(ctx, &editor); err != nil {
		t.Fatal(err)
	}
	svc := &article.Service{Store: st, Now: clock}
	actor := model.Actor{User: editor}
	a := model.Article{ColumnID: col.ID, Title: "定时发布的稿件"}
	if err := svc.Create(ctx, actor, &a); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Transition(ctx, actor, a.ID, a.Version, article.ActionSchedule, "", now.Add(-time.Minute)); !errors.Is(err, model.ErrInvalid) {
		t.Fatalf("schedule in the past: %v", err)
	}
	at := now.Add(30 * time.Minute)
	if _, err := svc.Transition(ctx, actor, a.ID, a.Version, article.ActionSchedule, "", at); err != nil {
		t.Fatal(err)
	}
	if n, _ := svc.PublishDue(ctx); n != 0 {
		t.Fatalf("published %d before its time", n)
	}
	st.Close() // the server stops

	now = at.Add(20 * time.Second)
	st = open(t, path)
	defer st.Close()
	svc = &article.Service{Store: st, Now: clock}
	n, err := svc.PublishDue(ctx)
	if err != nil || n != 1 {
		t.Fatalf("after restart: published %d, %v", n, err)
	}
	got, _ := st.Article(ctx, a.ID)
	if got.Status != model.StatusPublished || !got.PublishedAt.Equal(at) {
		t.Errorf("status %s at %v, want published at %v", got.Status, got.PublishedAt, at)
	}
	if n, _ := svc.PublishDue(ctx); n != 0 {
		t.Errorf("published again: %d", n)
	}
	// The system's publication is in the audit log, as the system.
	entries, _, err := st.Audit(ctx, 10, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) == 0 || entries[0].Action != "scheduled_publish" || entries[0].UserID != 0 || entries[0].Target != fmt.Sprintf("article %d", a.ID) {
		t.Errorf("newest audit entry %+v, want the scheduled publication by the system", entries)
	}
}

func TestTransitionRules(t *testing.T) {
	ctx := context.Background()
	st := open(t, filepath.Join(t.TempDir(), "newsdesk.db"))
	defer st.Close()
	col := model.Column{Slug: "news", Name: "新闻"}
	st.CreateColumn(ctx, &col)
	unit, other := model.Unit{Name: "研究生院"}, model.Unit{Name: "外语学院"}
	st.CreateUnit(ctx, &unit)
	st.CreateUnit(ctx, &other)
	mk := func(name string, unitID int64, roles ...string) model.User {
		u := model.User{Username: name, Name: name, PasswordHash: "x", Roles: roles, UnitID: unitID}
		if err := st.CreateUser(ctx, &u); err != nil {
			t.Fatal(err)
		}
		return u
	}
	author := mk("author", unit.ID, model.RoleContributor)
	stranger := mk("stranger", unit.ID, model.RoleContributor)
	reviewer := mk("reviewer", unit.ID, model.RoleReviewer)
	otherReviewer := mk("other", other.ID, model.RoleReviewer)
	editor := mk("editor", 0, model.RoleEditor)
	svc := &article.Service{Store: st}
	a := model.Article{ColumnID: col.ID, Title: "稿件"}
	if err := svc.Create(ctx, model.Actor{User: author}, &a); err != nil {
		t.Fatal(err)
	}
	if a.AuthorID != author.ID || a.UnitID != unit.ID || a.Status != model.StatusDraft {
		t.Fatalf("created story: author %d unit %d %s, want the actor's own draft", a.AuthorID, a.UnitID, a.Status)
	}
	step := func(u model.User, action, comment string, want error) {
		t.Helper()
		cur, _ := st.Article(ctx, a.ID)
		_, before, _ := st.Audit(ctx, 1, 0)
		_, err := svc.Transition(ctx, model.Actor{User: u, IP: "127.0.0.1", Via: "desk"}, a.ID, cur.Version, action, comment, time.Time{})
		if (want == nil && err != nil) || (want != nil && !errors.Is(err, want)) {
			t.Fatalf("%s by %s: %v, want %v", action, u.Username, err, want)
		}
		entries, after, _ := st.Audit(ctx, 1, 0)
		switch {
		case want != nil && after != before:
			t.Fatalf("refused %s by %s left an audit entry", action, u.Username)
		case want == nil && (after != before+1 || entries[0].Action != action || entries[0].UserID != u.ID || entries[0].IP != "127.0.0.1" || entries[0].Via != "desk"):
			t.Fatalf("%s by %s: audit %+v (%d → %d entries)", action, u.Username, entries, before, after)
		}
	}
	step(stranger, article.ActionSubmit, "", article.ErrForbidden)
	step(author, article.ActionApprove, "", article.ErrForbidden)
	step(author, article.ActionSubmit, "", nil)
	step(author, article.ActionSubmit, "", model.ErrInvalid) // already submitted
	step(otherReviewer, article.ActionApprove, "", article.ErrForbidden)
	step(reviewer, article.ActionReject, "", model.ErrInvalid) // comment required
	step(reviewer, article.ActionApprove, "", nil)
	step(reviewer, article.ActionPublish, "", article.ErrForbidden)
	step(editor, article.ActionPublish, "", nil)
	step(editor, article.ActionWithdraw, "", nil)
	step(editor, article.ActionPublish, "", nil) // republished
	// A stale version is a conflict, not a silent overwrite.
	if _, err := svc.Transition(ctx, model.Actor{User: editor}, a.ID, 1, article.ActionWithdraw, "", time.Time{}); !errors.Is(err, model.ErrConflict) {
		t.Errorf("stale version: %v", err)
	}
	cur, _ := st.Article(ctx, a.ID)
	if !article.CanView(reviewer, cur) || article.CanView(otherReviewer, cur) || article.CanEdit(author, cur) || !article.CanEdit(editor, cur) {
		t.Error("view/edit rules for a published story")
	}
}

// TestOnlyTheNewsCentreNamesTheResponsibleEditor: 责任编辑 is set by
// editors; a contributor's form cannot set or change it, and a reviewer
// may not create stories at all.
func TestOnlyTheNewsCentreNamesTheResponsibleEditor(t *testing.T) {
	ctx := context.Background()
	st := open(t, filepath.Join(t.TempDir(), "newsdesk.db"))
	defer st.Close()
	col := model.Column{Slug: "news", Name: "新闻"}
	st.CreateColumn(ctx, &col)
	mk := func(name string, roles ...string) model.Actor {
		u := model.User{Username: name, Name: name, PasswordHash: "x", Roles: roles}
		if err := st.CreateUser(ctx, &u); err != nil {
			t.Fatal(err)
		}
		return model.Actor{User: u}
	}
	contributor, reviewer, editor := mk("c", model.RoleContributor), mk("r", model.RoleReviewer), mk("e", model.RoleEditor)
	svc := &article.Service{Store: st}
	a := model.Article{ColumnID: col.ID, Title: "稿件", Credits: model.Credits{Editor: "冒名"}}
	if err := svc.Create(ctx, contributor, &a); err != nil {
		t.Fatal(err)
	}
	if a.Credits.Editor != "" {
		t.Errorf("contributor set 责任编辑 %q on create", a.Credits.Editor)
	}
	if err := svc.Create(ctx, reviewer, &model.Article{ColumnID: col.ID, Title: "审核员的稿件"}); !errors.Is(err, model.ErrForbidden) {
		t.Errorf("reviewer created a story: %v", err)
	}
	a.Credits.Editor = "张编辑"
	if err := svc.Update(ctx, editor, &a); err != nil {
		t.Fatal(err)
	}
	a.Credits.Editor, a.Title = "冒名", "改过的稿件"
	if err := svc.Update(ctx, contributor, &a); err != nil {
		t.Fatal(err)
	}
	got, _ := st.Article(ctx, a.ID)
	if got.Credits.Editor != "张编辑" || got.Title != "改过的稿件" {
		t.Errorf("after the contributor's save: 责任编辑 %q, title %q", got.Credits.Editor, got.Title)
	}
	// A published story stays published whatever a save says.
	if _, err := svc.Transition(ctx, editor, a.ID, got.Version, article.ActionPublish, "", time.Time{}); err != nil {
		t.Fatal(err)
	}
	got, _ = st.Article(ctx, a.ID)
	got.Status = model.StatusDraft
	if err := svc.Update(ctx, editor, &got); err != nil {
		t.Fatal(err)
	}
	if after, _ := st.Article(ctx, a.ID); after.Status != model.StatusPublished {
		t.Errorf("a save changed the state to %s", after.Status)
	}
}

// TestScopeNeverWidens: within their scope users may filter further, but a
// unit reviewer never sees another unit and a contributor never another's
// stories, whatever they ask for.
func TestScopeNeverWidens(t *testing.T) {
	editor := model.User{ID: 1, Roles: []string{model.RoleEditor}}
	reviewer := model.User{ID: 2, UnitID: 7, Roles: []string{model.RoleReviewer}}
	contributor := model.User{ID: 3, UnitID: 7, Roles: []string{model.RoleContributor}}
	cases := []struct {
		u                    model.User
		unit, author         int64
		wantUnit, wantAuthor int64
	}{
		{editor, 0, 0, 0, 0},
		{editor, 9, 4, 9, 4},
		{reviewer, 9, 0, 7, 0},
		{reviewer, 0, 3, 7, 3},
		{contributor, 9, 4, 0, 3},
	}
	for _, c := range cases {
		unit, author := article.ScopeOf(c.u).Narrow(c.unit, c.author)
		if unit != c.wantUnit || author != c.wantAuthor {
			t.Errorf("%v asks unit %d author %d: got %d/%d, want %d/%d", c.u.Roles, c.unit, c.author, unit, author, c.wantUnit, c.wantAuthor)
		}
	}
}

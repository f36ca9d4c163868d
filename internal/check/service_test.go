package check_test

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"newsdesk/internal/article"
	"newsdesk/internal/check"
	"newsdesk/internal/model"
	"newsdesk/internal/store"
	"newsdesk/internal/store/sqlstore"
)

type site struct {
	st                  store.Store
	checks              *check.Service
	articles            *article.Service
	editor, contributor model.Actor
	col                 model.Column
}

func newSite(t *testing.T, st store.Store) site {
	t.Helper()
	ctx := context.Background()
	s := site{st: st, checks: &check.Service{Store: st}}
	s.articles = &article.Service{Store: st, Checks: s.checks}
	s.col = model.Column{Slug: "news", Name: "新闻"}
	if err := st.CreateColumn(ctx, &s.col); err != nil {
		t.Fatal(err)
	}
	for _, u := range []struct {
		actor *model.Actor
		name  string
		role  string
	}{{&s.editor, "editor", model.RoleEditor}, {&s.contributor, "writer", model.RoleContributor}} {
		usr := model.User{Username: u.name, Name: u.name, PasswordHash: "x", Roles: []string{u.role}}
		if err := st.CreateUser(ctx, &usr); err != nil {
			t.Fatal(err)
		}
		*u.actor = model.Actor{User: usr, IP: "127.0.0.1", Via: "test"}
	}
	return s
}

func openSQLite(t *testing.T) store.Store {
	st, err := sqlstore.OpenSQLite(context.Background(), filepath.Join(t.TempDir(), "newsdesk.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func TestPublishingIsRefusedOnABlockFindingThenAllowedAfterTheFix(t *testing.T) {
	ctx := context.Background()
	s := newSite(t, openSQLite(t))
	if _, err := s.checks.Save(ctx, s.editor, check.KindWords, "示例敏感词 | 示例 | block\n", false); err != nil {
		t.Fatal(err)
	}
	a := model.Article{ColumnID: s.col.ID, Title: "开班仪式", Body: "<p>会上出现了示例 敏感词。</p>"}
	if err := s.articles.Create(ctx, s.editor, &a); err != nil {
		t.Fatal(err)
	}
	_, err := s.articles.Transition(ctx, s.editor, a.ID, a.Version, article.ActionPublish, "", time.Time{})
	var ie *model.InvalidError
	if !errors.As(err, &ie) || ie.Code != "check_blocked" || !strings.Contains(ie.Args[0].(string), "示例 敏感词") {
		t.Fatalf("publish with a block finding: %v, want check_blocked naming it", err)
	}
	if got, _ := s.st.Article(ctx, a.ID); got.Status != model.StatusDraft {
		t.Fatalf("refused, yet the story is %s", got.Status)
	}
	a.Body = "<p>会上出现了示例词。</p>"
	if err := s.articles.Update(ctx, s.editor, &a); err != nil {
		t.Fatal(err)
	}
	if _, err := s.articles.Transition(ctx, s.editor, a.ID, a.Version, article.ActionPublish, "", time.Time{}); err != nil {
		t.Fatalf("publish after the fix: %v", err)
	}
}

func TestWarnFindingNeedsAnAcknowledgementWithReasonKeptInTheHistory(t *testing.T) {
	ctx := context.Background()
	s := newSite(t, openSQLite(t))
	a := model.Article{ColumnID: s.col.ID, Title: "讲座通知", Body: "<p>既使下雨，讲座照常举行。</p>"}
	if err := s.articles.Create(ctx, s.contributor, &a); err != nil {
		t.Fatal(err)
	}
	_, err := s.articles.Transition(ctx, s.contributor, a.ID, a.Version, article.ActionSubmit, "", time.Time{})
	var ie *model.InvalidError
	if !errors.As(err, &ie) || ie.Code != "check_unacknowledged" || !strings.Contains(ie.Args[0].(string), "既使") {
		t.Fatalf("submit with a warn finding: %v, want check_unacknowledged", err)
	}
	if _, err := s.checks.Acknowledge(ctx, s.contributor, a.ID, a.Version, "  "); !errors.Is(err, model.ErrInvalid) {
		t.Errorf("acknowledged without a reason: %v", err)
	}
	ack, err := s.checks.Acknowledge(ctx, s.contributor, a.ID, a.Version, "引用原话，保留")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.articles.Transition(ctx, s.contributor, a.ID, a.Version, article.ActionSubmit, "", time.Time{}); err != nil {
		t.Fatalf("submit after the acknowledgement: %v", err)
	}
	_, r, err := s.checks.Article(ctx, s.editor, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Acks) != 1 || r.Acks[0].Reason != "引用原话，保留" || r.Acks[0].UserID != s.contributor.User.ID || r.Acks[0].At.IsZero() ||
		!strings.Contains(r.Acks[0].Findings, "既使") || r.Acks[0].ID != ack.ID {
		t.Errorf("the story's history: %+v", r.Acks)
	}
	entries, _, err := s.st.AuditSearch(ctx, store.AuditQuery{Limit: 50})
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, e := range entries {
		if e.Action == "check_ack" && e.UserID == s.contributor.User.ID && strings.Contains(e.Detail, "引用原话") {
			found = true
		}
	}
	if !found {
		t.Errorf("no audit entry for the acknowledgement: %+v", entries)
	}
}

func TestRuleEditsAreRefusedWhenBadVersionedAndAudited(t *testing.T) {
	ctx := context.Background()
	s := newSite(t, openSQLite(t))
	if _, err := s.checks.Save(ctx, s.contributor, check.KindWords, "词\n", false); !errors.Is(err, model.ErrForbidden) {
		t.Errorf("a contributor edited the rules: %v", err)
	}
	list := "示例敏感词 | 示例 | block\n - \n测试词 | 示例 | sometimes\n另一词\n"
	_, err := s.checks.Save(ctx, s.editor, check.KindWords, list, false)
	var bad *check.BadLines
	if !errors.As(err, &bad) || len(bad.Lines) != 2 || bad.Lines[0].Line != 2 || bad.Lines[1].Line != 3 || !errors.Is(err, model.ErrInvalid) {
		t.Fatalf("bad lines: %v %+v", err, bad)
	}
	if lists, _ := s.checks.Lists(ctx); lists[check.KindWords].Version != 0 {
		t.Fatalf("an unconfirmed import with bad lines was saved: %+v", lists[check.KindWords])
	}
	l, err := s.checks.Save(ctx, s.editor, check.KindWords, list, true)
	if err != nil {
		t.Fatal(err)
	}
	if l.Version != 1 || strings.Contains(l.Body, "sometimes") || !strings.Contains(l.Body, "另一词") {
		t.Errorf("confirmed import kept %q (version %d)", l.Body, l.Version)
	}
	fs, err := s.checks.Text(ctx, s.contributor, "这是另一词")
	if err != nil || len(fs) != 1 || fs[0].Text != "另一词" {
		t.Errorf("the saved list is not in force: %+v %v", fs, err)
	}
	if _, err := s.checks.Save(ctx, s.editor, check.KindWords, "示例敏感词\n", false); err != nil {
		t.Fatal(err)
	}
	if fs, _ := s.checks.Text(ctx, s.contributor, "这是另一词"); len(fs) != 0 {
		t.Errorf("a word taken out still matches: %+v", fs)
	}
	versions, err := s.checks.Versions(ctx, s.editor, check.KindWords)
	if err != nil || len(versions) != 2 || versions[1].Body != l.Body {
		t.Errorf("versions: %+v %v", versions, err)
	}
	entries, _, _ := s.st.AuditSearch(ctx, store.AuditQuery{Limit: 50})
	var audited []string
	for _, e := range entries {
		if e.Action == "check_rules" {
			audited = append(audited, e.Target+": "+e.Detail)
		}
	}
	if len(audited) != 2 || !strings.Contains(audited[1], "version 1: 2 rules, 2 lines left out") {
		t.Errorf("audit of rule edits: %q", audited)
	}
}

package annotation_test

import (
	"context"
	"errors"
	"path/filepath"
	"testing"

	"newsdesk/internal/annotation"
	"newsdesk/internal/article"
	"newsdesk/internal/model"
	"newsdesk/internal/store"
	"newsdesk/internal/store/sqlstore"
)

type fixture struct {
	st                        *sqlstore.DB
	arts                      *article.Service
	notes                     *annotation.Service
	author, reviewer, outside model.Actor
	story                     model.Article
}

func setup(t *testing.T) *fixture {
	t.Helper()
	ctx := context.Background()
	st, err := sqlstore.OpenSQLite(ctx, filepath.Join(t.TempDir(), "newsdesk.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	unit, other := model.Unit{Name: "化学院"}, model.Unit{Name: "外语学院"}
	col := model.Column{Slug: "news", Name: "新闻"}
	for _, err := range []error{st.CreateUnit(ctx, &unit), st.CreateUnit(ctx, &other), st.CreateColumn(ctx, &col)} {
		if err != nil {
			t.Fatal(err)
		}
	}
	user := func(name, role string, unit int64) model.Actor {
		u := model.User{Username: name, Name: name, PasswordHash: "x", Roles: []string{role}, UnitID: unit}
		if err := st.CreateUser(ctx, &u); err != nil {
			t.Fatal(err)
		}
		return model.Actor{User: u, IP: "127.0.0.1", Via: "test"}
	}
	f := &fixture{st: st, arts: &article.Service{Store: st}, notes: &annotation.Service{Store: st},
		author: user("通讯员", model.RoleContributor, unit.ID), reviewer: user("审核人", model.RoleReviewer, unit.ID), outside: user("外单位", model.RoleContributor, other.ID)}
	f.story = model.Article{ColumnID: col.ID, Title: "批注测试",
		Body: "<p>化学院举办学术论坛。</p><p>论坛邀请了三位专家。会议在报告厅举行。</p><p>与会者讨论了学术论坛的未来。</p>"}
	if err := f.arts.Create(ctx, f.author, &f.story); err != nil {
		t.Fatal(err)
	}
	return f
}

func (f *fixture) edit(t *testing.T, body string) {
	t.Helper()
	a, err := f.st.Article(context.Background(), f.story.ID)
	if err != nil {
		t.Fatal(err)
	}
	a.Body = body
	if err := f.arts.Update(context.Background(), f.author, &a); err != nil {
		t.Fatal(err)
	}
}

func (f *fixture) thread(t *testing.T, id int64) annotation.Thread {
	t.Helper()
	ths, err := f.notes.List(context.Background(), f.author.User, f.story.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, th := range ths {
		if th.ID == id {
			return th
		}
	}
	t.Fatalf("annotation %d not listed", id)
	return annotation.Thread{}
}

// TestAnnotationSurvivesAnEditElsewhereAndReportsItsPassageGone: a
// passage that occurs twice is told apart by the text around it; an edit
// before it moves it and it is found again; once its own words are
// rewritten it is reported gone, and kept.
func TestAnnotationSurvivesAnEditElsewhereAndReportsItsPassageGone(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	text := annotation.Plain(f.story.Body)
	// "学术论坛" occurs in the first and the third paragraph; the reviewer
	// selected the second one (its context says so, the position is off).
	n, err := f.notes.Create(ctx, f.reviewer, f.story.ID, model.Annotation{Quote: "学术论坛", Prefix: "讨论了", Suffix: "的未来", Position: 3, Body: "请写明论坛全称"})
	if err != nil {
		t.Fatal(err)
	}
	if got := string(text[n.Position : n.Position+4]); got != "学术论坛" || n.Position < 20 {
		t.Fatalf("anchored at %d (%q), want the second occurrence", n.Position, got)
	}
	f.edit(t, "<p>重庆大学化学院于十一月五日举办学术论坛。</p><p>论坛邀请了三位专家。会议在报告厅举行。</p><p>与会者讨论了学术论坛的未来。</p>")
	th := f.thread(t, n.ID)
	now := annotation.Plain("<p>重庆大学化学院于十一月五日举办学术论坛。</p><p>论坛邀请了三位专家。会议在报告厅举行。</p><p>与会者讨论了学术论坛的未来。</p>")
	if !th.Found || string(now[th.Start:th.End]) != "学术论坛" || string(now[th.Start-3:th.Start]) != "讨论了" {
		t.Fatalf("after an edit elsewhere: %+v", th)
	}
	f.edit(t, "<p>重庆大学化学院于十一月五日举办学术论坛。</p><p>论坛邀请了三位专家。</p><p>与会者展望了明年的合作。</p>")
	if th := f.thread(t, n.ID); th.Found {
		t.Fatalf("its passage was rewritten, yet it is found at %d", th.Start)
	}
	if th := f.thread(t, n.ID); th.Quote != "学术论坛" || th.Body != "请写明论坛全称" {
		t.Fatalf("the annotation is not kept: %+v", th)
	}
}

// TestAnnotationRepliesResolutionAndWhoMay: the author answers and
// resolves the reviewer's annotation; someone who may not see the story
// may do neither; a passage not in the text, a reply to a reply and an
// empty comment are refused; each change is audited.
func TestAnnotationRepliesResolutionAndWhoMay(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	n, err := f.notes.Create(ctx, f.reviewer, f.story.ID, model.Annotation{Quote: "三位 专家", Body: "请列出专家姓名"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.notes.Create(ctx, f.reviewer, f.story.ID, model.Annotation{Quote: "不在正文里的话", Body: "x"}); !errors.Is(err, model.ErrInvalid) {
		t.Fatalf("a passage not in the text: %v", err)
	}
	if _, err := f.notes.Create(ctx, f.outside, f.story.ID, model.Annotation{Quote: "三位专家", Body: "x"}); !errors.Is(err, model.ErrForbidden) {
		t.Fatalf("someone of another unit: %v", err)
	}
	r, err := f.notes.Reply(ctx, f.author, f.story.ID, n.ID, "张三、李四、王五")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.notes.Reply(ctx, f.reviewer, f.story.ID, r.ID, "好"); !errors.Is(err, model.ErrInvalid) {
		t.Fatalf("a reply to a reply: %v", err)
	}
	if _, err := f.notes.Reply(ctx, f.reviewer, f.story.ID, n.ID, "  "); !errors.Is(err, model.ErrInvalid) {
		t.Fatalf("an empty reply: %v", err)
	}
	if err := f.notes.Resolve(ctx, f.outside, f.story.ID, n.ID); !errors.Is(err, model.ErrForbidden) {
		t.Fatalf("resolve by someone of another unit: %v", err)
	}
	if err := f.notes.Resolve(ctx, f.author, f.story.ID, n.ID); err != nil {
		t.Fatal(err)
	}
	th := f.thread(t, n.ID)
	if len(th.Replies) != 1 || th.Replies[0].Body != "张三、李四、王五" || th.ResolvedBy != f.author.User.ID || th.ResolvedAt.IsZero() || !th.Found {
		t.Fatalf("thread: %+v", th)
	}
	for _, action := range []string{"annotate", "annotation_reply", "annotation_resolve"} {
		es, _, err := f.st.AuditSearch(ctx, store.AuditQuery{Action: action})
		if err != nil || len(es) != 1 {
			t.Errorf("audit %s: %d entries, %v", action, len(es), err)
		}
	}
}

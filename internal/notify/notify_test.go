package notify_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/mail"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"newsdesk/internal/article"
	"newsdesk/internal/i18n"
	"newsdesk/internal/job"
	newsmail "newsdesk/internal/mail"
	"newsdesk/internal/mail/mailpittest"
	"newsdesk/internal/model"
	"newsdesk/internal/notify"
	"newsdesk/internal/review"
	"newsdesk/internal/store/sqlstore"
)

type site struct {
	db                       *sqlstore.DB
	articles                 *article.Service
	notify                   *notify.Service
	outbox                   *newsmail.Outbox
	jobs                     *job.Runner
	author, reviewer, editor model.User
	authorMail, reviewerMail string
	col                      model.Column
	unit                     model.Unit
}

func newSite(t *testing.T, mp mailpittest.Mailpit) *site {
	t.Helper()
	ctx := context.Background()
	db, err := sqlstore.OpenSQLite(ctx, filepath.Join(t.TempDir(), "db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	cat, _ := i18n.Load()
	s := &site{db: db}
	s.outbox = &newsmail.Outbox{Store: db, Catalog: cat, MaxAttempts: 3,
		Sender: &newsmail.Server{Host: mp.Host, Port: mp.Port, From: mail.Address{Name: "新闻中心", Address: "news@example.edu"}}}
	s.notify = &notify.Service{Store: db, Mail: s.outbox, Catalog: cat, DeskURL: "http://127.0.0.1:8080"}
	s.articles = &article.Service{Store: db, Transitioned: s.notify.Transitioned}
	s.jobs = job.New(db, slog.New(slog.NewTextHandler(io.Discard, nil)), map[string]job.Handler{model.JobMail: s.outbox.Deliver})
	s.unit = model.Unit{Name: "机械学院"}
	must(t, db.CreateUnit(ctx, &s.unit))
	s.col = model.Column{Slug: "news", Name: "综合新闻"}
	must(t, db.CreateColumn(ctx, &s.col))
	s.author = model.User{Username: "author", Name: "通讯员小王", PasswordHash: "x", Roles: []string{model.RoleContributor}, UnitID: s.unit.ID}
	s.reviewer = model.User{Username: "reviewer", Name: "李老师", PasswordHash: "x", Roles: []string{model.RoleReviewer}, UnitID: s.unit.ID}
	s.editor = model.User{Username: "editor", Name: "编辑", PasswordHash: "x", Roles: []string{model.RoleEditor}}
	for _, u := range []*model.User{&s.author, &s.reviewer, &s.editor} {
		must(t, db.CreateUser(ctx, u))
	}
	s.authorMail, s.reviewerMail = mailpittest.Unique(t, "author"), mailpittest.Unique(t, "reviewer")
	must(t, s.notify.SetAddress(ctx, model.Actor{User: s.author}, s.authorMail, ""))
	must(t, s.notify.SetAddress(ctx, model.Actor{User: s.reviewer}, s.reviewerMail, i18n.ZH))
	return s
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func (s *site) submit(t *testing.T) model.Article {
	t.Helper()
	ctx := context.Background()
	a := model.Article{ColumnID: s.col.ID, Title: "机械学院举办科技节"}
	must(t, s.articles.Create(ctx, model.Actor{User: s.author}, &a))
	a, err := s.articles.Transition(ctx, model.Actor{User: s.author}, a.ID, a.Version, article.ActionSubmit, "", time.Time{})
	must(t, err)
	return a
}

func TestStepArrivingNotifiesItsHoldersInTheDeskAndByMail(t *testing.T) {
	mp := mailpittest.Open(t)
	s := newSite(t, mp)
	ctx := context.Background()
	a := s.submit(t)
	list, unread, err := s.notify.List(ctx, model.Actor{User: s.reviewer}, 10)
	must(t, err)
	if unread != 1 || len(list) != 1 || list[0].Kind != notify.KindStep || list[0].ArticleID != a.ID || list[0].Title != a.Title || list[0].Detail != "待单位审核" {
		t.Fatalf("the unit's reviewer: %d %+v", unread, list)
	}
	if _, n, _ := s.notify.List(ctx, model.Actor{User: s.editor}, 10); n != 0 {
		t.Errorf("the editor was told of a step that is the unit's: %d", n)
	}
	s.jobs.RunDue(ctx)
	got := mp.Wait(t, s.reviewerMail, 1)
	if got.Subject != "待您审核：机械学院举办科技节" || !strings.Contains(got.Text, "/desk/articles/") || got.To[0].Name != "李老师" {
		t.Errorf("mail to the reviewer: %q %q", got.Subject, got.Text)
	}
	// Approved: the editors' turn; the editor has no address, so only the desk.
	a, err = s.articles.Transition(ctx, model.Actor{User: s.reviewer}, a.ID, a.Version, article.ActionApprove, "", time.Time{})
	must(t, err)
	if list, n, _ := s.notify.List(ctx, model.Actor{User: s.editor}, 10); n != 1 || list[0].Detail != "待编辑审核" {
		t.Errorf("the editor after unit approval: %d %+v", n, list)
	}
	must(t, s.notify.MarkRead(ctx, model.Actor{User: s.reviewer}, list[0].ID))
	if n, _ := s.notify.Unread(ctx, model.Actor{User: s.reviewer}); n != 0 {
		t.Errorf("unread after reading: %d", n)
	}
}

func TestReturnedStoryNotifiesItsAuthorWithTheComment(t *testing.T) {
	mp := mailpittest.Open(t)
	s := newSite(t, mp)
	ctx := context.Background()
	a := s.submit(t)
	_, err := s.articles.Transition(ctx, model.Actor{User: s.reviewer}, a.ID, a.Version, article.ActionReturn, "图片缺少署名", time.Time{})
	must(t, err)
	list, _, _ := s.notify.List(ctx, model.Actor{User: s.author}, 10)
	if len(list) != 1 || list[0].Kind != notify.KindReturned || list[0].Detail != "图片缺少署名" {
		t.Fatalf("the author: %+v", list)
	}
	s.jobs.RunDue(ctx)
	got := mp.Wait(t, s.authorMail, 1)
	if got.Subject != "稿件被退回：机械学院举办科技节" || !strings.Contains(got.Text, "意见：图片缺少署名") {
		t.Errorf("mail to the author: %q %q", got.Subject, got.Text)
	}
}

func TestMailServerDownNeverBlocksTheWorkflow(t *testing.T) {
	mp := mailpittest.Open(t)
	s := newSite(t, mp)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	must(t, err)
	host, port, _ := net.SplitHostPort(l.Addr().String())
	l.Close()
	s.outbox.Sender = &newsmail.Server{Host: host, Port: port, From: mail.Address{Address: "news@example.edu"}}
	a := s.submit(t) // succeeds although the server refuses
	if a.Status != model.StatusSubmitted {
		t.Fatalf("status %s", a.Status)
	}
	ctx := context.Background()
	if _, err := s.jobs.RunDue(ctx); err != nil {
		t.Fatal(err)
	}
	m, _, _ := s.db.MailList(ctx, 10, 0)
	if len(m) != 1 || m[0].Status != model.MailQueued || m[0].LastError == "" {
		t.Errorf("the mail waits for its retry: %+v", m)
	}
}

func TestMailAddressesAreChecked(t *testing.T) {
	for _, bad := range []string{"wang", "wang@", "王 <wang@example.edu>", "wang@localhost", "a b@example.edu"} {
		if _, err := newsmail.CheckAddress(bad); !errors.Is(err, model.ErrInvalid) {
			t.Errorf("%q accepted", bad)
		}
	}
	for _, good := range []string{"wang@example.edu", " li.si+news@mail.cqu.edu.cn "} {
		if _, err := newsmail.CheckAddress(good); err != nil {
			t.Errorf("%q refused: %v", good, err)
		}
	}
}

// TestOverdueStepTellsItsHoldersOnce: a step due 24 h after it arrives
// is reported to its holders (in the desk and by mail) once the time has
// passed, and only once however often the check runs.
func TestOverdueStepTellsItsHoldersOnce(t *testing.T) {
	mp := mailpittest.Open(t)
	s := newSite(t, mp)
	ctx := context.Background()
	reviews := &review.Service{Store: s.db}
	steps := []model.ReviewStep{{Name: "单位初审", Kind: model.StepReview, Holders: []string{model.HoldUnit}, DueHours: 24},
		{Name: "总编终审", Kind: model.StepReview, Holders: []string{model.HoldEditor}}}
	if _, err := reviews.SaveChain(ctx, model.Actor{User: s.editor}, s.col.ID, steps); err != nil {
		t.Fatal(err)
	}
	a := s.submit(t)
	s.jobs.RunDue(ctx) // the arrival's mail
	if n, err := s.notify.Overdue(ctx); err != nil || n != 0 {
		t.Fatalf("before the due time: %d %v", n, err)
	}
	later := time.Now().Add(25 * time.Hour)
	s.notify.Now = func() time.Time { return later }
	for i, want := range []int{1, 0} {
		if n, err := s.notify.Overdue(ctx); err != nil || n != want {
			t.Fatalf("check %d after the due time: %d steps reported (%v), want %d", i+1, n, err, want)
		}
	}
	list, _, _ := s.notify.List(ctx, model.Actor{User: s.reviewer}, 10)
	overdue := 0
	for _, n := range list {
		if n.Kind == notify.KindOverdue && n.ArticleID == a.ID && n.Detail == "单位初审" {
			overdue++
		}
	}
	if overdue != 1 {
		t.Errorf("overdue notifications: %d, want 1: %+v", overdue, list)
	}
	s.jobs.Now = func() time.Time { return later }
	s.jobs.RunDue(ctx)
	if got := mp.Wait(t, s.reviewerMail, 2); got.Subject != "审核已超时：机械学院举办科技节" || !strings.Contains(got.Text, "在「单位初审」已超过处理时限") {
		t.Errorf("overdue mail: %q %q", got.Subject, got.Text)
	}
}

// TestNotificationsFollowTheChain: on a column's own chain each step's
// holders hear of the story as it arrives (a named proofreader, then the
// chief), nobody else does; a return to an earlier step is an arrival
// there again, however soon it comes; a return to the author carries the
// preset reason with the comment.
func TestNotificationsFollowTheChain(t *testing.T) {
	mp := mailpittest.Open(t)
	s := newSite(t, mp)
	ctx := context.Background()
	proof := model.User{Username: "proof", Name: "校对员", PasswordHash: "x", Roles: []string{model.RoleEditor}}
	chief := model.User{Username: "chief", Name: "总编", PasswordHash: "x", Roles: []string{model.RoleChief}}
	must(t, s.db.CreateUser(ctx, &proof))
	must(t, s.db.CreateUser(ctx, &chief))
	steps := []model.ReviewStep{{Name: "单位初审", Kind: model.StepReview, Holders: []string{model.HoldUnit}},
		{Name: "校对", Kind: model.StepProofread, UserIDs: []int64{proof.ID}},
		{Name: "总编终审", Kind: model.StepReview, Holders: []string{model.HoldChief}}}
	if _, err := (&review.Service{Store: s.db}).SaveChain(ctx, model.Actor{User: s.editor}, s.col.ID, steps); err != nil {
		t.Fatal(err)
	}
	told := func(u model.User) []string {
		t.Helper()
		list, _, err := s.notify.List(ctx, model.Actor{User: u}, 20)
		must(t, err)
		var out []string
		for i := len(list) - 1; i >= 0; i-- {
			out = append(out, list[i].Kind+" "+list[i].Detail)
		}
		return out
	}
	move := func(u model.User, a model.Article, m article.Move) model.Article {
		t.Helper()
		m.Version = a.Version
		a, err := s.articles.Move(ctx, model.Actor{User: u, Via: "desk"}, a.ID, m)
		must(t, err)
		return a
	}
	a := s.submit(t)
	a = move(s.reviewer, a, article.Move{Action: article.ActionApprove})
	a = move(proof, a, article.Move{Action: article.ActionReturn, ReturnTo: 1, Comment: "请补充时间。"})
	a = move(s.reviewer, a, article.Move{Action: article.ActionApprove})
	a = move(proof, a, article.Move{Action: article.ActionApprove})
	move(chief, a, article.Move{Action: article.ActionReturn, Reason: "事实待核实", Comment: "请核对人数。"})
	want := map[string][]string{
		"reviewer": {notify.KindStep + " 单位初审", notify.KindStep + " 单位初审"},
		"proof":    {notify.KindStep + " 校对", notify.KindStep + " 校对"},
		"chief":    {notify.KindStep + " 总编终审"},
		"editor":   nil,
		"author":   {notify.KindReturned + " 事实待核实 请核对人数。"},
	}
	for _, u := range []model.User{s.reviewer, proof, chief, s.editor, s.author} {
		if got := told(u); !slices.Equal(got, want[u.Username]) {
			t.Errorf("%s was told %q, want %q", u.Username, got, want[u.Username])
		}
	}
}

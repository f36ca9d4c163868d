package approval_test

import (
	"context"
	"errors"
	"fmt"
	"net/mail"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"newsdesk/internal/approval"
	"newsdesk/internal/i18n"
	newsmail "newsdesk/internal/mail"
	"newsdesk/internal/mail/mailpittest"
	"newsdesk/internal/model"
	"newsdesk/internal/review"
	"newsdesk/internal/store"
	"newsdesk/internal/store/sqlstore"
)

type fixture struct {
	db     *sqlstore.DB
	svc    *approval.Service
	outbox *newsmail.Outbox
	editor model.User
	story  model.Article
	now    time.Time
}

func setup(t *testing.T, sender newsmail.Sender) *fixture {
	t.Helper()
	ctx := context.Background()
	db, err := sqlstore.OpenSQLite(ctx, filepath.Join(t.TempDir(), "db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	cat, _ := i18n.Load()
	f := &fixture{db: db, now: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)}
	f.outbox = &newsmail.Outbox{Store: db, Catalog: cat, Sender: sender}
	f.svc = &approval.Service{Store: db, Mail: f.outbox, BaseURL: "http://127.0.0.1:8080", Now: func() time.Time { return f.now }, Decided: approval.Move}
	col := model.Column{Slug: "news", Name: "综合新闻"}
	must(t, db.CreateColumn(ctx, &col))
	f.editor = model.User{Username: "editor", Name: "张编辑", PasswordHash: "x", Roles: []string{model.RoleEditor}}
	must(t, db.CreateUser(ctx, &f.editor))
	f.story = model.Article{ColumnID: col.ID, Title: "学院党委召开专题会议", Body: "<p>正文。</p>", Status: model.StatusSubmitted}
	must(t, db.CreateArticle(ctx, &f.story))
	return f
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func (f *fixture) send(t *testing.T, email string) (model.ApproverLink, string) {
	t.Helper()
	l, link, err := f.svc.Send(context.Background(), model.Actor{User: f.editor, IP: "10.0.0.5", Via: "desk"}, f.story.ID, "王书记", email, 0)
	must(t, err)
	return l, strings.TrimPrefix(link, "http://127.0.0.1:8080/approve/")
}

func refusal(err error) string {
	var r *approval.Refusal
	if errors.As(err, &r) {
		return r.Code
	}
	return fmt.Sprint("not a refusal: ", err)
}

var linkInMail = regexp.MustCompile(`http://127\.0\.0\.1:8080/approve/[0-9]+\.[0-9]+\.[A-Za-z0-9_-]+`)

func TestLinkMailedToTheApproverApprovesOnce(t *testing.T) {
	mp := mailpittest.Open(t)
	f := setup(t, &newsmail.Server{Host: mp.Host, Port: mp.Port, From: mail.Address{Name: "新闻中心", Address: "news@example.edu"}})
	ctx := context.Background()
	to := mailpittest.Unique(t, "shuji")
	f.send(t, to)
	m, _, _ := f.db.MailList(ctx, 1, 0)
	must(t, f.outbox.Deliver(ctx, m[0].ID))
	got := mp.Wait(t, to, 1)
	link := linkInMail.FindString(got.Text)
	if got.Subject != "请审阅稿件：学院党委召开专题会议" || link == "" || !strings.Contains(got.Text, "王书记，您好") || !strings.Contains(got.HTML, `href="`+link+`"`) {
		t.Fatalf("the approver's mail: %q\n%s", got.Subject, got.Text)
	}
	tok := strings.TrimPrefix(link, "http://127.0.0.1:8080/approve/")
	o, err := f.svc.Open(ctx, tok)
	must(t, err)
	if o.Article.ID != f.story.ID || o.Link.Name != "王书记" || o.FormToken == "" {
		t.Fatalf("opened: %+v", o)
	}
	if _, err := f.svc.Decide(ctx, tok, "forged", approval.Approve, "", "192.0.2.9"); !errors.Is(err, model.ErrForbidden) {
		t.Errorf("a form token not from the page: %v", err)
	}
	if _, err := f.svc.Decide(ctx, tok, o.FormToken, approval.Approve, "同意发布。", "192.0.2.9"); err != nil {
		t.Fatal(err)
	}
	a, _ := f.db.Article(ctx, f.story.ID)
	if a.Status != model.StatusUnitApproved {
		t.Errorf("after the approval: %s", a.Status)
	}
	evs, _ := f.db.Events(ctx, f.story.ID)
	last := evs[len(evs)-1]
	if last.Action != "approve" || last.IP != "192.0.2.9" || last.Via != "approver" || !strings.HasPrefix(last.ActorName, "王书记 <") || last.Comment != "同意发布。" || last.Step != 1 || last.ToStep != 2 {
		t.Errorf("history: %+v", last)
	}
	audit, _, _ := f.db.AuditSearch(ctx, store.AuditQuery{Action: "approver_approve", Limit: 5})
	if len(audit) != 1 || audit[0].IP != "192.0.2.9" || audit[0].Via != "approver" || !strings.Contains(audit[0].Detail, "王书记 <"+to+">") {
		t.Errorf("audit: %+v", audit)
	}
	// Reused: refused, and nothing changes.
	if _, err := f.svc.Open(ctx, tok); refusal(err) != "used" {
		t.Errorf("reopened: %v", err)
	}
	if _, err := f.svc.Decide(ctx, tok, o.FormToken, approval.Return, "再改", "192.0.2.9"); refusal(err) != "used" {
		t.Errorf("decided twice: %v", err)
	}
}

func TestAlteredExpiredRevokedAndMovedLinksAreRefused(t *testing.T) {
	f := setup(t, nil)
	ctx := context.Background()
	_, tok := f.send(t, "wang@example.edu")
	parts := strings.Split(tok, ".")
	flip := func(s string) string {
		if s[len(s)-1] == 'A' {
			return s[:len(s)-1] + "B"
		}
		return s[:len(s)-1] + "A"
	}
	for name, bad := range map[string]string{
		"signature changed": parts[0] + "." + parts[1] + "." + flip(parts[2]),
		"expiry pushed":     parts[0] + "." + "9999999999" + "." + parts[2],
		"another id":        "9" + parts[0] + "." + parts[1] + "." + parts[2],
		"cut short":         parts[0] + "." + parts[1],
		"garbage":           "../../etc/passwd",
	} {
		if _, err := f.svc.Open(ctx, bad); refusal(err) != "altered" {
			t.Errorf("%s: %v", name, err)
		}
	}
	if _, err := f.svc.Open(ctx, tok); err != nil {
		t.Fatalf("the real link: %v", err)
	}
	f.now = f.now.Add(approval.DefaultTTL)
	if _, err := f.svc.Open(ctx, tok); refusal(err) != "expired" {
		t.Errorf("at its expiry: %v", err)
	}
	f.now = f.now.Add(-approval.DefaultTTL)

	l2, tok2 := f.send(t, "li@example.edu")
	if _, err := f.svc.Revoke(ctx, model.Actor{User: model.User{ID: 99, Roles: []string{model.RoleContributor}}}, l2.ID); !errors.Is(err, model.ErrForbidden) {
		t.Errorf("a contributor revoked: %v", err)
	}
	if _, err := f.svc.Revoke(ctx, model.Actor{User: f.editor}, l2.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Open(ctx, tok2); refusal(err) != "revoked" {
		t.Errorf("revoked: %v", err)
	}
	if _, err := f.svc.Revoke(ctx, model.Actor{User: f.editor}, l2.ID); !errors.Is(err, model.ErrInvalid) {
		t.Errorf("revoked twice: %v", err)
	}
	// The story moved on (the unit approved it in the desk): the link
	// for the unit's step no longer applies.
	a, _ := f.db.Article(ctx, f.story.ID)
	a.Status = model.StatusUnitApproved
	must(t, f.db.UpdateArticle(ctx, &a))
	if _, err := f.svc.Open(ctx, tok); refusal(err) != "moved" {
		t.Errorf("after the step was taken: %v", err)
	}
}

func TestReturnNeedsACommentAndGoesToTheAuthor(t *testing.T) {
	f := setup(t, nil)
	ctx := context.Background()
	_, tok := f.send(t, "wang@example.edu")
	o, err := f.svc.Open(ctx, tok)
	must(t, err)
	if _, err := f.svc.Decide(ctx, tok, o.FormToken, approval.Return, " ", "192.0.2.9"); !errors.Is(err, model.ErrInvalid) {
		t.Errorf("a return without a comment: %v", err)
	}
	if _, err := f.svc.Decide(ctx, tok, o.FormToken, approval.Return, "标题需要修改。", "192.0.2.9"); err != nil {
		t.Fatal(err)
	}
	if a, _ := f.db.Article(ctx, f.story.ID); a.Status != model.StatusReturned {
		t.Errorf("after the return: %s", a.Status)
	}
}

func TestSendChecksTheApproverAndTheStory(t *testing.T) {
	f := setup(t, nil)
	ctx := context.Background()
	actor := model.Actor{User: f.editor}
	for _, c := range []struct{ name, email string }{{"", "a@example.edu"}, {"王书记", "not-an-address"}, {strings.Repeat("王", 41), "a@example.edu"}} {
		if _, _, err := f.svc.Send(ctx, actor, f.story.ID, c.name, c.email, 0); !errors.Is(err, model.ErrInvalid) {
			t.Errorf("%q %q: %v", c.name, c.email, err)
		}
	}
	if _, _, err := f.svc.Send(ctx, actor, f.story.ID, "王书记", "a@example.edu", 10*time.Minute); !errors.Is(err, model.ErrInvalid) {
		t.Errorf("a ten-minute link: %v", err)
	}
	if _, _, err := f.svc.Send(ctx, model.Actor{User: model.User{ID: 5, Roles: []string{model.RoleContributor}}}, f.story.ID, "王书记", "a@example.edu", 0); !errors.Is(err, model.ErrForbidden) {
		t.Errorf("a contributor sent: %v", err)
	}
	a, _ := f.db.Article(ctx, f.story.ID)
	a.Status = model.StatusDraft
	must(t, f.db.UpdateArticle(ctx, &a))
	if _, _, err := f.svc.Send(ctx, actor, f.story.ID, "王书记", "a@example.edu", 0); !errors.Is(err, model.ErrInvalid) {
		t.Errorf("a draft sent: %v", err)
	}
}

// TestApproverDecidesTheStorysChainStep: on a story's own chain an
// approver's approval sends it to the next step (waiting for that step's
// holders), at the last step it is recorded and the story stays for its
// holders to publish, and a return sends it to its author off the chain.
func TestApproverDecidesTheStorysChainStep(t *testing.T) {
	ctx := context.Background()
	chain := []model.ReviewStep{{Name: "单位初审", Kind: model.StepReview, Holders: []string{model.HoldUnit}},
		{Name: "外审", Kind: model.StepReview, Holders: []string{model.HoldEditor}},
		{Name: "总编终审", Kind: model.StepReview, Holders: []string{model.HoldChief}}}
	cases := []struct {
		name                 string
		step                 int
		decision             string
		status               string
		toStep, waitingAfter int
		waiting              []string
	}{
		{"approve to the next step", 1, approval.Approve, model.StatusUnitApproved, 3, 2, []string{model.HoldChief}},
		{"approve at the last step", 2, approval.Approve, model.StatusUnitApproved, 3, 2, []string{model.HoldChief}},
		{"return to the author", 1, approval.Return, model.StatusReturned, 0, 1, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := setup(t, nil)
			a := model.Article{ColumnID: f.story.ColumnID, Title: f.story.Title, Status: review.StatusAt(c.step),
				Review: model.Review{Chain: chain, Step: c.step, Since: f.now.Add(-time.Hour)}}
			must(t, f.db.CreateArticle(ctx, &a))
			l := model.ApproverLink{Name: "王书记", Email: "wang@example.edu", Decision: c.decision, Comment: " 同意。 ", IP: "192.0.2.9", UsedAt: f.now}
			got, ev, err := approval.Move(ctx, f.db, a, l)
			must(t, err)
			if got.Status != c.status || ev.To != c.status || ev.Step != c.step+1 || ev.ToStep != c.toStep || !slices.Equal(got.Review.Waiting, c.waiting) {
				t.Errorf("story %s waiting %v, event %+v", got.Status, got.Review.Waiting, ev)
			}
			if ev.StepName != chain[c.step].Name || ev.Via != "approver" || ev.ActorName != "王书记 <wang@example.edu>" || ev.Comment != "同意。" {
				t.Errorf("history: %+v", ev)
			}
			saved, err := f.db.Article(ctx, a.ID)
			must(t, err)
			if saved.Status != c.status || (c.status != model.StatusReturned && saved.Review.Step != c.waitingAfter) {
				t.Errorf("saved: %s at step %d", saved.Status, saved.Review.Step)
			}
		})
	}
}

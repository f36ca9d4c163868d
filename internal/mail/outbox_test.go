package mail_test

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/mail"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"newsdesk/internal/i18n"
	"newsdesk/internal/job"
	newsmail "newsdesk/internal/mail"
	"newsdesk/internal/mail/mailpittest"
	"newsdesk/internal/model"
	"newsdesk/internal/store"
	"newsdesk/internal/store/sqlstore"
)

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// setup opens a fresh site and an outbox that sends to the test mailpit,
// with the job runner that delivers.
func setup(t *testing.T) (*sqlstore.DB, *newsmail.Outbox, *job.Runner, mailpittest.Mailpit) {
	t.Helper()
	mp := mailpittest.Open(t)
	db, err := sqlstore.OpenSQLite(context.Background(), filepath.Join(t.TempDir(), "db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	o := &newsmail.Outbox{Store: db, Catalog: cat, MaxAttempts: 3,
		Sender: &newsmail.Server{Host: mp.Host, Port: mp.Port, Username: "newsdesk", Password: "test", From: mail.Address{Name: "新闻中心", Address: "news@example.edu"}}}
	r := job.New(db, quiet, map[string]job.Handler{model.JobMail: o.Deliver})
	r.MaxAttempts = o.MaxAttempts
	return db, o, r, mp
}

func stepMessage(to string) newsmail.Message {
	return newsmail.Message{To: to, ToName: "张老师", Subject: newsmail.T("mail.step.subject", "我校举办科技节"),
		Paragraphs: []newsmail.Text{newsmail.T("mail.step.body", "我校举办科技节", "编辑复审")},
		Link:       "http://127.0.0.1:8080/desk/articles/7", LinkText: newsmail.T("mail.open_desk"), Footer: newsmail.T("mail.footer", "重庆大学")}
}

// queue queues m the way a domain service does: inside its transaction.
func queue(t *testing.T, db *sqlstore.DB, o *newsmail.Outbox, m newsmail.Message) {
	t.Helper()
	if err := db.Tx(context.Background(), func(tx store.Store) error { return o.Queue(context.Background(), tx, m) }); err != nil {
		t.Fatal(err)
	}
}

func TestQueuedMailArrivesInChineseAsTextAndHTML(t *testing.T) {
	db, o, r, mp := setup(t)
	to := mailpittest.Unique(t, "reviewer")
	queue(t, db, o, stepMessage(to))
	if n, err := r.RunDue(context.Background()); err != nil || n != 1 {
		t.Fatalf("ran %d jobs: %v", n, err)
	}
	got := mp.Wait(t, to, 1)
	if got.Subject != "待您审核：我校举办科技节" || got.From.Address != "news@example.edu" || got.From.Name != "新闻中心" || got.To[0].Name != "张老师" {
		t.Errorf("header: %+v", got)
	}
	if !strings.Contains(got.Text, "稿件《我校举办科技节》已到「编辑复审」，等您处理。") || !strings.Contains(got.Text, "http://127.0.0.1:8080/desk/articles/7") {
		t.Errorf("text part: %q", got.Text)
	}
	if !strings.Contains(got.HTML, `<a href="http://127.0.0.1:8080/desk/articles/7"`) || !strings.Contains(got.HTML, "在编辑部打开") || !strings.Contains(got.HTML, `lang="zh-CN"`) {
		t.Errorf("HTML part: %q", got.HTML)
	}
	list, _, err := db.MailList(context.Background(), 10, 0)
	if err != nil || len(list) != 1 || list[0].Status != model.MailSent || list[0].Attempts != 1 || list[0].SentAt.IsZero() {
		t.Errorf("outbox after sending: %+v %v", list, err)
	}
}

func TestMailIsInTheRecipientsLanguage(t *testing.T) {
	db, o, r, mp := setup(t)
	to := mailpittest.Unique(t, "visitor")
	m := stepMessage(to)
	m.Lang = i18n.EN
	queue(t, db, o, m)
	r.RunDue(context.Background())
	if got := mp.Wait(t, to, 1); got.Subject != "Waiting for you: 我校举办科技节" || !strings.Contains(got.Text, "Open in the desk") {
		t.Errorf("English mail: %q %q", got.Subject, got.Text)
	}
}

// refusingAddress is a loopback port nobody listens on.
func refusingAddress(t *testing.T) (string, string) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	host, port, _ := net.SplitHostPort(addr)
	return host, port
}

func TestFailedSendIsRetriedAfterBackOffAndThenDelivered(t *testing.T) {
	db, o, r, mp := setup(t)
	real := o.Sender
	host, port := refusingAddress(t)
	o.Sender = &newsmail.Server{Host: host, Port: port, From: mail.Address{Address: "news@example.edu"}}
	to := mailpittest.Unique(t, "retry")
	queue(t, db, o, stepMessage(to))
	ctx := context.Background()
	if n, err := r.RunDue(ctx); err != nil || n != 1 {
		t.Fatalf("first round ran %d: %v", n, err)
	}
	m, _, err := db.MailList(ctx, 1, 0)
	if err != nil || m[0].Status != model.MailQueued || m[0].Attempts != 1 || !strings.Contains(m[0].LastError, "connect to "+host+":"+port) {
		t.Fatalf("after the refused attempt: %+v %v", m, err)
	}
	// Not again at once: it backs off.
	if n, _ := r.RunDue(ctx); n != 0 {
		t.Fatal("a failed send was retried at once")
	}
	// The server is back; past the back-off the job runs again and sends.
	o.Sender = real
	r.Now = func() time.Time { return time.Now().Add(time.Hour) }
	if n, err := r.RunDue(ctx); err != nil || n != 1 {
		t.Fatalf("retry ran %d: %v", n, err)
	}
	mp.Wait(t, to, 1)
	m, _, _ = db.MailList(ctx, 1, 0)
	if m[0].Status != model.MailSent || m[0].Attempts != 2 || m[0].LastError != "" {
		t.Errorf("after the retry: %+v", m[0])
	}
	if counts, _ := db.Jobs(ctx); counts[model.JobMail] != 0 {
		t.Errorf("the sent mail's job stays: %v", counts)
	}
}

func TestMailGivenUpAfterTheLastAttemptIsMarkedFailed(t *testing.T) {
	db, o, r, _ := setup(t)
	host, port := refusingAddress(t)
	o.Sender = &newsmail.Server{Host: host, Port: port, From: mail.Address{Address: "news@example.edu"}}
	queue(t, db, o, stepMessage("nobody@example.edu"))
	ctx := context.Background()
	later := time.Now()
	r.Now = func() time.Time { return later }
	for i := 0; i < 5; i++ {
		r.RunDue(ctx)
		later = later.Add(time.Hour)
	}
	m, _, _ := db.MailList(ctx, 1, 0)
	if m[0].Status != model.MailFailed || m[0].Attempts != 3 || m[0].LastError == "" {
		t.Errorf("given up: %+v", m[0])
	}
}

func TestNothingIsQueuedWithoutAMailServer(t *testing.T) {
	db, o, _, _ := setup(t)
	o.Sender = nil
	queue(t, db, o, stepMessage("x@example.edu"))
	if _, total, _ := db.MailList(context.Background(), 1, 0); total != 0 {
		t.Errorf("queued %d without a server", total)
	}
}

func TestOutboxIsForAdministrators(t *testing.T) {
	_, o, _, _ := setup(t)
	if _, _, err := o.List(context.Background(), model.Actor{User: model.User{ID: 3, Roles: []string{model.RoleEditor}}}, 10, 0); err == nil {
		t.Error("an editor read the outbox")
	}
	if _, _, err := o.List(context.Background(), model.Actor{User: model.User{ID: 1, Roles: []string{model.RoleAdmin}}}, 10, 0); err != nil {
		t.Errorf("an administrator: %v", err)
	}
}

package web_test

import (
	"context"
	"net/http"
	"net/mail"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	newsmail "newsdesk/internal/mail"
	"newsdesk/internal/mail/mailpittest"
	"newsdesk/internal/model"
)

// TestDeskNotificationsBadgeListAndMail: a story submitted shows on the
// unit reviewer's badge and list (and comes by mail to the address they
// set), is marked read, and the outbox shows administrators the message.
func TestDeskNotificationsBadgeListAndMail(t *testing.T) {
	mp := mailpittest.Open(t)
	a, srv := deskServer(t)
	ctx := context.Background()
	saved := a.Mail.Sender
	a.Mail.Sender = &newsmail.Server{Host: mp.Host, Port: mp.Port, From: mail.Address{Name: "新闻中心", Address: "news@example.edu"}}
	t.Cleanup(func() { a.Mail.Sender = saved })

	reviewer := signIn(t, srv, "reviewer")
	reviewer.post("/desk/notifications/read", url.Values{"csrf": {reviewer.csrf()}, "up_to": {"999999999"}})
	if res, d := reviewer.post("/desk/notifications/address", url.Values{"csrf": {reviewer.csrf()}, "email": {"王 <wang@"}}); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(d.Find(".error-box").Text(), "不是有效的电子邮件地址") {
		t.Fatalf("a bad address: %d %s", res.StatusCode, d.Find(".error-box").Text())
	}
	to := mailpittest.Unique(t, "desk-reviewer")
	if res, _ := reviewer.post("/desk/notifications/address", url.Values{"csrf": {reviewer.csrf()}, "email": {to}, "lang": {"zh-CN"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("set address: %d", res.StatusCode)
	}

	contributor := signIn(t, srv, "contributor")
	id := newStory(t, contributor, "通知测试：学院召开教学工作会")
	if res, d := contributor.post("/desk/articles/"+itoa(id)+"/submit", url.Values{"csrf": {contributor.csrf()}, "version": {version(t, id)}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("submit: %d %s", res.StatusCode, d.Find(".error-box").Text())
	}
	_, d := reviewer.get("/desk/")
	if badge := strings.TrimSpace(d.Find(".notify-link .badge").Text()); badge != "1" {
		t.Errorf("the reviewer's badge: %q", badge)
	}
	_, d = reviewer.get("/desk/notifications")
	item := d.Find(".notification.unread a").First()
	if href, _ := item.Attr("href"); href != "/desk/articles/"+itoa(id) || !strings.Contains(item.Text(), "《通知测试：学院召开教学工作会》已到「待单位审核」") {
		t.Errorf("the notification: %q %q", href, item.Text())
	}
	if v, _ := d.Find("#mail-email").Attr("value"); v != to {
		t.Errorf("the address shown: %q", v)
	}
	if n, err := a.Jobs.RunDue(ctx); err != nil || n == 0 {
		t.Fatalf("jobs: %d %v", n, err)
	}
	if got := mp.Wait(t, to, 1); got.Subject != "待您审核：通知测试：学院召开教学工作会" {
		t.Errorf("mail: %q", got.Subject)
	}
	reviewer.post("/desk/notifications/read", url.Values{"csrf": {reviewer.csrf()}, "up_to": {"999999999"}})
	if _, d := reviewer.get("/desk/"); d.Find(".notify-link .badge").Length() != 0 {
		t.Error("the badge stays after reading")
	}

	admin := signIn(t, srv, "admin")
	_, d = admin.get("/desk/outbox")
	row := d.Find("tr.mail-" + model.MailSent).FilterFunction(func(_ int, s *goquery.Selection) bool { return strings.Contains(s.Text(), to) })
	if row.Length() != 1 || !strings.Contains(row.Text(), "已发送") || !strings.Contains(row.Text(), "待您审核：通知测试") {
		t.Errorf("the outbox row: %q", row.Text())
	}
}

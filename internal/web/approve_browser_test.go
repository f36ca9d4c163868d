package web_test

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/mail"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	newsmail "newsdesk/internal/mail"
	"newsdesk/internal/mail/mailpittest"
	"newsdesk/internal/model"
	"newsdesk/internal/store"
)

var approverLink = regexp.MustCompile(`http://127\.0\.0\.1:[0-9]+/approve/[0-9]+\.[0-9]+\.[A-Za-z0-9_-]+`)

// submitted has the contributor write and submit a story, and returns its id.
func submitted(t *testing.T, contributor *deskClient, title string) int64 {
	t.Helper()
	id := newStory(t, contributor, title)
	if res, d := contributor.post("/desk/articles/"+itoa(id)+"/submit", url.Values{"csrf": {contributor.csrf()}, "version": {version(t, id)}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("submit: %d %s", res.StatusCode, d.Find(".error-box").Text())
	}
	return id
}

// sendApprover has the editor send story id to an outside approver through
// the desk and returns the link from the mail mailpit received.
func sendApprover(t *testing.T, editor *deskClient, mp mailpittest.Mailpit, id int64, name, hours string) string {
	t.Helper()
	a, _ := deskServer(t)
	to := mailpittest.Unique(t, "approver")
	res, d := editor.post("/desk/articles/"+itoa(id)+"/approvers", url.Values{"csrf": {editor.csrf()}, "name": {name}, "email": {to}, "hours": {hours}})
	if res.StatusCode != http.StatusCreated {
		t.Fatalf("send to an approver: %d %s", res.StatusCode, d.Find(".error-box").Text())
	}
	shown := strings.TrimSpace(d.Find("#approver-link").Text())
	if _, err := a.Jobs.RunDue(context.Background()); err != nil {
		t.Fatal(err)
	}
	got := mp.Wait(t, to, 1)
	link := approverLink.FindString(got.Text)
	if link == "" || link != shown {
		t.Fatalf("the link in the mail %q, on the desk page %q:\n%s", link, shown, got.Text)
	}
	return link
}

func fetchPage(t *testing.T, link string) (int, string) {
	t.Helper()
	res, err := http.Get(link)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

// TestOutsideApproverApprovesOnAPhone: an editor sends a submitted story
// to a 书记 without a desk account; the link arrives by mail (read from the
// real mailpit); at 360 px in Chromium the approver reads the story as it
// will appear and approves it with a comment. The decision moves the
// story on, is in its history with their name and address, and the link
// then refuses a second use; an altered link is refused; a revoked and an
// expired link are refused with their reasons.
func TestOutsideApproverApprovesOnAPhone(t *testing.T) {
	mp := mailpittest.Open(t)
	a, srv := deskServer(t)
	ctx := context.Background()
	savedSender, savedBase := a.Mail.Sender, a.Approval.BaseURL
	a.Mail.Sender = &newsmail.Server{Host: mp.Host, Port: mp.Port, From: mail.Address{Name: "新闻中心", Address: "news@example.edu"}}
	a.Approval.BaseURL = srv.URL
	t.Cleanup(func() { a.Mail.Sender, a.Approval.BaseURL, a.Approval.Now = savedSender, savedBase, nil })

	contributor, editor := signIn(t, srv, "contributor"), signIn(t, srv, "editor")
	id := submitted(t, contributor, "外审测试：学院党委理论学习中心组集体学习")
	link := sendApprover(t, editor, mp, id, "王书记", "72")

	page := browser(t, 360, 800, true)
	var scroll int64
	var banner, done string
	err := chromedp.Run(page,
		chromedp.Navigate(link),
		chromedp.WaitVisible(".approver-decide", chromedp.ByQuery),
		chromedp.Text(".approver-banner", &banner, chromedp.ByQuery),
		chromedp.Evaluate(`document.documentElement.scrollWidth`, &scroll),
	)
	if err != nil {
		t.Fatal(err)
	}
	if scroll > 360 {
		t.Errorf("the approver's page at 360 px scrolls sideways: %d px", scroll)
	}
	if !strings.Contains(banner, "王书记，您好") {
		t.Errorf("banner: %q", banner)
	}
	screenshot(t, page, "approver-360")
	err = chromedp.Run(page,
		chromedp.SendKeys("#approver-comment", "同意发布。", chromedp.ByQuery),
		chromedp.Click(`button[value="approve"]`, chromedp.ByQuery),
		chromedp.WaitVisible(".approver-note", chromedp.ByQuery),
		chromedp.Text(".approver-note h1", &done, chromedp.ByQuery),
	)
	if err != nil {
		t.Fatal(err)
	}
	if done != "已同意，谢谢！" {
		t.Errorf("after approving: %q", done)
	}
	screenshot(t, page, "approver-done-360")
	art, _ := a.Store.Article(ctx, id)
	if art.Status != model.StatusUnitApproved {
		t.Errorf("the story after the approval: %s", art.Status)
	}
	evs, _ := a.Store.Events(ctx, id)
	if last := evs[len(evs)-1]; last.Action != "approve" || last.IP != "127.0.0.1" || !strings.HasPrefix(last.ActorName, "王书记 <") || last.Comment != "同意发布。" {
		t.Errorf("history: %+v", last)
	}
	_, d := editor.get("/desk/articles/" + itoa(id) + "/approvers")
	if row := d.Find("tr.approver-link").First().Text(); !strings.Contains(row, "已同意") || !strings.Contains(row, "同意发布。") || !strings.Contains(row, "127.0.0.1") {
		t.Errorf("the desk's list: %q", row)
	}

	// Used: refused with its reason; altered: refused as such.
	if status, body := fetchPage(t, link); status != http.StatusGone || !strings.Contains(body, "已经用过") {
		t.Errorf("reused: %d", status)
	}
	altered := link[:len(link)-1] + map[bool]string{true: "B", false: "A"}[strings.HasSuffix(link, "A")]
	if status, body := fetchPage(t, altered); status != http.StatusNotFound || !strings.Contains(body, "不完整或已被改动") {
		t.Errorf("altered: %d", status)
	}

	// Revoked in the desk: refused. Before that, the 1280 px view.
	id2 := submitted(t, contributor, "外审测试：学院召开新学期工作部署会")
	link2 := sendApprover(t, editor, mp, id2, "李院长", "24")
	desktop := browser(t, 1280, 900, true)
	if err := chromedp.Run(desktop, chromedp.Navigate(link2), chromedp.WaitVisible(".approver-decide", chromedp.ByQuery)); err != nil {
		t.Fatal(err)
	}
	screenshot(t, desktop, "approver-1280")
	ls, _ := a.Store.ApproverLinks(ctx, id2)
	if res, _ := editor.post(fmt.Sprintf("/desk/approvers/%d/revoke", ls[0].ID), url.Values{"csrf": {editor.csrf()}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("revoke: %d", res.StatusCode)
	}
	if status, body := fetchPage(t, link2); status != http.StatusGone || !strings.Contains(body, "已被新闻中心撤销") {
		t.Errorf("revoked: %d", status)
	}
	// A return from the phone after the revocation changes nothing.
	var refused string
	if err := chromedp.Run(desktop, chromedp.SendKeys("#approver-comment", "请修改标题", chromedp.ByQuery), chromedp.Click(`button[value="return"]`, chromedp.ByQuery),
		chromedp.WaitVisible(".approver-note", chromedp.ByQuery), chromedp.Text(".approver-note", &refused, chromedp.ByQuery)); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(refused, "撤销") {
		t.Errorf("a decision on a revoked link: %q", refused)
	}
	if art, _ := a.Store.Article(ctx, id2); art.Status != model.StatusSubmitted {
		t.Errorf("a revoked link moved the story: %s", art.Status)
	}

	// Expired: an hour's link, two hours later.
	id3 := submitted(t, contributor, "外审测试：学院举行教师节表彰会")
	link3 := sendApprover(t, editor, mp, id3, "赵主任", "1")
	a.Approval.Now = func() time.Time { return time.Now().Add(2 * time.Hour) }
	if status, body := fetchPage(t, link3); status != http.StatusGone || !strings.Contains(body, "已过期") {
		t.Errorf("expired: %d", status)
	}
	a.Approval.Now = nil

	// A message the mail server refused waits in the outbox with its error.
	host, port := refusedPort(t)
	a.Mail.Sender = &newsmail.Server{Host: host, Port: port, From: mail.Address{Address: "news@example.edu"}}
	if err := a.Store.Tx(ctx, func(tx store.Store) error {
		return a.Mail.Queue(ctx, tx, newsmail.Message{To: "nobody@example.edu", ToName: "测试", Subject: newsmail.T("mail.step.subject", "发信失败的示例")})
	}); err != nil {
		t.Fatal(err)
	}
	a.Jobs.RunDue(ctx)

	// The desk's pages around it, looked at in screenshots.
	for _, c := range []struct {
		user, path, name string
	}{
		{"editor", "/desk/articles/" + itoa(id2) + "/approvers", "desk-approvers"},
		{"admin", "/desk/outbox", "desk-outbox"},
		{"reviewer", "/desk/notifications", "desk-notifications"},
	} {
		for _, width := range []int64{360, 1280} {
			ctx := browser(t, width, 900, true)
			var scroll int64
			if err := chromedp.Run(ctx, deskLogin(srv.URL, c.user), chromedp.Navigate(srv.URL+c.path), chromedp.WaitVisible(".desk-main", chromedp.ByQuery),
				chromedp.Evaluate(`document.documentElement.scrollWidth`, &scroll)); err != nil {
				t.Fatalf("%s: %v", c.path, err)
			}
			if scroll > width {
				t.Errorf("%s at %d px scrolls sideways: %d px", c.path, width, scroll)
			}
			screenshot(t, ctx, fmt.Sprintf("%s-%d", c.name, width))
		}
	}
}

// refusedPort is a loopback port nobody listens on.
func refusedPort(t *testing.T) (string, string) {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	host, port, _ := net.SplitHostPort(l.Addr().String())
	return host, port
}

package staticsite_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"newsdesk/internal/mail/mailpittest"
	"newsdesk/internal/model"
	"newsdesk/internal/staticsite"
)

// TestTamperAlertWebhookIsRetriedByTheJobRunner: a check that finds the
// home page defaced queues a webhook alert with its audit entry; the job
// runner posts it as JSON, and when the receiver fails the first time,
// posts it again after the back-off.
func TestTamperAlertWebhookIsRetriedByTheJobRunner(t *testing.T) {
	var mu sync.Mutex
	var got []staticsite.Alert
	var types []string
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		defer mu.Unlock()
		var a staticsite.Alert
		if err := json.Unmarshal(b, &a); err != nil {
			t.Errorf("webhook body %q: %v", b, err)
		}
		got = append(got, a)
		types = append(types, r.Method+" "+r.Header.Get("Content-Type"))
		if len(got) == 1 {
			http.Error(w, "busy", http.StatusServiceUnavailable)
		}
	}))
	defer hook.Close()
	s := newSite(t, "--static-alert-webhook", hook.URL)
	s.ex.Alerts = &staticsite.Alerts{Webhook: true, Queued: s.app.Jobs.Wake}
	s.export(t)
	ctx := context.Background()
	must(t, os.WriteFile(filepath.Join(s.out, "index.html"), []byte("<h1>defaced</h1>"), 0o644))
	r, err := s.ex.Check(ctx, s.app.Store, model.SystemActor("cli"), true)
	must(t, err)
	if !r.Wrong() || r.Restored != 1 {
		t.Fatalf("check found %s", r.Summary())
	}
	entries, _, err := s.app.Store.Audit(ctx, 1, 0)
	must(t, err)
	if _, err := s.app.Jobs.RunDue(ctx); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	if len(got) != 1 {
		t.Fatalf("%d posts after the first run, want 1", len(got))
	}
	mu.Unlock()
	// The runner backs off 30 s after a failure: look from then.
	s.app.Jobs.Now = func() time.Time { return time.Now().Add(time.Minute) }
	if _, err := s.app.Jobs.RunDue(ctx); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(got) != 2 {
		t.Fatalf("%d posts after the retry, want 2", len(got))
	}
	a := got[1]
	if a.Event != "static.restored" || a.Dir != s.out || !strings.Contains(a.Summary, "changed: index.html") ||
		a.AuditID != entries[0].ID || a.AuditHash != entries[0].Hash || a.AuditHash == "" || types[1] != "POST application/json" {
		t.Errorf("alert %+v (%s), audit entry %+v", a, types[1], entries[0])
	}
	// Delivered: nothing more is sent.
	if n, err := s.app.Jobs.RunDue(ctx); err != nil || n != 0 {
		t.Errorf("after delivery %d jobs ran, %v", n, err)
	}
}

// TestTamperAlertMail: with --static-alert-mail the finding is mailed
// through the outbox to a real SMTP server (mailpit), in Chinese.
func TestTamperAlertMail(t *testing.T) {
	mp := mailpittest.Open(t)
	to := mailpittest.Unique(t, "static-alert")
	s := newSite(t, "--smtp-url", mp.SMTP, "--mail-from", "新闻中心 <news@example.edu>")
	s.ex.Alerts = &staticsite.Alerts{Mail: s.app.Mail, MailTo: to, Queued: s.app.Jobs.Wake}
	s.export(t)
	ctx := context.Background()
	must(t, os.Remove(filepath.Join(s.out, "robots.txt")))
	must(t, os.WriteFile(filepath.Join(s.out, "evil.html"), []byte("<h1>hacked</h1>"), 0o644))
	r, err := s.ex.Check(ctx, s.app.Store, model.SystemActor("cli"), false)
	must(t, err)
	if len(r.Missing) != 1 || len(r.Added) != 1 || r.Restored != 0 {
		t.Fatalf("check found %s", r.Summary())
	}
	if _, err := s.app.Jobs.RunDue(ctx); err != nil {
		t.Fatal(err)
	}
	m := mp.Wait(t, to, 1)
	if !strings.Contains(m.Subject, "静态网站被篡改告警") || !strings.Contains(m.Subject, s.out) {
		t.Errorf("subject %q", m.Subject)
	}
	for _, want := range []string{"0 个文件被修改，1 个文件被增加，1 个文件缺失，尚未恢复", "evil.html", "robots.txt"} {
		if !strings.Contains(m.Text, want) {
			t.Errorf("the mail does not say %q:\n%s", want, m.Text)
		}
	}
}

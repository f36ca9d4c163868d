package staticsite

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"newsdesk/internal/mail"
	"newsdesk/internal/model"
	"newsdesk/internal/store"
)

// JobAlert is the job kind that posts a tamper alert to the webhook; its
// ref is the audit entry that recorded the finding.
const JobAlert = "static_alert"

// Alerts says who hears of a check that found the folder altered (防篡改
// 告警), beyond the log and the audit entry every finding gets: an e-mail
// through the outbox and a JSON POST to a webhook, both queued in the
// transaction of the audit entry and delivered (and retried) by the job
// runner, so an alert is never lost and never holds up the restore.
type Alerts struct {
	// Mail is the outbox (its Sender set by --smtp-url); MailTo the
	// address alerted (--static-alert-mail).
	Mail   *mail.Outbox
	MailTo string
	// Webhook says a webhook is configured (--static-alert-webhook): the
	// job runner's Webhook posts to it.
	Webhook bool
	// Queued wakes the job runner after the transaction commits.
	Queued func()
}

// queue queues the alerts of the finding just audited through tx.
func (a *Alerts) queue(ctx context.Context, tx store.Store, dir string, r Report) error {
	if a == nil {
		return nil
	}
	if a.Webhook {
		last, _, err := tx.Audit(ctx, 1, 0)
		if err != nil || len(last) == 0 {
			return fmt.Errorf("the audit entry of the check: %v", err)
		}
		if err := tx.EnqueueJob(ctx, JobAlert, last[0].ID, time.Now()); err != nil {
			return fmt.Errorf("queue the webhook alert: %w", err)
		}
	}
	if a.MailTo != "" && a.Mail.Enabled() {
		what := mail.T("mail.static_alert.tampered", dir, len(r.Changed), len(r.Added), len(r.Missing))
		if r.Restored > 0 {
			what = mail.T("mail.static_alert.restored", dir, len(r.Changed), len(r.Added), len(r.Missing), r.Restored)
		}
		err := a.Mail.Queue(ctx, tx, mail.Message{To: a.MailTo,
			Subject:    mail.T("mail.static_alert.subject", dir),
			Paragraphs: []mail.Text{what, mail.T("mail.static_alert.files", r.Summary())},
			Footer:     mail.T("mail.static_alert.footer")})
		if err != nil {
			return fmt.Errorf("queue the mail alert: %w", err)
		}
	}
	return nil
}

func (a *Alerts) wake() {
	if a != nil && a.Queued != nil {
		a.Queued()
	}
}

// AuditReader reads back the audit entry an alert is about.
type AuditReader interface {
	AuditSearch(ctx context.Context, q store.AuditQuery) ([]model.AuditEntry, int, error)
}

// Webhook posts tamper alerts (the JobAlert job) to URL as JSON.
type Webhook struct {
	URL    string // "" drops alerts queued by a process that had one
	Store  AuditReader
	Client *http.Client // default: a 10 s time-out
	Log    *slog.Logger
}

// Alert is the JSON body of a webhook alert.
type Alert struct {
	Event   string    `json:"event"` // static.tampered or static.restored
	Dir     string    `json:"dir"`
	Summary string    `json:"summary"`
	At      time.Time `json:"at"`
	AuditID int64     `json:"audit_id"`
	// AuditHash is the entry's hash in the audit chain
	// (newsdesk audit verify).
	AuditHash string `json:"audit_hash"`
}

// Deliver is the JobAlert job: it posts the alert of audit entry ref.
// Any answer but 2xx is an error, so the runner tries again later.
func (w *Webhook) Deliver(ctx context.Context, ref int64) error {
	if w.URL == "" {
		if w.Log != nil {
			w.Log.Warn("static alert dropped: no --static-alert-webhook here", "audit", ref)
		}
		return nil
	}
	es, _, err := w.Store.AuditSearch(ctx, store.AuditQuery{Ascending: true, AfterID: ref - 1, Limit: 1})
	if err != nil {
		return err
	}
	if len(es) == 0 || es[0].ID != ref {
		return fmt.Errorf("%w: audit entry %d of a static alert", model.ErrNotFound, ref)
	}
	e := es[0]
	body, err := json.Marshal(Alert{Event: e.Action, Dir: e.Target, Summary: e.Detail, At: e.At, AuditID: e.ID, AuditHash: e.Hash})
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, w.URL, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "Newsdesk static alert")
	req.Header.Set("Idempotency-Key", "newsdesk-static-alert-"+strconv.FormatInt(ref, 10))
	c := w.Client
	if c == nil {
		c = &http.Client{Timeout: 10 * time.Second}
	}
	res, err := c.Do(req)
	if err != nil {
		return fmt.Errorf("static alert webhook: %w", err)
	}
	defer res.Body.Close()
	io.Copy(io.Discard, io.LimitReader(res.Body, 64<<10))
	if res.StatusCode/100 != 2 {
		return fmt.Errorf("static alert webhook: %w", errors.New(res.Status))
	}
	return nil
}

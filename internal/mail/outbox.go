package mail

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"html/template"
	"net/mail"
	"strings"
	"time"

	"newsdesk/internal/i18n"
	"newsdesk/internal/model"
)

// Sender delivers one message; *Server is the real one.
type Sender interface {
	Send(ctx context.Context, m model.Mail) error
}

// Outbox queues messages with the changes that cause them and delivers
// them from the "mail" job.
type Outbox struct {
	Store Store
	// Sender delivers; nil means no mail server is configured, and
	// nothing is queued (the desk's notifications remain).
	Sender  Sender
	Catalog *i18n.Catalog
	// Lang is the language of a recipient whose own is not known.
	Lang string
	// MaxAttempts is how often a message is tried before it is marked
	// failed: the job runner's own bound, so both give up together.
	MaxAttempts int
	// Queued is called after a transaction that queued mail committed
	// (the job runner's Wake).
	Queued func()
	// Now returns the current time; tests replace it.
	Now func() time.Time
}

func (o *Outbox) now() time.Time {
	if o.Now != nil {
		return o.Now()
	}
	return time.Now()
}

// Enabled reports whether mail is sent at all.
func (o *Outbox) Enabled() bool { return o != nil && o.Sender != nil }

// Message is a message before it is written in a language: a subject and
// paragraphs as catalogue keys with their arguments, and an optional link.
type Message struct {
	To, ToName string
	Lang       string // "" = the outbox's
	Subject    Text
	Paragraphs []Text
	// Link is an absolute URL the message is about; LinkText says it.
	Link     string
	LinkText Text
	// Footer is the last line, small in HTML (why they get the message).
	Footer Text
}

// Text is a catalogue key and its arguments.
type Text struct {
	Key  string
	Args []any
}

// T makes a Text.
func T(key string, args ...any) Text { return Text{Key: key, Args: args} }

var htmlMail = template.Must(template.New("mail").Parse(`<!doctype html>
<html lang="{{.Lang}}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>{{.Subject}}</title></head>
<body style="margin:0;padding:16px;background:#f4f5f7;font-family:-apple-system,'PingFang SC','Microsoft YaHei','Noto Sans CJK SC',sans-serif;color:#1f2328;line-height:1.7">
<div style="max-width:560px;margin:0 auto;background:#fff;border-radius:8px;padding:20px 24px">
<h1 style="font-size:18px;margin:0 0 12px">{{.Subject}}</h1>
{{range .Paragraphs}}<p style="margin:0 0 12px">{{.}}</p>
{{end}}{{if .Link}}<p style="margin:20px 0"><a href="{{.Link}}" style="display:inline-block;background:#0b4a8b;color:#fff;text-decoration:none;padding:10px 18px;border-radius:6px">{{.LinkText}}</a></p>
<p style="margin:0 0 12px;font-size:13px;color:#57606a;word-break:break-all">{{.Link}}</p>
{{end}}{{with .Footer}}<p style="margin:20px 0 0;font-size:12px;color:#57606a">{{.}}</p>{{end}}
</div></body></html>
`))

// Render writes m in its language as a model.Mail: plain text and HTML.
func (o *Outbox) Render(m Message) model.Mail {
	lang := m.Lang
	if lang != i18n.ZH && lang != i18n.EN {
		lang = o.Lang
	}
	if lang == "" {
		lang = i18n.ZH
	}
	t := func(x Text) string {
		if x.Key == "" {
			return ""
		}
		return o.Catalog.T(lang, x.Key, x.Args...)
	}
	data := struct {
		Lang, Subject, Link, LinkText, Footer string
		Paragraphs                            []string
	}{Lang: lang, Subject: t(m.Subject), Link: m.Link, LinkText: t(m.LinkText), Footer: t(m.Footer)}
	var text strings.Builder
	for _, p := range m.Paragraphs {
		data.Paragraphs = append(data.Paragraphs, t(p))
		text.WriteString(t(p) + "\n\n")
	}
	if m.Link != "" {
		text.WriteString(data.LinkText + "\n" + m.Link + "\n\n")
	}
	if data.Footer != "" {
		text.WriteString("-- \n" + data.Footer + "\n")
	}
	var h bytes.Buffer
	if err := htmlMail.Execute(&h, data); err != nil {
		panic("mail: the HTML template failed on strings: " + err.Error())
	}
	return model.Mail{To: m.To, ToName: m.ToName, Subject: data.Subject, Text: text.String(), HTML: h.String()}
}

// Queue writes m into the outbox through tx, the transaction of the change
// that causes it, with the job that sends it: both happen or neither. It
// does nothing when no mail server is configured. Call Queued after the
// transaction commits.
func (o *Outbox) Queue(ctx context.Context, tx Tx, m Message) error {
	if !o.Enabled() {
		return nil
	}
	if m.To == "" {
		return nil
	}
	mm := o.Render(m)
	mm.CreatedAt = o.now()
	if err := tx.QueueMail(ctx, &mm); err != nil {
		return err
	}
	if err := tx.EnqueueJob(ctx, model.JobMail, mm.ID, mm.CreatedAt); err != nil {
		return fmt.Errorf("queue the sending of mail %d: %w", mm.ID, err)
	}
	return nil
}

// Wake tells the job runner that mail was queued.
func (o *Outbox) Wake() {
	if o.Enabled() && o.Queued != nil {
		o.Queued()
	}
}

// Deliver is the "mail" job: it sends outbox message id and records the
// outcome. A failure is returned, so the runner tries again later; after
// the last attempt the message is marked failed and stays for
// administrators to see.
func (o *Outbox) Deliver(ctx context.Context, id int64) error {
	m, err := o.Store.Mail(ctx, id)
	if err != nil {
		return err
	}
	if m.Status != model.MailQueued {
		return nil // sent (or given up) already: a job that ran twice
	}
	if o.Sender == nil {
		return errors.New("no mail server configured (--smtp-url)")
	}
	m.Attempts++
	sendErr := o.Sender.Send(ctx, m)
	if sendErr == nil {
		m.Status, m.LastError, m.SentAt = model.MailSent, "", o.now()
	} else {
		m.LastError = sendErr.Error()
		if o.MaxAttempts > 0 && m.Attempts >= o.MaxAttempts {
			m.Status = model.MailFailed
		}
	}
	if err := o.Store.UpdateMail(ctx, &m); err != nil {
		return errors.Join(sendErr, err)
	}
	return sendErr
}

// List is a page of the outbox for an administrator, newest first, and
// its size.
func (o *Outbox) List(ctx context.Context, actor model.Actor, limit, offset int) ([]model.Mail, int, error) {
	if !actor.User.CanAdminister() {
		return nil, 0, fmt.Errorf("%w: read the outbox", model.ErrForbidden)
	}
	return o.Store.MailList(ctx, limit, offset)
}

// CheckAddress checks a bare e-mail address (no display name, a dotted
// domain) and returns it trimmed: InvalidError "email" when it is not one.
func CheckAddress(email string) (string, error) {
	email = strings.TrimSpace(email)
	a, err := mail.ParseAddress(email)
	if err != nil || a.Address != email || a.Name != "" || !strings.Contains(email[strings.LastIndex(email, "@")+1:], ".") || len(email) > 254 {
		return "", model.Invalid("email", email)
	}
	return email, nil
}

// Package mail sends Newsdesk's e-mail: messages are queued in the outbox
// in the same transaction as the change that caused them, and sent by a
// job through an SMTP server, retried with back-off when the server fails,
// so a mail server that is down never holds up the newsroom's work.
package mail

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/tls"
	"encoding/base64"
	"errors"
	"fmt"
	"mime"
	"mime/multipart"
	"net"
	"net/mail"
	"net/smtp"
	"net/textproto"
	"strings"
	"time"

	"newsdesk/internal/model"
)

// Server is an SMTP server to send through, as --smtp-url named it.
type Server struct {
	Host, Port         string
	Username, Password string
	// Implicit: TLS from the first byte (smtps://).
	Implicit bool
	// NoTLS lets the conversation stay in the clear when the server offers
	// no STARTTLS. Without it only a loopback server may be spoken to in the
	// clear: a password or a signed approval link must not cross a network
	// unencrypted.
	NoTLS bool
	From  mail.Address
	// TLS, when set, is the TLS configuration (tests trust their own CA);
	// nil verifies the server's certificate against the system's roots.
	TLS *tls.Config
	// Timeout bounds one delivery, connection to QUIT (0: 30 s).
	Timeout time.Duration
}

// ErrNoTLS: the server offers no STARTTLS and is not on the loopback.
var ErrNoTLS = errors.New("the SMTP server offers no STARTTLS (add ?tls=none to --smtp-url to send in the clear)")

func (s *Server) tlsConfig() *tls.Config {
	if s.TLS != nil {
		c := s.TLS.Clone()
		if c.ServerName == "" {
			c.ServerName = s.Host
		}
		return c
	}
	return &tls.Config{ServerName: s.Host, MinVersion: tls.VersionTLS12}
}

func loopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// Send delivers one message: connect (TLS at once for smtps), STARTTLS
// when offered (required off the loopback unless NoTLS), authenticate when
// a user is set, then the message.
func (s *Server) Send(ctx context.Context, m model.Mail) error {
	timeout := s.Timeout
	if timeout == 0 {
		timeout = 30 * time.Second
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	addr := net.JoinHostPort(s.Host, s.Port)
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return fmt.Errorf("connect to %s: %w", addr, err)
	}
	defer conn.Close()
	if dl, ok := ctx.Deadline(); ok {
		conn.SetDeadline(dl)
	}
	if s.Implicit {
		tc := tls.Client(conn, s.tlsConfig())
		if err := tc.HandshakeContext(ctx); err != nil {
			return fmt.Errorf("TLS with %s: %w", addr, err)
		}
		conn = tc
	}
	c, err := smtp.NewClient(conn, s.Host)
	if err != nil {
		return fmt.Errorf("SMTP greeting of %s: %w", addr, err)
	}
	defer c.Close()
	if !s.Implicit {
		if ok, _ := c.Extension("STARTTLS"); ok {
			if err := c.StartTLS(s.tlsConfig()); err != nil {
				return fmt.Errorf("STARTTLS with %s: %w", addr, err)
			}
		} else if !s.NoTLS && !loopback(s.Host) {
			return fmt.Errorf("%s: %w", addr, ErrNoTLS)
		}
	}
	if s.Username != "" {
		// PlainAuth itself refuses to send the password in the clear to
		// anything but the loopback.
		if err := c.Auth(smtp.PlainAuth("", s.Username, s.Password, s.Host)); err != nil {
			return fmt.Errorf("SMTP sign-in at %s as %s: %w", addr, s.Username, err)
		}
	}
	if err := c.Mail(s.From.Address); err != nil {
		return fmt.Errorf("SMTP MAIL FROM at %s: %w", addr, err)
	}
	if err := c.Rcpt(m.To); err != nil {
		return fmt.Errorf("SMTP RCPT TO %s at %s: %w", m.To, addr, err)
	}
	w, err := c.Data()
	if err != nil {
		return fmt.Errorf("SMTP DATA at %s: %w", addr, err)
	}
	if _, err := w.Write(s.Compose(m, time.Now())); err != nil {
		return fmt.Errorf("send message to %s: %w", addr, err)
	}
	if err := w.Close(); err != nil {
		return fmt.Errorf("message refused by %s: %w", addr, err)
	}
	return c.Quit()
}

// Compose writes m as a MIME message: a plain-text and an HTML part, both
// UTF-8 in base64 (Chinese text survives any relay), the subject and
// names encoded words.
func (s *Server) Compose(m model.Mail, at time.Time) []byte {
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for _, part := range []struct{ typ, text string }{{"text/plain", m.Text}, {"text/html", m.HTML}} {
		h := textproto.MIMEHeader{}
		h.Set("Content-Type", part.typ+"; charset=UTF-8")
		h.Set("Content-Transfer-Encoding", "base64")
		pw, _ := mw.CreatePart(h) // writes to a buffer: no error
		writeBase64(pw, part.text)
	}
	mw.Close()
	var b bytes.Buffer
	to := mail.Address{Name: m.ToName, Address: m.To}
	host := s.From.Address[strings.LastIndex(s.From.Address, "@")+1:]
	header := [][2]string{
		{"From", s.From.String()},
		{"To", to.String()},
		{"Subject", mime.BEncoding.Encode("UTF-8", m.Subject)},
		{"Date", at.Format(time.RFC1123Z)},
		{"Message-ID", fmt.Sprintf("<newsdesk.%d.%s@%s>", m.ID, rand.Text(), host)},
		{"MIME-Version", "1.0"},
		{"Content-Type", "multipart/alternative; boundary=" + mw.Boundary()},
		{"Auto-Submitted", "auto-generated"},
	}
	for _, kv := range header {
		b.WriteString(kv[0] + ": " + kv[1] + "\r\n")
	}
	b.WriteString("\r\n")
	b.Write(body.Bytes())
	return b.Bytes()
}

// writeBase64 writes text in base64 lines of 76 characters (RFC 2045).
func writeBase64(w interface{ Write([]byte) (int, error) }, text string) {
	enc := base64.StdEncoding.EncodeToString([]byte(text))
	for len(enc) > 76 {
		w.Write([]byte(enc[:76] + "\r\n"))
		enc = enc[76:]
	}
	w.Write([]byte(enc + "\r\n"))
}

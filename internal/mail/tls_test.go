package mail_test

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net/mail"
	"strings"
	"testing"

	newsmail "newsdesk/internal/mail"
	"newsdesk/internal/mail/mailpittest"
	"newsdesk/internal/model"
)

func tlsServer(mp mailpittest.Mailpit, pool *x509.CertPool) *newsmail.Server {
	return &newsmail.Server{Host: mp.Host, Port: mp.Port, Username: mp.Username, Password: mp.Password, Implicit: mp.Implicit,
		From: mail.Address{Name: "新闻中心", Address: "news@example.edu"}, TLS: &tls.Config{RootCAs: pool}}
}

// TestMailGoesOverTLSWithSignIn sends through servers that insist on
// STARTTLS and on TLS from the first byte, both with a password: the
// message arrives; a wrong password, or a certificate nobody vouches for,
// is an error the outbox records.
func TestMailGoesOverTLSWithSignIn(t *testing.T) {
	for _, kind := range []string{"starttls", "smtps"} {
		t.Run(kind, func(t *testing.T) {
			mp, pool := mailpittest.OpenTLS(t, kind)
			ctx := context.Background()
			to := mailpittest.Unique(t, kind)
			m := model.Mail{ID: 1, To: to, ToName: "张老师", Subject: "加密发送：" + kind, Text: "正文", HTML: "<p>正文</p>"}
			if err := tlsServer(mp, pool).Send(ctx, m); err != nil {
				t.Fatalf("send: %v", err)
			}
			if got := mp.Wait(t, to, 1); got.Subject != m.Subject || strings.TrimSpace(got.Text) != "正文" {
				t.Errorf("received: %q %q", got.Subject, got.Text)
			}

			wrong := tlsServer(mp, pool)
			wrong.Password = "not-the-password"
			if err := wrong.Send(ctx, m); err == nil || !strings.Contains(err.Error(), "sign-in") {
				t.Errorf("a wrong password: %v", err)
			}
			untrusted := tlsServer(mp, pool)
			untrusted.TLS = nil // the system's roots do not know the test certificate
			var unknown x509.UnknownAuthorityError
			if err := untrusted.Send(ctx, m); !errors.As(err, &unknown) {
				t.Errorf("a certificate nobody vouches for: %v", err)
			}
		})
	}
}

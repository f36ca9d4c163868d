// Package mailpittest lets tests send to the real SMTP server the test
// setup starts (mailpit, scripts/services/mailpit.sh) and read what
// arrived through its HTTP API.
package mailpittest

import (
	"crypto/x509"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"testing"
	"time"
)

// Mailpit is the running test server.
type Mailpit struct {
	// SMTP is the smtp:// URL to send to; Host and Port are its parts.
	SMTP       string
	Host, Port string
	// API is the base URL of mailpit's HTTP API.
	API string
	// Username and Password sign in (the TLS instances require it).
	Username, Password string
	// Implicit: TLS from the first byte (smtps://).
	Implicit bool
}

// Open returns the test server, or skips the test saying why.
func Open(t testing.TB) Mailpit {
	t.Helper()
	smtpURL, api := os.Getenv("NEWSDESK_TEST_SMTP"), os.Getenv("NEWSDESK_TEST_MAILPIT")
	if smtpURL == "" || api == "" {
		t.Skip("NEWSDESK_TEST_SMTP and NEWSDESK_TEST_MAILPIT are not set: no SMTP server to test against (scripts/services/mailpit.sh starts mailpit)")
	}
	u, err := url.Parse(smtpURL)
	if err != nil {
		t.Fatalf("NEWSDESK_TEST_SMTP: %v", err)
	}
	host, port, err := net.SplitHostPort(u.Host)
	if err != nil {
		t.Fatalf("NEWSDESK_TEST_SMTP: %v", err)
	}
	return Mailpit{SMTP: smtpURL, Host: host, Port: port, API: api}
}

// OpenTLS returns the instance that requires STARTTLS ("starttls") or TLS
// from the first byte ("smtps"), both with sign-in, and the pool that
// trusts its certificate; it skips the test when the setup has none.
func OpenTLS(t testing.TB, kind string) (Mailpit, *x509.CertPool) {
	t.Helper()
	vars := map[string][2]string{"starttls": {"NEWSDESK_TEST_SMTP_STARTTLS", "NEWSDESK_TEST_MAILPIT_STARTTLS"}, "smtps": {"NEWSDESK_TEST_SMTPS", "NEWSDESK_TEST_MAILPIT_SMTPS"}}[kind]
	smtpURL, api, ca := os.Getenv(vars[0]), os.Getenv(vars[1]), os.Getenv("NEWSDESK_TEST_SMTP_CA")
	if smtpURL == "" || api == "" || ca == "" {
		t.Skipf("%s, %s and NEWSDESK_TEST_SMTP_CA are not set: no SMTP server with TLS to test against (scripts/services/mailpit.sh starts one)", vars[0], vars[1])
	}
	u, err := url.Parse(smtpURL)
	if err != nil {
		t.Fatalf("%s: %v", vars[0], err)
	}
	pem, err := os.ReadFile(ca)
	if err != nil {
		t.Fatalf("NEWSDESK_TEST_SMTP_CA: %v", err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		t.Fatalf("NEWSDESK_TEST_SMTP_CA %s holds no certificate", ca)
	}
	pw, _ := u.User.Password()
	return Mailpit{SMTP: smtpURL, Host: u.Hostname(), Port: u.Port(), API: api, Username: u.User.Username(), Password: pw, Implicit: u.Scheme == "smtps"}, pool
}

// Address is a mailbox as mailpit reports it.
type Address struct {
	Name    string
	Address string
}

// Message is a received message as mailpit's API reports it.
type Message struct {
	ID      string
	From    Address
	To      []Address
	Subject string
	Text    string
	HTML    string
	Date    time.Time
	// Headers are the raw headers, by name.
	Headers map[string][]string
}

func (m Mailpit) get(t testing.TB, path string, v any) {
	t.Helper()
	resp, err := http.Get(m.API + path)
	if err != nil {
		t.Fatalf("mailpit API %s: %v", path, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("mailpit API %s: %s", path, resp.Status)
	}
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		t.Fatalf("mailpit API %s: %v", path, err)
	}
}

// To returns the messages received for address, the newest first.
func (m Mailpit) To(t testing.TB, address string) []Message {
	t.Helper()
	var list struct {
		Messages []struct{ ID string }
	}
	m.get(t, "/api/v1/search?query="+url.QueryEscape("to:"+address), &list)
	var out []Message
	for _, s := range list.Messages {
		var msg Message
		m.get(t, "/api/v1/message/"+s.ID, &msg)
		m.get(t, "/api/v1/message/"+s.ID+"/headers", &msg.Headers)
		out = append(out, msg)
	}
	return out
}

// Wait returns the newest message for address once n have arrived. The
// message was handed to mailpit before Wait is called; this only allows
// for mailpit storing it (it answers SMTP before its API sees the
// message).
func (m Mailpit) Wait(t testing.TB, address string, n int) Message {
	t.Helper()
	for i := 0; ; i++ {
		got := m.To(t, address)
		if len(got) >= n {
			return got[0]
		}
		if i == 100 {
			t.Fatalf("mailpit has %d messages for %s, want %d", len(got), address, n)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// Unique returns an address no other test uses, so tests sharing the
// server read only their own mail.
func Unique(t testing.TB, name string) string {
	return fmt.Sprintf("%s.%d@example.edu", name, time.Now().UnixNano())
}

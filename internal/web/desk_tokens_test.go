package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"newsdesk/internal/account"
)

func TestDeskTokenIsShownOnceListedAndRevoked(t *testing.T) {
	a, srv := deskServer(t)
	c := signIn(t, srv, "reviewer")
	res, d := c.post("/desk/tokens", url.Values{"csrf": {c.csrf()}, "name": {"数字标牌"}})
	if res.StatusCode != http.StatusCreated {
		t.Fatalf("create token: %d", res.StatusCode)
	}
	secret := strings.TrimSpace(d.Find("#token-secret").Text())
	if !strings.HasPrefix(secret, account.TokenPrefix) {
		t.Fatalf("no secret shown: %q", secret)
	}
	_, u, err := a.Accounts.TokenUser(context.Background(), secret)
	if err != nil || u.Username != "reviewer" {
		t.Fatalf("the shown secret does not act as the reviewer: %v %v", u.Username, err)
	}
	res, d = c.get("/desk/tokens")
	if res.StatusCode != http.StatusOK || strings.Contains(d.Text(), secret) {
		t.Fatalf("list: %d; secret shown again: %v", res.StatusCode, strings.Contains(d.Text(), secret))
	}
	row := d.Find("tr").FilterFunction(func(_ int, s *goquery.Selection) bool { return strings.Contains(s.Text(), "数字标牌") })
	if row.Length() != 1 {
		t.Fatalf("token not listed once: %d rows", row.Length())
	}
	action, _ := row.Find("form").Attr("action")
	res, _ = c.post(action, url.Values{"csrf": {c.csrf()}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("revoke: %d", res.StatusCode)
	}
	if _, _, err := a.Accounts.TokenUser(context.Background(), secret); err == nil {
		t.Error("revoked token still works")
	}
	if _, d = c.get("/desk/tokens"); strings.Contains(d.Text(), "数字标牌") {
		t.Error("revoked token still listed")
	}
}

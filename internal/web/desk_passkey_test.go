package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"newsdesk/internal/model"

	"github.com/PuerkitoBio/goquery"
)

// TestDeskPasskeySecondStep checks the sign-in's second step over HTTP:
// a user with a passkey is offered it (at a host name; at an IP address,
// which WebAuthn refuses, only a code is asked for), and the step's post
// is refused without the sign-in's CSRF cookie or with an unknown
// challenge. Chromium answers a real challenge in
// TestPasskeyRegisteredThenSignsInInChromium.
func TestDeskPasskeySecondStep(t *testing.T) {
	a, srv := deskServer(t)
	ctx := context.Background()
	u := model.User{Username: "passkey.http", Roles: []string{model.RoleEditor}}
	if err := a.Accounts.AddUser(ctx, model.SystemActor("cli"), &u, "secret-for-passkey-test"); err != nil {
		t.Fatal(err)
	}
	if err := a.Store.CreatePasskey(ctx, &model.Passkey{UserID: u.ID, CredentialID: []byte("credential-1"), PublicKey: []byte("cose"), Name: "key"}); err != nil {
		t.Fatal(err)
	}
	port := srv.URL[strings.LastIndex(srv.URL, ":")+1:]
	// The client's cookie jar goes by the Host asked for, as a browser's does.
	do := func(c *deskClient, method, host, path string, form url.Values) (*http.Response, *goquery.Document) {
		req, _ := http.NewRequest(method, c.base+path, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Host = host
		return c.page(c.c.Do(req))
	}
	post := func(c *deskClient, host, path string, form url.Values) (*http.Response, *goquery.Document) {
		return do(c, http.MethodPost, host, path, form)
	}
	login := func(host string) (*deskClient, *http.Response, *goquery.Document) {
		c := newDeskClient(t, srv)
		_, d := do(c, http.MethodGet, host, "/desk/login", nil)
		tok, _ := d.Find(`input[name=csrf]`).Attr("value")
		res, d := post(c, host, "/desk/login", url.Values{"csrf": {tok}, "username": {u.Username}, "password": {"secret-for-passkey-test"}})
		return c, res, d
	}

	c, res, d := login("localhost:" + port)
	options, _ := d.Find("#passkey-login").Attr("data-options")
	token, _ := d.Find(`#passkey-login input[name=token]`).Attr("value")
	csrf, _ := d.Find(`#passkey-login input[name=csrf]`).Attr("value")
	if res.StatusCode != http.StatusOK || !strings.Contains(options, `"challenge"`) || !strings.Contains(options, `"rpId":"localhost"`) || token == "" {
		t.Fatalf("password step at localhost: %d, options %q, token %q", res.StatusCode, options, token)
	}
	if strings.Contains(d.Find("main").Text(), "改用动态验证码") {
		t.Error("a user without an app is offered a code instead")
	}
	if _, res, d := login("127.0.0.1:" + port); res.StatusCode != http.StatusUnauthorized || d.Find("#passkey-login").Length() != 0 {
		t.Errorf("password step at 127.0.0.1: %d, passkey form %d; want 401 and a code asked for", res.StatusCode, d.Find("#passkey-login").Length())
	}

	if res, _ := post(newDeskClient(t, srv), "localhost:"+port, "/desk/login/passkey", url.Values{"csrf": {csrf}, "token": {token}}); res.StatusCode != http.StatusForbidden {
		t.Errorf("second step without the sign-in cookie: %d, want 403", res.StatusCode)
	}
	res, d = post(c, "localhost:"+port, "/desk/login/passkey", url.Values{"csrf": {csrf}, "token": {"not-a-challenge"}, "response": {"{}"}})
	if res.StatusCode != http.StatusUnauthorized || !strings.Contains(d.Find(".error-box").Text(), "通行密钥验证未通过") {
		t.Errorf("an unknown challenge: %d %q", res.StatusCode, d.Find(".error-box").Text())
	}
	// The real challenge answered with nonsense is a failed sign-in.
	csrf, _ = d.Find(`input[name=csrf]`).Attr("value") // the form shown again has a new one
	res, _ = post(c, "localhost:"+port, "/desk/login/passkey", url.Values{"csrf": {csrf}, "token": {token}, "response": {`{"id":"x"}`}})
	if res.StatusCode != http.StatusUnauthorized {
		t.Errorf("a garbled answer: %d, want 401", res.StatusCode)
	}
	if n, _ := a.Store.CountSignInFailures(ctx, u.Username, "127.0.0.1", time.Time{}); n.Pair != 1 {
		t.Errorf("a garbled answer counted %d failed sign-ins, want 1", n.Pair)
	}
}

package web_test

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/webauthn"
	"github.com/chromedp/chromedp"

	"newsdesk/internal/demo"
	"newsdesk/internal/model"
)

// TestPasskeyRegisteredThenSignsInInChromium registers a passkey on the
// two-step page with Chromium's virtual authenticator (CTAP2, built in,
// with user verification), signs out, and signs in with the password and
// the passkey. Then the authenticator is cloned — the same private key put
// back with its counter at 0 — and the clone's sign-in is refused.
//
// The desk is opened as localhost, which Chromium resolves to the
// loopback itself: WebAuthn binds passkeys to a domain name, never an IP
// address.
func TestPasskeyRegisteredThenSignsInInChromium(t *testing.T) {
	a, srv := deskServer(t)
	base := strings.Replace(srv.URL, "127.0.0.1", "localhost", 1)
	ctx := browser(t, 1280, 900, true)
	u := model.User{Username: "passkey-editor", Name: "通行密钥编辑", Roles: []string{model.RoleEditor}}
	if err := a.Accounts.AddUser(context.Background(), model.SystemActor("cli"), &u, demo.DemoPassword); err != nil {
		t.Fatal(err)
	}
	run := func(step string, actions ...chromedp.Action) {
		t.Helper()
		if err := chromedp.Run(ctx, actions...); err != nil {
			t.Fatalf("%s: %v", step, err)
		}
	}
	var auth webauthn.AuthenticatorID
	run("virtual authenticator", webauthn.Enable(), chromedp.ActionFunc(func(ctx context.Context) error {
		var err error
		auth, err = webauthn.AddVirtualAuthenticator(&webauthn.VirtualAuthenticatorOptions{
			Protocol: webauthn.AuthenticatorProtocolCtap2, Transport: webauthn.AuthenticatorTransportInternal,
			HasResidentKey: true, HasUserVerification: true, IsUserVerified: true, AutomaticPresenceSimulation: true,
		}).Do(ctx)
		return err
	}))
	passwordStep := chromedp.Tasks{
		chromedp.Navigate(base + "/desk/login"),
		chromedp.WaitVisible("#username", chromedp.ByQuery),
		chromedp.SendKeys("#username", u.Username, chromedp.ByQuery),
		chromedp.SendKeys("#password", demo.DemoPassword, chromedp.ByQuery),
		chromedp.Submit("#password", chromedp.ByQuery),
		chromedp.WaitVisible("#passkey-sign-in", chromedp.ByQuery),
	}

	run("sign in with the password alone", deskLogin(base, u.Username))
	run("register a passkey",
		chromedp.Navigate(base+"/desk/2fa"),
		chromedp.WaitVisible("#passkey-add", chromedp.ByQuery), // shown by passkey.js
		chromedp.SendKeys("#passkey-name", "办公室电脑", chromedp.ByQuery),
		clickFor("#passkey-add button[type=submit]", "已添加通行密钥"),
		waitText("td.passkey-name", "办公室电脑"),
		waitText("main", "已用通行密钥开启两步验证"),
	)
	run("its remove button shows", chromedp.WaitVisible("button.passkey-remove", chromedp.ByQuery))
	screenshot(t, ctx, "passkey-1-registered")
	var creds []*webauthn.Credential
	run("the authenticator holds it", chromedp.ActionFunc(func(ctx context.Context) error {
		var err error
		creds, err = webauthn.GetCredentials(auth).Do(ctx)
		return err
	}))
	if len(creds) != 1 || creds[0].RpID != "localhost" {
		t.Fatalf("credentials on the authenticator: %+v", creds)
	}

	run("sign out", deskLogout())
	run("password, then the passkey", passwordStep)
	screenshot(t, ctx, "passkey-2-second-step")
	var where string
	run("passkey answers",
		chromedp.Click("#passkey-sign-in", chromedp.ByQuery),
		chromedp.WaitVisible("form.inline button", chromedp.ByQuery), // signed in
		chromedp.Location(&where),
	)
	if !strings.HasSuffix(where, "/desk/") {
		t.Errorf("after the passkey the browser is at %s, want the desk", where)
	}
	keys, err := a.Store.Passkeys(context.Background(), u.ID)
	if err != nil || len(keys) != 1 || keys[0].LastUsedAt.IsZero() || keys[0].SignCount == 0 {
		t.Fatalf("stored passkey after the sign-in: %+v %v", keys, err)
	}

	// A clone: the same key, its counter back at 0.
	run("sign out again", deskLogout())
	run("clone the authenticator", chromedp.ActionFunc(func(ctx context.Context) error {
		c, err := webauthn.GetCredential(auth, creds[0].CredentialID).Do(ctx)
		if err != nil {
			return err
		}
		if err := webauthn.RemoveCredential(auth, c.CredentialID).Do(ctx); err != nil {
			return err
		}
		c.SignCount = 0
		return webauthn.AddCredential(auth, c).Do(ctx)
	}))
	var msg string
	run("the clone is refused", passwordStep,
		chromedp.Click("#passkey-sign-in", chromedp.ByQuery),
		chromedp.WaitVisible("#username", chromedp.ByQuery), // back at the form
		chromedp.Text(".error-box", &msg, chromedp.ByQuery),
	)
	if !strings.Contains(msg, "通行密钥验证未通过") {
		t.Errorf("the clone's sign-in says %q", msg)
	}
	if after, _ := a.Store.Passkeys(context.Background(), u.ID); after[0].SignCount != keys[0].SignCount {
		t.Errorf("the clone moved the stored counter from %d to %d", keys[0].SignCount, after[0].SignCount)
	}
}

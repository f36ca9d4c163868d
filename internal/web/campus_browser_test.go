package web_test

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"newsdesk/internal/app"
	"newsdesk/internal/campus"
	"newsdesk/internal/demo"
	"newsdesk/internal/model"
)

// signedIn waits for a signed-in desk page (only those have the sign-out button).
var signedIn = chromedp.WaitVisible("form.inline button", chromedp.ByQuery)

// loginError waits for the sign-in page's message and checks it says want.
func loginError(want string) chromedp.Action {
	return waitText(".error-box", want)
}

func run(t *testing.T, ctx context.Context, step string, actions ...chromedp.Action) {
	t.Helper()
	// Within the test's own time, so that the browser can still be asked
	// where it is when a step hangs.
	if err := runFor(ctx, 40*time.Second, actions...); err != nil {
		// Where the browser was and what it said: a step that times out
		// says nothing else.
		var where, text string
		dctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		chromedp.Run(dctx, chromedp.Location(&where), chromedp.Text("body", &text, chromedp.ByQuery))
		t.Fatalf("%s: %v (at %s, saying %.300q)", step, err, where, text)
	}
}

func userCount(t *testing.T, a *app.App) int {
	t.Helper()
	us, err := a.Store.Users(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return len(us)
}

func disable(t *testing.T, a *app.App, username string) {
	t.Helper()
	u := userNamed(t, a, username)
	u.Disabled = true
	if err := a.Accounts.Update(context.Background(), model.SystemActor("cli"), u, ""); err != nil {
		t.Fatal(err)
	}
}

// TestCASSignInInChromium: an editor maps a department code to a unit on
// the desk; a person clicks 统一身份认证 on the sign-in page, types their
// campus password into the CAS server's form and lands on the desk as a
// new contributor of that unit; signing in again (the CAS session lets
// them through) opens the same account; a used ticket is refused with a
// message in Chinese and in English; once disabled, they are refused.
func TestCASSignInInChromium(t *testing.T) {
	a, srv, cas := campusSite(t, false)
	ctx := browser(t, 1280, 900, true)
	base := srv.URL
	unit, err := a.Accounts.UnitID(context.Background(), model.SystemActor("cli"), demo.DemoUnit)
	if err != nil {
		t.Fatal(err)
	}

	run(t, ctx, "editor maps department 0203",
		deskLogin(base, "editor"),
		chromedp.Click(`a[href="/desk/campus"]`, chromedp.ByQuery),
		chromedp.WaitVisible("#department-code", chromedp.ByQuery),
		chromedp.SendKeys("#department-code", "0203", chromedp.ByQuery),
		chromedp.SetValue("#department-unit", itoa(unit), chromedp.ByQuery),
		clickFor("#department-form button", "已保存"),
		waitText("#departments", demo.DemoUnit),
	)
	screenshot(t, ctx, "campus-1-departments")
	run(t, ctx, "editor signs out", deskLogout())

	users := userCount(t, a)
	run(t, ctx, "first sign-in through CAS",
		chromedp.Navigate(base+"/desk/login"),
		chromedp.WaitVisible("#campus-cas", chromedp.ByQuery),
	)
	screenshot(t, ctx, "campus-2-login")
	run(t, ctx, "type the campus password",
		chromedp.Click("#campus-cas", chromedp.ByQuery),
		chromedp.WaitVisible("#username", chromedp.ByQuery),
		chromedp.SendKeys("#username", "20201234", chromedp.ByQuery),
		chromedp.SendKeys("#password", "cas-pw-1", chromedp.ByQuery),
		chromedp.Click("#submit", chromedp.ByQuery),
		signedIn,
		waitText("body", "张三"),
	)
	screenshot(t, ctx, "campus-3-desk")
	u := userNamed(t, a, "20201234")
	if u.UnitID != unit || !u.Has(model.RoleContributor) || len(u.Roles) != 1 || u.Name != "张三" {
		t.Errorf("first sign-in made %+v", u)
	}
	if userCount(t, a) != users+1 {
		t.Errorf("users: %d, want %d", userCount(t, a), users+1)
	}

	run(t, ctx, "sign out and in again",
		deskLogout(),
		chromedp.Click("#campus-cas", chromedp.ByQuery),
		signedIn,
		waitText("body", "张三"),
	)
	if userCount(t, a) != users+1 {
		t.Errorf("the second sign-in made another user")
	}

	// A ticket already validated once (here by another client) is refused.
	service := base + "/desk/login/cas"
	used := cas.Ticket("20201234", service)
	if _, err := (&campus.CAS{URL: cas.URL}).Validate(context.Background(), service, used); err != nil {
		t.Fatal(err)
	}
	// Out of CAS too, so the CAS form shows; the browser has started a
	// sign-in, and brings the used ticket instead of typing.
	run(t, ctx, "a used ticket",
		deskLogout(),
		chromedp.Navigate(cas.URL+"/logout"),
		chromedp.Navigate(base+"/desk/login"),
		chromedp.Click("#campus-cas", chromedp.ByQuery),
		chromedp.WaitVisible("#username", chromedp.ByQuery),
		chromedp.Navigate(service+"?ticket="+url.QueryEscape(used)),
		loginError("统一身份认证的登录票据无效或已被使用"),
	)
	screenshot(t, ctx, "campus-4-used-ticket")
	run(t, ctx, "a used ticket, in English",
		chromedp.Navigate(service+"?lang=en&ticket="+url.QueryEscape(used)),
		loginError("The campus sign-in ticket is invalid or was used already"),
		chromedp.Navigate(base+"/desk/login?lang=zh-CN"),
	)

	disable(t, a, "20201234")
	run(t, ctx, "a disabled user is refused",
		chromedp.WaitVisible("#campus-cas", chromedp.ByQuery),
		chromedp.Click("#campus-cas", chromedp.ByQuery),
		chromedp.WaitVisible("#username", chromedp.ByQuery),
		chromedp.SendKeys("#username", "20201234", chromedp.ByQuery),
		chromedp.SendKeys("#password", "cas-pw-1", chromedp.ByQuery),
		chromedp.Click("#submit", chromedp.ByQuery),
		loginError("您的账号已被停用"),
	)
	screenshot(t, ctx, "campus-5-disabled")

	// An administrator links the editor's account to its campus identity
	// on the users page; signing in as that person then opens it.
	editor := userNamed(t, a, "editor")
	run(t, ctx, "administrator links an identity",
		deskLogin(base, "admin"),
		chromedp.Navigate(base+"/desk/users"),
		chromedp.WaitVisible("#link-form", chromedp.ByQuery),
		chromedp.SetValue(`#link-form select[name=user]`, itoa(editor.ID), chromedp.ByQuery),
		chromedp.SetValue(`#link-form select[name=provider]`, "cas", chromedp.ByQuery),
		chromedp.SendKeys(`#link-form input[name=subject]`, "20190001", chromedp.ByQuery),
		clickFor("#link-form button", "已保存"),
		waitText("#identities", "20190001"),
	)
	screenshot(t, ctx, "campus-6-link")
	run(t, ctx, "the linked person signs in through CAS",
		deskLogout(),
		chromedp.Navigate(cas.URL+"/logout"),
		chromedp.Navigate(base+"/desk/login"),
		chromedp.Click("#campus-cas", chromedp.ByQuery),
		chromedp.WaitVisible("#username", chromedp.ByQuery),
		chromedp.SendKeys("#username", "20190001", chromedp.ByQuery),
		chromedp.SendKeys("#password", "cas-pw-3", chromedp.ByQuery),
		chromedp.Click("#submit", chromedp.ByQuery),
		signedIn,
		waitText("body", editor.Name),
	)
}

// runFor runs actions for at most d: an evaluation sent while a page
// goes can wait for a context that never comes, and the loop that sent it
// should look again rather than wait out the test.
func runFor(ctx context.Context, d time.Duration, actions ...chromedp.Action) error {
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	return chromedp.Run(ctx, actions...)
}

// providerSignIn clicks the sign-in page's campus button and completes the
// OpenID provider's pages: its sign-in form when it asks who you are, its
// consent page when it asks for consent, until the browser is back on
// Newsdesk. Each page is acted on once: it is marked before its button is
// clicked, so a page still unloading is not taken for the next one — nor
// Newsdesk's sign-in page, before the browser has left it, for the page
// it comes back to.
func providerSignIn(base, login string) chromedp.Action {
	return chromedp.ActionFunc(func(ctx context.Context) error {
		if err := runFor(ctx, 10*time.Second, chromedp.WaitVisible("#campus-oidc", chromedp.ByQuery),
			chromedp.Evaluate(`document.body.dataset.sent = "1"`, nil), chromedp.Click("#campus-oidc", chromedp.ByQuery)); err != nil {
			return fmt.Errorf("the campus sign-in button: %w", err)
		}
		for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
			var state string
			err := runFor(ctx, 5*time.Second, chromedp.Evaluate(fmt.Sprintf(`(() => {
				if (document.readyState !== "complete" || !document.body || document.body.dataset.sent) return "";
				if (location.href.startsWith(%q)) return "back";
				if (document.querySelector("input[name=login]")) return "login";
				if (document.querySelector("button[type=submit]")) return "consent";
				return "";
			})()`, base), &state))
			if err != nil {
				continue // the page is changing
			}
			var fill []chromedp.Action
			switch state {
			case "back":
				return nil
			case "login":
				fill = []chromedp.Action{
					chromedp.SendKeys("input[name=login]", login, chromedp.ByQuery),
					chromedp.SendKeys("input[name=password]", "any-password", chromedp.ByQuery),
				}
			case "consent":
			default:
				continue
			}
			fill = append(fill, chromedp.Evaluate(`document.body.dataset.sent = "1"`, nil), chromedp.Click("button[type=submit]", chromedp.ByQuery))
			if err := runFor(ctx, 10*time.Second, fill...); err != nil {
				return fmt.Errorf("provider %s page: %w", state, err)
			}
		}
		var where, text string
		chromedp.Run(ctx, chromedp.Location(&where), chromedp.Text("body", &text, chromedp.ByQuery))
		return fmt.Errorf("the OpenID provider did not send the browser back to %s: at %s, saying %q", base, where, text)
	})
}

// TestOIDCSignInInChromium signs in through a real OpenID provider
// (oidc-provider, started by scripts/services/oidc.sh): code flow with
// PKCE, state and nonce. The first sign-in makes the contributor in the
// unit mapped from the department claim, the second opens the same
// account, the provider's answer replayed is refused (its state was for
// one use), a forged state is refused, and a disabled user is refused.
func TestOIDCSignInInChromium(t *testing.T) {
	a, srv, _ := campusSite(t, true)
	bctx := browser(t, 1280, 900, true)
	base := srv.URL
	bg := context.Background()
	unit, err := a.Accounts.UnitID(bg, model.SystemActor("cli"), demo.DemoUnit)
	if err != nil {
		t.Fatal(err)
	}
	admin := model.Actor{User: userNamed(t, a, "admin"), IP: "127.0.0.1", Via: "desk"}
	if err := a.Campus.SetDepartmentUnit(bg, admin, "0305", unit); err != nil {
		t.Fatal(err)
	}
	// Note where the provider sends the browser back, to replay it.
	callbacks := make(chan string, 8)
	chromedp.ListenTarget(bctx, func(ev any) {
		if e, ok := ev.(*network.EventRequestWillBeSent); ok && strings.HasPrefix(e.Request.URL, base+"/desk/login/oidc/callback") {
			select {
			case callbacks <- e.Request.URL:
			default:
			}
		}
	})
	users := userCount(t, a)
	run(t, bctx, "first sign-in through OpenID",
		chromedp.Navigate(base+"/desk/login"),
		providerSignIn(base, "20209999"),
		signedIn,
		waitText("body", "王五"),
	)
	screenshot(t, bctx, "campus-7-oidc-desk")
	u := userNamed(t, a, "wang.wu")
	if u.UnitID != unit || !u.Has(model.RoleContributor) || len(u.Roles) != 1 || u.Name != "王五" {
		t.Errorf("first sign-in made %+v", u)
	}
	if link, err := a.Store.Identity(bg, campus.ProviderOIDC, "20209999"); err != nil || link.UserID != u.ID || link.Email != "wangwu@example.edu" {
		t.Errorf("link %+v %v", link, err)
	}
	var callback string
	select {
	case callback = <-callbacks:
	default:
		t.Fatal("no callback seen")
	}
	if !strings.Contains(callback, "code=") || !strings.Contains(callback, "state=") {
		t.Errorf("callback %s", callback)
	}

	run(t, bctx, "sign out and in again",
		deskLogout(),
		providerSignIn(base, "20209999"),
		signedIn,
		waitText("body", "王五"),
	)
	if userCount(t, a) != users+1 {
		t.Errorf("users: %d, want %d", userCount(t, a), users+1)
	}

	run(t, bctx, "the provider's answer replayed",
		deskLogout(),
		chromedp.Navigate(callback),
		loginError("这次登录已过期或不是从本站发起的"),
	)
	screenshot(t, bctx, "campus-8-oidc-replayed")
	run(t, bctx, "a forged state, in English",
		chromedp.Navigate(base+"/desk/login/oidc/callback?lang=en&state=forged&code=forged"),
		loginError("This sign-in has expired or was not started here"),
		chromedp.Navigate(base+"/desk/login?lang=zh-CN"),
	)

	disable(t, a, "wang.wu")
	run(t, bctx, "a disabled user is refused",
		providerSignIn(base, "20209999"),
		loginError("您的账号已被停用"),
	)
}

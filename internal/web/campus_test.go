package web_test

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"newsdesk/internal/app"
	"newsdesk/internal/campus"
	"newsdesk/internal/campus/castest"
	"newsdesk/internal/config"
	"newsdesk/internal/demo"
	"newsdesk/internal/model"
)

// campusPeople are the people the CAS test server knows.
var campusPeople = map[string]castest.User{
	"20201234": {Password: "cas-pw-1", Attributes: map[string][]string{"displayName": {"张三"}, "department": {"0203"}, "mail": {"zhangsan@example.edu"}}},
	"20205678": {Password: "cas-pw-2", Attributes: map[string][]string{"displayName": {"李四"}, "department": {"0203"}}},
	"20190001": {Password: "cas-pw-3", Attributes: map[string][]string{"displayName": {"老编辑"}, "department": {"0001"}}},
}

// campusSite is a small demo site with campus sign-in through a CAS test
// server (written from the CAS 3.0 specification: no real CAS server can
// be installed here) and, when NEWSDESK_TEST_OIDC_ISSUER names one, a real
// OpenID provider. Its address is known before it starts, since the CAS
// service URL and the OpenID redirect are built from --base-url.
func campusSite(t *testing.T, withOIDC bool, extra ...string) (*app.App, *httptest.Server, *castest.Server) {
	t.Helper()
	people := map[string]castest.User{}
	for k, v := range campusPeople {
		people[k] = v
	}
	cas := castest.New(people)
	t.Cleanup(cas.Close)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	base := "http://" + l.Addr().String()
	args := []string{"--data", t.TempDir(), "--base-url", base, "--cas-url", cas.URL + "/"}
	if withOIDC {
		issuer := os.Getenv("NEWSDESK_TEST_OIDC_ISSUER")
		if issuer == "" {
			l.Close()
			t.Skip("NEWSDESK_TEST_OIDC_ISSUER is unset: scripts/services/oidc.sh starts a real OpenID provider (npm oidc-provider); run scripts/test.sh")
		}
		args = append(args, "--oidc-issuer", issuer, "--oidc-client-id", os.Getenv("NEWSDESK_TEST_OIDC_CLIENT_ID"),
			"--oidc-client-secret", os.Getenv("NEWSDESK_TEST_OIDC_CLIENT_SECRET"))
	}
	cfg, err := config.Parse("test", append(args, extra...))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	a, err := app.Open(ctx, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	if err := a.LoadDemo(ctx, demo.Options{Until: demoUntil, Seed: 1, Articles: 3}); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(a.Web)
	srv.Listener.Close()
	srv.Listener = l
	srv.Start()
	t.Cleanup(srv.Close)
	return a, srv, cas
}

func userNamed(t *testing.T, a *app.App, username string) model.User {
	t.Helper()
	u, err := a.Store.UserByName(context.Background(), username)
	if err != nil {
		t.Fatalf("user %s: %v", username, err)
	}
	return u
}

// casBrowser is an HTTP client that follows redirects and types into the
// CAS server's form, noting the service tickets it carries back.
type casBrowser struct {
	*http.Client
	tickets []string
}

func newCASBrowser() *casBrowser {
	jar, _ := cookiejar.New(nil)
	b := &casBrowser{}
	b.Client = &http.Client{Jar: jar, CheckRedirect: func(r *http.Request, via []*http.Request) error {
		if t := r.URL.Query().Get("ticket"); t != "" {
			b.tickets = append(b.tickets, t)
		}
		return nil
	}}
	return b
}

// signIn goes from the desk's CAS button through the CAS form and back,
// and returns the last page.
func (b *casBrowser) signIn(t *testing.T, base, user, password string) (*http.Response, *goquery.Document) {
	t.Helper()
	res, err := b.Get(base + "/desk/login/cas")
	if err != nil {
		t.Fatal(err)
	}
	d := parsePage(t, res)
	if d.Find("form input#password").Length() == 1 { // the CAS form; with a CAS session there is none
		service, _ := d.Find("input[name=service]").Attr("value")
		action, _ := url.Parse(res.Request.URL.String())
		res, err = b.PostForm(action.Scheme+"://"+action.Host+"/login", url.Values{"service": {service}, "username": {user}, "password": {password}})
		if err != nil {
			t.Fatal(err)
		}
		d = parsePage(t, res)
	}
	return res, d
}

func parsePage(t *testing.T, res *http.Response) *goquery.Document {
	t.Helper()
	defer res.Body.Close()
	d, err := goquery.NewDocumentFromReader(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// TestCASSignInOverHTTP walks the CAS protocol with a plain HTTP client:
// the service URL is the site's configured address; a first sign-in from
// an unmapped department is refused, from a mapped one makes the
// contributor; the ticket cannot be used twice; the CAS server's single
// logout ends the session; a linked account's password is refused once
// campus sign-in is required.
func TestCASSignInOverHTTP(t *testing.T) {
	a, srv, cas := campusSite(t, false)
	ctx := context.Background()

	c := newDeskClient(t, srv)
	res, _ := c.get("/desk/login/cas?next=" + url.QueryEscape("/desk/search"))
	want := cas.URL + "/login?service=" + url.QueryEscape(srv.URL+"/desk/login/cas")
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != want {
		t.Fatalf("sign-in button: %d → %s, want %s", res.StatusCode, res.Header.Get("Location"), want)
	}

	b := newCASBrowser()
	res, d := b.signIn(t, srv.URL, "20201234", "cas-pw-1")
	if res.StatusCode != http.StatusForbidden || !strings.Contains(d.Find(".error-box").Text(), "代码 0203") {
		t.Fatalf("unmapped department: %d %q", res.StatusCode, d.Find(".error-box").Text())
	}
	if _, err := a.Store.UserByName(ctx, "20201234"); err == nil {
		t.Fatal("a refused first sign-in made a user")
	}

	editor := signIn(t, srv, "editor")
	unit, _ := a.Accounts.UnitID(ctx, model.SystemActor("cli"), demo.DemoUnit)
	res, _ = editor.post("/desk/campus/departments", url.Values{"csrf": {editor.csrf()}, "code": {"0203"}, "unit": {itoa(unit)}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("map the department: %d", res.StatusCode)
	}

	res, d = b.signIn(t, srv.URL, "20201234", "cas-pw-1")
	if res.StatusCode != http.StatusOK || res.Request.URL.Path != "/desk/" || d.Find("form.inline button").Length() == 0 {
		t.Fatalf("sign-in: %d at %s: %s", res.StatusCode, res.Request.URL, d.Find(".error-box").Text())
	}
	u := userNamed(t, a, "20201234")
	if u.Name != "张三" || u.UnitID != unit || !u.Has(model.RoleContributor) || u.PasswordHash != "" {
		t.Errorf("new user = %+v", u)
	}
	// A ticket brought by a browser that started no sign-in here is not
	// even validated: it would sign that browser in as someone else.
	planted := cas.Ticket("20205678", srv.URL+"/desk/login/cas")
	victim := newDeskClient(t, srv)
	res, d = victim.get("/desk/login/cas?ticket=" + url.QueryEscape(planted))
	if res.StatusCode != http.StatusForbidden || !strings.Contains(d.Find(".error-box").Text(), "不是从本站发起的") || cas.Failures("INVALID_TICKET") != 0 {
		t.Errorf("planted ticket: %d %q", res.StatusCode, d.Find(".error-box").Text())
	}
	if _, err := a.Store.UserByName(ctx, "20205678"); err == nil {
		t.Error("a planted ticket signed in")
	}
	// The ticket that signed in cannot sign in again, even in a browser
	// that started a sign-in.
	ticket := b.tickets[len(b.tickets)-1]
	replay := newDeskClient(t, srv)
	replay.get("/desk/login/cas") // starts a sign-in: the redirect to CAS
	res, d = replay.get("/desk/login/cas?ticket=" + url.QueryEscape(ticket))
	if res.StatusCode != http.StatusForbidden || !strings.Contains(d.Find(".error-box").Text(), "票据无效或已被使用") || slices.ContainsFunc(res.Cookies(), func(c *http.Cookie) bool { return c.Name == "nd_session" }) {
		t.Errorf("replayed ticket: %d %q", res.StatusCode, d.Find(".error-box").Text())
	}
	res, d = replay.get("/desk/login/cas?lang=en&ticket=ST-forged-000000000000000000000000000")
	if res.StatusCode != http.StatusForbidden || !strings.Contains(d.Find(".error-box").Text(), "invalid or was used already") {
		t.Errorf("forged ticket in English: %d %q", res.StatusCode, d.Find(".error-box").Text())
	}

	// Single logout: signing out of CAS ends the desk session.
	if res, err := b.Get(srv.URL + "/desk/"); err != nil || res.Request.URL.Path != "/desk/" {
		t.Fatalf("desk before single logout: %v %v", res.Request.URL, err)
	}
	if err := cas.Logout("20201234"); err != nil {
		t.Fatal(err)
	}
	// One request per ticket of the CAS session: the refused first
	// sign-in's and the one that opened the desk session.
	if got := cas.Logouts(); len(got) != 2 || !slices.Contains(got, ticket) {
		t.Errorf("logout requests sent: %q, want two with %q", got, ticket)
	}
	if res, err := b.Get(srv.URL + "/desk/"); err != nil || res.Request.URL.Path != "/desk/login" {
		t.Errorf("desk after single logout: %v %v", res.Request.URL, err)
	}
	// A logout request that is no such thing is refused.
	if res, err := http.PostForm(srv.URL+"/desk/login/cas/logout", url.Values{"logoutRequest": {"<nonsense/>"}}); err != nil || res.StatusCode != http.StatusBadRequest {
		t.Errorf("nonsense logout request: %v %v", res.StatusCode, err)
	}

	// Required campus sign-in: the linked editor's password is refused,
	// the administrator's (break-glass) is not.
	admin := signIn(t, srv, "admin")
	ed := userNamed(t, a, "editor")
	res, d = admin.post("/desk/campus/identities", url.Values{"csrf": {admin.csrf()}, "user": {itoa(ed.ID)}, "provider": {"cas"}, "subject": {"20190001"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("link: %d %s", res.StatusCode, d.Find(".error-box").Text())
	}
	res, d = admin.post("/desk/campus/identities", url.Values{"csrf": {admin.csrf()}, "user": {itoa(u.ID)}, "provider": {"cas"}, "subject": {"20190001"}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(d.Find(".error-box").Text(), "已关联到用户 editor") {
		t.Errorf("second link of one identity: %d %q", res.StatusCode, d.Find(".error-box").Text())
	}
	_, d = admin.get("/desk/users")
	if !strings.Contains(d.Find("#identities").Text(), "20190001") || !strings.Contains(d.Find("#identities").Text(), "zhangsan@example.edu") {
		t.Errorf("users page lists %q", d.Find("#identities").Text())
	}
	res, _ = admin.post("/desk/campus/settings", url.Values{"csrf": {admin.csrf()}, "required": {"1"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("require campus sign-in: %d", res.StatusCode)
	}
	lc := newDeskClient(t, srv)
	_, d = lc.get("/desk/login")
	tok, _ := d.Find(`input[name=csrf]`).Attr("value")
	res, d = lc.post("/desk/login", url.Values{"csrf": {tok}, "username": {"editor"}, "password": {demo.DemoPassword}})
	if res.StatusCode != http.StatusForbidden || !strings.Contains(d.Find(".error-box").Text(), "须通过统一身份认证登录") {
		t.Errorf("linked editor's password: %d %q", res.StatusCode, d.Find(".error-box").Text())
	}
	signIn(t, srv, "admin")
	signIn(t, srv, "reviewer") // a local account without a link
	// The linked editor signs in through CAS into the editor account.
	res, _ = newCASBrowser().signIn(t, srv.URL, "20190001", "cas-pw-3")
	if res.Request.URL.Path != "/desk/" {
		t.Errorf("linked sign-in ended at %s", res.Request.URL)
	}
	for _, action := range []string{"campus_user_created", "campus_department", "campus_link", "settings", "logout"} {
		found := false
		es, _, _ := a.Store.Audit(ctx, 200, 0)
		for _, e := range es {
			found = found || e.Action == action
		}
		if !found {
			t.Errorf("no %s in the audit log", action)
		}
	}
	if _, err := a.Store.Identity(ctx, campus.ProviderCAS, "20190001"); err != nil {
		t.Error(err)
	}
}

// The campus sign-in routes answer with the desk's security headers, and
// the routes of a provider that is not configured answer 404.
func TestCampusRoutesCarryDeskHeaders(t *testing.T) {
	_, srv, _ := campusSite(t, false)
	cases := []struct {
		method, path string
		status       int
	}{
		{"GET", "/desk/login/cas", http.StatusSeeOther},
		{"GET", "/desk/login/cas?ticket=ST-x", http.StatusForbidden},
		{"POST", "/desk/login/cas", http.StatusBadRequest},
		{"POST", "/desk/login/cas/logout", http.StatusBadRequest},
		{"GET", "/desk/login/oidc", http.StatusNotFound},
		{"GET", "/desk/login/oidc/callback?state=x&code=y", http.StatusNotFound},
	}
	for _, tc := range cases {
		req, _ := http.NewRequest(tc.method, srv.URL+tc.path, nil)
		if tc.method == "POST" {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
		res, err := srv.Client().Transport.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != tc.status {
			t.Errorf("%s %s: %d, want %d", tc.method, tc.path, res.StatusCode, tc.status)
		}
		if csp := res.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "frame-ancestors 'none'") || res.Header.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("%s %s: CSP %q, nosniff %q", tc.method, tc.path, csp, res.Header.Get("X-Content-Type-Options"))
		}
		if tc.method == "GET" && res.Header.Get("Cache-Control") != "no-store" && res.StatusCode != http.StatusNotFound {
			t.Errorf("%s %s: Cache-Control %q", tc.method, tc.path, res.Header.Get("Cache-Control"))
		}
	}
}

// With the desk on a listener of its own (--desk-addr), campus sign-in
// comes back to the desk's address (--desk-url), not the public site's.
func TestCampusReturnsToTheDeskURL(t *testing.T) {
	_, srv, cas := campusSite(t, false, "--desk-url", "https://desk.example.edu/")
	res, _ := newDeskClient(t, srv).get("/desk/login/cas")
	want := cas.URL + "/login?service=" + url.QueryEscape("https://desk.example.edu/desk/login/cas")
	if res.Header.Get("Location") != want {
		t.Errorf("sign-in goes to %s, want %s", res.Header.Get("Location"), want)
	}
}

package web_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"newsdesk/internal/model"

	"github.com/PuerkitoBio/goquery"
	"github.com/pquerna/otp/totp"
	"github.com/xuri/excelize/v2"
)

// The probe of issue 11: five wrong passwords for an account from five
// addresses no longer keep its owner out; an address that keeps guessing
// waits; an administrator sees it on the desk and clears it.
func TestDeskWrongPasswordsFromElsewhereDoNotLockTheOwnerOut(t *testing.T) {
	a, srv := deskServer(t)
	a.Web.TrustProxy = true
	defer func() { a.Web.TrustProxy = false }()
	u := model.User{Username: "probed", Roles: []string{model.RoleEditor}}
	if err := a.Accounts.AddUser(context.Background(), model.SystemActor("cli"), &u, "owner-secret-pw"); err != nil {
		t.Fatal(err)
	}
	login := func(pw, from string) int {
		t.Helper()
		c := newDeskClient(t, srv)
		_, d := c.get("/desk/login")
		tok, _ := d.Find(`input[name=csrf]`).Attr("value")
		req, _ := http.NewRequest("POST", srv.URL+"/desk/login", strings.NewReader(url.Values{"csrf": {tok}, "username": {"probed"}, "password": {pw}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("X-Forwarded-For", from)
		res, err := c.c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode
	}
	for i := 0; i < 5; i++ {
		if got := login("guess", fmt.Sprintf("203.0.113.%d", i)); got != http.StatusUnauthorized {
			t.Fatalf("guess %d: %d", i, got)
		}
	}
	if got := login("owner-secret-pw", "192.0.2.1"); got != http.StatusSeeOther {
		t.Errorf("the owner after five guesses from five addresses: %d, want a sign-in", got)
	}
	for i := 0; i < 5; i++ {
		login("guess", "203.0.113.200")
	}
	if got := login("owner-secret-pw", "203.0.113.200"); got != http.StatusTooManyRequests {
		t.Errorf("the right password from an address that guessed five times: %d, want 429", got)
	}
	admin := signIn(t, srv, "admin")
	_, d := admin.get("/desk/sign-ins")
	row := d.Find(".sign-ins tr").FilterFunction(func(_ int, s *goquery.Selection) bool { return strings.Contains(s.Text(), "203.0.113.200") })
	if !strings.Contains(row.Text(), "probed") || !strings.Contains(row.Text(), "5") || !strings.Contains(row.Text(), "秒") {
		t.Fatalf("the administrator's list lacks the slowed-down address: %q", d.Find(".sign-ins").Text())
	}
	if res, _ := admin.post("/desk/sign-ins/clear", url.Values{"csrf": {admin.csrf()}, "username": {"probed"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("clear: %d", res.StatusCode)
	}
	if got := login("owner-secret-pw", "203.0.113.200"); got != http.StatusSeeOther {
		t.Errorf("after the administrator cleared it: %d, want a sign-in", got)
	}
	entries, _, _ := a.Store.Audit(context.Background(), 5, 0)
	found := false
	for _, e := range entries {
		found = found || e.Action == "sign_in_cleared" && e.Target == "user probed"
	}
	if !found {
		t.Errorf("clearing is not in the audit log: %+v", entries)
	}
}

// A user sees where they are signed in and ends a session from another
// device, which is then signed out.
func TestDeskUserEndsAnotherSession(t *testing.T) {
	a, srv := deskServer(t)
	u := model.User{Username: "two.devices", Roles: []string{model.RoleEditor}}
	if err := a.Accounts.AddUser(context.Background(), model.SystemActor("cli"), &u, "two-devices-password"); err != nil {
		t.Fatal(err)
	}
	login := func() *deskClient {
		c := newDeskClient(t, srv)
		_, d := c.get("/desk/login")
		tok, _ := d.Find(`input[name=csrf]`).Attr("value")
		if res, _ := c.post("/desk/login", url.Values{"csrf": {tok}, "username": {"two.devices"}, "password": {"two-devices-password"}}); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("sign in: %d", res.StatusCode)
		}
		return c
	}
	laptop, phone := login(), login()
	_, d := laptop.get("/desk/sessions")
	rows := d.Find(".sessions tbody tr")
	if rows.Length() != 2 || !strings.Contains(rows.Text(), "127.0.0.1") || !strings.Contains(d.Text(), "闲置 30 分钟") {
		t.Fatalf("sessions page: %d rows: %q", rows.Length(), d.Find(".sessions").Text())
	}
	other := rows.FilterFunction(func(_ int, s *goquery.Selection) bool { return !strings.Contains(s.Text(), "当前") })
	handle, _ := other.Find(`input[name=session]`).Attr("value")
	if res, _ := laptop.post("/desk/sessions/end", url.Values{"csrf": {laptop.csrf()}, "session": {handle}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("end: %d", res.StatusCode)
	}
	if res, _ := phone.get("/desk/"); res.StatusCode != http.StatusSeeOther {
		t.Errorf("the ended session still works: %d", res.StatusCode)
	}
	if res, _ := laptop.get("/desk/"); res.StatusCode != http.StatusOK {
		t.Errorf("the session that ended the other: %d", res.StatusCode)
	}
}

// A password past the policy's age is changed first: every desk page sends
// the session to the password form until it is.
func TestDeskExpiredPasswordIsChangedFirst(t *testing.T) {
	a, srv := deskServer(t)
	ctx := context.Background()
	admin := signIn(t, srv, "admin")
	setMaxAge := func(days string) {
		t.Helper()
		if res, _ := admin.post("/desk/password-policy", url.Values{"csrf": {admin.csrf()}, "min_length": {"12"}, "history": {"5"}, "max_age": {days}}); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("set the policy: %d", res.StatusCode)
		}
	}
	setMaxAge("90")
	t.Cleanup(func() { setMaxAge("0") })
	u := model.User{Username: "old.password", Roles: []string{model.RoleEditor}}
	if err := a.Accounts.AddUser(ctx, model.SystemActor("cli"), &u, "set-long-ago-pw"); err != nil {
		t.Fatal(err)
	}
	stored, _ := a.Store.User(ctx, u.ID)
	if err := a.Store.SetPassword(ctx, u.ID, stored.PasswordHash, time.Now().Add(-100*24*time.Hour), 5); err != nil {
		t.Fatal(err)
	}
	c := newDeskClient(t, srv)
	_, d := c.get("/desk/login")
	tok, _ := d.Find(`input[name=csrf]`).Attr("value")
	if res, _ := c.post("/desk/login", url.Values{"csrf": {tok}, "username": {"old.password"}, "password": {"set-long-ago-pw"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign in: %d", res.StatusCode)
	}
	if res, _ := c.get("/desk/"); res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/desk/password") {
		t.Errorf("the dashboard with an expired password: %d → %q", res.StatusCode, res.Header.Get("Location"))
	}
	_, d = c.get("/desk/password?flash=desk.password_expired")
	if !strings.Contains(d.Text(), "密码已过期") || !strings.Contains(d.Text(), "至少 12 个字符") {
		t.Errorf("password page: %q", d.Find("main").Text())
	}
	csrf, _ := d.Find(`input[name=csrf]`).Attr("value")
	if res, _ := c.post("/desk/articles", url.Values{"csrf": {csrf}, "title": {"x"}}); res.StatusCode != http.StatusForbidden {
		t.Errorf("writing a story with an expired password: %d, want 403", res.StatusCode)
	}
	if res, d := c.post("/desk/password", url.Values{"csrf": {csrf}, "old": {"set-long-ago-pw"}, "new": {"old.password-2026"}}); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(d.Find(".error-box").Text(), "不能包含用户名") {
		t.Errorf("a new password with the user name: %d", res.StatusCode)
	}
	if res, _ := c.post("/desk/password", url.Values{"csrf": {csrf}, "old": {"set-long-ago-pw"}, "new": {"a-brand-new-pw"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("change: %d", res.StatusCode)
	}
	if res, _ := c.get("/desk/"); res.StatusCode != http.StatusOK {
		t.Errorf("after the change: %d", res.StatusCode)
	}
}

// The audit page filters by user, action, target and date, and exports
// what it shows as CSV and XLSX.
func TestDeskAuditFiltersAndExports(t *testing.T) {
	a, srv := deskServer(t)
	u := model.User{Username: "audited", Name: "被审计者", Roles: []string{model.RoleEditor}}
	if err := a.Accounts.AddUser(context.Background(), model.SystemActor("cli"), &u, "secret-for-the-log"); err != nil {
		t.Fatal(err)
	}
	c := newDeskClient(t, srv)
	_, d := c.get("/desk/login")
	tok, _ := d.Find(`input[name=csrf]`).Attr("value")
	c.post("/desk/login", url.Values{"csrf": {tok}, "username": {"audited"}, "password": {"secret-for-the-log"}})
	admin := signIn(t, srv, "admin")
	today := time.Now().In(time.FixedZone("CST", 8*3600)).Format("2006-01-02")
	q := url.Values{"user": {itoa(u.ID)}, "action": {"login"}, "target": {"user audited"}, "from": {today}, "to": {today}}
	_, d = admin.get("/desk/audit?" + q.Encode())
	rows := d.Find(".audit tbody tr")
	if rows.Length() != 1 || !strings.Contains(rows.Text(), "login · user audited") || !strings.Contains(rows.Text(), "被审计者") {
		t.Errorf("filtered audit page: %d rows %q", rows.Length(), rows.Text())
	}
	if _, d := admin.get("/desk/audit?action=login&from=2001-01-01&to=2001-01-02"); d.Find(".audit tbody tr").Length() != 0 {
		t.Error("a day long ago shows entries")
	}
	if res, _ := admin.get("/desk/audit?from=yesterday"); res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("a bad date: %d", res.StatusCode)
	}
	href, _ := d.Find(`a[href*="format=csv"]`).Attr("href")
	res, err := admin.c.Get(srv.URL + href)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	recs, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(body, []byte("\ufeff")))).ReadAll()
	if err != nil || res.Header.Get("Content-Type") != "text/csv; charset=utf-8" || len(recs) != 2 || recs[1][2] != "被审计者" || recs[1][3] != "login" {
		t.Errorf("CSV export: %v %q %v", err, res.Header.Get("Content-Type"), recs)
	}
	res, err = admin.c.Get(srv.URL + strings.Replace(href, "format=csv", "format=xlsx", 1))
	if err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(res.Body)
	res.Body.Close()
	if err != nil {
		t.Fatal(err)
	}
	xrows, _ := f.GetRows("Sheet1")
	if len(xrows) != 2 || xrows[0][0] != "编号" || xrows[1][4] != "user audited" {
		t.Errorf("XLSX export: %v", xrows)
	}
}

// Two-step sign-in set up in the desk: the QR code is an inline SVG, the
// code confirms it, recovery codes are shown once; afterwards the password
// alone is refused and password plus code signs in.
func TestDeskTwoStepSignIn(t *testing.T) {
	a, srv := deskServer(t)
	u := model.User{Username: "two.step", Roles: []string{model.RoleEditor}}
	if err := a.Accounts.AddUser(context.Background(), model.SystemActor("cli"), &u, "secret-for-2fa-test"); err != nil {
		t.Fatal(err)
	}
	login := func(code string) (*deskClient, *http.Response, *goquery.Document) {
		c := newDeskClient(t, srv)
		_, d := c.get("/desk/login")
		tok, _ := d.Find(`input[name=csrf]`).Attr("value")
		res, d := c.post("/desk/login", url.Values{"csrf": {tok}, "username": {"two.step"}, "password": {"secret-for-2fa-test"}, "code": {code}})
		return c, res, d
	}
	c, _, _ := login("")
	_, d := c.get("/desk/2fa")
	if d.Find(`form[action="/desk/2fa/setup"]`).Length() != 1 {
		t.Fatalf("2fa page: %q", d.Find("main").Text())
	}
	res, d := c.post("/desk/2fa/setup", url.Values{"csrf": {c.csrf()}})
	secret := d.Find(".totp-secret").Text()
	if res.StatusCode != http.StatusOK || d.Find(".qr svg path").Length() != 1 || secret == "" {
		t.Fatalf("set-up page: %d, secret %q, svg %d", res.StatusCode, secret, d.Find(".qr svg").Length())
	}
	code, _ := totp.GenerateCode(secret, time.Now())
	csrf, _ := d.Find(`form[action="/desk/2fa/enable"] input[name=csrf]`).Attr("value")
	res, d = c.post("/desk/2fa/enable", url.Values{"csrf": {csrf}, "code": {code}})
	if res.StatusCode != http.StatusOK || d.Find(".recovery-codes li").Length() != 10 {
		t.Fatalf("enable: %d, %d recovery codes", res.StatusCode, d.Find(".recovery-codes li").Length())
	}
	if _, res, d := login(""); res.StatusCode != http.StatusUnauthorized || !strings.Contains(d.Find(".error-box").Text(), "动态验证码") {
		t.Errorf("the password alone: %d %q", res.StatusCode, d.Find(".error-box").Text())
	}
	if _, res, _ := login(code); res.StatusCode != http.StatusUnauthorized {
		t.Errorf("the confirming code again (a replay): %d, want 401", res.StatusCode)
	}
	// The next 30-second step's code (within the one step allowed for drift).
	code, _ = totp.GenerateCode(secret, time.Now().Add(30*time.Second))
	if _, res, _ := login(code); res.StatusCode != http.StatusSeeOther {
		t.Errorf("password and code: %d", res.StatusCode)
	}
}

package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/mmcdole/gofeed"

	"newsdesk/internal/app"
	"newsdesk/internal/demo"
	"newsdesk/internal/demo/photo"
	"newsdesk/internal/model"
)

// The desk tests change content, so they share a demo site of their own.
var deskSite struct {
	once sync.Once
	app  *app.App
	srv  *httptest.Server
}

func deskServer(t *testing.T) (*app.App, *httptest.Server) {
	t.Helper()
	deskSite.once.Do(func() {
		dir, err := os.MkdirTemp("", "newsdesk-desk-*")
		if err != nil {
			panic(err)
		}
		deskSite.app, deskSite.srv = newSite(dir)
	})
	return deskSite.app, deskSite.srv
}

// deskClient is a browser-like client: cookies, no automatic redirects.
type deskClient struct {
	t    *testing.T
	base string
	c    *http.Client
}

func newDeskClient(t *testing.T, srv *httptest.Server) *deskClient {
	jar, _ := cookiejar.New(nil)
	return &deskClient{t: t, base: srv.URL, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

func (c *deskClient) get(path string) (*http.Response, *goquery.Document) {
	c.t.Helper()
	return c.page(c.c.Get(c.base + path))
}

func (c *deskClient) post(path string, form url.Values) (*http.Response, *goquery.Document) {
	c.t.Helper()
	return c.page(c.c.PostForm(c.base+path, form))
}

// page parses the answer to a request.
func (c *deskClient) page(res *http.Response, err error) (*http.Response, *goquery.Document) {
	c.t.Helper()
	if err != nil {
		c.t.Fatal(err)
	}
	defer res.Body.Close()
	d, err := goquery.NewDocumentFromReader(res.Body)
	if err != nil {
		c.t.Fatal(err)
	}
	return res, d
}

// csrf reads the form token the way a browser gets it: from a desk page.
func (c *deskClient) csrf() string {
	c.t.Helper()
	_, d := c.get("/desk/")
	tok, _ := d.Find(`input[name=csrf]`).First().Attr("value")
	if tok == "" {
		c.t.Fatal("no CSRF token on the desk page")
	}
	return tok
}

func signIn(t *testing.T, srv *httptest.Server, username string) *deskClient {
	t.Helper()
	c := newDeskClient(t, srv)
	_, d := c.get("/desk/login")
	tok, _ := d.Find(`input[name=csrf]`).Attr("value")
	res, _ := c.post("/desk/login", url.Values{"csrf": {tok}, "username": {username}, "password": {demo.DemoPassword}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign in as %s: %d", username, res.StatusCode)
	}
	return c
}

// newStory has a contributor write a draft and returns its id.
func newStory(t *testing.T, c *deskClient, title string) int64 {
	t.Helper()
	a, _ := deskServer(t)
	cols, _ := a.Store.Columns(context.Background())
	res, d := c.post("/desk/articles", url.Values{"csrf": {c.csrf()}, "column": {itoa(cols[1].ID)}, "title": {title},
		"summary": {"摘要:" + title}, "body": {"<p>正文第一段。</p>"}, "writers": {"陈通讯"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("create %q: %d %s", title, res.StatusCode, d.Find(".error-box").Text())
	}
	var id int64
	fmt.Sscanf(res.Header.Get("Location"), "/desk/articles/%d", &id)
	if id == 0 {
		t.Fatalf("create: redirect to %q", res.Header.Get("Location"))
	}
	return id
}

func version(t *testing.T, id int64) string {
	a, _ := deskServer(t)
	art, err := a.Store.Article(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return itoa(int64(art.Version))
}

func act(t *testing.T, c *deskClient, id int64, action string, extra ...string) (*http.Response, *goquery.Document) {
	t.Helper()
	form := url.Values{"csrf": {c.csrf()}, "version": {version(t, id)}}
	for i := 0; i+1 < len(extra); i += 2 {
		form.Set(extra[i], extra[i+1])
	}
	return c.post(fmt.Sprintf("/desk/articles/%d/%s", id, action), form)
}

func TestDeskWorkflowEndToEnd(t *testing.T) {
	a, srv := deskServer(t)
	ctx := context.Background()
	contributor, reviewer, editor := signIn(t, srv, "contributor"), signIn(t, srv, "reviewer"), signIn(t, srv, "editor")

	id := newStory(t, contributor, "研究生院举办导师培训会")
	if res, _ := act(t, contributor, id, "submit"); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("submit: %d", res.StatusCode)
	}
	// The unit reviewer sees it in the unit's queue.
	_, d := reviewer.get("/desk/")
	if !strings.Contains(d.Text(), "研究生院举办导师培训会") {
		t.Fatal("the submitted story is not in the reviewer's queue")
	}
	// Returning needs a comment, said in Chinese.
	res, d := act(t, reviewer, id, "return")
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(d.Find(".error-box").Text(), "请填写意见") {
		t.Fatalf("return without comment: %d %q", res.StatusCode, d.Find(".error-box").Text())
	}
	if res, _ := act(t, reviewer, id, "return", "comment", "请补充培训的具体时间。"); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("return: %d", res.StatusCode)
	}
	// The contributor sees the comment, revises and resubmits.
	_, d = contributor.get(fmt.Sprintf("/desk/articles/%d", id))
	if !strings.Contains(d.Find(".history").Text(), "请补充培训的具体时间。") {
		t.Error("the contributor does not see the reviewer's comment")
	}
	cols, _ := a.Store.Columns(ctx)
	res, _ = contributor.post(fmt.Sprintf("/desk/articles/%d", id), url.Values{"csrf": {contributor.csrf()}, "version": {version(t, id)},
		"column": {itoa(cols[1].ID)}, "title": {"研究生院举办导师培训会"}, "summary": {"11月24日下午,研究生院举办导师培训会。"}, "body": {"<p>11月24日下午,培训会在A区举行。</p>"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("revise: %d", res.StatusCode)
	}
	for _, step := range []struct {
		c      *deskClient
		action string
	}{{contributor, "submit"}, {reviewer, "approve"}} {
		if res, _ := act(t, step.c, id, step.action); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("%s: %d", step.action, res.StatusCode)
		}
	}
	// The editor edits the title, schedules, then publishes now.
	res, _ = editor.post(fmt.Sprintf("/desk/articles/%d", id), url.Values{"csrf": {editor.csrf()}, "version": {version(t, id)},
		"column": {itoa(cols[1].ID)}, "title": {"研究生院举办2026年导师培训会"}, "summary": {"11月24日下午,研究生院举办导师培训会。"},
		"body": {"<p>11月24日下午,培训会在A区举行。</p>"}, "editor": {"李编辑"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("editor save: %d", res.StatusCode)
	}
	when := time.Now().Add(48 * time.Hour).In(time.FixedZone("CST", 8*3600)).Format("2006-01-02T15:04")
	if res, d := act(t, editor, id, "schedule", "when", when); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("schedule: %d %s", res.StatusCode, d.Find(".error-box").Text())
	}
	if res := get(t, fmt.Sprintf("/articles/%d", id)); res.StatusCode != 404 {
		t.Errorf("scheduled article is public: %d", res.StatusCode)
	}
	if res, _ := act(t, editor, id, "publish"); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("publish: %d", res.StatusCode)
	}
	pub := newDeskClient(t, srv)
	res, d = pub.get(fmt.Sprintf("/articles/%d", id))
	if res.StatusCode != 200 || d.Find("h1").First().Text() != "研究生院举办2026年导师培训会" || !strings.Contains(d.Text(), "李编辑") {
		t.Fatalf("public article: %d %q", res.StatusCode, d.Find("h1").First().Text())
	}
	_, d = pub.get("/columns/" + cols[1].Slug)
	if !strings.Contains(d.Text(), "研究生院举办2026年导师培训会") {
		t.Error("published story missing from its column")
	}
	_, d = pub.get("/rss.xml")
	if !strings.Contains(d.Text(), "研究生院举办2026年导师培训会") {
		t.Error("published story missing from the feed")
	}
	// History: every transition with who and why; every text version kept.
	evs, _ := a.Store.Events(ctx, id)
	var actions []string
	for _, e := range evs {
		actions = append(actions, e.Action)
	}
	want := []string{"submit", "return", "submit", "approve", "schedule", "publish"}
	if !slices.Equal(actions, want) {
		t.Errorf("events = %v, want %v", actions, want)
	}
	vs, _ := a.Store.Versions(ctx, id)
	if len(vs) != 3 || vs[2].Title != "研究生院举办2026年导师培训会" {
		t.Fatalf("versions = %d, last %q", len(vs), vs[len(vs)-1].Title)
	}
	// Any two versions compare: the editor's title change and the
	// contributor's new paragraph.
	res, d = contributor.get(fmt.Sprintf("/desk/articles/%d/diff?from=%d&to=%d", id, vs[0].Version, vs[2].Version))
	if res.StatusCode != 200 || d.Find(".diff ins").First().Text() != "2026年" || !strings.Contains(d.Find(".diff del").Text(), "正文第一段。") {
		t.Errorf("diff: %d, ins %q, del %q", res.StatusCode, d.Find(".diff ins").First().Text(), d.Find(".diff del").Text())
	}
	if res, _ := contributor.get(fmt.Sprintf("/desk/articles/%d/diff?from=1&to=999", id)); res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("diff with a missing version: %d", res.StatusCode)
	}
	// The editor puts it first in the recommended slot; the home page shows it.
	if res, _ := editor.post(fmt.Sprintf("/desk/articles/%d/slot", id), url.Values{"csrf": {editor.csrf()}, "slot": {"recommended"}, "position": {"-1"}}); res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("negative position: %d", res.StatusCode)
	}
	if res, _ := editor.post(fmt.Sprintf("/desk/articles/%d/slot", id), url.Values{"csrf": {editor.csrf()}, "slot": {"recommended"}, "position": {"0"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("place: %d", res.StatusCode)
	}
	_, d = pub.get("/")
	if got := strings.TrimSpace(d.Find(".recommended li a").First().Text()); got != "研究生院举办2026年导师培训会" {
		t.Errorf("first recommended on the home page: %q", got)
	}
}

func TestDeskConcurrentEditIsRefused(t *testing.T) {
	a, srv := deskServer(t)
	contributor, editor := signIn(t, srv, "contributor"), signIn(t, srv, "editor")
	id := newStory(t, contributor, "两人同时编辑的稿件")
	cols, _ := a.Store.Columns(context.Background())
	seen := version(t, id)
	save := func(c *deskClient, title string) (*http.Response, *goquery.Document) {
		return c.post(fmt.Sprintf("/desk/articles/%d", id), url.Values{"csrf": {c.csrf()}, "version": {seen},
			"column": {itoa(cols[1].ID)}, "title": {title}, "summary": {"摘要"}, "body": {"<p>正文</p>"}})
	}
	if res, _ := save(contributor, "通讯员改的标题"); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("first save: %d", res.StatusCode)
	}
	res, d := save(editor, "编辑改的标题")
	if res.StatusCode != http.StatusConflict {
		t.Fatalf("second save from the same version: %d, want 409", res.StatusCode)
	}
	if !strings.Contains(d.Find(".conflict").Text(), "通讯员改的标题") {
		t.Error("the conflict does not show what the other person saved")
	}
	if v, _ := d.Find("#title").Attr("value"); v != "编辑改的标题" {
		t.Errorf("the refused save lost what was typed: %q", v)
	}
	art, _ := a.Store.Article(context.Background(), id)
	if art.Title != "通讯员改的标题" {
		t.Errorf("stored title = %q: overwritten", art.Title)
	}
}

func TestDeskCSRFAndSignIn(t *testing.T) {
	_, srv := deskServer(t)
	c := signIn(t, srv, "editor")
	res, d := c.post("/desk/articles", url.Values{"title": {"无令牌"}})
	if res.StatusCode != http.StatusForbidden || !strings.Contains(d.Text(), "表单已过期") {
		t.Errorf("POST without CSRF token: %d", res.StatusCode)
	}
	// Cookies are HttpOnly and SameSite.
	anon := newDeskClient(t, srv)
	_, d = anon.get("/desk/login")
	tok, _ := d.Find(`input[name=csrf]`).Attr("value")
	raw, err := anon.c.PostForm(srv.URL+"/desk/login", url.Values{"csrf": {tok}, "username": {"admin"}, "password": {demo.DemoPassword}})
	if err != nil {
		t.Fatal(err)
	}
	raw.Body.Close()
	if sc := raw.Header.Get("Set-Cookie"); !strings.Contains(sc, "HttpOnly") || !strings.Contains(sc, "SameSite=Lax") {
		t.Errorf("session cookie: %q", sc)
	}
	// A wrong password is refused in Chinese; then the account is paused.
	// (Its own account: a paused demo account would fail other tests.)
	a, _ := deskServer(t)
	limited := model.User{Username: "limited", Roles: []string{model.RoleEditor}}
	if err := a.Accounts.AddUser(context.Background(), model.SystemActor("cli"), &limited, demo.DemoPassword); err != nil {
		t.Fatal(err)
	}
	anon = newDeskClient(t, srv)
	for i := 0; i < 5; i++ {
		_, d := anon.get("/desk/login")
		tok, _ := d.Find(`input[name=csrf]`).Attr("value")
		res, d = anon.post("/desk/login", url.Values{"csrf": {tok}, "username": {"limited"}, "password": {"guess"}})
		if res.StatusCode != http.StatusUnauthorized || !strings.Contains(d.Text(), "用户名或密码不正确") {
			t.Fatalf("wrong password %d: %d", i, res.StatusCode)
		}
	}
	_, d = anon.get("/desk/login")
	tok, _ = d.Find(`input[name=csrf]`).Attr("value")
	res, d = anon.post("/desk/login", url.Values{"csrf": {tok}, "username": {"limited"}, "password": {demo.DemoPassword}})
	if res.StatusCode != http.StatusTooManyRequests || !strings.Contains(d.Text(), "登录失败次数太多") {
		t.Errorf("after 5 failures: %d", res.StatusCode)
	}
	// Signing out ends the session on the server.
	if res, _ := c.post("/desk/logout", url.Values{"csrf": {c.csrf()}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("logout: %d", res.StatusCode)
	}
	if res, _ := c.get("/desk/"); res.StatusCode != http.StatusSeeOther {
		t.Errorf("desk after logout: %d, want a redirect to sign in", res.StatusCode)
	}
}

func TestDeskDemoBanner(t *testing.T) {
	_, srv := deskServer(t)
	c := signIn(t, srv, "contributor")
	for _, p := range []string{"/desk/", "/desk/articles/new", "/desk/login"} {
		if p == "/desk/login" {
			c = newDeskClient(t, srv)
		}
		_, d := c.get(p)
		if !strings.Contains(d.Find(".demo-banner").Text(), "newsdesk-demo") {
			t.Errorf("%s: no demo-account banner", p)
		}
	}
}

// TestDeskAuthorisationMatrix walks every desk route for every role and
// for a signed-out visitor.
func TestDeskAuthorisationMatrix(t *testing.T) {
	a, srv := deskServer(t)
	ctx := context.Background()
	contributor := signIn(t, srv, "contributor")
	own := newStory(t, contributor, "权限矩阵用的稿件")
	// A story of another unit that only editors may see.
	otherUnit := model.Unit{Name: "外语学院"}
	if err := a.Store.CreateUnit(ctx, &otherUnit); err != nil {
		t.Fatal(err)
	}
	cols, _ := a.Store.Columns(ctx)
	photo, err := photo.JPEG(2, 320, 200)
	if err != nil {
		t.Fatal(err)
	}
	pic, err := a.Media.Save(ctx, model.SystemActor("test"), "矩阵.jpg", photo, model.Media{Alt: "图"})
	if err != nil {
		t.Fatal(err)
	}
	foreign := model.Article{ColumnID: cols[1].ID, Title: "外单位稿件", Status: model.StatusDraft, UnitID: otherUnit.ID,
		Body: fmt.Sprintf(`<figure><img src="/media/%d/%s" alt="图"></figure>`, pic.ID, pic.Name)}
	if err := a.Articles.Import(ctx, model.SystemActor("test"), &foreign, "test"); err != nil {
		t.Fatal(err)
	}
	picPath := fmt.Sprintf("/desk/library/%d", pic.ID)
	clients := map[string]*deskClient{"anon": newDeskClient(t, srv)}
	roles := []string{"contributor", "reviewer", "editor", "admin"}
	for _, r := range roles {
		clients[r] = signIn(t, srv, r)
	}
	const (
		ok   = 200
		redi = 303
		deny = 403
		anon = 0 // signed out: GET → sign-in redirect, POST → 401
	)
	ownPath, foreignPath := fmt.Sprintf("/desk/articles/%d", own), fmt.Sprintf("/desk/articles/%d", foreign.ID)
	type cell = map[string]int
	cases := []struct {
		pattern, method, path string
		want                  cell
	}{
		{"GET /desk/{$}", "GET", "/desk/", cell{"contributor": ok, "reviewer": ok, "editor": ok, "admin": ok}},
		{"GET /desk/articles", "GET", "/desk/articles?sort=updated", cell{"contributor": ok, "reviewer": ok, "editor": ok, "admin": ok}},
		{"POST /desk/articles/bulk", "POST", "/desk/articles/bulk", cell{"contributor": deny, "reviewer": deny, "editor": 422, "admin": 422}},
		{"GET /desk/articles/new", "GET", "/desk/articles/new", cell{"contributor": ok, "reviewer": deny, "editor": ok, "admin": ok}},
		{"POST /desk/articles", "POST", "/desk/articles", cell{"contributor": 422, "reviewer": deny, "editor": 422, "admin": 422}},
		{"POST /desk/articles/preview", "POST", "/desk/articles/preview", cell{"contributor": ok, "reviewer": deny, "editor": ok, "admin": ok}},
		{"GET /desk/articles/{id}", "GET", ownPath, cell{"contributor": ok, "reviewer": ok, "editor": ok, "admin": ok}},
		{"GET /desk/articles/{id}", "GET", foreignPath, cell{"contributor": deny, "reviewer": deny, "editor": ok, "admin": ok}},
		{"POST /desk/articles/{id}", "POST", foreignPath, cell{"contributor": deny, "reviewer": deny, "editor": 422, "admin": 422}},
		{"POST /desk/articles/{id}", "POST", ownPath, cell{"contributor": 422, "reviewer": deny, "editor": 422, "admin": 422}},
		{"POST /desk/articles/{id}/{action}", "POST", foreignPath + "/withdraw", cell{"contributor": deny, "reviewer": deny, "editor": 422, "admin": 422}},
		{"POST /desk/articles/{id}/{action}", "POST", ownPath + "/approve", cell{"contributor": 403, "reviewer": 422, "editor": 422, "admin": 422}},
		{"GET /desk/articles/{id}/diff", "GET", foreignPath + "/diff?from=1&to=1", cell{"contributor": deny, "reviewer": deny, "editor": ok, "admin": ok}},
		{"GET /desk/articles/{id}/approvers", "GET", foreignPath + "/approvers", cell{"contributor": deny, "reviewer": deny, "editor": ok, "admin": ok}},
		{"POST /desk/articles/{id}/approvers", "POST", foreignPath + "/approvers", cell{"contributor": deny, "reviewer": deny, "editor": 422, "admin": 422}},
		{"POST /desk/approvers/{id}/revoke", "POST", "/desk/approvers/999999/revoke", cell{"contributor": 404, "reviewer": 404, "editor": 404, "admin": 404}},
		{"GET /desk/articles/{id}/record", "GET", foreignPath + "/record", cell{"contributor": deny, "reviewer": deny, "editor": ok, "admin": ok}},
		{"GET /desk/articles/{id}/record", "GET", ownPath + "/record", cell{"contributor": ok, "reviewer": ok, "editor": ok, "admin": ok}},
		{"GET /desk/review", "GET", "/desk/review", cell{"contributor": deny, "reviewer": deny, "editor": ok, "admin": ok}},
		{"GET /desk/review/columns/{id}", "GET", "/desk/review/columns/1", cell{"contributor": deny, "reviewer": deny, "editor": ok, "admin": ok}},
		{"POST /desk/review/columns/{id}", "POST", "/desk/review/columns/1", cell{"contributor": deny, "reviewer": deny, "editor": 422, "admin": 422}},
		{"GET /desk/review/columns/{id}/correction", "GET", "/desk/review/columns/1/correction", cell{"contributor": deny, "reviewer": deny, "editor": ok, "admin": ok}},
		{"POST /desk/review/columns/{id}/correction", "POST", "/desk/review/columns/1/correction", cell{"contributor": deny, "reviewer": deny, "editor": 422, "admin": 422}},
		{"POST /desk/review/reasons", "POST", "/desk/review/reasons", cell{"contributor": deny, "reviewer": deny, "editor": redi, "admin": redi}},
		{"GET /desk/review/ledger", "GET", "/desk/review/ledger?format=csv", cell{"contributor": deny, "reviewer": deny, "editor": ok, "admin": ok}},
		{"POST /desk/articles/{id}/figure", "POST", foreignPath + "/figure", cell{"contributor": deny, "reviewer": deny, "editor": 422, "admin": 422}},
		{"POST /desk/articles/{id}/attachment", "POST", foreignPath + "/attachment", cell{"contributor": deny, "reviewer": deny, "editor": 422, "admin": 422}},
		{"POST /desk/media", "POST", "/desk/media", cell{"contributor": 422, "reviewer": 422, "editor": 422, "admin": 422}},
		{"POST /desk/attachments", "POST", "/desk/attachments", cell{"contributor": 422, "reviewer": 422, "editor": 422, "admin": 422}},
		{"GET /desk/library", "GET", "/desk/library?q=" + url.QueryEscape("图"), cell{"contributor": ok, "reviewer": ok, "editor": ok, "admin": ok}},
		{"POST /desk/library", "POST", "/desk/library", cell{"contributor": 422, "reviewer": 422, "editor": 422, "admin": 422}},
		{"GET /desk/library/pick", "GET", "/desk/library/pick", cell{"contributor": ok, "reviewer": ok, "editor": ok, "admin": ok}},
		{"GET /desk/library/{id}", "GET", picPath, cell{"contributor": ok, "reviewer": ok, "editor": ok, "admin": ok}},
		{"POST /desk/library/{id}", "POST", picPath, cell{"contributor": deny, "reviewer": deny, "editor": 422, "admin": 422}},
		{"POST /desk/library/{id}/delete", "POST", picPath + "/delete", cell{"contributor": deny, "reviewer": deny, "editor": 409, "admin": 409}},
		{"POST /desk/library/{id}/public", "POST", picPath + "/public", cell{"contributor": deny, "reviewer": deny, "editor": 303, "admin": 303}},
		{"POST /desk/library/{id}/use", "POST", picPath + "/use", cell{"contributor": 422, "reviewer": 422, "editor": 422, "admin": 422}},
		{"POST /desk/articles/{id}/revision/{decision}", "POST", ownPath + "/revision/approve", cell{"contributor": deny, "reviewer": deny, "editor": 422, "admin": 422}},
		{"POST /desk/articles/{id}/slot", "POST", ownPath + "/slot", cell{"contributor": deny, "reviewer": deny, "editor": 422, "admin": 422}},
		{"GET /desk/search", "GET", "/desk/search?q=" + url.QueryEscape("外单位稿件"), cell{"contributor": ok, "reviewer": ok, "editor": ok, "admin": ok}},
		{"GET /desk/password", "GET", "/desk/password", cell{"contributor": ok, "reviewer": ok, "editor": ok, "admin": ok}},
		{"POST /desk/password", "POST", "/desk/password", cell{"contributor": 422, "reviewer": 422, "editor": 422, "admin": 422}},
		{"GET /desk/tokens", "GET", "/desk/tokens", cell{"contributor": ok, "reviewer": ok, "editor": ok, "admin": ok}},
		{"POST /desk/tokens", "POST", "/desk/tokens", cell{"contributor": 201, "reviewer": 201, "editor": 201, "admin": 201}},
		{"POST /desk/tokens/{id}/delete", "POST", "/desk/tokens/999999/delete", cell{"contributor": 404, "reviewer": 404, "editor": 404, "admin": 404}},
		{"GET /desk/sessions", "GET", "/desk/sessions", cell{"contributor": ok, "reviewer": ok, "editor": ok, "admin": ok}},
		{"GET /desk/notifications", "GET", "/desk/notifications", cell{"contributor": ok, "reviewer": ok, "editor": ok, "admin": ok}},
		{"POST /desk/notifications/read", "POST", "/desk/notifications/read", cell{"contributor": redi, "reviewer": redi, "editor": redi, "admin": redi}},
		{"POST /desk/notifications/address", "POST", "/desk/notifications/address", cell{"contributor": redi, "reviewer": redi, "editor": redi, "admin": redi}},
		{"GET /desk/outbox", "GET", "/desk/outbox", cell{"contributor": deny, "reviewer": deny, "editor": deny, "admin": ok}},
		{"GET /desk/2fa", "GET", "/desk/2fa", cell{"contributor": ok, "reviewer": ok, "editor": ok, "admin": ok}},
		{"POST /desk/2fa/setup", "POST", "/desk/2fa/setup", cell{"contributor": ok, "reviewer": ok, "editor": ok, "admin": ok}},
		{"POST /desk/2fa/enable", "POST", "/desk/2fa/enable", cell{"contributor": 422, "reviewer": 422, "editor": 422, "admin": 422}},
		// At 127.0.0.1 there are no passkeys (WebAuthn takes no IP address), and no name is no passkey.
		{"POST /desk/2fa/passkeys/begin", "POST", "/desk/2fa/passkeys/begin", cell{"contributor": 422, "reviewer": 422, "editor": 422, "admin": 422}},
		{"POST /desk/2fa/passkeys", "POST", "/desk/2fa/passkeys", cell{"contributor": 422, "reviewer": 422, "editor": 422, "admin": 422}},
		{"POST /desk/2fa/passkeys/{id}/delete", "POST", "/desk/2fa/passkeys/999999/delete", cell{"contributor": 404, "reviewer": 404, "editor": 404, "admin": 404}},
		{"POST /desk/sessions/end", "POST", "/desk/sessions/end", cell{"contributor": 404, "reviewer": 404, "editor": 404, "admin": 404}},
		{"GET /desk/audit", "GET", "/desk/audit", cell{"contributor": deny, "reviewer": deny, "editor": deny, "admin": ok}},
		{"GET /desk/audit/export", "GET", "/desk/audit/export?format=csv", cell{"contributor": deny, "reviewer": deny, "editor": deny, "admin": ok}},
		{"POST /desk/articles/{id}/checks/ack", "POST", ownPath + "/checks/ack", cell{"contributor": 422, "reviewer": deny, "editor": 422, "admin": 422}}, // no reason
		{"GET /desk/checks", "GET", "/desk/checks", cell{"contributor": deny, "reviewer": deny, "editor": ok, "admin": ok}},
		{"GET /desk/checks/{kind}", "GET", "/desk/checks/words", cell{"contributor": deny, "reviewer": deny, "editor": ok, "admin": ok}},
		{"POST /desk/checks/{kind}", "POST", "/desk/checks/nosuch", cell{"contributor": deny, "reviewer": deny, "editor": 404, "admin": 404}},
		{"GET /desk/checks/{kind}/export", "GET", "/desk/checks/words/export", cell{"contributor": deny, "reviewer": deny, "editor": ok, "admin": ok}},
		{"GET /desk/selfaudit", "GET", "/desk/selfaudit", cell{"contributor": deny, "reviewer": deny, "editor": ok, "admin": ok}},
		{"POST /desk/selfaudit", "POST", "/desk/selfaudit", cell{"contributor": deny, "reviewer": deny, "editor": 303, "admin": 303}},
		{"POST /desk/selfaudit/items/{id}", "POST", "/desk/selfaudit/items/999999", cell{"contributor": deny, "reviewer": deny, "editor": 422, "admin": 422}}, // no state
		{"GET /desk/selfaudit/export", "GET", "/desk/selfaudit/export", cell{"contributor": deny, "reviewer": deny, "editor": ok, "admin": ok}},
		{"POST /desk/videos", "POST", "/desk/videos", cell{"contributor": 422, "reviewer": 422, "editor": 422, "admin": 422}},
		{"GET /desk/slots", "GET", "/desk/slots", cell{"contributor": deny, "reviewer": deny, "editor": ok, "admin": ok}},
		{"POST /desk/slots/{slot}", "POST", "/desk/slots/focus", cell{"contributor": deny, "reviewer": deny, "editor": 422, "admin": 422}},
		{"POST /desk/slots/{slot}/add", "POST", "/desk/slots/focus/add", cell{"contributor": deny, "reviewer": deny, "editor": 422, "admin": 422}},
		{"GET /desk/site", "GET", "/desk/site", cell{"contributor": deny, "reviewer": deny, "editor": ok, "admin": ok}},
		{"POST /desk/site", "POST", "/desk/site", cell{"contributor": deny, "reviewer": deny, "editor": redi, "admin": redi}}, // an empty form changes nothing
		{"POST /desk/pages", "POST", "/desk/pages", cell{"contributor": deny, "reviewer": deny, "editor": 422, "admin": 422}},
		{"GET /desk/pages/{slug}", "GET", "/desk/pages/help", cell{"contributor": deny, "reviewer": deny, "editor": ok, "admin": ok}},
		{"POST /desk/pages/{slug}", "POST", "/desk/pages/help", cell{"contributor": deny, "reviewer": deny, "editor": 422, "admin": 422}},
		{"POST /desk/pages/{slug}/delete", "POST", "/desk/pages/help/delete", cell{"contributor": deny, "reviewer": deny, "editor": 422, "admin": 422}},
		{"POST /desk/columns", "POST", "/desk/columns", cell{"contributor": deny, "reviewer": deny, "editor": 422, "admin": 422}},
		{"GET /desk/redirects", "GET", "/desk/redirects", cell{"contributor": deny, "reviewer": deny, "editor": ok, "admin": ok}},
		{"POST /desk/redirects", "POST", "/desk/redirects", cell{"contributor": deny, "reviewer": deny, "editor": 422, "admin": 422}},
		{"POST /desk/redirects/{id}/delete", "POST", "/desk/redirects/999999/delete", cell{"contributor": deny, "reviewer": deny, "editor": 404, "admin": 404}},
		{"GET /desk/redirects/export", "GET", "/desk/redirects/export?format=csv", cell{"contributor": deny, "reviewer": deny, "editor": ok, "admin": ok}},
		{"POST /desk/units", "POST", "/desk/units", cell{"contributor": deny, "reviewer": deny, "editor": deny, "admin": 422}},
		{"POST /desk/users/{id}", "POST", "/desk/users/1", cell{"contributor": deny, "reviewer": deny, "editor": deny, "admin": 422}},
		{"GET /desk/users", "GET", "/desk/users", cell{"contributor": deny, "reviewer": deny, "editor": deny, "admin": ok}},
		{"POST /desk/users", "POST", "/desk/users", cell{"contributor": deny, "reviewer": deny, "editor": deny, "admin": 422}},
		{"GET /desk/campus", "GET", "/desk/campus", cell{"contributor": deny, "reviewer": deny, "editor": ok, "admin": ok}},
		{"POST /desk/campus/departments", "POST", "/desk/campus/departments", cell{"contributor": deny, "reviewer": deny, "editor": 422, "admin": 422}},
		{"POST /desk/campus/settings", "POST", "/desk/campus/settings", cell{"contributor": deny, "reviewer": deny, "editor": deny, "admin": redi}},
		{"POST /desk/campus/identities", "POST", "/desk/campus/identities", cell{"contributor": deny, "reviewer": deny, "editor": deny, "admin": 422}},
		{"POST /desk/password-policy", "POST", "/desk/password-policy", cell{"contributor": deny, "reviewer": deny, "editor": deny, "admin": 422}},
		{"POST /desk/users/{id}/reset-2fa", "POST", "/desk/users/999999/reset-2fa", cell{"contributor": deny, "reviewer": deny, "editor": deny, "admin": 404}},
		{"GET /desk/sign-ins", "GET", "/desk/sign-ins", cell{"contributor": deny, "reviewer": deny, "editor": deny, "admin": ok}},
		{"POST /desk/sign-ins/clear", "POST", "/desk/sign-ins/clear", cell{"contributor": deny, "reviewer": deny, "editor": deny, "admin": 422}},
		{"POST /desk/logout", "POST", "/desk/logout", cell{}}, // checked last, below
	}
	covered := map[string]bool{}
	for _, tc := range cases {
		covered[tc.pattern] = true
		if tc.pattern == "POST /desk/logout" {
			continue
		}
		for _, who := range append([]string{"anon"}, roles...) {
			c := clients[who]
			var res *http.Response
			if tc.method == "GET" {
				res, _ = c.get(tc.path)
			} else {
				form := url.Values{}
				if who != "anon" {
					form.Set("csrf", c.csrf())
				}
				if id := articleID(tc.path); id != 0 {
					form.Set("version", version(t, id))
				}
				res, _ = c.post(tc.path, form)
			}
			want := tc.want[who]
			if who == "anon" {
				want = map[string]int{"GET": redi, "POST": 401}[tc.method]
			}
			if res.StatusCode != want {
				t.Errorf("%s %s as %s: %d, want %d", tc.method, tc.path, who, res.StatusCode, want)
			}
		}
	}
	for _, p := range a.Web.DeskPatterns() {
		if !covered[p] {
			t.Errorf("desk route %q is not in the matrix", p)
		}
	}
	for _, who := range roles {
		c := clients[who]
		if res, _ := c.post("/desk/logout", url.Values{"csrf": {c.csrf()}}); res.StatusCode != redi {
			t.Errorf("logout as %s: %d", who, res.StatusCode)
		}
	}
	if res, _ := clients["anon"].post("/desk/logout", url.Values{}); res.StatusCode != 401 {
		t.Errorf("logout signed out: %d", res.StatusCode)
	}
}

// dangerous lists what in an HTML fragment or page could run script.
func dangerous(t *testing.T, html string) []string {
	t.Helper()
	d, err := goquery.NewDocumentFromReader(strings.NewReader(html))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	d.Find("script, iframe, svg, object, embed").Each(func(_ int, s *goquery.Selection) {
		if src, _ := s.Attr("src"); s.Is("script") && strings.HasPrefix(src, "/static/") {
			return // the site's own script
		}
		if typ, _ := s.Attr("type"); s.Is("script") && typ == "application/ld+json" && json.Valid([]byte(s.Text())) {
			return // the article's structured data: JSON, never run
		}
		out = append(out, "<"+goquery.NodeName(s)+">")
	})
	d.Find("*").Each(func(_ int, s *goquery.Selection) {
		for _, a := range s.Nodes[0].Attr {
			v := strings.ToLower(strings.TrimSpace(a.Val))
			if strings.HasPrefix(a.Key, "on") || ((a.Key == "href" || a.Key == "src") && strings.HasPrefix(v, "javascript:")) {
				out = append(out, a.Key+"="+a.Val)
			}
		}
	})
	return out
}

func TestDeskSanitisesAndEscapes(t *testing.T) {
	a, srv := deskServer(t)
	editor := signIn(t, srv, "editor")
	cols, _ := a.Store.Columns(context.Background())
	payloads := []string{
		`<script>alert(1)</script>`,
		`<img src=x alt=x onerror=alert(1)>`, // alt: a picture without it cannot be published
		`<a href="javascript:alert(1)">x</a>`,
		`<iframe src="https://evil.example/"></iframe>`,
		`"><svg onload=alert(1)>`,
	}
	for i, p := range payloads {
		title := fmt.Sprintf("XSS %d %s", i, p)
		res, _ := editor.post("/desk/articles", url.Values{"csrf": {editor.csrf()}, "column": {itoa(cols[1].ID)}, "title": {title},
			"kicker": {p}, "subtitle": {p}, "summary": {p}, "body": {"<p>正文</p>" + p}, "writers": {p}, "unit_credit": {p}, "editor": {p}})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("create with payload %d: %d", i, res.StatusCode)
		}
		var id int64
		fmt.Sscanf(res.Header.Get("Location"), "/desk/articles/%d", &id)
		if res, _ := act(t, editor, id, "publish"); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("publish: %d", res.StatusCode)
		}
		for _, path := range []string{fmt.Sprintf("/articles/%d", id), fmt.Sprintf("/desk/articles/%d", id), "/desk/",
			"/search?q=" + url.QueryEscape(fmt.Sprintf("XSS %d", i)), "/columns/" + cols[1].Slug} {
			c := editor
			if !strings.HasPrefix(path, "/desk/") {
				c = newDeskClient(t, srv)
			}
			res, err := c.c.Get(srv.URL + path)
			if err != nil {
				t.Fatal(err)
			}
			if bad := dangerous(t, body(t, res)); len(bad) > 0 {
				t.Errorf("payload %d reaches %s as markup: %v", i, path, bad)
			}
		}
	}
	// Feed readers render item descriptions as HTML: they must be inert too.
	res, err := http.Get(srv.URL + "/rss.xml")
	if err != nil {
		t.Fatal(err)
	}
	f, err := gofeed.NewParser().ParseString(body(t, res))
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range f.Items {
		if bad := dangerous(t, it.Description+it.Content); len(bad) > 0 {
			t.Errorf("feed item %q: %v", it.Title, bad)
		}
	}
}

func articleID(path string) int64 {
	var id int64
	fmt.Sscanf(path, "/desk/articles/%d", &id)
	return id
}

// TestDeskSearch: every state is searchable in the desk, limited to what the
// user may see, with filters by state, unit and author.
func TestDeskSearch(t *testing.T) {
	a, srv := deskServer(t)
	ctx := context.Background()
	contributor, reviewer, editor := signIn(t, srv, "contributor"), signIn(t, srv, "reviewer"), signIn(t, srv, "editor")
	draft := newStory(t, contributor, "桂花园草稿关于读书会")
	submitted := newStory(t, contributor, "桂花园读书会已提交")
	if res, _ := act(t, contributor, submitted, "submit"); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("submit: %d", res.StatusCode)
	}
	otherUnit := model.Unit{Name: "艺术学院"}
	a.Store.CreateUnit(ctx, &otherUnit)
	cols, _ := a.Store.Columns(ctx)
	foreign := model.Article{ColumnID: cols[1].ID, Title: "桂花园读书会外单位稿", Status: model.StatusSubmitted, UnitID: otherUnit.ID}
	if err := a.Articles.Import(ctx, model.SystemActor("test"), &foreign, "test"); err != nil {
		t.Fatal(err)
	}
	found := func(c *deskClient, params string) []string {
		t.Helper()
		res, d := c.get("/desk/search?q=" + url.QueryEscape("桂花园") + params)
		if res.StatusCode != 200 {
			t.Fatalf("search%s: %d", params, res.StatusCode)
		}
		var out []string
		d.Find(".results li a.title").Each(func(_ int, s *goquery.Selection) { out = append(out, s.Text()) })
		slices.Sort(out)
		return out
	}
	if got := found(editor, ""); len(got) != 3 {
		t.Errorf("editor finds %v, want all three (draft, submitted, other unit)", got)
	}
	if got := found(editor, "&state=draft"); len(got) != 1 || got[0] != "桂花园草稿关于读书会" {
		t.Errorf("editor, drafts only: %v", got)
	}
	if got := found(editor, "&unit="+itoa(otherUnit.ID)); len(got) != 1 || got[0] != "桂花园读书会外单位稿" {
		t.Errorf("editor, other unit: %v", got)
	}
	if got := found(reviewer, ""); slices.Contains(got, "桂花园读书会外单位稿") || len(got) != 2 {
		t.Errorf("reviewer finds %v, want their unit's two only", got)
	}
	if got := found(contributor, "&unit="+itoa(otherUnit.ID)); len(got) != 2 {
		t.Errorf("contributor finds %v, want their own two, whatever the unit filter says", got)
	}
	if res := get(t, "/search?q="+url.QueryEscape("桂花园读书会")); !strings.Contains(body(t, res), "没有找到") {
		t.Error("unpublished stories appear in the public search")
	}
	_ = draft
}

func TestDeskPasswordChangeAndAuditLog(t *testing.T) {
	a, srv := deskServer(t)
	u := model.User{Username: "wang.fang", Name: "王芳", Roles: []string{model.RoleEditor}}
	if err := a.Accounts.AddUser(context.Background(), model.SystemActor("cli"), &u, "first-password"); err != nil {
		t.Fatal(err)
	}
	login := func(pw string) *deskClient {
		c := newDeskClient(t, srv)
		_, d := c.get("/desk/login")
		tok, _ := d.Find(`input[name=csrf]`).Attr("value")
		if res, _ := c.post("/desk/login", url.Values{"csrf": {tok}, "username": {"wang.fang"}, "password": {pw}}); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("sign in with %q: %d", pw, res.StatusCode)
		}
		return c
	}
	laptop, phone := login("first-password"), login("first-password")
	res, d := laptop.post("/desk/password", url.Values{"csrf": {laptop.csrf()}, "old": {"wrong"}, "new": {"second-password"}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(d.Find(".error-box").Text(), "当前密码不正确") {
		t.Fatalf("wrong old password: %d", res.StatusCode)
	}
	if res, _ := laptop.post("/desk/password", url.Values{"csrf": {laptop.csrf()}, "old": {"first-password"}, "new": {"second-password"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("change: %d", res.StatusCode)
	}
	if res, _ := phone.get("/desk/"); res.StatusCode != http.StatusSeeOther {
		t.Errorf("the other session survived the password change: %d", res.StatusCode)
	}
	if res, _ := laptop.get("/desk/"); res.StatusCode != 200 {
		t.Errorf("the changing session was ended: %d", res.StatusCode)
	}
	login("second-password")
	// The administrator sees who did it, when and from where.
	admin := signIn(t, srv, "admin")
	_, d = admin.get("/desk/audit")
	text := d.Find(".desk-table").Text()
	for _, want := range []string{"password · user wang.fang", "login · user wang.fang", "王芳", "127.0.0.1"} {
		if !strings.Contains(text, want) {
			t.Errorf("audit log lacks %q", want)
		}
	}
}

// upload posts a photo form as a browser does (multipart).
func upload(t *testing.T, c *deskClient, id int64, name string, data []byte, fields ...string) (*http.Response, *goquery.Document) {
	t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	mw.WriteField("csrf", c.csrf())
	mw.WriteField("version", version(t, id))
	for i := 0; i+1 < len(fields); i += 2 {
		mw.WriteField(fields[i], fields[i+1])
	}
	fw, _ := mw.CreateFormFile("file", name)
	fw.Write(data)
	mw.Close()
	kind := "figure"
	if !strings.HasSuffix(name, ".jpg") {
		kind = "attachment"
	}
	return c.page(c.c.Post(fmt.Sprintf("%s/desk/articles/%d/%s", c.base, id, kind), mw.FormDataContentType(), &b))
}

func TestDeskPhotoUpload(t *testing.T) {
	a, srv := deskServer(t)
	contributor := signIn(t, srv, "contributor")
	id := newStory(t, contributor, "带图片的稿件")
	before, _ := a.Store.Article(context.Background(), id)

	// Refused: not an image whatever its name, no alt text, a truncated JPEG.
	photo, err := photo.JPEG(5, 640, 420)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name   string
		data   []byte
		fields []string
		want   string
	}{
		{"报告.jpg", []byte("%PDF-1.4 not a photo"), []string{"alt", "报告"}, "不是 JPEG、PNG、GIF、WebP 或 HEIC 图片"},
		{"合影.jpg", photo, nil, "请填写图片的替代文字"},
		{"合影.jpg", photo[:len(photo)/3], []string{"alt", "合影"}, "已损坏或不完整"},
	} {
		res, d := upload(t, contributor, id, tc.name, tc.data, tc.fields...)
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(d.Find(".error-box").Text(), tc.want) {
			t.Errorf("%s: %d %q, want %q", tc.name, res.StatusCode, d.Find(".error-box").Text(), tc.want)
		}
	}
	if after, _ := a.Store.Article(context.Background(), id); after.Body != before.Body || after.Version != before.Version {
		t.Fatal("a refused upload changed the story")
	}
	res, d := upload(t, contributor, id, "合影.jpg", photo, "caption", "参训学员合影", "alt", "五十余名学员在台阶上合影", "credit", "刘孟秋")
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("upload: %d %s", res.StatusCode, d.Find(".error-box").Text())
	}
	after, _ := a.Store.Article(context.Background(), id)
	if after.LeadMediaID == 0 {
		t.Error("the first photo did not become the lead image")
	}
	stored, _ := goquery.NewDocumentFromReader(strings.NewReader(after.Body))
	img := stored.Find("figure img")
	if alt, _ := img.Attr("alt"); alt != "五十余名学员在台阶上合影" || stored.Find("figcaption").Text() != "参训学员合影（摄影：刘孟秋）" {
		t.Errorf("figure = %q / %q", alt, stored.Find("figcaption").Text())
	}
	src, _ := img.Attr("src")
	r2, err := contributor.c.Get(srv.URL + src) // a draft's photo: its uploader's only
	if err != nil || r2.StatusCode != 200 || r2.Header.Get("Content-Type") != "image/jpeg" {
		t.Errorf("the photo is not served: %v %v", err, r2)
	}
}

func TestDeskEditsPagesColumnsAndSettings(t *testing.T) {
	a, srv := deskServer(t)
	ctx := context.Background()
	editor := signIn(t, srv, "editor")
	pub := newDeskClient(t, srv)
	post := func(path string, form url.Values) (*http.Response, *goquery.Document) {
		form.Set("csrf", editor.csrf())
		return editor.post(path, form)
	}
	// The help page.
	if res, _ := post("/desk/pages/help", url.Values{"title": {"使用帮助"}, "body": {"<p>新版帮助：如何订阅RSS。</p><script>x()</script>"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("save help: %d", res.StatusCode)
	}
	_, d := pub.get("/help")
	if !strings.Contains(d.Find("main").Text(), "新版帮助：如何订阅RSS。") || d.Find("main script").Length() > 0 {
		t.Error("the edited help page is not shown, or not sanitised")
	}
	// Columns: add one under 综合新闻, refuse a cycle and a taken address.
	cols, _ := a.Store.Columns(ctx)
	var news model.Column
	for _, c := range cols {
		if c.Slug == "news" {
			news = c
		}
	}
	if res, d := post("/desk/columns", url.Values{"name": {"国际交流"}, "slug": {"international"}, "parent": {itoa(news.ID)}, "position": {"9"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("add column: %d %s", res.StatusCode, d.Find(".error-box").Text())
	}
	if res, d := post("/desk/columns", url.Values{"name": {"重复"}, "slug": {"international"}}); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(d.Find(".error-box").Text(), "已被其他栏目使用") {
		t.Errorf("taken address: %d", res.StatusCode)
	}
	intl, err := a.Store.Columns(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var added model.Column
	for _, c := range intl {
		if c.Slug == "international" {
			added = c
		}
	}
	if res, _ := post("/desk/columns", url.Values{"id": {itoa(news.ID)}, "name": {"综合新闻"}, "parent": {itoa(added.ID)}}); res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("a column under its own child: %d", res.StatusCode)
	}
	if res, _ := post("/desk/columns", url.Values{"id": {itoa(added.ID)}, "name": {"国际合作与交流"}, "parent": {itoa(news.ID)}, "position": {"9"}}); res.StatusCode != http.StatusSeeOther {
		t.Errorf("rename: %d", res.StatusCode)
	}
	_, d = pub.get("/sitemap")
	if !strings.Contains(d.Text(), "国际合作与交流") {
		t.Error("the new column is not on the site map")
	}
	// Settings: a bad time zone stores nothing.
	if res, _ := post("/desk/site", url.Values{"site.name": {"改过的名字"}, "site.footer": {"页脚"}, "site.timezone": {"Mars/Olympus"}}); res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("bad time zone: %d", res.StatusCode)
	}
	if st, _ := a.Site.Settings(ctx); st.Name == "改过的名字" {
		t.Error("a refused settings form changed the site name")
	}
}

func TestDeskAttachment(t *testing.T) {
	a, srv := deskServer(t)
	contributor := signIn(t, srv, "contributor")
	id := newStory(t, contributor, "带附件的通知")
	res, d := upload(t, contributor, id, "报名表.docx", []byte("PK\x03\x04 not really a document"))
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(d.Find(".error-box").Text(), "不是 PDF") {
		t.Errorf("fake docx: %d %q", res.StatusCode, d.Find(".error-box").Text())
	}
	pdf := []byte("%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
	if res, d := upload(t, contributor, id, "报名通知.pdf", pdf); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("pdf: %d %s", res.StatusCode, d.Find(".error-box").Text())
	}
	art, _ := a.Store.Article(context.Background(), id)
	stored, _ := goquery.NewDocumentFromReader(strings.NewReader(art.Body))
	link := stored.Find(`a[href^="/media/"]`)
	if !strings.Contains(link.Text(), "报名通知.pdf") {
		t.Fatalf("attachment link = %q in %s", link.Text(), art.Body)
	}
	href, _ := link.Attr("href")
	req, _ := http.NewRequest("GET", srv.URL+href, nil)
	req.Header.Set("Range", "bytes=0-4")
	r, err := contributor.c.Do(req) // a draft's attachment: its uploader's only
	if err != nil {
		t.Fatal(err)
	}
	got := body(t, r)
	if r.StatusCode != http.StatusPartialContent || got != "%PDF-" || r.Header.Get("Content-Type") != "application/pdf" || r.Header.Get("X-Content-Type-Options") != "nosniff" {
		t.Errorf("range request: %d %q %q", r.StatusCode, got, r.Header.Get("Content-Type"))
	}
}

func TestDeskUnitsAndUsers(t *testing.T) {
	a, srv := deskServer(t)
	admin := signIn(t, srv, "admin")
	post := func(path string, form url.Values) (*http.Response, *goquery.Document) {
		form.Set("csrf", admin.csrf())
		return admin.post(path, form)
	}
	if res, _ := post("/desk/units", url.Values{"name": {"新闻学院"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("add unit: %d", res.StatusCode)
	}
	if res, d := post("/desk/units", url.Values{"name": {"新闻学院"}}); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(d.Find(".error-box").Text(), "已有名为") {
		t.Errorf("duplicate unit: %d", res.StatusCode)
	}
	units, _ := a.Store.Units(context.Background())
	var unit model.Unit
	for _, u := range units {
		if u.Name == "新闻学院" {
			unit = u
		}
	}
	if res, _ := post("/desk/units", url.Values{"id": {itoa(unit.ID)}, "name": {"新闻与传播学院"}}); res.StatusCode != http.StatusSeeOther {
		t.Errorf("rename unit: %d", res.StatusCode)
	}
	// A contributor of that unit, made in the desk, can sign in.
	res, d := post("/desk/users", url.Values{"username": {"xinwen.tongxun"}, "name": {"新闻学院通讯员"}, "password": {"short"}, "role": {"contributor"}, "unit": {itoa(unit.ID)}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(d.Find(".error-box").Text(), "密码至少需要 12 个字符") {
		t.Errorf("short password: %d %q", res.StatusCode, d.Find(".error-box").Text())
	}
	if res, _ := post("/desk/users", url.Values{"username": {"xinwen.tongxun"}, "name": {"新闻学院通讯员"}, "password": {"long-enough-1"}, "role": {"contributor"}, "unit": {itoa(unit.ID)}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("add user: %d", res.StatusCode)
	}
	if res, d := post("/desk/users", url.Values{"username": {"xinwen.tongxun"}, "password": {"long-enough-1"}, "role": {"editor"}}); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(d.Find(".error-box").Text(), "已被使用") {
		t.Errorf("taken username: %d", res.StatusCode)
	}
	u, err := a.Store.UserByName(context.Background(), "xinwen.tongxun")
	if err != nil || u.UnitID != unit.ID || !u.Has(model.RoleContributor) {
		t.Fatalf("stored user: %+v %v", u, err)
	}
	// Disabling ends the user's sessions and refuses sign-in.
	c := newDeskClient(t, srv)
	_, d = c.get("/desk/login")
	tok, _ := d.Find(`input[name=csrf]`).Attr("value")
	if res, _ := c.post("/desk/login", url.Values{"csrf": {tok}, "username": {"xinwen.tongxun"}, "password": {"long-enough-1"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("new user signs in: %d", res.StatusCode)
	}
	if res, _ := post("/desk/users/"+itoa(u.ID), url.Values{"name": {"新闻学院通讯员"}, "role": {"contributor"}, "unit": {itoa(unit.ID)}, "disabled": {"1"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("disable: %d", res.StatusCode)
	}
	if res, _ := c.get("/desk/"); res.StatusCode != http.StatusSeeOther {
		t.Errorf("a disabled user's session still works: %d", res.StatusCode)
	}
	admins, _ := a.Store.UserByName(context.Background(), "admin")
	if res, d := post("/desk/users/"+itoa(admins.ID), url.Values{"name": {"张总编"}, "role": {"editor"}}); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(d.Find(".error-box").Text(), "不能停用自己") {
		t.Errorf("admin dropping their own role: %d", res.StatusCode)
	}
}

// TestDeskXSSInOtherFields sends script through the desk's other text
// fields — review comments, page titles, column names, unit and user names,
// the site footer — and looks for it as markup wherever they show.
func TestDeskXSSInOtherFields(t *testing.T) {
	a, srv := deskServer(t)
	ctx := context.Background()
	admin, contributor, reviewer := signIn(t, srv, "admin"), signIn(t, srv, "contributor"), signIn(t, srv, "reviewer")
	const p = `<img src=x onerror=alert(1)><script>alert(2)</script>`
	post := func(c *deskClient, path string, form url.Values, want int) {
		t.Helper()
		form.Set("csrf", c.csrf())
		if res, d := c.post(path, form); res.StatusCode != want {
			t.Fatalf("%s: %d %s", path, res.StatusCode, d.Find(".error-box").Text())
		}
	}
	id := newStory(t, contributor, "评论里的脚本")
	post(contributor, fmt.Sprintf("/desk/articles/%d/submit", id), url.Values{"version": {version(t, id)}}, http.StatusSeeOther)
	post(reviewer, fmt.Sprintf("/desk/articles/%d/return", id), url.Values{"version": {version(t, id)}, "comment": {"请修改" + p}}, http.StatusSeeOther)
	post(admin, "/desk/pages/guide", url.Values{"title": {"投稿须知" + p}, "body": {"<p>正文</p>"}}, http.StatusSeeOther)
	post(admin, "/desk/columns", url.Values{"name": {"栏目" + p}, "slug": {"xss-column"}, "description": {p}}, http.StatusSeeOther)
	post(admin, "/desk/units", url.Values{"name": {"单位" + p}}, http.StatusSeeOther)
	post(admin, "/desk/users", url.Values{"username": {"xss.user"}, "name": {"用户" + p}, "password": {"long-enough-1"}, "role": {"editor"}}, http.StatusSeeOther)
	st, _ := a.Site.Settings(ctx)
	post(admin, "/desk/site", url.Values{"site.name": {st.Name}, "site.footer": {"页脚" + p}, "site.timezone": {"Asia/Shanghai"}}, http.StatusSeeOther)
	defer a.Site.Set(ctx, model.SystemActor("test"), map[string]string{"site.footer": st.Footer})

	pub := newDeskClient(t, srv)
	pages := []struct {
		c    *deskClient
		path string
		want string
	}{
		{contributor, fmt.Sprintf("/desk/articles/%d", id), "请修改"},
		{pub, "/pages/guide", "投稿须知"},
		{pub, "/sitemap", "栏目"},
		{pub, "/columns/xss-column", "栏目"},
		{pub, "/", "页脚"},
		{admin, "/desk/users", "用户"},
		{admin, "/desk/site", "栏目"},
		{admin, "/desk/audit", "xss.user"},
	}
	for _, pg := range pages {
		res, err := pg.c.c.Get(srv.URL + pg.path)
		if err != nil {
			t.Fatal(err)
		}
		b := body(t, res)
		if !strings.Contains(b, pg.want) {
			t.Errorf("%s: the field is not shown (%q)", pg.path, pg.want)
		}
		if bad := dangerous(t, b); len(bad) > 0 {
			t.Errorf("%s: payload as markup: %v", pg.path, bad)
		}
	}
}

func TestDeskSearchPages(t *testing.T) {
	_, srv := deskServer(t)
	editor := signIn(t, srv, "editor")
	_, d := editor.get("/desk/search?q=" + url.QueryEscape("学院"))
	next, ok := d.Find(`.pager a[rel=next]`).Attr("href")
	if n := d.Find(".results li").Length(); n != 20 || !ok {
		t.Fatalf("first page: %d results, next %q", n, next)
	}
	res, d2 := editor.get(next)
	if res.StatusCode != 200 || d2.Find(".results li a.title").First().Text() == d.Find(".results li a.title").First().Text() {
		t.Errorf("second page: %d", res.StatusCode)
	}
	if res, _ := editor.get("/desk/search?q=" + url.QueryEscape("学院") + "&page=9999"); res.StatusCode != 404 {
		t.Errorf("page out of range: %d", res.StatusCode)
	}
}

// TestDeskSpeaksBothLanguages opens every desk page in Chinese and English
// and looks for message keys left untranslated.
func TestDeskSpeaksBothLanguages(t *testing.T) {
	_, srv := deskServer(t)
	admin := signIn(t, srv, "admin")
	id := newStory(t, admin, "双语检查稿件")
	for _, lang := range []string{"zh-CN", "en"} {
		for _, p := range []string{"/desk/", "/desk/articles/new", fmt.Sprintf("/desk/articles/%d", id), "/desk/search?q=" + url.QueryEscape("学院"),
			"/desk/site", "/desk/users", "/desk/audit", "/desk/password", fmt.Sprintf("/desk/articles/%d/diff?from=1&to=1", id)} {
			sep := "?"
			if strings.Contains(p, "?") {
				sep = "&"
			}
			res, d := admin.get(p + sep + "lang=" + lang)
			if res.StatusCode != 200 {
				t.Errorf("%s in %s: %d", p, lang, res.StatusCode)
				continue
			}
			html, _ := d.Html()
			for _, prefix := range []string{"desk.", "state.", "action.", "role.", "editor.", "invalid.", "nav.", "search."} {
				if i := strings.Index(html, ">"+prefix); i >= 0 || strings.Contains(html, `="`+prefix) {
					t.Errorf("%s in %s shows an untranslated key %s…", p, lang, prefix)
				}
			}
		}
	}
	_, d := admin.get("/desk/?lang=en")
	if !strings.Contains(d.Find("h1").Text(), "Dashboard") || !strings.Contains(d.Text(), "Recently published") {
		t.Errorf("English dashboard: %q", d.Find("h1").Text())
	}
}

// Behind a reverse proxy (--trust-proxy) sign-in limits count per client
// address from X-Forwarded-For, not per proxy.
func TestDeskBehindProxy(t *testing.T) {
	a, srv := deskServer(t)
	a.Web.TrustProxy = true
	defer func() { a.Web.TrustProxy = false }()
	login := func(user, pw, from string) int {
		t.Helper()
		c := newDeskClient(t, srv)
		_, d := c.get("/desk/login")
		tok, _ := d.Find(`input[name=csrf]`).Attr("value")
		req, _ := http.NewRequest("POST", srv.URL+"/desk/login", strings.NewReader(url.Values{"csrf": {tok}, "username": {user}, "password": {pw}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("X-Forwarded-For", "203.0.113.9, "+from) // the client wrote the first entry
		res, err := c.c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode
	}
	for i := 0; i < 20; i++ {
		login(fmt.Sprintf("guess%d", i), "wrong", "198.51.100.7")
	}
	if got := login("editor", demo.DemoPassword, "198.51.100.7"); got != http.StatusTooManyRequests {
		t.Errorf("after 20 failures from one client: %d, want 429", got)
	}
	if got := login("editor", demo.DemoPassword, "198.51.100.8"); got != http.StatusSeeOther {
		t.Errorf("another client behind the same proxy: %d, want a sign-in", got)
	}
	entries, _, _ := a.Store.Audit(context.Background(), 50, 0)
	for _, e := range entries {
		if e.Action == "login" && e.IP != "198.51.100.8" {
			t.Errorf("audit address %q, want the client's", e.IP)
		}
		if e.Action == "login" {
			break
		}
	}
}

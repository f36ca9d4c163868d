package api_test

import (
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"newsdesk/internal/demo"
)

// TestBadRequestsAreClearJSONErrors sends what a careless client sends:
// each is a 4xx with a JSON error saying what is wrong, never a 500.
func TestBadRequestsAreClearJSONErrors(t *testing.T) {
	id := newDraft(t, "editor", "错误处理用的稿件").num("id")
	patch := path("/api/v1/desk/articles/%d", id)
	cases := []struct {
		name, method, path string
		body               any
		status             int
		code, inMessage    string // inMessage: part of the English message
	}{
		{"not JSON", "PATCH", patch, "title=x", 400, "bad_json", "malformed"},
		{"truncated", "PATCH", patch, `{"version": 1, "title": "x`, 400, "bad_json", "ends before"},
		{"empty", "PATCH", patch, "", 400, "bad_json", "empty"},
		{"two objects", "PATCH", patch, `{"version": 1} {"version": 2}`, 400, "bad_json", "more after"},
		{"unknown field", "PATCH", patch, `{"version": 1, "headline": "x"}`, 400, "unknown_field", "headline"},
		{"wrong type", "PATCH", patch, `{"version": "1"}`, 400, "wrong_type", "version should be a number"},
		{"wrong nested type", "PATCH", patch, `{"version": 1, "credits": {"writers": "张三"}}`, 400, "wrong_type", "credits.writers should be a array"},
		{"no version", "PATCH", patch, `{"title": "x"}`, 400, "version_required", "version"},
		{"oversize", "PATCH", patch, `{"version": 1, "body": "` + strings.Repeat("长", 1<<20) + `"}`, 413, "too_large", "2 MB"},
		{"invalid title", "PATCH", patch, `{"version": 1, "title": "  "}`, 422, "title_required", "title"},
		{"unknown action", "POST", patch + "/transitions", `{"action": "print", "version": 1}`, 422, "action", "print"},
		{"bad time", "POST", patch + "/transitions", `{"action": "schedule", "version": 1, "time": "tomorrow"}`, 422, "time", "time"},
		{"bad page", "GET", "/api/v1/desk/articles?page=0", nil, 400, "bad_parameter", "page"},
		{"per_page over 100", "GET", "/api/v1/articles?per_page=101", nil, 400, "bad_parameter", "per_page"},
		{"unknown state", "GET", "/api/v1/desk/articles?state=lost", nil, 400, "bad_parameter", "lost"},
		{"unknown column", "GET", "/api/v1/articles?column=nope", nil, 400, "bad_parameter", "nope"},
		{"bad date", "GET", "/api/v1/articles?from=yesterday", nil, 400, "bad_parameter", "yesterday"},
		{"missing story", "GET", "/api/v1/desk/articles/999999", nil, 404, "not_found", "not found"},
		{"not a number", "GET", "/api/v1/desk/articles/abc", nil, 404, "not_found", "not found"},
		{"unknown slot", "PUT", path("/api/v1/desk/slots/sidebar/%d", id), nil, 404, "not_found", "not found"},
		{"upload not a form", "POST", patch + "/media", `{"version": 1}`, 400, "bad_form", "multipart"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res := call(t, "editor", tc.method, tc.path+sep(tc.path)+"lang=en", tc.body)
			if res.status != tc.status || res.errCode() != tc.code || !strings.Contains(res.errMessage(), tc.inMessage) {
				t.Errorf("%d %s %q, want %d %s …%s…", res.status, res.errCode(), res.errMessage(), tc.status, tc.code, tc.inMessage)
			}
		})
	}
	// The message follows the caller's language: Chinese by default.
	res := call(t, "editor", "PATCH", patch, `{"version": 1, "headline": "x"}`)
	if res.errMessage() != "未知字段：headline。" {
		t.Errorf("default language message: %q", res.errMessage())
	}
	res = call(t, "editor", "PATCH", patch, `{"version": 1, "headline": "x"}`, "Accept-Language", "en-GB,en;q=0.8")
	if res.errMessage() != "Unknown field: headline." {
		t.Errorf("Accept-Language en message: %q", res.errMessage())
	}
}

func sep(p string) string {
	if strings.Contains(p, "?") {
		return "&"
	}
	return "?"
}

// TestSignInByTokenOrSessionWithCSRF: a bad token is refused even with a
// session, a session's change needs the CSRF header, a token's does not.
func TestSignInByTokenOrSessionWithCSRF(t *testing.T) {
	_, srv := apiSite(t)
	if res := call(t, "", "GET", "/api/v1/desk/articles", nil, "Authorization", "Bearer ndt_wrong"); res.status != 401 || res.errCode() != "unauthorized" ||
		!strings.HasPrefix(res.header.Get("WWW-Authenticate"), "Bearer") {
		t.Errorf("wrong token: %d %s %q", res.status, res.raw, res.header.Get("WWW-Authenticate"))
	}
	if res := call(t, "", "GET", "/api/v1/desk/articles", nil, "Authorization", "Basic ZWRpdG9yOng="); res.status != 401 {
		t.Errorf("basic auth: %d", res.status)
	}

	// Sign in to the desk like a browser, then use its cookie.
	jar, _ := cookiejar.New(nil)
	browser := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := browser.Get(srv.URL + "/desk/login")
	if err != nil {
		t.Fatal(err)
	}
	d, _ := goquery.NewDocumentFromReader(res.Body)
	res.Body.Close()
	tok, _ := d.Find(`input[name=csrf]`).Attr("value")
	res, err = browser.PostForm(srv.URL+"/desk/login", url.Values{"csrf": {tok}, "username": {"editor"}, "password": {demo.DemoPassword}})
	if err != nil || res.StatusCode != http.StatusSeeOther {
		t.Fatalf("desk sign-in: %v %v", res.StatusCode, err)
	}
	res, _ = browser.Get(srv.URL + "/desk/")
	d, _ = goquery.NewDocumentFromReader(res.Body)
	res.Body.Close()
	csrf, _ := d.Find(`input[name=csrf]`).First().Attr("value")

	send := func(method, path, body string, header ...string) int {
		req, _ := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
		for i := 0; i+1 < len(header); i += 2 {
			req.Header.Set(header[i], header[i+1])
		}
		res, err := browser.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode
	}
	if st := send("GET", "/api/v1/desk/articles", ""); st != 200 {
		t.Errorf("GET with the session: %d", st)
	}
	create := `{"column_id": 1, "title": "会话创建的稿件"}`
	if st := send("POST", "/api/v1/desk/articles", create); st != 403 {
		t.Errorf("POST with the session and no CSRF header: %d", st)
	}
	if st := send("POST", "/api/v1/desk/articles", create, "X-CSRF-Token", "wrong"); st != 403 {
		t.Errorf("POST with a wrong CSRF header: %d", st)
	}
	if st := send("POST", "/api/v1/desk/articles", create, "X-CSRF-Token", csrf); st != 201 {
		t.Errorf("POST with the session's CSRF header: %d", st)
	}
	// A bad token wins over a good session: no silent fallback.
	if st := send("GET", "/api/v1/desk/articles", "", "Authorization", "Bearer ndt_wrong"); st != 401 {
		t.Errorf("bad token with a session: %d", st)
	}
}

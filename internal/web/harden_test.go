package web_test

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"newsdesk/internal/demo"
)

// loginToken fetches the sign-in form and returns its CSRF token.
func loginToken(t *testing.T, c *deskClient, next string) (token, formNext string) {
	t.Helper()
	_, d := c.get("/desk/login?next=" + url.QueryEscape(next))
	token, _ = d.Find(`input[name=csrf]`).Attr("value")
	formNext, _ = d.Find(`input[name=next]`).Attr("value")
	return token, formNext
}

func TestSignInRedirectsOnlyInsideTheDesk(t *testing.T) {
	_, srv := deskServer(t)
	c := newDeskClient(t, srv)
	for _, tc := range []struct{ next, want string }{
		{"/desk/articles/3", "/desk/articles/3"},
		{"/desk/search?q=党员&page=2", "/desk/search?q=党员&page=2"},
		{"/desk/", "/desk/"},
		{"/desk/../\\evil.example/", "/desk/"},
		{"/desk/..\\evil.example/", "/desk/"},
		{"/\\evil.example/", "/desk/"},
		{"//evil.example/desk/", "/desk/"},
		{"/desk//evil.example/", "/desk/"},
		{"/desk/%2F%2Fevil.example/", "/desk/"},
		{"/desk/%5Cevil.example/", "/desk/"},
		{"/desk/%2e%2e/%2e%2e/evil", "/desk/"},
		{"/desk/../evil", "/desk/"},
		{"/desk/./articles", "/desk/"},
		{"/desk/..", "/desk/"},
		{"https://evil.example/desk/", "/desk/"},
		{"javascript:alert(1)//desk/", "/desk/"},
		{"http:/desk/", "/desk/"},
		{"/desk/\t/evil.example", "/desk/"},
		{"/desk/%0d%0aLocation:%20http://evil.example", "/desk/"},
		{"/desk\\", "/desk/"},
		{"/deskevil", "/desk/"},
		{"/articles/1", "/desk/"},
		{"", "/desk/"},
	} {
		if _, got := loginToken(t, c, tc.next); got != tc.want {
			t.Errorf("next=%q: the sign-in form carries %q, want %q", tc.next, got, tc.want)
		}
	}
	// The probe's own request: signed in, the browser stays on the site.
	tok, _ := loginToken(t, c, "")
	res, _ := c.post("/desk/login", url.Values{"csrf": {tok}, "username": {"contributor"}, "password": {demo.DemoPassword},
		"next": {"/desk/../\\evil.example/"}})
	if loc := res.Header.Get("Location"); res.StatusCode != http.StatusSeeOther || loc != "/desk/" {
		t.Errorf("sign-in with a hostile next: %d to %q, want 303 to /desk/", res.StatusCode, loc)
	}
}

func TestSignInBodyIsCappedBeforeParsing(t *testing.T) {
	_, srv := deskServer(t)
	c := newDeskClient(t, srv)
	tok, _ := loginToken(t, c, "")
	// A multipart body far past the cap, token first: refused with 413 and
	// the catalogue's message, without reading the rest.
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("csrf", tok)
	fw, _ := mw.CreateFormFile("file", "big.bin")
	fw.Write(bytes.Repeat([]byte("x"), 4<<20))
	mw.Close()
	res, d := c.page(c.c.Post(srv.URL+"/desk/login", mw.FormDataContentType(), &buf))
	if res.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(d.Find(".error-box").Text(), "登录请求过大") {
		t.Errorf("4 MiB multipart sign-in: %d %q, want 413 with the catalogue message", res.StatusCode, d.Find(".error-box").Text())
	}
	// A large URL-encoded one likewise.
	tok, _ = loginToken(t, c, "")
	form := url.Values{"csrf": {tok}, "username": {"contributor"}, "password": {strings.Repeat("p", 64<<10)}}
	res, _ = c.post("/desk/login", form)
	if res.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("64 KiB sign-in form: %d, want 413", res.StatusCode)
	}
	// An ordinary sign-in still works, multipart too.
	tok, _ = loginToken(t, c, "")
	buf.Reset()
	mw = multipart.NewWriter(&buf)
	for k, v := range map[string]string{"csrf": tok, "username": "contributor", "password": demo.DemoPassword} {
		mw.WriteField(k, v)
	}
	mw.Close()
	res, _ = c.page(c.c.Post(srv.URL+"/desk/login", mw.FormDataContentType(), &buf))
	if res.StatusCode != http.StatusSeeOther {
		t.Errorf("small multipart sign-in: %d, want 303", res.StatusCode)
	}
}

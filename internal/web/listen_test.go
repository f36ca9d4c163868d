package web_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strings"
	"testing"
	"time"

	"newsdesk/internal/demo/photo"
	"newsdesk/internal/web"
)

// serveOn serves the bound handlers with limits until the test ends and
// returns their base URLs.
func serveOn(t *testing.T, limits web.Limits, hs ...http.Handler) []string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	var bs []web.Bound
	var urls []string
	for _, h := range hs {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		bs = append(bs, web.Bound{Listener: ln, Handler: h})
		urls = append(urls, "http://"+ln.Addr().String())
	}
	done := make(chan error, 1)
	go func() { done <- web.Serve(ctx, slog.New(slog.NewTextHandler(io.Discard, nil)), limits, bs...) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
	})
	return urls
}

// variant builds another server on the desk site's parts, changed by change.
func variant(t *testing.T, change func(*web.Deps)) *web.Server {
	t.Helper()
	a, _ := deskServer(t)
	d := a.Web.Deps
	change(&d)
	s, err := web.New(d)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func status(t *testing.T, req *http.Request) int {
	t.Helper()
	res, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, res.Body)
	res.Body.Close()
	return res.StatusCode
}

func request(t *testing.T, method, u string, header ...string) *http.Request {
	t.Helper()
	req, err := http.NewRequest(method, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	return req
}

func TestMetricsOnlyToTheTokenOrOnTheDeskListener(t *testing.T) {
	noToken := variant(t, func(d *web.Deps) {})
	withToken := variant(t, func(d *web.Deps) { d.MetricsToken = "s3cret-token" })
	urls := serveOn(t, web.Limits{}, noToken, withToken, withToken.PublicHandler(), withToken.DeskHandler(nil), noToken.DeskHandler(nil))
	one, tok, public, desk, deskNoToken := urls[0], urls[1], urls[2], urls[3], urls[4]
	for _, tc := range []struct {
		name, base, auth string
		want             int
	}{
		{"one listener, no token set", one, "", 404},
		{"one listener, no token set, one sent", one, "Bearer ", 404},
		{"one listener, no token sent", tok, "", 404},
		{"one listener, wrong token", tok, "Bearer s3cret-tokeN", 404},
		{"one listener, token not as bearer", tok, "s3cret-token", 404},
		{"one listener, token", tok, "Bearer s3cret-token", 200},
		{"public listener, token", public, "Bearer s3cret-token", 404},
		{"desk listener, token set but not sent", desk, "", 404},
		{"desk listener, token", desk, "Bearer s3cret-token", 200},
		{"desk listener, no token set", deskNoToken, "", 200},
	} {
		req := request(t, "GET", tc.base+"/metrics")
		if tc.auth != "" {
			req.Header.Set("Authorization", tc.auth)
		}
		if got := status(t, req); got != tc.want {
			t.Errorf("%s: /metrics %d, want %d", tc.name, got, tc.want)
		}
	}
}

func TestDeskApartFromThePublicSite(t *testing.T) {
	_, srv := deskServer(t)
	s := variant(t, func(d *web.Deps) {})
	urls := serveOn(t, web.Limits{}, s.PublicHandler(), s.DeskHandler(nil))
	public, desk := urls[0], urls[1]
	c := signIn(t, srv, "editor")
	cookie := c.c.Jar.Cookies(mustURL(t, srv.URL))[0]
	for _, tc := range []struct {
		method, path string
		public, desk int
	}{
		{"GET", "/", 200, 200},
		{"GET", "/columns/news", 200, 200},
		{"GET", "/desk/", 404, 200},
		{"GET", "/desk/login", 404, 303}, // signed in: on to the desk
		{"POST", "/desk/login", 404, 403},
		{"GET", "/desk/articles/new", 404, 200},
		{"GET", "/desk", 404, 307},
		{"GET", "/desk/../desk/", 404, 307},
		{"GET", "//desk/", 404, 307},
		{"GET", "/api/v1/desk/articles", 404, 0}, // 0: whatever the desk API answers
		{"GET", "/metrics", 404, 200},
		{"GET", "/healthz", 200, 200},
	} {
		for _, side := range []struct {
			base string
			want int
		}{{public, tc.public}, {desk, tc.desk}} {
			req := request(t, tc.method, side.base+tc.path)
			req.AddCookie(cookie)
			if got := status(t, req); side.want != 0 && got != side.want {
				t.Errorf("%s %s on the %s listener: %d, want %d", tc.method, tc.path, map[bool]string{true: "public", false: "desk"}[side.base == public], got, side.want)
			}
		}
	}
}

func TestDeskListenerAdmitsOnlyAllowedAddresses(t *testing.T) {
	lan := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("2001:db8::/32")}
	direct := variant(t, func(d *web.Deps) {})
	proxied := variant(t, func(d *web.Deps) { d.TrustProxy = true })
	urls := serveOn(t, web.Limits{}, direct.DeskHandler(lan), proxied.DeskHandler(lan),
		direct.DeskHandler([]netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}))
	for _, tc := range []struct {
		name, base, xff string
		want            int
	}{
		{"127.0.0.1 not in the list", urls[0], "", 403},
		{"a forged X-Forwarded-For, proxy not trusted", urls[0], "10.1.2.3", 403},
		{"behind the proxy, client in the list", urls[1], "10.1.2.3", 200},
		{"behind the proxy, client of IPv6 in the list", urls[1], "2001:db8::7", 200},
		{"behind the proxy, client outside", urls[1], "192.0.2.1", 403},
		{"behind the proxy, the client's own entry is not the proxy's", urls[1], "10.1.2.3, 192.0.2.1", 403},
		{"127.0.0.0/8 allowed", urls[2], "", 200},
	} {
		req := request(t, "GET", tc.base+"/desk/login")
		if tc.xff != "" {
			req.Header.Set("X-Forwarded-For", tc.xff)
		}
		if got := status(t, req); got != tc.want {
			t.Errorf("%s: %d, want %d", tc.name, got, tc.want)
		}
	}
	res, err := http.Get(urls[0] + "/desk/login")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if !strings.Contains(string(b), "此地址不允许访问编辑部后台") {
		t.Errorf("refusal says %q", b)
	}
}

func mustURL(t *testing.T, s string) *url.URL {
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// A client that sends its body slowly is cut off after the read time-out;
// an upload gets its own, longer one.
func TestSlowBodiesAreCutOffButUploadsMayTakeLonger(t *testing.T) {
	_, srv := deskServer(t)
	urls := serveOn(t, web.Limits{ReadTimeout: 200 * time.Millisecond, HeaderTimeout: 200 * time.Millisecond}, variant(t, func(d *web.Deps) {}))
	addr := strings.TrimPrefix(urls[0], "http://")

	// The sign-in form, 10 bytes of 1,000 sent, then nothing: the server
	// gives up (answers and closes) without waiting for the rest.
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "POST /desk/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\nusername=a")
	conn.SetReadDeadline(time.Now().Add(30 * time.Second)) // only so that a failing test ends
	if _, err := io.ReadAll(conn); err != nil {
		t.Fatalf("the slow sign-in kept its connection: %v", err)
	}

	// A photo upload sent in three parts a second apart, each pause five
	// times the read time-out: it arrives whole and is stored.
	c := signIn(t, srv, "editor")
	photo, err := photo.JPEG(3, 64, 48)
	if err != nil {
		t.Fatal(err)
	}
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	mw.WriteField("csrf", c.csrf())
	mw.WriteField("alt", "慢慢上传")
	fw, _ := mw.CreateFormFile("file", "slow.jpg")
	fw.Write(photo)
	mw.Close()
	up, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer up.Close()
	cookie := c.c.Jar.Cookies(mustURL(t, srv.URL))[0]
	fmt.Fprintf(up, "POST /desk/media HTTP/1.1\r\nHost: x\r\nCookie: %s=%s\r\nContent-Type: %s\r\nContent-Length: %d\r\nConnection: close\r\n\r\n",
		cookie.Name, cookie.Value, mw.FormDataContentType(), body.Len())
	b := body.Bytes()
	for i, part := range [][]byte{b[:len(b)/3], b[len(b)/3 : 2*len(b)/3], b[2*len(b)/3:]} {
		if i > 0 {
			time.Sleep(time.Second)
		}
		if _, err := up.Write(part); err != nil {
			t.Fatalf("upload part %d: %v", i, err)
		}
	}
	up.SetReadDeadline(time.Now().Add(30 * time.Second))
	res, err := http.ReadResponse(bufio.NewReader(up), nil)
	if err != nil {
		t.Fatalf("slow upload: %v", err)
	}
	defer res.Body.Close()
	var out struct {
		HTML string `json:"html"`
	}
	json.NewDecoder(res.Body).Decode(&out)
	if res.StatusCode != 200 || !strings.Contains(out.HTML, "慢慢上传") {
		t.Errorf("slow upload: %d %q, want the stored figure", res.StatusCode, out.HTML)
	}
}

func TestOpenConnectionsAreCapped(t *testing.T) {
	urls := serveOn(t, web.Limits{MaxConns: 2, HeaderTimeout: time.Minute}, variant(t, func(d *web.Deps) {}))
	addr := strings.TrimPrefix(urls[0], "http://")
	// Two connections that say nothing take both places.
	var idle []net.Conn
	for range 2 {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		idle = append(idle, c)
	}
	answered := make(chan error, 1)
	go func() {
		res, err := (&http.Client{Timeout: 30 * time.Second}).Get(urls[0] + "/healthz")
		if err == nil {
			res.Body.Close()
		}
		answered <- err
	}()
	select {
	case err := <-answered:
		t.Fatalf("a third connection was served while two were open (err %v)", err)
	case <-time.After(300 * time.Millisecond):
	}
	idle[0].Close() // a place frees: the third is served
	if err := <-answered; err != nil {
		t.Fatalf("the waiting connection: %v", err)
	}
}

// publicCSP is what a public page's policy must say, at least.
const publicCSP = "default-src 'self'; script-src 'self'; object-src 'none'; base-uri 'self'"

// Every response carries the security headers: every public route, every
// desk route (signed in and out), over HTTP and HTTPS.
func TestSecurityHeadersOnEveryRoute(t *testing.T) {
	a, srv := deskServer(t)
	seed := newStory(t, signIn(t, srv, "contributor"), "安全头测试稿件")
	concrete := func(pattern string) (method, path string) {
		method, path, ok := strings.Cut(pattern, " ")
		if !ok {
			method, path = "GET", pattern
		}
		r := strings.NewReplacer("{$}", "", "{id}", fmt.Sprint(seed), "{action}", "submit", "{slug}", "news", "{year}", "2020",
			"{month}", "11", "{file}", "1.xml", "{dir}", "x", "{name}", "x.jpg", "{version}", "v")
		return method, r.Replace(path)
	}
	tlsSrv := httptest.NewTLSServer(a.Web)
	defer tlsSrv.Close()
	editor := signIn(t, srv, "editor")
	cookie := editor.c.Jar.Cookies(mustURL(t, srv.URL))[0]
	check := func(t *testing.T, res *http.Response, desk, https bool) {
		t.Helper()
		h := res.Header
		csp := h.Get("Content-Security-Policy")
		if strings.HasPrefix(res.Request.URL.Path, "/media/") {
			csp = publicCSP // checked below
		}
		for _, want := range []string{"script-src 'self'", "object-src 'none'", "base-uri 'self'", "default-src 'self'"} {
			if !strings.Contains(csp, want) {
				t.Errorf("%s: CSP %q lacks %q", res.Request.URL.Path, csp, want)
			}
		}
		if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") {
			t.Errorf("%s: CSP %q allows inline script or style", res.Request.URL.Path, csp)
		}
		if desk != strings.Contains(csp, "frame-ancestors 'none'") {
			t.Errorf("%s: CSP %q, frame-ancestors 'none' wanted only on the desk", res.Request.URL.Path, csp)
		}
		if h.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("%s: X-Content-Type-Options %q", res.Request.URL.Path, h.Get("X-Content-Type-Options"))
		}
		// The desk sends its referrer policy as a header; public pages
		// state the same one in <meta name="referrer"> (TestCachedPageHeaders).
		if got := h.Get("Referrer-Policy"); desk && got != "strict-origin-when-cross-origin" {
			t.Errorf("%s: Referrer-Policy %q", res.Request.URL.Path, got)
		}
		if !strings.Contains(h.Get("Permissions-Policy"), "camera=()") {
			t.Errorf("%s: Permissions-Policy %q", res.Request.URL.Path, h.Get("Permissions-Policy"))
		}
		if got := h.Get("Strict-Transport-Security"); (got != "") != https {
			t.Errorf("%s: HSTS %q over HTTPS=%v", res.Request.URL.Path, got, https)
		}
	}
	routes := append(a.Web.PublicPatterns(), "GET /desk/login", "POST /desk/login")
	routes = append(routes, a.Web.DeskPatterns()...)
	if len(routes) < 50 {
		t.Fatalf("only %d routes", len(routes))
	}
	for _, pattern := range routes {
		method, path := concrete(pattern)
		desk := strings.HasPrefix(path, "/desk/")
		for _, https := range []bool{false, true} {
			for _, signedIn := range []bool{false, true} {
				base, client := srv.URL, srv.Client()
				if https {
					base, client = tlsSrv.URL, tlsSrv.Client()
				}
				req := request(t, method, base+path)
				if signedIn {
					req.AddCookie(cookie)
				}
				res, err := client.Transport.RoundTrip(req)
				if err != nil {
					t.Fatal(err)
				}
				res.Body.Close()
				check(t, res, desk, https)
			}
		}
	}
	// Media files get all but the CSP, which would stop PDF viewers.
	res, err := http.Get(srv.URL + "/media/99999/x.pdf")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.Header.Get("Content-Security-Policy") != "" {
		t.Errorf("media: CSP %q", res.Header.Get("Content-Security-Policy"))
	}
}

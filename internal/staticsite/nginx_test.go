package staticsite_test

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"newsdesk/internal/model"
	"newsdesk/internal/staticsite"
)

// nginxServe serves an exported folder with a real nginx (Debian's
// package) configured as docs/deploy.md says, the redirect table
// included; it returns the server's base URL, or skips the test.
func nginxServe(t *testing.T, root, redirects string) string {
	t.Helper()
	bin, err := exec.LookPath("nginx")
	if err != nil {
		if _, serr := os.Stat("/usr/sbin/nginx"); serr != nil {
			t.Skip("no nginx on this machine (apt-get install nginx-light): the static export's nginx configuration is not tested")
		}
		bin = "/usr/sbin/nginx"
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	dir := t.TempDir()
	who := ""
	if os.Geteuid() == 0 { // the master would drop the worker to nobody
		if g, err := user.LookupGroupId(fmt.Sprint(os.Getgid())); err == nil {
			who = "user root " + g.Name + ";"
		}
	}
	conf := fmt.Sprintf(`%[1]s
worker_processes 1;
daemon off;
pid %[2]s/nginx.pid;
error_log %[2]s/error.log warn;
events { worker_connections 256; }
http {
    access_log off;
    include /etc/nginx/mime.types;
    client_body_temp_path %[2]s/body;
    proxy_temp_path %[2]s/proxy;
    fastcgi_temp_path %[2]s/fastcgi;
    uwsgi_temp_path %[2]s/uwsgi;
    scgi_temp_path %[2]s/scgi;
    map_hash_bucket_size 256;

    include %[3]s;

    map $arg_page $page_suffix {
        ""           "";
        "~^[0-9]+$"  "-$arg_page";
        default      "-none";
    }
    server {
        listen %[4]s;
        root %[5]s;
        charset utf-8;
        gzip_static on;
        gzip_vary on;
        error_page 404 /404.html;
        if ($newsdesk_redirect) {
            return 301 $newsdesk_redirect;
        }
        location / {
            try_files $uri $uri/index$page_suffix.html =404;
            add_header Cache-Control "no-cache";
        }
        location /static/ {
            add_header Cache-Control "public, max-age=31536000, immutable";
        }
        location ~ (^|/)(rss|atom)\.xml$ {
            try_files $uri =404;
        }
        location = /404.html { internal; }
    }
}
`, who, dir, redirects, addr, root)
	must(t, os.WriteFile(filepath.Join(dir, "nginx.conf"), []byte(conf), 0o644))
	if out, err := exec.Command(bin, "-t", "-q", "-p", dir, "-e", filepath.Join(dir, "error.log"), "-c", filepath.Join(dir, "nginx.conf")).CombinedOutput(); err != nil {
		t.Fatalf("nginx -t: %v\n%s", err, out)
	}
	cmd := exec.Command(bin, "-p", dir, "-e", filepath.Join(dir, "error.log"), "-c", filepath.Join(dir, "nginx.conf"))
	must(t, cmd.Start())
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	base := "http://" + addr
	for i := 0; ; i++ {
		if res, err := http.Get(base + "/robots.txt"); err == nil {
			res.Body.Close()
			break
		}
		if i == 100 {
			b, _ := os.ReadFile(filepath.Join(dir, "error.log"))
			t.Fatalf("nginx does not answer on %s:\n%s", addr, b)
		}
		time.Sleep(50 * time.Millisecond)
	}
	return base
}

// TestNginxServesTheExportWithItsRedirects: the exported folder served by
// nginx with the redirect table written beside it: an old address of an
// imported site answers 301 to its story (also with tracking parameters
// after it, and for a path in Chinese), an old address with its query to
// the address it was given; every link found by a crawl from the home
// page and the sitemap answers 200; the 404 page and the gzip copies are
// served.
func TestNginxServesTheExportWithItsRedirects(t *testing.T) {
	s := newSite(t)
	ctx := context.Background()
	admin, err := s.app.Store.UserByName(ctx, "admin")
	must(t, err)
	actor := model.Actor{User: admin, Via: "desk"}
	for _, r := range []model.Redirect{
		{Path: "/info/1012/3456.htm", ArticleID: 7},
		{Path: "http://news.old.example.edu.cn/2019/0312/c1234a5678/page.htm", ArticleID: 8},
		{Path: "/news.php?id=12", Target: "/columns/news"},
		{Path: "/新闻/旧地址.htm", ArticleID: 9},
		{Path: `/weird"$name.htm`, Target: "https://www.example.edu.cn/$x"},
	} {
		if _, err := s.app.Redirects.Save(ctx, actor, r); err != nil {
			t.Fatalf("redirect %s: %v", r.Path, err)
		}
	}
	s.export(t)
	conf := staticsite.RedirectsPath(s.out)
	n, err := staticsite.WriteRedirects(ctx, s.app.Store, conf)
	must(t, err)
	if n != 5 || filepath.Dir(conf) == s.out {
		t.Fatalf("%d redirects written into %s", n, conf)
	}
	base := nginxServe(t, s.out, conf)
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for _, c := range []struct {
		path     string
		code     int
		location string
	}{
		{"/info/1012/3456.htm", 301, "/articles/7"},
		{"/info/1012/3456.htm?from=timeline&utm_source=wx", 301, "/articles/7"},
		{"/2019/0312/c1234a5678/page.htm", 301, "/articles/8"},
		{"/news.php?id=12", 301, "/columns/news"},
		{"/news.php?id=13", 404, ""},
		{"/%E6%96%B0%E9%97%BB/%E6%97%A7%E5%9C%B0%E5%9D%80.htm", 301, "/articles/9"},
		{"/weird%22$name.htm", 301, "https://www.example.edu.cn/%24x"},
		{"/info/1012/3457.htm", 404, ""},
		{"/articles/7", 200, ""},
	} {
		res, err := client.Get(base + c.path)
		must(t, err)
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		loc := res.Header.Get("Location")
		if res.StatusCode != c.code || (c.location != "" && !strings.HasSuffix(loc, c.location)) {
			t.Errorf("%s: %d → %q, want %d → %q", c.path, res.StatusCode, loc, c.code, c.location)
		}
		if c.code == 404 && !strings.Contains(string(b), "<html") {
			t.Errorf("%s: the 404 page is not served: %.200s", c.path, b)
		}
	}
	// gzip_static: the .gz beside the page, as is.
	req, _ := http.NewRequest(http.MethodGet, base+"/articles/7", nil)
	req.Header.Set("Accept-Encoding", "gzip")
	res, err := http.DefaultTransport.RoundTrip(req)
	must(t, err)
	gz, _ := io.ReadAll(res.Body)
	res.Body.Close()
	want, err := os.ReadFile(filepath.Join(s.out, "articles", "7", "index.html.gz"))
	must(t, err)
	if res.Header.Get("Content-Encoding") != "gzip" || string(gz) != string(want) {
		t.Errorf("gzip_static: Content-Encoding %q, %d bytes (the .gz has %d)", res.Header.Get("Content-Encoding"), len(gz), len(want))
	}
	// The whole site through nginx: no broken link.
	st, err := s.ex.Reader.Site(ctx)
	must(t, err)
	fetched := 0
	crawlOnce(base, st.Settings.BaseURL, func(u, from string, code int, _ []byte, _ time.Time) {
		fetched++
		if code != http.StatusOK {
			t.Errorf("through nginx: %s (linked from %s): %d", u, from, code)
		}
	}, func(err error) { t.Error(err) })
	if fetched < 100 {
		t.Errorf("the crawl through nginx fetched only %d addresses", fetched)
	}
	t.Logf("%d addresses crawled through nginx", fetched)
}

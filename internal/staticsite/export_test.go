package staticsite_test

import (
	"bytes"
	"context"
	"encoding/xml"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"newsdesk/internal/app"
	"newsdesk/internal/config"
	"newsdesk/internal/model"
	"newsdesk/internal/staticsite"
	"newsdesk/internal/store/sqlstore/pgtest"
)

var demoUntil = time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)

// site is a demo site with its pictures' variants made, and an exporter
// of it into a fresh folder.
type site struct {
	app *app.App
	ex  *staticsite.Exporter
	out string
}

// newSite opens the demo site: on SQLite a copy of the one built for the
// package (demoTemplate), on another store (args naming --db) a new one.
func newSite(t *testing.T, args ...string) *site {
	t.Helper()
	ctx := context.Background()
	data := t.TempDir()
	fresh := slices.Contains(args, "--db")
	if !fresh {
		if err := os.CopyFS(data, os.DirFS(demoTemplate(t))); err != nil {
			t.Fatal(err)
		}
	}
	cfg, err := config.Parse("test", append([]string{"--data", data}, args...))
	if err != nil {
		t.Fatal(err)
	}
	a, err := app.Open(ctx, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	if fresh {
		loadSite(t, a)
	}
	srv, err := a.StaticServer("", 0)
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "www")
	return &site{app: a, out: out, ex: &staticsite.Exporter{Handler: srv.PublicHandler(), Reader: srv.Reader, Dir: out}}
}

func (s *site) export(t *testing.T) staticsite.Result {
	t.Helper()
	res, err := s.ex.Export(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// admin is the demo's administrator acting at the desk.
func (s *site) admin(t *testing.T) model.Actor {
	t.Helper()
	u, err := s.app.Store.UserByName(context.Background(), "admin")
	if err != nil {
		t.Fatal(err)
	}
	return model.Actor{User: u, Via: "desk"}
}

// dynamic is what the dynamic site answers for u.
func (s *site) dynamic(u string) *httptest.ResponseRecorder {
	w := httptest.NewRecorder()
	s.app.Web.ServeHTTP(w, httptest.NewRequest(http.MethodGet, u, nil))
	return w
}

func TestExportOfTheDemoSiteIsTheDynamicSite(t *testing.T) {
	s := newSite(t)
	res := s.export(t)
	checkExport(t, s, res)
}

func TestExportOnPostgres(t *testing.T) {
	s := newSite(t, "--db", pgtest.DSN(t))
	checkExport(t, s, s.export(t))
}

func checkExport(t *testing.T, s *site, res staticsite.Result) {
	t.Helper()
	// Every file holds what the dynamic site answers for its address, and
	// every text file has its gzip copy beside it.
	var html, variants, originals int
	err := filepath.WalkDir(s.out, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(s.out, p)
		rel = filepath.ToSlash(rel)
		got, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		u, ok := staticsite.URLOf(rel)
		if !ok {
			return nil
		}
		w := s.dynamic(u)
		if w.Code != 200 {
			t.Errorf("%s: the dynamic site answers %s with %d", rel, u, w.Code)
			return nil
		}
		ctype := w.Header().Get("Content-Type")
		if !bytes.Equal(got, w.Body.Bytes()) {
			t.Errorf("%s differs from what the dynamic site serves at %s:\n%s", rel, u, firstDifference(got, w.Body.Bytes()))
		}
		if strings.HasPrefix(ctype, "text/") || strings.Contains(ctype, "xml") {
			if _, err := os.Stat(p + ".gz"); err != nil {
				t.Errorf("%s has no gzip copy", rel)
			}
		}
		switch {
		case strings.HasSuffix(rel, ".html"):
			html++
		case strings.HasPrefix(rel, "media/v/"):
			variants++
		case strings.HasPrefix(rel, "media/"):
			originals++
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if html < 45 || variants == 0 || originals == 0 || res.Files < 2*html {
		t.Errorf("%d pages, %d variants, %d served copies, %d files: the export lacks some", html, variants, originals, res.Files)
	}
	// Nothing of the desk and never an original upload.
	for _, rel := range []string{"desk", "search"} {
		if _, err := os.Stat(filepath.Join(s.out, rel)); err == nil {
			t.Errorf("the export holds %s", rel)
		}
	}
	nf, err := os.ReadFile(filepath.Join(s.out, staticsite.NotFoundFile))
	if w := s.dynamic("/" + staticsite.NotFoundFile); err != nil || w.Code != 404 || !bytes.Equal(nf, w.Body.Bytes()) {
		t.Errorf("404 page: %v, or not the dynamic site's", err)
	}
	// A slot counts its pages from the newest: its ?page=1 is its first
	// page on the dynamic site, and so in the folder as nginx serves it.
	for _, u := range []string{"/focus?page=1", "/recommended?page=1"} {
		w := httptest.NewRecorder()
		staticsite.Handler(s.out).ServeHTTP(w, httptest.NewRequest(http.MethodGet, u, nil))
		if d := s.dynamic(u); w.Code != http.StatusOK || d.Code != http.StatusOK || !bytes.Equal(w.Body.Bytes(), d.Body.Bytes()) {
			t.Errorf("%s: the folder answers %d, the dynamic site %d, or not the same page", u, w.Code, d.Code)
		}
	}
	crawl(t, s)
}

// crawl follows every link of the exported folder, served as nginx serves
// it (try_files), from the home page and the sitemap: none is broken.
func crawl(t *testing.T, s *site) {
	t.Helper()
	srv := httptest.NewServer(staticsite.Handler(s.out))
	defer srv.Close()
	st, err := s.ex.Reader.Site(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	base := st.Settings.BaseURL
	seen := map[string]bool{}
	queue := []string{"/", "/sitemap.xml", "/robots.txt"}
	add := func(ref string) {
		ref = strings.TrimPrefix(ref, base)
		if !strings.HasPrefix(ref, "/") || strings.HasPrefix(ref, "//") {
			return
		}
		u, err := url.Parse(ref)
		if err != nil {
			t.Errorf("bad link %q", ref)
			return
		}
		// The desk, the search and the other language are dynamic.
		if strings.HasPrefix(u.Path, "/desk") || u.Path == "/search" || u.Query().Has("lang") {
			return
		}
		u.Fragment = ""
		if k := u.String(); !seen[k] {
			seen[k] = true
			queue = append(queue, k)
		}
	}
	for len(queue) > 0 {
		u := queue[0]
		queue = queue[1:]
		res, err := http.Get(srv.URL + u)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != 200 {
			t.Errorf("broken link %s: %d", u, res.StatusCode)
			continue
		}
		ctype := res.Header.Get("Content-Type")
		switch {
		case strings.HasPrefix(ctype, "text/html"):
			d, err := goquery.NewDocumentFromReader(bytes.NewReader(b))
			if err != nil {
				t.Fatal(err)
			}
			d.Find("a[href], link[href], img[src], script[src], source[srcset], img[srcset]").Each(func(_ int, e *goquery.Selection) {
				for _, attr := range []string{"href", "src"} {
					if v, ok := e.Attr(attr); ok {
						add(v)
					}
				}
				if v, ok := e.Attr("srcset"); ok {
					for _, c := range strings.Split(v, ",") {
						add(strings.Fields(c)[0])
					}
				}
			})
		case strings.Contains(ctype, "xml"):
			dec := xml.NewDecoder(bytes.NewReader(b))
			for {
				tok, err := dec.Token()
				if err != nil {
					break
				}
				if se, ok := tok.(xml.StartElement); ok && (se.Name.Local == "loc" || se.Name.Local == "link") {
					for _, a := range se.Attr {
						if a.Name.Local == "href" {
							add(a.Value)
						}
					}
					var text string
					if se.Name.Local == "loc" || se.Name.Local == "link" {
						if err := dec.DecodeElement(&text, &se); err == nil {
							add(strings.TrimSpace(text))
						}
					}
				}
			}
		}
	}
	if len(seen) < 60 {
		t.Errorf("the crawl reached only %d addresses", len(seen))
	}
}

func firstDifference(a, b []byte) string {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	from := max(0, i-80)
	return "exported: " + string(a[from:min(len(a), i+80)]) + "\ndynamic:  " + string(b[from:min(len(b), i+80)])
}

// TestVerifyFindsAndRestoresTampering: a file altered, one deleted and one
// added are each reported, restored from the store on request and
// audited; the folder is then as exported.
func TestVerifyFindsAndRestoresTampering(t *testing.T) {
	s := newSite(t)
	s.export(t)
	ctx := context.Background()
	actor := model.SystemActor("cli")
	r, err := s.ex.Check(ctx, s.app.Store, actor, false)
	if err != nil || r.Wrong() || r.Checked == 0 {
		t.Fatalf("fresh export: %s, %v", r.Summary(), err)
	}
	article := filepath.Join(s.out, "articles", "1", "index.html")
	orig, err := os.ReadFile(article)
	if err != nil {
		t.Fatal(err)
	}
	must(t, os.WriteFile(article, bytes.Replace(orig, []byte("</h1>"), []byte("（已被篡改）</h1>"), 1), 0o644))
	must(t, os.Remove(filepath.Join(s.out, "rss.xml")))
	must(t, os.WriteFile(filepath.Join(s.out, "articles", "hacked.html"), []byte("<h1>hacked</h1>"), 0o644))
	r, err = s.ex.Check(ctx, s.app.Store, actor, false)
	if err != nil {
		t.Fatal(err)
	}
	if !r.Wrong() || len(r.Changed) != 1 || r.Changed[0] != "articles/1/index.html" || len(r.Missing) != 1 || r.Missing[0] != "rss.xml" ||
		len(r.Added) != 1 || r.Added[0] != "articles/hacked.html" || r.Restored != 0 {
		t.Fatalf("check without restoring: %s", r.Summary())
	}
	r, err = s.ex.Check(ctx, s.app.Store, actor, true)
	if err != nil || r.Restored != 3 {
		t.Fatalf("restore: %s, %v", r.Summary(), err)
	}
	if b, _ := os.ReadFile(article); !bytes.Equal(b, orig) {
		t.Error("the altered article is not as exported")
	}
	if _, err := os.Stat(filepath.Join(s.out, "articles", "hacked.html")); err == nil {
		t.Error("the added file is still there")
	}
	if r, err = s.ex.Check(ctx, s.app.Store, actor, false); err != nil || r.Wrong() {
		t.Errorf("after restoring: %s, %v", r.Summary(), err)
	}
	entries, _, err := s.app.Store.Audit(ctx, 10, 0)
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, e := range entries {
		if strings.HasPrefix(e.Action, "static.") {
			actions = append(actions, e.Action)
			if e.UserID != 0 || e.Via != "cli" || !strings.Contains(e.Detail, "articles/hacked.html") {
				t.Errorf("audit entry %+v", e)
			}
		}
	}
	if strings.Join(actions, " ") != "static.restored static.tampered" {
		t.Errorf("audited %v, want the finding and the restoring (newest first)", actions)
	}
}

// TestReexportRemovesWithdrawnStories: exporting again writes only what
// changed and removes the pages no longer on the site.
func TestReexportRemovesWithdrawnStories(t *testing.T) {
	s := newSite(t)
	first := s.export(t)
	again := s.export(t)
	if again.Written != 0 || again.Removed != 0 || again.Files != first.Files {
		t.Fatalf("a second export of an unchanged site wrote %d and removed %d files (%d, first %d)", again.Written, again.Removed, again.Files, first.Files)
	}
	ctx := context.Background()
	admin, err := s.app.Store.UserByName(ctx, "admin")
	if err != nil {
		t.Fatal(err)
	}
	a, err := s.app.Store.Article(ctx, 2)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.app.Articles.Transition(ctx, model.Actor{User: admin, Via: "cli"}, a.ID, a.Version, "withdraw", "测试撤稿", time.Time{}); err != nil {
		t.Fatal(err)
	}
	third := s.export(t)
	if third.Removed < 2 || third.Written == 0 { // its page and gzip copy, perhaps an archive page
		t.Errorf("withdrawing a story wrote %d and removed %d files", third.Written, third.Removed)
	}
	if _, err := os.Stat(filepath.Join(s.out, "articles", "2", "index.html")); err == nil {
		t.Error("the withdrawn story's page is still there")
	}
}

// TestExportIntoADeletedFolder: with the folder deleted and its manifest
// left beside it, an export writes every file again (in place, as into
// any empty folder), and the folder then verifies.
func TestExportIntoADeletedFolder(t *testing.T) {
	s := newSite(t)
	first := s.export(t)
	must(t, os.RemoveAll(s.out))
	again := s.export(t)
	if again.Written != first.Files || again.Files != first.Files {
		t.Fatalf("the export into the deleted folder wrote %d of %d files, want all %d", again.Written, again.Files, first.Files)
	}
	r, err := s.ex.Check(context.Background(), s.app.Store, model.SystemActor("cli"), false)
	if err != nil || r.Wrong() || r.Checked != first.Files {
		t.Fatalf("verify after it: %s, %v", r.Summary(), err)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

package check_test

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"newsdesk/internal/check"
	"newsdesk/internal/model"
	"newsdesk/internal/store"
	"newsdesk/internal/store/sqlstore/pgtest"
)

// linkServer is a site on 127.0.0.1 with a good page, a missing one, a
// slow one, one that refuses HEAD, and a record of every request.
type linkServer struct {
	*httptest.Server
	mu       sync.Mutex
	requests []linkRequest
	inFlight int
	most     int // the most requests under way at once
}

type linkRequest struct {
	method, path, agent string
	at                  time.Time
}

func newLinkServer(t *testing.T) *linkServer {
	s := &linkServer{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.requests = append(s.requests, linkRequest{r.Method, r.URL.Path, r.UserAgent(), time.Now()})
		s.inFlight++
		s.most = max(s.most, s.inFlight)
		s.mu.Unlock()
		defer func() { s.mu.Lock(); s.inFlight--; s.mu.Unlock() }()
		switch r.URL.Path {
		case "/good", "/also-good":
			fmt.Fprint(w, "<p>ok</p>")
		case "/slow":
			select { // longer than the time limit; over when the client gives up
			case <-r.Context().Done():
			case <-time.After(5 * time.Second):
			}
		case "/no-head":
			if r.Method == http.MethodHead {
				w.WriteHeader(http.StatusMethodNotAllowed)
				return
			}
			fmt.Fprint(w, "<p>GET only</p>")
		case "/gone":
			w.WriteHeader(http.StatusInternalServerError)
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *linkServer) log() []linkRequest {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]linkRequest(nil), s.requests...)
}

func TestExternalLinksOnSQLite(t *testing.T) { externalLinks(t, openSQLite(t)) }

func TestExternalLinksOnPostgreSQL(t *testing.T) { externalLinks(t, pgtest.Open(t)) }

// externalLinks: with network checks off (the default) the self-audit
// sends no request; turned on, it visits each outside link once, one
// request at a time at least the delay apart, naming Newsdesk, HEAD then
// GET when HEAD is refused; 404, 500, a time-out and a closed port become
// open items of the rectification list, good pages none. A run with the
// checks off again leaves those items as they were; a link that works
// again is marked fixed by the next run with them on.
func externalLinks(t *testing.T, st store.Store) {
	ctx := context.Background()
	srv := newLinkServer(t)
	closed := func() string { // an address nothing listens on
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		defer l.Close()
		return "http://" + l.Addr().String() + "/"
	}()
	s := newSite(t, st)
	link := func(p string) string { return fmt.Sprintf(`<a href="%s%s">%s</a>`, srv.URL, p, p) }
	pub := func(title, body string) model.Article {
		a := model.Article{ColumnID: s.col.ID, Title: title, Body: body, Status: model.StatusPublished, PublishedAt: time.Now().Add(-time.Hour)}
		if err := s.articles.Import(ctx, s.editor, &a, "test"); err != nil {
			t.Fatal(err)
		}
		return a
	}
	first := pub("友情链接", "<p>见"+link("/good")+"、"+link("/missing")+"、"+link("/slow")+"。</p>")
	pub("转载说明", "<p>原文"+link("/good")+"，另见"+link("/no-head")+"、"+link("/gone")+`、<a href="`+closed+`">旧站</a>、<a href="mailto:news@example.edu">来信</a>。</p>`)

	// Off by default: no request at all.
	if _, err := s.checks.RunAudit(ctx, s.editor); err != nil {
		t.Fatal(err)
	}
	if n := len(srv.log()); n != 0 {
		t.Fatalf("network checks off, yet %d requests were made", n)
	}

	// On, through the site's settings as the desk saves them.
	for k, v := range map[string]string{check.LinkSettingOn: "on", check.LinkSettingDelay: "60", check.LinkSettingTimeout: "1"} {
		if err := st.SetSetting(ctx, k, v); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.checks.RunAudit(ctx, s.editor); err != nil {
		t.Fatal(err)
	}
	reqs := srv.log()
	byPath := map[string][]string{}
	for i, r := range reqs {
		byPath[r.path] = append(byPath[r.path], r.method)
		if !strings.HasPrefix(r.agent, "Newsdesk") {
			t.Errorf("request %d named itself %q", i, r.agent)
		}
		if i > 0 {
			if gap := r.at.Sub(reqs[i-1].at); gap < 60*time.Millisecond {
				t.Errorf("request %d came %v after the one before, under the 60 ms pause", i, gap)
			}
		}
	}
	if srv.most != 1 {
		t.Errorf("%d requests under way at once, want one at a time", srv.most)
	}
	want := map[string]string{"/good": "HEAD", "/missing": "HEAD GET", "/slow": "HEAD", "/no-head": "HEAD GET", "/gone": "HEAD GET"}
	for p, m := range want {
		if got := strings.Join(byPath[p], " "); got != m {
			t.Errorf("%s was asked for with %q, want %q (each link once, GET only when HEAD was refused, no GET after a time-out)", p, got, m)
		}
	}
	items := openItems(t, s)
	for href, why := range map[string]string{srv.URL + "/missing": "HTTP 404", srv.URL + "/slow": "timeout", srv.URL + "/gone": "HTTP 500", closed: "refused"} {
		it, ok := items[href]
		if !ok || it.Rule != check.RuleExternalLink || !strings.Contains(it.Suggestion, why) || it.Level != check.Warn || it.ColumnID != s.col.ID {
			t.Errorf("broken link %s: %+v, want an open %s item saying %q", href, it, check.RuleExternalLink, why)
		}
	}
	for _, p := range []string{"/good", "/no-head"} {
		if it, ok := items[srv.URL+p]; ok {
			t.Errorf("a working link is on the list: %+v", it)
		}
	}

	// Off again: the items stay open, no request is made.
	if err := st.SetSetting(ctx, check.LinkSettingOn, "off"); err != nil {
		t.Fatal(err)
	}
	before := len(srv.log())
	if _, err := s.checks.RunAudit(ctx, s.editor); err != nil {
		t.Fatal(err)
	}
	if n := len(srv.log()); n != before {
		t.Errorf("network checks off again, yet %d requests were made", n-before)
	}
	if got := openItems(t, s); len(got) != len(items) {
		t.Errorf("a run without network checks changed the external link items: %d open, had %d", len(got), len(items))
	}

	// The missing page is put back; on again, a new run marks it fixed.
	first.Body = strings.ReplaceAll(first.Body, "/missing", "/also-good")
	if err := s.articles.Update(ctx, s.editor, &first); err != nil {
		t.Fatal(err)
	}
	if first.Status == model.StatusPublished {
		// A published story's edit is a working copy until approved.
		if _, err := s.articles.ApproveRevision(ctx, s.editor, first.ID, first.Version, ""); err != nil {
			t.Fatal(err)
		}
	}
	if err := st.SetSetting(ctx, check.LinkSettingOn, "on"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.checks.RunAudit(ctx, s.editor); err != nil {
		t.Fatal(err)
	}
	if _, ok := openItems(t, s)[srv.URL+"/missing"]; ok {
		t.Error("the link taken out of the story is still open")
	}
	if _, ok := openItems(t, s)[srv.URL+"/slow"]; !ok {
		t.Error("the slow page is no longer on the list")
	}
}

// openItems are the open rectification items, by text.
func openItems(t *testing.T, s site) map[string]model.CheckAuditItem {
	t.Helper()
	items, _, err := s.checks.AuditItems(context.Background(), s.editor, model.CheckAuditQuery{Status: model.AuditOpen, Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]model.CheckAuditItem{}
	for _, it := range items {
		out[it.Text] = it
	}
	return out
}

// TestBrokenLinkReasons: a name that does not resolve is reported as such
// (built here: the tests send no request off this machine).
func TestBrokenLinkReasons(t *testing.T) {
	why, final := check.LinkError(&net.DNSError{Err: "no such host", Name: "news.invalid", IsNotFound: true}, time.Second)
	if why != "DNS: no such host" || !final {
		t.Errorf("DNS failure: %q final %v", why, final)
	}
}

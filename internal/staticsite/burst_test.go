package staticsite_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"newsdesk/internal/model"
	"newsdesk/internal/staticsite"
)

// TestReaderCrawlingDuringABurstOfPublishes: serve --static-out while
// editors publish and withdraw in quick succession, with readers crawling
// the folder (served as nginx serves it) all the while. No reader ever
// gets a truncated page, and no link found on a page leads to a 404 —
// except the page of a story withdrawn before the request (the reader
// held a page from before the withdrawal) and the archive pages that
// story's withdrawal emptied. Stories published during the burst are
// written before any page links to them, so a 404 on one is a failure.
func TestReaderCrawlingDuringABurstOfPublishes(t *testing.T) {
	if testing.Short() {
		t.Skip("a burst of publishes with continuous crawling (seconds); skipped with -short")
	}
	s := newSite(t)
	ctx := context.Background()
	admin, err := s.app.Store.UserByName(ctx, "admin")
	must(t, err)
	actor := model.Actor{User: admin, Via: "desk"}
	transition := func(id int64, action string) error {
		a, err := s.app.Store.Article(ctx, id)
		if err != nil {
			return err
		}
		_, err = s.app.Articles.Transition(ctx, actor, id, a.Version, action, "测试", time.Time{})
		return err
	}
	// Pairs of published stories of one column: the first of each pair is
	// taken off before the crawl and published again during it, the
	// second withdrawn during it.
	byColumn := map[int64][]int64{}
	for id := int64(2); id <= 45; id++ {
		a, err := s.app.Store.Article(ctx, id)
		if err != nil || a.Status != model.StatusPublished {
			continue
		}
		byColumn[a.ColumnID] = append(byColumn[a.ColumnID], id)
	}
	var publish, withdraw []int64
	for _, ids := range byColumn {
		for i := 0; i+1 < len(ids) && len(publish) < 8; i += 2 {
			publish, withdraw = append(publish, ids[i]), append(withdraw, ids[i+1])
		}
	}
	if len(publish) < 4 {
		t.Fatalf("only %d pairs of published stories in one column", len(publish))
	}
	for _, id := range publish {
		must(t, transition(id, "withdraw"))
	}
	t.Logf("published again during the burst: %v; withdrawn: %v", publish, withdraw)

	updates := make(chan error, 64)
	pub := &staticsite.Publisher{Exporter: s.ex, Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Done: func(_ staticsite.Result, err error) { updates <- err }}
	s.app.OnChange(pub.Changed)
	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan error)
	go func() { done <- pub.Run(runCtx) }()
	defer func() { cancel(); <-done }()
	select {
	case err := <-updates:
		must(t, err)
	case <-time.After(2 * time.Minute):
		t.Fatal("no export")
	}
	srv := httptest.NewServer(staticsite.Handler(s.out))
	defer srv.Close()
	st, err := s.ex.Reader.Site(ctx)
	must(t, err)

	// withdrawnAt: when each story of the burst was asked to be withdrawn;
	// withdrawnColumns: the columns whose archives they leave (a story
	// published again moves to this month's archive).
	var mu sync.Mutex
	withdrawnAt := map[int64]time.Time{}
	withdrawnColumns := map[string]bool{}
	for _, id := range withdraw {
		a, err := s.app.Store.Article(ctx, id)
		must(t, err)
		// A column's archive lists its sub-columns' stories too.
		for _, c := range st.Columns.Path(a.ColumnID) {
			withdrawnColumns[c.Slug] = true
		}
	}
	excused := func(u, from string, at time.Time) bool {
		mu.Lock()
		defer mu.Unlock()
		if m := articlePath.FindStringSubmatch(u); m != nil {
			id, _ := strconv.ParseInt(m[1], 10, 64)
			w, ok := withdrawnAt[id]
			return ok && w.Before(at)
		}
		if m := archivePath.FindStringSubmatch(u); m != nil && len(withdrawnAt) > 0 {
			slug, _ := url.PathUnescape(m[1])
			return withdrawnColumns[slug]
		}
		return false
	}

	var stop atomic.Bool
	var pages, excusedN atomic.Int64
	var failMu sync.Mutex
	var failures []string
	fail := func(format string, args ...any) {
		failMu.Lock()
		defer failMu.Unlock()
		if len(failures) < 20 {
			failures = append(failures, fmt.Sprintf(format, args...))
		}
	}
	rounds := make([]atomic.Int64, 2)
	var crawlers sync.WaitGroup
	for r := range rounds {
		crawlers.Go(func() {
			for !stop.Load() {
				crawlOnce(srv.URL, st.Settings.BaseURL, func(u, from string, code int, body []byte, at time.Time) {
					pages.Add(1)
					switch {
					case code == http.StatusNotFound && excused(u, from, at):
						excusedN.Add(1)
					case code != http.StatusOK:
						fail("%s (linked from %s): status %d", u, from, code)
					case truncated(u, body):
						fail("%s: truncated (%d bytes, ends %q)", u, len(body), tail(body))
					}
				}, func(err error) { fail("%v", err) })
				rounds[r].Add(1)
			}
		})
	}

	// The burst: a withdrawal and a publication every 150 ms, not waiting
	// for the folder to follow.
	for i := range publish {
		mu.Lock()
		withdrawnAt[withdraw[i]] = time.Now()
		mu.Unlock()
		must(t, transition(withdraw[i], "withdraw"))
		must(t, transition(publish[i], "publish"))
		time.Sleep(150 * time.Millisecond)
	}
	// Let the folder settle: no update for a while after the last change.
	var lastErr error
	for quiet := time.After(10 * time.Second); ; {
		select {
		case err := <-updates:
			// An update can meet a story withdrawn after it listed it; the
			// publisher tries again, and the last one must succeed.
			// After a failure the next try comes with back-off (up to
			// 30 s after several failures in a row), so wait longer then.
			lastErr = err
			if err != nil {
				t.Logf("%s update failed, to be retried: %v", time.Now().Format("15:04:05.000"), err)
				quiet = time.After(45 * time.Second)
			} else {
				t.Logf("%s update", time.Now().Format("15:04:05.000"))
				quiet = time.After(10 * time.Second)
			}
			continue
		case <-quiet:
		}
		break
	}
	if lastErr != nil {
		t.Fatalf("the last update failed: %v", lastErr)
	}
	// Every crawler finishes a round begun after the folder settled.
	settled := []int64{rounds[0].Load(), rounds[1].Load()}
	for deadline := time.Now().Add(time.Minute); rounds[0].Load() < settled[0]+2 || rounds[1].Load() < settled[1]+2; {
		if time.Now().After(deadline) {
			t.Fatal("the crawlers did not finish a round after the burst")
		}
		time.Sleep(50 * time.Millisecond)
	}
	stop.Store(true)
	crawlers.Wait()
	for _, f := range failures {
		t.Error(f)
	}
	t.Logf("%d fetches in %d+%d crawls; %d 404s on withdrawn stories or their emptied archives",
		pages.Load(), rounds[0].Load(), rounds[1].Load(), excusedN.Load())
	if rounds[0].Load()+rounds[1].Load() < 4 {
		t.Errorf("only %d crawls during the burst", rounds[0].Load()+rounds[1].Load())
	}

	// After the burst the folder is the site: the published stories are
	// there, the withdrawn ones gone, and nothing links to them.
	seen := map[string]bool{}
	crawlOnce(srv.URL, st.Settings.BaseURL, func(u, from string, code int, _ []byte, _ time.Time) {
		seen[u] = true
		if code != http.StatusOK {
			t.Errorf("after the burst: %s (linked from %s): status %d", u, from, code)
		}
	}, func(err error) { t.Error(err) })
	for i := range publish {
		if !seen[fmt.Sprintf("/articles/%d", publish[i])] {
			t.Errorf("after the burst: nothing links to the published story %d", publish[i])
		}
		if seen[fmt.Sprintf("/articles/%d", withdraw[i])] {
			t.Errorf("after the burst: the withdrawn story %d is still linked", withdraw[i])
		}
	}
}

var (
	articlePath = regexp.MustCompile(`^/articles/([0-9]+)(?:\?|$)`)
	archivePath = regexp.MustCompile(`^/columns/([^/?]+)/[0-9]{4}(?:/[0-9]{2})?(?:\?|$)`)
)

// truncated says whether a page or feed stops before its end.
func truncated(u string, body []byte) bool {
	b := bytes.TrimSpace(body)
	switch {
	case strings.HasSuffix(strings.SplitN(u, "?", 2)[0], ".xml"):
		return !bytes.HasSuffix(b, []byte(">")) || !bytes.Contains(b, []byte("</"))
	case bytes.HasPrefix(b, []byte("<!DOCTYPE html")) || bytes.HasPrefix(b, []byte("<!doctype html")):
		return !bytes.HasSuffix(b, []byte("</html>"))
	}
	return false
}

func tail(b []byte) string { return string(b[max(0, len(b)-40):]) }

// crawlOnce walks the pages and feeds of a served folder from the home
// page and the sitemap, telling seen every address it fetched (with the
// page that linked it and the time of the request); pictures and assets
// are fetched but not read.
func crawlOnce(root, base string, seen func(u, from string, code int, body []byte, at time.Time), failed func(error)) {
	visited := map[string]bool{}
	type link struct{ u, from string }
	queue := []link{{"/", ""}, {"/sitemap.xml", ""}}
	visited["/"], visited["/sitemap.xml"] = true, true
	add := func(ref, from string) {
		ref = strings.TrimPrefix(ref, base)
		if !strings.HasPrefix(ref, "/") || strings.HasPrefix(ref, "//") {
			return
		}
		u, err := url.Parse(ref)
		if err != nil || strings.HasPrefix(u.Path, "/desk") || u.Path == "/search" || u.Query().Has("lang") {
			return
		}
		u.Fragment = ""
		if k := u.String(); !visited[k] {
			visited[k] = true
			queue = append(queue, link{k, from})
		}
	}
	for len(queue) > 0 {
		l := queue[0]
		queue = queue[1:]
		at := time.Now()
		res, err := http.Get(root + l.u)
		if err != nil {
			failed(fmt.Errorf("%s: %w", l.u, err))
			continue
		}
		b, err := io.ReadAll(res.Body)
		res.Body.Close()
		if err != nil {
			failed(fmt.Errorf("%s: read: %w (a truncated answer)", l.u, err))
			continue
		}
		seen(l.u, l.from, res.StatusCode, b, at)
		if res.StatusCode != http.StatusOK {
			continue
		}
		ctype := res.Header.Get("Content-Type")
		switch {
		case strings.HasPrefix(ctype, "text/html"):
			d, err := goquery.NewDocumentFromReader(bytes.NewReader(b))
			if err != nil {
				failed(fmt.Errorf("%s: %w", l.u, err))
				continue
			}
			d.Find("a[href], link[href], img[src]").Each(func(_ int, e *goquery.Selection) {
				for _, attr := range []string{"href", "src"} {
					if v, ok := e.Attr(attr); ok {
						add(v, l.u)
					}
				}
			})
		case strings.Contains(ctype, "xml"):
			for _, m := range locPattern.FindAllSubmatch(b, -1) {
				add(string(m[1]), l.u)
			}
		}
	}
}

var locPattern = regexp.MustCompile(`<loc>\s*([^<\s]+)\s*</loc>`)

package staticsite_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"newsdesk/internal/model"
	"newsdesk/internal/reader"
	"newsdesk/internal/staticsite"
)

// TestUpdateWritesExactlyTheAffectedFiles: after a withdrawal, a
// republication, an edit and a slot change, Update leaves the folder as a
// fresh full export of the site would be, having written exactly the
// files whose bytes changed and removed exactly the ones gone.
func TestUpdateWritesExactlyTheAffectedFiles(t *testing.T) {
	s := newSite(t)
	s.export(t)
	ctx := context.Background()
	actor := s.admin(t)
	const id = 7
	transition := func(action string) func() error {
		return func() error {
			a, err := s.app.Store.Article(ctx, id)
			if err != nil {
				return err
			}
			_, err = s.app.Articles.Transition(ctx, actor, id, a.Version, action, "测试", time.Time{})
			return err
		}
	}
	for _, step := range []struct {
		name   string
		change func() error
	}{
		{"withdraw", transition("withdraw")},
		{"publish again", transition("publish")},
		{"edit the title", func() error {
			a, err := s.app.Store.Article(ctx, id)
			if err != nil {
				return err
			}
			a.Title += "（更新）"
			// A published story's edit is a working copy; the site
			// changes when it is approved.
			if err := s.app.Articles.Update(ctx, actor, &a); err != nil {
				return err
			}
			_, err = s.app.Articles.ApproveRevision(ctx, actor, id, a.Version, "")
			return err
		}},
		{"place in the focus slot", func() error {
			return s.app.Slots.Place(ctx, actor, model.Placement{Slot: model.SlotRecommended, ArticleID: id, Position: 0})
		}},
	} {
		s.updateAsExport(t, step.name, step.change)
		_, err := os.Stat(filepath.Join(s.out, "articles", "7", "index.html"))
		if public := step.name != "withdraw"; public != (err == nil) {
			t.Errorf("%s: the story's page exists: %v", step.name, err == nil)
		}
	}
}

// updateAsExport makes a change and an Update, and fails unless the folder
// is then what a fresh full export of the site writes, having written
// exactly the files whose bytes changed and removed exactly the ones
// gone. It returns the manifest before and after.
func (s *site) updateAsExport(t *testing.T, name string, change func() error) (before, got staticsite.Manifest) {
	t.Helper()
	ctx := context.Background()
	before, err := staticsite.ReadManifest(staticsite.ManifestPath(s.out))
	if err != nil {
		t.Fatal(err)
	}
	since := time.Now().Add(-2 * time.Second)
	if err := change(); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	res, err := s.ex.Update(ctx, since)
	if err != nil {
		t.Fatalf("%s: update: %v", name, err)
	}
	// What a full export of the site as it is now holds.
	fresh := *s.ex
	fresh.Dir, fresh.Manifest = filepath.Join(t.TempDir(), "www"), ""
	if _, err := fresh.Export(ctx); err != nil {
		t.Fatal(err)
	}
	want, err := staticsite.ReadManifest(staticsite.ManifestPath(fresh.Dir))
	if err != nil {
		t.Fatal(err)
	}
	got, err = staticsite.ReadManifest(staticsite.ManifestPath(s.out))
	if err != nil {
		t.Fatal(err)
	}
	changed, gone := 0, 0
	for rel, sum := range want {
		if got[rel] != sum {
			t.Errorf("%s: %s is not as a full export writes it", name, rel)
		}
		if before[rel] != sum {
			changed++
		}
	}
	for rel := range before {
		if _, ok := want[rel]; !ok {
			gone++
		}
		if _, ok := got[rel]; !ok {
			if _, err := os.Stat(filepath.Join(s.out, rel)); err == nil {
				t.Errorf("%s: %s is left in the folder", name, rel)
			}
		}
	}
	if len(got) != len(want) || res.Written != changed || res.Removed != gone || changed == 0 {
		t.Errorf("%s: %d files written, %d removed; a full export differs in %d and lacks %d (%d files, want %d)",
			name, res.Written, res.Removed, changed, gone, len(got), len(want))
	}
	if r, err := staticsite.Verify(s.out, got); err != nil || r.Wrong() {
		t.Errorf("%s: the folder is not its manifest: %s, %v", name, r.Summary(), err)
	}
	return before, got
}

// TestWatcherRestoresADefacedFile: serve --static-out --static-watch. A
// change to the site reaches the folder through the change hook, and a
// file altered behind the publisher's back is found from its filesystem
// event and restored, audited as the system.
func TestWatcherRestoresADefacedFile(t *testing.T) {
	s := newSite(t)
	// The callbacks run on the publisher's goroutine: they report errors
	// with t.Error (t.Fatal there would end that goroutine and leave the
	// test waiting for it) and never block it, since every change on the
	// site (a photo's variants made by a job) is an update the test may
	// not read, and a full channel would stop the watcher too.
	updates := make(chan staticsite.Result, 256)
	checks := make(chan staticsite.Report, 256)
	pub := &staticsite.Publisher{Exporter: s.ex, Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Watch: true, Store: s.app.Store,
		Done: func(r staticsite.Result, err error) {
			if err != nil {
				t.Error(err)
			}
			select {
			case updates <- r:
			default:
			}
		},
		Checked: func(r staticsite.Report, err error) {
			if err != nil {
				t.Error(err)
			}
			select {
			case checks <- r:
			default:
			}
		}}
	s.app.OnChange(pub.Changed)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- pub.Run(ctx) }()
	defer func() { cancel(); <-done }()
	wait := func(what string) staticsite.Result {
		select {
		case r := <-updates:
			return r
		case <-time.After(2 * time.Minute):
			t.Fatalf("no %s", what)
		}
		return staticsite.Result{}
	}
	wait("export")
	must(t, s.app.Slots.Place(ctx, s.admin(t), model.Placement{Slot: model.SlotRecommended, ArticleID: 9, Position: 0}))
	if r := wait("update after the slot change"); r.Written == 0 {
		t.Error("the slot change wrote nothing")
	}
	home := filepath.Join(s.out, "index.html")
	orig, err := os.ReadFile(home)
	must(t, err)
	must(t, os.WriteFile(home, []byte("<h1>defaced</h1>"), 0o644))
	for {
		select {
		case r := <-checks:
			if !r.Wrong() {
				continue
			}
			if r.Restored == 0 || len(r.Changed) != 1 || r.Changed[0] != "index.html" {
				t.Fatalf("watcher found %s", r.Summary())
			}
			if b, _ := os.ReadFile(home); !bytes.Equal(b, orig) {
				t.Fatal("the home page is not restored")
			}
			entries, _, err := s.app.Store.Audit(ctx, 1, 0)
			must(t, err)
			if len(entries) != 1 || entries[0].Action != "static.restored" || entries[0].Via != "job" {
				t.Errorf("audit = %+v", entries)
			}
			return
		case <-time.After(time.Minute):
			t.Fatal("the watcher did not restore the defaced home page")
		}
	}
}

// TestUpdateSkipsWhatItWroteAlready: the publisher's updates reach two
// seconds back (times are kept in whole seconds), so an edit is seen by
// the next update too. That one renders no article page again, as the
// story's version is the one its files were written from; a second save
// within the same second is a new version and is rendered.
func TestUpdateSkipsWhatItWroteAlready(t *testing.T) {
	s := newSite(t)
	s.export(t)
	var mu sync.Mutex // the exporter's workers ask at once
	var seen []string
	next := s.ex.Handler
	s.ex.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen = append(seen, r.URL.Path)
		mu.Unlock()
		next.ServeHTTP(w, r)
	})
	ctx := context.Background()
	actor := s.admin(t)
	const id = 7
	edit := func() {
		t.Helper()
		a, err := s.app.Store.Article(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		a.Title += "（更新）"
		if err := s.app.Articles.Update(ctx, actor, &a); err != nil {
			t.Fatal(err)
		}
		if _, err := s.app.Articles.ApproveRevision(ctx, actor, id, a.Version, ""); err != nil {
			t.Fatal(err)
		}
	}
	articles := func() []string {
		var out []string
		for _, p := range seen {
			if strings.HasPrefix(p, "/articles/") {
				out = append(out, p)
			}
		}
		seen = nil
		return out
	}
	since := time.Now().Add(-2 * time.Second)
	update := func() staticsite.Result {
		t.Helper()
		res, err := s.ex.Update(ctx, since)
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	edit()
	if res, got := update(), articles(); res.Written == 0 || !slices.Contains(got, "/articles/7") {
		t.Fatalf("the edit's update wrote %d files, rendered articles %v", res.Written, got)
	}
	if res, got := update(), articles(); res.Written != 0 || len(got) != 0 {
		t.Errorf("the next update, nothing changed: wrote %d files, rendered articles %v", res.Written, got)
	}
	edit()
	if res, got := update(), articles(); res.Written == 0 || !slices.Contains(got, "/articles/7") {
		t.Errorf("a second edit: wrote %d files, rendered articles %v", res.Written, got)
	}
}

// TestUpdateShiftsAColumnFromItsOldestChange: a column's pages count from
// its oldest story, so an update renders a moving column's pages only
// from its oldest change on. After withdrawing and publishing again the
// newest stories, enough of them for the column to lose a page and get it
// back, and one of its oldest, the folder is each time what a full
// export writes, and a change among the newest stories leaves the oldest
// page's bytes alone.
func TestUpdateShiftsAColumnFromItsOldestChange(t *testing.T) {
	s := newSite(t)
	ctx := context.Background()
	actor := s.admin(t)
	st, err := s.ex.Reader.Site(ctx)
	must(t, err)
	// Enough stories in one column for pages past its first: one a day
	// of the spring before.
	col := st.Columns.All()[0]
	spring := time.Date(time.Now().Year()-1, 3, 1, 2, 0, 0, 0, time.UTC)
	for i := range 3 * reader.PerPage {
		a := model.Article{ColumnID: col.ID, Title: fmt.Sprintf("春季新闻%02d", i+1), Summary: "摘要", Body: "<p>正文</p>",
			Status: model.StatusPublished, PublishedAt: spring.AddDate(0, 0, i)}
		must(t, s.app.Store.CreateArticle(ctx, &a))
	}
	// A sitemap in parts, of which an update renders those from its
	// oldest change's on.
	srv, err := s.app.StaticServer("", 25)
	must(t, err)
	s.ex.Handler, s.ex.Reader, s.ex.SitemapLimit = srv.PublicHandler(), srv.Reader, 25
	s.export(t)
	var slug string
	var rows []model.Article // newest first
	for _, c := range st.Columns.All() {
		_, r, err := s.ex.Reader.ColumnRows(ctx, c.Slug)
		must(t, err)
		if len(r) > len(rows) {
			slug, rows = c.Slug, r
		}
	}
	deep := reader.DeepPages(len(rows))
	if deep < 2 {
		t.Fatalf("the demo's largest column %s has %d stories, %d pages past its first; want 2 or more", slug, len(rows), deep)
	}
	transition := func(action string, ids ...int64) func() error {
		return func() error {
			for _, id := range ids {
				a, err := s.app.Store.Article(ctx, id)
				if err != nil {
					return err
				}
				if _, err := s.app.Articles.Transition(ctx, actor, id, a.Version, action, "测试", time.Time{}); err != nil {
					return err
				}
			}
			return nil
		}
	}
	page := func(n int) string { return staticsite.File("/columns/"+slug, n, true) }
	keeps := func(name string, before, after staticsite.Manifest, pages ...int) {
		t.Helper()
		for _, n := range pages {
			was, had := before[page(n)]
			if is := after[page(n)]; !had || was != is {
				t.Errorf("%s: %s changed (there before: %v)", name, page(n), had)
			}
		}
	}
	before, after := s.updateAsExport(t, "withdraw the newest", transition("withdraw", rows[0].ID))
	keeps("withdraw the newest", before, after, 1, 2)
	before, after = s.updateAsExport(t, "publish it again", transition("publish", rows[0].ID))
	keeps("publish it again", before, after, 1, 2)

	// Withdrawn, these leave the column one page fewer past its first.
	var newest []int64
	for _, a := range rows[1 : 1+len(rows)%reader.PerPage+1] {
		newest = append(newest, a.ID)
	}
	_, after = s.updateAsExport(t, "withdraw the newest few", transition("withdraw", newest...))
	if _, ok := after[page(deep)]; ok {
		t.Errorf("%s is left after the column lost %d stories", page(deep), len(newest))
	}
	_, after = s.updateAsExport(t, "publish them again", transition("publish", newest...))
	if _, ok := after[page(deep)]; !ok {
		t.Errorf("%s is missing after the column got its stories back", page(deep))
	}
	s.updateAsExport(t, "withdraw the oldest", transition("withdraw", rows[len(rows)-1].ID))
}

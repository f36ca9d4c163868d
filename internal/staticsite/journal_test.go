package staticsite_test

import (
	"bytes"
	"context"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"newsdesk/internal/model"
	"newsdesk/internal/staticsite"
)

// countingHandler records the addresses the exporter asks for.
type countingHandler struct {
	next http.Handler
	mu   sync.Mutex
	urls []string
}

func (h *countingHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h.mu.Lock()
	h.urls = append(h.urls, r.URL.RequestURI())
	h.mu.Unlock()
	h.next.ServeHTTP(w, r)
}

func (h *countingHandler) take() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	out := h.urls
	h.urls = nil
	return out
}

// editInPlace changes a published story's title through the workflow (a
// working copy, approved).
func editInPlace(t *testing.T, s *site, id int64) {
	t.Helper()
	ctx := context.Background()
	admin, err := s.app.Store.UserByName(ctx, "admin")
	must(t, err)
	actor := model.Actor{User: admin, Via: "desk"}
	a, err := s.app.Store.Article(ctx, id)
	must(t, err)
	a.Title += "（更新）"
	must(t, s.app.Articles.Update(ctx, actor, &a))
	_, err = s.app.Articles.ApproveRevision(ctx, actor, id, a.Version, "")
	must(t, err)
}

// sameAsFreshExport fails t unless the folder's manifest (journal
// included) is what a full export of the site writes now, and the folder
// is its manifest.
func sameAsFreshExport(t *testing.T, s *site) {
	t.Helper()
	fresh := *s.ex
	fresh.Dir, fresh.Manifest = filepath.Join(t.TempDir(), "www"), ""
	if _, err := fresh.Export(context.Background()); err != nil {
		t.Fatal(err)
	}
	want, err := staticsite.ReadManifest(staticsite.ManifestPath(fresh.Dir))
	must(t, err)
	got, err := staticsite.ReadManifest(staticsite.ManifestPath(s.out))
	must(t, err)
	for rel, sum := range want {
		if got[rel] != sum {
			t.Errorf("%s is not as a full export writes it", rel)
		}
	}
	for rel := range got {
		if _, ok := want[rel]; !ok {
			t.Errorf("%s is in the manifest, not on the site", rel)
		}
	}
	if r, err := staticsite.Verify(s.out, got); err != nil || r.Wrong() {
		t.Errorf("the folder is not its manifest: %s, %v", r.Summary(), err)
	}
}

// TestEditInPlaceRendersOnlyThePagesShowingIt: a story edited in place
// (same column, same publish time) is rendered again with the articles
// that show it, the list and archive pages that list it, the feeds, the
// sitemap and the pages every update renders
// (home, editor pages, slots) — no other column page, no other sitemap
// part — and the folder is as a full export writes it.
func TestEditInPlaceRendersOnlyThePagesShowingIt(t *testing.T) {
	s := newSite(t)
	h := &countingHandler{next: s.ex.Handler}
	s.ex.Handler = h
	s.export(t)
	h.take()
	const id = 20
	since := time.Now().Add(-2 * time.Second)
	editInPlace(t, s, id)
	if _, err := s.ex.Update(context.Background(), since); err != nil {
		t.Fatal(err)
	}
	rendered := h.take()
	link := regexp.MustCompile(`/articles/20["<]`)
	columnPages, parts := 0, 0
	for _, u := range rendered {
		rel := staticsite.File(strings.SplitN(u, "?", 2)[0], 0, true)
		switch {
		case strings.HasPrefix(u, "/sitemaps/"): // the demo has one sitemap: none
			parts++
			rel = strings.TrimPrefix(u, "/")
		case strings.HasPrefix(u, "/columns/") && !strings.HasSuffix(u, ".xml"):
			columnPages++
			if _, n, ok := strings.Cut(u, "?page="); ok {
				rel = strings.TrimSuffix(rel, "index.html") + "index-" + n + ".html"
			}
		default:
			continue
		}
		b, err := os.ReadFile(filepath.Join(s.out, rel))
		if err != nil || !link.Match(b) {
			t.Errorf("%s was rendered but does not show the story (%v)", u, err)
		}
	}
	// The story's column and its parent: each its list, year and month.
	if columnPages == 0 || columnPages > 6 || parts != 0 {
		t.Errorf("rendered %d column pages and %d sitemap parts (want 1–6 and none): %v", columnPages, parts, rendered)
	}
	sameAsFreshExport(t, s)
}

// TestUpdateJournalsTheManifest: an update leaves the manifest as the
// export wrote it and appends the files it wrote to the journal beside
// it; ReadManifest and verify read both; a journal line altered is a
// file verify reports changed; a journal of another manifest is ignored;
// the next export writes the manifest whole and removes the journal. The
// one-line fold of docs/deploy.md checks the folder with sha256sum.
func TestUpdateJournalsTheManifest(t *testing.T) {
	s := newSite(t)
	s.export(t)
	ctx := context.Background()
	path := staticsite.ManifestPath(s.out)
	journal := staticsite.JournalPath(path)
	before, err := os.ReadFile(path)
	must(t, err)
	since := time.Now().Add(-2 * time.Second)
	editInPlace(t, s, 7)
	res, err := s.ex.Update(ctx, since)
	must(t, err)
	if after, err := os.ReadFile(path); err != nil || !bytes.Equal(after, before) {
		t.Fatalf("the update rewrote the manifest (%v)", err)
	}
	lines, err := os.ReadFile(journal)
	must(t, err)
	ls := strings.Split(strings.TrimSuffix(string(lines), "\n"), "\n")
	if !strings.HasPrefix(ls[0], "# ") || len(ls)-1 != res.Written {
		t.Fatalf("journal of %d lines after %d files written:\n%s", len(ls), res.Written, lines)
	}
	sameAsFreshExport(t, s)
	if r, err := s.ex.Check(ctx, s.app.Store, model.SystemActor("test"), false); err != nil || r.Wrong() {
		t.Fatalf("check with the journal: %s, %v", r.Summary(), err)
	}
	if _, err := exec.LookPath("sha256sum"); err == nil {
		// docs/deploy.md, "Check by hand"
		fold := `cd "$1" && awk '/^#/ {next} {h=$1; p=substr($0, length(h)+3); s[p]=h} END {for (p in s) if (s[p] != "-") print s[p] "  " p}' "$2" "$2.journal" | sha256sum -c --quiet --strict`
		if out, err := exec.Command("sh", "-c", fold, "sh", s.out, path).CombinedOutput(); err != nil {
			t.Errorf("the folder by hand: %v\n%s", err, out)
		}
	}

	// A journal line altered: the file it names is reported.
	line := ls[1]
	rel := line[strings.Index(line, "  ")+2:]
	flipped := "0" + line[1:]
	if line[0] == '0' {
		flipped = "1" + line[1:]
	}
	must(t, os.WriteFile(journal, []byte(strings.Replace(string(lines), line, flipped, 1)), 0o644))
	m, err := staticsite.ReadManifest(path)
	must(t, err)
	r, err := staticsite.Verify(s.out, m)
	must(t, err)
	if !slices.Equal(r.Changed, []string{rel}) || len(r.Added)+len(r.Missing) != 0 {
		t.Errorf("a journal line altered: %s, want %s changed", r.Summary(), rel)
	}
	// A line that is not one is an error, not a file silently left out.
	must(t, os.WriteFile(journal, append(slices.Clone(lines), "not a line\n"...), 0o644))
	if _, err := staticsite.ReadManifest(path); err == nil || !strings.Contains(err.Error(), "journal") {
		t.Errorf("a malformed journal line: %v", err)
	}
	// A journal that follows another manifest (a compaction stopped
	// between the manifest and the journal's removal) is not laid over it.
	must(t, os.WriteFile(journal, []byte(strings.Replace(string(lines), ls[0], ls[0][:len(ls[0])-4]+"0000", 1)), 0o644))
	m, err = staticsite.ReadManifest(path)
	must(t, err)
	if r, err := staticsite.Verify(s.out, m); err != nil || len(r.Changed) != res.Written {
		t.Errorf("a stale journal: %s, want the %d files it holds changed", r.Summary(), res.Written)
	}
	must(t, os.WriteFile(journal, lines, 0o644))
	s.export(t)
	if _, err := os.Stat(journal); !os.IsNotExist(err) {
		t.Errorf("the journal is left after an export: %v", err)
	}
	sameAsFreshExport(t, s)
}

// TestMovedStoryLeavesTheFolderAsAnExport: a story moved to another
// column and one edited in place (or only the edit) leave the folder as a full export writes
// it (the pages that showed the moved story in its old column too),
// without every column's pages rendered again — also in the first Update
// of a process that never wrote the folder (serve restarted), which
// learns where each story was listed from the stories' stubs and, for
// the ones changed, from their pages in the folder.
func TestMovedStoryLeavesTheFolderAsAnExport(t *testing.T) {
	for _, tc := range []struct {
		name          string
		restart, move bool
	}{{"running", false, true}, {"restarted", true, true}, {"restarted, edit only", true, false}} {
		restart := tc.restart
		t.Run(tc.name, func(t *testing.T) {
			s := newSite(t)
			h := &countingHandler{next: s.ex.Handler}
			s.ex.Handler = h
			s.export(t)
			h.take()
			ctx := context.Background()
			admin, err := s.app.Store.UserByName(ctx, "admin")
			must(t, err)
			actor := model.Actor{User: admin, Via: "desk"}
			const moved, edited = 12, 30
			a, err := s.app.Store.Article(ctx, moved)
			must(t, err)
			cols, err := s.app.Store.Columns(ctx)
			must(t, err)
			to := cols[0].ID
			for _, c := range cols {
				if c.ID != a.ColumnID && c.ParentID == 0 {
					to = c.ID
				}
			}
			since := time.Now().Add(-2 * time.Second)
			if tc.move {
				_, err = s.app.Articles.MoveToColumn(ctx, actor, moved, a.Version, to)
				must(t, err)
			}
			editInPlace(t, s, edited)
			ex := s.ex
			if restart {
				ex = &staticsite.Exporter{Handler: h, Reader: s.ex.Reader, Dir: s.out}
			}
			if _, err := ex.Update(ctx, since); err != nil {
				t.Fatal(err)
			}
			columnPages := 0
			for _, u := range h.take() {
				if strings.HasPrefix(u, "/columns/") && !strings.HasSuffix(u, ".xml") {
					columnPages++
				}
			}
			all := 0
			m, err := staticsite.ReadManifest(staticsite.ManifestPath(s.out))
			must(t, err)
			for rel := range m {
				if strings.HasPrefix(rel, "columns/") && strings.HasSuffix(rel, ".html") {
					all++
				}
			}
			if columnPages == 0 || columnPages >= all {
				t.Errorf("rendered %d column pages of %d", columnPages, all)
			}
			sameAsFreshExport(t, s)
		})
	}
}

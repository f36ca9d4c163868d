//go:build linux

package staticsite_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"newsdesk/internal/model"
	"newsdesk/internal/staticsite"
)

// TestExportIntoAnExistingExportSwitchesAtOnce: newsdesk export static
// into a folder that holds an export (a plain folder, or a link to one)
// switches the whole new tree in at once. A reader sampling the folder
// all through the export finds, each time, every file as the old export
// wrote it or every file as the new one did — never a mix — and after it
// the folder is its manifest, with no tree left beside it.
func TestExportIntoAnExistingExportSwitchesAtOnce(t *testing.T) {
	for _, layout := range []string{"folder", "link"} {
		t.Run(layout, func(t *testing.T) {
			s := newSite(t)
			ctx := context.Background()
			root := filepath.Dir(s.out)
			if layout == "link" {
				must(t, os.Mkdir(filepath.Join(root, "first"), 0o755))
				must(t, os.Symlink("first", s.out))
			}
			if _, err := s.ex.ExportSwitched(ctx); err != nil {
				t.Fatal(err)
			}
			before, err := staticsite.ReadManifest(staticsite.ManifestPath(s.out))
			must(t, err)
			// Withdraw a story: its page goes, its neighbours, lists and
			// feeds change.
			admin, err := s.app.Store.UserByName(ctx, "admin")
			must(t, err)
			a, err := s.app.Store.Article(ctx, 7)
			must(t, err)
			_, err = s.app.Articles.Transition(ctx, model.Actor{User: admin, Via: "desk"}, 7, a.Version, "withdraw", "测试", time.Time{})
			must(t, err)

			type sample struct {
				ino  uint64
				sums map[string][32]byte // the files of the first export, as read (missing: absent)
			}
			inode := func() uint64 {
				fi, err := os.Stat(s.out)
				if err != nil {
					return 0
				}
				return fi.Sys().(*syscall.Stat_t).Ino
			}
			first := inode()
			var samples []sample
			var stop atomic.Bool
			var wg sync.WaitGroup
			take := func() {
				ino := inode()
				sums := map[string][32]byte{}
				for rel := range before {
					if b, err := os.ReadFile(filepath.Join(s.out, rel)); err == nil {
						sums[rel] = staticsite.SHA256.Sum(b)
					}
				}
				if inode() == ino { // else switched while reading: no verdict
					samples = append(samples, sample{ino, sums})
				}
			}
			wg.Go(func() {
				for !stop.Load() {
					take()
				}
			})
			time.Sleep(20 * time.Millisecond)
			res, err := s.ex.ExportSwitched(ctx)
			stop.Store(true)
			wg.Wait()
			if err != nil {
				t.Fatal(err)
			}
			take()
			after, err := staticsite.ReadManifest(staticsite.ManifestPath(s.out))
			must(t, err)
			if inode() == first {
				t.Fatal("the folder was not switched")
			}
			var old, fresh int
			for i, sm := range samples {
				want, name := before, "old"
				if sm.ino != first {
					want, name = after, "new"
					fresh++
				} else {
					old++
				}
				for rel := range before {
					got, ok := sm.sums[rel]
					if w, in := want[rel]; ok != in || got != w {
						t.Errorf("sample %d of the %s folder: %s is not as the %s export wrote it (present %v)", i, name, rel, name, ok)
						break
					}
				}
			}
			if old < 2 || fresh < 1 {
				t.Errorf("%d samples of the old folder and %d of the new: too few to judge", old, fresh)
			}
			if _, ok := after["articles/7/index.html"]; ok || res.Removed == 0 {
				t.Errorf("the withdrawn story is still exported (%d files removed)", res.Removed)
			}
			if r, err := staticsite.Verify(s.out, after); err != nil || r.Wrong() {
				t.Errorf("the folder is not its manifest: %s, %v", r.Summary(), err)
			}
			entries, err := os.ReadDir(root)
			must(t, err)
			var names []string
			for _, e := range entries {
				names = append(names, e.Name())
			}
			for _, n := range names {
				if strings.Contains(n, ".tree-") && layout == "folder" || strings.Contains(n, ".next") || strings.Contains(n, ".link-") {
					t.Errorf("left beside the folder: %s (all: %v)", n, names)
				}
			}
			if layout == "link" {
				target, err := os.Readlink(s.out)
				must(t, err)
				if !strings.HasPrefix(target, ".www.tree-") {
					t.Errorf("the link points to %s", target)
				}
				trees := 0
				for _, n := range names {
					if strings.Contains(n, ".tree-") {
						trees++
					}
				}
				if trees != 1 {
					t.Errorf("%d trees beside the link, want the one it points to (%v)", trees, names)
				}
			}
			t.Logf("%d samples of the old folder, %d of the new, %d files written, %d removed", old, fresh, res.Written, res.Removed)
		})
	}
}

package staticsite

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"newsdesk/internal/model"
	"newsdesk/internal/store"
)

// Report is what a check of an exported folder found.
type Report struct {
	Checked  int      // files in the manifest
	Changed  []string // files whose content is not what was written
	Added    []string // files in the folder the export did not write
	Missing  []string // files written that are gone
	Restored int      // files written again from the store, or removed
}

// Wrong says whether anything was found.
func (r Report) Wrong() bool { return len(r.Changed)+len(r.Added)+len(r.Missing) > 0 }

// Summary is the report in one line for the log and the audit entry.
func (r Report) Summary() string {
	s := fmt.Sprintf("%d checked, %d changed, %d added, %d missing, %d restored", r.Checked, len(r.Changed), len(r.Added), len(r.Missing), r.Restored)
	for _, l := range []struct {
		what  string
		files []string
	}{{"changed", r.Changed}, {"added", r.Added}, {"missing", r.Missing}} {
		if len(l.files) > 0 {
			s += "; " + l.what + ": " + strings.Join(l.files[:min(len(l.files), 10)], " ")
			if len(l.files) > 10 {
				s += " …"
			}
		}
	}
	return s
}

// tempFile says whether a name is a write under way (WriteFile's).
func tempFile(name string) bool { return strings.HasPrefix(name, ".tmp-") }

// Verify compares the folder with its SHA-256 manifest: every file's
// digest, the files added and the files missing.
func Verify(dir string, m Manifest) (Report, error) { return VerifyHash(dir, m, SHA256) }

// VerifyHash is Verify for a manifest of digest h.
func VerifyHash(dir string, m Manifest, h Hash) (Report, error) {
	r := Report{Checked: len(m)}
	seen := make(map[string]bool, len(m))
	tree := treeOf(dir)
	err := filepath.WalkDir(tree, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || tempFile(d.Name()) {
			return nil
		}
		rel, err := filepath.Rel(tree, p)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		want, ok := m[rel]
		if !ok {
			r.Added = append(r.Added, rel)
			return nil
		}
		seen[rel] = true
		got, err := fileSumHash(p, h)
		if err != nil {
			return err
		}
		if got != want {
			r.Changed = append(r.Changed, rel)
		}
		return nil
	})
	if err != nil {
		return r, fmt.Errorf("verify %s: %w", dir, err)
	}
	for rel := range m {
		if !seen[rel] {
			r.Missing = append(r.Missing, rel)
		}
	}
	slices.Sort(r.Missing)
	return r, nil
}

// Check verifies the exported folder against its manifest and, with
// restore, renders every changed or missing file again from the store
// and removes the added ones; the manifest follows what it wrote. Whatever
// it finds is recorded in the audit log as actor's (the system's, for the
// command and the watcher) when anything was wrong or restored.
func (e *Exporter) Check(ctx context.Context, st store.Store, actor model.Actor, restore bool) (Report, error) {
	m, h, err := e.readManifest()
	if err != nil {
		return Report{}, fmt.Errorf("manifest of %s: %w", e.Dir, err)
	}
	r, err := VerifyHash(e.Dir, m, h)
	if err != nil {
		return r, err
	}
	return e.withHash(h).settle(ctx, st, actor, m, r, restore)
}

// CheckFiles is Check for a few files only (the watcher's, for the files
// an event names).
func (e *Exporter) CheckFiles(ctx context.Context, st store.Store, actor model.Actor, rels []string) (Report, error) {
	// The manifest the last update wrote, from memory: the watcher checks
	// the files of every update's events, and at 100,000 articles reading
	// the manifest took longer than the update.
	m, h, _, err := e.lastManifest()
	if err != nil {
		return Report{}, fmt.Errorf("manifest of %s: %w", e.Dir, err)
	}
	e = e.withHash(h)
	var r Report
	for _, rel := range rels {
		if tempFile(filepath.Base(rel)) {
			continue
		}
		r.Checked++
		full := filepath.Join(e.Dir, filepath.FromSlash(rel))
		fi, err := os.Stat(full)
		want, listed := m[rel]
		switch {
		case err != nil && listed:
			r.Missing = append(r.Missing, rel)
		case err != nil || fi.IsDir():
		case !listed:
			r.Added = append(r.Added, rel)
		default:
			if got, err := fileSumHash(full, h); err != nil || got != want {
				r.Changed = append(r.Changed, rel)
			}
		}
	}
	return e.settle(ctx, st, actor, m, r, true)
}

// settle restores what a check found, if asked, and audits it.
func (e *Exporter) settle(ctx context.Context, st store.Store, actor model.Actor, m Manifest, r Report, restore bool) (Report, error) {
	var err error
	if restore && r.Wrong() {
		if r.Restored, err = e.restore(ctx, m, r); err != nil {
			e.forget() // m, perhaps the one kept (CheckFiles'), is not the file's
			return r, err
		}
	}
	if r.Wrong() {
		action := "static.tampered"
		if r.Restored > 0 {
			action = "static.restored"
		}
		if err := st.Tx(ctx, func(tx store.Store) error {
			if err := tx.AddAudit(ctx, actor.Audit(action, e.Dir, r.Summary())); err != nil {
				return err
			}
			return e.Alerts.queue(ctx, tx, e.Dir, r)
		}); err != nil {
			return r, fmt.Errorf("audit the check of %s: %w", e.Dir, err)
		}
		e.Alerts.wake()
	}
	return r, nil
}

// restore writes the changed and missing files again and removes the
// added ones; a page no longer on the site is removed too.
func (e *Exporter) restore(ctx context.Context, m Manifest, r Report) (int, error) {
	x := &export{Exporter: e, sums: m}
	n := 0
	for _, rel := range r.Added {
		if err := os.Remove(filepath.Join(e.Dir, filepath.FromSlash(rel))); err != nil && !os.IsNotExist(err) {
			return n, fmt.Errorf("remove %s: %w", rel, err)
		}
		n++
	}
	done := map[string]bool{}
	for _, rel := range append(slices.Clone(r.Changed), r.Missing...) {
		base := strings.TrimSuffix(rel, ".gz")
		if done[base] {
			continue
		}
		done[base] = true
		u, want := "/"+NotFoundFile, http.StatusNotFound
		if base != NotFoundFile {
			var ok bool
			if u, ok = URLOf(base); !ok {
				continue
			}
			want = http.StatusOK
		}
		err := x.page(ctx, u, want)
		var gone *statusError
		if errors.As(err, &gone) && gone.code == http.StatusNotFound {
			// No longer on the site (withdrawn since): the file goes.
			for _, f := range []string{base, base + ".gz"} {
				os.Remove(filepath.Join(e.Dir, filepath.FromSlash(f)))
				delete(m, f)
			}
			err = nil
		}
		if err != nil {
			return n, err
		}
		n++
	}
	return n, e.writeManifest(m)
}

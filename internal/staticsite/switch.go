package staticsite

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// treeInfix names the trees ExportSwitched writes beside the folder
// (.NAME.tree-RANDOM), hidden and outside the web root.
const treeInfix = ".tree-"

// ExportSwitched is Export for a folder that readers may be served from
// while it runs (newsdesk export static into an existing export). Into a
// missing or empty folder it is Export. Otherwise it writes a fresh tree
// beside the folder and switches it in at once, so that a reader gets
// the old site or the new one and never a mix of the two:
//
//   - when Dir is a symbolic link (the layout docs/deploy.md suggests),
//     a new link to the fresh tree is renamed over it, and the tree it
//     pointed to is removed if ExportSwitched made it;
//   - when Dir is a folder, the two folders are exchanged in one
//     rename (Linux's renameat2 RENAME_EXCHANGE) and the old one removed;
//   - where neither works, it is Export: the files are written in place,
//     in the order that never links to one not yet written.
//
// The manifest is switched right after the tree, by a rename too.
func (e *Exporter) ExportSwitched(ctx context.Context) (Result, error) {
	dir := filepath.Clean(e.Dir)
	fi, err := os.Lstat(dir)
	link := err == nil && fi.Mode()&os.ModeSymlink != 0
	if emptyDir(dir) || (!link && !canExchange) {
		return e.Export(ctx)
	}
	old, _, err := e.readManifest()
	if err != nil && !os.IsNotExist(err) {
		return Result{}, err
	}
	parent, name := filepath.Split(dir)
	tree, err := os.MkdirTemp(parent, "."+name+treeInfix+"*")
	if err != nil {
		return Result{}, fmt.Errorf("export %s: %w", dir, err)
	}
	keep := false
	defer func() {
		if !keep {
			os.RemoveAll(tree)
		}
	}()
	if err := os.Chmod(tree, 0o755); err != nil { // MkdirTemp makes it 0700: the web server reads it
		return Result{}, fmt.Errorf("export %s: %w", dir, err)
	}
	manifest := e.manifest()
	next := *e
	next.Dir, next.Manifest = tree, manifest+".next"
	res, err := next.Export(ctx)
	if err != nil {
		os.Remove(next.Manifest)
		return Result{}, err
	}
	if link {
		was, _ := os.Readlink(dir)
		tmp := filepath.Join(parent, "."+name+".link-"+filepath.Base(tree))
		if err := os.Symlink(filepath.Base(tree), tmp); err != nil {
			return Result{}, fmt.Errorf("export %s: %w", dir, err)
		}
		if err := os.Rename(tmp, dir); err != nil {
			os.Remove(tmp)
			return Result{}, fmt.Errorf("export %s: switch the link: %w", dir, err)
		}
		keep = true
		if was != "" && strings.HasPrefix(filepath.Base(was), "."+name+treeInfix) {
			if !filepath.IsAbs(was) {
				was = filepath.Join(parent, was)
			}
			defer os.RemoveAll(was)
		}
	} else if err := exchange(tree, dir); err != nil {
		// A file system without the exchange (EINVAL): in place, ordered.
		os.Remove(next.Manifest)
		if e.Log != nil {
			e.Log.Warn("static export: folders cannot be exchanged, writing in place", "dir", dir, "err", err)
		}
		return e.Export(ctx)
	}
	// tree now holds the old site (or, for a link, is the new one, kept).
	if err := os.Rename(next.Manifest, manifest); err != nil {
		return Result{}, fmt.Errorf("export %s: manifest: %w", dir, err)
	}
	os.Remove(JournalPath(manifest)) // the old manifest's, ignored from now on
	e.stories, e.ranked = next.stories, nil
	m, _, err := ReadManifestHash(manifest)
	if err != nil {
		return Result{}, err
	}
	res.Removed = 0
	for rel := range old {
		if _, ok := m[rel]; !ok {
			res.Removed++
		}
	}
	return res, nil
}

// treeOf is the folder dir is, or links to (ExportSwitched's layout):
// walking a tree starts from there, filepath.WalkDir not following a link.
func treeOf(dir string) string {
	if t, err := filepath.EvalSymlinks(dir); err == nil {
		return t
	}
	return dir
}

// Package archtest holds the tests that keep the architecture as
// docs/architecture.md draws it: the dependency arrows point one way, and
// the HTTP side never writes to the store itself.
package archtest

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"unicode"
)

const module = "newsdesk/"

// pkg is one package's non-test files, parsed.
type pkg struct {
	path  string // import path
	files map[string]*ast.File
}

func load(t *testing.T) []pkg {
	t.Helper()
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	byDir := map[string]*pkg{}
	err = filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (strings.HasPrefix(d.Name(), ".") || d.Name() == "node_modules" || d.Name() == "testdata") {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		dir := filepath.Dir(path)
		rel, _ := filepath.Rel(root, dir)
		p := byDir[dir]
		if p == nil {
			p = &pkg{path: module + filepath.ToSlash(rel), files: map[string]*ast.File{}}
			byDir[dir] = p
		}
		p.files[path] = f
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var out []pkg
	for _, p := range byDir {
		out = append(out, *p)
	}
	return out
}

func imports(f *ast.File) []string {
	var out []string
	for _, s := range f.Imports {
		p, _ := strconv.Unquote(s.Path.Value)
		out = append(out, p)
	}
	return out
}

func under(path, prefix string) bool {
	return path == prefix || strings.HasPrefix(path, prefix+"/")
}

// domain lists the packages that hold the rules; they know nothing of
// HTTP serving. The exceptions use net/http for something else, said why.
var (
	domain = []string{"article", "column", "slot", "site", "account", "media", "search", "store", "job", "feed", "i18n", "reader", "audit", "campus", "redirect", "check", "bulk"}
	// httpAllowed: file → why it may import net/http.
	httpAllowed = map[string]string{
		"internal/media/media.go": "http.DetectContentType sniffs uploads",
		"internal/media/s3.go":    "the S3 client's transport",
		"internal/campus":         "the CAS/OpenID client calls the identity provider",
		"internal/check/links.go": "the self-audit visits outside links when network checks are on",
	}
	// doors each serve one audience; none imports another, and what they
	// share (render, pagecache) imports none of them.
	doors  = []string{"internal/web/public", "internal/web/desk", "internal/web/api"}
	shared = []string{"internal/web/render", "internal/web/pagecache"}
)

// crossesDoors says whether a package at path importing imp reaches into
// another door's package.
func crossesDoors(path, imp string) bool {
	for _, d := range doors {
		if !under(imp, module+d) || under(path, module+d) {
			continue
		}
		for _, from := range append(append([]string{}, doors...), shared...) {
			if under(path, module+from) {
				return true
			}
		}
	}
	return false
}

// TestDependenciesPointOneWay: web never reaches a store implementation or
// the demo content, the public site, the desk and the API never import one
// another, and domain packages never import net/http.
func TestDependenciesPointOneWay(t *testing.T) {
	for _, p := range load(t) {
		for file, f := range p.files {
			rel := file[strings.Index(file, "/internal/")+1:]
			for _, imp := range imports(f) {
				if under(p.path, module+"internal/web") && (under(imp, module+"internal/store/sqlstore") || under(imp, module+"internal/demo")) {
					t.Errorf("%s imports %s: the HTTP side talks to services and store interfaces only", rel, imp)
				}
				if crossesDoors(p.path, imp) {
					t.Errorf("%s imports %s: public, desk and API share only render and pagecache", rel, imp)
				}
				if imp != "net/http" {
					continue
				}
				for _, d := range domain {
					if !under(p.path, module+"internal/"+d) {
						continue
					}
					if _, ok := httpAllowed[rel]; ok {
						continue
					}
					if _, ok := httpAllowed["internal/"+d]; ok {
						continue
					}
					t.Errorf("%s (domain package %s) imports net/http", rel, d)
				}
			}
		}
	}
}

// TestWebNeverWritesToTheStore: every write goes through a domain service
// (which checks the actor and audits); a web file calling a write method
// of the store fails here.
func TestWebNeverWritesToTheStore(t *testing.T) {
	writes := storeWriteMethods(t)
	for _, p := range load(t) {
		if !under(p.path, module+"internal/web") {
			continue
		}
		for file, f := range p.files {
			ast.Inspect(f, func(n ast.Node) bool {
				call, ok := n.(*ast.CallExpr)
				if !ok {
					return true
				}
				sel, ok := call.Fun.(*ast.SelectorExpr)
				if !ok || !writes[sel.Sel.Name] {
					return true
				}
				if recv, ok := sel.X.(*ast.SelectorExpr); ok && recv.Sel.Name == "Store" {
					t.Errorf("%s calls Store.%s: write through a domain service", file[strings.Index(file, "/internal/")+1:], sel.Sel.Name)
				}
				return true
			})
		}
	}
}

// storeWriteMethods reads store.Store's methods and keeps those that
// change something, by the verb they start with.
func storeWriteMethods(t *testing.T) map[string]bool {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), "../store/store.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	verbs := []string{"Create", "Update", "Set", "Add", "Delete", "Remove", "Index", "Unindex", "Reset", "Transition", "Enqueue", "Claim", "Finish", "Retry", "Tx", "Purge", "Revoke", "Touch", "Record", "Link", "Mark", "Save", "Clear"}
	out := map[string]bool{}
	ast.Inspect(f, func(n ast.Node) bool {
		ts, ok := n.(*ast.TypeSpec)
		if !ok || ts.Name.Name != "Store" {
			return true
		}
		for _, m := range ts.Type.(*ast.InterfaceType).Methods.List {
			for _, name := range m.Names {
				for _, v := range verbs {
					// The verb is a whole word: SetSetting, not Settings.
					rest := strings.TrimPrefix(name.Name, v)
					if rest != name.Name && (rest == "" || unicode.IsUpper(rune(rest[0]))) {
						out[name.Name] = true
					}
				}
			}
		}
		return false
	})
	if len(out) < 10 {
		t.Fatalf("found only %d store write methods: is store.Store still where this test looks?", len(out))
	}
	return out
}

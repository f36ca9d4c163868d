package api_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"newsdesk/internal/store"
)

// writeMethod names the store methods that change something.
var writeMethod = regexp.MustCompile(`^(Create|Update|Set|Delete|Add|Remove|Enqueue|Claim|Finish|Retry|Index|Unindex|Reset|Transition|Save|Touch)`)

// TestAPIOnlyReadsTheStore: the API package imports no store
// implementation, no demo content and not the rest of web, and calls no
// store method that writes — every change goes through a domain service.
func TestAPIOnlyReadsTheStore(t *testing.T) {
	writes := map[string]bool{}
	st := reflect.TypeFor[store.Store]()
	for i := range st.NumMethod() {
		if name := st.Method(i).Name; writeMethod.MatchString(name) {
			writes[name] = true
		}
	}
	if !writes["UpdateArticle"] || !writes["AddAudit"] || writes["Articles"] {
		t.Fatalf("the write methods are not recognised: %v", writes)
	}
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range f.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			if strings.HasPrefix(p, "newsdesk/internal/store/sqlstore") || p == "newsdesk/internal/demo" || p == "newsdesk/internal/web" {
				t.Errorf("%s imports %s", name, p)
			}
		}
		ast.Inspect(f, func(n ast.Node) bool {
			sel, ok := n.(*ast.SelectorExpr)
			if !ok || !writes[sel.Sel.Name] {
				return true
			}
			if inner, ok := sel.X.(*ast.SelectorExpr); ok && inner.Sel.Name == "Store" {
				t.Errorf("%s: calls the store's %s", fset.Position(sel.Pos()), sel.Sel.Name)
			}
			return true
		})
	}
}

package api_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"newsdesk/internal/web/api"
)

// TestOpenAPIDocumentIsValid checks the description with a real OpenAPI
// validator from npm (tools/openapi; scripts/test.sh installs it).
func TestOpenAPIDocumentIsValid(t *testing.T) {
	tool := filepath.Join("..", "..", "..", "tools", "openapi")
	if _, err := os.Stat(filepath.Join(tool, "node_modules", "@apidevtools", "swagger-parser")); err != nil {
		t.Skip("the OpenAPI validator is not installed: run npm ci in tools/openapi (scripts/test.sh does)")
	}
	if _, err := exec.LookPath("node"); err != nil {
		t.Skip("node is not installed")
	}
	out, err := exec.Command("node", filepath.Join(tool, "validate.mjs"), "openapi.json").CombinedOutput()
	if err != nil {
		t.Fatalf("openapi.json is not a valid OpenAPI document: %v\n%s", err, out)
	}
	if !strings.HasPrefix(string(out), "valid: OpenAPI 3.1") {
		t.Errorf("validator said: %s", out)
	}
	// The served description is the checked one.
	res := call(t, "", "GET", "/api/v1/openapi.json", nil)
	if res.status != 200 || !bytes.Equal(res.raw, api.OpenAPI()) {
		t.Errorf("served description: %d, %d bytes, want the embedded %d", res.status, len(res.raw), len(api.OpenAPI()))
	}
}

// TestOpenAPIDocumentsEveryRoute: each route of the table is in the
// description with the same method, and nothing else is.
func TestOpenAPIDocumentsEveryRoute(t *testing.T) {
	var doc struct {
		Paths map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(api.OpenAPI(), &doc); err != nil {
		t.Fatal(err)
	}
	var documented, routed []string
	for p, ops := range doc.Paths {
		for m := range ops {
			if m != "parameters" {
				documented = append(documented, strings.ToUpper(m)+" "+p)
			}
		}
	}
	for _, rt := range api.New(api.Deps{}).Routes() {
		routed = append(routed, rt.Pattern)
	}
	slices.Sort(documented)
	slices.Sort(routed)
	if !slices.Equal(documented, routed) {
		t.Errorf("documented:\n%s\nroutes:\n%s", strings.Join(documented, "\n"), strings.Join(routed, "\n"))
	}
}

// answerSchemas validates answers against the description's schemas
// (JSON Schema 2020-12, as OpenAPI 3.1 uses), formats asserted.
type answerSchemas struct {
	doc      map[string]any
	compiler *jsonschema.Compiler
	mux      *http.ServeMux
	cache    map[string]*jsonschema.Schema
}

const docURL = "https://newsdesk.invalid/openapi.json"

func newAnswerSchemas() (*answerSchemas, error) {
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(api.OpenAPI()))
	if err != nil {
		return nil, err
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	c.AssertFormat()
	if err := c.AddResource(docURL, doc); err != nil {
		return nil, err
	}
	s := &answerSchemas{doc: doc.(map[string]any), compiler: c, mux: http.NewServeMux(), cache: map[string]*jsonschema.Schema{}}
	for _, rt := range api.New(api.Deps{}).Routes() {
		s.mux.HandleFunc(rt.Pattern, func(http.ResponseWriter, *http.Request) {})
	}
	return s, nil
}

func pointer(parts ...string) string {
	for i, p := range parts {
		parts[i] = strings.ReplaceAll(strings.ReplaceAll(p, "~", "~0"), "/", "~1")
	}
	return "/" + strings.Join(parts, "/")
}

// check validates one answer; documented is false for what the
// description does not cover (CORS preflights, unknown addresses).
func (s *answerSchemas) check(method, path string, a answer) (documented bool, err error) {
	req, _ := http.NewRequest(method, path, nil)
	_, pattern := s.mux.Handler(req)
	if pattern == "" || method == http.MethodOptions {
		return false, nil
	}
	route := strings.SplitN(pattern, " ", 2)[1]
	op, _ := s.doc["paths"].(map[string]any)[route].(map[string]any)[strings.ToLower(method)].(map[string]any)
	resp, ok := op["responses"].(map[string]any)[strconv.Itoa(a.status)].(map[string]any)
	if !ok {
		return true, fmt.Errorf("%s %s: status %d is not documented", method, route, a.status)
	}
	ptr := pointer("paths", route, strings.ToLower(method), "responses", strconv.Itoa(a.status))
	if r, ok := resp["$ref"].(string); ok {
		ptr = strings.TrimPrefix(r, "#")
		resp = s.doc["components"].(map[string]any)["responses"].(map[string]any)[strings.TrimPrefix(ptr, "/components/responses/")].(map[string]any)
	}
	content, _ := resp["content"].(map[string]any)
	if _, ok := content["application/json"]; !ok {
		// A file (the ledger's CSV or XLSX) is documented by its type.
		mt, _, _ := strings.Cut(a.header.Get("Content-Type"), ";")
		if _, ok := content[mt]; ok && len(a.raw) > 0 {
			return true, nil
		}
		if len(a.raw) > 0 {
			return true, fmt.Errorf("%s %s: %d has a body, documented without one", method, route, a.status)
		}
		return true, nil
	}
	ptr += pointer("content", "application/json", "schema")
	sch, ok := s.cache[ptr]
	if !ok {
		if sch, err = s.compiler.Compile(docURL + "#" + ptr); err != nil {
			return true, fmt.Errorf("compile %s: %w", ptr, err)
		}
		s.cache[ptr] = sch
	}
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(a.raw))
	if err != nil {
		return true, fmt.Errorf("%s %s: %d is not JSON: %w", method, path, a.status, err)
	}
	if err := sch.Validate(v); err != nil {
		return true, fmt.Errorf("%s %s → %d does not match %s: %v\n%.600s", method, path, a.status, ptr, err, a.raw)
	}
	return true, nil
}

// TestMain checks, after the tests, every answer they received against
// the description, and that every route was seen answering.
func TestMain(m *testing.M) {
	code := m.Run()
	if code == 0 {
		if err := checkRecorded(); err != nil {
			fmt.Fprintln(os.Stderr, "FAIL: answers against openapi.json:", err)
			code = 1
		}
	}
	if site.apiServer != nil {
		site.Close()
	}
	os.Exit(code)
}

func checkRecorded() error {
	s, err := newAnswerSchemas()
	if err != nil {
		return err
	}
	var errs []string
	seen := map[string]bool{}
	checked := 0
	for _, r := range recorded.answers {
		documented, err := s.check(r.method, r.path, r.answer)
		if err != nil {
			errs = append(errs, err.Error())
		}
		if documented {
			checked++
			req, _ := http.NewRequest(r.method, r.path, nil)
			_, pattern := s.mux.Handler(req)
			seen[pattern] = true
		}
	}
	// Unfiltered runs (every test) must have seen every route answer.
	if !slices.Contains(os.Args, "-test.run") && !hasRunFlag() {
		for _, rt := range api.New(api.Deps{}).Routes() {
			if !seen[rt.Pattern] {
				errs = append(errs, "no test saw "+rt.Pattern+" answer")
			}
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("%d of %d answers:\n%s", len(errs), checked, strings.Join(errs, "\n"))
	}
	fmt.Printf("openapi: %d answers matched the description\n", checked)
	return nil
}

func hasRunFlag() bool {
	for _, a := range os.Args {
		if strings.HasPrefix(a, "-test.run") {
			return true
		}
	}
	return false
}

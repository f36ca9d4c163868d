package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestExportAndVerifyWithSM3: newsdesk export static --hash sm3 writes the
// folder, its SM3 manifest and the redirect table beside it; static verify
// --hash sm3 passes, then finds a defaced page and exits non-zero, and
// --restore puts it right.
func TestExportAndVerifyWithSM3(t *testing.T) {
	if testing.Short() {
		t.Skip("loads the demo site and exports it; skipped with -short")
	}
	data := t.TempDir()
	out := filepath.Join(t.TempDir(), "www")
	if r := newsdesk(t, nil, "", "demo", "--data", data, "--log-level", "warn"); r.code != 0 {
		t.Fatalf("demo: exit %d: %s", r.code, r.stderr)
	}
	r := newsdesk(t, nil, "", "export", "static", "--data", data, "--out", out, "--hash", "sm3", "--log-level", "warn")
	if r.code != 0 {
		t.Fatalf("export: exit %d: %s", r.code, r.stderr)
	}
	m, err := os.ReadFile(out + ".sm3")
	if err != nil || !strings.HasPrefix(string(m), "SM3 (") {
		t.Fatalf("SM3 manifest: %v %.40q", err, m)
	}
	if _, err := os.Stat(out + ".redirects.conf"); err != nil {
		t.Errorf("no redirect table beside the folder: %v", err)
	}
	verify := func(args ...string) result {
		return newsdesk(t, nil, "", append([]string{"static", "verify", out, "--data", data, "--hash", "sm3", "--log-level", "warn"}, args...)...)
	}
	if r := verify(); r.code != 0 {
		t.Fatalf("verify: exit %d: %s %s", r.code, r.stdout, r.stderr)
	}
	if err := os.WriteFile(filepath.Join(out, "index.html"), []byte("<h1>defaced</h1>"), 0o644); err != nil {
		t.Fatal(err)
	}
	if r := verify(); r.code == 0 || !strings.Contains(r.stdout, "index.html") {
		t.Errorf("verify of a defaced folder: exit %d: %s %s", r.code, r.stdout, r.stderr)
	}
	if r := verify("--restore"); r.code == 0 {
		t.Errorf("verify --restore: exit %d (a finding is still an error)", r.code)
	}
	if r := verify(); r.code != 0 {
		t.Errorf("verify after the restore: exit %d: %s %s", r.code, r.stdout, r.stderr)
	}
}

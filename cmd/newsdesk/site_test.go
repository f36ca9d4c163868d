package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSiteArchiveCommands: export site writes an archive of an imported
// site, import site restores it into an empty site and says so, refuses
// the same archive into the now full site, and names the archive when it
// is cut short.
func TestSiteArchiveCommands(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "export.xml")
	if err := os.WriteFile(file, []byte(smallWXR), 0o644); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"NEWSDESK_LANG": "en"}
	if r := newsdesk(t, env, "", "import", "wxr", file, "--data", filepath.Join(dir, "a")); r.code != 0 {
		t.Fatalf("import: %s", r.stderr)
	}
	out := filepath.Join(dir, "site.zip")
	r := newsdesk(t, env, "", "export", "site", "--out", out, "--data", filepath.Join(dir, "a"))
	if r.code != 0 || !strings.Contains(r.stdout, "site exported to "+out+": 1 stories") {
		t.Fatalf("export: %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	r = newsdesk(t, env, "", "import", "site", out, "--data", filepath.Join(dir, "b"))
	if r.code != 0 || !strings.Contains(r.stdout, "site restored from "+out) || !strings.Contains(r.stdout, ": 1 stories") {
		t.Fatalf("import site: %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	r = newsdesk(t, env, "", "import", "site", out, "--data", filepath.Join(dir, "b"))
	if r.code != exitFailed || !strings.Contains(r.stderr, "the site is not empty (it has columns, articles") {
		t.Errorf("import into a full site: %d\n%s", r.code, r.stderr)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	cut := filepath.Join(dir, "cut.zip")
	if err := os.WriteFile(cut, data[:len(data)/2], 0o644); err != nil {
		t.Fatal(err)
	}
	r = newsdesk(t, env, "", "import", "site", cut, "--data", filepath.Join(dir, "c"))
	if r.code != exitFailed || !strings.Contains(r.stderr, "cannot restore "+cut) || !strings.Contains(r.stderr, "Nothing was imported") {
		t.Errorf("cut archive: %d\n%s", r.code, r.stderr)
	}
	if r := newsdesk(t, env, "", "export", "site", "--data", filepath.Join(dir, "a")); r.code != exitUsage || !strings.Contains(r.stderr, "--out") {
		t.Errorf("export site without --out: %d\n%s", r.code, r.stderr)
	}
}

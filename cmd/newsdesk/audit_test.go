package main

import (
	"database/sql"
	"path/filepath"
	"strings"
	"testing"

	_ "modernc.org/sqlite"
)

// audit verify passes on an intact log and, after one row is changed by
// hand, exits 1 naming it; purge refuses a retention under 180 days.
func TestAuditVerifyNamesTheTamperedEntry(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"NEWSDESK_DATA": dir, "LANG": "en_US.UTF-8", "NEWSDESK_PASSWORD": "long enough password"}
	for _, name := range []string{"zhang.wei", "li.na", "wang.fang"} {
		if r := newsdesk(t, env, "", "user", "add", "--name", name, "--role", "editor"); r.code != 0 {
			t.Fatalf("user add: %d %s", r.code, r.stderr)
		}
	}
	r := newsdesk(t, env, "", "audit", "verify")
	if r.code != 0 || r.stdout != "The audit log is intact: 3 entries checked.\n" {
		t.Fatalf("verify: exit %d, %q %q", r.code, r.stdout, r.stderr)
	}
	db, err := sql.Open("sqlite", filepath.Join(dir, "newsdesk.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if res, err := db.Exec(`UPDATE audit_log SET detail = 'admin' WHERE id = 2`); err != nil {
		t.Fatal(err)
	} else if n, _ := res.RowsAffected(); n != 1 {
		t.Fatalf("no audit entry 2 in %s", dir)
	}
	r = newsdesk(t, env, "", "audit", "verify")
	if r.code != exitFailed || !strings.HasPrefix(r.stderr, "newsdesk: Audit entry 2 was tampered with (the 1 before it are intact)") {
		t.Errorf("verify a changed log: exit %d, %q", r.code, r.stderr)
	}
	r = newsdesk(t, env, "", "audit", "purge", "--retention-days", "30")
	if r.code != exitUsage || !strings.Contains(r.stderr, "--retention-days") {
		t.Errorf("purge keeping 30 days: exit %d, %q", r.code, r.stderr)
	}
}

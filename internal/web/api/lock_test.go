package api_test

import (
	"context"
	"net/http"
	"testing"

	"newsdesk/internal/store"
)

// TestEditLockShownTakenOverAndTold: the editor's page holds the lock;
// the administrator opening the story sees who and since when, takes it
// over (audited), and the editor's next heartbeat says they lost it; the
// version check still refuses the editor's stale save.
func TestEditLockShownTakenOverAndTold(t *testing.T) {
	a, _ := apiSite(t)
	draft := newDraft(t, "editor", "编辑锁：两位编辑同时打开")
	id, version := draft.num("id"), draft.num("version")
	lockURL := path("/api/v1/desk/articles/%d/lock", id)

	if free := call(t, "admin", "GET", lockURL, nil); free.status != 200 || free.json["held"] != false || free.json["holder"] != nil {
		t.Fatalf("free lock: %d %s", free.status, free.raw)
	}
	mine := call(t, "editor", "POST", lockURL, map[string]any{"token": "editor-page"})
	if mine.status != 200 || mine.json["mine"] != true || mine.json["heartbeat_seconds"].(float64) != 30 {
		t.Fatalf("editor's heartbeat: %d %s", mine.status, mine.raw)
	}
	editor, err := a.Store.UserByName(context.Background(), "editor")
	if err != nil {
		t.Fatal(err)
	}
	seen := call(t, "admin", "POST", lockURL, map[string]any{"token": "admin-page"})
	holder, _ := seen.json["holder"].(map[string]any)
	if seen.status != 200 || seen.json["mine"] != false || seen.json["held"] != true || holder["name"] != editor.Name || seen.json["since"] != mine.json["since"] {
		t.Fatalf("the admin sees the editor's lock: %d %s", seen.status, seen.raw)
	}
	if bad := call(t, "admin", "POST", lockURL, map[string]any{"token": ""}); bad.status != http.StatusUnprocessableEntity {
		t.Fatalf("no token: %d %s", bad.status, bad.raw)
	}

	took := call(t, "admin", "POST", lockURL+"/takeover", map[string]any{"token": "admin-page"})
	if took.status != 200 || took.json["mine"] != true {
		t.Fatalf("take-over: %d %s", took.status, took.raw)
	}
	entries, _, err := a.Store.AuditSearch(context.Background(), store.AuditQuery{Action: "lock_take", Target: path("article %d", id)})
	if err != nil || len(entries) != 1 || entries[0].Via != "api" {
		t.Fatalf("take-over audit: %+v %v", entries, err)
	}
	told := call(t, "editor", "POST", lockURL, map[string]any{"token": "editor-page"})
	holder, _ = told.json["holder"].(map[string]any)
	if told.status != 200 || told.json["mine"] != false || holder["name"] == editor.Name {
		t.Fatalf("the editor's next heartbeat: %d %s", told.status, told.raw)
	}

	// The admin saves; the editor's save from the version they read is
	// refused, as before locks.
	if saved := call(t, "admin", "PATCH", path("/api/v1/desk/articles/%d", id), map[string]any{"version": version, "subtitle": "接手后的修改"}); saved.status != 200 {
		t.Fatalf("admin's save: %d %s", saved.status, saved.raw)
	}
	if stale := call(t, "editor", "PATCH", path("/api/v1/desk/articles/%d", id), map[string]any{"version": version, "subtitle": "被接手前的修改"}); stale.status != http.StatusConflict {
		t.Fatalf("editor's stale save: %d %s", stale.status, stale.raw)
	}

	// The editor's page closing leaves the admin's lock; the admin's frees it.
	if r := call(t, "editor", "DELETE", lockURL+"?token=editor-page", nil); r.status != http.StatusNoContent {
		t.Fatalf("editor's release: %d %s", r.status, r.raw)
	}
	if still := call(t, "editor", "GET", lockURL, nil); still.json["held"] != true {
		t.Fatalf("the editor's release ended the admin's lock: %s", still.raw)
	}
	call(t, "admin", "DELETE", lockURL+"?token=admin-page", nil)
	if free := call(t, "editor", "GET", lockURL, nil); free.json["held"] != false {
		t.Fatalf("after the admin's release: %s", free.raw)
	}
}

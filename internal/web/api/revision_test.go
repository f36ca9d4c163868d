package api_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/mmcdole/gofeed"

	"newsdesk/internal/store/sqlstore/pgtest"
)

// TestWorkingCopyKeepsThePublishedTextUntilApproved: an editor corrects a
// published story; the public page, the content API, the feed and search
// keep the published text while the working copy waits; once approved
// they show the new text, the page says 更新于 and shows the correction
// note.
func TestWorkingCopyKeepsThePublishedTextUntilApproved(t *testing.T) {
	apiSite(t)
	workingCopy(t, site.apiServer)
}

// TestWorkingCopyOnPostgreSQL runs the same on PostgreSQL.
func TestWorkingCopyOnPostgreSQL(t *testing.T) {
	s, err := newAPIServer(t.TempDir(), "--db", pgtest.DSN(t))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	workingCopy(t, s)
}

func workingCopy(t *testing.T, s *apiServer) {
	srv, call := s.srv, s.call
	draft := s.newDraft(t, "editor", "原标题：物理学院召开年度总结会")
	id := draft.num("id")
	pub := call(t, "editor", "POST", path("/api/v1/desk/articles/%d/transitions", id), map[string]any{"action": "publish", "version": draft.num("version")})
	if pub.status != 200 {
		t.Fatalf("publish: %d %s", pub.status, pub.raw)
	}
	page := func() string {
		t.Helper()
		res, err := http.Get(srv.URL + path("/articles/%d", id))
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		var b strings.Builder
		buf := make([]byte, 1<<16)
		for {
			n, err := res.Body.Read(buf)
			b.Write(buf[:n])
			if err != nil {
				break
			}
		}
		return b.String()
	}
	feedTitles := func() string {
		t.Helper()
		f, err := gofeed.NewParser().ParseURLWithContext(srv.URL+"/rss.xml", context.Background())
		if err != nil {
			t.Fatal(err)
		}
		var ts []string
		for _, it := range f.Items {
			ts = append(ts, it.Title)
		}
		return strings.Join(ts, "|")
	}
	searchFinds := func(q string) bool {
		t.Helper()
		res := call(t, "", "GET", "/api/v1/search?q="+q, nil)
		return strings.Contains(string(res.raw), path(`"id":%d`, id))
	}

	saved := call(t, "editor", "PATCH", path("/api/v1/desk/articles/%d", id), map[string]any{"version": pub.num("version"),
		"title": "新标题：物理学院召开年度工作总结会", "correction": "更正：原稿会议名称有误。"})
	if saved.status != 200 || saved.json["working_copy"] != true || saved.json["state"] != "published" || saved.json["title"] != "新标题：物理学院召开年度工作总结会" {
		t.Fatalf("save of a published story: %d %s", saved.status, saved.raw)
	}
	if p := page(); !strings.Contains(p, "原标题：物理学院召开年度总结会") || strings.Contains(p, "新标题") || strings.Contains(p, "更新于") {
		t.Fatal("the public page changed before the working copy was approved")
	}
	if got := call(t, "", "GET", path("/api/v1/articles/%d", id), nil); got.json["title"] != "原标题：物理学院召开年度总结会" {
		t.Fatalf("the content API shows the working copy: %s", got.raw)
	}
	if ts := feedTitles(); !strings.Contains(ts, "原标题：物理学院召开年度总结会") || strings.Contains(ts, "新标题") {
		t.Fatalf("feed before approval: %s", ts)
	}
	if searchFinds("%E5%B7%A5%E4%BD%9C%E6%80%BB%E7%BB%93") { // 工作总结: only in the working copy
		t.Fatal("search finds the working copy's words")
	}
	// A contributor may not approve; a stale version is refused.
	if no := call(t, "contributor", "POST", path("/api/v1/desk/articles/%d/revision/approve", id), map[string]any{"version": saved.num("version")}); no.status != http.StatusForbidden && no.status != http.StatusNotFound {
		t.Fatalf("a contributor's approval: %d", no.status)
	}
	if stale := call(t, "admin", "POST", path("/api/v1/desk/articles/%d/revision/approve", id), map[string]any{"version": pub.num("version")}); stale.status != http.StatusConflict {
		t.Fatalf("a stale approval: %d %s", stale.status, stale.raw)
	}
	ok := call(t, "admin", "POST", path("/api/v1/desk/articles/%d/revision/approve", id), map[string]any{"version": saved.num("version"), "comment": "核对无误"})
	if ok.status != 200 || ok.json["working_copy"] != false || ok.json["revised_at"] == nil || ok.json["correction"] != "更正：原稿会议名称有误。" {
		t.Fatalf("approve: %d %s", ok.status, ok.raw)
	}
	p := page()
	if !strings.Contains(p, "新标题：物理学院召开年度工作总结会") || !strings.Contains(p, "更新于") || !strings.Contains(p, "更正：原稿会议名称有误。") {
		t.Fatal("the public page does not show the approved text, 更新于 and the note")
	}
	if ts := feedTitles(); !strings.Contains(ts, "新标题：物理学院召开年度工作总结会") {
		t.Fatalf("feed after approval: %s", ts)
	}
	if !searchFinds("%E5%B7%A5%E4%BD%9C%E6%80%BB%E7%BB%93") {
		t.Fatal("search does not find the approved words")
	}
	if again := call(t, "admin", "POST", path("/api/v1/desk/articles/%d/revision/discard", id), map[string]any{"version": ok.num("version")}); again.status != http.StatusUnprocessableEntity {
		t.Fatalf("discarding no working copy: %d %s", again.status, again.raw)
	}
	// Withdrawing still works at any time, a working copy waiting or not.
	more := call(t, "editor", "PATCH", path("/api/v1/desk/articles/%d", id), map[string]any{"version": ok.num("version"), "subtitle": "第二次更正"})
	if w := call(t, "editor", "POST", path("/api/v1/desk/articles/%d/transitions", id), map[string]any{"action": "withdraw", "version": more.num("version")}); w.status != 200 || w.json["state"] != "withdrawn" {
		t.Fatalf("withdraw with a working copy waiting: %d %s", w.status, w.raw)
	}
}

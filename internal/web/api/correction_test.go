package api_test

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"

	"newsdesk/internal/column"
	"newsdesk/internal/demo"
	"newsdesk/internal/model"
)

// TestChainColumnOverTheAPI, in the demo's 三审三校 column: an editor's
// own draft cannot be published directly (only submitted), and goes
// through every step; lists name the step a story waits at; a correction
// of the published story takes the column's correction chain once one is
// set (GET/PUT correction-chain), the published text staying until its
// last step approves.
func TestChainColumnOverTheAPI(t *testing.T) {
	s, err := newAPIServer(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	users := map[string]model.User{}
	for _, name := range []string{"proofreader", "chief"} {
		u, err := s.app.Store.UserByName(ctx, name)
		if err != nil {
			t.Fatal(err)
		}
		secret, _, err := s.app.Accounts.CreateToken(ctx, model.SystemActor("cli"), u.ID, "test")
		if err != nil {
			t.Fatal(err)
		}
		s.tokens[name], users[name] = secret, u
	}
	cols, _ := s.app.Store.Columns(ctx)
	col, err := column.NewTree(cols).BySlug(demo.ChainColumn)
	if err != nil {
		t.Fatal(err)
	}
	res := s.call(t, "editor", "POST", "/api/v1/desk/articles", map[string]any{"column_id": col.ID, "title": "编辑的院系稿件",
		"summary": "摘要", "body": "<p>院系稿件正文。</p>"})
	if res.status != http.StatusCreated {
		t.Fatalf("create: %d %s", res.status, res.raw)
	}
	id := res.num("id")
	storyURL := path("/api/v1/desk/articles/%d", id)
	actions := func(a answer) []string {
		var out []string
		for _, x := range a.json["actions"].([]any) {
			out = append(out, x.(string))
		}
		return out
	}
	if acts := actions(res); slices.Contains(acts, "publish") || slices.Contains(acts, "schedule") || !slices.Contains(acts, "submit") {
		t.Errorf("the editor's actions on their draft in the chain column: %v", acts)
	}
	move := func(who, action string, want int, extra ...any) answer {
		t.Helper()
		cur := s.call(t, "editor", "GET", storyURL, nil)
		body := map[string]any{"action": action, "version": cur.num("version")}
		for i := 0; i+1 < len(extra); i += 2 {
			body[extra[i].(string)] = extra[i+1]
		}
		got := s.call(t, who, "POST", storyURL+"/transitions", body)
		if got.status != want {
			t.Fatalf("%s by %s: %d %s, want %d", action, who, got.status, got.raw, want)
		}
		return got
	}
	if res := move("editor", "publish", http.StatusUnprocessableEntity); res.errCode() != "chain_required" {
		t.Errorf("publishing the draft directly: %s", res.raw)
	}
	move("editor", "submit", http.StatusOK)
	// Lists name the step (zh-CN by default).
	list := s.call(t, "editor", "GET", "/api/v1/desk/articles?state=submitted&per_page=100", nil)
	found := false
	for _, x := range list.json["articles"].([]any) {
		a := x.(map[string]any)
		if int64(a["id"].(float64)) == id {
			step, _ := a["step"].(map[string]any)
			found = step != nil && step["label"] == "待单位初审" && step["number"] == float64(1) && step["of"] == float64(4)
		}
	}
	if !found {
		t.Errorf("the list does not name the step the story waits at: %s", list.raw)
	}
	move("editor", "approve", http.StatusOK) // 单位初审: editors stand in
	move("editor", "approve", http.StatusOK) // 编辑复审
	if got := s.call(t, "editor", "GET", storyURL, nil); got.json["step"].(map[string]any)["label"] != "待校对" {
		t.Errorf("at 校对: %s", got.raw)
	}
	move("editor", "approve", http.StatusForbidden)
	move("proofreader", "approve", http.StatusOK)
	move("chief", "publish", http.StatusOK)

	// The correction chain of the column: none yet, so the review chain.
	ccURL := path("/api/v1/desk/columns/%d/correction-chain", col.ID)
	cc := s.call(t, "editor", "GET", ccURL, nil)
	if cc.status != http.StatusOK || cc.json["main"] != true || len(cc.json["steps"].([]any)) != 4 {
		t.Fatalf("the correction chain before one is set: %d %s", cc.status, cc.raw)
	}
	if res := s.call(t, "contributor", "PUT", ccURL, map[string]any{"steps": []any{}}); res.status != http.StatusForbidden {
		t.Errorf("a contributor's correction chain: %d", res.status)
	}
	short := map[string]any{"steps": []map[string]any{
		{"name": "校对", "kind": "proofread", "users": []int64{users["proofreader"].ID}},
		{"name": "总编终审", "kind": "review", "holders": []string{"chief"}},
	}}
	cc = s.call(t, "editor", "PUT", ccURL, short)
	if cc.status != http.StatusOK || cc.json["own"] != true || cc.json["main"] != false || len(cc.json["steps"].([]any)) != 2 {
		t.Fatalf("saving the correction chain: %d %s", cc.status, cc.raw)
	}
	if ch := s.call(t, "editor", "GET", path("/api/v1/desk/columns/%d/chain", col.ID), nil); len(ch.json["steps"].([]any)) != 4 {
		t.Errorf("the review chain changed with the correction chain: %s", ch.raw)
	}

	// A correction: the live text stays; the copy waits at 校对.
	cur := s.call(t, "editor", "GET", storyURL, nil)
	if res := s.call(t, "editor", "PATCH", storyURL, map[string]any{"version": cur.num("version"), "title": "更正后的院系稿件"}); res.status != http.StatusOK {
		t.Fatalf("correct: %d %s", res.status, res.raw)
	}
	liveTitle := func() string {
		pub := s.call(t, "", "GET", path("/api/v1/articles/%d", id), nil)
		title, _ := pub.json["title"].(string)
		return title
	}
	if liveTitle() != "编辑的院系稿件" {
		t.Fatal("the live story changed at the first save of its correction")
	}
	got := s.call(t, "proofreader", "GET", storyURL, nil)
	rev, _ := got.json["revision"].(map[string]any)
	if got.status != http.StatusOK || rev == nil || rev["state"] != "submitted" || rev["step"].(map[string]any)["label"] != "待校对" ||
		!slices.Contains(rev["actions"].([]any), any("approve")) {
		t.Fatalf("the proofreader's view of the correction: %d %s", got.status, got.raw)
	}
	if got := s.call(t, "editor", "POST", storyURL+"/revision/approve", map[string]any{"version": got.num("version")}); got.status != http.StatusForbidden {
		t.Errorf("an editor approved the proofreader's step: %d %s", got.status, got.raw)
	}
	move("proofreader", "approve", http.StatusOK)
	if liveTitle() != "编辑的院系稿件" {
		t.Fatal("the live story changed before the last step")
	}
	move("chief", "approve", http.StatusOK, "comment", "同意更正")
	if liveTitle() != "更正后的院系稿件" {
		t.Fatal("the last step did not replace the live story")
	}
	if got := s.call(t, "editor", "GET", storyURL, nil); got.json["working_copy"] != false || got.json["revised_at"] == nil {
		t.Errorf("after the correction: %s", got.raw)
	}
	// Removed again, corrections take the review chain.
	cc = s.call(t, "editor", "PUT", ccURL, map[string]any{"inherit": true})
	if cc.status != http.StatusOK || cc.json["main"] != true || len(cc.json["steps"].([]any)) != 4 {
		t.Errorf("after inherit: %d %s", cc.status, cc.raw)
	}
}

// TestRecordShowsTheChecks: the review record (JSON) lists what the
// content checks find in the story and the acknowledgement that let the
// warn finding through: who, when, from where, on which version, why.
func TestRecordShowsTheChecks(t *testing.T) {
	d := newDraft(t, "editor", "讲座提到演示提醒词")
	id := d.num("id")
	ack := call(t, "editor", "POST", path("/api/v1/desk/articles/%d/checks/acknowledgements", id), map[string]any{"version": d.num("version"), "reason": "讲座原题，保留"})
	if ack.status != http.StatusOK && ack.status != http.StatusCreated {
		t.Fatalf("acknowledge: %d %s", ack.status, ack.raw)
	}
	rec := call(t, "editor", "GET", path("/api/v1/desk/articles/%d/record", id), nil)
	checks, _ := rec.json["checks"].(map[string]any)
	if rec.status != http.StatusOK || checks == nil {
		t.Fatalf("record: %d %s", rec.status, rec.raw)
	}
	var finding map[string]any
	for _, x := range checks["findings"].([]any) {
		if f := x.(map[string]any); f["text"] == "演示提醒词" {
			finding = f
		}
	}
	if finding == nil || finding["level"] != "warn" || finding["acknowledged"] != true {
		t.Errorf("the record's findings: %v", checks["findings"])
	}
	acks := checks["acknowledgements"].([]any)
	if len(acks) != 1 {
		t.Fatalf("the record's acknowledgements: %v", acks)
	}
	a := acks[0].(map[string]any)
	if a["by"] != "李编辑" || a["reason"] != "讲座原题，保留" || a["at"] == "" || a["version"] != float64(d.num("version")) ||
		a["ip"] == "" || !strings.Contains(a["findings"].(string), "演示提醒词") {
		t.Errorf("the acknowledgement in the record: %v", a)
	}
}

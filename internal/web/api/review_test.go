package api_test

import (
	"bytes"
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"newsdesk/internal/model"
	"newsdesk/internal/store/sqlstore/pgtest"
)

// TestReviewChainOverTheAPI: an editor sets a three-step chain on a
// column, a contributor's story goes through it step by step (returned
// once from the proofreading with a reason), and the record and the
// ledger show every decision — all by API token.
func TestReviewChainOverTheAPI(t *testing.T) {
	s, err := newAPIServer(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	reviewChain(t, s)
}

// TestReviewChainOverTheAPIOnPostgreSQL runs the same on PostgreSQL.
func TestReviewChainOverTheAPIOnPostgreSQL(t *testing.T) {
	s, err := newAPIServer(t.TempDir(), "--db", pgtest.DSN(t))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	reviewChain(t, s)
}

func reviewChain(t *testing.T, s *apiServer) {
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
	cols, err := s.app.Store.Columns(ctx)
	if err != nil {
		t.Fatal(err)
	}
	col := cols[1] // where newDraft files its stories
	chainURL := path("/api/v1/desk/columns/%d/chain", col.ID)
	chain := map[string]any{"steps": []map[string]any{
		{"name": "单位初审", "kind": "review", "holders": []string{"unit"}, "due_hours": 24},
		{"name": "校对", "kind": "proofread", "users": []int64{users["proofreader"].ID}},
		{"name": "总编终审", "kind": "review", "holders": []string{"chief"}},
	}}

	// Only editors change a chain; one that cannot complete is refused in
	// the caller's language and changes nothing.
	if res := s.call(t, "contributor", "PUT", chainURL, chain); res.status != http.StatusForbidden {
		t.Errorf("contributor's chain: %d %s", res.status, res.raw)
	}
	before := s.call(t, "editor", "GET", chainURL, nil)
	bad := map[string]any{"steps": []map[string]any{{"name": "单位初审", "kind": "review", "holders": []string{"unit"}}}}
	zh := s.call(t, "editor", "PUT", chainURL, bad)
	en := s.call(t, "editor", "PUT", chainURL+"?lang=en", bad)
	if zh.status != http.StatusUnprocessableEntity || zh.errCode() != "last_step_publish" || !strings.Contains(zh.errMessage(), "单位初审") ||
		en.errCode() != "last_step_publish" || en.errMessage() == zh.errMessage() {
		t.Errorf("a chain whose last step cannot publish: %d %s / %s", zh.status, zh.raw, en.raw)
	}
	if res := s.call(t, "editor", "PUT", chainURL, map[string]any{"steps": []any{}}); res.errCode() != "chain_empty" {
		t.Errorf("an empty chain: %d %s", res.status, res.raw)
	}
	if after := s.call(t, "editor", "GET", chainURL, nil); !bytes.Equal(after.raw, before.raw) {
		t.Errorf("refused chains changed the column's:\n%s\n%s", before.raw, after.raw)
	}

	// A column without a chain of its own takes its parent's.
	parent := s.call(t, "editor", "PUT", path("/api/v1/desk/columns/%d/chain", col.ParentID), map[string]any{"steps": []map[string]any{
		{"name": "单位初审", "kind": "review", "holders": []string{"unit"}}, {"name": "编辑终审", "kind": "review", "holders": []string{"editor"}}}})
	inherits := func(when string) {
		t.Helper()
		got := s.call(t, "editor", "GET", chainURL, nil)
		from, _ := got.json["inherited_from"].(map[string]any)
		if parent.status != 200 || got.json["own"] != false || from == nil || int64(from["id"].(float64)) != col.ParentID || len(got.json["steps"].([]any)) != 2 {
			t.Errorf("%s, the column's chain: %s (parent's saved: %d %s)", when, got.raw, parent.status, parent.raw)
		}
	}
	inherits("with none of its own")

	saved := s.call(t, "editor", "PUT", chainURL, chain)
	steps, _ := saved.json["steps"].([]any)
	if saved.status != 200 || saved.json["own"] != true || len(steps) != 3 {
		t.Fatalf("save chain: %d %s", saved.status, saved.raw)
	}
	proof := steps[1].(map[string]any)
	if proof["kind"] != "proofread" || proof["users"].([]any)[0].(map[string]any)["name"] != users["proofreader"].Name ||
		steps[0].(map[string]any)["due_hours"].(float64) != 24 {
		t.Errorf("saved steps: %s", saved.raw)
	}
	if got := s.call(t, "editor", "GET", chainURL, nil); !bytes.Equal(got.raw, saved.raw) {
		t.Errorf("read back:\n%s\nwant\n%s", got.raw, saved.raw)
	}
	audit, _, err := s.app.Store.Audit(ctx, 50, 0)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(audit, func(e model.AuditEntry) bool {
		return e.Action == "review_chain" && e.Via == "api" && e.Detail == "单位初审 → 校对 → 总编终审"
	}) {
		t.Errorf("no audit entry for the chain saved by the API")
	}
	draft := s.newDraft(t, "contributor", "三审三校：图书馆延长开放时间")
	id, version := draft.num("id"), draft.num("version")
	move := func(who string, want int, body map[string]any) answer {
		t.Helper()
		body["version"] = version
		res := s.call(t, who, "POST", path("/api/v1/desk/articles/%d/transitions", id), body)
		if res.status != want {
			t.Fatalf("%s %v: %d, want %d: %s", who, body["action"], res.status, want, res.raw)
		}
		if res.status == 200 {
			version = res.num("version")
		}
		return res
	}
	move("contributor", 200, map[string]any{"action": "submit"})
	move("reviewer", 200, map[string]any{"action": "approve", "step": 1, "comment": "同意"})
	// A decision meant for a step the story is not at changes nothing.
	if res := move("chief", 422, map[string]any{"action": "approve", "step": 1}); res.errCode() != "not_current_step" {
		t.Errorf("decision on a past step: %s", res.raw)
	}
	if res := move("reviewer", 403, map[string]any{"action": "approve", "step": 2}); res.errCode() != "forbidden" {
		t.Errorf("a unit reviewer on the proofreader's step: %s", res.raw)
	}
	// The preset reasons are the editors' list, for everyone who returns.
	s.call(t, "editor", "PUT", "/api/v1/desk/review/reasons", map[string]any{"reasons": []string{"事实不清", " 标题不规范 ", "", "事实不清"}})
	res := s.call(t, "proofreader", "GET", "/api/v1/desk/review/reasons", nil)
	if got, _ := res.json["reasons"].([]any); len(got) != 2 || got[0] != "事实不清" || got[1] != "标题不规范" {
		t.Errorf("preset reasons: %d %s", res.status, res.raw)
	}
	move("proofreader", 200, map[string]any{"action": "return", "step": 2, "reason": "标题不规范", "comment": "标题请改为陈述句", "return_to": 0})
	move("contributor", 200, map[string]any{"action": "submit"})
	move("reviewer", 200, map[string]any{"action": "approve", "step": 1})
	move("proofreader", 200, map[string]any{"action": "approve", "step": 2})
	if res := move("chief", 200, map[string]any{"action": "publish", "step": 3}); res.json["state"] != "published" {
		t.Fatalf("after the last step: %s", res.raw)
	}

	// Taking the parent's chain again leaves the published story's record
	// as it was.
	if res := s.call(t, "editor", "PUT", chainURL, map[string]any{"inherit": true}); res.status != 200 {
		t.Errorf("inherit: %d %s", res.status, res.raw)
	}
	inherits("after inherit")

	// The record, for the author too: every step done, by whom; the return
	// with its reason; the published address.
	rec := s.call(t, "contributor", "GET", path("/api/v1/desk/articles/%d/record", id), nil)
	if rec.status != 200 || rec.json["title"] != "三审三校：图书馆延长开放时间" || rec.json["column"] != col.Name {
		t.Fatalf("record: %d %s", rec.status, rec.raw)
	}
	if u, _ := rec.json["url"].(string); !strings.HasSuffix(u, path("/articles/%d", id)) {
		t.Errorf("record's url: %v", rec.json["url"])
	}
	reviewer, _ := s.app.Store.UserByName(ctx, "reviewer")
	wantBy := []string{reviewer.Name, users["proofreader"].Name, users["chief"].Name}
	for i, x := range rec.json["steps"].([]any) {
		st := x.(map[string]any)
		if st["state"] != "done" || st["by"] != wantBy[i] || st["at"] == nil {
			t.Errorf("record step %d: %v, want done by %s", i+1, st, wantBy[i])
		}
	}
	var actions []string
	returned := false
	for _, x := range rec.json["decisions"].([]any) {
		d := x.(map[string]any)
		actions = append(actions, d["action"].(string))
		if d["action"] == "return" {
			returned = d["step_name"] == "校对" && d["reason"] == "标题不规范" && d["comment"] == "标题请改为陈述句" && d["by"] == users["proofreader"].Name
		}
	}
	if want := []string{"submit", "approve", "return", "submit", "approve", "approve", "publish"}; !slices.Equal(actions, want) || !returned {
		t.Errorf("record's decisions: %v (return recorded: %v), want %v", actions, returned, want)
	}
	if res := s.call(t, "editor", "GET", path("/api/v1/desk/articles/999999/record"), nil); res.status != http.StatusNotFound {
		t.Errorf("record of no story: %d", res.status)
	}

	// The ledger lists the decisions on the story's steps (not the
	// submissions), for editors only.
	ledger := path("/api/v1/desk/review/ledger?format=csv&column=%d", col.ID)
	csv := s.call(t, "editor", "GET", ledger, nil)
	if csv.status != 200 || !strings.HasPrefix(csv.header.Get("Content-Type"), "text/csv") {
		t.Fatalf("ledger: %d %s", csv.status, csv.raw)
	}
	if body := string(csv.raw); strings.Count(body, "三审三校：图书馆延长开放时间") != 5 || !strings.Contains(body, "校对,周校对,退回修改,标题不规范,标题请改为陈述句") {
		t.Errorf("ledger CSV lacks the story's five step decisions:\n%s", body)
	}
	if res := s.call(t, "reviewer", "GET", ledger, nil); res.status != http.StatusForbidden {
		t.Errorf("reviewer's ledger: %d", res.status)
	}
	if res := s.call(t, "editor", "GET", "/api/v1/desk/review/ledger?format=pdf", nil); res.status != http.StatusBadRequest || res.errCode() != "bad_parameter" {
		t.Errorf("ledger as pdf: %d %s", res.status, res.raw)
	}
	xlsx := s.call(t, "editor", "GET", ledger[:strings.Index(ledger, "?")]+"?format=xlsx&from=2000-01-01&to=2100-12-31", nil)
	f, err := excelize.OpenReader(bytes.NewReader(xlsx.raw))
	if err != nil {
		t.Fatalf("ledger XLSX: %d %v", xlsx.status, err)
	}
	defer f.Close()
	rows, err := f.GetRows("Sheet1")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, row := range rows {
		if slices.Contains(row, "三审三校：图书馆延长开放时间") {
			n++
		}
	}
	if n != 5 {
		t.Errorf("ledger XLSX has %d rows of the story, want 5 (its step decisions)", n)
	}
}

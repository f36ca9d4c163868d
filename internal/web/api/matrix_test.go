package api_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"newsdesk/internal/web/api"
)

// TestAPIAuthorisationMatrix runs every API route for every role (signed
// in with an API token) and signed out, and fails when a route has no row.
func TestAPIAuthorisationMatrix(t *testing.T) {
	a, _ := apiSite(t)
	own := newDraft(t, "contributor", "矩阵：通讯员自己的稿件").num("id")
	foreign := newDraft(t, "editor", "矩阵：编辑部的稿件").num("id") // no unit: only editors see it
	published := call(t, "", "GET", "/api/v1/articles?per_page=1", nil)
	pubID := int64(published.json["articles"].([]any)[0].(map[string]any)["id"].(float64))
	cols, err := a.Store.Columns(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	col := cols[1].ID

	const anonymous = ""
	roles := []string{"contributor", "reviewer", "editor", "admin"}
	all := func(status int) map[string]int {
		return map[string]int{anonymous: status, "contributor": status, "reviewer": status, "editor": status, "admin": status}
	}
	signedIn := func(contributor, reviewer, editor, admin int) map[string]int {
		return map[string]int{anonymous: 401, "contributor": contributor, "reviewer": reviewer, "editor": editor, "admin": admin}
	}
	cases := []struct {
		pattern, method, path string
		body                  any
		want                  map[string]int
	}{
		{"GET /api/v1/articles", "GET", "/api/v1/articles", nil, all(200)},
		{"GET /api/v1/articles/{id}", "GET", path("/api/v1/articles/%d", pubID), nil, all(200)},
		{"GET /api/v1/articles/{id}", "GET", path("/api/v1/articles/%d", own), nil, all(404)}, // a draft is not public
		{"GET /api/v1/columns", "GET", "/api/v1/columns", nil, all(200)},
		{"GET /api/v1/slots/focus", "GET", "/api/v1/slots/focus", nil, all(200)},
		{"GET /api/v1/slots/recommended", "GET", "/api/v1/slots/recommended", nil, all(200)},
		{"GET /api/v1/search", "GET", "/api/v1/search?q=%E5%AD%A6%E9%99%A2", nil, all(200)},
		{"GET /api/v1/openapi.json", "GET", "/api/v1/openapi.json", nil, all(200)},

		{"GET /api/v1/desk/articles", "GET", "/api/v1/desk/articles", nil, signedIn(200, 200, 200, 200)},
		{"POST /api/v1/desk/articles", "POST", "/api/v1/desk/articles", map[string]any{}, signedIn(422, 403, 422, 422)},
		{"GET /api/v1/desk/articles/{id}", "GET", path("/api/v1/desk/articles/%d", own), nil, signedIn(200, 200, 200, 200)},
		{"GET /api/v1/desk/articles/{id}", "GET", path("/api/v1/desk/articles/%d", foreign), nil, signedIn(403, 403, 200, 200)},
		// Version 0 is stale: who may edit gets the conflict, who may not is refused first.
		{"PATCH /api/v1/desk/articles/{id}", "PATCH", path("/api/v1/desk/articles/%d", foreign), map[string]any{"version": 0}, signedIn(403, 403, 409, 409)},
		{"PATCH /api/v1/desk/articles/{id}", "PATCH", path("/api/v1/desk/articles/%d", own), map[string]any{"version": 0}, signedIn(409, 403, 409, 409)},
		{"POST /api/v1/desk/articles/{id}/transitions", "POST", path("/api/v1/desk/articles/%d/transitions", foreign),
			map[string]any{"action": "publish", "version": 0}, signedIn(403, 403, 409, 409)},
		{"POST /api/v1/desk/articles/{id}/transitions", "POST", path("/api/v1/desk/articles/%d/transitions", own),
			map[string]any{"action": "approve", "version": 0}, signedIn(403, 409, 409, 409)},
		{"POST /api/v1/desk/articles/{id}/media", "POST", path("/api/v1/desk/articles/%d/media", foreign), "", signedIn(403, 403, 400, 400)},
		{"POST /api/v1/desk/articles/{id}/revision/approve", "POST", path("/api/v1/desk/articles/%d/revision/approve", foreign), map[string]any{"version": 0}, signedIn(403, 403, 422, 422)},
		{"POST /api/v1/desk/articles/{id}/revision/discard", "POST", path("/api/v1/desk/articles/%d/revision/discard", foreign), map[string]any{"version": 0}, signedIn(403, 403, 422, 422)},
		{"GET /api/v1/desk/articles/{id}/annotations", "GET", path("/api/v1/desk/articles/%d/annotations", own), nil, signedIn(200, 200, 200, 200)},
		{"POST /api/v1/desk/articles/{id}/annotations", "POST", path("/api/v1/desk/articles/%d/annotations", foreign), map[string]any{"quote": "不在正文里", "body": "x"}, signedIn(403, 403, 422, 422)},
		{"POST /api/v1/desk/articles/{id}/annotations/{aid}/replies", "POST", path("/api/v1/desk/articles/%d/annotations/999999/replies", foreign), map[string]any{"body": "x"}, signedIn(403, 403, 404, 404)},
		{"POST /api/v1/desk/articles/{id}/annotations/{aid}/resolve", "POST", path("/api/v1/desk/articles/%d/annotations/999999/resolve", foreign), nil, signedIn(403, 403, 404, 404)},
		{"GET /api/v1/desk/articles/{id}/lock", "GET", path("/api/v1/desk/articles/%d/lock", foreign), nil, signedIn(403, 403, 200, 200)},
		{"POST /api/v1/desk/articles/{id}/lock", "POST", path("/api/v1/desk/articles/%d/lock", foreign), map[string]any{"token": "matrix"}, signedIn(403, 403, 200, 200)},
		{"POST /api/v1/desk/articles/{id}/lock/takeover", "POST", path("/api/v1/desk/articles/%d/lock/takeover", foreign), map[string]any{"token": "matrix"}, signedIn(403, 403, 200, 200)},
		{"DELETE /api/v1/desk/articles/{id}/lock", "DELETE", path("/api/v1/desk/articles/%d/lock?token=matrix", foreign), nil, signedIn(204, 204, 204, 204)},
		{"GET /api/v1/desk/articles/{id}/checks", "GET", path("/api/v1/desk/articles/%d/checks", own), nil, signedIn(200, 200, 200, 200)},
		{"GET /api/v1/desk/articles/{id}/checks", "GET", path("/api/v1/desk/articles/%d/checks", foreign), nil, signedIn(403, 403, 200, 200)},
		{"POST /api/v1/desk/articles/{id}/checks/acknowledgements", "POST", path("/api/v1/desk/articles/%d/checks/acknowledgements", foreign),
			map[string]any{"version": 0, "reason": "矩阵"}, signedIn(403, 403, 409, 409)},
		{"POST /api/v1/desk/articles/{id}/checks/acknowledgements", "POST", path("/api/v1/desk/articles/%d/checks/acknowledgements", own),
			map[string]any{"version": 0, "reason": "矩阵"}, signedIn(409, 403, 409, 409)},
		{"POST /api/v1/desk/checks", "POST", "/api/v1/desk/checks", map[string]any{"text": "示例"}, signedIn(200, 403, 200, 200)},
		{"GET /api/v1/desk/articles/{id}/record", "GET", path("/api/v1/desk/articles/%d/record", own), nil, signedIn(200, 200, 200, 200)},
		{"GET /api/v1/desk/articles/{id}/record", "GET", path("/api/v1/desk/articles/%d/record", foreign), nil, signedIn(403, 403, 200, 200)},
		{"GET /api/v1/desk/columns/{id}/chain", "GET", path("/api/v1/desk/columns/%d/chain", col), nil, signedIn(403, 403, 200, 200)},
		// An empty chain cannot be saved: who may save is refused by the rules, nothing changes.
		{"PUT /api/v1/desk/columns/{id}/chain", "PUT", path("/api/v1/desk/columns/%d/chain", col), map[string]any{"steps": []any{}}, signedIn(403, 403, 422, 422)},
		{"GET /api/v1/desk/columns/{id}/correction-chain", "GET", path("/api/v1/desk/columns/%d/correction-chain", col), nil, signedIn(403, 403, 200, 200)},
		{"PUT /api/v1/desk/columns/{id}/correction-chain", "PUT", path("/api/v1/desk/columns/%d/correction-chain", col), map[string]any{"steps": []any{}}, signedIn(403, 403, 422, 422)},
		{"GET /api/v1/desk/review/reasons", "GET", "/api/v1/desk/review/reasons", nil, signedIn(200, 200, 200, 200)},
		// A reason over the length limit is refused: nothing changes.
		{"PUT /api/v1/desk/review/reasons", "PUT", "/api/v1/desk/review/reasons", map[string]any{"reasons": []string{strings.Repeat("长", 41)}}, signedIn(403, 403, 422, 422)},
		{"GET /api/v1/desk/review/ledger", "GET", "/api/v1/desk/review/ledger?format=csv", nil, signedIn(403, 403, 200, 200)},
		{"PUT /api/v1/desk/slots/{slot}/{id}", "PUT", path("/api/v1/desk/slots/recommended/%d", foreign), nil, signedIn(403, 403, 200, 200)},
		{"DELETE /api/v1/desk/slots/{slot}/{id}", "DELETE", path("/api/v1/desk/slots/recommended/%d", foreign), nil, signedIn(403, 403, 204, 404)}, // the editor took it out already
	}
	covered := map[string]bool{}
	for _, tc := range cases {
		covered[tc.pattern] = true
		for _, who := range append([]string{anonymous}, roles...) {
			res := call(t, who, tc.method, tc.path, tc.body)
			if res.status != tc.want[who] {
				t.Errorf("%s %s as %q: %d, want %d (%s)", tc.method, tc.path, who, res.status, tc.want[who], res.raw)
			}
			if res.status >= 400 && res.errCode() == "" {
				t.Errorf("%s %s as %q: error answer without a JSON error: %s", tc.method, tc.path, who, res.raw)
			}
		}
	}
	for _, rt := range api.New(api.Deps{}).Routes() {
		if !covered[rt.Pattern] {
			t.Errorf("API route %q is not in the matrix", rt.Pattern)
		}
	}
	// The matrix changed nothing it should not have: the foreign story is
	// still an unplaced draft at version 1.
	ar, err := a.Store.Article(context.Background(), foreign)
	if err != nil || ar.Status != "draft" || ar.Version != 1 {
		t.Errorf("foreign story after the matrix: %s v%d %v", ar.Status, ar.Version, err)
	}
	if res := call(t, anonymous, "GET", "/api/v1/nothing-here", nil); res.status != http.StatusNotFound || res.errCode() != "not_found" {
		t.Errorf("unknown API path: %d %s", res.status, res.raw)
	}
	res := call(t, "editor", "DELETE", "/api/v1/articles", nil)
	if res.status != http.StatusMethodNotAllowed || res.errCode() != "method_not_allowed" || res.header.Get("Allow") != "GET" {
		t.Errorf("wrong method: %d %s Allow %q", res.status, res.raw, res.header.Get("Allow"))
	}
}

// TestDeskListNeverWidensScope: filters narrow what a user may see, never
// widen it (contributors their own, unit reviewers their unit's).
func TestDeskListNeverWidensScope(t *testing.T) {
	a, _ := apiSite(t)
	ctx := context.Background()
	editor, _ := a.Store.UserByName(ctx, "editor")
	reviewer, _ := a.Store.UserByName(ctx, "reviewer")
	contributor, _ := a.Store.UserByName(ctx, "contributor")
	newDraft(t, "editor", "范围测试：编辑部稿件")
	newDraft(t, "contributor", "范围测试：通讯员稿件")
	cases := []struct {
		who, query string
		ok         func(m map[string]any) bool
	}{
		{"contributor", path("?author=%d", editor.ID), func(m map[string]any) bool { return int64(m["author_id"].(float64)) == contributor.ID }},
		{"contributor", "?unit=0&per_page=100", func(m map[string]any) bool { return int64(m["author_id"].(float64)) == contributor.ID }},
		{"reviewer", "?unit=999&per_page=100", func(m map[string]any) bool { return int64(m["unit_id"].(float64)) == reviewer.UnitID }},
		{"reviewer", "?q=" + "范围测试", func(m map[string]any) bool { return int64(m["unit_id"].(float64)) == reviewer.UnitID }},
	}
	for _, tc := range cases {
		res := call(t, tc.who, "GET", "/api/v1/desk/articles"+tc.query, nil)
		list, _ := res.json["articles"].([]any)
		if res.status != 200 || len(list) == 0 {
			t.Errorf("%s %s: %d, %d stories", tc.who, tc.query, res.status, len(list))
		}
		for _, x := range list {
			if m := x.(map[string]any); !tc.ok(m) {
				t.Errorf("%s %s sees story %v (author %v, unit %v)", tc.who, tc.query, m["id"], m["author_id"], m["unit_id"])
			}
		}
	}
	// Editors filter by author as asked.
	res := call(t, "editor", "GET", path("/api/v1/desk/articles?author=%d&per_page=100", contributor.ID), nil)
	for _, x := range res.json["articles"].([]any) {
		if m := x.(map[string]any); int64(m["author_id"].(float64)) != contributor.ID {
			t.Errorf("editor's author filter let through story %v", m["id"])
		}
	}
}

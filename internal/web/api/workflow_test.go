package api_test

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
	"slices"
	"strings"
	"testing"

	"newsdesk/internal/demo/photo"
	"newsdesk/internal/store/sqlstore/pgtest"
)

// upload sends a photo as multipart to a story.
func (s *apiServer) upload(t *testing.T, who string, id int64, version int64, fields map[string]string, data []byte) answer {
	t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	mw.WriteField("version", path("%d", version))
	fw, _ := mw.CreateFormFile("file", "现场.jpg")
	fw.Write(data)
	mw.Close()
	return s.call(t, who, "POST", path("/api/v1/desk/articles/%d/media", id), b.Bytes(), "Content-Type", mw.FormDataContentType())
}

// TestWorkflowOverHTTPWithTokens: a contributor writes and submits, the
// unit reviewer approves, an editor publishes and puts it first in the
// focus slot, and a reader finds it in the content API — all by token.
func TestWorkflowOverHTTPWithTokens(t *testing.T) {
	apiSite(t)
	workflow(t, site.apiServer)
}

// TestWorkflowOverHTTPWithTokensOnPostgreSQL runs the same on PostgreSQL.
func TestWorkflowOverHTTPWithTokensOnPostgreSQL(t *testing.T) {
	s, err := newAPIServer(t.TempDir(), "--db", pgtest.DSN(t))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	workflow(t, s)
}

func workflow(t *testing.T, s *apiServer) {
	a, call := s.app, s.call
	ctx := context.Background()
	draft := s.newDraft(t, "contributor", "研究生院举办学术论坛")
	id, version := draft.num("id"), draft.num("version")
	if draft.json["state"] != "draft" || draft.json["can_edit"] != true {
		t.Fatalf("draft: %s", draft.raw)
	}

	photo, err := photo.JPEG(7, 640, 400)
	if err != nil {
		t.Fatal(err)
	}
	up := s.upload(t, "contributor", id, version, map[string]string{"caption": "论坛现场", "alt": "报告厅里的听众", "credit": "李四"}, photo)
	if up.status != http.StatusCreated {
		t.Fatalf("upload: %d %s", up.status, up.raw)
	}
	story := up.json["article"].(map[string]any)
	version = int64(story["version"].(float64))
	if int64(story["lead_media_id"].(float64)) != int64(up.json["media"].(map[string]any)["id"].(float64)) {
		t.Errorf("the first photo did not become the lead image: %v", story["lead_media_id"])
	}

	// Another save with the version read earlier is refused, showing the stored story.
	stale := call(t, "contributor", "PATCH", path("/api/v1/desk/articles/%d", id), map[string]any{"version": draft.num("version"), "subtitle": "旧版本上的修改"})
	if stale.status != http.StatusConflict || stale.json["current"].(map[string]any)["version"].(float64) != float64(version) {
		t.Fatalf("stale save: %d %s", stale.status, stale.raw)
	}
	saved := call(t, "contributor", "PATCH", path("/api/v1/desk/articles/%d", id), map[string]any{"version": version, "subtitle": "副题"})
	if saved.status != 200 || saved.json["subtitle"] != "副题" || saved.json["title"] != "研究生院举办学术论坛" {
		t.Fatalf("save: %d %s", saved.status, saved.raw)
	}
	version = saved.num("version")

	step := func(who, action string, extra map[string]any) answer {
		t.Helper()
		body := map[string]any{"action": action, "version": version}
		for k, v := range extra {
			body[k] = v
		}
		res := call(t, who, "POST", path("/api/v1/desk/articles/%d/transitions", id), body)
		if res.status != 200 {
			t.Fatalf("%s by %s: %d %s", action, who, res.status, res.raw)
		}
		version = res.num("version")
		return res
	}
	if res := step("contributor", "submit", nil); res.json["state"] != "submitted" {
		t.Fatalf("after submit: %v", res.json["state"])
	}
	// The reviewer finds it in their queue.
	queue := call(t, "reviewer", "GET", "/api/v1/desk/articles?state=submitted", nil)
	if !hasArticle(queue, id) {
		t.Fatalf("not in the reviewer's queue: %s", queue.raw)
	}
	if res := call(t, "contributor", "GET", "/api/v1/desk/articles?state=submitted", nil); res.num("total") != 1 || !hasArticle(res, id) {
		t.Errorf("the contributor sees others' stories or not their own: %s", res.raw)
	}
	step("reviewer", "approve", map[string]any{"comment": "同意"})
	if res := step("editor", "publish", nil); res.json["state"] != "published" || res.json["published_at"] == nil {
		t.Fatalf("after publish: %s", res.raw)
	}
	place := call(t, "editor", "PUT", path("/api/v1/desk/slots/focus/%d", id), map[string]any{"position": -1})
	if place.status != 422 {
		t.Errorf("negative position: %d", place.status)
	}
	if place = call(t, "editor", "PUT", path("/api/v1/desk/slots/focus/%d", id), map[string]any{"position": 0}); place.status != 200 {
		t.Fatalf("place: %d %s", place.status, place.raw)
	}

	// A reader, signed out.
	got := call(t, "", "GET", path("/api/v1/articles/%d", id), nil)
	if got.status != 200 || got.json["subtitle"] != "副题" || got.json["lead_image"] == nil {
		t.Fatalf("reader: %d %s", got.status, got.raw)
	}
	focus := call(t, "", "GET", "/api/v1/slots/focus", nil)
	if first := focus.json["articles"].([]any)[0].(map[string]any); int64(first["id"].(float64)) != id {
		t.Errorf("focus slot starts with %v, want %d", first["id"], id)
	}
	res := call(t, "", "GET", "/api/v1/search?q="+"学术论坛", nil)
	if !hasResult(res, id) {
		t.Fatalf("search does not find it: %s", res.raw)
	}
	// The snippet is HTML: the words found marked, the text escaped.
	for _, x := range res.json["results"].([]any) {
		if hit := x.(map[string]any); int64(hit["id"].(float64)) == id &&
			(!strings.Contains(hit["snippet_html"].(string), "<mark>") || hit["lead_image"] == nil) {
			t.Errorf("search hit: snippet %q, lead image %v", hit["snippet_html"], hit["lead_image"])
		}
	}

	// Every step is in the story's history with who did it.
	evs, err := a.Store.Events(ctx, id)
	if err != nil || len(evs) != 3 {
		t.Fatalf("events: %+v %v", evs, err)
	}
	for i, want := range []string{"contributor", "reviewer", "editor"} {
		u, _ := a.Store.User(ctx, evs[i].UserID)
		if u.Username != want {
			t.Errorf("step %d (%s) by %q, want %q", i, evs[i].Action, u.Username, want)
		}
	}
	// And in the audit log, written by the services as for the desk.
	entries, _, err := a.Store.Audit(ctx, 500, 0)
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, e := range entries {
		if e.Target == path("article %d", id) {
			u, _ := a.Store.User(ctx, e.UserID)
			actions = append([]string{u.Username + " " + e.Action}, actions...)
		}
	}
	for _, want := range []string{"contributor create", "contributor figure", "contributor save", "contributor submit", "reviewer approve", "editor publish", "editor slot"} {
		if !slices.Contains(actions, want) {
			t.Errorf("audit log of the story lacks %q: %v", want, actions)
		}
	}
}

func hasArticle(a answer, id int64) bool {
	list, _ := a.json["articles"].([]any)
	for _, x := range list {
		if int64(x.(map[string]any)["id"].(float64)) == id {
			return true
		}
	}
	return false
}

func hasResult(a answer, id int64) bool {
	list, _ := a.json["results"].([]any)
	for _, x := range list {
		if int64(x.(map[string]any)["id"].(float64)) == id {
			return true
		}
	}
	return false
}

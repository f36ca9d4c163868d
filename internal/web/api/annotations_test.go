package api_test

import (
	"net/http"
	"testing"
)

// TestAnnotationsOverTheAPI: the unit reviewer annotates a passage of the
// contributor's story, the contributor answers and resolves it; the
// listing shows where the passage is, and that it is gone once rewritten.
func TestAnnotationsOverTheAPI(t *testing.T) {
	draft := newDraft(t, "contributor", "批注接口测试稿")
	id := draft.num("id")
	notes := path("/api/v1/desk/articles/%d/annotations", id)
	made := call(t, "reviewer", "POST", notes, map[string]any{"quote": "批注接口测试稿的正文", "body": "正文太短，请补充"})
	if made.status != http.StatusCreated {
		t.Fatalf("annotate: %d %s", made.status, made.raw)
	}
	list := made.json["annotations"].([]any)
	first := list[0].(map[string]any)
	aid := int64(first["id"].(float64))
	if first["found"] != true || first["start"].(float64) != 0 || first["author"].(map[string]any)["name"] == "" {
		t.Fatalf("annotation: %s", made.raw)
	}
	if gone := call(t, "reviewer", "POST", notes, map[string]any{"quote": "没有这句话", "body": "x"}); gone.status != http.StatusUnprocessableEntity {
		t.Fatalf("a passage not in the text: %d %s", gone.status, gone.raw)
	}
	reply := call(t, "contributor", "POST", path("%s/%d/replies", notes, aid), map[string]any{"body": "已补充"})
	if reply.status != http.StatusCreated || len(reply.json["annotations"].([]any)[0].(map[string]any)["replies"].([]any)) != 1 {
		t.Fatalf("reply: %d %s", reply.status, reply.raw)
	}
	done := call(t, "contributor", "POST", path("%s/%d/resolve", notes, aid), nil)
	if done.status != 200 || done.json["annotations"].([]any)[0].(map[string]any)["resolved_by"] == nil {
		t.Fatalf("resolve: %d %s", done.status, done.raw)
	}
	saved := call(t, "contributor", "PATCH", path("/api/v1/desk/articles/%d", id), map[string]any{"version": draft.num("version"), "body": "<p>完全改写后的正文。</p>"})
	if saved.status != 200 {
		t.Fatalf("rewrite: %d %s", saved.status, saved.raw)
	}
	after := call(t, "editor", "GET", notes, nil)
	if after.status != 200 || after.json["annotations"].([]any)[0].(map[string]any)["found"] != false {
		t.Fatalf("after the rewrite: %d %s", after.status, after.raw)
	}
}

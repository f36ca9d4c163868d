package api_test

import (
	"net/http"
	"strings"
	"testing"
	"unicode/utf8"
)

// findingOf returns the first finding of a rule prefix in an answer.
func findingOf(a answer, rule string) map[string]any {
	fs, _ := a.json["findings"].([]any)
	for _, f := range fs {
		m := f.(map[string]any)
		if strings.HasPrefix(m["rule"].(string), rule) {
			return m
		}
	}
	return nil
}

// TestChecksOverTheAPI: a story's findings with offsets into its plain
// text; a block finding refuses submitting; the live check of posted
// text; a warn finding acknowledged with a reason lets the story on.
func TestChecksOverTheAPI(t *testing.T) {
	title := "讲座上出现示例 敏感词"
	draft := newDraft(t, "contributor", title)
	id := draft.num("id")
	rep := call(t, "contributor", "GET", path("/api/v1/desk/articles/%d/checks", id), nil)
	f := findingOf(rep, "word:")
	if rep.status != http.StatusOK || f == nil || f["level"] != "block" || rep.json["blocked"] != true {
		t.Fatalf("checks: %d %s", rep.status, rep.raw)
	}
	// Kicker, title, subtitle and summary a line each, then the body: the
	// title is the first line here.
	if start, end := int(f["start"].(float64)), int(f["end"].(float64)); string([]rune(title)[start:end]) != f["text"] || f["text"] != "示例 敏感词" {
		t.Errorf("offsets %d–%d, text %q", start, end, f["text"])
	}
	sub := call(t, "contributor", "POST", path("/api/v1/desk/articles/%d/transitions", id), map[string]any{"action": "submit", "version": draft.num("version")})
	if sub.status != http.StatusUnprocessableEntity || sub.errCode() != "check_blocked" || !strings.Contains(sub.errMessage(), "示例 敏感词") {
		t.Fatalf("submit with a block finding: %d %s", sub.status, sub.raw)
	}

	text := "既使下雨,讲座照常。演示提醒词"
	live := call(t, "contributor", "POST", "/api/v1/desk/checks", map[string]any{"text": text})
	c := findingOf(live, "confused:")
	if live.status != http.StatusOK || c == nil || c["suggestion"] != "即使" || c["fix"] != true || c["message"] == "" {
		t.Fatalf("live check: %d %s", live.status, live.raw)
	}
	if p := findingOf(live, "punctuation:halfwidth"); p == nil || p["level"] != "info" || int(p["start"].(float64)) != utf8.RuneCountInString("既使下雨") {
		t.Errorf("half-width comma: %v", p)
	}
	if long := call(t, "contributor", "POST", "/api/v1/desk/checks", map[string]any{"text": strings.Repeat("字", 200_001)}); long.status != http.StatusUnprocessableEntity {
		t.Errorf("an over-long text: %d", long.status)
	}

	// The editor's own story, so the contributor's list stays as the
	// workflow test expects it on this shared site.
	warn := newDraft(t, "editor", "讲座提到演示提醒词")
	wid := warn.num("id")
	sub = call(t, "editor", "POST", path("/api/v1/desk/articles/%d/transitions", wid), map[string]any{"action": "submit", "version": warn.num("version")})
	if sub.status != http.StatusUnprocessableEntity || sub.errCode() != "check_unacknowledged" {
		t.Fatalf("submit with a warn finding: %d %s", sub.status, sub.raw)
	}
	if noReason := call(t, "editor", "POST", path("/api/v1/desk/articles/%d/checks/acknowledgements", wid), map[string]any{"version": warn.num("version"), "reason": ""}); noReason.status != http.StatusUnprocessableEntity {
		t.Errorf("acknowledged without a reason: %d %s", noReason.status, noReason.raw)
	}
	ack := call(t, "editor", "POST", path("/api/v1/desk/articles/%d/checks/acknowledgements", wid), map[string]any{"version": warn.num("version"), "reason": "讲座原题，保留"})
	acks, _ := ack.json["acknowledgements"].([]any)
	if ack.status != http.StatusOK || ack.num("unacknowledged") != 0 || len(acks) != 1 || acks[0].(map[string]any)["reason"] != "讲座原题，保留" {
		t.Fatalf("acknowledge: %d %s", ack.status, ack.raw)
	}
	if sub := call(t, "editor", "POST", path("/api/v1/desk/articles/%d/transitions", wid), map[string]any{"action": "submit", "version": warn.num("version")}); sub.status != http.StatusOK {
		t.Fatalf("submit after the acknowledgement: %d %s", sub.status, sub.raw)
	}
}

package web_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

// TestTypographyIsASuggestionThatNeedsNoAcknowledgement: a story whose
// only findings are typography — the seed page's half-width comma and
// colon between Chinese characters — lists them apart as suggestions
// (建议) with their fix, offers no acknowledgement form, and is submitted
// without one.
func TestTypographyIsASuggestionThatNeedsNoAcknowledgement(t *testing.T) {
	_, srv := deskServer(t)
	contributor := signIn(t, srv, "contributor")
	id := newStory(t, contributor, "下午,由研究生院主办的导师培训会开幕")
	_, d := contributor.get(fmt.Sprintf("/desk/articles/%d", id))
	panel := d.Find("#checks")
	if h := panel.Find("h3.level-info").Text(); !strings.Contains(h, "建议") {
		t.Fatalf("no suggestions group: %q", panel.Text())
	}
	if panel.Find("h3.level-block, h3.level-warn").Length() != 0 {
		t.Fatalf("typography listed as block or warn: %q", panel.Text())
	}
	found := false
	panel.Find(".finding-info").Each(func(_ int, s *goquery.Selection) {
		if v, _ := s.Attr("data-suggestion"); v == "，" && strings.Contains(s.Find("mark").Text(), ",") {
			found = true
		}
	})
	if !found {
		t.Errorf("the half-width comma is not a suggestion with its fix: %q", panel.Text())
	}
	if !strings.Contains(panel.Find(".hint").Text(), "不需要确认") {
		t.Errorf("the suggestions do not say they need no acknowledgement: %q", panel.Text())
	}
	if panel.Find(`form[action$="/checks/ack"]`).Length() != 0 {
		t.Error("an acknowledgement form for typography")
	}
	if res, d := act(t, contributor, id, "submit"); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("submit with only suggestions: %d %q", res.StatusCode, d.Find(".error-box").Text())
	}
}

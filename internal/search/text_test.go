package search

import (
	"strings"
	"testing"
)

// The body's first paragraph repeats the summary, as news bodies do: the
// snippet around a match further on shows the match, and no sentence twice.
func TestSnippetSkipsTheBodysCopyOfTheSummary(t *testing.T) {
	summary := "11月5日下午，图书馆新进馆员培训班开班仪式在虎溪校区举行。"
	body := summary + " 培训为期三天，内容包括馆藏建设、读者服务和信息素养教育。来自各分馆的二十余名新进馆员参加培训，副馆长魏群义出席并讲话，勉励大家尽快熟悉岗位。"
	text := SnippetText(summary, body)
	if strings.Count(text, summary) != 1 {
		t.Fatalf("the summary appears %d times in %q", strings.Count(text, summary), text)
	}
	snip, spans := Snippet(text, Words("魏群义"), 40)
	if len(spans) == 0 || !strings.Contains(snip, "魏群义") {
		t.Errorf("snippet %q does not show the match", snip)
	}
	if got := SnippetText("", "正文"); got != "正文" {
		t.Errorf("no summary: %q", got)
	}
}

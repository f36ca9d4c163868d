package importer

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"newsdesk/internal/model"
)

func TestClosingCreditLinesBecomeStructuredCredits(t *testing.T) {
	tests := []struct {
		name, body, rest string
		want             model.Credits
	}{
		{"the seed page: half-width colon, names by spaces", `<p>正文。</p><p>图片:刘孟秋 曹文玥</p>`, `<p>正文。</p>`,
			model.Credits{Photographers: []string{"刘孟秋", "曹文玥"}}},
		{"full-width colons, several lines", "<p>正文。</p><p>文字：张三、李四<br>摄影：王五</p>\n<p>责任编辑：赵六</p>", `<p>正文。</p>`,
			model.Credits{Writers: []string{"张三", "李四"}, Photographers: []string{"王五"}, Editor: "赵六"}},
		{"slashes, one line, brackets", `<p>正文。</p><p>（文字/张三 图片/李四 来源：党委宣传部）</p>`, `<p>正文。</p>`,
			model.Credits{Writers: []string{"张三"}, Photographers: []string{"李四"}, Source: "党委宣传部"}},
		{"full-width space and slash", "<p>正文。</p><p>摄影／刘孟秋\u3000曹文玥</p><p>供稿单位：研究生院</p>", `<p>正文。</p>`,
			model.Credits{Photographers: []string{"刘孟秋", "曹文玥"}, Unit: "研究生院"}},
		{"a sentence that names a photo is text", `<p>他说：图片很好。</p>`, `<p>他说：图片很好。</p>`, model.Credits{}},
		{"credits only at the end", `<p>图片:甲</p><p>正文在后。</p>`, `<p>图片:甲</p><p>正文在后。</p>`, model.Credits{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rest, got := ReadCredits(tc.body)
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("credits %+v, want %+v", got, tc.want)
			}
			if strings.TrimSpace(rest) != tc.rest {
				t.Errorf("body left %q, want %q", rest, tc.rest)
			}
		})
	}
}

// TestSeedPageCreditLine: the seed page's closing line, as the demo's copy
// of it has it, gives its two photographers.
func TestSeedPageCreditLine(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "demo", "seed_article.txt"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	last := lines[len(lines)-1]
	if i := strings.Index(last, "图片:"); i > 0 {
		last = last[i:] // the page's text runs the photo name and the credit together
	}
	got := CreditsFromText(last)
	if want := []string{"刘孟秋", "曹文玥"}; !reflect.DeepEqual(got.Photographers, want) {
		t.Errorf("seed credit line %q read as %+v", last, got)
	}
}

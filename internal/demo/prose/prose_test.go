package prose

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

var proseTopics = []string{"news", "departments", "research", "lectures", "media", "culture", "students", "people"}

// stories returns n stories of mixed topics, a day apart, at varying hours.
func stories(seed uint64, n int) []Story {
	p := New(seed)
	start := time.Date(2022, 9, 1, 8, 0, 0, 0, time.UTC)
	out := make([]Story, n)
	for i := range out {
		at := start.AddDate(0, 0, i).Add(time.Duration(i%12) * time.Hour)
		out[i] = p.Story(proseTopics[i%len(proseTopics)], at)
	}
	return out
}

// texts lists every text field of a story.
func texts(st Story) []string {
	t := []string{st.Kicker, st.Title, st.Subtitle, st.Summary, st.Editor, st.Unit}
	t = append(t, st.Paragraphs...)
	t = append(t, st.Writers...)
	return append(t, st.Photographers...)
}

func TestSameSeedGivesSameStories(t *testing.T) {
	a, b := stories(42, 60), stories(42, 60)
	if !reflect.DeepEqual(a, b) {
		t.Fatal("two generators with the same seed produced different stories")
	}
	c := stories(43, 60)
	same := 0
	for i := range a {
		if a[i].Title == c[i].Title {
			same++
		}
	}
	if same > 3 {
		t.Errorf("seeds 42 and 43 share %d of 60 titles", same)
	}
}

func TestStoriesKeepLengthBounds(t *testing.T) {
	between := func(s string, lo, hi int) bool {
		n := utf8.RuneCountInString(s)
		return n >= lo && n <= hi
	}
	kickers, subtitles := 0, 0
	all := stories(7, 2000)
	for i, st := range all {
		where := fmt.Sprintf("story %d (%s) %q", i, proseTopics[i%len(proseTopics)], st.Title)
		if !between(st.Title, 15, 40) {
			t.Errorf("%s: title has %d characters, want 15–40", where, utf8.RuneCountInString(st.Title))
		}
		if !between(st.Summary, 60, 150) {
			t.Errorf("%s: summary has %d characters, want 60–150: %s", where, utf8.RuneCountInString(st.Summary), st.Summary)
		}
		if n := strings.Count(st.Summary, "。"); n < 1 || n > 2 || !strings.HasSuffix(st.Summary, "。") {
			t.Errorf("%s: summary is not 1–2 sentences: %s", where, st.Summary)
		}
		if n := len(st.Paragraphs); n < 4 || n > 9 {
			t.Errorf("%s: %d paragraphs, want 4–9", where, n)
		}
		for j, para := range st.Paragraphs {
			if !between(para, 80, 300) {
				t.Errorf("%s: paragraph %d has %d characters, want 80–300: %s", where, j, utf8.RuneCountInString(para), para)
			}
		}
		if n := len(st.Writers); n < 1 || n > 2 {
			t.Errorf("%s: %d writers, want 1–2", where, n)
		}
		if n := len(st.Photographers); n > 2 {
			t.Errorf("%s: %d photographers, want 0–2", where, n)
		}
		if st.Editor == "" || st.Unit == "" {
			t.Errorf("%s: editor %q, unit %q: both required", where, st.Editor, st.Unit)
		}
		if st.Kicker != "" {
			kickers++
		}
		if st.Subtitle != "" {
			subtitles++
			if !strings.HasPrefix(st.Subtitle, "——") {
				t.Errorf("%s: subtitle %q does not start with ——", where, st.Subtitle)
			}
		}
	}
	if pct := kickers * 100 / len(all); pct < 9 || pct > 22 {
		t.Errorf("%d%% of stories have a kicker, want about 15%%", pct)
	}
	if pct := subtitles * 100 / len(all); pct < 5 || pct > 16 {
		t.Errorf("%d%% of stories have a subtitle, want about 10%%", pct)
	}
}

func TestSummaryStartsWithChineseDate(t *testing.T) {
	p := New(1)
	for i, hour := range []int{0, 9, 11, 14, 17, 19, 22} {
		date := time.Date(2023, 5, 12, hour, 30, 0, 0, time.UTC)
		for _, topic := range proseTopics {
			st := p.Story(topic, date.AddDate(0, i, 0))
			want := fmt.Sprintf("%d年%d月%d日", 2023, 5+i, 12)
			if !strings.HasPrefix(st.Summary, want) {
				t.Errorf("%s at %d:30: summary %q does not start with %s", topic, hour, st.Summary, want)
				continue
			}
			rest := strings.TrimPrefix(st.Summary, want)
			rest = strings.TrimPrefix(strings.TrimPrefix(strings.TrimPrefix(rest, "上午"), "下午"), "晚上")
			if !strings.HasPrefix(rest, fullComma) {
				t.Errorf("%s: summary date is not followed by a part of day and a comma: %q", topic, st.Summary)
			}
		}
	}
}

// The punctuation is spelled as escapes: ASCII and full-width forms look
// alike in most editors.
const (
	asciiPunct = "\x2c\x3a\x3b\x3f\x21\x28\x29\x22" // comma colon semicolon ? ! ( ) and straight double quote
	fullComma  = "\uff0c"                           // full-width comma
	fullStop   = "\u3002"                           // ideographic full stop
)

func TestStoriesUseChinesePunctuation(t *testing.T) {
	commas := 0
	for i, st := range stories(11, 800) {
		for _, s := range texts(st) {
			if j := strings.IndexAny(s, asciiPunct); j >= 0 {
				t.Fatalf("story %d: ASCII punctuation %q in %q", i, s[j], s)
			}
		}
		if strings.HasSuffix(st.Title, fullStop) || strings.HasSuffix(st.Title, fullComma) {
			t.Errorf("story %d: title ends with punctuation: %q", i, st.Title)
		}
		for _, para := range st.Paragraphs {
			commas += strings.Count(para, fullComma)
			if !strings.HasSuffix(para, fullStop) && !strings.HasSuffix(para, "\u201d") {
				t.Errorf("story %d: paragraph does not end a sentence: %q", i, para)
			}
		}
	}
	if commas < 800*10 {
		t.Errorf("only %d full-width commas in 800 stories", commas)
	}
}

func TestTitlesRarelyRepeat(t *testing.T) {
	seen := map[string]bool{}
	for _, st := range stories(2024, 400) {
		seen[st.Title] = true
	}
	if len(seen) < 395 {
		t.Errorf("400 stories have %d distinct titles, want at least 395", len(seen))
	}
}

func TestStoriesAreAboutTheFictionalUniversity(t *testing.T) {
	mentions := 0
	for i, st := range stories(5, 400) {
		all := strings.Join(texts(st), "")
		if strings.Contains(all, "重庆大学") {
			t.Fatalf("story %d names a real university: %q", i, st.Title)
		}
		if strings.Contains(all, university) || strings.Contains(all, "我校") || strings.Contains(all, "学校") {
			mentions++
		}
	}
	if mentions < 300 {
		t.Errorf("only %d of 400 stories mention the university", mentions)
	}
}

func TestStoryMatchesItsTopic(t *testing.T) {
	words := map[string][]string{
		"news":        {"学校", "我校", "校党委", "校长"},
		"departments": {"学院"},
		"research":    {"研究", "成果", "项目", "平台"},
		"lectures":    {"报告", "讲座"},
		"media":       {"报道"},
		"culture":     {"演出", "展", "运动会", "读书节", "艺术", "比赛", "晚会", "音乐会", "游园会", "话剧"},
		"students":    {"学生", "学子", "志愿者", "同学"},
		"people":      {"教授", "研究员", "同学", "学生"},
	}
	p := New(9)
	date := time.Date(2024, 4, 18, 15, 0, 0, 0, time.UTC)
	for _, topic := range proseTopics {
		for i := range 30 {
			st := p.Story(topic, date.AddDate(0, 0, i))
			all := st.Title + st.Summary + strings.Join(st.Paragraphs, "")
			found := false
			for _, w := range words[topic] {
				if strings.Contains(all, w) {
					found = true
				}
			}
			if !found {
				t.Errorf("%s story %q mentions none of %v", topic, st.Title, words[topic])
			}
		}
	}
}

func TestUnknownTopicReadsAsNews(t *testing.T) {
	st := New(3).Story("no-such-column", time.Date(2023, 3, 1, 10, 0, 0, 0, time.UTC))
	if st.Title == "" || len(st.Paragraphs) < 4 {
		t.Fatalf("unknown topic gave an incomplete story: %+v", st)
	}
}

func BenchmarkStory(b *testing.B) {
	p := New(1)
	date := time.Date(2023, 5, 12, 9, 0, 0, 0, time.UTC)
	for i := 0; b.Loop(); i++ {
		p.Story(proseTopics[i%len(proseTopics)], date)
	}
}

package search

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"newsdesk/internal/store"
)

func TestAnalyze(t *testing.T) {
	tests := []struct {
		in, phrase, chars string
	}{
		{"重庆大学", "重庆 庆大 大学", "重 庆 大 学"},
		{"疫情,防控", "疫情 防控", "疫 情 防 控"},
		{"2020级研究生", "2020 级研 研究 究生", "级 研 究 生"},
		{"COVID-19 疫情", "covid 19 疫情", "疫 情"},
		{"ＣＯＶＩＤ－１９", "covid 19", ""},
		{"5G网络", "5g 网络", "网 络"},
		{"黨支部書記", "党支 支部 部书 书记", "党 支 部 书 记"},
		{"李", "李", "李"},
	}
	for _, tc := range tests {
		p, c := Analyze(tc.in)
		if p != tc.phrase || c != tc.chars {
			t.Errorf("Analyze(%q) = %q, %q; want %q, %q", tc.in, p, c, tc.phrase, tc.chars)
		}
	}
}

func TestParse(t *testing.T) {
	tests := []struct {
		in   string
		want []store.SearchTerm
	}{
		{"疫情", []store.SearchTerm{{Tokens: []string{"疫情"}}}},
		{"李", []store.SearchTerm{{Tokens: []string{"李"}, Chars: true}}},
		{"党支部书记培训", []store.SearchTerm{{Tokens: []string{"党支", "支部", "部书", "书记", "记培", "培训"}}}},
		{"疫情 李蕊", []store.SearchTerm{{Tokens: []string{"疫情"}}, {Tokens: []string{"李蕊"}}}},
		{"2020级", []store.SearchTerm{{Tokens: []string{"2020", "级"}, Prefix: true}}},
		{"第227讲", []store.SearchTerm{{Tokens: []string{"第"}, Chars: true}, {Tokens: []string{"227", "讲"}, Prefix: true}}},
		{"黨支部", []store.SearchTerm{{Tokens: []string{"党支", "支部"}}}},
		{"COVID-19", []store.SearchTerm{{Tokens: []string{"covid"}}, {Tokens: []string{"19"}}}},
		{"!!! ???", nil},
		{"", nil},
	}
	for _, tc := range tests {
		if got := Parse(tc.in); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("Parse(%q) = %+v, want %+v", tc.in, got, tc.want)
		}
	}
}

func TestParseBoundsAbsurdQueries(t *testing.T) {
	terms := Parse(strings.Repeat("疫情防控 ", 500))
	if len(terms) > MaxTerms {
		t.Fatalf("%d terms", len(terms))
	}
	long := Parse(strings.Repeat("研", 2000))
	if len(long) != 1 || len(long[0].Tokens) > MaxTermTokens {
		t.Fatalf("long term = %d tokens", len(long[0].Tokens))
	}
}

func TestMatchesAreFoldedRuneSpans(t *testing.T) {
	tests := []struct {
		text, query string
		want        []Span
	}{
		{`<b>黨支部</b> & 党支部`, "党支部", []Span{{3, 6}, {13, 16}}},
		{"ＡＢＣ abc", "abc", []Span{{0, 3}, {4, 7}}},
		{"疫情防控疫情", "疫情 防控", []Span{{0, 6}}}, // adjacent matches merge
		{"没有", "疫情", nil},
	}
	for _, tc := range tests {
		if got := Matches(tc.text, Words(tc.query)); !slices.Equal(got, tc.want) {
			t.Errorf("Matches(%q, %q) = %v, want %v", tc.text, tc.query, got, tc.want)
		}
	}
}

func TestSnippetCentresOnMatch(t *testing.T) {
	text := strings.Repeat("前文", 100) + "李蕊医生" + strings.Repeat("后文", 100)
	s, ms := Snippet(text, Words("李蕊"), 60)
	if len(ms) != 1 || string([]rune(s)[ms[0].Start:ms[0].End]) != "李蕊" || !strings.HasPrefix(s, "…") || !strings.HasSuffix(s, "…") {
		t.Errorf("snippet = %s, matches %v", s, ms)
	}
}

func TestText(t *testing.T) {
	got := Text(`<p>一段</p><figure><img src="x.jpg" alt="图"><figcaption>说明</figcaption></figure><script>x</script>`)
	if !strings.Contains(got, "一段") || !strings.Contains(got, "说明") {
		t.Errorf("Text = %q", got)
	}
}

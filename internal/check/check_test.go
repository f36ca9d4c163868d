package check

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func compile(t *testing.T, lists map[string]string) *Checker {
	t.Helper()
	var r Rules
	for kind, text := range lists {
		if bad := r.Parse(kind, text); len(bad) > 0 {
			t.Fatalf("%s: %v", kind, bad)
		}
	}
	return Compile(r)
}

// has reports whether a finding of rule (prefix) matched text exactly.
func has(fs []Finding, rule, text string) *Finding {
	for i, f := range fs {
		if strings.HasPrefix(f.Rule, rule) && f.Text == text {
			return &fs[i]
		}
	}
	return nil
}

func TestEachRuleKindMatchesWhatItMustAndNothingElse(t *testing.T) {
	c := compile(t, map[string]string{
		KindWords:       "示例敏感词 | 示例 | block\n测试词 | 示例 | warn\nbadword | 外文 | warn",
		KindExpressions: "重大 → 重庆大学\n",
		KindConfused:    Starter(KindConfused),
		KindLeaders:     "张三 | 校长、党委副书记 | 1 | 2020-01-01 ~ 2030-12-31\n李四 | 副校长 | 2 | 2020-01-01 ~ 2030-12-31\n王五 | 党委书记 | 3 | 2015-01-01 ~ 2019-12-31",
		KindPersonal:    "学号 | \\b2020\\d{4}\\b | warn",
		KindDomains:     "cqu.edu.cn",
	})
	o := Options{SiteURL: "https://news.cqu.edu.cn", Now: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)}
	cases := []struct {
		name, text, rule, match, suggestion string
		level                               string
		want                                bool
	}{
		{"word", "这里有示例敏感词。", "word:", "示例敏感词", "", Block, true},
		{"word split by spaces", "这里有示例 敏 感词。", "word:", "示例 敏 感词", "", Block, true},
		{"word split by a dash", "示例-敏-感词", "word:", "示例-敏-感词", "", Block, true},
		{"word in traditional characters", "這是示例敏感詞", "word:", "示例敏感詞", "", Block, true},
		{"word in full width and upper case", "ＢＡＤＷＯＲＤ", "word:", "ＢＡＤＷＯＲＤ", "", Warn, true},
		{"warn word", "一个测试词", "word:", "测试词", "", Warn, true},
		{"word not there", "示例敏感的词", "word:", "示例敏感的词", "", Block, false},
		{"expression wrong form", "重大新闻", "expressions:", "重大", "重庆大学", Warn, true},
		{"expression inside its right form", "重庆大学新闻", "expressions:", "重大", "", Warn, false},
		{"confused word", "既使下雨也去", "confused:", "既使", "即使", Warn, true},
		{"confused word 按装", "按装空调", "confused:", "按装", "安装", Warn, true},
		{"confused word split", "迫不 急待", "confused:", "迫不 急待", "迫不及待", Warn, true},
		{"right word not flagged", "即使下雨，川流不息，再接再厉", "confused:", "即使", "", Warn, false},
		{"leader with another's title", "副校长张三出席", "leader:张三", "副校长张三", "校长张三", Block, true},
		{"leader with own title", "校长张三出席", "leader:张三", "校长张三", "", Block, false},
		{"leader title after the name", "张三副校长出席", "leader:张三", "张三副校长", "张三校长", Block, true},
		{"leader past their term", "党委书记王五讲话", "leader:王五", "党委书记王五", "", Block, true},
		{"leaders out of precedence", "李四、张三出席", "leader:order", "李四、张三", "张三、李四", Warn, true},
		{"leaders in precedence", "张三、李四出席", "leader:order", "张三、李四", "", Warn, false},
		{"seed half-width comma", "2020年11月5日下午,由重庆大学", "punctuation:halfwidth", ",", "，", Info, true},
		{"seed half-width colon", "日期 : 2020-11-05", "punctuation:halfwidth", " : ", "：", Info, true},
		{"comma between digits", "1,000元", "punctuation:halfwidth", ",", "", Info, false},
		{"English comma", "Hello, world", "punctuation:halfwidth", ",", "", Info, false},
		{"unpaired quote", "他说“好的。", "punctuation:unpaired", "“", "", Info, true},
		{"paired quotes", "他说“好的”。", "punctuation:unpaired", "“", "", Info, false},
		{"unpaired book title mark", "读《红楼梦", "punctuation:unpaired", "《", "", Info, true},
		{"closing bracket alone", "见附件）", "punctuation:unpaired", "）", "", Info, true},
		{"doubled comma", "好，，走", "punctuation:doubled", "，，", "，", Info, true},
		{"three full stops", "等等。。。", "punctuation:ellipsis", "。。。", "……", Info, true},
		{"three dots", "等等...", "punctuation:ellipsis", "...", "……", Info, true},
		{"space between Chinese", "重庆 大学", "punctuation:space", " ", "", Info, true},
		{"space before Latin", "重庆 CQU", "punctuation:space", " ", "", Info, false},
		{"full-width digits", "共１２３人", "punctuation:fullwidth", "１２３", "123", Info, true},
		{"valid ID number", "身份证号11010519491231002X。", "personal:id", "11010519491231002X", "1101**********002X", Warn, true},
		{"ID number with a wrong checksum", "号码110105194912310021", "personal:id", "110105194912310021", "", Warn, false},
		{"mobile", "电话13812345678", "personal:mobile", "13812345678", "138****5678", Warn, true},
		{"longer number is no mobile", "编号138123456789", "personal:mobile", "138123456789", "", Warn, false},
		{"landline", "电话023-65102345", "personal:phone", "023-65102345", "023-******45", Warn, true},
		{"e-mail", "联系 zhang.san@cqu.edu.cn。", "personal:email", "zhang.san@cqu.edu.cn", "z***@cqu.edu.cn", Warn, true},
		{"bank card (Luhn)", "卡号6222020200112233446", "personal:card", "6222020200112233446", "6222***********3446", Warn, true},
		{"16 digits failing Luhn", "单号1234567812345678", "personal:card", "1234567812345678", "", Warn, false},
		{"site student number pattern", "学号20201234", "personal:学号", "20201234", "20****34", Warn, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			fs := c.Check(FromText(tc.text), o)
			f := has(fs, tc.rule, tc.match)
			if !tc.want {
				if f != nil {
					t.Fatalf("%q: flagged %+v", tc.text, *f)
				}
				return
			}
			if f == nil {
				t.Fatalf("%q: no %s finding on %q; got %+v", tc.text, tc.rule, tc.match, fs)
			}
			if f.Level != tc.level || (tc.suggestion != "" && f.Suggestion != tc.suggestion) {
				t.Errorf("%q: %+v, want level %s suggestion %q", tc.text, *f, tc.level, tc.suggestion)
			}
			if got := string([]rune(tc.text)[f.Start:f.End]); got != f.Text {
				t.Errorf("offsets [%d,%d) hold %q, finding says %q", f.Start, f.End, got, f.Text)
			}
		})
	}
}

func TestLinksAndPicturesAreChecked(t *testing.T) {
	c := compile(t, map[string]string{KindDomains: "cqu.edu.cn"})
	body := `<p>见<a href="https://www.cqu.edu.cn/a">学校</a>、<a href="http://news.cqu.edu.cn/b">旧址</a>和<a href="https://example.com/">外站</a>、<a href="/articles/1">本站</a>。</p>
<figure><img src="/media/1/a.jpg" alt="开班仪式"><figcaption>开班仪式（摄影：刘孟秋）</figcaption></figure>
<figure><img src="/media/2/b.jpg"></figure><p><img src="/media/3/c.jpg" alt="合影"></p>`
	fs := c.Check(FromHTML(body), Options{SiteURL: "https://news.cqu.edu.cn"})
	for _, want := range []struct{ rule, text string }{
		{"link:http", "http://news.cqu.edu.cn/b"}, {"link:domain", "https://example.com/"},
		{"picture:alt", "/media/2/b.jpg"}, {"picture:credit", "/media/3/c.jpg"},
	} {
		if has(fs, want.rule, want.text) == nil {
			t.Errorf("no %s finding on %s: %+v", want.rule, want.text, fs)
		}
	}
	for _, not := range []struct{ rule, text string }{
		{"link:domain", "https://www.cqu.edu.cn/a"}, {"link:domain", "/articles/1"}, {"picture:", "/media/1/a.jpg"},
	} {
		if f := has(fs, not.rule, not.text); f != nil {
			t.Errorf("flagged %+v", *f)
		}
	}
}

func TestSeedArticleHalfWidthPunctuationIsFlagged(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "demo", "seed_article.txt"))
	if err != nil {
		t.Fatal(err)
	}
	fs := Compile(Rules{}).Check(FromText(string(b)), Options{})
	var commas, colons int
	for _, f := range fs {
		if f.Rule == "punctuation:halfwidth" {
			switch strings.TrimSpace(f.Text) {
			case ",":
				commas++
			case ":":
				colons++
			}
		}
	}
	if has(fs, "punctuation:halfwidth", " : ") == nil || commas < 10 {
		t.Errorf("seed: %d half-width commas, %d colons flagged; want 日期 : and 下午,由 among them", commas, colons)
	}
}

func TestBadRuleLinesAreRefusedWithTheirReason(t *testing.T) {
	cases := []struct{ kind, line, reason string }{
		{KindWords, " - ", "empty_word"},
		{KindWords, "词 | 类别 | maybe", "level"},
		{KindConfused, "既使 即使", "arrow"},
		{KindConfused, "→ 即使", "empty_word"},
		{KindConfused, "即使 → 即使", "same"},
		{KindPersonal, "学号 | 20(\\d", "pattern"},
		{KindPersonal, "学号 | \\d*", "pattern_empty"},
		{KindLeaders, " | 校长 | 1", "no_name"},
		{KindLeaders, "张三 | 校长 | first", "precedence"},
		{KindLeaders, "张三 | 校长 | 1 | 2025-01-01 ~ 2020-01-01", "term"},
		{KindDomains, "not a domain", "domain"},
	}
	for _, tc := range cases {
		var r Rules
		bad := r.Parse(tc.kind, "# comment\n"+tc.line+"\n")
		if len(bad) != 1 || bad[0].Reason != tc.reason || bad[0].Line != 2 {
			t.Errorf("%s %q: %+v, want line 2 refused for %s", tc.kind, tc.line, bad, tc.reason)
		}
	}
	var r Rules
	if bad := r.Parse(KindPersonal, "学号 | 2020\\d{4}|S\\d{8} | block"); len(bad) != 0 || len(r.Patterns) != 1 || r.Patterns[0].Level != Block {
		t.Errorf("a pattern with | in it: %+v %+v", bad, r.Patterns)
	}
	for _, kind := range Kinds {
		var r Rules
		if bad := r.Parse(kind, Starter(kind)); len(bad) != 0 {
			t.Errorf("starter %s: %+v", kind, bad)
		}
		var back Rules
		if bad := back.Parse(kind, r.Format(kind)); len(bad) != 0 || back.Format(kind) != r.Format(kind) {
			t.Errorf("%s does not read back what it writes: %+v", kind, bad)
		}
	}
}

package i18n

import (
	"encoding/json"
	"sort"
	"strings"
	"testing"
	"unicode"
)

// chinese reports whether r is a Chinese character or full-width punctuation
// (、。“”「」（）：… and the full-width forms).
func chinese(r rune) bool {
	return unicode.Is(unicode.Han, r) || (r >= 0x3000 && r <= 0x303f) || (r >= 0xff00 && r <= 0xffef) || r == '“' || r == '”'
}

// halfWidthNextToChinese returns the first half-width , : ; ! ? ( ) or .
// that touches Chinese text (spaces between them ignored), with its
// surroundings, or "" when there is none. A full stop counts only after
// Chinese and before a space, the end or more Chinese ("2.0" and "…" are
// fine).
func halfWidthNextToChinese(s string) string {
	rs := []rune(s)
	near := func(i, step int) (rune, bool) {
		for j := i + step; j >= 0 && j < len(rs); j += step {
			if rs[j] != ' ' {
				return rs[j], true
			}
		}
		return 0, false
	}
	for i, r := range rs {
		if !strings.ContainsRune(",:;!?().", r) {
			continue
		}
		before, okb := near(i, -1)
		after, oka := near(i, 1)
		bad := (okb && chinese(before)) || (oka && chinese(after))
		if r == '.' {
			bad = okb && chinese(before) && (!oka || chinese(after) || (i+1 < len(rs) && rs[i+1] == ' '))
		}
		if bad {
			lo, hi := max(0, i-6), min(len(rs), i+7)
			return string(rs[lo:hi])
		}
	}
	return ""
}

func TestHalfWidthNextToChineseIsFound(t *testing.T) {
	for s, want := range map[string]bool{
		"搜索新闻,如:疫情": true, "日期 : 2020": true, "图片:": true, "后台(/desk)完成": true, "暂无文章.": true,
		"搜索新闻，如：疫情": false, "RSS 2.0 和 Atom": false, "%s: %v": false, "第 %d 版 → 第 %d 版": false,
		"Newsdesk (beta)": false,
	} {
		if got := halfWidthNextToChinese(s) != ""; got != want {
			t.Errorf("%q: found %v, want %v", s, got, want)
		}
	}
}

// TestChineseCatalogueUsesFullWidthPunctuation: zh-CN strings use ，：；！？（）
// next to Chinese characters, never the half-width forms. The failure
// lists every offending key, to fix in messages/zh-CN.json.
func TestChineseCatalogueUsesFullWidthPunctuation(t *testing.T) {
	b, err := files.ReadFile("messages/" + ZH + ".json")
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]string
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	var bad []string
	for k, v := range m {
		if at := halfWidthNextToChinese(v); at != "" {
			bad = append(bad, k+": …"+at+"…")
		}
	}
	sort.Strings(bad)
	if len(bad) > 0 {
		t.Errorf("%d zh-CN messages put half-width punctuation next to Chinese (use ，：；！？（）。):\n  %s", len(bad), strings.Join(bad, "\n  "))
	}
}

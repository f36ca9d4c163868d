package search

import (
	"sync"
	"unicode"

	"github.com/longbridgeapp/opencc"
	"golang.org/x/text/width"
)

// The traditional → simplified table comes from OpenCC's maintained
// dictionaries. It is used one character at a time, so folded text stays
// aligned rune for rune with the original (snippets rely on that).
var (
	t2sOnce sync.Once
	t2s     map[rune]rune
)

// cjkRanges are the blocks OpenCC's character table covers.
var cjkRanges = [][2]rune{{0x3400, 0x4DBF}, {0x4E00, 0x9FFF}, {0xF900, 0xFAFF}}

func loadT2S() {
	t2s = make(map[rune]rune, 4096)
	cc, err := opencc.New("t2s")
	if err != nil {
		return // search still works, without folding traditional characters
	}
	for _, rg := range cjkRanges {
		// Convert a block at a time: one call per character would be slow.
		var in []rune
		for r := rg[0]; r <= rg[1]; r++ {
			in = append(in, r, '\n')
		}
		out, err := cc.Convert(string(in))
		if err != nil {
			continue
		}
		o := []rune(out)
		if len(o) != len(in) {
			// A phrase rule changed the length; fall back to one by one.
			for r := rg[0]; r <= rg[1]; r++ {
				if s, err := cc.Convert(string(r)); err == nil {
					if rs := []rune(s); len(rs) == 1 && rs[0] != r {
						t2s[r] = rs[0]
					}
				}
			}
			continue
		}
		for i := 0; i < len(in); i += 2 {
			if o[i] != in[i] {
				t2s[in[i]] = o[i]
			}
		}
	}
}

// Fold maps a rune to its search form: full-width to half-width, lower case,
// traditional to simplified.
func Fold(r rune) rune {
	if r < 0x80 {
		return unicode.ToLower(r)
	}
	if p := width.LookupRune(r); p.Kind() == width.EastAsianFullwidth || p.Kind() == width.EastAsianHalfwidth {
		if f := p.Narrow(); f != 0 && p.Kind() == width.EastAsianFullwidth {
			r = f
		}
	}
	r = unicode.ToLower(r)
	if isCJK(r) {
		t2sOnce.Do(loadT2S)
		if s, ok := t2s[r]; ok {
			return s
		}
	}
	return r
}

func isCJK(r rune) bool {
	return unicode.Is(unicode.Han, r)
}

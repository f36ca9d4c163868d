package search

import (
	"html"
	"html/template"
	"strings"

	xhtml "golang.org/x/net/html"
)

// Text returns the readable text of an HTML body, blocks separated by
// newlines.
func Text(body string) string {
	z := xhtml.NewTokenizer(strings.NewReader(body))
	var b strings.Builder
	for {
		switch z.Next() {
		case xhtml.ErrorToken:
			return strings.TrimSpace(b.String())
		case xhtml.TextToken:
			b.Write(z.Text())
		case xhtml.StartTagToken, xhtml.EndTagToken:
			name, _ := z.TagName()
			switch string(name) {
			case "p", "br", "li", "h1", "h2", "h3", "h4", "tr", "figcaption", "div", "table":
				b.WriteByte('\n')
			}
		}
	}
}

// Highlight returns text as escaped HTML with every occurrence of the
// (folded) words wrapped in <mark>. Matching is on folded text, so 黨支部
// highlights 党支部 and ＡＢＣ highlights abc.
func Highlight(text string, words []string) template.HTML {
	orig := []rune(text)
	marks := matches(orig, words)
	var b strings.Builder
	in := false
	for i, r := range orig {
		if marks[i] && !in {
			b.WriteString("<mark>")
			in = true
		} else if !marks[i] && in {
			b.WriteString("</mark>")
			in = false
		}
		b.WriteString(html.EscapeString(string(r)))
	}
	if in {
		b.WriteString("</mark>")
	}
	return template.HTML(b.String())
}

// matches flags the runes of orig covered by any of words.
func matches(orig []rune, words []string) []bool {
	folded := make([]rune, len(orig))
	for i, r := range orig {
		folded[i] = Fold(r)
	}
	marks := make([]bool, len(orig))
	for _, w := range words {
		wr := []rune(w)
		if len(wr) == 0 {
			continue
		}
		for i := 0; i+len(wr) <= len(folded); i++ {
			if string(folded[i:i+len(wr)]) == w {
				for j := i; j < i+len(wr); j++ {
					marks[j] = true
				}
			}
		}
	}
	return marks
}

// Snippet returns about size runes of text around the first match of words,
// highlighted, with ellipses where it was cut.
func Snippet(text string, words []string, size int) template.HTML {
	text = strings.Join(strings.Fields(text), " ")
	orig := []rune(text)
	if len(orig) <= size {
		return Highlight(text, words)
	}
	marks := matches(orig, words)
	first := 0
	for i, m := range marks {
		if m {
			first = i
			break
		}
	}
	start := max(0, first-size/4)
	end := min(len(orig), start+size)
	start = max(0, end-size)
	out := Highlight(string(orig[start:end]), words)
	if start > 0 {
		out = "…" + out
	}
	if end < len(orig) {
		out += "…"
	}
	return out
}

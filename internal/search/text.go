package search

import (
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

// Span is a matched stretch of a text: its runes [Start, End). Rune
// offsets, not bytes, so any reader of the JSON can use them.
type Span struct {
	Start int `json:"start"`
	End   int `json:"end"`
}

// Matches returns where the (folded) words occur in text, in order,
// overlapping matches merged. Matching is on folded text, so 黨支部 matches
// 党支部 and ＡＢＣ matches abc. Rendering marks them (the HTML pages wrap
// them in <mark>).
func Matches(text string, words []string) []Span {
	return spans(matches([]rune(text), words))
}

// spans turns per-rune flags into spans.
func spans(marks []bool) []Span {
	var out []Span
	for i, m := range marks {
		switch {
		case !m:
		case len(out) > 0 && out[len(out)-1].End == i:
			out[len(out)-1].End = i + 1
		default:
			out = append(out, Span{Start: i, End: i + 1})
		}
	}
	return out
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

// SnippetText is what a hit's snippet is cut from: the summary, then the
// body without the text that repeats the summary (news bodies often open
// with the summary's sentence), so a snippet never shows it twice.
func SnippetText(summary, body string) string {
	summary = strings.Join(strings.Fields(summary), " ")
	body = strings.Join(strings.Fields(body), " ")
	if summary == "" {
		return body
	}
	return summary + " " + strings.TrimSpace(strings.Replace(body, summary, "", 1))
}

// Snippet returns about size runes of text around the first match of
// words, with ellipses where it was cut, and where the words occur in it.
func Snippet(text string, words []string, size int) (string, []Span) {
	text = strings.Join(strings.Fields(text), " ")
	orig := []rune(text)
	if len(orig) <= size {
		return text, Matches(text, words)
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
	// Matches are found again in the cut text: a word cut at an edge is
	// not marked half.
	out := string(orig[start:end])
	if start > 0 {
		out = "…" + out
	}
	if end < len(orig) {
		out += "…"
	}
	return out, Matches(out, words)
}

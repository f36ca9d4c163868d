// Package search makes Chinese text searchable without a dictionary: text is
// folded (width, case, traditional → simplified) and cut into CJK bigrams,
// single CJK characters and Latin words or numbers. The store indexes these
// tokens with its own full-text engine (SQLite FTS5, PostgreSQL tsvector) and
// matches a query's tokens as an adjacent phrase.
package search

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"newsdesk/internal/model"
	"newsdesk/internal/store"
)

// Limits that keep absurd queries cheap.
const (
	MaxQueryRunes = 200
	MaxTerms      = 8
	MaxTermTokens = 32
)

type runKind int

const (
	sep runKind = iota
	han
	word
)

func kind(r rune) runKind {
	switch {
	case isCJK(r):
		return han
	case unicode.IsLetter(r) || unicode.IsDigit(r):
		return word
	}
	return sep
}

// run is a maximal stretch of folded runes of one kind.
type run struct {
	kind  runKind
	runes []rune
}

func runs(text string) []run {
	var out []run
	for _, r := range text {
		r = Fold(r)
		k := kind(r)
		if k == sep {
			if len(out) > 0 && out[len(out)-1].kind != sep {
				out = append(out, run{kind: sep})
			}
			continue
		}
		if n := len(out); n > 0 && out[n-1].kind == k {
			out[n-1].runes = append(out[n-1].runes, r)
			continue
		}
		out = append(out, run{kind: k, runes: []rune{r}})
	}
	return out
}

// phraseTokens turns runs into the token stream of the phrase column:
// bigrams for Chinese (a lone character stands for itself), whole words
// for Latin letters and digits. Separators break phrases apart, which the
// returned slices preserve as empty strings.
func phraseTokens(rs []run) []string {
	var out []string
	for _, r := range rs {
		switch {
		case r.kind == sep:
			out = append(out, "")
		case r.kind == word:
			out = append(out, string(r.runes))
		case len(r.runes) == 1:
			out = append(out, string(r.runes))
		default:
			for i := 0; i+1 < len(r.runes); i++ {
				out = append(out, string(r.runes[i:i+2]))
			}
		}
	}
	return out
}

// Analyze returns the two token columns for a text: the phrase stream
// (bigrams and words) and the single Chinese characters.
func Analyze(text string) (phrase, chars string) {
	rs := runs(text)
	var p, c strings.Builder
	for _, t := range phraseTokens(rs) {
		if t == "" {
			continue
		}
		p.WriteString(t)
		p.WriteByte(' ')
	}
	for _, r := range rs {
		if r.kind != han {
			continue
		}
		for _, ch := range r.runes {
			c.WriteRune(ch)
			c.WriteByte(' ')
		}
	}
	return strings.TrimSpace(p.String()), strings.TrimSpace(c.String())
}

// Doc is what gets indexed for an article.
func Doc(a model.Article) store.SearchDoc {
	var d store.SearchDoc
	d.Title, d.TitleChars = Analyze(a.Kicker + " " + a.Title + " " + a.Subtitle)
	d.Body, d.BodyChars = Analyze(a.Summary + " " + Text(a.Body) + " " + credits(a.Credits))
	return d
}

func credits(c model.Credits) string {
	return strings.Join(c.Writers, " ") + " " + strings.Join(c.Photographers, " ") + " " + c.Editor + " " + c.Unit + " " + c.Source
}

// Parse turns what a reader typed into search terms, all of which must
// match. Words separated by spaces are separate terms; within a term the
// tokens must be adjacent. A single Chinese character searches the
// character column. Over-long queries are cut, never refused.
func Parse(q string) []store.SearchTerm {
	if utf8.RuneCountInString(q) > MaxQueryRunes {
		q = string([]rune(q)[:MaxQueryRunes])
	}
	var terms []store.SearchTerm
	for _, field := range strings.Fields(q) {
		rs := runs(field)
		// Punctuation inside a field splits it into separate terms.
		var cur []run
		flush := func() {
			if len(cur) == 0 || len(terms) >= MaxTerms {
				cur = nil
				return
			}
			if cur[0].kind == han && len(cur[0].runes) == 1 {
				// A lone character, or a leading one (第227讲): in the text
				// it may end a bigram (讲堂第227), so it is asked for as a
				// character on its own and the rest as the phrase.
				terms = append(terms, store.SearchTerm{Tokens: []string{string(cur[0].runes)}, Chars: true})
				if cur = cur[1:]; len(cur) == 0 || len(terms) >= MaxTerms {
					cur = nil
					return
				}
			}
			t := store.SearchTerm{Tokens: phraseTokens(cur)}
			// A trailing lone character (2020级) may begin a bigram in the
			// text (2020级学生), so it matches as a prefix.
			if last := cur[len(cur)-1]; last.kind == han && len(last.runes) == 1 {
				t.Prefix = true
			}
			if len(t.Tokens) > MaxTermTokens {
				t.Tokens = t.Tokens[:MaxTermTokens]
				t.Prefix = false
			}
			terms = append(terms, t)
			cur = nil
		}
		for _, r := range rs {
			if r.kind == sep {
				flush()
				continue
			}
			cur = append(cur, r)
		}
		flush()
	}
	return terms
}

// Words returns the folded forms of what the query asks for, longest first,
// for highlighting.
func Words(q string) []string {
	var out []string
	for _, field := range strings.Fields(q) {
		for _, r := range runs(field) {
			if r.kind != sep {
				out = append(out, string(r.runes))
			}
		}
	}
	return out
}

// Package check is 错敏检查: the content checks a story passes before it
// goes out (sensitive words, fixed expressions, leaders' names and titles,
// commonly confused words, punctuation, personal data, links and
// pictures), the rule lists the site keeps for them, the gate the
// workflow calls, and the site self-audit (网站自查).
package check

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Levels: a block finding stops the story; a warn finding needs an
// acknowledgement with a reason.
//
// Info is for typography and picture captions: shown and underlined, with
// its fix, but it never stops a story (a half-width comma is not a
// misstatement; the inspections' single veto is for serious errors).
const (
	Block = "block"
	Warn  = "warn"
	Info  = "info"
)

// Rule list kinds: each is kept as one plain text file, a rule a line.
const (
	KindWords       = "words"       // 敏感词: word | category | level
	KindExpressions = "expressions" // 规范表述: wrong → right | level
	KindLeaders     = "leaders"     // 领导姓名职务库: name | titles | precedence | from ~ to
	KindConfused    = "confused"    // 易错词: wrong → right | level
	KindPersonal    = "personal"    // 个人信息: name | regular expression | level
	KindDomains     = "domains"     // 链接白名单: a domain a line
)

// Kinds lists the rule lists in the desk's order.
var Kinds = []string{KindWords, KindExpressions, KindLeaders, KindConfused, KindPersonal, KindDomains}

// Word is a sensitive word of a category the site defines.
type Word struct {
	Text, Category, Level string
}

// Replacement is a wrong form and its right form.
type Replacement struct {
	Wrong, Right, Level string
}

// Leader is an entry of the leaders' registry: the titles the person holds
// now, their precedence (1 first) and the term of those titles.
type Leader struct {
	Name       string
	Titles     []string
	Precedence int
	From, To   time.Time // zero: open
}

// Pattern is a site pattern for personal data (student or staff numbers).
type Pattern struct {
	Name  string
	Re    *regexp.Regexp
	Level string
}

// Rules are the site's rule lists, compiled by Compile.
type Rules struct {
	Version     int
	Words       []Word
	Expressions []Replacement
	Leaders     []Leader
	Confused    []Replacement
	Patterns    []Pattern
	Domains     []string
}

// LineError is a line of a rule list that cannot work, and why (a
// catalogue key under "check.bad." and its arguments).
type LineError struct {
	Line   int
	Text   string
	Reason string
	Args   []any
}

func (e LineError) Error() string {
	return fmt.Sprintf("line %d: %s %v", e.Line, e.Reason, e.Args)
}

// lines splits a list into its rule lines (numbered from 1), leaving out
// blank lines and # comments.
func lines(text string, fn func(n int, line string)) {
	for i, l := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n") {
		l = strings.TrimSpace(strings.TrimPrefix(l, "\ufeff"))
		if l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		fn(i+1, l)
	}
}

// fields splits a line at | (either width), trimmed.
func fields(l string) []string {
	parts := strings.Split(strings.ReplaceAll(l, "｜", "|"), "|")
	for i := range parts {
		parts[i] = strings.TrimSpace(parts[i])
	}
	return parts
}

func level(s, def string) (string, bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "":
		return def, true
	case Block, "拦截", "禁止":
		return Block, true
	case Warn, "提醒", "警告":
		return Warn, true
	}
	return "", false
}

// Parse reads one rule list into rules (adding to what it holds) and
// returns the lines it refused; the good lines are kept either way.
func (r *Rules) Parse(kind, text string) []LineError {
	var bad []LineError
	fail := func(n int, l, reason string, args ...any) {
		bad = append(bad, LineError{Line: n, Text: l, Reason: reason, Args: args})
	}
	lines(text, func(n int, l string) {
		f := fields(l)
		switch kind {
		case KindWords:
			w := Word{Text: f[0], Category: "默认", Level: Block}
			if len(f) > 1 && f[1] != "" {
				w.Category = f[1]
			}
			lv, ok := Block, true
			if len(f) > 2 {
				lv, ok = level(f[2], Block)
			}
			switch {
			case len(foldWord(w.Text)) == 0:
				fail(n, l, "empty_word")
			case !ok:
				fail(n, l, "level", f[2])
			case len(f) > 3:
				fail(n, l, "fields", 3)
			default:
				w.Level = lv
				r.Words = append(r.Words, w)
			}
		case KindExpressions, KindConfused:
			wrong, right, ok := splitArrow(f[0])
			lv, lok := Warn, true
			if len(f) > 1 {
				lv, lok = level(f[1], Warn)
			}
			switch {
			case !ok:
				fail(n, l, "arrow")
			case len(foldWord(wrong)) == 0:
				fail(n, l, "empty_word")
			case foldedEqual(wrong, right):
				fail(n, l, "same")
			case !lok:
				fail(n, l, "level", f[1])
			default:
				rp := Replacement{Wrong: wrong, Right: right, Level: lv}
				if kind == KindConfused {
					r.Confused = append(r.Confused, rp)
				} else {
					r.Expressions = append(r.Expressions, rp)
				}
			}
		case KindLeaders:
			ld := Leader{Name: f[0]}
			if len(foldWord(ld.Name)) == 0 {
				fail(n, l, "no_name")
				return
			}
			if len(f) > 1 {
				for _, t := range strings.FieldsFunc(f[1], func(r rune) bool { return r == '、' || r == ',' || r == '，' || r == ';' || r == '；' }) {
					if t = strings.TrimSpace(t); t != "" {
						ld.Titles = append(ld.Titles, t)
					}
				}
			}
			if len(ld.Titles) == 0 {
				fail(n, l, "no_title")
				return
			}
			if len(f) > 2 && f[2] != "" {
				p, err := strconv.Atoi(f[2])
				if err != nil || p < 1 {
					fail(n, l, "precedence", f[2])
					return
				}
				ld.Precedence = p
			}
			if len(f) > 3 && f[3] != "" {
				from, to, ok := term(f[3])
				if !ok {
					fail(n, l, "term", f[3])
					return
				}
				ld.From, ld.To = from, to
			}
			r.Leaders = append(r.Leaders, ld)
		case KindPersonal:
			// The expression may hold | itself: the name ends at the
			// first bar, a level at the last one.
			name, expr, _ := strings.Cut(l, "|")
			name, expr = strings.TrimSpace(name), strings.TrimSpace(expr)
			f = []string{name, expr}
			if i := strings.LastIndex(expr, "|"); i >= 0 {
				if _, ok := level(expr[i+1:], ""); ok && strings.TrimSpace(expr[i+1:]) != "" {
					f = []string{name, strings.TrimSpace(expr[:i]), strings.TrimSpace(expr[i+1:])}
				}
			}
			if f[0] == "" || f[1] == "" {
				fail(n, l, "pattern_fields")
				return
			}
			re, err := regexp.Compile(f[1])
			if err != nil {
				fail(n, l, "pattern", err.Error())
				return
			}
			if re.MatchString("") {
				fail(n, l, "pattern_empty")
				return
			}
			lv, ok := Warn, true
			if len(f) > 2 {
				lv, ok = level(f[2], Warn)
			}
			if !ok {
				fail(n, l, "level", f[2])
				return
			}
			r.Patterns = append(r.Patterns, Pattern{Name: f[0], Re: re, Level: lv})
		case KindDomains:
			d := strings.ToLower(strings.TrimPrefix(strings.TrimSpace(l), "*."))
			if d == "" || strings.ContainsAny(d, " /:|") || !strings.Contains(d, ".") {
				fail(n, l, "domain")
				return
			}
			r.Domains = append(r.Domains, d)
		default:
			fail(n, l, "kind", kind)
		}
	})
	return bad
}

// splitArrow splits "wrong → right" (also -> and =>).
func splitArrow(s string) (string, string, bool) {
	for _, sep := range []string{"→", "->", "=>", "⇒"} {
		if w, r, ok := strings.Cut(s, sep); ok {
			w, r = strings.TrimSpace(w), strings.TrimSpace(r)
			return w, r, r != ""
		}
	}
	return "", "", false
}

func foldedEqual(a, b string) bool { return slices.Equal(foldWord(a), foldWord(b)) }

// term reads "2020-01-01 ~ 2025-12-31" (either end may be empty).
func term(s string) (time.Time, time.Time, bool) {
	a, b, ok := strings.Cut(strings.ReplaceAll(s, "～", "~"), "~")
	if !ok {
		a, b = s, ""
	}
	var from, to time.Time
	var err error
	if a = strings.TrimSpace(a); a != "" {
		if from, err = time.Parse(time.DateOnly, a); err != nil {
			return from, to, false
		}
	}
	if b = strings.TrimSpace(b); b != "" {
		if to, err = time.Parse(time.DateOnly, b); err != nil {
			return from, to, false
		}
	}
	return from, to, to.IsZero() || !to.Before(from)
}

// Format writes one rule list back as text, as Parse reads it.
func (r *Rules) Format(kind string) string {
	var b strings.Builder
	switch kind {
	case KindWords:
		for _, w := range r.Words {
			fmt.Fprintf(&b, "%s | %s | %s\n", w.Text, w.Category, w.Level)
		}
	case KindExpressions, KindConfused:
		list := r.Expressions
		if kind == KindConfused {
			list = r.Confused
		}
		for _, x := range list {
			fmt.Fprintf(&b, "%s → %s | %s\n", x.Wrong, x.Right, x.Level)
		}
	case KindLeaders:
		for _, l := range r.Leaders {
			t := ""
			if !l.From.IsZero() || !l.To.IsZero() {
				t = date(l.From) + " ~ " + date(l.To)
			}
			p := ""
			if l.Precedence > 0 {
				p = strconv.Itoa(l.Precedence)
			}
			fmt.Fprintf(&b, "%s | %s | %s | %s\n", l.Name, strings.Join(l.Titles, "、"), p, t)
		}
	case KindPersonal:
		for _, p := range r.Patterns {
			fmt.Fprintf(&b, "%s | %s | %s\n", p.Name, p.Re.String(), p.Level)
		}
	case KindDomains:
		for _, d := range r.Domains {
			b.WriteString(d + "\n")
		}
	}
	return b.String()
}

func date(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.DateOnly)
}

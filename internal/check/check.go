package check

import (
	"cmp"
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode"
)

// Categories of findings (catalogue keys "check.cat.<category>" name them;
// a sensitive word's category is the site's own and shown as written).
const (
	CatExpression  = "expression"
	CatLeader      = "leader"
	CatConfused    = "confused"
	CatPunctuation = "punctuation"
	CatPersonal    = "personal"
	CatLink        = "link"
	CatPicture     = "picture"
)

// Finding is one problem found: which rule, how serious, where in the
// plain text (rune offsets [Start, End)), what was matched and the
// suggested replacement ("" with Fix false: no fix offered).
type Finding struct {
	Rule       string `json:"rule"`
	Kind       string `json:"kind"`
	Category   string `json:"category"`
	Level      string `json:"level"`
	Start      int    `json:"start"`
	End        int    `json:"end"`
	Text       string `json:"text"`
	Suggestion string `json:"suggestion"`
	Fix        bool   `json:"fix"`
	// Message is a catalogue key under "check.msg." for what is wrong.
	Message string `json:"message"`
}

// Key names a finding independently of where it stands: an acknowledgement
// covers the finding wherever the text moves it.
func (f Finding) Key() string { return f.Rule + "\x1f" + f.Text }

// Options are what a check needs to know beyond the rules.
type Options struct {
	// SiteURL is the site's base address: its host is always allowed, and
	// an https site flags http: links.
	SiteURL string
	// Now dates the leaders' terms.
	Now time.Time
}

// ref is what a pattern of the automaton stands for.
type ref struct {
	kind  string // KindWords, KindExpressions, KindConfused, "allow", "leader", "title"
	index int
}

// Checker is a compiled rule set, safe for concurrent use.
type Checker struct {
	rules   Rules
	ac      *automaton
	refs    [][]ref
	domains []string
}

// Compile builds the checker of a rule set.
func Compile(r Rules) *Checker {
	c := &Checker{rules: r, domains: r.Domains}
	var patterns [][]rune
	ids := map[string]int{}
	add := func(word string, rf ref) {
		p := foldWord(word)
		if len(p) == 0 {
			return
		}
		id, ok := ids[string(p)]
		if !ok {
			id = len(patterns)
			ids[string(p)] = id
			patterns = append(patterns, p)
			c.refs = append(c.refs, nil)
		}
		c.refs[id] = append(c.refs[id], rf)
	}
	for i, w := range r.Words {
		add(w.Text, ref{KindWords, i})
	}
	for i, x := range r.Expressions {
		add(x.Wrong, ref{KindExpressions, i})
		add(x.Right, ref{"allow", 0})
	}
	for i, x := range r.Confused {
		add(x.Wrong, ref{KindConfused, i})
		add(x.Right, ref{"allow", 0})
	}
	for i, l := range r.Leaders {
		add(l.Name, ref{"leader", i})
		for _, t := range l.Titles {
			add(t, ref{"title", 0})
		}
	}
	c.ac = build(patterns)
	return c
}

// Rules returns the rule set the checker was compiled from.
func (c *Checker) Rules() Rules { return c.rules }

// Check returns the findings of a document, by offset.
func (c *Checker) Check(d Doc, o Options) []Finding {
	if o.Now.IsZero() {
		o.Now = time.Now()
	}
	var out []Finding
	out = append(out, c.words(d.Text, o)...)
	out = append(out, punctuation(d.Text)...)
	out = append(out, c.personal(d.Text)...)
	out = append(out, c.links(d, o)...)
	slices.SortStableFunc(out, func(a, b Finding) int {
		return cmp.Or(cmp.Compare(a.Start, b.Start), cmp.Compare(b.End, a.End))
	})
	return out
}

// hit is a word match mapped back to the original text.
type hit struct {
	ref        ref
	start, end int // original runes
	fs, fe     int // folded runes
}

func (c *Checker) words(text []rune, o Options) []Finding {
	f := fold(text)
	var hits []hit
	c.ac.find(f.runes, func(m match) {
		for _, rf := range c.refs[m.id] {
			hits = append(hits, hit{ref: rf, start: int(f.pos[m.start]), end: int(f.pos[m.end-1]) + 1, fs: int(m.start), fe: int(m.end)})
		}
	})
	var out []Finding
	var names, titles, allows []hit
	for _, h := range hits {
		if h.ref.kind == "allow" {
			allows = append(allows, h)
		}
	}
	allowed := func(h hit) bool {
		for _, a := range allows {
			if a.fs <= h.fs && a.fe >= h.fe && (a.fe-a.fs) > (h.fe-h.fs) {
				return true
			}
		}
		return false
	}
	for _, h := range hits {
		switch h.ref.kind {
		case KindWords:
			w := c.rules.Words[h.ref.index]
			out = append(out, Finding{Rule: "word:" + w.Text, Kind: KindWords, Category: w.Category, Level: w.Level,
				Start: h.start, End: h.end, Text: string(text[h.start:h.end]), Message: "word"})
		case KindExpressions, KindConfused:
			x, cat := c.rules.Expressions, CatExpression
			if h.ref.kind == KindConfused {
				x, cat = c.rules.Confused, CatConfused
			}
			rp := x[h.ref.index]
			if allowed(h) {
				continue
			}
			out = append(out, Finding{Rule: h.ref.kind + ":" + rp.Wrong, Kind: h.ref.kind, Category: cat, Level: rp.Level,
				Start: h.start, End: h.end, Text: string(text[h.start:h.end]), Suggestion: rp.Right, Fix: true, Message: cat})
		case "leader":
			names = append(names, h)
		case "title":
			titles = append(titles, h)
		}
	}
	return append(out, c.leaders(text, names, titles, o)...)
}

// leaders flags a registered name next to a title that is not (or no
// longer) theirs, and names listed out of precedence within one sentence.
func (c *Checker) leaders(text []rune, names, titles []hit, o Options) []Finding {
	var out []Finding
	for _, n := range names {
		l := c.rules.Leaders[n.ref.index]
		expired := !l.To.IsZero() && o.Now.After(l.To.AddDate(0, 0, 1))
		for _, t := range titles {
			// A title written right before the name (校长张三) or right
			// after it (张三校长), in the folded text.
			if t.fe != n.fs && t.fs != n.fe {
				continue
			}
			title := string(text[t.start:t.end])
			if t.fs < n.fe && t.fe > n.fs { // overlapping: not beside it
				continue
			}
			own := slices.ContainsFunc(l.Titles, func(x string) bool { return foldedEqual(x, title) })
			if own && !expired {
				continue
			}
			start, end := min(t.start, n.start), max(t.end, n.end)
			sug := ""
			if len(l.Titles) > 0 && !expired {
				if t.fe == n.fs {
					sug = l.Titles[0] + l.Name
				} else {
					sug = l.Name + l.Titles[0]
				}
			}
			msg := "leader_title"
			if own {
				msg = "leader_expired"
			}
			out = append(out, Finding{Rule: "leader:" + l.Name, Kind: KindLeaders, Category: CatLeader, Level: Block,
				Start: start, End: end, Text: string(text[start:end]), Suggestion: sug, Fix: sug != "", Message: msg})
		}
	}
	// Precedence: names of one sentence in reading order.
	slices.SortFunc(names, func(a, b hit) int { return cmp.Compare(a.start, b.start) })
	for i := 0; i < len(names); {
		j := i + 1
		for j < len(names) && !sentenceEnd(text[names[j-1].end:names[j].start]) {
			j++
		}
		group := names[i:j]
		for k := 1; k < len(group); k++ {
			a, b := c.rules.Leaders[group[k-1].ref.index], c.rules.Leaders[group[k].ref.index]
			if a.Precedence > 0 && b.Precedence > 0 && b.Precedence < a.Precedence {
				ordered := slices.Clone(group)
				slices.SortStableFunc(ordered, func(x, y hit) int {
					return cmp.Compare(c.rules.Leaders[x.ref.index].Precedence, c.rules.Leaders[y.ref.index].Precedence)
				})
				var sug []string
				for _, h := range ordered {
					sug = append(sug, c.rules.Leaders[h.ref.index].Name)
				}
				start, end := group[0].start, group[len(group)-1].end
				out = append(out, Finding{Rule: "leader:order", Kind: KindLeaders, Category: CatLeader, Level: Warn,
					Start: start, End: end, Text: string(text[start:end]), Suggestion: strings.Join(sug, "、"), Message: "leader_order"})
				break
			}
		}
		i = j
	}
	return out
}

func sentenceEnd(between []rune) bool {
	return slices.ContainsFunc(between, func(r rune) bool { return strings.ContainsRune("。！？!?\n；;", r) })
}

// links flags links outside the allow-list, http: links on an https
// site, and pictures without alt text, caption or photographer.
func (c *Checker) links(d Doc, o Options) []Finding {
	var out []Finding
	site, _ := url.Parse(o.SiteURL)
	for _, l := range d.Links {
		u, err := url.Parse(strings.TrimSpace(l.Href))
		if err != nil || u.Host == "" {
			continue // relative: the site's own
		}
		host := strings.ToLower(u.Hostname())
		if site != nil && site.Scheme == "https" && u.Scheme == "http" {
			out = append(out, Finding{Rule: "link:http", Kind: KindDomains, Category: CatLink, Level: Warn, Start: l.At, End: l.At,
				Text: l.Href, Suggestion: "https" + strings.TrimPrefix(l.Href, "http"), Message: "link_http"})
		}
		if len(c.domains) > 0 && !c.allowedHost(host, site) {
			out = append(out, Finding{Rule: "link:domain", Kind: KindDomains, Category: CatLink, Level: Warn, Start: l.At, End: l.At,
				Text: l.Href, Message: "link_domain"})
		}
	}
	credited := len(d.Photographers) > 0
	for _, p := range d.Pictures {
		switch {
		case p.Alt == "":
			out = append(out, Finding{Rule: "picture:alt", Kind: "pictures", Category: CatPicture, Level: Warn, Start: p.At, End: p.At, Text: p.Src, Message: "picture_alt"})
		case p.InFigure && p.Caption == "":
			out = append(out, Finding{Rule: "picture:caption", Kind: "pictures", Category: CatPicture, Level: Info, Start: p.At, End: p.At, Text: p.Src, Message: "picture_caption"})
		}
		if !credited && !strings.ContainsAny(p.Caption, "摄图") {
			out = append(out, Finding{Rule: "picture:credit", Kind: "pictures", Category: CatPicture, Level: Info, Start: p.At, End: p.At, Text: p.Src, Message: "picture_credit"})
		}
	}
	return out
}

func (c *Checker) allowedHost(host string, site *url.URL) bool {
	if site != nil && strings.EqualFold(site.Hostname(), host) {
		return true
	}
	for _, d := range c.domains {
		if host == d || strings.HasSuffix(host, "."+d) {
			return true
		}
	}
	return false
}

func isHan(r rune) bool { return unicode.Is(unicode.Han, r) }

package check

import (
	"strings"
	"sync"
	"unicode"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"newsdesk/internal/search"
)

// Doc is what the checks read: the plain text (offsets of findings are
// rune offsets into it), and the links and pictures of the HTML it came
// from, each at the offset where it starts in the text.
type Doc struct {
	Text     []rune
	Links    []Link
	Pictures []Picture
	// Photographers are the story's 图片/摄影 credits.
	Photographers []string
}

// Link is an <a href> of the body.
type Link struct {
	Href string
	At   int
}

// Picture is an <img> of the body, with the caption of its figure.
type Picture struct {
	Src, Alt string
	Caption  string
	InFigure bool
	At       int
}

// blocks end a line of the plain text, as search.Text does.
var blocks = map[atom.Atom]bool{atom.P: true, atom.Br: true, atom.Li: true, atom.H1: true, atom.H2: true, atom.H3: true,
	atom.H4: true, atom.H5: true, atom.H6: true, atom.Tr: true, atom.Figcaption: true, atom.Div: true, atom.Table: true,
	atom.Blockquote: true, atom.Figure: true}

// FromText is a Doc of plain text (the live editor's, a text file).
func FromText(s string) Doc { return Doc{Text: []rune(s)} }

// FromHTML reads an HTML body (or a whole page) into a Doc.
func FromHTML(body string) Doc {
	var d Doc
	nodes, err := html.ParseFragment(strings.NewReader(body), &html.Node{Type: html.ElementNode, Data: "body", DataAtom: atom.Body})
	if err != nil {
		return FromText(body)
	}
	var walk func(n *html.Node, fig *Picture)
	newline := func() {
		if len(d.Text) > 0 && d.Text[len(d.Text)-1] != '\n' {
			d.Text = append(d.Text, '\n')
		}
	}
	walk = func(n *html.Node, fig *Picture) {
		switch n.Type {
		case html.TextNode:
			d.Text = append(d.Text, []rune(n.Data)...)
			return
		case html.ElementNode:
			switch n.DataAtom {
			case atom.Script, atom.Style, atom.Head, atom.Title:
				return
			case atom.A:
				d.Links = append(d.Links, Link{Href: attr(n, "href"), At: len(d.Text)})
			case atom.Img:
				d.Pictures = append(d.Pictures, Picture{Src: attr(n, "src"), Alt: strings.TrimSpace(attr(n, "alt")), At: len(d.Text), InFigure: fig != nil})
			case atom.Figure:
				start := len(d.Pictures)
				newline()
				for c := n.FirstChild; c != nil; c = c.NextSibling {
					walk(c, &Picture{})
				}
				cap := strings.TrimSpace(captionOf(n))
				for i := start; i < len(d.Pictures); i++ {
					d.Pictures[i].Caption = cap
				}
				newline()
				return
			}
			if blocks[n.DataAtom] {
				newline()
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, fig)
		}
		if n.Type == html.ElementNode && blocks[n.DataAtom] {
			newline()
		}
	}
	for _, n := range nodes {
		walk(n, nil)
	}
	for len(d.Text) > 0 && d.Text[len(d.Text)-1] == '\n' {
		d.Text = d.Text[:len(d.Text)-1]
	}
	return d
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func captionOf(fig *html.Node) string {
	var b strings.Builder
	var text func(n *html.Node)
	text = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			text(c)
		}
	}
	for c := fig.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode && c.DataAtom == atom.Figcaption {
			text(c)
		}
	}
	return b.String()
}

// folded is text prepared for word matching: every rune folded as search
// does (full-width → half-width, lower case, traditional → simplified, one
// rune for one, so offsets map back), separators (spaces, punctuation,
// symbols) left out so that 敏 感 and 敏-感 match 敏感; pos maps each
// folded rune back to its offset in the original.
type folded struct {
	runes []rune
	pos   []int32
}

// isSeparator reports the runes that word matching sees through.
func isSeparator(r rune) bool {
	return unicode.IsSpace(r) || unicode.IsPunct(r) || unicode.IsSymbol(r) || r == '\u200b' || r == '\ufeff'
}

// cjkFold caches search.Fold over the CJK block, where nearly all of a
// Chinese story's runes are: one array read instead of width, case and
// traditional-character look-ups per rune.
var (
	cjkFoldOnce sync.Once
	cjkFold     []rune
)

const cjkFirst, cjkLast = 0x4E00, 0x9FFF

func foldRune(r rune) rune {
	if r >= cjkFirst && r <= cjkLast {
		cjkFoldOnce.Do(func() {
			cjkFold = make([]rune, cjkLast-cjkFirst+1)
			for i := range cjkFold {
				cjkFold[i] = search.Fold(rune(cjkFirst + i))
			}
		})
		return cjkFold[r-cjkFirst]
	}
	return search.Fold(r)
}

func fold(text []rune) folded {
	f := folded{runes: make([]rune, 0, len(text)), pos: make([]int32, 0, len(text))}
	for i, r := range text {
		r = foldRune(r)
		if (r < cjkFirst || r > cjkLast) && isSeparator(r) {
			continue
		}
		f.runes = append(f.runes, r)
		f.pos = append(f.pos, int32(i))
	}
	return f
}

// foldWord is a rule's word as the automaton holds it.
func foldWord(s string) []rune {
	return fold([]rune(s)).runes
}

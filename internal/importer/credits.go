package importer

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"newsdesk/internal/model"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// creditLabel finds the labels of the credit lines that close a Chinese
// news story: 图片:刘孟秋 曹文玥, 摄影：…, 文字/…, 责任编辑：…, 来源：… —
// with a half- or full-width colon or a slash, at the start of a line or
// after a space or an opening bracket. Longer labels come first, so that
// 图片 is not read as 图 (Go's alternation takes the first that matches).
var creditLabel = regexp.MustCompile(`(?:^|[\s\x{3000}（(【\[，,；;|])(图片|摄影|图|文字|文|记者|通讯员|责任编辑|责编|编辑|来源|供稿单位|供稿)\s*[:：/／]\s*`)

// maxCreditLine bounds a credit paragraph: longer text is the story's.
const maxCreditLine = 120

// ReadCredits takes the credit lines off the end of a body (paragraphs
// that hold only labelled credits, as the seed page ends with
// "图片:刘孟秋 曹文玥") and returns the body without them and the credits
// they name. A body without such lines comes back as it was.
func ReadCredits(body string) (string, model.Credits) {
	var cr model.Credits
	ctx := &html.Node{Type: html.ElementNode, Data: "body", DataAtom: atom.Body}
	nodes, err := html.ParseFragment(strings.NewReader(body), ctx)
	if err != nil || len(nodes) == 0 {
		return body, cr
	}
	end := len(nodes)
	found := false
	for end > 0 {
		n := nodes[end-1]
		text := strings.TrimSpace(nodeText(n))
		if text == "" && !hasImage(n) {
			end--
			continue
		}
		if !addCredits(&cr, text) {
			break
		}
		found = true
		end--
	}
	if !found {
		return body, model.Credits{}
	}
	var b strings.Builder
	for _, n := range nodes[:end] {
		if err := html.Render(&b, n); err != nil {
			return body, model.Credits{}
		}
	}
	return b.String(), cr
}

// CreditsFromText reads credit lines from plain text (a crawled page's
// closing lines), each line on its own; lines that are not credits are
// ignored.
func CreditsFromText(text string) model.Credits {
	var cr model.Credits
	for _, line := range strings.Split(text, "\n") {
		addCredits(&cr, strings.TrimSpace(line))
	}
	return cr
}

// addCredits adds the credits of a paragraph to cr when it holds nothing
// but labelled credits, one or several, on one line or several, and
// reports whether it did.
func addCredits(cr *model.Credits, text string) bool {
	text = strings.Trim(text, "（）()【】[] \u3000")
	if text == "" || utf8.RuneCountInString(text) > maxCreditLine {
		return false
	}
	locs := creditLabel.FindAllStringSubmatchIndex(text, -1)
	if len(locs) == 0 || strings.TrimSpace(text[:locs[0][2]]) != "" {
		return false
	}
	var next model.Credits = *cr
	for i, loc := range locs {
		label := text[loc[2]:loc[3]]
		stop := len(text)
		if i+1 < len(locs) {
			stop = locs[i+1][2]
		}
		value := strings.Trim(text[loc[1]:stop], "（）()【】[] \u3000\n\t，,；;|")
		if value == "" {
			return false
		}
		switch label {
		case "图片", "摄影", "图":
			next.Photographers = append(next.Photographers, names(value)...)
		case "文字", "文", "记者", "通讯员":
			next.Writers = append(next.Writers, names(value)...)
		case "责任编辑", "责编", "编辑":
			next.Editor = strings.Join(names(value), " ")
		case "来源":
			next.Source = value
		case "供稿单位", "供稿":
			next.Unit = value
		}
	}
	*cr = next
	return true
}

// names splits a list of people: spaces (half- and full-width), 、，,；;
// and slashes separate them.
func names(v string) []string {
	return strings.FieldsFunc(v, func(r rune) bool {
		return unicode.IsSpace(r) || strings.ContainsRune("、，,；;/／|", r)
	})
}

// nodeText is the text of n with line breaks where <br> and blocks are.
func nodeText(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		switch {
		case n.Type == html.TextNode:
			b.WriteString(n.Data)
		case n.Type == html.ElementNode && (n.DataAtom == atom.Br || n.DataAtom == atom.P || n.DataAtom == atom.Div):
			b.WriteString("\n")
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return b.String()
}

// hasImage reports whether n holds a picture (a paragraph of one photo
// is not empty).
func hasImage(n *html.Node) bool {
	if n.Type == html.ElementNode && n.DataAtom == atom.Img {
		return true
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if hasImage(c) {
			return true
		}
	}
	return false
}

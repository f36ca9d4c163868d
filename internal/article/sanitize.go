package article

import (
	"regexp"
	"strings"

	"github.com/microcosm-cc/bluemonday"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"newsdesk/internal/media"
)

// policy allows what a news body needs — paragraphs, headings, lists, tables,
// emphasis, links and figures with images — and nothing that can run script.
var policy = func() *bluemonday.Policy {
	p := bluemonday.UGCPolicy()
	p.AllowElements("figure", "figcaption", "picture", "source")
	p.AllowAttrs("srcset", "sizes", "type").OnElements("source")
	p.AllowAttrs("srcset", "sizes", "loading", "decoding").OnElements("img")
	// UGCPolicy only allows ASCII-ish punctuation in alt and title, which
	// would drop Chinese alt text; any value is safe once escaped.
	p.AllowAttrs("alt", "title").OnElements("img")
	p.AllowAttrs("class").Matching(regexp.MustCompile(`^[a-z][a-z0-9 -]*$`)).OnElements("figure", "p", "table", "img")
	// Video: the library's own MP4 with its poster, and nothing else a
	// video element can carry (no autoplay, no outside source, no tracks);
	// videos() then writes each as VideoHTML does.
	own := regexp.MustCompile(`^/media/[0-9]+/[^\s"'<>]+$`)
	p.AllowElements("video")
	p.AllowAttrs("src", "poster").Matching(own).OnElements("video")
	p.RequireNoFollowOnLinks(false)
	return p
}()

// Sanitize returns body with everything outside the allow-list removed.
func Sanitize(body string) string {
	out := policy.Sanitize(body)
	if strings.Contains(out, "<video") {
		out = videos(out)
	}
	return out
}

// videos writes every video element of a sanitised body in the one form
// the site shows — <video controls preload="metadata" poster=… src=…>,
// empty — and drops one without a library file to play.
func videos(body string) string {
	ctx := &html.Node{Type: html.ElementNode, Data: "body", DataAtom: atom.Body}
	nodes, err := html.ParseFragment(strings.NewReader(body), ctx)
	if err != nil {
		return ""
	}
	for _, n := range nodes {
		ctx.AppendChild(n)
	}
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil; {
			next := c.NextSibling
			if c.Type == html.ElementNode && c.DataAtom == atom.Video {
				var src, poster string
				for _, a := range c.Attr {
					switch {
					case a.Key == "src" && media.FileID(a.Val) != 0:
						src = a.Val
					case a.Key == "poster" && media.FileID(a.Val) != 0:
						poster = a.Val
					}
				}
				if src == "" {
					n.RemoveChild(c)
				} else {
					for k := c.FirstChild; k != nil; k = c.FirstChild {
						c.RemoveChild(k)
					}
					c.Attr = []html.Attribute{{Key: "controls"}, {Key: "preload", Val: "metadata"}}
					if poster != "" {
						c.Attr = append(c.Attr, html.Attribute{Key: "poster", Val: poster})
					}
					c.Attr = append(c.Attr, html.Attribute{Key: "src", Val: src})
				}
			} else {
				walk(c)
			}
			c = next
		}
	}
	walk(ctx)
	var b strings.Builder
	for c := ctx.FirstChild; c != nil; c = c.NextSibling {
		if err := html.Render(&b, c); err != nil {
			return ""
		}
	}
	return b.String()
}

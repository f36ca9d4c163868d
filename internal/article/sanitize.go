package article

import (
	"regexp"

	"github.com/microcosm-cc/bluemonday"
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
	p.RequireNoFollowOnLinks(false)
	return p
}()

// Sanitize returns body with everything outside the allow-list removed.
func Sanitize(body string) string { return policy.Sanitize(body) }

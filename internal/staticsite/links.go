package staticsite

import (
	"context"
	"errors"
	"net/http"
	"regexp"
	"strings"
)

// articleLink finds the links to the site's articles in a page, a feed or
// a sitemap: /articles/N right after a quote or the site's address, ended
// by a quote, a tag, a query or a fragment.
var articleLink = regexp.MustCompile(`/articles/([0-9]+)(?:["'<?#]|$)`)

// linked writes first every article a list, feed or sitemap links to that
// the folder does not have yet. Update lists the public stories when it
// starts; a story published while it runs is on the lists it renders
// later, and without this the folder would link to it until the next
// update (a reader's 404, found by TestReaderCrawlingDuringABurstOfPublishes).
// A link to a story that is not public (a body naming a withdrawn one) is
// left alone.
func (x *export) linked(ctx context.Context, u string, body []byte) error {
	if articleID(File(u, 0, true)) != 0 {
		return nil // an article's previous/next/related are listed already
	}
	for _, m := range articleLink.FindAllSubmatch(body, -1) {
		ref := "/articles/" + string(m[1])
		x.mu.Lock()
		_, have := x.sums[File(ref, 0, true)]
		x.mu.Unlock()
		if have {
			continue
		}
		err := x.ensure(ctx, ref)
		var gone *statusError
		if errors.As(err, &gone) && gone.code == http.StatusNotFound {
			continue
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// linksArticles says whether a content type can link to articles.
func linksArticles(ctype string) bool {
	return strings.HasPrefix(ctype, "text/html") || strings.Contains(ctype, "xml")
}

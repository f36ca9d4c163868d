package importer

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strings"
	"time"

	"newsdesk/internal/model"

	"github.com/mmcdole/gofeed"
)

// maxFeed bounds one feed document.
const maxFeed = 64 << 20

// nextLink finds a feed's link to its next page (RFC 5005 paging, as
// <atom:link rel="next"> in RSS or <link rel="next"> in Atom), which the
// parsed feed does not keep.
var nextLink = regexp.MustCompile(`<(?:atom:)?link\b[^>]*\brel=["']next["'][^>]*>`)
var hrefAttr = regexp.MustCompile(`\bhref=["']([^"']+)["']`)

// ReadFeed reads an RSS 2.0 or Atom feed from a file or an http(s)
// address, following its next-page links up to maxPages pages, and
// returns its entries as stories and the source they are recorded under.
// A document that is no feed is a *FileError naming it; nothing is
// returned from a feed whose any page fails.
func ReadFeed(ctx context.Context, src string, maxPages int, client *http.Client) (*Parsed, string, error) {
	if client == nil {
		client = &http.Client{Timeout: 30 * time.Second}
	}
	p := &Parsed{}
	source := ""
	seen := map[string]bool{}
	cats := map[string]bool{}
	for page, addr := 1, src; addr != "" && page <= maxPages; page++ {
		if seen[addr] {
			break
		}
		seen[addr] = true
		data, err := readSource(ctx, client, addr)
		if err != nil {
			return nil, "", &FileError{File: addr, Err: err, Why: reasonOf(err)}
		}
		f, err := gofeed.NewParser().Parse(bytes.NewReader(data))
		if err != nil {
			return nil, "", &FileError{File: addr, Err: err, Why: because("import.file.not_feed", err.Error())}
		}
		if source == "" {
			p.Title, p.Link = f.Title, f.Link
			source = "feed:" + src
			if f.Link != "" {
				source = "feed:" + f.Link
			}
		}
		for i, e := range f.Items {
			where := fmt.Sprintf("%s#%d", addr, i+1)
			it, why := feedItem(e, where)
			if why != "" {
				p.Skipped = append(p.Skipped, Skip{Where: where, What: firstOf(e.Title, e.Link, e.GUID), Why: because(why)})
				continue
			}
			if it.Column != "" && !cats[it.Column] {
				cats[it.Column] = true
				p.Categories = append(p.Categories, Category{Key: it.Column, Name: it.Column})
			}
			p.Items = append(p.Items, it)
		}
		addr = ""
		if m := nextLink.Find(data); m != nil {
			if h := hrefAttr.FindSubmatch(m); h != nil {
				addr = resolve(src, string(h[1]))
			}
		}
	}
	return p, source, nil
}

// feedItem is a feed entry as a story, or why it is left out.
func feedItem(e *gofeed.Item, where string) (Item, string) {
	it := Item{Original: firstOf(e.GUID, e.Link), Link: e.Link, Kind: KindPost, Title: unescape(e.Title), Status: model.StatusPublished, Where: where, Images: map[string]ImageInfo{}}
	switch {
	case it.Title == "":
		return it, "import.skip.no_title"
	case it.Original == "":
		return it, "import.skip.no_id"
	}
	switch {
	case e.PublishedParsed != nil:
		it.PublishedAt = e.PublishedParsed.UTC()
	case e.UpdatedParsed != nil:
		it.PublishedAt = e.UpdatedParsed.UTC()
	default:
		return it, "import.skip.no_date"
	}
	it.Body = e.Content
	if strings.TrimSpace(it.Body) == "" {
		it.Body = e.Description
	} else {
		it.Summary = e.Description
	}
	if !strings.Contains(it.Body, "<") {
		it.Body = autop(it.Body)
	}
	if e.Author != nil {
		it.Author = e.Author.Name
	} else if len(e.Authors) > 0 {
		it.Author = e.Authors[0].Name
	}
	if len(e.Categories) > 0 {
		it.Column = strings.TrimSpace(e.Categories[0])
	}
	if e.Image != nil && e.Image.URL != "" {
		it.Lead = e.Image.URL
	}
	for _, enc := range e.Enclosures {
		if it.Lead == "" && strings.HasPrefix(enc.Type, "image/") {
			it.Lead = enc.URL
		}
	}
	return it, ""
}

func firstOf(vs ...string) string {
	for _, v := range vs {
		if v = strings.TrimSpace(v); v != "" {
			return v
		}
	}
	return ""
}

// resolve makes ref absolute against base (an address or a file).
func resolve(base, ref string) string {
	b, err := url.Parse(base)
	if err != nil {
		return ref
	}
	r, err := url.Parse(ref)
	if err != nil {
		return ref
	}
	return b.ResolveReference(r).String()
}

// readSource reads a file, or fetches an http(s) address.
func readSource(ctx context.Context, client *http.Client, src string) ([]byte, error) {
	if !strings.HasPrefix(src, "http://") && !strings.HasPrefix(src, "https://") {
		return os.ReadFile(src)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, src, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("User-Agent", UserAgent)
	res, err := client.Do(req)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return nil, &statusError{res.StatusCode}
	}
	b, err := io.ReadAll(io.LimitReader(res.Body, maxFeed+1))
	if err != nil {
		return nil, err
	}
	if len(b) > maxFeed {
		return nil, &tooLargeError{maxFeed >> 20}
	}
	return b, nil
}

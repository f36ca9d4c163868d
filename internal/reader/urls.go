package reader

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"newsdesk/internal/model"
	"newsdesk/internal/site"
)

// Every public address of the site is built here, so the routes, the pages
// that link to them, the feeds, the sitemaps, the JSON API and a static
// export agree on one scheme. Paths are site-relative; Abs adds the base.

// Fixed public paths.
const (
	HomeURL       = "/"
	SitemapURL    = "/sitemap"     // 网站地图 for people
	SitemapXMLURL = "/sitemap.xml" // for search engines
	RobotsURL     = "/robots.txt"
	FeedsURL      = "/feeds" // the feed directory
	SubmitURL     = "/submit"
	SearchPath    = "/search"
	OpenSearchURL = "/opensearch.xml"
	HelpURL       = "/help"
	// FaviconICO and FaviconSVG are the site's icon: the one set in the
	// desk, else one made from the site's name.
	FaviconICO = "/favicon.ico"
	FaviconSVG = "/favicon.svg"
	// DeskURL is where contributors sign in to write.
	DeskURL = "/desk/"
)

// ArticleURL is an article's permanent link.
func ArticleURL(id int64) string { return "/articles/" + strconv.FormatInt(id, 10) }

// ColumnURL is a column's list, or its archive of a year (month 0) or of
// a month (year and month), at a page (0 the first; see DeepPages).
func ColumnURL(slug string, year, month, page int) string {
	u := "/columns/" + url.PathEscape(slug)
	if year != 0 {
		u += "/" + strconv.Itoa(year)
		if month != 0 {
			u += fmt.Sprintf("/%02d", month)
		}
	}
	if page > 0 {
		u += "?page=" + strconv.Itoa(page)
	}
	return u
}

// SlotURL is the full list of a slot (focus, recommended) at a page.
func SlotURL(slot string, page int) string { return withPage("/"+url.PathEscape(slot), page) }

// FeedURL is the site's feed (slug "") or a column's, in format "rss" or "atom".
func FeedURL(slug, format string) string {
	name := "/" + format + ".xml"
	if slug == "" {
		return name
	}
	return "/columns/" + url.PathEscape(slug) + name
}

// PageURL is an editor page; the help page has its own short address.
func PageURL(slug string) string {
	if slug == site.PageHelp {
		return HelpURL
	}
	return "/pages/" + url.PathEscape(slug)
}

// SitemapPartURL is part i (1-based) of a sitemap split into an index.
func SitemapPartURL(i int) string { return "/sitemaps/" + strconv.Itoa(i) + ".xml" }

// SearchURL is a search with its filters at a page; empty filters are left out.
func SearchURL(p SearchParams) string {
	v := url.Values{}
	v.Set("q", p.Query)
	for k, val := range map[string]string{"column": p.Column, "from": p.From, "to": p.To, "sort": p.Sort} {
		if val != "" {
			v.Set(k, val)
		}
	}
	u := SearchPath + "?" + v.Encode()
	if p.Page > 1 {
		u += "&page=" + strconv.Itoa(p.Page)
	}
	return u
}

// Abs makes a site path absolute on the site at base, unless it is
// absolute already (media on a CDN).
func Abs(base, p string) string {
	if strings.HasPrefix(p, "https://") || strings.HasPrefix(p, "http://") {
		return p
	}
	return base + p
}

// withPage adds ?page=N to a list's address past its first page.
func withPage(u string, page int) string {
	if page <= 1 {
		return u
	}
	return u + "?page=" + strconv.Itoa(page)
}

// columnOf is the address of a column's first page.
func columnOf(c model.Column) string { return ColumnURL(c.Slug, 0, 0, 0) }

package feed

import (
	"encoding/xml"
	"fmt"
	"time"
)

// MaxSitemapURLs is the sitemaps.org limit of URLs in one sitemap file.
const MaxSitemapURLs = 50000

// URL is one entry of a sitemap.
type URL struct {
	Loc     string
	LastMod time.Time
}

type urlset struct {
	XMLName xml.Name     `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 urlset"`
	URLs    []sitemapURL `xml:"url"`
}

type sitemapURL struct {
	Loc     string `xml:"loc"`
	LastMod string `xml:"lastmod,omitempty"`
}

type sitemapIndex struct {
	XMLName  xml.Name     `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 sitemapindex"`
	Sitemaps []sitemapURL `xml:"sitemap"`
}

func lastmod(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// Sitemap renders one urlset.
func Sitemap(urls []URL) ([]byte, error) {
	doc := urlset{}
	for _, u := range urls {
		doc.URLs = append(doc.URLs, sitemapURL{Loc: u.Loc, LastMod: lastmod(u.LastMod)})
	}
	return marshal(doc)
}

// SitemapIndex renders an index of n part sitemaps; partURL(i) (1-based)
// names each part and lastMod gives each part's newest change.
func SitemapIndex(n int, partURL func(int) string, lastMod func(int) time.Time) ([]byte, error) {
	doc := sitemapIndex{}
	for i := 1; i <= n; i++ {
		doc.Sitemaps = append(doc.Sitemaps, sitemapURL{Loc: partURL(i), LastMod: lastmod(lastMod(i))})
	}
	return marshal(doc)
}

// Parts splits urls into sitemap parts of at most per URLs each; it returns
// the number of parts and part i (1-based), or an error when i is out of range.
func Parts(urls []URL, per, i int) (int, []URL, error) {
	n := (len(urls) + per - 1) / per
	if n == 0 {
		n = 1
	}
	if i < 1 || i > n {
		return n, nil, fmt.Errorf("sitemap part %d of %d", i, n)
	}
	end := min(i*per, len(urls))
	return n, urls[(i-1)*per : end], nil
}

package feed

import (
	"bytes"
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

// Sitemap renders one urlset: the bytes encoding/xml writes for it
// (indented by two spaces), written directly — a part of 50,000 URLs
// spent most of its time in the encoder's reflection.
func Sitemap(urls []URL) ([]byte, error) {
	var b bytes.Buffer
	b.Grow(len(xml.Header) + 80 + len(urls)*(len("  <url>\n    <loc></loc>\n    <lastmod>2006-01-02T15:04:05Z</lastmod>\n  </url>\n")+64))
	b.WriteString(xml.Header)
	b.WriteString(`<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">`)
	var stamp [len(time.RFC3339) + 10]byte
	for _, u := range urls {
		b.WriteString("\n  <url>\n    <loc>")
		if plain(u.Loc) {
			b.WriteString(u.Loc)
		} else if err := xml.EscapeText(&b, []byte(u.Loc)); err != nil {
			return nil, fmt.Errorf("encode sitemap: %w", err)
		}
		b.WriteString("</loc>")
		if !u.LastMod.IsZero() {
			b.WriteString("\n    <lastmod>")
			b.Write(u.LastMod.UTC().AppendFormat(stamp[:0], time.RFC3339))
			b.WriteString("</lastmod>")
		}
		b.WriteString("\n  </url>")
	}
	if len(urls) > 0 {
		b.WriteByte('\n')
	}
	b.WriteString("</urlset>\n")
	return b.Bytes(), nil
}

// plain reports whether s is printable ASCII that XML text needs no
// escape for.
func plain(s string) bool {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c < 0x20 || c >= 0x7f, c == '&', c == '<', c == '>', c == '"', c == '\'':
			return false
		}
	}
	return true
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

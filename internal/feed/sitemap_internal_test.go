package feed

import (
	"bytes"
	"testing"
	"time"
)

// sitemapXML is Sitemap through encoding/xml, as it was written before.
func sitemapXML(urls []URL) ([]byte, error) {
	doc := urlset{}
	for _, u := range urls {
		doc.URLs = append(doc.URLs, sitemapURL{Loc: u.Loc, LastMod: lastmod(u.LastMod)})
	}
	return marshal(doc)
}

// Sitemap writes byte for byte what encoding/xml writes, escapes included.
func TestSitemapWritesWhatTheEncoderWrites(t *testing.T) {
	at := time.Date(2025, 3, 1, 12, 30, 5, 0, time.FixedZone("CST", 8*3600))
	for _, urls := range [][]URL{
		nil,
		{{Loc: "https://news.example.edu/"}},
		{{Loc: "https://news.example.edu/articles/1", LastMod: at}, {Loc: "https://news.example.edu/columns/新闻?a=1&b='2'\"<>\t\n\r", LastMod: at.Add(time.Hour)},
			{Loc: "https://x/\x01\uFFFE"}},
	} {
		got, err := Sitemap(urls)
		if err != nil {
			t.Fatal(err)
		}
		want, err := sitemapXML(urls)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("Sitemap(%v):\n%s\nencoding/xml:\n%s", urls, got, want)
		}
	}
}

func BenchmarkSitemap50000(b *testing.B) {
	urls := make([]URL, 50000)
	at := time.Date(2025, 3, 1, 12, 30, 5, 0, time.UTC)
	for i := range urls {
		urls[i] = URL{Loc: "https://news.example.edu/articles/" + string(rune('0'+i%10)) + "12345", LastMod: at.Add(time.Duration(i) * time.Minute)}
	}
	for _, c := range []struct {
		name string
		fn   func([]URL) ([]byte, error)
	}{{"direct", Sitemap}, {"encoding-xml", sitemapXML}} {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				if _, err := c.fn(urls); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

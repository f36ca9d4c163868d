// Package feed writes RSS 2.0 and Atom feeds and sitemaps.org sitemaps.
package feed

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"html"
	"time"
)

// Feed is what both formats are written from.
type Feed struct {
	Title       string
	Link        string // the HTML page the feed belongs to
	Self        string // the feed's own URL
	Description string
	Language    string
	Updated     time.Time
	Items       []Item
}

// Item is one article in a feed.
type Item struct {
	Title     string
	Link      string
	GUID      string
	Published time.Time
	Updated   time.Time
	Summary   string
	Author    string
	Image     *Image
}

// Image is an item's lead image.
type Image struct {
	URL    string
	Type   string
	Length int64
}

type rss struct {
	XMLName xml.Name   `xml:"rss"`
	Version string     `xml:"version,attr"`
	Atom    string     `xml:"xmlns:atom,attr"`
	DC      string     `xml:"xmlns:dc,attr"`
	Channel rssChannel `xml:"channel"`
}

type rssChannel struct {
	Title         string    `xml:"title"`
	Link          string    `xml:"link"`
	AtomLink      atomLink  `xml:"atom:link"`
	Description   string    `xml:"description"`
	Language      string    `xml:"language,omitempty"`
	LastBuildDate string    `xml:"lastBuildDate,omitempty"`
	Items         []rssItem `xml:"item"`
}

type rssItem struct {
	Title       string        `xml:"title"`
	Link        string        `xml:"link"`
	GUID        rssGUID       `xml:"guid"`
	PubDate     string        `xml:"pubDate"`
	Description string        `xml:"description"`
	Creator     string        `xml:"dc:creator,omitempty"`
	Enclosure   *rssEnclosure `xml:"enclosure"`
}

type rssGUID struct {
	IsPermaLink string `xml:"isPermaLink,attr"`
	Value       string `xml:",chardata"`
}

type rssEnclosure struct {
	URL    string `xml:"url,attr"`
	Type   string `xml:"type,attr"`
	Length int64  `xml:"length,attr"`
}

type atomLink struct {
	Href   string `xml:"href,attr"`
	Rel    string `xml:"rel,attr,omitempty"`
	Type   string `xml:"type,attr,omitempty"`
	Length int64  `xml:"length,attr,omitempty"`
}

// RSS renders f as RSS 2.0.
func RSS(f Feed) ([]byte, error) {
	doc := rss{Version: "2.0", Atom: "http://www.w3.org/2005/Atom", DC: "http://purl.org/dc/elements/1.1/", Channel: rssChannel{
		// Readers take an RSS description as HTML (items' too, below): the
		// text is escaped once for HTML here and once more by the encoder.
		Title: f.Title, Link: f.Link, Description: html.EscapeString(f.Description), Language: f.Language,
		AtomLink: atomLink{Href: f.Self, Rel: "self", Type: "application/rss+xml"},
	}}
	if !f.Updated.IsZero() {
		doc.Channel.LastBuildDate = f.Updated.Format(time.RFC1123Z)
	}
	for _, it := range f.Items {
		ri := rssItem{Title: it.Title, Link: it.Link, GUID: rssGUID{IsPermaLink: "true", Value: it.GUID},
			PubDate: it.Published.Format(time.RFC1123Z), Description: html.EscapeString(it.Summary), Creator: it.Author}
		if it.GUID != it.Link {
			ri.GUID.IsPermaLink = "false"
		}
		if it.Image != nil {
			ri.Enclosure = &rssEnclosure{URL: it.Image.URL, Type: it.Image.Type, Length: it.Image.Length}
		}
		doc.Channel.Items = append(doc.Channel.Items, ri)
	}
	return marshal(doc)
}

type atomFeed struct {
	XMLName  xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	Lang     string      `xml:"xml:lang,attr,omitempty"`
	Title    string      `xml:"title"`
	Subtitle string      `xml:"subtitle,omitempty"`
	ID       string      `xml:"id"`
	Updated  string      `xml:"updated"`
	Links    []atomLink  `xml:"link"`
	Entries  []atomEntry `xml:"entry"`
}

type atomEntry struct {
	Title     string      `xml:"title"`
	ID        string      `xml:"id"`
	Links     []atomLink  `xml:"link"`
	Published string      `xml:"published"`
	Updated   string      `xml:"updated"`
	Summary   string      `xml:"summary"`
	Author    *atomAuthor `xml:"author"`
}

type atomAuthor struct {
	Name string `xml:"name"`
}

// Atom renders f as an Atom 1.0 feed.
func Atom(f Feed) ([]byte, error) {
	doc := atomFeed{Lang: f.Language, Title: f.Title, Subtitle: f.Description, ID: f.Self, Updated: f.Updated.Format(time.RFC3339),
		Links: []atomLink{{Href: f.Link, Rel: "alternate", Type: "text/html"}, {Href: f.Self, Rel: "self", Type: "application/atom+xml"}}}
	for _, it := range f.Items {
		updated := it.Updated
		if updated.Before(it.Published) {
			updated = it.Published
		}
		e := atomEntry{Title: it.Title, ID: it.GUID, Published: it.Published.Format(time.RFC3339), Updated: updated.Format(time.RFC3339),
			Summary: it.Summary, Links: []atomLink{{Href: it.Link, Rel: "alternate", Type: "text/html"}}}
		if it.Author != "" {
			e.Author = &atomAuthor{Name: it.Author}
		}
		if it.Image != nil {
			e.Links = append(e.Links, atomLink{Href: it.Image.URL, Rel: "enclosure", Type: it.Image.Type, Length: it.Image.Length})
		}
		doc.Entries = append(doc.Entries, e)
	}
	return marshal(doc)
}

func marshal(v any) ([]byte, error) {
	var b bytes.Buffer
	b.WriteString(xml.Header)
	enc := xml.NewEncoder(&b)
	enc.Indent("", "  ")
	if err := enc.Encode(v); err != nil {
		return nil, fmt.Errorf("encode feed: %w", err)
	}
	b.WriteByte('\n')
	return b.Bytes(), nil
}

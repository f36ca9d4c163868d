package media

import (
	"regexp"
	"strconv"
	"strings"

	"newsdesk/internal/model"
)

// The media URL scheme, in one place: a file is /media/{id}/{name} (the
// name kept readable, escaped as a path segment), a variant is
// /media/{key} under v/, and with a public media address (a CDN) both are
// that address followed by the storage key. Stories store the first form;
// pages turn it into whatever readers fetch.

// Prefix starts every address Newsdesk serves media under.
const Prefix = "/media/"

// URL is the address of a file as stories store it and Newsdesk serves it:
// /media/{id}/{name}, the name escaped so that spaces, "%", "#", "?",
// quotes and commas (which end a srcset candidate) survive in HTML
// attributes and srcset lists. Serving unescapes it (http.Request.PathValue).
func URL(m model.Media) string {
	return Prefix + strconv.FormatInt(m.ID, 10) + "/" + escapeSegment(m.Name)
}

// VariantURL is the address Newsdesk serves a responsive variant at.
func VariantURL(v model.Variant) string {
	return Prefix + v.Key // keys are made of hex digits, "-", "/" and an extension
}

// escapeSegment escapes name as one path segment. url.PathEscape leaves
// commas alone, and a comma before a space ends a srcset candidate.
func escapeSegment(name string) string {
	var b strings.Builder
	for i := 0; i < len(name); i++ {
		c := name[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("-._~!$&'()*+;=:@", c) >= 0 {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte("0123456789ABCDEF"[c>>4])
		b.WriteByte("0123456789ABCDEF"[c&15])
	}
	return b.String()
}

// Links builds the addresses readers fetch media at: through Newsdesk, or
// from the public media address (a CDN in front of the bucket) when Base
// is set.
type Links struct {
	Base string // e.g. https://cdn.example.edu.cn/news-media/site, no trailing slash
	// Through, when set, is a path every address starts with instead, the
	// files served by Newsdesk behind it: the outside approver's door
	// (/approve/{token}) serves a story's files not yet public through
	// the signed link.
	Through string
}

// File is where readers fetch m.
func (l Links) File(m model.Media) string {
	switch {
	case l.Through != "":
		return l.Through + URL(m)
	case l.Base != "":
		return l.Base + "/" + m.Key
	}
	return URL(m)
}

// Variant is where readers fetch v.
func (l Links) Variant(v model.Variant) string {
	switch {
	case l.Through != "":
		return l.Through + VariantURL(v)
	case l.Base != "":
		return l.Base + "/" + v.Key
	}
	return VariantURL(v)
}

// fileURL matches URL's form.
var fileURL = regexp.MustCompile(`^` + Prefix + `([0-9]+)/[^/]+$`)

// FileID returns the library file an address made by URL points at, or 0.
func FileID(src string) int64 {
	m := fileURL.FindStringSubmatch(src)
	if m == nil {
		return 0
	}
	id, _ := strconv.ParseInt(m[1], 10, 64)
	return id
}

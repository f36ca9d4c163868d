package importer

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"html"
	"io"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"newsdesk/internal/model"

	"golang.org/x/text/encoding/htmlindex"
)

// The parts of a WordPress export (WXR 1.0–1.2) that Newsdesk reads.
// Element names match whatever namespace prefix the file gives them;
// content:encoded and excerpt:encoded share a local name and are told
// apart by their namespace.

type wxrText struct {
	XMLName xml.Name
	Text    string `xml:",chardata"`
}

type wxrCategoryRef struct {
	Domain   string `xml:"domain,attr"`
	Nicename string `xml:"nicename,attr"`
	Name     string `xml:",chardata"`
}

type wxrMeta struct {
	Key   string `xml:"meta_key"`
	Value string `xml:"meta_value"`
}

type wxrItem struct {
	Title      string           `xml:"title"`
	Link       string           `xml:"link"`
	PubDate    string           `xml:"pubDate"`
	Creator    string           `xml:"creator"`
	GUID       string           `xml:"guid"`
	Encoded    []wxrText        `xml:"encoded"`
	PostID     string           `xml:"post_id"`
	PostDate   string           `xml:"post_date"`
	PostGMT    string           `xml:"post_date_gmt"`
	PostName   string           `xml:"post_name"`
	Status     string           `xml:"status"`
	PostParent string           `xml:"post_parent"`
	PostType   string           `xml:"post_type"`
	Attachment string           `xml:"attachment_url"`
	Categories []wxrCategoryRef `xml:"category"`
	Meta       []wxrMeta        `xml:"postmeta"`
	Comments   []struct{}       `xml:"comment"`
}

func (it wxrItem) encoded(space string) string {
	for _, e := range it.Encoded {
		if strings.Contains(e.XMLName.Space, space) {
			return e.Text
		}
	}
	return ""
}

func (it wxrItem) meta(key string) string {
	for _, m := range it.Meta {
		if m.Key == key {
			return m.Value
		}
	}
	return ""
}

type wxrCategory struct {
	TermID   string `xml:"term_id"`
	Nicename string `xml:"category_nicename"`
	Parent   string `xml:"category_parent"`
	Name     string `xml:"cat_name"`
}

type wxrAuthor struct {
	Login string `xml:"author_login"`
	Email string `xml:"author_email"`
	Name  string `xml:"author_display_name"`
}

// charsetReader decodes the encodings old Chinese sites declare (GBK,
// GB2312, GB18030, Big5) and any other the WHATWG list names.
func charsetReader(label string, input io.Reader) (io.Reader, error) {
	enc, err := htmlindex.Get(label)
	if err != nil {
		return nil, fmt.Errorf("%w %q", errEncoding, label)
	}
	return enc.NewDecoder().Reader(input), nil
}

// lineOf is the line of offset in data (1-based).
func lineOf(data []byte, offset int64) int {
	if offset > int64(len(data)) {
		offset = int64(len(data))
	}
	return bytes.Count(data[:offset], []byte("\n")) + 1
}

// ParseWXR reads a whole WordPress export: its categories, authors,
// posts and pages (attachments become the pictures' captions and alt
// texts; comments are counted, not kept). A file that is not well-formed
// or ends early is a *FileError naming the line, and nothing of it is
// returned. name names the file in messages; tz is the site's time zone,
// for dates the file gives only in local time.
func ParseWXR(name string, data []byte, tz *time.Location) (*Parsed, error) {
	d := xml.NewDecoder(bytes.NewReader(data))
	d.CharsetReader = charsetReader
	d.Entity = xml.HTMLEntity // &nbsp; and friends, common outside CDATA
	p := &Parsed{}
	var items []wxrItem
	var lines []int
	var cats []wxrCategory
	var inChannel, sawRSS bool
	fail := func(err error, why Reason) (*Parsed, error) {
		line := lineOf(data, d.InputOffset())
		var se *xml.SyntaxError
		switch {
		case errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) || errors.As(err, &se) && se.Msg == "unexpected EOF":
			err, why = errors.New("the file ends early (truncated?)"), because("import.file.truncated")
		case errors.Is(err, errEncoding):
			why = because("import.file.encoding")
		case errors.As(err, &se):
			// The parser's own words name what it met; the message says
			// in the operator's what that means.
			line, why = se.Line, because("import.file.not_xml", se.Msg)
		case why.Key == "":
			why = because("import.file.not_xml", err.Error())
		}
		return nil, &FileError{File: name, Line: line, Err: err, Why: why}
	}
	depth := 0
	for {
		tok, err := d.Token()
		if err == io.EOF {
			if depth != 0 || !sawRSS {
				return fail(io.ErrUnexpectedEOF, Reason{})
			}
			break
		}
		if err != nil {
			return fail(err, Reason{})
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			switch {
			case depth == 1:
				if t.Name.Local != "rss" {
					return fail(fmt.Errorf("not a WordPress export: the document is <%s>, not <rss>", t.Name.Local), because("import.file.not_wxr_root", "<"+t.Name.Local+">"))
				}
				sawRSS = true
			case depth == 2 && t.Name.Local == "channel":
				inChannel = true
			case inChannel && depth == 3:
				// The decoder counts lines as it reads (counting them
				// from the start for each item was 9 s of a 10,000-story
				// import's 60 s of CPU).
				line, _ := d.InputPos()
				var err error
				switch t.Name.Local {
				case "item":
					var it wxrItem
					if err = d.DecodeElement(&it, &t); err == nil {
						items, lines = append(items, it), append(lines, line)
					}
				case "category":
					var c wxrCategory
					if err = d.DecodeElement(&c, &t); err == nil {
						cats = append(cats, c)
					}
				case "author":
					var a wxrAuthor
					if err = d.DecodeElement(&a, &t); err == nil {
						p.Authors = append(p.Authors, Author{Login: strings.TrimSpace(a.Login), Name: strings.TrimSpace(a.Name), Email: strings.TrimSpace(a.Email)})
					}
				case "title":
					var s string
					err = d.DecodeElement(&s, &t)
					p.Title = strings.TrimSpace(s)
				case "link", "base_blog_url":
					var s string
					if err = d.DecodeElement(&s, &t); err == nil && (p.Link == "" || t.Name.Local == "base_blog_url") {
						p.Link = strings.TrimSpace(s)
					}
				default:
					err = d.Skip()
				}
				if err != nil {
					return fail(err, Reason{})
				}
				depth-- // DecodeElement and Skip consumed the end tag
			}
		case xml.EndElement:
			depth--
		}
	}
	if !inChannel {
		return fail(errors.New("not a WordPress export: no <channel>"), because("import.file.not_wxr_channel"))
	}
	p.Categories = categories(cats)
	authors := map[string]string{}
	for _, a := range p.Authors {
		authors[a.Login] = a.Name
	}
	// Attachments first: posts name their featured image by its post id,
	// and their pictures' captions are the attachments'.
	attachments := map[string]wxrItem{}
	info := map[string]ImageInfo{}
	for _, it := range items {
		if it.PostType == "attachment" {
			attachments[strings.TrimSpace(it.PostID)] = it
			u := strings.TrimSpace(it.Attachment)
			info[u] = ImageInfo{Caption: strings.TrimSpace(it.encoded("excerpt")), Alt: strings.TrimSpace(it.meta("_wp_attachment_image_alt"))}
		}
	}
	for i, it := range items {
		where := fmt.Sprintf("%s:%d", name, lines[i])
		p.Comments += len(it.Comments)
		title := unescape(it.Title)
		switch it.PostType {
		case "attachment":
			continue
		case "post", "page", "":
		default:
			p.Skipped = append(p.Skipped, Skip{Where: where, What: title, Why: because("import.skip.type", it.PostType)})
			continue
		}
		status, ok := wxrStatus[it.Status]
		if !ok {
			p.Skipped = append(p.Skipped, Skip{Where: where, What: title, Why: because("import.skip.status", it.Status)})
			continue
		}
		if title == "" {
			p.Skipped = append(p.Skipped, Skip{Where: where, What: it.GUID, Why: because("import.skip.no_title")})
			continue
		}
		when, err := wxrDate(it, tz)
		if err != nil && status != model.StatusDraft {
			p.Skipped = append(p.Skipped, Skip{Where: where, What: title, Why: dateReason(it)})
			continue
		}
		body := captionShortcodes(it.encoded("content"))
		if !strings.Contains(body, "<p") && strings.TrimSpace(body) != "" {
			body = autop(body)
		}
		item := Item{Original: strings.TrimSpace(it.GUID), Link: strings.TrimSpace(it.Link), Kind: KindPost, Title: title,
			Summary: strings.TrimSpace(it.encoded("excerpt")), Body: body, Slug: pageSlug(it.PostName, it.PostID),
			AuthorLogin: strings.TrimSpace(it.Creator), Status: status, PublishedAt: when, Where: where, Images: map[string]ImageInfo{}}
		if item.Original == "" {
			item.Original = "post:" + strings.TrimSpace(it.PostID)
		}
		if it.PostType == "page" {
			item.Kind = KindPage
		}
		item.Author = authors[item.AuthorLogin]
		if item.Author == "" {
			item.Author = item.AuthorLogin
		}
		for _, c := range it.Categories {
			if c.Domain == "category" && item.Column == "" {
				item.Column = strings.TrimSpace(c.Nicename)
			}
		}
		if th := strings.TrimSpace(it.meta("_thumbnail_id")); th != "" {
			if att, ok := attachments[th]; ok {
				item.Lead = strings.TrimSpace(att.Attachment)
				item.Images[item.Lead] = info[item.Lead]
			}
		}
		for _, src := range imageSources(body) {
			if in, ok := info[src]; ok {
				item.Images[src] = in
			}
		}
		p.Items = append(p.Items, item)
	}
	return p, nil
}

// wxrStatus maps WordPress's post statuses to Newsdesk's; private posts
// were finished but not public: they come in withdrawn, for an editor to
// publish or leave. Trash and auto-drafts are not imported.
var wxrStatus = map[string]string{
	"publish": model.StatusPublished,
	"future":  model.StatusScheduled,
	"draft":   model.StatusDraft,
	"pending": model.StatusDraft,
	"private": model.StatusWithdrawn,
}

// wxrDate is a post's publish time: the GMT date when the file has one,
// else the local date in the site's time zone, else the RSS pubDate.
func wxrDate(it wxrItem, tz *time.Location) (time.Time, error) {
	const layout = "2006-01-02 15:04:05"
	if g := strings.TrimSpace(it.PostGMT); g != "" && !strings.HasPrefix(g, "0000") {
		if t, err := time.ParseInLocation(layout, g, time.UTC); err == nil {
			return t, nil
		}
	}
	if l := strings.TrimSpace(it.PostDate); l != "" && !strings.HasPrefix(l, "0000") {
		if t, err := time.ParseInLocation(layout, l, tz); err == nil {
			return t.UTC(), nil
		}
	}
	if pd := strings.TrimSpace(it.PubDate); pd != "" {
		for _, f := range []string{time.RFC1123Z, time.RFC1123} {
			if t, err := time.Parse(f, pd); err == nil && t.Year() > 1 {
				return t.UTC(), nil
			}
		}
	}
	return time.Time{}, errors.New("neither post_date_gmt, post_date nor pubDate")
}

// dateReason says why an item has no date: none given, or the one given
// (post_date_gmt, post_date or pubDate) is not a date.
func dateReason(it wxrItem) Reason {
	for _, d := range []string{it.PostGMT, it.PostDate, it.PubDate} {
		if d = strings.TrimSpace(d); d != "" && !strings.HasPrefix(d, "0000") {
			return because("import.skip.bad_date", d)
		}
	}
	return because("import.skip.no_date")
}

// categories orders the file's categories parents first.
func categories(cs []wxrCategory) []Category {
	var out []Category
	done := map[string]bool{}
	for len(out) < len(cs) {
		progress := false
		for _, c := range cs {
			key := strings.TrimSpace(c.Nicename)
			parent := strings.TrimSpace(c.Parent)
			if done[key] || (parent != "" && !done[parent] && known(cs, parent)) {
				continue
			}
			if !known(cs, parent) {
				parent = ""
			}
			out = append(out, Category{Key: key, Name: unescape(c.Name), Parent: parent})
			done[key], progress = true, true
		}
		if !progress { // a cycle: the rest at the top
			for _, c := range cs {
				if key := strings.TrimSpace(c.Nicename); !done[key] {
					out = append(out, Category{Key: key, Name: unescape(c.Name)})
					done[key] = true
				}
			}
		}
	}
	return out
}

// unescape undoes the HTML escaping WordPress stores names and titles
// with (校园 &amp; 生活).
func unescape(s string) string { return strings.TrimSpace(html.UnescapeString(s)) }

func known(cs []wxrCategory, key string) bool {
	for _, c := range cs {
		if strings.TrimSpace(c.Nicename) == key {
			return true
		}
	}
	return false
}

var captionRE = regexp.MustCompile(`(?s)\[caption[^\]]*\](.*?)\[/caption\]`)
var imgTagRE = regexp.MustCompile(`(?is)^\s*((?:<a[^>]*>\s*)?<img[^>]*>(?:\s*</a>)?)(.*)$`)

// captionShortcodes turns WordPress's [caption]<img …> text[/caption]
// into a figure with its caption.
func captionShortcodes(body string) string {
	return captionRE.ReplaceAllStringFunc(body, func(m string) string {
		inner := captionRE.FindStringSubmatch(m)[1]
		parts := imgTagRE.FindStringSubmatch(inner)
		if parts == nil {
			return inner
		}
		return "<figure>" + parts[1] + "<figcaption>" + strings.TrimSpace(parts[2]) + "</figcaption></figure>"
	})
}

// autop makes paragraphs of text that WordPress keeps with blank lines
// between them (its editor adds the <p> only when showing it).
func autop(body string) string {
	var b strings.Builder
	for _, para := range regexp.MustCompile(`\n\s*\n`).Split(strings.ReplaceAll(body, "\r\n", "\n"), -1) {
		if para = strings.TrimSpace(para); para == "" {
			continue
		}
		if strings.HasPrefix(para, "<figure") || strings.HasPrefix(para, "<h") || strings.HasPrefix(para, "<ul") || strings.HasPrefix(para, "<ol") || strings.HasPrefix(para, "<table") {
			b.WriteString(para)
			continue
		}
		b.WriteString("<p>" + strings.ReplaceAll(para, "\n", "<br>") + "</p>")
	}
	return b.String()
}

var pageSlugRE = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,59}$`)

// pageSlug is a page's address name: WordPress's when it is plain ASCII
// (Chinese names come percent-encoded), else page-ID.
func pageSlug(name, id string) string {
	name = strings.ToLower(strings.TrimSpace(name))
	if un, err := url.PathUnescape(name); err == nil && pageSlugRE.MatchString(un) {
		return un
	}
	if n, err := strconv.Atoi(strings.TrimSpace(id)); err == nil {
		return "page-" + strconv.Itoa(n)
	}
	return ""
}

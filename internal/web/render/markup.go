package render

import (
	"bytes"
	"html/template"
	"strconv"
	"strings"
	"time"

	"newsdesk/internal/i18n"
	"newsdesk/internal/model"
	"newsdesk/internal/reader"
)

// The public pages' hottest parts are written here rather than by
// templates: an article page's content and the cards of every list.
// html/template evaluates each action by reflection, looking a field up
// by name through the embedded structs of every value and a method by
// name with its type built again, and the article's content alone was
// 420 µs of CPU a page, a third of a static export's (bench/README.md,
// "Export"). The markup is the templates' to the byte: escape writes
// text and quoted attribute values as html/template does.

// escaper is html/template's escaping of text and of a quoted attribute
// value (its htmlEscaper), so that markup written here is the same as a
// template's.
var escaper = strings.NewReplacer("\x00", "\uFFFD", `"`, "&#34;", "&", "&amp;", "'", "&#39;", "+", "&#43;", "<", "&lt;", ">", "&gt;")

// markup builds a part of a page: straight into the page's buffer for
// the content written here (an article's and a list's, publicPage), or
// into one of its own for a partial a template calls (newMarkup).
type markup struct{ *bytes.Buffer }

// newMarkup is a markup of its own, of about size bytes.
func newMarkup(size int) markup { return markup{bytes.NewBuffer(make([]byte, 0, size))} }

// html is the markup built, for a template.
func (m *markup) html() template.HTML { return template.HTML(m.String()) }

// raw writes markup as it is.
func (m *markup) raw(ss ...string) {
	for _, s := range ss {
		m.WriteString(s)
	}
}

// text writes s escaped, as text or within a quoted attribute.
func (m *markup) text(s string) { escaper.WriteString(m.Buffer, s) }

// elem writes s escaped between the markup open and close.
func (m *markup) elem(open, s, close string) {
	m.raw(open)
	m.text(s)
	m.raw(close)
}

// time writes a <time> of t (in UTC, as the templates' iso) that shows
// shown.
func (m *markup) time(t time.Time, shown string) {
	m.elem(`<time datetime="`+iso(t)+`">`, shown, "</time>")
}

// breadcrumb opens a page's breadcrumb, up to its link to the home page.
func (m *markup) breadcrumb(v *View, home string) {
	m.raw("\n<nav class=\"breadcrumb\" aria-label=\"")
	m.text(v.T("nav.breadcrumb"))
	m.raw(`"><a href="`)
	m.url(home)
	m.raw(`">`)
	m.text(v.T("nav.home"))
	m.raw("</a>")
}

// columnLink links to a column's list; cl is the content's lang attribute.
func (m *markup) columnLink(c model.Column, cl string) {
	m.raw(`<a href="`)
	m.url(reader.ColumnURL(c.Slug, 0, 0, 0))
	m.raw(`"`, cl, `>`)
	m.text(c.Name)
	m.raw("</a>")
}

// writeArticle writes the article page's content for v, whose Data is an
// ArticlePage: the breadcrumb, the story with its byline, summary, body,
// correction and credits, the previous and next stories, and the related
// ones.
func (rd *Renderer) writeArticle(m *markup, v *View) error {
	d, _ := v.Data.(ArticlePage)
	cl := string(v.ContentLang())
	sep := v.T("label.sep")
	home, err := rd.publicURL("home")
	if err != nil {
		return err
	}
	m.breadcrumb(v, home)
	for _, c := range d.Path {
		m.raw(" › ")
		m.columnLink(c, cl)
	}
	m.raw("</nav>\n<article class=\"story\">\n  <header>\n    ")
	if d.Kicker != "" {
		m.elem(`<p class="kicker"`+cl+`>`, d.Kicker, "</p>")
	}
	m.elem("\n    <h1"+cl+">", d.Title, "</h1>\n    ")
	if d.Subtitle != "" {
		m.elem(`<p class="subtitle"`+cl+`>`, d.Subtitle, "</p>")
	}
	m.raw("\n    <p class=\"byline\">\n      <span class=\"date\">")
	m.text(v.T("article.date"))
	m.text(sep)
	m.time(d.PublishedAt, v.Date(d.PublishedAt))
	m.raw("</span>\n      ")
	if !d.RevisedAt.IsZero() {
		m.raw(`<span class="revised">`)
		m.text(v.T("article.updated_at"))
		m.text(sep)
		m.time(d.RevisedAt, v.DateTime(d.RevisedAt))
		m.raw("</span>")
	}
	m.raw("\n      ")
	if d.Credits.Unit != "" {
		m.raw("<span>")
		m.text(v.T("article.credit.unit"))
		m.text(sep)
		m.raw("<span", cl, ">")
		m.text(d.Credits.Unit)
		m.raw("</span></span>")
	}
	m.raw("\n      <span class=\"views\">")
	m.text(v.T("article.views"))
	m.text(sep)
	m.raw(strconv.FormatInt(d.Views, 10), "</span>\n    </p>\n  </header>\n  ")
	if d.Summary != "" {
		summary := v.T("article.summary")
		m.raw(`<section class="abstract" aria-label="`)
		m.text(summary)
		m.raw(`"><h2>`)
		m.text(summary)
		m.raw("</h2><p", cl, ">")
		m.text(d.Summary)
		m.raw("</p></section>")
	}
	m.raw("\n  <div class=\"body\"", cl, ">", string(d.Body), "</div>\n  ")
	if d.Correction != "" {
		m.raw(`<aside class="correction" aria-labelledby="corr-h"><h2 id="corr-h">`)
		m.text(v.T("article.correction"))
		m.raw("</h2><p", cl, ">")
		m.text(d.Correction)
		m.raw("</p></aside>")
	}
	m.raw("\n  ")
	if len(d.Lines) > 0 {
		m.raw(`<footer class="credits">`)
		for _, l := range d.Lines {
			m.raw(`<p><span class="label">`)
			m.text(l.Label)
			m.text(sep)
			m.raw("</span><span", cl, ">")
			m.text(l.Value)
			m.raw("</span></p>")
		}
		m.raw("</footer>")
	}
	prev, next := v.T("article.prev"), v.T("article.next")
	m.raw("\n</article>\n<nav class=\"prevnext\" aria-label=\"")
	m.text(prev)
	m.raw(" / ")
	m.text(next)
	m.raw("\">\n")
	neighbour := func(label, rel string, c *reader.Card) {
		m.raw("  <p><span>")
		m.text(label)
		m.text(sep)
		m.raw("</span>")
		if c != nil {
			m.raw(`<a rel="`, rel, `" href="`)
			m.url(c.URL)
			m.raw(`"`, cl, `>`)
			m.text(c.Title)
			m.raw("</a>")
		} else {
			m.text(v.T("article.none"))
		}
		m.raw("</p>\n")
	}
	neighbour(prev, "prev", d.Prev)
	neighbour(next, "next", d.Next)
	m.raw("</nav>\n")
	if len(d.Related) > 0 {
		m.raw("<section class=\"related\" aria-labelledby=\"rel-h\">\n  <h2 id=\"rel-h\">")
		m.text(v.T("article.related"))
		m.raw("</h2>\n  ")
		m.raw("\n<ul class=\"cards\">\n")
		writeCards(m, v, cardsOf{}, d.Related)
		m.raw("\n</ul>\n\n</section>")
	}
	m.raw("\n")
	return nil
}

// ListPage is what the public list template shows: a column's page, one
// of its year or month archives, or a slot's list (主页焦点, 主页推荐).
type ListPage struct {
	Heading    string
	Count      int
	Deep       bool // a column's page past its first: no count, which changes with every story
	Articles   []reader.Card
	Pager      reader.Pager
	Column     *model.Column // nil for a slot's list
	Children   []model.Column
	Archive    []reader.ArchiveYear
	FeedURL    string
	ShowImages bool
}

// writeList writes a list page's content for v, whose Data is a
// ListPage: the breadcrumb, the heading with the count or
// (past a column's first page) the page's dates, the sub-columns, the
// cards, the pager and the column's archive. A static export writes a
// list page for every twenty stories and each of their years and months.
func (rd *Renderer) writeList(m *markup, v *View) error {
	d, _ := v.Data.(ListPage)
	cl := string(v.ContentLang())
	home, err := rd.publicURL("home")
	if err != nil {
		return err
	}
	m.breadcrumb(v, home)
	m.raw(" › ")
	if d.Column != nil {
		m.columnLink(*d.Column, cl)
	} else {
		m.text(d.Heading)
	}
	m.raw("</nav>\n<div class=\"list-layout\">\n<section class=\"list\">\n  \n  <h1><span")
	if d.Column != nil {
		m.raw(cl)
	}
	m.raw(">")
	m.text(d.Heading)
	m.raw("</span> <small>")
	// A column's pages count from its oldest story, so they show their
	// dates, not their numbers.
	var span string
	if !d.Pager.From.IsZero() {
		span = v.T("pager.span", v.Date(d.Pager.From), v.Date(d.Pager.To))
	}
	if d.Deep {
		m.text(span)
	} else {
		m.text(v.T("list.count", d.Count))
	}
	m.raw("</small></h1>\n  ")
	if len(d.Children) > 0 {
		m.raw(`<nav class="subcolumns" aria-label="`)
		m.text(v.T("list.subcolumns"))
		m.raw(`">`)
		for _, c := range d.Children {
			m.columnLink(c, cl)
		}
		m.raw("</nav>")
	}
	m.raw("\n  ")
	if len(d.Articles) > 0 {
		m.raw("\n    \n<ul class=\"cards")
		if d.ShowImages {
			m.raw(" with-images")
		}
		m.raw("\">\n")
		writeCards(m, v, cardsOf{images: d.ShowImages, summaries: true, columns: d.Column == nil}, d.Articles)
		m.raw("\n</ul>\n\n  ")
	} else {
		m.raw(`<p class="empty">`)
		m.text(v.T("list.empty"))
		m.raw("</p>")
	}
	m.raw("\n  ")
	writePager(m, v, d.Pager, span)
	m.raw("\n</section>\n")
	if len(d.Archive) > 0 {
		h, err := rd.archiveHTML(v, d.Archive, d.FeedURL)
		if err != nil {
			return err
		}
		m.raw(string(h))
	}
	m.raw("\n</div>\n")
	return nil
}

// writePager writes a list's pager as the partial "pager"
// (templates/partials/pager.html) does, which the desk's lists use: the
// links to the newer and older pages around the page's number of pages,
// or span when it is set.
func writePager(m *markup, v *View, p reader.Pager, span string) {
	if p.Pages <= 1 {
		return
	}
	m.raw("\n<nav class=\"pager\" aria-label=\"")
	m.text(v.T("pager.label"))
	m.raw("\">\n  ")
	link := func(rel, href, label string) {
		if href != "" {
			m.raw(`<a rel="`, rel, `" href="`)
			m.url(href)
			m.raw(`">`)
			m.text(v.T(label))
			m.raw("</a>")
		}
	}
	link("prev", p.Prev, "pager.prev")
	m.raw("\n  <span>")
	if span != "" {
		m.text(span)
	} else {
		m.text(v.T("pager.status", p.Page, p.Pages))
	}
	m.raw("</span>\n  ")
	link("next", p.Next, "pager.next")
	m.raw("\n</nav>\n")
}

// cardsOf is how the partial "cards" shows its cards.
type cardsOf struct{ images, summaries, columns bool }

// writeCards writes cards one after another, as the partial "cards"
// (templates/partials/cards.html) does inside its list.
func writeCards(m *markup, v *View, how cardsOf, cs []reader.Card) {
	m.Grow(len(cs) * 256)
	for _, c := range cs {
		writeCard(m, v, how, c)
	}
}

// writeCard writes one card of the partial "cards": a story's title,
// date and (as asked) its thumbnail, summary and column.
func writeCard(m *markup, v *View, how cardsOf, c reader.Card) {
	cl := string(v.ContentLang())
	m.raw("\n  <li>\n    ")
	if how.images && c.Lead != nil {
		m.raw(`<a class="thumb" href="`)
		m.url(c.URL)
		m.raw(`" tabindex="-1" aria-hidden="true">`, string(PictureHTML(PictureOf(c.Lead).Decorative(), "180px", true)), "</a>")
	}
	m.raw("\n    <div>\n      <a class=\"title\" href=\"")
	m.url(c.URL)
	m.raw(`"`, cl, `>`)
	m.text(c.Title)
	m.raw("</a>\n      ")
	if how.summaries {
		m.raw(`<p class="summary"`, cl, `>`)
		m.text(c.Summary)
		m.raw("</p>")
	}
	m.raw("\n      <p class=\"meta\">")
	m.time(c.PublishedAt, v.Date(c.PublishedAt))
	if how.columns && c.Column.Name != "" {
		m.raw(" · <span", cl, ">")
		m.text(c.Column.Name)
		m.raw("</span>")
	}
	m.raw("</p>\n    </div>\n  </li>\n")
}

// iso is t as RFC 3339 in UTC, for a <time>'s datetime.
func iso(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// url writes a URL into a quoted attribute as html/template does: one
// with a scheme other than http, https or mailto becomes "#ZgotmplZ",
// bytes a URL may not hold are percent-encoded (a request's path, which
// the language switch repeats, arrives decoded), and the rest is escaped.
func (m *markup) url(s string) {
	if scheme, _, ok := strings.Cut(s, ":"); ok && !strings.Contains(scheme, "/") &&
		!strings.EqualFold(scheme, "http") && !strings.EqualFold(scheme, "https") && !strings.EqualFold(scheme, "mailto") {
		m.WriteString("#ZgotmplZ")
		return
	}
	const hex = "0123456789abcdef"
	from := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("!#$&*+,/:;=?@[]-._~%", c) >= 0 {
			continue
		}
		m.text(s[from:i])
		m.raw("%", hex[c>>4:c>>4+1], hex[c&15:c&15+1])
		from = i + 1
	}
	m.text(s[from:])
}

// publicPage renders the public page template name with v inside the
// public layout (templates/public/layout.html): its parts that are the
// same on many pages (chromeHTML), the head of this page and the
// language and reader-mode switches, written here for the same reason as
// the article's content (a template's reflection made the layout about
// 180 µs a page).
func (rd *Renderer) publicPage(b *bytes.Buffer, name string, v *View) error {
	m := markup{b}
	part := func(name string) error {
		h, err := rd.chromeHTML(name, v)
		m.raw(string(h))
		return err
	}
	if err := part("head-open"); err != nil {
		return err
	}
	m.raw(`<meta name="referrer" content="`)
	if v.NoReferrer {
		m.raw("no-referrer")
	} else {
		m.raw("strict-origin-when-cross-origin")
	}
	m.raw("\">\n<title>")
	if v.Title != "" {
		m.text(v.Title)
		m.raw(" - ")
	}
	m.text(v.Site.Name)
	description := v.MetaDescription()
	m.raw("</title>\n<meta name=\"description\" content=\"")
	m.text(description)
	m.raw("\">\n")
	if v.NoIndex {
		m.raw(`<meta name="robots" content="noindex">`)
	}
	m.raw("\n")
	if err := part("head-icon"); err != nil {
		return err
	}
	if v.JSONLD != "" {
		m.raw(`<script type="application/ld+json">`, string(v.JSONLD), "</script>\n")
	}
	m.raw("\n")
	if v.Canonical != "" {
		m.raw(`<link rel="canonical" href="`)
		m.url(v.Canonical)
		m.raw(`">`)
	}
	title := v.Title
	if title == "" {
		title = v.Site.Name
	}
	m.elem("\n<meta property=\"og:site_name\" content=\"", v.Site.Name, "\">\n")
	m.elem(`<meta property="og:title" content="`, title, "\">\n")
	m.elem(`<meta property="og:description" content="`, description, "\">\n")
	if v.Canonical != "" {
		m.elem(`<meta property="og:url" content="`, v.Canonical, `">`)
	}
	m.raw("\n")
	if og := v.OG; og != nil {
		m.elem(`<meta property="og:type" content="`, og.Type, "\">\n")
		if og.Image != "" {
			m.elem(`<meta property="og:image" content="`, og.Image, `">`)
		}
		m.elem("\n<meta property=\"article:published_time\" content=\"", og.Published, "\">\n")
		m.elem(`<meta property="article:modified_time" content="`, og.Modified, "\">\n")
	} else {
		m.raw(`<meta property="og:type" content="website">`)
	}
	m.raw("\n")
	if err := part("head-search"); err != nil {
		return err
	}
	for _, f := range v.Feeds {
		m.raw(`<link rel="alternate" type="`)
		m.text(f.Type)
		m.raw(`" title="`)
		m.text(f.Title)
		m.raw(`" href="`)
		m.url(f.Href)
		m.raw("\">\n")
	}
	if err := part("masthead"); err != nil {
		return err
	}
	m.raw(`      <a class="mode" href="`)
	m.url(v.SwitchMode())
	m.raw(`" rel="nofollow">`)
	if v.Mode != "" {
		m.text(v.T("mode.standard"))
	} else {
		m.text(v.T("mode.care"))
	}
	m.raw("</a>\n      <a class=\"lang\" href=\"")
	m.url(v.SwitchLang())
	if v.Lang == i18n.EN {
		m.raw(`" hreflang="zh-CN">`)
	} else {
		m.raw(`" hreflang="en">`)
	}
	m.text(v.T("lang.switch"))
	m.raw("</a>\n")
	if err := part("nav"); err != nil {
		return err
	}
	m.raw("<main id=\"main\" class=\"wrap\">\n")
	if write, ok := contents[name]; ok {
		if err := write(rd, &m, v); err != nil {
			return err
		}
	} else if err := rd.pages[name].ExecuteTemplate(b, "content", v); err != nil {
		return err
	}
	m.raw("\n</main>\n")
	if err := part("footer"); err != nil {
		return err
	}
	m.raw("</body>\n</html>\n")
	return nil
}

// contents are the public pages whose content is written here rather than
// by a template of their own: an article's and a list's, a static export's
// hottest (written by templates they were a third of its time).
var contents = map[string]func(*Renderer, *markup, *View) error{
	"article": (*Renderer).writeArticle,
	"list":    (*Renderer).writeList,
}

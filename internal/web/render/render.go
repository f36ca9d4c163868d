// Package render is what the public site and the desk share to show
// pages: the embedded templates (templates/public, templates/desk and the
// shared partials), the view every template gets, static assets under
// checksum URLs, error pages, picture and figure markup, and the request
// helpers both doors need (language, client address).
package render

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"encoding/xml"
	"errors"
	"fmt"
	"html"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"newsdesk/internal/column"
	"newsdesk/internal/i18n"
	"newsdesk/internal/media"
	"newsdesk/internal/model"
	"newsdesk/internal/reader"
	"newsdesk/internal/review"
	"newsdesk/internal/search"
	"newsdesk/internal/site"
	"newsdesk/internal/store"
	"newsdesk/internal/web/pagecache"
)

//go:embed templates static
var assets embed.FS

// views lists every page; each (but those whose content is written in Go,
// contents) has a template, parsed with its door's layout
// and the shared templates it calls (templates/partials, a file each,
// named after the template it defines) at start-up, so a broken template
// stops the server early. A desk page is named desk_X and lives in
// templates/desk/X.html.
var views = []string{"home", "list", "article", "sitemap", "feeds", "page", "error", "search", "approve",
	"desk_login", "desk_home", "desk_article", "desk_users", "desk_message", "desk_search", "desk_diff", "desk_audit", "desk_password", "desk_tokens", "desk_site", "desk_library", "desk_library_item", "desk_campus", "desk_signins", "desk_sessions", "desk_2fa", "desk_passkey_login", "desk_notifications", "desk_outbox", "desk_approvers", "desk_redirects", "desk_chains", "desk_chain", "desk_record", "desk_checks", "desk_selfaudit", "desk_stories", "desk_bulk", "desk_slots", "desk_page"}

// Renderer executes the public and desk templates, serves the static
// assets, and builds picture markup.
type Renderer struct {
	cat    *i18n.Catalog
	site   func(ctx context.Context) (*reader.Site, error)
	log    *slog.Logger
	errors atomic.Int64
	links  media.Links
	pages  map[string]*template.Template
	static staticFiles
	search string // where the search box sends readers
	ico    []byte // the generated /favicon.ico
	chrome atomic.Pointer[chromeCache]
}

// Options are what a Renderer is built from.
type Options struct {
	Catalog *i18n.Catalog
	// MediaBase is the public address of the media storage (a CDN), if
	// readers fetch files there rather than through Newsdesk.
	MediaBase string
	// Funcs are template functions that need what only the caller has
	// (the desk's "campus": the campus providers configured).
	Funcs template.FuncMap
	// Site gives the settings and columns every page shows (the reader's).
	Site func(ctx context.Context) (*reader.Site, error)
	// Log is where failed pages are logged.
	Log *slog.Logger
	// SearchURL is where the search box sends readers (default
	// reader.SearchPath): a dynamic Newsdesk in front of a static export.
	SearchURL string
	// PublicOnly leaves the desk's templates unparsed, for a server that
	// renders only the public site (a static export's): they were most
	// of the 20 ms a renderer took to build, before every export.
	PublicOnly bool
}

// New parses every template, failing on a broken one.
func New(o Options) (*Renderer, error) {
	rd := &Renderer{cat: o.Catalog, links: media.Links{Base: o.MediaBase}, site: o.Site, log: o.Log, search: o.SearchURL}
	if rd.search == "" {
		rd.search = reader.SearchPath
	}
	if rd.log == nil {
		rd.log = slog.Default()
	}
	var err error
	rd.ico = IconICO()
	if rd.static, err = embeddedStatic(); err != nil {
		return nil, err
	}
	funcs := template.FuncMap{
		// Public addresses, all built by the reader.
		"articleURL": func(a model.Article) string { return reader.ArticleURL(a.ID) },
		"columnURL":  func(c model.Column) string { return reader.ColumnURL(c.Slug, 0, 0, 0) },
		"slotURL":    func(slot string) string { return reader.SlotURL(slot, 1) },
		"pageURL":    reader.PageURL,
		"feedURL":    reader.FeedURL,
		"url":        rd.publicURL,
		"pic":        PictureOf,
		"highlight":  Highlight,
		"static":     func(name string) string { return "/static/" + rd.static.version + "/" + name },
		// editorBundle says whether the story editor's bundle is embedded
		// (scripts/editor.sh builds it); without it the fallback editor runs.
		"editorBundle": func() bool { return rd.static.editor },
		"html":         func(s string) template.HTML { return template.HTML(s) }, // only for bodies sanitised on save
		"picture":      PictureHTML,
		"kb":           func(n int64) float64 { return float64(n) / 1024 },
		"add":          func(a, b int) int { return a + b },
		"join":         func(xs []string) string { return strings.Join(xs, " ") },
		"iso":          iso,
		"dict":         dict,
		"chrome":       rd.chromeHTML,
		"cards":        rd.cardsHTML,
		"archive":      rd.archiveHTML,
		"searchMax":    func() int { return store.SearchMax },
		// waitingAt is the step of its review chain a story waits at, or
		// nil: desk lists name the state after it (待校对).
		"waitingAt": func(a model.Article) *model.ReviewStep {
			if _, st, ok := review.Current(a); ok {
				return &st
			}
			return nil
		},
	}
	for k, f := range o.Funcs {
		funcs[k] = f
	}
	rd.pages = map[string]*template.Template{}
	shared, err := fs.Glob(assets, "templates/partials/*.html")
	if err != nil {
		return nil, err
	}
	for _, v := range views {
		if _, ok := contents[v]; ok {
			continue // no template: written by publicPage
		}
		dir, file := "templates/public/", v+".html"
		if name, ok := strings.CutPrefix(v, "desk_"); ok {
			if o.PublicOnly {
				continue
			}
			dir, file = "templates/desk/", name+".html"
		}
		files, err := called(assets, []string{dir + "layout.html", dir + file}, shared)
		if err != nil {
			return nil, fmt.Errorf("template %s: %w", v, err)
		}
		t, err := template.New("layout.html").Funcs(funcs).ParseFS(assets, files...)
		if err != nil {
			return nil, fmt.Errorf("template %s: %w", v, err)
		}
		rd.pages[v] = t
	}
	return rd, nil
}

var (
	defineTag = regexp.MustCompile(`{{-?\s*define\s+"([^"]+)"`)
	callTag   = regexp.MustCompile(`{{-?\s*template\s+"([^"]+)"`)
)

// called is files and those of shared whose templates they call, directly
// or through each other. Each page's set holds parse trees of its own
// (html/template escapes them in place, so sets cannot share them), and
// with every partial in every desk page they were most of the server's
// live heap, which each garbage collection marks again.
func called(fsys fs.FS, files, shared []string) ([]string, error) {
	defines := map[string][]string{} // a shared file's template names
	src := map[string][]byte{}
	for _, f := range append(slices.Clone(files), shared...) {
		b, err := fs.ReadFile(fsys, f)
		if err != nil {
			return nil, err
		}
		src[f] = b
		for _, m := range defineTag.FindAllSubmatch(b, -1) {
			defines[f] = append(defines[f], string(m[1]))
		}
	}
	in := slices.Clone(files)
	wanted := map[string]bool{}
	for i := 0; i < len(in); i++ {
		for _, m := range callTag.FindAllSubmatch(src[in[i]], -1) {
			wanted[string(m[1])] = true
		}
		for _, f := range shared {
			if !slices.Contains(in, f) && slices.ContainsFunc(defines[f], func(n string) bool { return wanted[n] }) {
				in = append(in, f)
			}
		}
	}
	return in, nil
}

// publicURL is one of the site's fixed public addresses, by name, for
// templates: {{url "sitemap"}}.
func (rd *Renderer) publicURL(name string) (string, error) {
	switch name {
	case "home":
		return reader.HomeURL, nil
	case "sitemap":
		return reader.SitemapURL, nil
	case "feeds":
		return reader.FeedsURL, nil
	case "submit":
		return reader.SubmitURL, nil
	case "search":
		return rd.search, nil
	case "opensearch":
		return reader.OpenSearchURL, nil
	case "help":
		return reader.HelpURL, nil
	}
	return "", fmt.Errorf("no public address named %q", name)
}

// SearchURL is where the search box sends readers.
func (rd *Renderer) SearchURL() string { return rd.search }

// Highlight is text as escaped HTML with the matched spans (rune offsets,
// as search finds them) wrapped in <mark>.
func Highlight(text string, spans []search.Span) template.HTML {
	var b strings.Builder
	i, open := 0, false
	for _, r := range text {
		for len(spans) > 0 && spans[0].End <= i {
			spans = spans[1:]
		}
		in := len(spans) > 0 && spans[0].Start <= i
		if in && !open {
			b.WriteString("<mark>")
		} else if !in && open {
			b.WriteString("</mark>")
		}
		open = in
		b.WriteString(html.EscapeString(string(r)))
		i++
	}
	if open {
		b.WriteString("</mark>")
	}
	return template.HTML(b.String())
}

// View is what every template gets: the page's own data plus what the
// layout needs.
type View struct {
	Lang        string
	Mode        string // the reader mode: "" or ModeCare
	Site        site.Settings
	Nav         []model.Column
	Path        string // request path, for the language switch
	Title       string // <title>, before the site name
	Description string
	Canonical   string
	OG          *OpenGraph
	Feeds       []FeedLink  // <link rel=alternate> autodiscovery, after the site's own (SiteFeeds)
	Active      int64       // column highlighted in the navigation
	Query       string      // the search box's text
	NoIndex     bool        // search results and error pages: not for search engines
	NoReferrer  bool        // a page whose address holds a secret (the approver's link)
	JSONLD      template.JS // structured data (an article's NewsArticle)
	Data        any

	cat    *i18n.Catalog
	chrome *chromeCache  // the layout's parts rendered for this site snapshot (nil: none kept)
	into   *bytes.Buffer // the caller's buffer to render into (pagecache.Rendered.Into)
}

// OpenGraph is an article's og: properties.
type OpenGraph struct {
	Type, Image, Published, Modified string
}

// FeedLink is a feed the page points to.
type FeedLink struct {
	Title, Href, Type string
}

// T translates an interface string into the page's language.
func (v *View) T(key string, args ...any) string { return v.cat.T(v.Lang, key, args...) }

// Date formats t in the site's time zone as 2020-11-05.
func (v *View) Date(t time.Time) string { return t.In(v.Site.TimeZone).Format("2006-01-02") }

// DateTime formats t in the site's time zone with minutes.
func (v *View) DateTime(t time.Time) string { return t.In(v.Site.TimeZone).Format("2006-01-02 15:04") }

// Abs makes a site path absolute with the base URL.
func (v *View) Abs(p string) string { return reader.Abs(v.Site.BaseURL, p) }

// SwitchLang is the current page in the other language.
func (v *View) SwitchLang() string {
	other := "en"
	if v.Lang == i18n.EN {
		other = "zh-CN"
	}
	return v.Path + "?lang=" + other
}

// MetaDescription is the page's meta description: its own, else one made
// from its title and the site's name.
func (v *View) MetaDescription() string {
	switch {
	case v.Description != "":
		return v.Description
	case v.Title != "":
		return v.T("meta.page", v.Title, v.Site.Name)
	}
	return v.T("meta.site", v.Site.Name)
}

// SwitchMode is the current page in the other reader mode.
func (v *View) SwitchMode() string {
	if v.Mode == ModeCare {
		return v.Path + "?mode=standard"
	}
	return v.Path + "?mode=" + ModeCare
}

// ContentLang marks an element holding the site's content (titles,
// summaries, bodies, column names) with the language it is written in,
// Chinese, when the interface is in another: screen readers then read it
// with Chinese rules whatever the reader's language (WCAG 3.1.2).
func (v *View) ContentLang() template.HTMLAttr {
	if v.HTMLLang() == i18n.ZH {
		return ""
	}
	return template.HTMLAttr(` lang="` + i18n.ZH + `"`)
}

// HTMLLang is the value of <html lang>.
func (v *View) HTMLLang() string {
	if v.Lang == i18n.EN {
		return "en"
	}
	return "zh-CN"
}

// Base builds the layout part of a view.
func (rd *Renderer) Base(r *http.Request, lang string, cols *column.Tree, st site.Settings) *View {
	v := &View{Lang: lang, Mode: Mode(r), Site: st, Path: r.URL.Path, cat: rd.cat, Nav: cols.Children(0)}
	if out := pagecache.RenderedOf(r.Context()); out != nil {
		v.into = out.Into
	}
	return v
}

// SiteFeeds are the site's own feeds, which every page's head names
// before its own (Feeds).
func (v *View) SiteFeeds() []FeedLink {
	return []FeedLink{
		{Title: v.Site.Name + " RSS", Href: reader.FeedURL("", "rss"), Type: "application/rss+xml"},
		{Title: v.Site.Name + " Atom", Href: reader.FeedURL("", "atom"), Type: "application/atom+xml"},
	}
}

// Execute renders the page template name with v: into the caller's
// buffer when the view has one, else into a pooled one it is copied out of.
func (rd *Renderer) Execute(name string, v *View) (pagecache.Page, error) {
	if b := v.into; b != nil {
		b.Reset()
		if err := rd.execute(b, name, v); err != nil {
			return pagecache.Page{}, err
		}
		return pagecache.Page{Body: b.Bytes(), ContentType: "text/html; charset=utf-8"}, nil
	}
	// Copied out at its own size: a buffer made for each page and kept as
	// the body (32 KiB for pages of about 10) was a third of the bytes a
	// static export allocated, and held that much in the page cache.
	b := pagecache.Buffer()
	defer pagecache.Release(b)
	if err := rd.execute(b, name, v); err != nil {
		return pagecache.Page{}, err
	}
	return pagecache.Page{Body: bytes.Clone(b.Bytes()), ContentType: "text/html; charset=utf-8"}, nil
}

func (rd *Renderer) execute(b *bytes.Buffer, name string, v *View) error {
	var err error
	if strings.HasPrefix(name, "desk_") {
		t := rd.pages[name]
		if t == nil {
			return fmt.Errorf("render %s: a renderer of the public site only has no desk pages", name)
		}
		err = t.Execute(b, v)
	} else {
		err = rd.publicPage(b, name, v)
	}
	if err != nil {
		return fmt.Errorf("render %s: %w", name, err)
	}
	return nil
}

// Common builds the view every page starts from: the layout with the
// site's settings and navigation. It returns the column tree too.
func (rd *Renderer) Common(r *http.Request, lang string) (*View, *column.Tree, error) {
	st, err := rd.site(r.Context())
	if err != nil {
		return nil, nil, err
	}
	v := rd.Base(r, lang, st.Columns, st.Settings)
	v.chrome = rd.chromeFor(st)
	return v, st.Columns, nil
}

// maxArchives bounds the archive asides a snapshot keeps: a few per column
// (its whole list, and its years and months, show the same one).
const maxArchives = 1000

// cardsHTML renders the cards of the partial "cards" (whose dict is
// list; writeCard).
func (rd *Renderer) cardsHTML(list map[string]any) template.HTML {
	v, _ := list["V"].(*View)
	cards, _ := list["List"].([]reader.Card)
	var how cardsOf
	how.images, _ = list["Images"].(bool)
	how.summaries, _ = list["Summaries"].(bool)
	how.columns, _ = list["Columns"].(bool)
	m := newMarkup(len(cards) * 512)
	writeCards(&m, v, how, cards)
	return m.html()
}

// archiveHTML renders a column's archive aside (archiveAside), from the
// site snapshot's chrome cache when it is there
// (a change of content is a new snapshot, so the aside is rendered once
// per column per change, for the dynamic site and an export alike): the
// aside is the same on every list page of the column, and with twenty
// years of twelve months it was most of a list page's template time. It is
// kept under everything it shows (the language, the years and months with
// their counts and links, the feed link).
func (rd *Renderer) archiveHTML(v *View, years []reader.ArchiveYear, feedURL string) (template.HTML, error) {
	var key string
	c := v.chrome
	if c != nil {
		b := make([]byte, 0, 64+len(years)*13*40)
		b = append(b, v.Lang...)
		b = append(b, 0)
		b = append(b, feedURL...)
		for _, y := range years {
			b = append(b, 0, 'y')
			b = strconv.AppendInt(b, int64(y.Year), 10)
			b = append(b, ' ')
			b = strconv.AppendInt(b, int64(y.Count), 10)
			b = append(b, ' ')
			b = append(b, y.URL...)
			for _, mo := range y.Months {
				b = append(b, 0, 'm')
				b = strconv.AppendInt(b, int64(mo.Month), 10)
				b = append(b, ' ')
				b = strconv.AppendInt(b, int64(mo.Count), 10)
				b = append(b, ' ')
				b = append(b, mo.URL...)
			}
		}
		key = string(b)
		if h, ok := c.archive(key); ok {
			return h, nil
		}
	}
	h := archiveAside(v, years, feedURL)
	if c != nil {
		c.keepArchive(key, h)
	}
	return h, nil
}

// archiveAside is the archive of a column's list pages: a year a
// <details> (the newest open) with a link to the whole year and one to
// each month, or, a year shown without its months, its link alone. It is written here rather than by a template: twenty years
// are 260 links, each a translated label, and html/template's reflective
// calls made it 4.7 ms of a column's first page; written out it is a
// fraction of that (BenchmarkArchiveAside).
func archiveAside(v *View, years []reader.ArchiveYear, feedURL string) template.HTML {
	var b strings.Builder
	b.Grow(256 + len(years)*13*80)
	link := func(url, label string) {
		b.WriteString(`<a href="`)
		b.WriteString(html.EscapeString(url))
		b.WriteString(`">`)
		b.WriteString(html.EscapeString(label))
		b.WriteString(`</a>`)
	}
	count := func(n int) {
		if n == 0 { // not shown (reader.ArchiveYear)
			return
		}
		b.WriteString(` <small>(`)
		b.WriteString(strconv.Itoa(n))
		b.WriteString(`)</small>`)
	}
	b.WriteString("\n<aside class=\"archive\" aria-labelledby=\"arch-h\">\n  <h2 id=\"arch-h\">")
	b.WriteString(html.EscapeString(v.T("list.archive")))
	b.WriteString("</h2>\n")
	opened := false
	for _, y := range years {
		if len(y.Months) == 0 { // the year's link alone (reader.ArchiveYear)
			b.WriteString(`  <p class="year-link">`)
			link(y.URL, v.T("list.year", y.Year))
			b.WriteString("</p>\n")
			continue
		}
		b.WriteString("  <details")
		if !opened {
			b.WriteString(" open")
			opened = true
		}
		b.WriteString(">\n    <summary>")
		b.WriteString(html.EscapeString(v.T("list.year", y.Year)))
		count(y.Count)
		b.WriteString("</summary>\n    <ul><li class=\"year-link\">")
		link(y.URL, v.T("list.year.all", y.Year))
		b.WriteString("</li>")
		for _, m := range y.Months {
			b.WriteString("<li>")
			link(m.URL, v.T("list.month", y.Year, m.Month))
			count(m.Count)
			b.WriteString("</li>")
		}
		b.WriteString("</ul>\n  </details>\n")
	}
	if feedURL != "" {
		b.WriteString(`  <p class="feed-link">`)
		link(feedURL, "RSS")
		b.WriteString("</p>\n")
	}
	b.WriteString("</aside>\n")
	return template.HTML(b.String())
}

// chromeCache keeps the parts of the public layout that are the same on
// many pages (the masthead, the search box with the column menu, the
// footer), rendered once for one site snapshot: a static export renders
// 10,000 pages or more with the same settings and columns, and the layout
// was a third of each page's template time. The snapshot is held, so a
// change to the settings or columns (a new snapshot) starts a new cache.
type chromeCache struct {
	site  *reader.Site
	parts sync.Map // chromeKey → template.HTML
	// archives are the columns' archive asides (archiveHTML) rendered
	// for this snapshot, by what each shows; at most maxArchives.
	mu       sync.Mutex
	archives map[string]template.HTML
}

// archive is the aside kept under key, if any.
func (c *chromeCache) archive(key string) (template.HTML, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	h, ok := c.archives[key]
	return h, ok
}

// keepArchive keeps the aside h under key, unless maxArchives are kept
// already (the rest are rendered each time until the next snapshot).
func (c *chromeCache) keepArchive(key string, h template.HTML) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.archives == nil {
		c.archives = map[string]template.HTML{}
	}
	if len(c.archives) < maxArchives {
		c.archives[key] = h
	}
}

type chromeKey struct {
	name, lang, mode string
	active           int64
	home             bool
}

// chromeFor is the cache of st, made anew when the snapshot changed.
func (rd *Renderer) chromeFor(st *reader.Site) *chromeCache {
	for {
		c := rd.chrome.Load()
		if c != nil && c.site == st {
			return c
		}
		n := &chromeCache{site: st}
		if rd.chrome.CompareAndSwap(c, n) {
			return n
		}
	}
}

// chromeHTML renders the public layout's part name ({{chrome "nav" .}})
// for v, from the cache when v's part was rendered before: each part
// reads only the language, the reader mode, the site's settings and
// columns, and (the column menu) the column highlighted and whether the
// page is the home page. A search page's box shows its query: rendered each time.
func (rd *Renderer) chromeHTML(name string, v *View) (template.HTML, error) {
	key := chromeKey{name: name, lang: v.Lang, mode: v.Mode}
	if name == "nav" {
		key.active, key.home = v.Active, v.Path == "/"
	}
	c := v.chrome
	if c == nil || v.Query != "" || (name == "nav" && v.Active != 0 && !v.hasNav(v.Active)) {
		c = nil
	}
	if c != nil {
		if h, ok := c.parts.Load(key); ok {
			return h.(template.HTML), nil
		}
	}
	var b strings.Builder
	if err := rd.pages["home"].ExecuteTemplate(&b, name, v); err != nil {
		return "", fmt.Errorf("layout part %s: %w", name, err)
	}
	h := template.HTML(b.String())
	if c != nil {
		c.parts.Store(key, h)
	}
	return h, nil
}

// hasNav says whether the column id is in the menu (the highlighted one
// always is; anything else is rendered, not kept, so the cache stays as
// small as the menu).
func (v *View) hasNav(id int64) bool {
	for _, c := range v.Nav {
		if c.ID == id {
			return true
		}
	}
	return false
}

// Fail renders the site's error page for err: 404 for anything not found,
// 500 (logged and counted) for the rest.
func (rd *Renderer) Fail(w http.ResponseWriter, r *http.Request, lang string, err error) {
	status := http.StatusInternalServerError
	if errors.Is(err, model.ErrNotFound) {
		status = http.StatusNotFound
	} else {
		rd.errors.Add(1)
		rd.log.Error("page failed", "path", r.URL.Path, "err", err)
	}
	body, rerr := rd.errorPage(r, lang, status)
	if rerr != nil {
		rd.log.Error("error page failed", "err", rerr)
		http.Error(w, http.StatusText(status), status)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(body)
}

// Failures counts the pages that failed with a 500, for the metrics.
func (rd *Renderer) Failures() int64 { return rd.errors.Load() }

func (rd *Renderer) errorPage(r *http.Request, lang string, status int) ([]byte, error) {
	// The error page must render even when the store fails.
	st, cols := site.Settings{Name: site.Defaults["site.name"], TimeZone: time.UTC}, column.NewTree(nil)
	if snap, err := rd.site(r.Context()); err == nil {
		st, cols = snap.Settings, snap.Columns
	}
	v := rd.Base(r, lang, cols, st)
	v.Data = status
	v.NoIndex = true
	if status == http.StatusNotFound {
		v.Title, v.Description = v.T("error.404.title"), v.T("error.404.body")
	} else {
		v.Title, v.Description = v.T("error.500.title"), v.T("error.500.body")
	}
	out, err := rd.Execute("error", v)
	return out.Body, err
}

// editorBundle is where scripts/editor.sh writes the story editor's
// bundle; a checkout built without it embeds no such file.
const editorBundle = "editor.bundle.js"

// embeddedStatic are the embedded assets, loaded once for every Renderer
// of the process (a static export makes two; the tests, hundreds): their
// gzipping at the best level was 7.5 ms a Renderer.
var embeddedStatic = sync.OnceValues(func() (staticFiles, error) { return loadStatic(assets) })

func loadStatic(files fs.FS) (staticFiles, error) {
	sub, err := fs.Sub(files, "static")
	if err != nil {
		return staticFiles{}, err
	}
	h := sha256.New()
	gzipped := map[string][]byte{}
	err = fs.WalkDir(sub, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(sub, p)
		h.Write([]byte(p))
		h.Write(b)
		gzipped[p] = gzipBytes(b, gzip.BestCompression)
		return err
	})
	if err != nil {
		return staticFiles{}, err
	}
	_, missing := fs.Stat(sub, editorBundle)
	return staticFiles{version: hex.EncodeToString(h.Sum(nil))[:12], fs: sub, editor: missing == nil, gzipped: gzipped}, nil
}

// staticFiles are the embedded assets, served under a content-hash version
// so they can be cached forever.
type staticFiles struct {
	version string
	fs      fs.FS
	editor  bool              // the bundled story editor is there
	gzipped map[string][]byte // each file gzipped once at start-up
}

// ServeStatic serves the embedded asset of the route's {file}; the
// versioned URL ({version}) changes with their content, so they may be
// cached for a year. An unknown file is model.ErrNotFound, nothing written.
func (rd *Renderer) ServeStatic(w http.ResponseWriter, r *http.Request) error {
	name := path.Clean(r.PathValue("file"))
	b, err := fs.ReadFile(rd.static.fs, name)
	if err != nil {
		return fmt.Errorf("static %s: %w", name, model.ErrNotFound)
	}
	w.Header().Add("Vary", "Accept-Encoding")
	if gz, ok := rd.static.gzipped[name]; ok && acceptsGzip(r) {
		// Compressed once at start-up; http.ServeContent still answers
		// ranges and If-Modified-Since over these bytes.
		w.Header().Set("Content-Encoding", "gzip")
		b = gz
	}
	if r.PathValue("version") == rd.static.version {
		w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	}
	w.Header().Set("X-Content-Type-Options", "nosniff")
	http.ServeContent(w, r, name, time.Time{}, bytes.NewReader(b))
	return nil
}

// dict builds the argument map of a partial: dict "K1" v1 "K2" v2 ….
func dict(kv ...any) (map[string]any, error) {
	if len(kv)%2 != 0 {
		return nil, fmt.Errorf("dict needs key/value pairs")
	}
	m := make(map[string]any, len(kv)/2)
	for i := 0; i < len(kv); i += 2 {
		k, ok := kv[i].(string)
		if !ok {
			return nil, fmt.Errorf("dict key %v is not a string", kv[i])
		}
		m[k] = kv[i+1]
	}
	return m, nil
}

// XMLEscape is s escaped for XML text or attributes.
func XMLEscape(s string) string {
	var b bytes.Buffer
	xml.EscapeText(&b, []byte(s))
	return b.String()
}

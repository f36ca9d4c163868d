package web

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/xml"
	"fmt"
	"html"
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"strings"
	"time"

	"newsdesk/internal/column"
	"newsdesk/internal/i18n"
	"newsdesk/internal/reader"
	"newsdesk/internal/search"
	"newsdesk/internal/site"
	"newsdesk/internal/store"
)

// pageTemplate is one view parsed together with the layout and partials.
type pageTemplate = *template.Template

// views lists every page template; each is parsed with layout.html and
// partials.html at start-up, so a broken template stops the server early.
var views = []string{"home", "list", "article", "sitemap", "feeds", "page", "error", "search",
	"desk_login", "desk_home", "desk_article", "desk_users", "desk_message", "desk_search", "desk_diff", "desk_audit", "desk_password", "desk_tokens", "desk_site", "desk_library", "desk_library_item", "desk_campus", "desk_signins", "desk_sessions", "desk_2fa"}

func parseTemplates(s *Server) (map[string]pageTemplate, error) {
	funcs := template.FuncMap{
		// Public addresses, all built by the reader.
		"articleURL": func(a store.Article) string { return reader.ArticleURL(a.ID) },
		"columnURL":  func(c store.Column) string { return reader.ColumnURL(c.Slug, 0, 0, 1) },
		"slotURL":    func(slot string) string { return reader.SlotURL(slot, 1) },
		"pageURL":    reader.PageURL,
		"feedURL":    reader.FeedURL,
		"url":        publicURL,
		"pic":        pictureOf,
		"highlight":  highlight,
		"static":     func(name string) string { return "/static/" + s.static.version + "/" + name },
		"html":       func(s string) template.HTML { return template.HTML(s) }, // only for bodies sanitised on save
		"picture":    pictureHTML,
		"kb":         func(n int64) float64 { return float64(n) / 1024 },
		"add":        func(a, b int) int { return a + b },
		"join":       func(xs []string) string { return strings.Join(xs, " ") },
		"iso":        func(t time.Time) string { return t.UTC().Format(time.RFC3339) },
		"dict":       dict,
		"searchMax":  func() int { return store.SearchMax },
		"campus":     s.campusSignIns,
	}
	out := map[string]pageTemplate{}
	for _, v := range views {
		layout := "layout.html"
		if strings.HasPrefix(v, "desk_") {
			layout = "desk_layout.html"
		}
		t, err := template.New(layout).Funcs(funcs).ParseFS(assets, "templates/"+layout, "templates/partials.html", "templates/"+v+".html")
		if err != nil {
			return nil, fmt.Errorf("template %s: %w", v, err)
		}
		out[v] = t
	}
	return out, nil
}

// publicURL is one of the site's fixed public addresses, by name, for
// templates: {{url "sitemap"}}.
func publicURL(name string) (string, error) {
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
		return reader.SearchPath, nil
	case "opensearch":
		return reader.OpenSearchURL, nil
	case "help":
		return reader.HelpURL, nil
	}
	return "", fmt.Errorf("no public address named %q", name)
}

// highlight is text as escaped HTML with the matched spans (rune offsets,
// as search finds them) wrapped in <mark>.
func highlight(text string, spans []search.Span) template.HTML {
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

// view is what every template gets: the page's own data plus what the
// layout needs.
type view struct {
	Lang        string
	Site        site.Settings
	Nav         []store.Column
	Path        string // request path, for the language switch
	Title       string // <title>, before the site name
	Description string
	Canonical   string
	OG          *openGraph
	Feeds       []feedLink // <link rel=alternate> autodiscovery
	Active      int64      // column highlighted in the navigation
	Query       string     // the search box's text
	Data        any

	cat *i18n.Catalog
}

type openGraph struct {
	Type, Image, Published, Modified string
}

type feedLink struct {
	Title, Href, Type string
}

// T translates an interface string into the page's language.
func (v *view) T(key string, args ...any) string { return v.cat.T(v.Lang, key, args...) }

// Date formats t in the site's time zone as 2020-11-05.
func (v *view) Date(t time.Time) string { return t.In(v.Site.TimeZone).Format("2006-01-02") }

// DateTime formats t in the site's time zone with minutes.
func (v *view) DateTime(t time.Time) string { return t.In(v.Site.TimeZone).Format("2006-01-02 15:04") }

// Abs makes a site path absolute with the base URL.
func (v *view) Abs(p string) string { return reader.Abs(v.Site.BaseURL, p) }

// SwitchLang is the current page in the other language.
func (v *view) SwitchLang() string {
	other := "en"
	if v.Lang == i18n.EN {
		other = "zh-CN"
	}
	return v.Path + "?lang=" + other
}

// HTMLLang is the value of <html lang>.
func (v *view) HTMLLang() string {
	if v.Lang == i18n.EN {
		return "en"
	}
	return "zh-CN"
}

// base builds the layout part of a view.
func (s *Server) base(r *http.Request, lang string, cols *column.Tree, st site.Settings) *view {
	v := &view{Lang: lang, Site: st, Path: r.URL.Path, cat: s.Catalog, Nav: cols.Children(0)}
	v.Feeds = []feedLink{
		{Title: st.Name + " RSS", Href: reader.FeedURL("", "rss"), Type: "application/rss+xml"},
		{Title: st.Name + " Atom", Href: reader.FeedURL("", "atom"), Type: "application/atom+xml"},
	}
	return v
}

func (s *Server) execute(name string, v *view) (rendered, error) {
	var b bytes.Buffer
	b.Grow(32 << 10)
	if err := s.tmpl[name].Execute(&b, v); err != nil {
		return rendered{}, fmt.Errorf("render %s: %w", name, err)
	}
	return rendered{Body: b.Bytes(), ContentType: "text/html; charset=utf-8"}, nil
}

func (s *Server) renderError(r *http.Request, lang string, status int) ([]byte, error) {
	// The error page must render even when the store fails.
	st, cols := site.Settings{Name: site.Defaults["site.name"], TimeZone: time.UTC}, column.NewTree(nil)
	if snap, err := s.snapshot(r.Context()); err == nil {
		st, cols = snap.settings, snap.cols
	}
	v := s.base(r, lang, cols, st)
	v.Data = status
	if status == http.StatusNotFound {
		v.Title = v.T("error.404.title")
	} else {
		v.Title = v.T("error.500.title")
	}
	out, err := s.execute("error", v)
	return out.Body, err
}

func loadStatic() (staticFiles, error) {
	sub, err := fs.Sub(assets, "static")
	if err != nil {
		return staticFiles{}, err
	}
	h := sha256.New()
	err = fs.WalkDir(sub, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(sub, p)
		h.Write([]byte(p))
		h.Write(b)
		return err
	})
	if err != nil {
		return staticFiles{}, err
	}
	return staticFiles{version: hex.EncodeToString(h.Sum(nil))[:12], fs: sub}, nil
}

// serveStatic serves embedded assets; the versioned URL changes with their
// content, so they may be cached for a year.
func (s *Server) serveStatic(w http.ResponseWriter, r *http.Request) {
	name := path.Clean(r.PathValue("file"))
	b, err := fs.ReadFile(s.static.fs, name)
	if err != nil {
		s.fail(w, r, s.lang(r), store.ErrNotFound)
		return
	}
	if r.PathValue("version") == s.static.version {
		w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	}
	w.Header().Set("X-Content-Type-Options", "nosniff")
	http.ServeContent(w, r, name, time.Time{}, bytes.NewReader(b))
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

func xmlEscape(s string) string {
	var b bytes.Buffer
	xml.EscapeText(&b, []byte(s))
	return b.String()
}

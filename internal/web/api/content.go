package api

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"newsdesk/internal/column"
	"newsdesk/internal/model"
	"newsdesk/internal/reader"
	"newsdesk/internal/site"
	"newsdesk/internal/web/render"
)

// The content API: what the public site shows, as JSON. Every answer is
// built from published stories only and goes through the page cache, so
// it is purged with the pages when content changes.

// contentArticle is a published story.
type contentArticle struct {
	ID          int64          `json:"id"`
	URL         string         `json:"url"` // the canonical page
	Kicker      string         `json:"kicker"`
	Title       string         `json:"title"`
	Subtitle    string         `json:"subtitle"`
	Summary     string         `json:"summary"`
	BodyHTML    *string        `json:"body_html,omitempty"` // not in lists
	PublishedAt time.Time      `json:"published_at"`
	Column      *contentColumn `json:"column"`
	Credits     credits        `json:"credits"`
	LeadImage   *image         `json:"lead_image"`
	Figures     []image        `json:"figures,omitempty"` // not in lists
	Views       int64          `json:"views"`
}

// contentColumn is a column of the site.
type contentColumn struct {
	ID          int64  `json:"id"`
	ParentID    int64  `json:"parent_id"`
	Slug        string `json:"slug"`
	Name        string `json:"name"`
	Description string `json:"description"`
	URL         string `json:"url"`
}

// image is a library picture with its responsive variants.
type image struct {
	ID       int64     `json:"id"`
	URL      string    `json:"url"`
	Width    int       `json:"width"`
	Height   int       `json:"height"`
	Format   string    `json:"format"` // MIME type
	Alt      string    `json:"alt"`
	Caption  string    `json:"caption"`
	Credit   string    `json:"credit"`
	Variants []variant `json:"variants"`
}

// variant is a resized copy, narrowest first.
type variant struct {
	URL    string `json:"url"`
	Width  int    `json:"width"`
	Height int    `json:"height"`
	Format string `json:"format"`
}

type columnList struct {
	Columns []contentColumn `json:"columns"`
}

type searchHit struct {
	contentArticle
	// SnippetHTML is the matching passage, the words found in <mark>.
	SnippetHTML string `json:"snippet_html"`
}

// content is what every content answer needs: settings and columns.
type content struct {
	st   site.Settings
	cols *column.Tree
	now  time.Time
}

func (a *API) content(ctx context.Context) (*content, error) {
	st, err := a.Reader.Site(ctx)
	if err != nil {
		return nil, err
	}
	return &content{st: st.Settings, cols: st.Columns, now: a.Now()}, nil
}

// encode is a public answer of v.
func encode(v any) (Answer, error) {
	b, err := json.Marshal(v)
	return Answer{Body: append(b, '\n')}, err
}

func (cx *content) column(id int64) *contentColumn {
	c, ok := cx.cols.Get(id)
	if !ok {
		return nil
	}
	return columnOf(cx.st.BaseURL, c)
}

func columnOf(base string, c model.Column) *contentColumn {
	if c.ID == 0 {
		return nil
	}
	return &contentColumn{ID: c.ID, ParentID: c.ParentID, Slug: c.Slug, Name: c.Name, Description: c.Description,
		URL: reader.Abs(base, reader.ColumnURL(c.Slug, 0, 0, 0))}
}

// imageOf is a reader's picture with absolute addresses.
func imageOf(base string, ri reader.Image) image {
	img := image{ID: ri.ID, URL: reader.Abs(base, ri.URL), Width: ri.Width, Height: ri.Height, Format: ri.ContentType,
		Alt: ri.Alt, Caption: ri.Caption, Credit: ri.Credit, Variants: []variant{}}
	for _, v := range ri.Variants {
		img.Variants = append(img.Variants, variant{URL: reader.Abs(base, v.URL), Width: v.Width, Height: v.Height, Format: v.ContentType})
	}
	return img
}

// card is a listed story as the content API gives it.
func (cx *content) card(c reader.Card) contentArticle {
	base := cx.st.BaseURL
	out := contentArticle{ID: c.ID, URL: reader.Abs(base, c.URL), Kicker: c.Kicker, Title: c.Title, Subtitle: c.Subtitle,
		Summary: c.Summary, PublishedAt: c.PublishedAt.In(cx.st.TimeZone), Column: columnOf(base, c.Column),
		Credits: creditsOf(c.Credits), Views: c.Views}
	if c.Lead != nil {
		img := imageOf(base, *c.Lead)
		out.LeadImage = &img
	}
	return out
}

// listParams reads a list's paging and filters (column, from, to).
func (a *API) listParams(r *http.Request, cx *content) (reader.ListParams, error) {
	var p reader.ListParams
	var err error
	if p.Page, p.PerPage, err = paging(r); err != nil {
		return p, err
	}
	if p.ColumnIDs, err = a.columnIDs(r.Context(), r.URL.Query().Get("column")); err != nil {
		return p, err
	}
	if p.From, err = dateParam(r, "from", cx.st.TimeZone); err != nil {
		return p, err
	}
	p.To, err = dateParam(r, "to", cx.st.TimeZone)
	return p, err
}

// listAnswer is a listing as JSON.
func (cx *content) listAnswer(l reader.Listing) (Answer, error) {
	out := articleList[contentArticle]{Articles: make([]contentArticle, len(l.Articles)), Page: l.Page, PerPage: l.PerPage, Total: l.Total}
	for i, c := range l.Articles {
		out.Articles[i] = cx.card(c)
	}
	return encode(out)
}

// dateParam reads from/to: a date (in the site's time zone) or an RFC
// 3339 time. A date as "to" includes the whole day.
func dateParam(r *http.Request, name string, tz *time.Location) (time.Time, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return time.Time{}, nil
	}
	if t, err := time.ParseInLocation("2006-01-02", v, tz); err == nil {
		if name == "to" {
			t = t.AddDate(0, 0, 1)
		}
		return t, nil
	}
	t, err := time.Parse(time.RFC3339, v)
	if err != nil {
		return t, badParam(name, v)
	}
	return t, nil
}

// contentArticles lists published stories, newest first (filters column,
// from, to).
func (a *API) contentArticles(r *http.Request, lang string) (Answer, error) {
	cx, err := a.content(r.Context())
	if err != nil {
		return Answer{}, err
	}
	p, err := a.listParams(r, cx)
	if err != nil {
		return Answer{}, err
	}
	l, err := a.Reader.Articles(r.Context(), p)
	if err != nil {
		return Answer{}, err
	}
	return cx.listAnswer(l)
}

// contentArticle is one published story, with its body and figures, as
// the reader builds the article page.
func (a *API) contentArticle(r *http.Request, lang string) (Answer, error) {
	ctx := r.Context()
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return Answer{}, fmt.Errorf("article %q: %w", r.PathValue("id"), model.ErrNotFound)
	}
	d, err := a.Reader.Article(ctx, id)
	if err != nil {
		return Answer{}, err
	}
	cx, err := a.content(ctx)
	if err != nil {
		return Answer{}, err
	}
	base := cx.st.BaseURL
	body, err := absoluteLinks(string(d.Body), base)
	if err != nil {
		return Answer{}, err
	}
	out := contentArticle{ID: d.ID, URL: reader.Abs(base, d.URL), Kicker: d.Kicker, Title: d.Title, Subtitle: d.Subtitle,
		Summary: d.Summary, BodyHTML: &body, PublishedAt: d.PublishedAt.In(cx.st.TimeZone), Column: columnOf(base, d.Column),
		Credits: creditsOf(d.Credits), Figures: []image{}, Views: d.Views}
	if d.Lead != nil {
		img := imageOf(base, *d.Lead)
		out.LeadImage = &img
	}
	for _, f := range d.Figures {
		out.Figures = append(out.Figures, imageOf(base, f))
	}
	ans, err := encode(out)
	ans.ArticleID = d.ID // a read of the article: counted as a view
	return ans, err
}

// absoluteLinks makes the site paths in a body (photos, attachments, videos and their posters,
// links to other stories) full addresses: an app has no page to resolve
// them against.
func absoluteLinks(body, base string) (string, error) {
	ctx := &html.Node{Type: html.ElementNode, Data: "body", DataAtom: atom.Body}
	nodes, err := html.ParseFragment(strings.NewReader(body), ctx)
	if err != nil {
		return "", fmt.Errorf("parse body: %w", err)
	}
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			for i, at := range n.Attr {
				if (at.Key == "src" || at.Key == "href" || at.Key == "poster") && strings.HasPrefix(at.Val, "/") && !strings.HasPrefix(at.Val, "//") {
					n.Attr[i].Val = base + at.Val
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	var b strings.Builder
	for _, n := range nodes {
		walk(n)
		if err := html.Render(&b, n); err != nil {
			return "", err
		}
	}
	return b.String(), nil
}

// contentColumns lists the columns in tree order (parents before children).
func (a *API) contentColumns(r *http.Request, lang string) (Answer, error) {
	cx, err := a.content(r.Context())
	if err != nil {
		return Answer{}, err
	}
	out := columnList{Columns: []contentColumn{}}
	var add func(parent int64)
	add = func(parent int64) {
		for _, c := range cx.cols.Children(parent) {
			out.Columns = append(out.Columns, *cx.column(c.ID))
			add(c.ID)
		}
	}
	add(0)
	return encode(out)
}

// contentSlot lists a curated slot's published, unexpired stories in
// the editors' order.
func (a *API) contentSlot(slot string) Render {
	return func(r *http.Request, lang string) (Answer, error) {
		cx, err := a.content(r.Context())
		if err != nil {
			return Answer{}, err
		}
		var p reader.ListParams
		if p.Page, p.PerPage, err = paging(r); err != nil {
			return Answer{}, err
		}
		l, err := a.Reader.SlotListing(r.Context(), slot, p)
		if err != nil {
			return Answer{}, err
		}
		return cx.listAnswer(l)
	}
}

type searchAnswer struct {
	Query   string      `json:"query"`
	Results []searchHit `json:"results"`
	Page    int         `json:"page"`
	PerPage int         `json:"per_page"`
	// Total counts the matches, up to a bound (store.SearchMax).
	Total int `json:"total"`
}

// contentSearch searches the published stories (q; filters column, from,
// to; sort=date for newest first instead of relevance).
func (a *API) contentSearch(r *http.Request, lang string) (Answer, error) {
	cx, err := a.content(r.Context())
	if err != nil {
		return Answer{}, err
	}
	p, err := a.listParams(r, cx)
	if err != nil {
		return Answer{}, err
	}
	qv := r.URL.Query()
	text := strings.TrimSpace(qv.Get("q"))
	hits, total, err := a.Reader.Matches(r.Context(), text, qv.Get("sort") == "date", p)
	if err != nil {
		return Answer{}, err
	}
	out := searchAnswer{Query: text, Results: make([]searchHit, len(hits)), Page: p.Page, PerPage: p.PerPage, Total: total}
	for i, h := range hits {
		out.Results[i] = searchHit{contentArticle: cx.card(h.Card), SnippetHTML: string(render.Highlight(h.Snippet, h.SnippetMatches))}
	}
	return encode(out)
}

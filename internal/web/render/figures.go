package render

import (
	"context"
	"fmt"
	"html"
	"html/template"
	"strings"

	nethtml "golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"newsdesk/internal/article"
	"newsdesk/internal/media"
	"newsdesk/internal/model"
	"newsdesk/internal/reader"
)

// Picture is a library image ready for a page: the served file, its
// variants as srcset candidates, and the size it takes, so the browser
// reserves the space (no layout shift) and fetches no more than it needs.
type Picture struct {
	Src           string
	Width, Height int
	Alt           string
	WebP, Srcset  string // candidate lists; empty until the variants exist
}

// Decorative is p with no alt text, for a thumbnail beside its own title.
func (p Picture) Decorative() Picture { p.Alt = ""; return p }

// PictureHTML is the markup of p; sizes says how wide it shows, lazy
// defers it until it nears the screen.
func PictureHTML(p Picture, sizes string, lazy bool) template.HTML {
	var b strings.Builder
	img := fmt.Sprintf(`<img src="%s" alt="%s" width="%d" height="%d"`, html.EscapeString(p.Src), html.EscapeString(p.Alt), p.Width, p.Height)
	if p.Srcset != "" {
		img += fmt.Sprintf(` srcset="%s" sizes="%s"`, html.EscapeString(p.Srcset), html.EscapeString(sizes))
	}
	if lazy {
		img += ` loading="lazy"`
	}
	img += ` decoding="async">`
	if p.WebP == "" {
		return template.HTML(img)
	}
	fmt.Fprintf(&b, `<picture><source type="image/webp" srcset="%s" sizes="%s">%s</picture>`, html.EscapeString(p.WebP), html.EscapeString(sizes), img)
	return template.HTML(b.String())
}

// BodySizes is how wide a body picture shows: the story column on a
// desktop, the screen on a phone.
const BodySizes = "(min-width: 860px) 750px, 100vw"

// FileURL is where readers fetch a stored file: through Newsdesk, or
// from the public media address (a CDN) when one is set.
func (rd *Renderer) FileURL(m model.Media) string { return rd.links.File(m) }

// VariantURL is where readers fetch a responsive variant.
func (rd *Renderer) VariantURL(v model.Variant) string { return rd.links.Variant(v) }

// Picture builds the picture of m from its variants (narrowest first). The
// served file itself is the widest candidate of its own format.
func (rd *Renderer) Picture(m model.Media, vs []model.Variant) Picture {
	return picture(rd.links, m, vs)
}

func picture(l media.Links, m model.Media, vs []model.Variant) Picture {
	p := Picture{Src: l.File(m), Width: m.Width, Height: m.Height, Alt: m.Alt}
	var own, webp []string
	widestWebP := 0
	for _, v := range vs {
		c := fmt.Sprintf("%s %dw", l.Variant(v), v.Width)
		if v.ContentType == "image/webp" {
			webp = append(webp, c)
			widestWebP = max(widestWebP, v.Width)
		} else {
			own = append(own, c)
		}
	}
	if len(own)+len(webp) == 0 {
		return p // no variants yet: the served file alone, until they are made
	}
	if len(webp) > 0 && widestWebP < m.Width {
		// Variants are never wider than the original, so the WebP list
		// stops short of it: without more, a WebP browser would show the
		// widest WebP upscaled (soft) on a wide screen. Its own-format
		// variants beyond that and the served file carry the list up to
		// the original's width; a browser that takes WebP takes these too.
		for _, v := range vs {
			if v.ContentType != "image/webp" && v.Width > widestWebP && v.Width < m.Width {
				webp = append(webp, fmt.Sprintf("%s %dw", l.Variant(v), v.Width))
			}
		}
		webp = append(webp, fmt.Sprintf("%s %dw", p.Src, m.Width))
	}
	own = append(own, fmt.Sprintf("%s %dw", p.Src, m.Width))
	if m.ContentType == "image/webp" {
		webp, own = nil, append(webp, own[len(own)-1])
	}
	p.Srcset = strings.Join(own, ", ")
	p.WebP = strings.Join(webp, ", ")
	return p
}

// MediaFiles reads library files and their variants; store.Store is one.
type MediaFiles interface {
	MediaByIDs(ctx context.Context, ids []int64) (map[int64]model.Media, error)
	Variants(ctx context.Context, ids []int64) (map[int64][]model.Variant, error)
}

// pictures loads the pictures of library files by id.
func (rd *Renderer) pictures(ctx context.Context, files MediaFiles, ids []int64, links media.Links) (map[int64]Picture, map[int64]model.Media, error) {
	byID, err := files.MediaByIDs(ctx, ids)
	if err != nil {
		return nil, nil, err
	}
	vars, err := files.Variants(ctx, ids)
	if err != nil {
		return nil, nil, err
	}
	out := make(map[int64]Picture, len(byID))
	for id, m := range byID {
		out[id] = picture(links, m, vars[id])
	}
	return out, byID, nil
}

var bodyContext = &nethtml.Node{Type: nethtml.ElementNode, Data: "body", DataAtom: atom.Body}

// Body makes a stored body ready for readers: every library picture
// is shown as its file is now — responsive variants, current alt text,
// caption and credit, edited once in the library for every story that
// uses it. The first picture loads at once, the others lazily.
func (rd *Renderer) Body(ctx context.Context, mf MediaFiles, body string, v *View) (template.HTML, error) {
	return rd.body(ctx, mf, body, v, rd.links)
}

// BodyThrough is Body with every picture's addresses under prefix (see
// media.Links.Through): the outside approver's page, which serves the
// story's files not yet public through its signed link.
func (rd *Renderer) BodyThrough(ctx context.Context, files MediaFiles, body string, v *View, prefix string) (template.HTML, error) {
	return rd.body(ctx, files, body, v, media.Links{Base: rd.links.Base, Through: prefix})
}

func (rd *Renderer) body(ctx context.Context, mf MediaFiles, body string, v *View, links media.Links) (template.HTML, error) {
	var ids []int64
	for _, img := range article.Images(body) {
		if img.MediaID != 0 {
			ids = append(ids, img.MediaID)
		}
	}
	if len(ids) == 0 {
		return template.HTML(body), nil // sanitised on save
	}
	pics, files, err := rd.pictures(ctx, mf, ids, links)
	if err != nil {
		return "", err
	}
	nodes, err := nethtml.ParseFragment(strings.NewReader(body), bodyContext)
	if err != nil {
		return template.HTML(body), nil
	}
	root := &nethtml.Node{Type: nethtml.ElementNode, Data: "body", DataAtom: atom.Body}
	for _, n := range nodes {
		root.AppendChild(n)
	}
	seen := 0
	var walk func(n *nethtml.Node)
	walk = func(n *nethtml.Node) {
		for c := n.FirstChild; c != nil; {
			next := c.NextSibling
			if id := libraryImage(c); id != 0 {
				if files[id].Unreadable != "" {
					// The variants job could not decode it: readers would
					// see a broken image (the desk's story page says so).
					n.RemoveChild(c)
				} else if p, ok := pics[id]; ok {
					seen++
					var markup string
					if c.DataAtom == atom.Figure {
						markup = figureMarkup(p, files[id], v, seen > 1)
					} else {
						markup = string(PictureHTML(p, BodySizes, seen > 1))
					}
					replace(c, markup)
				}
			} else {
				walk(c)
			}
			c = next
		}
	}
	walk(root)
	var b strings.Builder
	for c := root.FirstChild; c != nil; c = c.NextSibling {
		if err := nethtml.Render(&b, c); err != nil {
			return "", err
		}
	}
	return template.HTML(b.String()), nil
}

// libraryImage is the library file shown by a figure (its first image) or
// an image element, or 0.
func libraryImage(n *nethtml.Node) int64 {
	if n.Type != nethtml.ElementNode {
		return 0
	}
	var img *nethtml.Node
	switch n.DataAtom {
	case atom.Img:
		img = n
	case atom.Figure:
		var find func(*nethtml.Node)
		find = func(x *nethtml.Node) {
			for c := x.FirstChild; c != nil && img == nil; c = c.NextSibling {
				if c.Type == nethtml.ElementNode && c.DataAtom == atom.Img {
					img = c
				} else {
					find(c)
				}
			}
		}
		find(n)
	}
	if img == nil {
		return 0
	}
	for _, a := range img.Attr {
		if a.Key == "src" {
			return article.MediaID(a.Val)
		}
	}
	return 0
}

// replace puts markup where n is.
func replace(n *nethtml.Node, markup string) {
	nodes, err := nethtml.ParseFragment(strings.NewReader(markup), bodyContext)
	if err != nil {
		return
	}
	for _, x := range nodes {
		n.Parent.InsertBefore(x, n)
	}
	n.Parent.RemoveChild(n)
}

// figureMarkup is a body figure: the picture, its caption and its credit
// (图片/摄影), all from the library.
func figureMarkup(p Picture, m model.Media, v *View, lazy bool) string {
	var b strings.Builder
	b.WriteString(`<figure>`)
	b.WriteString(string(PictureHTML(p, BodySizes, lazy)))
	if m.Caption != "" || m.Credit != "" {
		b.WriteString(`<figcaption>` + html.EscapeString(m.Caption))
		if m.Credit != "" {
			b.WriteString(` <span class="credit">` + html.EscapeString(v.T("figure.credit", m.Credit)) + `</span>`)
		}
		b.WriteString(`</figcaption>`)
	}
	b.WriteString(`</figure>`)
	return b.String()
}

// PictureOf is the picture of a library image: its variants as srcset
// candidates by format, the served file as the widest of its own format.
func PictureOf(img *reader.Image) Picture {
	p := Picture{Src: img.URL, Width: img.Width, Height: img.Height, Alt: img.Alt}
	if len(img.Variants) == 0 {
		return p // no variants yet: the served file alone, until they are made
	}
	var own, webp []string
	for _, v := range img.Variants {
		c := fmt.Sprintf("%s %dw", v.URL, v.Width)
		if v.ContentType == "image/webp" {
			webp = append(webp, c)
		} else {
			own = append(own, c)
		}
	}
	own = append(own, fmt.Sprintf("%s %dw", p.Src, img.Width))
	if img.ContentType == "image/webp" {
		webp, own = nil, append(webp, own[len(own)-1])
	}
	p.Srcset = strings.Join(own, ", ")
	p.WebP = strings.Join(webp, ", ")
	return p
}

// ArticlePage is what the public article template shows: the reader's
// page with its body's pictures as they are now and labelled credits. The
// public door fills it for readers, the desk for a story's preview.
type ArticlePage struct {
	reader.Article
	Body  template.HTML // the stored body with its pictures as they are now
	Lines []CreditLine  // the credit lines at the end, labelled
}

// CreditLine is one labelled credit line.
type CreditLine struct {
	Label, Value string
}

// ArticlePageOf builds the article template's data for a in v's language.
func (rd *Renderer) ArticlePageOf(ctx context.Context, media MediaFiles, a reader.Article, v *View) (ArticlePage, error) {
	d := ArticlePage{Article: a}
	var err error
	if d.Body, err = rd.Body(ctx, media, string(a.Body), v); err != nil {
		return d, err
	}
	for _, c := range a.Lines {
		d.Lines = append(d.Lines, CreditLine{Label: v.T("article.credit." + c.Role), Value: c.Value})
	}
	return d, nil
}

package web

import (
	"context"
	"fmt"
	"html"
	"html/template"
	"net/http"
	"strings"

	nethtml "golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"newsdesk/internal/article"
	"newsdesk/internal/media"
	"newsdesk/internal/store"
)

// picture is a library image ready for a page: the served file, its
// variants as srcset candidates, and the size it takes, so the browser
// reserves the space (no layout shift) and fetches no more than it needs.
type picture struct {
	Src           string
	Width, Height int
	Alt           string
	WebP, Srcset  string // candidate lists; empty until the variants exist
}

// Decorative is p with no alt text, for a thumbnail beside its own title.
func (p picture) Decorative() picture { p.Alt = ""; return p }

// pictureHTML is the markup of p; sizes says how wide it shows, lazy
// defers it until it nears the screen.
func pictureHTML(p picture, sizes string, lazy bool) template.HTML {
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

// bodySizes is how wide a body picture shows: the story column on a
// desktop, the screen on a phone.
const bodySizes = "(min-width: 860px) 750px, 100vw"

// mediaURL is where readers fetch a stored file: through Newsdesk, or
// from the public media address (a CDN) when one is set.
func (s *Server) mediaURL(m store.Media) string {
	return media.Links{Base: s.MediaBase}.File(m)
}

func (s *Server) variantURL(v store.Variant) string {
	return media.Links{Base: s.MediaBase}.Variant(v)
}

// picture builds the picture of m from its variants (narrowest first). The
// served file itself is the widest candidate of its own format.
func (s *Server) picture(m store.Media, vs []store.Variant) picture {
	p := picture{Src: s.mediaURL(m), Width: m.Width, Height: m.Height, Alt: m.Alt}
	var own, webp []string
	for _, v := range vs {
		c := fmt.Sprintf("%s %dw", s.variantURL(v), v.Width)
		if v.ContentType == "image/webp" {
			webp = append(webp, c)
		} else {
			own = append(own, c)
		}
	}
	if len(own)+len(webp) == 0 {
		return p // no variants yet: the served file alone, until they are made
	}
	own = append(own, fmt.Sprintf("%s %dw", p.Src, m.Width))
	if m.ContentType == "image/webp" {
		webp, own = nil, append(webp, own[len(own)-1])
	}
	p.Srcset = strings.Join(own, ", ")
	p.WebP = strings.Join(webp, ", ")
	return p
}

// pictures loads the pictures of library files by id.
func (s *Server) pictures(ctx context.Context, ids []int64) (map[int64]picture, map[int64]store.Media, error) {
	files, err := s.Store.MediaByIDs(ctx, ids)
	if err != nil {
		return nil, nil, err
	}
	vars, err := s.Store.Variants(ctx, ids)
	if err != nil {
		return nil, nil, err
	}
	out := make(map[int64]picture, len(files))
	for id, m := range files {
		out[id] = s.picture(m, vars[id])
	}
	return out, files, nil
}

var bodyContext = &nethtml.Node{Type: nethtml.ElementNode, Data: "body", DataAtom: atom.Body}

// renderBody makes a stored body ready for readers: every library picture
// is shown as its file is now — responsive variants, current alt text,
// caption and credit, edited once in the library for every story that
// uses it. The first picture loads at once, the others lazily.
func (s *Server) renderBody(ctx context.Context, body string, v *view) (template.HTML, error) {
	var ids []int64
	for _, img := range article.Images(body) {
		if img.MediaID != 0 {
			ids = append(ids, img.MediaID)
		}
	}
	if len(ids) == 0 {
		return template.HTML(body), nil // sanitised on save
	}
	pics, files, err := s.pictures(ctx, ids)
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
				if p, ok := pics[id]; ok {
					seen++
					var markup string
					if c.DataAtom == atom.Figure {
						markup = figureMarkup(p, files[id], v, seen > 1)
					} else {
						markup = string(pictureHTML(p, bodySizes, seen > 1))
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
func figureMarkup(p picture, m store.Media, v *view, lazy bool) string {
	var b strings.Builder
	b.WriteString(`<figure>`)
	b.WriteString(string(pictureHTML(p, bodySizes, lazy)))
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

// serveVariant serves a responsive variant to whoever may fetch its file.
func (s *Server) serveVariant(w http.ResponseWriter, r *http.Request) {
	viewer, err := s.mediaViewer(r)
	if err != nil {
		s.fail(w, r, s.lang(r), err)
		return
	}
	v, reach, err := s.Media.OpenVariant(r.Context(), viewer, "v/"+r.PathValue("dir")+"/"+r.PathValue("file"))
	if err != nil {
		s.fail(w, r, s.lang(r), err)
		return
	}
	s.serveFile(w, r, v.Key, v.ContentType, v.Key, reach)
}

package article

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"newsdesk/internal/media"
	"newsdesk/internal/model"
)

// Image is a picture in an article body, in reading order.
type Image struct {
	N       int   // 1 for the first picture of the body
	MediaID int64 // the library file it shows; 0 for an outside address
	Src     string
	Alt     string // as written in the body; the library's alt text wins on pages
}

// hasImgTag says whether s holds "<img", in any case.
func hasImgTag(s string) bool {
	for {
		i := strings.IndexByte(s, '<')
		if i < 0 || len(s)-i < 4 {
			return false
		}
		if strings.EqualFold(s[i+1:i+4], "img") {
			return true
		}
		s = s[i+1:]
	}
}

// MediaID returns the library file an image address points at, or 0.
func MediaID(src string) int64 { return media.FileID(src) }

// Images lists the pictures of a body.
func Images(body string) []Image {
	if !hasImgTag(body) {
		return nil // most stories are text: parsing each for no picture was 5 % of an export
	}
	nodes, err := html.ParseFragment(strings.NewReader(body), &html.Node{Type: html.ElementNode, Data: "body", DataAtom: atom.Body})
	if err != nil {
		return nil
	}
	var out []Image
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && n.DataAtom == atom.Img {
			img := Image{N: len(out) + 1}
			for _, a := range n.Attr {
				switch a.Key {
				case "src":
					img.Src = a.Val
				case "alt":
					img.Alt = strings.TrimSpace(a.Val)
				}
			}
			img.MediaID = MediaID(img.Src)
			out = append(out, img)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	for _, n := range nodes {
		walk(n)
	}
	return out
}

// checkAlt refuses to publish a body with a picture that has no alt text
// (a reader who cannot see it is told nothing), naming the pictures by
// their order so the desk can say which ones. A library file's alt text is
// what pages show, so it is the one checked.
func (s *Service) checkAlt(ctx context.Context, a model.Article) error {
	imgs := Images(a.Body)
	var ids []int64
	for _, img := range imgs {
		if img.MediaID != 0 {
			ids = append(ids, img.MediaID)
		}
	}
	files, err := s.Store.MediaByIDs(ctx, ids)
	if err != nil {
		return fmt.Errorf("check alt text of article %d: %w", a.ID, err)
	}
	var missing []string
	for _, img := range imgs {
		alt := img.Alt
		if m, ok := files[img.MediaID]; ok {
			alt = strings.TrimSpace(m.Alt)
		}
		if alt == "" {
			missing = append(missing, strconv.Itoa(img.N))
		}
	}
	if len(missing) > 0 {
		return model.Invalid("alt_missing", strings.Join(missing, ", "))
	}
	return nil
}

// FigureHTML is a library photo as the body stores it. Pages show it as
// the library describes it now; the caption here tells the editor which
// photo it is.
func FigureHTML(m model.Media) string {
	caption := html.EscapeString(m.Caption)
	if m.Credit != "" {
		caption += "（摄影：" + html.EscapeString(m.Credit) + "）"
	}
	return fmt.Sprintf(`<figure><img src="%s" alt="%s" width="%d" height="%d"><figcaption>%s</figcaption></figure>`,
		html.EscapeString(media.URL(m)), html.EscapeString(m.Alt), m.Width, m.Height, caption)
}

// VideoHTML is a library video as the body stores it and pages show it:
// native controls, only its metadata loaded before the reader presses
// play, its poster until then, and the caption under it.
func VideoHTML(v, poster model.Media, caption string) string {
	return fmt.Sprintf(`<figure class="video"><video controls preload="metadata" poster="%s" src="%s"></video><figcaption>%s</figcaption></figure>`,
		html.EscapeString(media.URL(poster)), html.EscapeString(media.URL(v)), html.EscapeString(strings.TrimSpace(caption)))
}

// AttachmentHTML is the download link of an attachment; label is its text
// in the editor's language (name and size).
func AttachmentHTML(m model.Media, label string) string {
	return fmt.Sprintf(`<p><a href="%s">%s</a></p>`, html.EscapeString(media.URL(m)), html.EscapeString(label))
}

// AddMedia puts a library file at the end of story id, which the actor
// read at version: a photo as a figure (a story's first photo also becomes
// its lead image), anything else as a download link labelled label.
func (s *Service) AddMedia(ctx context.Context, actor model.Actor, id int64, version int, m model.Media, label string) (model.Article, error) {
	a, err := s.Editable(ctx, id) // a published story's working copy
	if err != nil {
		return a, err
	}
	a.Version = version
	action := "attachment"
	if strings.HasPrefix(m.ContentType, "image/") {
		action = "figure"
		a.Body += FigureHTML(m)
		if a.LeadMediaID == 0 {
			a.LeadMediaID = m.ID
		}
	} else {
		a.Body += AttachmentHTML(m, label)
	}
	if err := s.update(ctx, actor, &a, actor.Audit(action, "", fmt.Sprintf("media %d: %s", m.ID, m.Name))); err != nil {
		return a, err
	}
	return a, nil
}

package article

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"newsdesk/internal/store"
)

// Image is a picture in an article body, in reading order.
type Image struct {
	N       int   // 1 for the first picture of the body
	MediaID int64 // the library file it shows; 0 for an outside address
	Src     string
	Alt     string // as written in the body; the library's alt text wins on pages
}

// mediaSrc is the address of a library file, /media/{id}/{name}.
var mediaSrc = regexp.MustCompile(`^/media/([0-9]+)/[^/]+$`)

// MediaID returns the library file an image address points at, or 0.
func MediaID(src string) int64 {
	m := mediaSrc.FindStringSubmatch(src)
	if m == nil {
		return 0
	}
	id, _ := strconv.ParseInt(m[1], 10, 64)
	return id
}

// Images lists the pictures of a body.
func Images(body string) []Image {
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
func (s *Service) checkAlt(ctx context.Context, a store.Article) error {
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
		return store.Invalid("alt_missing", strings.Join(missing, ", "))
	}
	return nil
}

package importer

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"newsdesk/internal/media"
	"newsdesk/internal/model"
)

// imageSources lists the addresses of a body's pictures, each once.
func imageSources(body string) []string {
	var out []string
	seen := map[string]bool{}
	eachImage(body, func(n *html.Node) {
		if src := attr(n, "src"); src != "" && !seen[src] {
			seen[src] = true
			out = append(out, src)
		}
	})
	return out
}

func parseBody(body string) []*html.Node {
	nodes, err := html.ParseFragment(strings.NewReader(body), &html.Node{Type: html.ElementNode, Data: "body", DataAtom: atom.Body})
	if err != nil {
		return nil
	}
	return nodes
}

func eachImage(body string, fn func(*html.Node)) []*html.Node {
	nodes := parseBody(body)
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && n.DataAtom == atom.Img {
			fn(n)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	for _, n := range nodes {
		walk(n)
	}
	return nodes
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return strings.TrimSpace(a.Val)
		}
	}
	return ""
}

func setAttr(n *html.Node, key, val string) {
	for i, a := range n.Attr {
		if a.Key == key {
			n.Attr[i].Val = val
			return
		}
	}
	n.Attr = append(n.Attr, html.Attribute{Key: key, Val: val})
}

// rewriteImages points a body's pictures at their library files (found
// by old address in files) and takes out those that could not be
// brought in; a picture without alt text gets the library's.
func rewriteImages(body string, files map[string]model.Media) string {
	var drop []*html.Node
	nodes := eachImage(body, func(n *html.Node) {
		m, ok := files[attr(n, "src")]
		if !ok {
			drop = append(drop, n)
			return
		}
		setAttr(n, "src", media.URL(m))
		if attr(n, "alt") == "" {
			setAttr(n, "alt", m.Alt)
		}
		setAttr(n, "width", strconv.Itoa(m.Width))
		setAttr(n, "height", strconv.Itoa(m.Height))
		for _, k := range []string{"srcset", "sizes", "class"} {
			removeAttr(n, k)
		}
	})
	for _, n := range drop {
		// A link around the picture (to the full size) goes with it.
		if p := n.Parent; p != nil && p.DataAtom == atom.A && p.FirstChild == n && n.NextSibling == nil && p.Parent != nil {
			n = p
		}
		if n.Parent != nil {
			n.Parent.RemoveChild(n)
		}
	}
	var b strings.Builder
	for _, n := range nodes {
		if n.Parent == nil && n.Type == html.ElementNode && n.DataAtom == atom.Img && containsNode(drop, n) {
			continue
		}
		html.Render(&b, n)
	}
	return b.String()
}

func containsNode(ns []*html.Node, n *html.Node) bool {
	for _, x := range ns {
		if x == n {
			return true
		}
	}
	return false
}

func removeAttr(n *html.Node, key string) {
	out := n.Attr[:0]
	for _, a := range n.Attr {
		if a.Key != key {
			out = append(out, a)
		}
	}
	n.Attr = out
}

// maxImage bounds a downloaded picture.
const maxImage = 50 << 20

// fetcher reads pictures from their old addresses: from the uploads
// folder when given and the address is under wp-content/uploads, else
// over HTTP.
type fetcher struct {
	client  *http.Client
	uploads string
	agent   string
	delay   time.Duration // between two requests (Importer.Delay)

	mu   sync.Mutex
	last time.Time // when the last request went out
}

// fetch returns a picture's bytes.
func (f *fetcher) fetch(ctx context.Context, src string) ([]byte, error) {
	u, err := url.Parse(src)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
		return nil, errNotWebAddress
	}
	if f.uploads != "" {
		if i := strings.Index(u.Path, "/wp-content/uploads/"); i >= 0 {
			rel := path.Clean(strings.TrimPrefix(u.Path[i:], "/wp-content/uploads/"))
			if un, err := url.PathUnescape(rel); err == nil {
				rel = un
			}
			if !strings.HasPrefix(rel, "..") {
				b, err := os.ReadFile(filepath.Join(f.uploads, filepath.FromSlash(rel)))
				if err == nil {
					return b, nil
				}
				if !errors.Is(err, os.ErrNotExist) {
					return nil, err
				}
			}
		}
	}
	var last error
	for attempt := range 3 {
		if attempt > 0 {
			select {
			case <-ctx.Done():
				return nil, ctx.Err()
			case <-time.After(time.Duration(attempt) * 500 * time.Millisecond):
			}
		}
		if err := f.pace(ctx); err != nil {
			return nil, err
		}
		b, retry, err := f.get(ctx, src)
		if err == nil || !retry {
			return b, err
		}
		last = err
	}
	return nil, last
}

// pace waits until delay has passed since the last request went out. The
// workers ahead take turns: each request's time is taken under the lock.
func (f *fetcher) pace(ctx context.Context) error {
	if f.delay <= 0 {
		return nil
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if d := time.Until(f.last.Add(f.delay)); d > 0 {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(d):
		}
	}
	f.last = time.Now()
	return nil
}

// get fetches src once; retry says whether another try may succeed.
func (f *fetcher) get(ctx context.Context, src string) ([]byte, bool, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, src, nil)
	if err != nil {
		return nil, false, err
	}
	req.Header.Set("User-Agent", f.agent)
	res, err := f.client.Do(req)
	if err != nil {
		return nil, true, err
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return nil, res.StatusCode >= 500 || res.StatusCode == http.StatusTooManyRequests, &statusError{res.StatusCode}
	}
	b, err := io.ReadAll(io.LimitReader(res.Body, maxImage+1))
	if err != nil {
		return nil, true, err
	}
	if len(b) > maxImage {
		return nil, false, &tooLargeError{maxImage >> 20}
	}
	return b, false, nil
}

func digest(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// imageName is the file name of a picture's address.
func imageName(src string) string {
	u, err := url.Parse(src)
	if err != nil {
		return "image"
	}
	name := path.Base(u.Path)
	if un, err := url.PathUnescape(name); err == nil {
		name = un
	}
	if name == "/" || name == "." || name == "" {
		return "image"
	}
	return name
}

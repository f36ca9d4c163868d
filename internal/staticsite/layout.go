// Package staticsite writes the public site out as files (生成静态页) that a
// static web server serves from the site root at the same addresses as the
// dynamic site, keeps the SHA-256 of every file in a manifest apart from
// the web root, and checks and restores them (防篡改).
//
// Pages are rendered in-process by the public site's own handler, so a
// file holds exactly the bytes the dynamic site answers for its URL.
package staticsite

import (
	"net/http"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
)

// The layout: an HTML page at /a/b is the file a/b/index.html, its page N
// (?page=N) a/b/index-N.html, the home page index.html; anything else (a
// feed, a sitemap, an asset, a picture) is the file at its path. nginx
// finds them with
//
//	map $arg_page $page_suffix { "" ""; "~^[0-9]+$" "-$arg_page"; default "-none"; }
//	try_files $uri $uri/index$page_suffix.html =404;
//
// so every dynamic address works unchanged. NotFoundFile is the 404 page.
const (
	NotFoundFile = "404.html"
	indexName    = "index"
)

// File is where the answer for a URL path (decoded, from the site root)
// at a list page (0 for the first; a column's pages count from its
// oldest, reader.DeepPages, so its page 1 is a file of its own) is
// written, relative to the root.
func File(urlPath string, page int, html bool) string {
	p := strings.Trim(path.Clean("/"+urlPath), "/")
	if !html {
		return p
	}
	name := indexName + ".html"
	if page > 0 {
		name = indexName + "-" + strconv.Itoa(page) + ".html"
	}
	if p == "" {
		return name
	}
	return p + "/" + name
}

var pageFile = regexp.MustCompile(`^index(?:-([0-9]+))?\.html$`)

// URLOf is the address whose answer a file holds, the inverse of File;
// ok is false for a precompressed copy (it follows its file) and the 404
// page.
func URLOf(rel string) (u string, ok bool) {
	rel = filepath.ToSlash(rel)
	if strings.HasSuffix(rel, ".gz") || rel == NotFoundFile {
		return "", false
	}
	dir, name := path.Split(rel)
	m := pageFile.FindStringSubmatch(name)
	if m == nil {
		return "/" + rel, true
	}
	u = "/" + strings.TrimSuffix(dir, "/")
	if m[1] != "" {
		u += "?page=" + m[1]
	}
	return u, true
}

// pageOf is the list page a query asks for, as nginx's map reads it: ""
// for the first, "-N" for page N (1 too), "-none" for anything else.
func pageOf(r *http.Request) string {
	p := r.URL.Query().Get("page")
	switch {
	case p == "":
		return ""
	case strings.Trim(p, "0123456789") == "":
		return "-" + p
	}
	return "-none"
}

// Handler serves an exported folder as the documented nginx configuration
// does (try_files, the 404 page): for tests and a quick look, not for
// production, where nginx serves the folder.
func Handler(dir string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := strings.Trim(path.Clean("/"+r.URL.Path), "/")
		for _, try := range []string{p, strings.TrimPrefix(p+"/"+indexName+pageOf(r)+".html", "/")} {
			if try == "" {
				continue
			}
			full := filepath.Join(dir, filepath.FromSlash(try))
			if f, err := os.Open(full); err == nil {
				fi, err := f.Stat()
				if err == nil && fi.Mode().IsRegular() {
					http.ServeContent(w, r, fi.Name(), fi.ModTime(), f)
					f.Close()
					return
				}
				f.Close()
			}
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(http.StatusNotFound)
		if b, err := os.ReadFile(filepath.Join(dir, NotFoundFile)); err == nil {
			w.Write(b)
		}
	})
}

package staticsite

import (
	"bytes"
	"context"
	"fmt"
	"net/url"
	"path/filepath"
	"strings"

	"newsdesk/internal/model"
	"newsdesk/internal/reader"
)

// RedirectStore lists the redirect table (internal/redirect) by path.
type RedirectStore interface {
	Redirects(ctx context.Context, afterPath string, limit int) ([]model.Redirect, error)
}

// RedirectsPath is where the nginx redirect table of an exported folder
// is written: beside it, outside the web root, like the manifest.
func RedirectsPath(dir string) string { return filepath.Clean(dir) + ".redirects.conf" }

// redirectKey is an old path as nginx's $request_uri holds it: the path
// percent-encoded as a browser sends it (a path imported as 新闻/1.htm
// arrives as %E6%96%B0…), the query as stored.
func redirectKey(p string) string {
	pathPart, query, hasQuery := strings.Cut(p, "?")
	if u, err := url.Parse(pathPart); err == nil && u.Opaque == "" {
		pathPart = u.EscapedPath()
	}
	if hasQuery {
		return pathPart + "?" + query
	}
	return pathPart
}

// nginxKey quotes a map key for an nginx configuration file: a literal,
// where only a quote and a backslash need escaping (a path begins with
// "/", so it is never a regular expression or a keyword).
func nginxKey(v string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(v) + `"`
}

// nginxValue quotes a map value, where nginx reads $name as a variable
// and has no escape for "$": a target's "$" is percent-encoded, which is
// the same address.
func nginxValue(v string) string {
	return nginxKey(strings.ReplaceAll(v, "$", "%24"))
}

// WriteRedirects writes the redirect table as nginx maps into file
// (atomically), read page by page, and says how many it wrote. Included
// in nginx's http block, it sets $newsdesk_redirect for a request whose
// path and query, or whose path alone, is an old address — as the
// dynamic site's lookup does (redirect.Service.Lookup) — and the server
// block answers `if ($newsdesk_redirect) { return 301 $newsdesk_redirect; }`
// (docs/deploy.md). A story's target is its address on this site.
func WriteRedirects(ctx context.Context, st RedirectStore, file string) (int, error) {
	var withQuery, pathOnly bytes.Buffer
	n, after := 0, ""
	for {
		rs, err := st.Redirects(ctx, after, 1000)
		if err != nil {
			return n, fmt.Errorf("redirects: %w", err)
		}
		for _, r := range rs {
			to := r.Target
			if r.ArticleID != 0 {
				to = reader.ArticleURL(r.ArticleID)
			}
			key := redirectKey(r.Path)
			b := &pathOnly
			if strings.Contains(key, "?") {
				b = &withQuery
			}
			fmt.Fprintf(b, "    %s %s;\n", nginxKey(key), nginxValue(to))
			n++
		}
		if len(rs) < 1000 {
			break
		}
		after = rs[len(rs)-1].Path
	}
	var out bytes.Buffer
	fmt.Fprintf(&out, "# The redirect table of the site (old addresses → new), written by Newsdesk\n"+
		"# with the static export: %d redirects. Include it in nginx's http block; see\n"+
		"# docs/deploy.md. Do not edit: the next export writes it again.\n", n)
	out.WriteString("map $request_uri $newsdesk_request_path {\n    \"~^(?<newsdesk_p>[^?]*)\" $newsdesk_p;\n}\n")
	out.WriteString("map $newsdesk_request_path $newsdesk_redirect_path {\n    default \"\";\n")
	out.Write(pathOnly.Bytes())
	out.WriteString("}\nmap $request_uri $newsdesk_redirect {\n    default $newsdesk_redirect_path;\n")
	out.Write(withQuery.Bytes())
	out.WriteString("}\n")
	dir, name := filepath.Split(filepath.Clean(file))
	return n, WriteFile(dir, name, out.Bytes())
}

package render

import (
	"fmt"
	"net"
	"net/http"
	"strconv"
	"strings"

	"newsdesk/internal/i18n"
	"newsdesk/internal/store"
)

// Lang picks the interface language: ?lang=, then the lang cookie, then
// Accept-Language.
func Lang(cat *i18n.Catalog, r *http.Request) string {
	param := ""
	if strings.Contains(r.URL.RawQuery, "lang=") {
		param = r.URL.Query().Get("lang")
	}
	if param == "" && r.Header.Get("Cookie") != "" {
		if c, err := r.Cookie("lang"); err == nil {
			param = c.Value
		}
	}
	return cat.Pick(param, r.Header.Get("Accept-Language"))
}

// ClientIP is the client's address: with trustProxy, the last
// X-Forwarded-For entry (what the proxy in front saw), else the peer's.
func ClientIP(r *http.Request, trustProxy bool) string {
	if trustProxy {
		if xff := r.Header.Values("X-Forwarded-For"); len(xff) > 0 {
			parts := strings.Split(xff[len(xff)-1], ",")
			if ip := strings.TrimSpace(parts[len(parts)-1]); net.ParseIP(ip) != nil {
				return ip
			}
		}
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// PageNumber reads ?page=; anything but a positive number is "not found".
func PageNumber(r *http.Request) (int, error) {
	p := r.URL.Query().Get("page")
	if p == "" {
		return 1, nil
	}
	n, err := strconv.Atoi(p)
	if err != nil || n < 1 || n > 1_000_000 {
		return 0, fmt.Errorf("page %q: %w", p, store.ErrNotFound)
	}
	return n, nil
}

// Secure says whether cookies must be Secure: served over TLS here, or
// behind a proxy that terminates it (the site's address is https).
func (rd *Renderer) Secure(r *http.Request) bool {
	if r.TLS != nil {
		return true
	}
	snap, err := rd.site(r.Context())
	return err == nil && strings.HasPrefix(snap.Settings.BaseURL, "https://")
}

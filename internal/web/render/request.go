package render

import (
	"fmt"
	"net"
	"net/http"
	"strconv"
	"strings"

	"newsdesk/internal/i18n"
	"newsdesk/internal/model"
)

// Lang picks the interface language: ?lang=, then the lang cookie, then
// Accept-Language.
func Lang(cat *i18n.Catalog, r *http.Request) string {
	param := ""
	if strings.Contains(r.URL.RawQuery, "lang=") {
		param = r.URL.Query().Get("lang")
	}
	if param == "" && len(r.Header["Cookie"]) > 0 { // canonical names, as pagecache.Serve reads them
		if c, err := r.Cookie("lang"); err == nil {
			param = c.Value
		}
	}
	accept := ""
	if v := r.Header["Accept-Language"]; len(v) > 0 {
		accept = v[0]
	}
	return cat.Pick(param, accept)
}

// ModeCare is the reader mode for older readers and low vision (长辈版):
// larger text, more line spacing, higher contrast, one column. It is the
// site's own CSS under <html class="mode-care">, no toolbar script.
const ModeCare = "care"

// Mode picks the reader mode: ?mode=, then the mode cookie; "" is the
// standard view. It is part of the page cache's key, so a cached page
// never shows one reader the other's mode.
func Mode(r *http.Request) string {
	m := ""
	if strings.Contains(r.URL.RawQuery, "mode=") {
		m = r.URL.Query().Get("mode")
	}
	if m == "" && len(r.Header["Cookie"]) > 0 {
		if c, err := r.Cookie("mode"); err == nil {
			m = c.Value
		}
	}
	if m == ModeCare {
		return ModeCare
	}
	return ""
}

// RememberMode keeps a reader mode picked with ?mode= in a cookie for a
// year (?mode=standard forgets it), so the header's link works without
// JavaScript and every later page keeps the mode.
func RememberMode(w http.ResponseWriter, r *http.Request) {
	if !strings.Contains(r.URL.RawQuery, "mode=") || r.URL.Query().Get("mode") == "" {
		return
	}
	c := &http.Cookie{Name: "mode", Value: ModeCare, Path: "/", MaxAge: 365 * 24 * 3600, HttpOnly: true, SameSite: http.SameSiteLaxMode}
	if Mode(r) != ModeCare {
		c.Value, c.MaxAge = "", -1
	}
	http.SetCookie(w, c)
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
		return 0, fmt.Errorf("page %q: %w", p, model.ErrNotFound)
	}
	return n, nil
}

// ColumnPage is the page of a column's list a request asks for: 0, the
// first, without ?page, else page N counted from the oldest
// (reader.DeepPages); anything else is not found.
func ColumnPage(r *http.Request) (int, error) {
	if r.URL.Query().Get("page") == "" {
		return 0, nil
	}
	return PageNumber(r)
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

package render

import (
	"net"
	"net/http"
	"strings"

	"newsdesk/internal/i18n"
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

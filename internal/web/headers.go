package web

import (
	"net/http"
	"strings"
)

// Security headers, the same on every response of a kind, so the page
// cache can keep serving the bytes it rendered: no page needs a nonce,
// since no template has an inline script or style (scripts are files
// under /static/, behaviour is bound from there).
var (
	// Scripts, styles, fonts and fetches only from the site; images from
	// anywhere (article bodies may show photos kept elsewhere, and the
	// media may live on a CDN); nothing embedded, no <base> elsewhere,
	// forms posted only here.
	publicCSP = []string{"default-src 'self'; script-src 'self'; style-src 'self'; img-src * data: blob:; media-src *; " +
		"object-src 'none'; base-uri 'self'; form-action 'self'"}
	// The desk also refuses to be framed (clickjacking its buttons).
	deskCSP     = []string{publicCSP[0] + "; frame-ancestors 'none'"}
	nosniff     = []string{"nosniff"}
	referrer    = []string{"strict-origin-when-cross-origin"}
	permissions = []string{"camera=(), microphone=(), geolocation=(), payment=(), usb=()"}
	frameDeny   = []string{"DENY"}
	hsts        = []string{"max-age=31536000"}
)

// securityHeaders sets the headers every response gets. The public site
// states its referrer policy in each page's <meta name="referrer"> rather
// than in a header (the same policy, and browsers' default for every
// other file), which keeps a cached page within eight header fields (see
// pagecache.Serve). Media files (the
// uploaded photos and documents) get no Content-Security-Policy, which
// would stop browsers' PDF viewers; nosniff keeps them from being read as
// pages. Strict-Transport-Security only goes out when the site is reached
// over HTTPS (browsers ignore it otherwise).
func (s *Server) securityHeaders(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h["X-Content-Type-Options"] = nosniff
	h["Permissions-Policy"] = permissions
	switch p := r.URL.Path; {
	case strings.HasPrefix(p, "/desk") || strings.HasPrefix(p, "/api/v1/desk"):
		h["Referrer-Policy"] = referrer
		h["Content-Security-Policy"] = deskCSP
		h["X-Frame-Options"] = frameDeny // browsers without frame-ancestors
	case !strings.HasPrefix(p, "/media/"):
		h["Content-Security-Policy"] = publicCSP
	}
	if s.render.Secure(r) {
		h["Strict-Transport-Security"] = hsts
	}
}

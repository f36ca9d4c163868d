package render

import (
	"bytes"
	"encoding/binary"
	"html"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"unicode/utf8"

	"newsdesk/internal/reader"
)

// brand is the site's colour (style.css --brand), the generated icon's
// background.
var brand = color.RGBA{0x0b, 0x4a, 0x8b, 0xff}

// LogoURL is the site's logo as set in the desk, else the generated icon
// (for the publisher in structured data).
func (v *View) LogoURL() string {
	if v.Site.Logo != "" {
		return v.Site.Logo
	}
	return reader.FaviconSVG
}

// FaviconURL is the icon the page's head names.
func (v *View) FaviconURL() string {
	if v.Site.Favicon != "" {
		return v.Site.Favicon
	}
	return reader.FaviconSVG
}

// IconSVG is the generated icon: the first character of the site's name,
// white on the brand colour.
func IconSVG(siteName string) []byte {
	r, _ := utf8.DecodeRuneInString(siteName)
	if r == utf8.RuneError {
		r = 'N'
	}
	return []byte(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><rect width="64" height="64" rx="12" fill="#0b4a8b"/>` +
		`<text x="32" y="45" font-size="38" font-weight="700" text-anchor="middle" fill="#fff" font-family="PingFang SC, Microsoft YaHei, Noto Sans CJK SC, sans-serif">` +
		html.EscapeString(string(r)) + `</text></svg>`)
}

// IconICO is the generated /favicon.ico for browsers that ask for it
// before reading the page: a 32×32 PNG in an ICO file, the brand colour
// with three white lines of "text" (no font is drawn).
func IconICO() []byte {
	const n = 32
	img := image.NewRGBA(image.Rect(0, 0, n, n))
	for y := 0; y < n; y++ {
		for x := 0; x < n; x++ {
			img.Set(x, y, brand)
		}
	}
	for _, line := range []struct{ y, x0, x1 int }{{8, 7, 25}, {15, 7, 25}, {22, 7, 19}} {
		for y := line.y; y < line.y+3; y++ {
			for x := line.x0; x < line.x1; x++ {
				img.Set(x, y, color.White)
			}
		}
	}
	var p bytes.Buffer
	png.Encode(&p, img) // an in-memory RGBA always encodes
	var out bytes.Buffer
	// ICONDIR, one ICONDIRENTRY, then the PNG.
	binary.Write(&out, binary.LittleEndian, []uint16{0, 1, 1})
	out.Write([]byte{n, n, 0, 0})
	binary.Write(&out, binary.LittleEndian, []uint16{1, 32})
	binary.Write(&out, binary.LittleEndian, []uint32{uint32(p.Len()), 6 + 16})
	out.Write(p.Bytes())
	return out.Bytes()
}

// ServeIcon answers /favicon.ico and /favicon.svg: a redirect to the icon
// set in the desk, else the generated one.
func (rd *Renderer) ServeIcon(w http.ResponseWriter, r *http.Request) error {
	snap, err := rd.site(r.Context())
	if err != nil {
		return err
	}
	if fav := snap.Settings.Favicon; fav != "" {
		http.Redirect(w, r, fav, http.StatusFound)
		return nil
	}
	w.Header().Set("Cache-Control", "public, max-age=86400")
	if r.URL.Path == reader.FaviconSVG {
		w.Header().Set("Content-Type", "image/svg+xml")
		w.Write(IconSVG(snap.Settings.Name))
		return nil
	}
	w.Header().Set("Content-Type", "image/x-icon")
	w.Write(rd.ico)
	return nil
}

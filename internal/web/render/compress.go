package render

import (
	"bytes"
	"compress/gzip"
	"net/http"
	"strconv"
	"strings"
	"sync"
)

// gzipBytes compresses b at level: the best for what is compressed once
// (the embedded assets at start-up), the default for desk pages.
func gzipBytes(b []byte, level int) []byte {
	var out bytes.Buffer
	if level != gzip.DefaultCompression {
		zw, _ := gzip.NewWriterLevel(&out, level) // the level is a valid constant
		zw.Write(b)
		zw.Close()
		return out.Bytes()
	}
	// A compressor holds about a megabyte of tables: desk pages reuse them.
	zw := deskGzips.Get().(*gzip.Writer)
	zw.Reset(&out)
	zw.Write(b)
	zw.Close()
	deskGzips.Put(zw)
	return out.Bytes()
}

var deskGzips = sync.Pool{New: func() any { return gzip.NewWriter(nil) }}

// acceptsGzip reports whether the client takes a gzipped answer.
func acceptsGzip(r *http.Request) bool {
	return strings.Contains(r.Header.Get("Accept-Encoding"), "gzip")
}

// WriteCompressed writes an uncached page (the desk's) with status,
// gzipped when the client takes it: desk pages are 10–60 KB of HTML.
func WriteCompressed(w http.ResponseWriter, r *http.Request, status int, body []byte) {
	h := w.Header()
	h.Add("Vary", "Accept-Encoding")
	if acceptsGzip(r) && len(body) > 512 {
		body = gzipBytes(body, gzip.DefaultCompression)
		h.Set("Content-Encoding", "gzip")
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		w.Write(body)
	}
}

// Command barego is the "ceiling" reference for the public-site load
// benchmark: a minimal net/http server that serves, from memory, the exact
// bytes of given files at given paths and does nothing else.
//
//	barego -addr 127.0.0.1:8081 -page /articles/1=/tmp/x/article.html -page /=/tmp/x/home.html
//
// Each response carries Content-Type text/html; charset=utf-8, an explicit
// Content-Length (so large pages are not sent chunked) and the file bytes;
// net/http adds Date. Unknown paths get 404. Header values are precomputed
// so the handler itself does no per-request work beyond a map lookup.
// It uses only the standard library.
//
// With -headers /path=FILE the page at /path also carries every header
// field of FILE (a response head as curl -D writes it; Date and
// Content-Length are left to net/http): the same response as Newsdesk's,
// so the difference left is Newsdesk's own work, not the fields it sends.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// page is one file held in memory with its precomputed Content-Length and
// any further header fields (-headers).
type page struct {
	body   []byte
	clen   []string
	fields []field
}

// field is one header field, kept in a slice so that setting them costs
// no map iteration.
type field struct {
	name  string
	value []string
}

// pageFlags collects repeated -page /path=FILE flags.
type pageFlags map[string]page

func (p pageFlags) String() string {
	paths := make([]string, 0, len(p))
	for k := range p {
		paths = append(paths, k)
	}
	return strings.Join(paths, ",")
}

// readPathFile reads the FILE of a /path=FILE flag.
func readPathFile(v string) (string, []byte, error) {
	path, file, ok := strings.Cut(v, "=")
	if !ok || !strings.HasPrefix(path, "/") || file == "" {
		return "", nil, fmt.Errorf("want /path=FILE, got %q", v)
	}
	b, err := os.ReadFile(file)
	return path, b, err
}

func (p pageFlags) Set(v string) error {
	path, b, err := readPathFile(v)
	if err != nil {
		return err
	}
	p[path] = page{body: b, clen: []string{strconv.Itoa(len(b))}, fields: p[path].fields}
	return nil
}

// headerFlags adds -headers /path=FILE fields to the pages.
type headerFlags struct{ pages pageFlags }

func (f headerFlags) String() string { return "" }

func (f headerFlags) Set(v string) error {
	path, raw, err := readPathFile(v)
	if err != nil {
		return err
	}
	_, head, _ := strings.Cut(strings.ReplaceAll(string(raw), "\r\n", "\n"), "\n") // past the status line
	var fields []field
	for line := range strings.SplitSeq(head, "\n") {
		name, value, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		switch name = http.CanonicalHeaderKey(strings.TrimSpace(name)); name {
		case "Date", "Content-Length":
		default:
			fields = append(fields, field{name, []string{strings.TrimSpace(value)}})
		}
	}
	pg := f.pages[path]
	pg.fields = fields
	f.pages[path] = pg
	return nil
}

func main() {
	pages := pageFlags{}
	addr := flag.String("addr", "127.0.0.1:8081", "listen address")
	flag.Var(pages, "page", "serve FILE at /path (repeatable): -page /path=FILE")
	flag.Var(headerFlags{pages}, "headers", "send the header fields of FILE with /path (repeatable): -headers /path=FILE")
	flag.Parse()
	if len(pages) == 0 {
		log.Fatal("barego: at least one -page /path=FILE is required")
	}
	for path, pg := range pages {
		if pg.body == nil {
			log.Fatalf("barego: -headers %s without -page %s=FILE", path, path)
		}
	}

	contentType := []string{"text/html; charset=utf-8"}
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		pg, ok := pages[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		h := w.Header()
		h["Content-Type"] = contentType
		for _, f := range pg.fields {
			h[f.name] = f.value
		}
		h["Content-Length"] = pg.clen
		w.Write(pg.body)
	})

	srv := &http.Server{
		Addr:              *addr,
		Handler:           handler,
		ReadHeaderTimeout: 10 * time.Second,
	}
	go func() {
		sig := make(chan os.Signal, 1)
		signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
		<-sig
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		srv.Shutdown(ctx)
	}()
	log.Printf("barego: serving %d page(s) on %s", len(pages), *addr)
	if err := srv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
		log.Fatal(err)
	}
}

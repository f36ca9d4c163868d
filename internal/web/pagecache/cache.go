// Package pagecache keeps rendered pages (the public site's and the
// content API's) in memory and serves them with ETag, gzip and 304s.
package pagecache

import (
	"bytes"
	"compress/gzip"
	"context"
	"hash/fnv"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Cache keeps rendered public pages in memory, bounded by total bytes.
// Every content change purges it whole: renders take well under a
// millisecond, so precise dependency tracking would buy little and risk
// showing stale pages. A render that started before a purge is not stored.
type Cache struct {
	max int64

	mu      sync.RWMutex
	entries map[string]*Entry
	size    int64
	gen     atomic.Uint64
	changed atomic.Int64 // unix nanos of the last purge: the pages' Last-Modified

	// Hits, Misses and Evictions count for the metrics.
	Hits, Misses, Evictions atomic.Int64
}

// Entry is one rendered page with its headers prepared, so serving a hit
// allocates nothing.
type Entry struct {
	body  []byte
	ctype []string
	etag  []string
	clen  []string
	// ArticleID counts a view on every hit when set.
	ArticleID int64
	rendered  time.Time
	// used is when the entry was last served or stored, on the cache's
	// count of hits: a clock read cost a tenth of a hit's own time (65 ns
	// of 620), and eviction only needs the order.
	used atomic.Int64

	refreshing atomic.Bool

	gzOnce sync.Once
	gz     []byte
	gzEtag []string
	gzLen  []string
	gzSize atomic.Int64 // len(gz) once made, for the cache's budget

	// Where the entry is kept, so that its gzip copy, made on first use,
	// counts against the cache's budget (set by Put; charged under the
	// cache's lock).
	owner   atomic.Pointer[Cache]
	key     string
	charged int64
}

// New makes a cache of at most maxBytes.
func New(maxBytes int64) *Cache {
	c := &Cache{max: maxBytes, entries: map[string]*Entry{}}
	c.changed.Store(time.Now().UnixNano())
	return c
}

// NewEntry prepares body for serving.
func NewEntry(body []byte, ctype string) *Entry {
	h := fnv.New64a()
	h.Write(body)
	tag := strconv.FormatUint(h.Sum64(), 36)
	return &Entry{
		body:     body,
		ctype:    []string{ctype},
		etag:     []string{`"` + tag + `"`},
		clen:     []string{strconv.Itoa(len(body))},
		rendered: time.Now(),
	}
}

// gzipped returns the compressed body, its ETag and length, compressing on
// first use.
func (e *Entry) gzipped() ([]byte, []string, []string) {
	e.gzOnce.Do(func() {
		var b bytes.Buffer
		w, _ := gzip.NewWriterLevel(&b, gzip.BestCompression)
		w.Write(e.body)
		w.Close()
		e.gz = b.Bytes()
		e.gzEtag = []string{e.etag[0][:len(e.etag[0])-1] + `-gz"`}
		e.gzLen = []string{strconv.Itoa(len(e.gz))}
		e.gzSize.Store(int64(len(e.gz)))
		if c := e.owner.Load(); c != nil {
			c.recharge(e)
		}
	})
	return e.gz, e.gzEtag, e.gzLen
}

// Get is the page cached under key, or nil (a miss).
func (c *Cache) Get(key string) *Entry { return c.get([]byte(key)) }

// get looks key up without making a string of it (the compiler indexes
// the map with the bytes as they are).
func (c *Cache) get(key []byte) *Entry {
	c.mu.RLock()
	e := c.entries[string(key)]
	c.mu.RUnlock()
	if e == nil {
		c.Misses.Add(1)
		return nil
	}
	e.used.Store(c.Hits.Add(1))
	return e
}

// Generation is read before rendering and handed back to Put.
func (c *Cache) Generation() uint64 { return c.gen.Load() }

// MaxEntry is the largest page the cache keeps. A page is 10–100 kB;
// what is larger is a sitemap part (5.6 MB for 50,000 URLs), rendered in
// about 0.1 s and fetched by a crawler now and then: eleven of them filled
// the 64 MB cache, and with the heap's headroom above what is live (GOGC)
// the server's memory went from 73 to 237 MiB after every part was fetched
// once at 1,000,000 articles.
const MaxEntry = 1 << 20

// Put stores e under key, unless the cache was purged since gen, or e is
// larger than MaxEntry or a quarter of the cache.
func (c *Cache) Put(key string, e *Entry, gen uint64) {
	if sz := int64(len(e.body) + len(key)); sz > c.max/4 || sz > MaxEntry {
		return
	}
	e.used.Store(c.Hits.Load())
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.gen.Load() != gen {
		return
	}
	if old := c.entries[key]; old != nil {
		c.size -= old.charged
		delete(c.entries, key)
	}
	e.key = key
	e.owner.Store(c)
	e.charged = e.size()
	for c.size+e.charged > c.max && len(c.entries) > 0 {
		c.evictOldest()
	}
	c.entries[key] = e
	c.size += e.charged
}

// size is what e takes of the cache's budget: its key, its page and the
// page's gzip copy once there is one.
func (e *Entry) size() int64 { return int64(len(e.key)+len(e.body)) + e.gzSize.Load() }

// recharge counts e's gzip copy, made after e was stored, if e is still
// kept, and evicts the oldest pages while the cache is over its budget.
func (c *Cache) recharge(e *Entry) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries[e.key] != e {
		return // evicted or purged meanwhile
	}
	now := e.size()
	c.size += now - e.charged
	e.charged = now
	for c.size > c.max && len(c.entries) > 1 {
		c.evictOldest()
	}
}

// evictOldest drops the least recently used eighth of the entries. It scans
// the map, which only happens when the cache is full.
func (c *Cache) evictOldest() {
	type kv struct {
		k string
		t int64
	}
	var all []kv
	for k, e := range c.entries {
		all = append(all, kv{k, e.used.Load()})
	}
	n := max(1, len(all)/8)
	for i := 0; i < n; i++ {
		oldest := i
		for j := i + 1; j < len(all); j++ {
			if all[j].t < all[oldest].t {
				oldest = j
			}
		}
		all[i], all[oldest] = all[oldest], all[i]
		c.size -= c.entries[all[i].k].charged
		delete(c.entries, all[i].k)
		c.Evictions.Add(1)
	}
}

// Purge forgets every page; called whenever published content changes.
func (c *Cache) Purge() {
	c.mu.Lock()
	c.gen.Add(1)
	c.changed.Store(time.Now().UnixNano())
	c.entries = map[string]*Entry{}
	c.size = 0
	c.mu.Unlock()
}

// LastChange is when the cache was last purged: the newest a cached page
// can be (the feeds' <updated>).
func (c *Cache) LastChange() time.Time { return time.Unix(0, c.changed.Load()) }

// Stats are the number of pages held and their size.
func (c *Cache) Stats() (entries int, size int64) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return len(c.entries), c.size
}

// Page is a page produced by a renderer, before caching.
type Page struct {
	Body        []byte
	ContentType string
	// ArticleID, when set, counts a view on every serving of the page.
	ArticleID int64
}

// Render produces the page for r in the interface language lang.
type Render func(r *http.Request, lang string) (Page, error)

// Fail answers a request whose page could not be rendered.
type Fail func(w http.ResponseWriter, r *http.Request, lang string, err error)

// Views counts article views; *article.Views is one.
type Views interface {
	Add(id int64)
	Pending(id int64) int64
}

// Pages serves rendered pages through a Cache.
type Pages struct {
	Cache *Cache
	// Lang picks a request's interface language (part of the cache key).
	Lang func(r *http.Request) string
	// Mode, when set, picks a request's reader mode (part of the cache key)
	// and Remember keeps one picked in the query in a cookie.
	Mode     func(r *http.Request) string
	Remember func(w http.ResponseWriter, r *http.Request)
	// Views, when set, counts article views and keeps them fresh on pages.
	Views Views
	// ViewsRefresh is how stale a cached article page's view count may get.
	ViewsRefresh time.Duration
}

// Rendered is a page rendered for an in-process caller (a static export)
// rather than served: a request whose context carries one (WithRendered)
// is routed as any other, but its page's render fills it in place of the
// answer, skipping the cache (no lookup, no entry, no ETag hash) and the
// response's headers and copy. The bytes are those the page would be
// served with. A route that is not a cached page (an asset, a picture),
// or a render that fails, answers through the ResponseWriter as usual and
// leaves Done false. No view is counted: an export is not a reader.
type Rendered struct {
	Page Page
	Done bool
	// Into, when set, is the buffer a page renders into; Page.Body is
	// then its bytes, no copy, for the caller to use before it reuses
	// the buffer (copying every page out was a third of the bytes a
	// static export allocated).
	Into *bytes.Buffer
}

type renderedKey struct{}

// WithRendered makes the cached pages requested with ctx render into out.
func WithRendered(ctx context.Context, out *Rendered) context.Context {
	return context.WithValue(ctx, renderedKey{}, out)
}

// buffers are the buffers pages are rendered into (Buffer).
var buffers = sync.Pool{New: func() any { b := new(bytes.Buffer); b.Grow(32 << 10); return b }}

// Buffer is an empty buffer to render a page into, for Release to take
// back once the page's bytes are no longer used.
func Buffer() *bytes.Buffer { return buffers.Get().(*bytes.Buffer) }

// Release gives b back to Buffer; a huge page's is left to the collector.
func Release(b *bytes.Buffer) {
	if b.Cap() <= 1<<20 {
		b.Reset()
		buffers.Put(b)
	}
}

// RenderedOf is what WithRendered made ctx carry (nil: nothing).
func RenderedOf(ctx context.Context) *Rendered {
	out, _ := ctx.Value(renderedKey{}).(*Rendered)
	return out
}

// Handler serves a page from the cache, rendering it on a miss. Only
// successful renders are cached; errors are answered by fail.
func (p *Pages) Handler(render Render, fail Fail) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		lang := p.Lang(r)
		if strings.Contains(r.URL.RawQuery, "lang=") && r.URL.Query().Get("lang") != "" {
			http.SetCookie(w, &http.Cookie{Name: "lang", Value: lang, Path: "/", MaxAge: 365 * 24 * 3600, HttpOnly: true, SameSite: http.SameSiteLaxMode})
		}
		mode := ""
		if p.Mode != nil {
			mode = p.Mode(r)
			p.Remember(w, r)
		}
		if out := RenderedOf(r.Context()); out != nil {
			page, err := render(r, lang)
			if err != nil {
				fail(w, r, lang, err)
				return
			}
			out.Page, out.Done = page, true
			return
		}
		key := string(appendKey(nil, lang, mode, r))
		e := p.Cache.Get(key)
		if e != nil && p.viewsStale(e) {
			// Show the newer view count: one request re-renders, the others
			// keep getting the cached page meanwhile.
			if e.refreshing.CompareAndSwap(false, true) {
				e = nil
			}
		}
		if e == nil {
			gen := p.Cache.Generation()
			out, err := render(r, lang)
			if err != nil {
				fail(w, r, lang, err)
				return
			}
			e = NewEntry(out.Body, out.ContentType)
			e.ArticleID = out.ArticleID
			p.Cache.Put(key, e, gen)
		}
		if e.ArticleID != 0 && p.Views != nil {
			p.Views.Add(e.ArticleID)
		}
		Serve(w, r, e)
	}
}

// Hit serves r from the cache when its page is there and fresh, and says
// whether it did; the server tries it before routing, so a cached page
// costs no route match. A request that would set a cookie (?lang=,
// ?mode=), a miss, or an article page whose view count is due for a
// refresh go the routed way, through Handler.
func (p *Pages) Hit(w http.ResponseWriter, r *http.Request) bool {
	if (r.Method != http.MethodGet && r.Method != http.MethodHead) || RenderedOf(r.Context()) != nil ||
		strings.Contains(r.URL.RawQuery, "lang=") || strings.Contains(r.URL.RawQuery, "mode=") {
		return false
	}
	mode := ""
	if p.Mode != nil {
		mode = p.Mode(r)
	}
	var buf [256]byte
	e := p.Cache.get(appendKey(buf[:0], p.Lang(r), mode, r))
	if e == nil || p.viewsStale(e) {
		return false
	}
	if e.ArticleID != 0 && p.Views != nil {
		p.Views.Add(e.ArticleID)
	}
	Serve(w, r, e)
	return true
}

// appendKey appends r's cache key: the language and reader mode it is
// shown in, its path and query.
func appendKey(b []byte, lang, mode string, r *http.Request) []byte {
	b = append(b, lang...)
	b = append(b, ' ')
	b = append(b, mode...)
	b = append(b, ' ')
	b = append(b, r.URL.Path...)
	b = append(b, '?')
	return append(b, r.URL.RawQuery...)
}

// viewsStale says whether e is an article page whose shown view count is
// older than ViewsRefresh while newer views are pending.
func (p *Pages) viewsStale(e *Entry) bool {
	return e.ArticleID != 0 && p.Views != nil && time.Since(e.rendered) > p.ViewsRefresh && p.Views.Pending(e.ArticleID) > 0
}

// Serve writes e, gzipped when the client takes it, or a 304 when the
// client has it already.
func Serve(w http.ResponseWriter, r *http.Request, e *Entry) {
	h := w.Header()
	body, etag, clen := e.body, e.etag, e.clen
	// The request's fields are read by their canonical names straight
	// from the map: Header.Get canonicalises the name again each time,
	// a tenth of Newsdesk's own work on a cached page.
	if ae := r.Header["Accept-Encoding"]; len(ae) > 0 && strings.Contains(ae[0], "gzip") {
		body, etag, clen = e.gzipped()
		h["Content-Encoding"] = gzipEncoding
	}
	h["Content-Type"] = e.ctype
	// Eight header fields at most (with the server's security headers):
	// net/http copies the handler's header map once per response, and a
	// ninth field makes both maps grow past Go's small-map size, which
	// cost the cached article page about a tenth of its speed. So no
	// Last-Modified: the ETag revalidates (browsers and crawlers use it
	// first).
	h["Etag"] = etag
	h["Vary"] = varyHeader
	h["Cache-Control"] = noCache
	if inm := r.Header["If-None-Match"]; len(inm) > 0 && strings.Contains(inm[0], etag[0]) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	h["Content-Length"] = clen
	if r.Method == http.MethodHead {
		return
	}
	w.Write(body)
}

var (
	gzipEncoding = []string{"gzip"}
	varyHeader   = []string{"Accept-Encoding, Accept-Language, Cookie"}
	// Browsers and proxies revalidate with the ETag; the answer is a cheap 304.
	noCache = []string{"public, max-age=0, must-revalidate"}
)

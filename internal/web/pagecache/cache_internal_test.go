package pagecache

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestPageCacheStaysWithinBudget(t *testing.T) {
	c := New(10_000)
	page := []byte(strings.Repeat("新", 300)) // 900 bytes
	for i := 0; i < 100; i++ {
		c.Put("k"+itoaTest(i), NewEntry(page, "text/html"), c.Generation())
	}
	n, size := c.Stats()
	if size > 10_000 || n == 0 || n > 11 {
		t.Fatalf("%d entries, %d bytes: over the 10,000 byte budget", n, size)
	}
	if c.Get("k"+itoaTest(99)) == nil {
		t.Fatal("the newest page was evicted")
	}
	if c.Evictions.Load() == 0 {
		t.Fatal("no evictions counted")
	}
}

// A full cache evicts the pages served least recently, not the oldest
// stored: a page read all the time stays.
func TestPageCacheEvictsTheLeastRecentlyUsed(t *testing.T) {
	c := New(10_000)
	page := []byte(strings.Repeat("新", 300)) // 900 bytes: 11 fit
	c.Put("hot", NewEntry(page, "text/html"), c.Generation())
	for i := 0; i < 100; i++ {
		if c.Get("hot") == nil {
			t.Fatalf("the page read before every store was evicted by store %d", i)
		}
		c.Put("k"+itoaTest(i), NewEntry(page, "text/html"), c.Generation())
	}
	if c.Get("k"+itoaTest(0)) != nil || c.Get("k"+itoaTest(99)) == nil {
		t.Fatal("the first page stored and never read is kept, or the last one stored is gone")
	}
}

// A page's gzip copy is made when a client first takes gzip, after the
// page was stored: it counts against the budget too.
func TestPageCacheCountsTheGzipCopies(t *testing.T) {
	c := New(20_000)
	page := []byte(strings.Repeat("<p>新闻网", 10) + itoaTest(0)) // compresses poorly enough to matter
	for i := 0; i < 200; i++ {
		body := append([]byte(itoaTest(i*7919)), page...)
		e := NewEntry(body, "text/html")
		c.Put("k"+itoaTest(i), e, c.Generation())
		e.gzipped()
		_, size := c.Stats()
		if size > 20_000 {
			t.Fatalf("after %d pages and their gzip copies: %d bytes, over the 20,000 byte budget", i+1, size)
		}
	}
	n, size := c.Stats()
	var want int64
	c.mu.RLock()
	for k, e := range c.entries {
		want += int64(len(k)+len(e.body)) + int64(len(e.gz))
	}
	c.mu.RUnlock()
	if size != want || n == 0 {
		t.Fatalf("%d entries: the cache counts %d bytes, its pages and gzip copies are %d", n, size, want)
	}
}

func TestPageCacheDropsRenderStartedBeforePurge(t *testing.T) {
	c := New(1 << 20)
	gen := c.Generation()
	c.Purge() // content changed while the page was rendering
	c.Put("k", NewEntry([]byte("old"), "text/html"), gen)
	if c.Get("k") != nil {
		t.Fatal("a page rendered from old content was cached after a purge")
	}
}

// A static export's request renders into its Rendered: the page's bytes,
// no answer written, nothing cached (so a later reader's request still
// renders, and a cached page is never handed to the export instead).
func TestRenderedPageSkipsCacheAndAnswer(t *testing.T) {
	p := &Pages{Cache: New(1 << 20), Lang: func(*http.Request) string { return "zh-CN" }}
	renders := 0
	h := p.Handler(func(r *http.Request, lang string) (Page, error) {
		renders++
		if r.URL.Path == "/missing" {
			return Page{}, errors.New("no such page")
		}
		return Page{Body: []byte("<p>" + lang + r.URL.Path + "</p>"), ContentType: "text/html; charset=utf-8"}, nil
	}, func(w http.ResponseWriter, r *http.Request, lang string, err error) {
		w.WriteHeader(http.StatusNotFound)
	})
	var out Rendered
	r := httptest.NewRequestWithContext(WithRendered(t.Context(), &out), http.MethodGet, "/a", nil)
	w := httptest.NewRecorder()
	h(w, r)
	if !out.Done || string(out.Page.Body) != "<p>zh-CN/a</p>" || out.Page.ContentType != "text/html; charset=utf-8" {
		t.Fatalf("rendered %+v", out)
	}
	if w.Body.Len() != 0 || len(w.Header()) != 0 {
		t.Fatalf("an answer was written too: %q %v", w.Body.String(), w.Header())
	}
	if n, _ := p.Cache.Stats(); n != 0 {
		t.Fatalf("%d pages cached by a rendered request", n)
	}
	h(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, "/a", nil)) // a reader's: cached
	if p.Hit(httptest.NewRecorder(), r) {
		t.Fatal("a rendered request was served from the cache")
	}
	before := renders
	out = Rendered{}
	h(httptest.NewRecorder(), r)
	if renders != before+1 || !out.Done {
		t.Fatal("a rendered request took the cached page instead of rendering")
	}
	var failed Rendered
	w = httptest.NewRecorder()
	h(w, httptest.NewRequestWithContext(WithRendered(t.Context(), &failed), http.MethodGet, "/missing", nil))
	if failed.Done || w.Code != http.StatusNotFound {
		t.Fatalf("a failed render: done %v, status %d; want the error answer", failed.Done, w.Code)
	}
}

func TestPageCacheKeepsNoPageOverMaxEntry(t *testing.T) {
	c := New(64 << 20)
	c.Put("big", NewEntry(make([]byte, MaxEntry+1), "application/xml"), c.Generation())
	c.Put("page", NewEntry(make([]byte, 100_000), "text/html"), c.Generation())
	if c.Get("big") != nil || c.Get("page") == nil {
		t.Fatal("want the page over MaxEntry left out and the ordinary page kept")
	}
	if n, size := c.Stats(); n != 1 || size > 100_010 {
		t.Fatalf("%d entries, %d bytes", n, size)
	}
}

func itoaTest(i int) string { return string(rune('a'+i/26)) + string(rune('a'+i%26)) }

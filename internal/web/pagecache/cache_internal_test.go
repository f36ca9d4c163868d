package pagecache

import (
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

func TestPageCacheDropsRenderStartedBeforePurge(t *testing.T) {
	c := New(1 << 20)
	gen := c.Generation()
	c.Purge() // content changed while the page was rendering
	c.Put("k", NewEntry([]byte("old"), "text/html"), gen)
	if c.Get("k") != nil {
		t.Fatal("a page rendered from old content was cached after a purge")
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

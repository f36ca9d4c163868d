package web

import (
	"strings"
	"testing"
	"time"
)

func TestPageCacheStaysWithinBudget(t *testing.T) {
	c := newPageCache(10_000)
	page := []byte(strings.Repeat("新", 300)) // 900 bytes
	for i := 0; i < 100; i++ {
		c.put("k"+itoaTest(i), newEntry(page, "text/html", time.Now()), c.generation())
	}
	n, size := c.stats()
	if size > 10_000 || n == 0 || n > 11 {
		t.Fatalf("%d entries, %d bytes: over the 10,000 byte budget", n, size)
	}
	if c.get("k"+itoaTest(99)) == nil {
		t.Fatal("the newest page was evicted")
	}
	if c.evictions.Load() == 0 {
		t.Fatal("no evictions counted")
	}
}

func TestPageCacheDropsRenderStartedBeforePurge(t *testing.T) {
	c := newPageCache(1 << 20)
	gen := c.generation()
	c.purge() // content changed while the page was rendering
	c.put("k", newEntry([]byte("old"), "text/html", time.Now()), gen)
	if c.get("k") != nil {
		t.Fatal("a page rendered from old content was cached after a purge")
	}
}

func itoaTest(i int) string { return string(rune('a'+i/26)) + string(rune('a'+i%26)) }

package web

import (
	"bytes"
	"compress/gzip"
	"hash/fnv"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// pageCache keeps rendered public pages in memory, bounded by total bytes.
// Every content change purges it whole: renders take well under a
// millisecond, so precise dependency tracking would buy little and risk
// showing stale pages. A render that started before a purge is not stored.
type pageCache struct {
	max int64

	mu      sync.RWMutex
	entries map[string]*entry
	size    int64
	gen     atomic.Uint64
	changed atomic.Int64 // unix nanos of the last purge: the pages' Last-Modified

	hits, misses, evictions atomic.Int64
}

// entry is one rendered page with its headers prepared, so serving a hit
// allocates nothing.
type entry struct {
	body      []byte
	ctype     []string
	etag      []string
	lastMod   []string
	clen      []string
	articleID int64 // counts a view on every hit when set
	rendered  time.Time
	used      atomic.Int64

	refreshing atomic.Bool

	gzOnce sync.Once
	gz     []byte
	gzEtag []string
	gzLen  []string
}

func newPageCache(maxBytes int64) *pageCache {
	c := &pageCache{max: maxBytes, entries: map[string]*entry{}}
	c.changed.Store(time.Now().UnixNano())
	return c
}

func newEntry(body []byte, ctype string, lastChange time.Time) *entry {
	h := fnv.New64a()
	h.Write(body)
	tag := strconv.FormatUint(h.Sum64(), 36)
	return &entry{
		body:     body,
		ctype:    []string{ctype},
		etag:     []string{`"` + tag + `"`},
		clen:     []string{strconv.Itoa(len(body))},
		lastMod:  []string{lastChange.UTC().Format(http.TimeFormat)},
		rendered: time.Now(),
	}
}

// gzipped returns the compressed body, its ETag and length, compressing on
// first use.
func (e *entry) gzipped() ([]byte, []string, []string) {
	e.gzOnce.Do(func() {
		var b bytes.Buffer
		w, _ := gzip.NewWriterLevel(&b, gzip.BestCompression)
		w.Write(e.body)
		w.Close()
		e.gz = b.Bytes()
		e.gzEtag = []string{e.etag[0][:len(e.etag[0])-1] + `-gz"`}
		e.gzLen = []string{strconv.Itoa(len(e.gz))}
	})
	return e.gz, e.gzEtag, e.gzLen
}

func (c *pageCache) get(key string) *entry {
	c.mu.RLock()
	e := c.entries[key]
	c.mu.RUnlock()
	if e == nil {
		c.misses.Add(1)
		return nil
	}
	c.hits.Add(1)
	e.used.Store(time.Now().UnixNano())
	return e
}

// generation is read before rendering and handed back to put.
func (c *pageCache) generation() uint64 { return c.gen.Load() }

func (c *pageCache) put(key string, e *entry, gen uint64) {
	sz := int64(len(e.body) + len(key))
	if sz > c.max/4 {
		return
	}
	e.used.Store(time.Now().UnixNano())
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.gen.Load() != gen {
		return
	}
	if old := c.entries[key]; old != nil {
		c.size -= int64(len(old.body) + len(key))
		delete(c.entries, key)
	}
	for c.size+sz > c.max && len(c.entries) > 0 {
		c.evictOldest()
	}
	c.entries[key] = e
	c.size += sz
}

// evictOldest drops the least recently used eighth of the entries. It scans
// the map, which only happens when the cache is full.
func (c *pageCache) evictOldest() {
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
		e := c.entries[all[i].k]
		c.size -= int64(len(e.body) + len(all[i].k))
		delete(c.entries, all[i].k)
		c.evictions.Add(1)
	}
}

// purge forgets every page; called whenever published content changes.
func (c *pageCache) purge() {
	c.mu.Lock()
	c.gen.Add(1)
	c.changed.Store(time.Now().UnixNano())
	c.entries = map[string]*entry{}
	c.size = 0
	c.mu.Unlock()
}

func (c *pageCache) lastChange() time.Time { return time.Unix(0, c.changed.Load()) }

func (c *pageCache) stats() (entries int, size int64) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return len(c.entries), c.size
}

package staticsite

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"runtime"
	"strconv"
	"strings"
	"sync"

	"newsdesk/internal/reader"
)

// linked writes first every article a page, list, feed or sitemap links
// to that the folder does not have yet (writeNew). Update lists the
// public stories when it starts; a story published while it runs is on
// the pages it renders later, and without this the folder would link to
// it until the next update (a reader's 404, found by
// TestReaderCrawlingDuringABurstOfPublishes). An article page's own links
// are followed only once the new pages are written (linkArticles, set by
// Update's second pass): before, during a full export's article phase,
// most of the pages it links to are simply still to come.
func (x *export) linked(ctx context.Context, u string, body []byte) error {
	if articleID(File(u, 0, true)) != 0 && !x.linkArticles.Load() {
		return nil
	}
	return x.writeNew(ctx, x.missing(articleIDs(body)), false)
}

// articleIDs are the articles a page, a feed or a sitemap links to:
// /articles/N ended by a quote, a tag, a query, a fragment or the end,
// found without a regular expression, which took 0.15 s of an update at
// 100,000 articles on the sitemap part of 50,000 links it rendered.
func articleIDs(body []byte) []int64 {
	var ids []int64
	for i := 0; ; {
		k := bytes.Index(body[i:], articlesPrefix)
		if k < 0 {
			return ids
		}
		i += k + len(articlesPrefix)
		end := i
		for end < len(body) && body[end] >= '0' && body[end] <= '9' {
			end++
		}
		if end == i || (end < len(body) && !bytes.ContainsRune(linkEnd, rune(body[end]))) {
			continue
		}
		if id, err := strconv.ParseInt(string(body[i:end]), 10, 64); err == nil {
			ids = append(ids, id)
		}
		i = end
	}
}

var (
	articlesPrefix = []byte("/articles/")
	linkEnd        = []byte("\"'<?#")
)

// missing are the articles of ids whose page the folder does not have
// (neither before this run nor written by it).
func (x *export) missing(ids []int64) []int64 {
	if x.articlesDone.Load() {
		// Every list and feed links only stories written already: taking
		// the lock for each link was 2 % of an export's time at 100,000.
		var rest []int64
		for _, id := range ids {
			if _, ok := x.found[id]; !ok {
				rest = append(rest, id)
			}
		}
		if ids = rest; len(ids) == 0 {
			return nil
		}
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	var out []int64
	for _, id := range ids {
		if _, ok := x.listed[id]; ok {
			continue // its page was there before this run (a sitemap part links 50,000)
		}
		rel := File(reader.ArticleURL(id), 0, true)
		if _, have := x.sums[rel]; !have {
			if _, had := x.base[rel]; !had {
				out = append(out, id)
			}
		}
	}
	return out
}

// newPages is the state of writeNew: one batch at a time, and every
// article it has rendered (or found not public) in this run, so that
// each page is written once.
type newPages struct {
	mu    sync.Mutex
	tried map[int64]bool
}

// writeNew writes the pages of articles the folder does not have yet,
// and of the ones they link to that it does not have either, before
// anything else links to them. A new page is not reachable until a page
// already in the folder links to it, so the batch is rendered in memory
// first, closed over its links (two new stories can be each other's
// previous/next or related: a cycle), and only then written, all of it,
// before the caller writes the page that links to them. listed says the
// ids are public as far as the caller knows, so a page that is not found
// is an error (the story was withdrawn meanwhile: Update fails and is
// tried again); a story only linked to that is not public is left alone
// (a body naming a withdrawn one).
func (x *export) writeNew(ctx context.Context, ids []int64, listed bool) error {
	if len(ids) == 0 {
		return nil
	}
	x.news.mu.Lock()
	defer x.news.mu.Unlock()
	if x.news.tried == nil {
		x.news.tried = map[int64]bool{}
	}
	type page struct {
		id    int64
		body  []byte
		ctype string
	}
	var pages []page
	var pmu sync.Mutex
	strict := map[int64]bool{}
	if listed {
		for _, id := range ids {
			strict[id] = true
		}
	}
	for batch := ids; len(batch) > 0; {
		var todo []int64
		for _, id := range x.missing(batch) {
			if !x.news.tried[id] {
				x.news.tried[id] = true
				todo = append(todo, id)
			}
		}
		var next []int64
		err := parallel(ctx, x.Workers, todo, func(id int64) error {
			u := reader.ArticleURL(id)
			w := x.get(ctx, job{url: u})
			switch {
			case w.code == http.StatusNotFound && !strict[id]:
				return nil
			case w.code != http.StatusOK:
				return &statusError{url: u, code: w.code, want: http.StatusOK}
			}
			body := w.body
			pmu.Lock()
			defer pmu.Unlock()
			pages = append(pages, page{id, body, w.ctype})
			next = append(next, articleIDs(body)...)
			return nil
		})
		if err != nil {
			return err
		}
		batch = next
	}
	return parallel(ctx, x.Workers, pages, func(p page) error {
		u := reader.ArticleURL(p.id)
		for _, ref := range htmlRefs(p.body) {
			if err := x.ensure(ctx, ref); err != nil {
				return fmt.Errorf("%w (shown on %s)", err, u)
			}
		}
		return x.write(File(u, 0, true), p.body, p.ctype)
	})
}

// parallel calls do for every item on the export's workers and returns
// the first error.
func parallel[T any](ctx context.Context, workers int, items []T, do func(T) error) error {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	work := make(chan T)
	var wg sync.WaitGroup
	for range min(workers, len(items)) {
		wg.Go(func() {
			for it := range work {
				if err := do(it); err != nil {
					cancel(err)
				}
			}
		})
	}
feed:
	for _, it := range items {
		select {
		case work <- it:
		case <-ctx.Done():
			break feed
		}
	}
	close(work)
	wg.Wait()
	if err := context.Cause(ctx); err != nil {
		return err
	}
	return nil
}

// linksArticles says whether a content type can link to articles.
func linksArticles(ctype string) bool {
	return strings.HasPrefix(ctype, "text/html") || strings.Contains(ctype, "xml")
}

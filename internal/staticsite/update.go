package staticsite

import (
	"cmp"
	"context"
	"fmt"
	"html"
	"io/fs"
	"log/slog"
	"maps"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/fsnotify/fsnotify"

	"newsdesk/internal/column"
	"newsdesk/internal/model"
	"newsdesk/internal/reader"
	"newsdesk/internal/store"
)

// articleID is the article whose page a file is (articles/42/index.html
// and its gzip copy), or 0.
func articleID(rel string) int64 {
	rest, ok := strings.CutPrefix(rel, "articles/")
	if !ok {
		return 0
	}
	num, name, ok := strings.Cut(rest, "/")
	if !ok || strings.TrimSuffix(name, ".gz") != indexName+".html" {
		return 0
	}
	id, _ := strconv.ParseInt(num, 10, 64)
	return id
}

// listed says whether a file is one of the pages Update renders in full
// each time (lists, feeds, sitemaps, the home page and the fixed pages),
// so one it did not write this time is no longer on the site.
func listed(rel string) bool {
	return articleID(rel) == 0 && !strings.HasPrefix(rel, "static/") && !strings.HasPrefix(rel, "media/") &&
		strings.TrimSuffix(rel, ".gz") != NotFoundFile
}

// story is where a public article stands in the lists: its column and
// its publish time (Unix seconds); its last update (the sitemap's
// lastmod); and the version its files were written from (0: not known).
type story struct{ column, at, updated, version int64 }

// moved says whether s is listed elsewhere than t: another column or
// another publish time.
func (s story) moved(t story) bool { return s.column != t.column || s.at != t.at }

// changeSet is what changed on the site since an update's time, as the
// folder's lists see it.
type changeSet struct {
	// stories are the public stories after the change, as a change to the
	// exporter's (nil, delta unused: stories is new).
	stories map[int64]story
	delta   map[int64]*story // nil: no longer public
	changed []int64          // public stories written since
	// were are where the stories moved, re-dated or gone were listed
	// before: the pages that showed them there change too.
	were map[int64]story
	gone map[int64]bool // stories whose page the folder has, no longer public
	// touched are the columns whose lists show a changed or gone story;
	// shifted, of those, the ones where a story came, went or moved, so
	// that their list pages shift. all: not known, every list.
	touched, shifted map[int64]bool
	all              bool
}

func (c *changeSet) add(id int64, now story, prev story, was, inFolder bool) {
	c.changed = append(c.changed, id)
	c.touched[now.column] = true
	if was {
		c.touched[prev.column] = true
	}
	switch {
	case !inFolder: // new to the folder
		c.shifted[now.column] = true
		if was {
			c.shifted[prev.column] = true
		}
	case !was: // in the folder, where it was listed not known
		c.all = true
	case prev.moved(now): // moved or re-dated
		c.shifted[now.column], c.shifted[prev.column] = true, true
		c.were[id] = prev
	}
}

func (c *changeSet) remove(id int64, prev story, was bool) {
	c.gone[id] = true
	if !was {
		c.all = true
		return
	}
	c.touched[prev.column], c.shifted[prev.column] = true, true
	c.were[id] = prev
}

// changes finds what changed since since: from the stories written since
// (Reader.ChangedSince) when the exporter knows where every public story
// was listed, else, or when the count of public stories says a story came
// without being written since (an import keeps its own times), from every
// public story's stub.
func (e *Exporter) changes(ctx context.Context, since time.Time, old Manifest) (*changeSet, error) {
	if e.stories != nil {
		c := &changeSet{delta: map[int64]*story{}, gone: map[int64]bool{}, were: map[int64]story{}, touched: map[int64]bool{}, shifted: map[int64]bool{}}
		n := len(e.stories)
		err := e.Reader.ChangedSince(ctx, since, func(a model.ArticleStub, public bool) error {
			prev, was := e.stories[a.ID]
			_, inFolder := old[File(reader.ArticleURL(a.ID), 0, true)]
			switch {
			case public:
				now := story{column: a.ColumnID, at: a.PublishedAt.Unix(), updated: a.UpdatedAt.Unix(), version: int64(a.Version)}
				if was && inFolder && now.version != 0 && prev == now {
					// Written from this version by an earlier update: since
					// reaches back past it (the margin for times kept in
					// whole seconds), and its pages are as they should be.
					return nil
				}
				c.add(a.ID, now, prev, was, inFolder)
				c.delta[a.ID] = &now
				if !was {
					n++
				}
			case was || inFolder:
				c.remove(a.ID, prev, was)
				c.delta[a.ID] = nil
				if was {
					n--
				}
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
		public, err := e.Reader.PublicCount(ctx)
		if err != nil {
			return nil, err
		}
		if public == n {
			return c, nil
		}
	}
	st, err := e.Reader.Site(ctx)
	if err != nil {
		return nil, err
	}
	// Where a story changed was listed when the folder was written: the
	// exporter's knowledge, or, in a process that never wrote the folder
	// (serve restarted), what the story's page in the folder says.
	before := func(id int64) (story, bool) {
		if e.stories != nil {
			s, ok := e.stories[id]
			return s, ok
		}
		return e.listedAs(id, st.Columns)
	}
	c := &changeSet{stories: map[int64]story{}, gone: map[int64]bool{}, were: map[int64]story{}, touched: map[int64]bool{}, shifted: map[int64]bool{}}
	err = e.Reader.EachArticle(ctx, func(a model.ArticleStub) error {
		now := story{column: a.ColumnID, at: a.PublishedAt.Unix(), updated: a.UpdatedAt.Unix()}
		c.stories[a.ID] = now
		prev, was := e.stories[a.ID]
		_, inFolder := old[File(reader.ArticleURL(a.ID), 0, true)]
		if !inFolder || !a.UpdatedAt.Before(since) || !a.PublishedAt.Before(since) || (was && prev.moved(now)) {
			if !was && inFolder {
				prev, was = before(a.ID)
			}
			c.add(a.ID, now, prev, was, inFolder)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	for rel := range old {
		if id := articleID(rel); id != 0 {
			if _, ok := c.stories[id]; !ok {
				prev, was := before(id)
				c.remove(id, prev, was)
			}
		}
	}
	return c, nil
}

// Where an exported page lists its story: the last column of its
// breadcrumb, and its publish time.
var (
	breadcrumbColumn = regexp.MustCompile(`<a href="/columns/([^"/?#]+)"[^>]*>[^<]*</a></nav>`)
	publishedMeta    = regexp.MustCompile(`<meta property="article:published_time" content="([^"]+)">`)
)

// listedAs reads where the folder's page of article id lists it: the
// column and the publish time it shows, as exported. False when the page
// is not there or says neither (then every list is rendered).
func (e *Exporter) listedAs(id int64, cols *column.Tree) (story, bool) {
	b, err := os.ReadFile(filepath.Join(e.Dir, filepath.FromSlash(File(reader.ArticleURL(id), 0, true))))
	if err != nil {
		return story{}, false
	}
	crumb, meta := breadcrumbColumn.FindSubmatch(b), publishedMeta.FindSubmatch(b)
	if crumb == nil || meta == nil {
		return story{}, false
	}
	slug, err := url.PathUnescape(string(crumb[1]))
	if err != nil {
		return story{}, false
	}
	col, err := cols.BySlug(slug)
	if err != nil {
		return story{}, false
	}
	at, err := time.Parse(time.RFC3339, html.UnescapeString(string(meta[1])))
	if err != nil {
		return story{}, false
	}
	return story{column: col.ID, at: at.Unix()}, true
}

// apply makes the change the exporter's knowledge of the stories.
func (e *Exporter) apply(c *changeSet) {
	if c.stories != nil {
		e.stories, e.ranked = c.stories, nil
		return
	}
	for id, s := range c.delta {
		prev, was := e.stories[id]
		if s == nil {
			delete(e.stories, id)
		} else {
			e.stories[id] = *s
		}
		if s == nil || !was || prev.at != s.at {
			e.ranked = nil
		}
	}
}

// sitemapParts are the parts of the sitemap (1 the first) that list the
// stories ids among places, ranked in the sitemap's order, per in a part.
func sitemapParts(places map[int64]story, ranked, ids []int64, per int) map[int]bool {
	parts := map[int]bool{}
	for _, id := range ids {
		parts[sitemapRank(places, ranked, id, places[id])/per+1] = true
	}
	return parts
}

// sitemapRank is the place of story id, at s, among ranked (places in the
// sitemap's order): how many are listed before it.
func sitemapRank(places map[int64]story, ranked []int64, id int64, s story) int {
	n, _ := slices.BinarySearchFunc(ranked, id, func(o, id int64) int { return sitemapOrder(places[o], o, s, id) })
	return n
}

// sitemapOrder compares two stories as the sitemap lists them: the
// oldest first (publish time, then id).
func sitemapOrder(a story, aid int64, b story, bid int64) int {
	if a.at != b.at {
		return cmp.Compare(a.at, b.at)
	}
	return cmp.Compare(aid, bid)
}

// rank is the ids of places in the sitemap's order. Sorting 100,000
// stories took 67 ms, a third of an edit's update, so the exporter keeps
// the ranking (rerank after a change).
func rank(places map[int64]story) []int64 {
	type entry struct{ id, at int64 }
	all := make([]entry, 0, len(places))
	for id, s := range places {
		all = append(all, entry{id, s.at})
	}
	slices.SortFunc(all, func(a, b entry) int { return sitemapOrder(story{at: a.at}, a.id, story{at: b.at}, b.id) })
	ids := make([]int64, len(all))
	for i, e := range all {
		ids[i] = e.id
	}
	return ids
}

// rerank is ranked, the stories of old in the sitemap's order, after the
// change delta (nil: gone), and the place of the first story it lists
// otherwise: the parts from there on change.
func rerank(ranked []int64, old map[int64]story, delta map[int64]*story) ([]int64, int) {
	first := len(ranked)
	for id := range delta {
		if s, ok := old[id]; ok {
			first = min(first, sitemapRank(old, ranked, id, s))
		}
	}
	out := make([]int64, 0, len(ranked)+len(delta))
	for _, id := range ranked {
		if _, ok := delta[id]; !ok {
			out = append(out, id)
		}
	}
	placeOf := func(id int64) story {
		if d := delta[id]; d != nil {
			return *d
		}
		return old[id]
	}
	for id, d := range delta {
		if d == nil {
			continue
		}
		i, _ := slices.BinarySearchFunc(out, id, func(o, id int64) int { return sitemapOrder(placeOf(o), o, *d, id) })
		out = slices.Insert(out, i, id)
	}
	// A story placed before an earlier-placed one moves it on: the first
	// change is the earliest place any of them has now.
	for id, d := range delta {
		if d != nil {
			i, _ := slices.BinarySearchFunc(out, id, func(o, id int64) int { return sitemapOrder(placeOf(o), o, *d, id) })
			first = min(first, i)
		}
	}
	return out, first
}

// rankedEdits is the most stories edited in place whose list pages and
// sitemap part an update finds by counting the stories before each (a
// pass over every public story, ~1 ms at 100,000 each); past it, their
// columns are rendered whole, as when a story moves.
const rankedEdits = 64

// sitemapStubs are the stubs of the articles of each part of the sitemap
// (per in a part, the pages that are not articles after them) among
// places, ranked in the sitemap's order, laid over by delta: what the
// store would answer for them, read ahead.
func sitemapStubs(places map[int64]story, delta map[int64]*story, ranked []int64, parts map[int]bool, per int) map[int][]model.ArticleStub {
	out := map[int][]model.ArticleStub{}
	for i := range parts {
		from := (i - 1) * per
		ids := ranked[min(from, len(ranked)):min(from+per, len(ranked))]
		stubs := make([]model.ArticleStub, len(ids))
		for k, id := range ids {
			s := places[id]
			if d := delta[id]; d != nil {
				s = *d
			}
			stubs[k] = model.ArticleStub{ID: id, ColumnID: s.column, Status: model.StatusPublished,
				PublishedAt: unixTime(s.at), UpdatedAt: unixTime(s.updated)}
		}
		out[i] = stubs
	}
	return out
}

// unixTime is a time as the store reads it back: UTC, 0 the zero time.
func unixTime(n int64) time.Time {
	if n == 0 {
		return time.Time{}
	}
	return time.Unix(n, 0).UTC()
}

// Update brings an exported folder up to date after a change, writing
// only the files whose bytes change: it renders again the articles
// changed since since and the articles whose pages show them (previous,
// next, related) — the pages new to the folder first, then the others —
// the lists, feeds and sitemap parts that show them and the home page, in
// that order, and only then removes the pages of stories no longer public
// and the list pages past the end — so no page links to a file not yet
// written or already gone. A story edited in place (same column, same
// publish time) keeps its place in every list: only the list pages and
// the sitemap part showing it are rendered. The manifest's changes are
// appended to its journal (journal.go).
func (e *Exporter) Update(ctx context.Context, since time.Time) (Result, error) {
	// Where an update's time goes, logged at debug level (bench/README.md).
	var took []any
	lap := time.Now()
	step := func(name string) {
		took = append(took, name, time.Since(lap).Round(100*time.Microsecond))
		lap = time.Now()
	}
	old, h, mst, err := e.lastManifest()
	if err != nil {
		return Result{}, fmt.Errorf("manifest of %s: %w", e.Dir, err)
	}
	if h != e.hash() {
		return e.Export(ctx) // another digest: every file's sum is new
	}
	x := &export{Exporter: e, old: old, base: old, listed: e.stories, sums: Manifest{}, touched: map[string]bool{}}
	step("manifest_read")
	c, err := e.changes(ctx, since, old)
	if err != nil {
		return Result{}, err
	}
	// A story edited in place has the same place before and after.
	x.places = e.stories
	if c.stories != nil {
		x.places = c.stories
	}
	if len(c.changed) > rankedEdits {
		for col := range c.touched {
			c.shifted[col] = true
		}
	}
	step("stubs")
	var only map[string]bool   // the slugs of the columns whose lists are rendered (nil: all)
	var moving map[string]bool // of those, the ones whose pages shift
	var shifts map[string]*shift
	if !c.all {
		st, err := e.Reader.Site(ctx)
		if err != nil {
			return Result{}, err
		}
		only, moving = map[string]bool{}, map[string]bool{}
		for col := range c.touched {
			for _, p := range st.Columns.Path(col) {
				only[p.Slug] = true
			}
		}
		for col := range c.shifted {
			for _, p := range st.Columns.Path(col) {
				moving[p.Slug] = true
			}
		}
		// Knowing where each story was and is, a moving column's lists
		// change from the page of their oldest change on (shifted); past
		// rankedEdits edits, finding the pages of those edited in place
		// costs more than rendering the column.
		if c.stories == nil && len(c.changed) <= rankedEdits {
			shifts = map[string]*shift{}
			for _, col := range st.Columns.All() {
				if moving[col.Slug] {
					shifts[col.Slug] = shifted(col, st, e.stories, c.delta)
				}
			}
		}
	}
	var inPlace []int64 // the stories changed that kept their place
	for _, id := range c.changed {
		if was, ok := e.stories[id]; ok && c.delta != nil && c.delta[id] != nil && !was.moved(*c.delta[id]) {
			inPlace = append(inPlace, id)
		}
	}
	render := map[int64]bool{}
	for _, id := range c.changed {
		render[id] = true
	}
	shownOf := slices.Clone(c.changed)
	for id := range c.gone {
		shownOf = append(shownOf, id)
	}
	for _, id := range shownOf {
		shown, err := e.Reader.ShownOn(ctx, id)
		if err != nil {
			return Result{}, fmt.Errorf("pages showing article %d: %w", id, err)
		}
		if was, ok := c.were[id]; ok {
			before, err := e.Reader.ShownAt(ctx, id, was.column, time.Unix(was.at, 0))
			if err != nil {
				return Result{}, fmt.Errorf("pages showing article %d: %w", id, err)
			}
			shown = append(shown, before...)
		}
		for _, s := range shown {
			render[s] = true
		}
	}
	// First the pages of the stories new to the folder: nothing links to
	// them yet, so they may link to each other (previous/next, related)
	// in any order. Then the pages already there that show them, the
	// lists, feeds and the home page: each page written after every new
	// one it links to (linked), each file once.
	var fresh, others []int64
	for id := range render {
		if _, ok := old[File(reader.ArticleURL(id), 0, true)]; ok {
			others = append(others, id)
		} else {
			fresh = append(fresh, id)
		}
	}
	step("shown_on")
	if err := x.writeNew(ctx, fresh, true); err != nil {
		return Result{}, err
	}
	step("new_pages")
	x.linkArticles.Store(true)
	// The sitemap's parts: where nothing came, went or moved, every story
	// keeps its place (the one the exporter knows), and only the parts
	// listing an edited one change.
	var parts func(head, per int) map[int][]model.ArticleStub
	var ranked []int64 // the stories after the change in the sitemap's order, kept by the exporter after
	switch {
	case !c.all && len(c.shifted) == 0 && len(c.gone) == 0:
		parts = func(head, per int) map[int][]model.ArticleStub {
			ranked = e.ranked
			if ranked == nil || c.stories != nil {
				ranked = rank(x.places)
			}
			return sitemapStubs(x.places, c.delta, ranked, sitemapParts(x.places, ranked, c.changed, per), per)
		}
	case !c.all && c.stories == nil:
		// Stories came, went or moved: the sitemap lists the oldest first,
		// so the parts change from the first one's place on (a new story:
		// the last part only).
		parts = func(head, per int) map[int][]model.ArticleStub {
			old := e.ranked
			if old == nil {
				old = rank(e.stories)
			}
			var first int
			ranked, first = rerank(old, e.stories, c.delta)
			some := map[int]bool{}
			for i := first/per + 1; (i-1)*per < len(ranked)+head; i++ {
				some[i] = true
			}
			return sitemapStubs(e.stories, c.delta, ranked, some, per)
		}
	}
	phases := []phase{
		urls(func(ctx context.Context, emit func(string) error) error {
			for _, id := range others {
				if err := emit(reader.ArticleURL(id)); err != nil {
					return err
				}
			}
			return nil
		}),
		urls(func(ctx context.Context, emit func(string) error) error {
			for _, sh := range shifts {
				for _, p := range sh.render {
					if _, ok := old[p.rel]; !ok {
						if err := emit(p.url); err != nil {
							return err
						}
					}
				}
			}
			return nil
		}),
		func(ctx context.Context, emit func(job) error) error {
			edited := c.changed
			if shifts != nil {
				edited = inPlace
			}
			return x.listsIn(ctx, only, moving, shifts, edited, emit)
		},
		x.frontOf(only, parts),
	}
	for i, phase := range phases {
		if err := x.run(ctx, phase); err != nil {
			return Result{}, err
		}
		step([]string{"pages", "new_lists", "lists", "front"}[i])
	}
	var res Result
	var removed []string
	for id := range c.gone {
		rel := File(reader.ArticleURL(id), 0, true)
		for _, f := range []string{rel, rel + ".gz"} {
			if _, ok := old[f]; ok {
				removed = append(removed, f)
			}
		}
	}
	// The list files not rendered this time, where they may have gone:
	// outside the columns and in the columns that shifted (a column whose
	// stories were only edited in place keeps its pages).
	for group, rels := range mst.groups {
		if sh := shifts[group]; group != "" && sh != nil && !sh.whole {
			for _, rel := range sh.remove {
				if _, ok := old[rel]; ok && !x.touched[rel] {
					removed = append(removed, rel)
				}
			}
			continue
		}
		if group != "" && moving != nil && !moving[group] {
			continue
		}
		for rel := range rels {
			if !x.touched[rel] {
				removed = append(removed, rel)
			}
		}
	}
	for _, rel := range removed {
		if err := os.Remove(filepath.Join(e.Dir, filepath.FromSlash(rel))); err != nil && !os.IsNotExist(err) {
			return Result{}, fmt.Errorf("remove %s: %w", rel, err)
		}
	}
	res.Removed = len(removed)
	if err := e.changeManifest(old, mst, x.sums, removed); err != nil {
		return Result{}, err
	}
	step("remove_and_manifest_write")
	if e.Log != nil {
		e.Log.Debug("static update", took...)
	}
	e.apply(c)
	if ranked != nil { // only stories edited in place: the order is the same
		e.ranked = ranked
	}
	res.Files, res.Written, res.Bytes = len(old), int(x.written.Load()), x.bytes.Load()
	return res, nil
}

// changeManifest lays the files written and removed over the manifest m
// (in place: the exporter's own copy, lastManifest's) and appends them to
// its journal, or writes it in full when the journal has grown too long.
func (e *Exporter) changeManifest(m Manifest, st manifestState, written Manifest, removed []string) error {
	set := Manifest{}
	for rel, sum := range written {
		if was, ok := m[rel]; !ok || was != sum {
			set[rel] = sum
		}
		if _, ok := m[rel]; !ok {
			st.groups.add(rel)
		}
		m[rel] = sum
	}
	for _, rel := range removed {
		delete(m, rel)
		st.groups.remove(rel)
	}
	if len(set)+len(removed) == 0 {
		return nil
	}
	if st.compact(len(m), len(set)+len(removed)) {
		return e.writeManifest(m)
	}
	if err := appendJournal(e.manifest(), e.hash(), &st, set, removed); err != nil {
		e.forget()
		return err
	}
	e.remember(m, st)
	return nil
}

// keep marks a file and its precompressed copy as still on the site,
// though not rendered this time.
func (x *export) keep(rel string) {
	x.mu.Lock()
	x.touched[rel], x.touched[rel+".gz"] = true, true
	x.mu.Unlock()
}

// manifestCache is a manifest as written, and the files it was written
// to (the manifest and its journal): at 10,000 articles reading and
// parsing it took 140–410 ms of an update (load 15–26, bench/README.md),
// from memory under 25 ms.
type manifestCache struct {
	mu      sync.Mutex
	path    string
	file    os.FileInfo
	journal os.FileInfo // nil: none
	m       Manifest
	h       Hash
	st      manifestState
}

// cache is the exporter's manifest cache, made on first use.
func (e *Exporter) cache() *manifestCache {
	if e.written == nil {
		e.written = &manifestCache{}
	}
	return e.written
}

// remember keeps m as the manifest just written (Update's next read).
func (e *Exporter) remember(m Manifest, st manifestState) {
	c := e.cache()
	c.mu.Lock()
	defer c.mu.Unlock()
	c.path, c.m, c.h, c.st, c.file, c.journal = e.manifest(), m, e.hash(), st, nil, nil
	fi, err := os.Stat(c.path)
	if err != nil {
		c.m = nil
		return
	}
	c.file = fi
	if st.journal {
		if c.journal, err = os.Stat(JournalPath(c.path)); err != nil {
			c.m = nil
		}
	}
}

// forget drops the manifest kept (one not written as kept).
func (e *Exporter) forget() {
	if c := e.written; c != nil {
		c.mu.Lock()
		c.m = nil
		c.mu.Unlock()
	}
}

// sameFile says whether the file at path is still was (nil: none there).
func sameFile(path string, was os.FileInfo) bool {
	fi, err := os.Stat(path)
	if was == nil {
		return os.IsNotExist(err)
	}
	return err == nil && os.SameFile(fi, was) && fi.ModTime().Equal(was.ModTime()) && fi.Size() == was.Size()
}

// lastManifest is readManifest, from memory when the files are still the
// ones this exporter wrote (the same manifest, not replaced since: a
// manifest is always written to a new file renamed over the old; the same
// journal, not appended to since). The map is the exporter's to change.
func (e *Exporter) lastManifest() (Manifest, Hash, manifestState, error) {
	c := e.cache()
	c.mu.Lock()
	if c.m != nil && c.path == e.manifest() && c.file != nil && sameFile(c.path, c.file) && sameFile(JournalPath(c.path), c.journal) {
		if c.st.groups == nil { // written in full since
			c.st.groups = groupsOf(c.m)
		}
		m, h, st := c.m, c.h, c.st
		c.mu.Unlock()
		return m, h, st, nil
	}
	c.mu.Unlock()
	m, h, st, err := readManifestState(e.manifest())
	if err == nil && h == e.hash() {
		st.groups = groupsOf(m)
		e.remember(m, st)
	}
	return m, h, st, err
}

// Ready prepares, after an Export, what the next Update would otherwise
// work out first: the manifest's list files by column and the stories in
// the sitemap's order, 38 and 38 ms at 100,000 articles. The Publisher
// calls it before any change is waiting, so that the first publish after
// start is as quick as the others (bench/README.md, "One publish at
// 100,000").
func (e *Exporter) Ready() error {
	if _, _, _, err := e.lastManifest(); err != nil {
		return err
	}
	if e.ranked == nil && e.stories != nil {
		e.ranked = rank(e.stories)
	}
	return nil
}

// fileGroups are the list files of a manifest (every file but the
// articles' pages, the assets and the pictures: the files an update
// removes when it did not render them) by the column whose folder holds
// them, "" for those outside the columns: an update looks only at the
// groups where files may have gone rather than at every file (260,000
// at 100,000 articles, 60 ms).
type fileGroups map[string]map[string]bool

func groupsOf(m Manifest) fileGroups {
	g := fileGroups{}
	for rel := range m {
		g.add(rel)
	}
	return g
}

// groupOf is the group of a list file; false for any other.
func groupOf(rel string) (string, bool) {
	if !listed(rel) {
		return "", false
	}
	rest, ok := strings.CutPrefix(rel, "columns/")
	if !ok {
		return "", true
	}
	slug, _, _ := strings.Cut(rest, "/")
	if s, err := url.PathUnescape(slug); err == nil {
		slug = s
	}
	return slug, true
}

func (g fileGroups) add(rel string) {
	if group, ok := groupOf(rel); ok && g != nil {
		if g[group] == nil {
			g[group] = map[string]bool{}
		}
		g[group][rel] = true
	}
}

func (g fileGroups) remove(rel string) {
	if group, ok := groupOf(rel); ok && g != nil {
		delete(g[group], rel)
	}
}

// Publisher keeps an exported folder up to date while the site runs
// (serve --static-out): a full export at start, then an Update after each
// change to published content, changes close together taken as one.
type Publisher struct {
	Exporter *Exporter
	Log      *slog.Logger
	// Done, when set, is told the result of every update (tests wait on it).
	Done func(Result, error)
	// Watch keeps the folder as exported (防篡改): a file altered, added or
	// removed by anyone but the publisher is restored at once, found by
	// filesystem events and by a full check every CheckEvery, and each
	// finding is logged and audited as the system's. Store takes the audit.
	Watch      bool
	CheckEvery time.Duration
	Store      store.Store
	// Checked, when set, is told every watcher's finding (tests wait on it).
	Checked func(Report, error)
	// Redirects, when set, is written as nginx maps into RedirectsFile
	// (default RedirectsPath) after every export and update.
	Redirects     RedirectStore
	RedirectsFile string
	// Bucket, when set, gets the folder's files after every export and
	// update (publish_extras.go); Synced, when set, is told it is done.
	Bucket *Bucket
	Synced func()

	once    sync.Once
	wake    chan struct{}
	watcher *fsnotify.Watcher
}

func (p *Publisher) init() { p.once.Do(func() { p.wake = make(chan struct{}, 1) }) }

// Changed tells the publisher that published content changed; it never
// blocks (the change hook of the domain services calls it).
func (p *Publisher) Changed() {
	p.init()
	select {
	case p.wake <- struct{}{}:
	default:
	}
}

// Run exports the site and then updates the folder after each change
// until ctx ends.
func (p *Publisher) Run(ctx context.Context) error {
	p.init()
	start := time.Now()
	res, err := p.Exporter.Export(ctx)
	if err != nil {
		return fmt.Errorf("static export into %s: %w", p.Exporter.Dir, err)
	}
	p.Log.Info("static site exported", "dir", p.Exporter.Dir, "files", res.Files, "written", res.Written, "took", time.Since(start).Round(time.Millisecond))
	p.afterWrite(ctx)
	if err := p.Exporter.Ready(); err != nil { // the first update reads it again
		p.Log.Warn("static site: the manifest just written", "dir", p.Exporter.Dir, "err", err)
	}
	if p.Done != nil {
		p.Done(res, nil)
	}
	last := start
	var retry time.Duration // after a failed update
	var events <-chan fsnotify.Event
	var tick <-chan time.Time
	if p.Watch {
		w, err := watch(p.Exporter.Dir)
		if err != nil {
			return err
		}
		defer w.Close()
		events = w.Events
		every := p.CheckEvery
		if every <= 0 {
			every = time.Minute
		}
		t := time.NewTicker(every)
		defer t.Stop()
		tick = t.C
		go func() {
			for err := range w.Errors {
				p.Log.Error("static folder watch", "err", err)
			}
		}()
		p.watcher = w
	}
	for {
		select {
		case <-ctx.Done():
			return nil
		case ev, ok := <-events:
			if ok {
				p.found(p.settleEvents(ev, events)(ctx))
			}
			continue
		case <-tick:
			p.found(p.Exporter.Check(ctx, p.Store, model.SystemActor("job"), true))
			continue
		case <-p.wake:
		}
		// Publishing writes several rows in a moment; take them as one.
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(50 * time.Millisecond):
		}
		select {
		case <-p.wake:
		default:
		}
		begun := time.Now()
		// Times are stored to the second: look a little further back.
		res, err := p.Exporter.Update(ctx, last.Add(-2*time.Second))
		if err != nil {
			// A story can change between being listed and being rendered
			// (withdrawn meanwhile: its page answers 404): try again soon,
			// later each time, without waiting for the next change.
			p.Log.Error("static site update", "dir", p.Exporter.Dir, "err", err)
			retry = min(max(2*retry, 200*time.Millisecond), 30*time.Second)
			time.AfterFunc(retry, p.Changed)
		} else {
			retry = 0
			last = begun
			p.afterWrite(ctx)
			p.Log.Info("static site updated", "written", res.Written, "removed", res.Removed, "took", time.Since(begun).Round(time.Millisecond))
		}
		if p.Done != nil {
			p.Done(res, err)
		}
		// The events of the update's own writes, and any other change made
		// meanwhile: the files the update wrote are now as the manifest
		// says, so checking them finds only what someone else did.
		if rels := p.drain(events); len(rels) > 0 {
			p.found(p.checkFiles(rels)(ctx))
		}
	}
}

// watch watches every folder of dir (inotify watches folders, not trees).
func watch(dir string) (*fsnotify.Watcher, error) {
	w, err := fsnotify.NewWatcher()
	if err != nil {
		return nil, fmt.Errorf("watch %s: %w", dir, err)
	}
	err = filepath.WalkDir(treeOf(dir), func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.IsDir() {
			err = w.Add(p)
		}
		return err
	})
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("watch %s: %w", dir, err)
	}
	return w, nil
}

// settleEvents gathers the files named by ev and the events right after
// it, watching new folders, and checks those files.
func (p *Publisher) settleEvents(ev fsnotify.Event, events <-chan fsnotify.Event) func(context.Context) (Report, error) {
	rels := map[string]bool{}
	add := func(ev fsnotify.Event) {
		if fi, err := os.Stat(ev.Name); err == nil && fi.IsDir() && ev.Has(fsnotify.Create) {
			p.watcher.Add(ev.Name)
		}
		if rel, err := filepath.Rel(p.Exporter.Dir, ev.Name); err == nil {
			rels[filepath.ToSlash(rel)] = true
		}
	}
	add(ev)
	for quiet := time.After(20 * time.Millisecond); ; {
		select {
		case ev, ok := <-events:
			if !ok {
				return p.checkFiles(rels)
			}
			add(ev)
		case <-quiet:
			return p.checkFiles(rels)
		}
	}
}

func (p *Publisher) checkFiles(rels map[string]bool) func(context.Context) (Report, error) {
	return func(ctx context.Context) (Report, error) {
		return p.Exporter.CheckFiles(ctx, p.Store, model.SystemActor("job"), slices.Collect(maps.Keys(rels)))
	}
}

// found logs (as an alert) and reports a watcher's check.
func (p *Publisher) found(r Report, err error) {
	switch {
	case err != nil:
		p.Log.Error("static folder check", "dir", p.Exporter.Dir, "err", err)
	case r.Wrong():
		p.Log.Warn("static folder altered", "dir", p.Exporter.Dir, "report", r.Summary())
	}
	if p.Checked != nil {
		p.Checked(r, err)
	}
}

// drain takes the events already queued (mostly the publisher's own
// writes), watches the folders they created and returns the files they
// name: a change someone made while an update ran must not be dropped
// with them, or it would wait for the next full check.
func (p *Publisher) drain(events <-chan fsnotify.Event) map[string]bool {
	rels := map[string]bool{}
	for {
		select {
		case ev, ok := <-events:
			if !ok {
				return rels
			}
			if fi, err := os.Stat(ev.Name); err == nil && fi.IsDir() && ev.Has(fsnotify.Create) {
				p.watcher.Add(ev.Name)
			}
			if rel, err := filepath.Rel(p.Exporter.Dir, ev.Name); err == nil {
				rels[filepath.ToSlash(rel)] = true
			}
		case <-time.After(20 * time.Millisecond):
			return rels
		}
	}
}

package staticsite

import (
	"context"
	"fmt"
	"io/fs"
	"log/slog"
	"maps"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/fsnotify/fsnotify"

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

// Update brings an exported folder up to date after a change, writing
// only the files whose bytes change: it renders again the articles
// changed since since and the articles whose pages show them (previous,
// next, related) — the pages new to the folder first, then the others —
// every list, feed and sitemap and the home page, in that order, and
// only then removes the pages of stories no longer public and the list
// pages past the end — so no page links to a file not yet written or
// already gone.
func (e *Exporter) Update(ctx context.Context, since time.Time) (Result, error) {
	// Where an update's time goes, logged at debug level (bench/README.md).
	var took []any
	lap := time.Now()
	step := func(name string) {
		took = append(took, name, time.Since(lap).Round(100*time.Microsecond))
		lap = time.Now()
	}
	old, h, err := e.lastManifest()
	if err != nil {
		return Result{}, fmt.Errorf("manifest of %s: %w", e.Dir, err)
	}
	if h != e.hash() {
		return e.Export(ctx) // another digest: every file's sum is new
	}
	x := &export{Exporter: e, old: old, sums: maps.Clone(old), touched: map[string]bool{}}
	step("manifest_read")
	public := map[int64]bool{}
	var changed []int64
	columnOf := make(map[int64]int64, len(e.columnOf))
	publishedOf := make(map[int64]time.Time, len(e.columnOf))
	// The columns where a story came, went or moved: their list pages
	// shift (nil: unknown, every touched column's). Elsewhere a change is
	// an edit in place, and only the pages showing an edited story change.
	var shifted map[int64]bool
	if e.publishedOf != nil {
		shifted = map[int64]bool{}
	}
	lists := e.columnOf != nil // the columns whose lists change are known (else all)
	touchedCols := map[int64]bool{}
	err = e.Reader.EachArticle(ctx, func(a model.ArticleStub) error {
		public[a.ID] = true
		columnOf[a.ID] = a.ColumnID
		publishedOf[a.ID] = a.PublishedAt
		isChanged := !a.UpdatedAt.Before(since) || !a.PublishedAt.Before(since)
		if !isChanged {
			_, ok := old[File(reader.ArticleURL(a.ID), 0, true)]
			isChanged = !ok // new to the folder
		}
		if isChanged {
			changed = append(changed, a.ID)
			touchedCols[a.ColumnID] = true
			prev, ok := e.columnOf[a.ID]
			if ok {
				touchedCols[prev] = true // moved from there
			}
			if shifted != nil && (!ok || prev != a.ColumnID || !e.publishedOf[a.ID].Equal(a.PublishedAt)) {
				shifted[a.ColumnID], shifted[prev] = true, true
			}
		}
		return nil
	})
	if err != nil {
		return Result{}, err
	}
	step("stubs")
	gone := map[int64]bool{}
	for rel := range old {
		if id := articleID(rel); id != 0 && !public[id] {
			gone[id] = true
			if c, ok := e.columnOf[id]; ok {
				touchedCols[c] = true
				if shifted != nil {
					shifted[c] = true
				}
			} else {
				lists = false
			}
		}
	}
	var only map[string]bool   // the slugs of the columns whose lists are rendered (nil: all)
	var moving map[string]bool // of those, the ones whose pages shift (nil: all)
	if lists {
		st, err := e.Reader.Site(ctx)
		if err != nil {
			return Result{}, err
		}
		only = map[string]bool{}
		for c := range touchedCols {
			for _, p := range st.Columns.Path(c) {
				only[p.Slug] = true
			}
		}
		if shifted != nil {
			moving = map[string]bool{}
			for c := range shifted {
				for _, p := range st.Columns.Path(c) {
					moving[p.Slug] = true
				}
			}
		}
	}
	render, edited := map[int64]bool{}, map[int64]bool{}
	for _, id := range changed {
		render[id], edited[id] = true, true
	}
	for id := range gone {
		changed = append(changed, id)
	}
	for _, id := range changed {
		shown, err := e.Reader.ShownOn(ctx, id)
		if err != nil {
			return Result{}, fmt.Errorf("pages showing article %d: %w", id, err)
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
	phases := []phase{
		urls(func(ctx context.Context, emit func(string) error) error {
			for _, id := range others {
				if err := emit(reader.ArticleURL(id)); err != nil {
					return err
				}
			}
			return nil
		}),
		x.editedIn(x.listsOf(only), moving, edited), urls(x.frontOf(only)),
	}
	for i, phase := range phases {
		if err := x.run(ctx, phase); err != nil {
			return Result{}, err
		}
		step([]string{"pages", "lists", "front"}[i])
	}
	var res Result
	for rel := range old {
		if id := articleID(rel); (id != 0 && gone[id]) || (listed(rel) && !x.touched[rel] && inColumns(rel, only)) {
			if err := os.Remove(filepath.Join(e.Dir, filepath.FromSlash(rel))); err != nil && !os.IsNotExist(err) {
				return Result{}, fmt.Errorf("remove %s: %w", rel, err)
			}
			delete(x.sums, rel)
			res.Removed++
		}
	}
	if err := e.writeManifest(x.sums); err != nil {
		return Result{}, err
	}
	step("remove_and_manifest_write")
	if e.Log != nil {
		e.Log.Debug("static update", took...)
	}
	e.columnOf, e.publishedOf = columnOf, publishedOf
	res.Files, res.Written, res.Bytes = len(x.sums), int(x.written.Load()), x.bytes.Load()
	return res, nil
}

// editedIn passes on the list pages of lists, except, in a column not in
// moving (its stories only edited in place), the pages that show none of
// the edited stories: they are as they were, and kept (touched).
func (x *export) editedIn(lists phase, moving map[string]bool, edited map[int64]bool) phase {
	if moving == nil {
		return lists
	}
	return func(ctx context.Context, emit func(job) error) error {
		return lists(ctx, func(j job) error {
			rest, ok := strings.CutPrefix(j.url, "/columns/")
			if !ok || j.pre == nil {
				return emit(j)
			}
			slug, _, _ := strings.Cut(rest, "/")
			if s, err := url.PathUnescape(slug); err == nil && moving[s] {
				return emit(j)
			}
			for _, r := range j.pre.Rows {
				if edited[r.ID] {
					return emit(j)
				}
			}
			pu, err := url.Parse(j.url)
			if err != nil {
				return fmt.Errorf("export %s: %w", j.url, err)
			}
			n, _ := strconv.Atoi(pu.Query().Get("page"))
			rel := File(pu.Path, n, true)
			x.mu.Lock()
			x.touched[rel], x.touched[rel+".gz"] = true, true
			x.mu.Unlock()
			return nil
		})
	}
}

// manifestCache is a manifest as written, and the file it was written
// to: at 10,000 articles reading and parsing it took 140–410 ms of an
// update (load 15–26, bench/README.md), from memory under 25 ms.
type manifestCache struct {
	mu   sync.Mutex
	path string
	file os.FileInfo
	m    Manifest
	h    Hash
}

// remember keeps m as the manifest just written (Update's next read).
func (e *Exporter) remember(m Manifest) {
	if e.written == nil {
		return
	}
	c := e.written
	c.mu.Lock()
	defer c.mu.Unlock()
	c.path, c.m, c.h, c.file = e.manifest(), m, e.hash(), nil
	if fi, err := os.Stat(c.path); err == nil {
		c.file = fi
	} else {
		c.m = nil
	}
}

// lastManifest is readManifest, from memory when the file is still the
// one this exporter wrote (the same file, not replaced since: a manifest
// is always written to a new file renamed over the old). The map is not
// to be changed.
func (e *Exporter) lastManifest() (Manifest, Hash, error) {
	if e.written == nil {
		e.written = &manifestCache{}
	}
	c := e.written
	c.mu.Lock()
	if c.m != nil && c.path == e.manifest() && c.file != nil {
		if fi, err := os.Stat(c.path); err == nil && os.SameFile(fi, c.file) && fi.ModTime().Equal(c.file.ModTime()) && fi.Size() == c.file.Size() {
			m, h := c.m, c.h
			c.mu.Unlock()
			return m, h, nil
		}
	}
	c.mu.Unlock()
	m, h, err := e.readManifest()
	if err == nil && h == e.hash() {
		e.remember(m)
	}
	return m, h, err
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

package staticsite

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"time"

	"newsdesk/internal/column"
	"newsdesk/internal/model"
	"newsdesk/internal/reader"
)

// The export's pipeline (issue 14): a page is rendered by the public
// site's own handler, but the rows it shows are read ahead in bulk and
// handed to it (reader.WithPrefetch) instead of being asked of the store
// page by page. Articles come in keyset pages of articleBatch rows, their
// neighbours and related stories from one in-memory index of every
// published article; a column's list pages and archives are cut from one
// read of the column's rows.

// job is one page to render: its address and what was read for it.
type job struct {
	url string
	pre *reader.Prefetch
}

// phase emits the pages of one step of an export.
type phase func(ctx context.Context, emit func(job) error) error

// urls makes a phase of one that emits bare addresses.
func urls(p func(context.Context, func(string) error) error) phase {
	return func(ctx context.Context, emit func(job) error) error {
		return p(ctx, func(u string) error { return emit(job{url: u}) })
	}
}

// articleBatch is the articles read at a time, bodies included.
const articleBatch = 256

// bulkArticles emits every published article with its row and the index.
func (x *export) bulkArticles(ctx context.Context, emit func(job) error) error {
	idx, err := x.Reader.ArticleIndex(ctx)
	if err != nil {
		return err
	}
	x.found = make(map[int64]story, idx.Len())
	for _, a := range idx.Entries() {
		x.found[a.ID] = story{column: a.ColumnID, at: a.At, updated: a.Updated}
	}
	return x.Reader.EachPublished(ctx, articleBatch, func(as []model.Article) error {
		for i := range as {
			if err := emit(job{url: reader.ArticleURL(as[i].ID), pre: &reader.Prefetch{Index: idx, Article: &as[i]}}); err != nil {
				return err
			}
		}
		return nil
	})
}

// bulkLists emits the editor pages, every column's pages and archives
// (each column read once and cut into its pages) and the slots' lists.
func (x *export) bulkLists(ctx context.Context, emit func(job) error) error {
	return x.listsOf(nil)(ctx, emit)
}

// listsOf is bulkLists for the columns of only (nil: every column).
func (x *export) listsOf(only map[string]bool) phase {
	return func(ctx context.Context, emit func(job) error) error { return x.listsFor(ctx, only, emit) }
}

func (x *export) listsFor(ctx context.Context, only map[string]bool, emit func(job) error) error {
	return x.listsIn(ctx, only, nil, nil, nil, emit)
}

// listsIn is listsFor where, of the columns of only, those not in moving
// had their stories only edited in place: there only the list pages that
// show one of the stories edited are emitted, found by its place among
// the stories the exporter knows (nil moving: every column moves). Of
// the moving ones, those with a shift emit its pages already in the
// folder (Update writes the new ones first) and those showing the
// stories edited.
func (x *export) listsIn(ctx context.Context, only, moving map[string]bool, shifts map[string]*shift, edited []int64, emit func(job) error) error {
	m, err := x.Reader.SiteMap(ctx)
	if err != nil {
		return err
	}
	for _, p := range m.Pages {
		if err := emit(job{url: p.URL}); err != nil {
			return err
		}
	}
	if err := emit(job{url: reader.SubmitURL}); err != nil {
		return err
	}
	st, err := x.Reader.Site(ctx)
	if err != nil {
		return err
	}
	whole := map[string]bool{}
	for _, c := range st.Columns.All() {
		if only != nil && !only[c.Slug] {
			continue
		}
		if sh := shifts[c.Slug]; moving != nil && !moving[c.Slug] || sh != nil && !sh.whole && len(sh.render) > 0 {
			// Only some of its pages change: those of its shift already in
			// the folder (Update writes the new ones first), those showing
			// the stories edited.
			seen := map[string]bool{}
			if sh != nil && !sh.whole {
				for _, p := range sh.render {
					seen[p.url] = true
					if _, ok := x.old[p.rel]; ok {
						if err := emit(job{url: p.url}); err != nil {
							return err
						}
					}
				}
			}
			for _, u := range x.showing(c, edited, st) {
				if seen[u] {
					continue
				}
				if err := emit(job{url: u}); err != nil {
					return err
				}
			}
			continue
		}
		whole[c.Slug] = true
	}
	reads, stop := x.readColumns(ctx, st.Columns, subtreeOrder(st.Columns, whole))
	defer stop()
	for r := range reads {
		if r.err != nil {
			return fmt.Errorf("column %s: %w", r.col.Slug, r.err)
		}
		if err := x.columnPages(r.col, r.rows, st, emit); err != nil {
			return err
		}
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	for _, slot := range []string{model.SlotFocus, model.SlotRecommended} {
		l, err := x.Reader.Slot(ctx, slot, 1)
		if err != nil {
			return err
		}
		for n := 1; n <= l.Pager.Pages; n++ {
			if err := emit(job{url: reader.SlotURL(slot, n)}); err != nil {
				return err
			}
		}
		// A slot counts its pages from the newest, so ?page=1 is its first
		// page, which the dynamic site answers too: the same answer is
		// written at the name nginx looks for (index-1.html).
		if err := emit(job{url: reader.SlotURL(slot, 1) + "?page=1"}); err != nil {
			return err
		}
	}
	return nil
}

// showing lists the pages of column c (its list, its year and its month
// archives) that show the stories ids, each where its place among the
// stories the exporter knows puts it: newest first, by publish time and
// then id, as the column lists them, on pages counted from the oldest
// (reader.StablePage).
func (x *export) showing(c model.Column, ids []int64, st *reader.Site) []string {
	in := map[int64]bool{}
	for _, id := range st.Columns.Subtree(c.ID) {
		in[id] = true
	}
	tz := st.Settings.TimeZone
	var out []string
	seen := map[string]bool{}
	for _, id := range ids {
		s, ok := x.places[id]
		if !ok || !in[s.column] {
			continue
		}
		t := time.Unix(s.at, 0).In(tz)
		year0, year1 := time.Date(t.Year(), 1, 1, 0, 0, 0, 0, tz).Unix(), time.Date(t.Year()+1, 1, 1, 0, 0, 0, 0, tz).Unix()
		month0, month1 := time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, tz).Unix(), time.Date(t.Year(), t.Month()+1, 1, 0, 0, 0, 0, tz).Unix()
		// Each list's stories, and those of them listed before it (newer).
		var all, year, month [2]int
		for o, os := range x.places {
			if !in[os.column] {
				continue
			}
			newer := 0
			if os.at > s.at || (os.at == s.at && o > id) {
				newer = 1
			}
			all[newer]++
			if os.at >= year0 && os.at < year1 {
				year[newer]++
				if os.at >= month0 && os.at < month1 {
					month[newer]++
				}
			}
		}
		for _, u := range []string{
			reader.ColumnURL(c.Slug, 0, 0, pageShowing(all)),
			reader.ColumnURL(c.Slug, t.Year(), 0, pageShowing(year)),
			reader.ColumnURL(c.Slug, t.Year(), int(t.Month()), pageShowing(month)),
		} {
			if !seen[u] {
				seen[u] = true
				out = append(out, u)
			}
		}
	}
	return out
}

// pageShowing is the page of a list showing a story, from the list's
// stories older than it or it ([0]) and newer ([1]).
func pageShowing(n [2]int) int {
	total := n[0] + n[1]
	if _, first, _ := reader.StablePage(0, total); n[1] < first {
		return 0
	}
	return (total-n[1]-1)/reader.PerPage + 1
}

// columnRead is a column and its rows, as reader.ColumnRows lists them.
type columnRead struct {
	col  model.Column
	rows []model.Article
	err  error
}

// subtreeOrder is the columns of set, each followed by the columns of its
// subtree (the tree's order otherwise), so that a sub-column's rows, read
// for the column above it, are kept only until its own pages are cut.
func subtreeOrder(cols *column.Tree, set map[string]bool) []model.Column {
	var out []model.Column
	seen := map[int64]bool{}
	var visit func(c model.Column)
	visit = func(c model.Column) {
		if seen[c.ID] {
			return
		}
		seen[c.ID] = true
		if set[c.Slug] {
			out = append(out, c)
		}
		for _, k := range cols.Children(c.ID) {
			visit(k)
		}
	}
	for _, c := range cols.Children(0) {
		visit(c)
	}
	for _, c := range cols.All() { // any whose parent is missing
		visit(c)
	}
	return out
}

// readColumns reads the rows of the columns of order, in order, and
// hands each over when the one before it is taken: the emitting waited
// on each read, and the workers, done with the pages queued, with it (a
// fifth of the lists' time at 100,000 articles, bench/README.md). A
// column's own rows (reader.OwnRows) are read once, and kept while a
// column after it in order shows them: a sub-column's were read again
// for its own pages, a third of the rows read. stop ends the reading
// early.
func (x *export) readColumns(ctx context.Context, cols *column.Tree, order []model.Column) (<-chan columnRead, func()) {
	ctx, stop := context.WithCancel(ctx)
	out := make(chan columnRead)
	uses := map[int64]int{}
	for _, c := range order {
		for _, id := range cols.Subtree(c.ID) {
			uses[id]++
		}
	}
	go func() {
		defer close(out)
		kept := map[int64][]model.Article{}
		for _, c := range order {
			r := columnRead{col: c}
			var lists [][]model.Article
			for _, id := range cols.Subtree(c.ID) {
				own, ok := kept[id]
				if !ok {
					if own, r.err = x.Reader.OwnRows(ctx, id); r.err != nil {
						break
					}
				}
				if uses[id]--; uses[id] > 0 {
					kept[id] = own
				} else {
					delete(kept, id)
				}
				lists = append(lists, own)
			}
			if r.err == nil {
				r.rows = reader.NewestFirst(lists...)
			}
			select {
			case out <- r:
			case <-ctx.Done():
				return
			}
			if r.err != nil {
				return
			}
		}
	}()
	return out, stop
}

// columnPages emits a column's list pages, then those of each year and
// month of its archive, from one read of its rows (newest first, so a
// year's and a month's rows follow one another).
func (x *export) columnPages(col model.Column, rows []model.Article, st *reader.Site, emit func(job) error) error {
	cut := func(rows []model.Article, year, month int) error {
		for n := 0; n <= reader.DeepPages(len(rows)); n++ {
			lo, k, _ := reader.StablePage(n, len(rows))
			if err := emit(job{url: reader.ColumnURL(col.Slug, year, month, n), pre: &reader.Prefetch{Rows: rows[lo : lo+k], Total: len(rows)}}); err != nil {
				return err
			}
		}
		return nil
	}
	if err := cut(rows, 0, 0); err != nil {
		return err
	}
	tz := st.Settings.TimeZone
	for y := 0; y < len(rows); {
		year := rows[y].PublishedAt.In(tz).Year()
		ye := y
		for ye < len(rows) && rows[ye].PublishedAt.In(tz).Year() == year {
			ye++
		}
		if err := cut(rows[y:ye], year, 0); err != nil {
			return err
		}
		for mo := y; mo < ye; {
			month := rows[mo].PublishedAt.In(tz).Month()
			me := mo
			for me < ye && rows[me].PublishedAt.In(tz).Month() == month {
				me++
			}
			if err := cut(rows[mo:me], year, int(month)); err != nil {
				return err
			}
			mo = me
		}
		y = ye
	}
	return nil
}

// emptyDir says whether dir is missing or holds nothing.
func emptyDir(dir string) bool {
	f, err := os.Open(dir)
	if err != nil {
		return os.IsNotExist(err)
	}
	defer f.Close()
	names, _ := f.Readdirnames(1)
	return len(names) == 0
}

// writeFresh writes a file of a fresh export in place: the folder was
// empty, so no reader has an older copy to keep seeing. A file's folder
// is made when creating the file finds it missing: remembering the
// folders made (one an article at 100,000) was a fifth of the live heap
// that every collection marked. A page's index.html is most often the
// first file of its folder (an article's, an archive month's), which is
// made first, without the failed open.
func (x *export) writeFresh(rel string, body []byte) error {
	full := filepath.Join(x.Dir, filepath.FromSlash(rel))
	var err error
	if path.Base(rel) == indexName+".html" {
		err = mkdirFresh(filepath.Dir(full))
	}
	if err == nil {
		err = createFile(full, body)
		if errors.Is(err, fs.ErrNotExist) {
			if err = mkdirFresh(filepath.Dir(full)); err == nil {
				err = createFile(full, body)
			}
		}
	}
	if err != nil {
		return fmt.Errorf("write %s: %w", rel, err)
	}
	return nil
}

// mkdirFresh makes the folder dir of a fresh export, and its parents when
// missing; one there already is no error.
func mkdirFresh(dir string) error {
	// Its parent is there already, most often: MkdirAll would look for
	// the folder first.
	err := os.Mkdir(dir, 0o755)
	if errors.Is(err, fs.ErrNotExist) {
		err = os.MkdirAll(dir, 0o755)
	}
	if errors.Is(err, fs.ErrExist) {
		return nil
	}
	return err
}

// shift is what a column's list pages need after stories came to it,
// left it or moved in it, in an update that knows where every story was
// and is: the pages to render and the files to remove. Its pages count
// from the oldest story (reader.StablePage), so a list changes from the
// page of its oldest change on, and at its first page. whole: the years
// the column shows changed, and so the archive aside of every page: the
// column is rendered whole.
type shift struct {
	render []listPage
	remove []string
	whole  bool
}

// listPage is a page of a column's list and its file.
type listPage struct{ url, rel string }

// place orders stories as the lists do: by publish time, then id.
type place struct{ at, id int64 }

func (p place) before(q place) bool { return p.at < q.at || p.at == q.at && p.id < q.id }

// span is one list of a column: the whole column, a year or a month,
// the stories published in [lo, hi) (Unix seconds).
type span struct {
	year, month int
	lo, hi      int64
	// was and is count its stories before and after the change; older
	// those older than its oldest change (first), on the same pages
	// before and after.
	was, is, older int
	first          place
	changed        bool
}

func (l *span) holds(at int64) bool { return at >= l.lo && at < l.hi }

// shifted plans the lists of column c after the stories of delta (nil:
// gone) changed from where old says they were. A story edited in place
// is left to showing.
func shifted(c model.Column, st *reader.Site, old map[int64]story, delta map[int64]*story) *shift {
	in := map[int64]bool{}
	for _, id := range st.Columns.Subtree(c.ID) {
		in[id] = true
	}
	tz := st.Settings.TimeZone
	spans := map[[2]int]*span{{0, 0}: {lo: math.MinInt64, hi: math.MaxInt64}}
	spanOf := func(year, month int) *span {
		k := [2]int{year, month}
		if l := spans[k]; l != nil {
			return l
		}
		l := &span{year: year, month: month}
		if month == 0 {
			l.lo, l.hi = time.Date(year, 1, 1, 0, 0, 0, 0, tz).Unix(), time.Date(year+1, 1, 1, 0, 0, 0, 0, tz).Unix()
		} else {
			l.lo, l.hi = time.Date(year, time.Month(month), 1, 0, 0, 0, 0, tz).Unix(), time.Date(year, time.Month(month)+1, 1, 0, 0, 0, 0, tz).Unix()
		}
		spans[k] = l
		return l
	}
	type change struct {
		id      int64
		was, is *story // nil: not in the column
	}
	var changes []change
	for id, d := range delta {
		o, ok := old[id]
		ch := change{id: id}
		if ok && in[o.column] {
			ch.was = &o
		}
		if d != nil && in[d.column] {
			ch.is = d
		}
		if ch.was == nil && ch.is == nil || ch.was != nil && ch.is != nil && !ch.was.moved(*ch.is) {
			continue
		}
		for _, s := range []*story{ch.was, ch.is} {
			if s != nil {
				t := time.Unix(s.at, 0).In(tz)
				spanOf(t.Year(), 0)
				spanOf(t.Year(), int(t.Month()))
			}
		}
		changes = append(changes, ch)
	}
	for _, l := range spans {
		for _, ch := range changes {
			wasIn, isIn := ch.was != nil && l.holds(ch.was.at), ch.is != nil && l.holds(ch.is.at)
			for _, s := range []*story{ch.was, ch.is} {
				if s != nil && l.holds(s.at) {
					if p := (place{s.at, ch.id}); !l.changed || p.before(l.first) {
						l.first, l.changed = p, true
					}
				}
			}
			switch {
			case wasIn && !isIn:
				l.was++
			case isIn && !wasIn:
				l.was--
			}
		}
	}
	each := func(fn func(id int64, s story)) {
		for id, s := range old {
			if d, ok := delta[id]; ok {
				if d == nil {
					continue
				}
				s = *d
			}
			if in[s.column] {
				fn(id, s)
			}
		}
		for id, d := range delta {
			if _, ok := old[id]; !ok && d != nil && in[d.column] {
				fn(id, *d)
			}
		}
	}
	each(func(id int64, s story) {
		for _, l := range spans {
			if l.holds(s.at) {
				l.is++
				if l.changed && (place{s.at, id}).before(l.first) {
					l.older++
				}
			}
		}
	})
	out := &shift{}
	newMonths := map[int]bool{} // the years of a month that got its first story or lost its last
	for _, l := range spans {
		l.was += l.is
		if l.changed && (l.was == 0) != (l.is == 0) {
			if l.month == 0 {
				return &shift{whole: true}
			}
			newMonths[l.year] = true
		}
	}
	// The file of a page, as render names it from its decoded path.
	file := func(year, month, page int) string {
		pu, _ := url.Parse(reader.ColumnURL(c.Slug, year, month, 0))
		return File(pu.Path, page, true)
	}
	add := func(year, month, page int) {
		out.render = append(out.render, listPage{reader.ColumnURL(c.Slug, year, month, page), file(year, month, page)})
	}
	gone := func(year, month, page int) {
		rel := file(year, month, page)
		out.remove = append(out.remove, rel, rel+".gz")
	}
	for _, l := range spans {
		if l.is == 0 {
			for k := 0; l.was > 0 && k <= reader.DeepPages(l.was); k++ {
				gone(l.year, l.month, k)
			}
			continue
		}
		add(l.year, l.month, 0)
		if !l.changed {
			continue
		}
		was, is := reader.DeepPages(l.was), reader.DeepPages(l.is)
		from := l.older/reader.PerPage + 1
		if was != is && min(was, is) >= 1 {
			from = min(from, was, is) // that page's link to the newer ones changes
		}
		for k := from; k <= is; k++ {
			add(l.year, l.month, k)
		}
		for k := is + 1; k <= was; k++ {
			gone(l.year, l.month, k)
		}
	}
	if len(newMonths) > 0 {
		// The first page of a year and of its months shows the year's months.
		months := map[[2]int]bool{}
		each(func(_ int64, s story) {
			if t := time.Unix(s.at, 0).In(tz); newMonths[t.Year()] {
				months[[2]int{t.Year(), int(t.Month())}] = true
			}
		})
		for k := range months {
			if spans[k] == nil {
				add(k[0], k[1], 0)
			}
		}
	}
	return out
}

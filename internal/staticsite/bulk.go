package staticsite

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

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
	return x.listsIn(ctx, only, nil, nil, emit)
}

// listsIn is listsFor where, of the columns of only, those not in moving
// had their stories only edited in place: there only the list pages that
// show one of the stories edited are emitted, found by its place among
// the stories the exporter knows (nil moving: every column moves).
func (x *export) listsIn(ctx context.Context, only, moving map[string]bool, edited []int64, emit func(job) error) error {
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
	for _, c := range st.Columns.All() {
		if only != nil && !only[c.Slug] {
			continue
		}
		if moving != nil && !moving[c.Slug] {
			for _, u := range x.showing(c, edited, st) {
				if err := emit(job{url: u}); err != nil {
					return err
				}
			}
			continue
		}
		if err := x.columnPages(ctx, c.Slug, st, emit); err != nil {
			return err
		}
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

// columnPages emits a column's list pages, then those of each year and
// month of its archive, from one read of its rows (newest first, so a
// year's and a month's rows follow one another).
func (x *export) columnPages(ctx context.Context, slug string, st *reader.Site, emit func(job) error) error {
	col, rows, err := x.Reader.ColumnRows(ctx, slug)
	if err != nil {
		return fmt.Errorf("column %s: %w", slug, err)
	}
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
// empty, so no reader has an older copy to keep seeing, and each folder
// is made once.
func (x *export) writeFresh(rel string, body []byte) error {
	full := filepath.Join(x.Dir, filepath.FromSlash(rel))
	dir := filepath.Dir(full)
	if _, ok := x.dirs.Load(dir); !ok {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return fmt.Errorf("write %s: %w", rel, err)
		}
		x.dirs.Store(dir, true)
	}
	if err := os.WriteFile(full, body, 0o644); err != nil {
		return fmt.Errorf("write %s: %w", rel, err)
	}
	return nil
}

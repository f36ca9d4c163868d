package reader

import (
	"context"
	"fmt"
	"sort"
	"time"

	"newsdesk/internal/column"
	"newsdesk/internal/model"
	"newsdesk/internal/store"
)

// A static export renders every page of the site. Asking the store for
// each page's rows, neighbours and related stories cost four to five
// queries a page (331 s for 10,000 articles, most of it parsing SQL); the
// export reads instead every published article once, in keyset order, and
// hands each page what it shows through its context (WithPrefetch). The
// page models are built by the same code either way, so a file holds the
// bytes the dynamic site answers.

// ArticleIndex is every published article as an article page's neighbours and
// related stories need it: id, column, publish time and title (the link
// is ArticleURL(id)). 100,000 articles take about 10 MB.
type ArticleIndex struct {
	entries []IndexEntry      // newest first (publish time, then id)
	byCol   map[int64][]int32 // a column's own entries, newest first
	byTop   map[int64][]int32 // a top-level column's subtree's entries, newest first
	pos     map[int64]int32   // id → position in entries
	cols    *column.Tree      // the tree the index was built with
	tops    map[int64]int64   // column → its top-level column
}

// IndexEntry is one article of an ArticleIndex.
type IndexEntry struct {
	ID       int64
	ColumnID int64
	At       int64 // publish time, Unix seconds
	Updated  int64 // last update, Unix seconds
	Title    string
}

// ArticleIndex reads every public article's entry, by keyset pages of stubs.
func (s *Service) ArticleIndex(ctx context.Context) (*ArticleIndex, error) {
	st, err := s.Site(ctx)
	if err != nil {
		return nil, err
	}
	x := &ArticleIndex{byCol: map[int64][]int32{}, byTop: map[int64][]int32{}, pos: map[int64]int32{}, cols: st.Columns, tops: map[int64]int64{}}
	for _, c := range st.Columns.All() {
		x.tops[c.ID] = top(st.Columns, c.ID)
	}
	err = s.eachStub(ctx, true, func(a model.ArticleStub) error {
		i := int32(len(x.entries))
		x.entries = append(x.entries, IndexEntry{ID: a.ID, ColumnID: a.ColumnID, At: a.PublishedAt.Unix(), Updated: a.UpdatedAt.Unix(), Title: a.Title})
		x.pos[a.ID] = i
		x.byCol[a.ColumnID] = append(x.byCol[a.ColumnID], i)
		if t := x.tops[a.ColumnID]; t != 0 {
			x.byTop[t] = append(x.byTop[t], i)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("index of published articles: %w", err)
	}
	return x, nil
}

// Entries are the articles of the index, newest first; not to be changed.
func (x *ArticleIndex) Entries() []IndexEntry { return x.entries }

// Len is the number of articles in the index.
func (x *ArticleIndex) Len() int { return len(x.entries) }

func (x *ArticleIndex) card(i int32) Card {
	e := x.entries[i]
	c := Card{ID: e.ID, URL: ArticleURL(e.ID), Title: e.Title, PublishedAt: time.Unix(e.At, 0).UTC()}
	c.Column, _ = x.cols.Get(e.ColumnID)
	return c
}

// first is the first position of list (newest first) whose entry is at
// or before at (older, or as old).
func (x *ArticleIndex) first(list []int32, at int64) int {
	return sort.Search(len(list), func(k int) bool { return x.entries[list[k]].At <= at })
}

// neighbours fills d's previous and next article of its column and its
// related articles as the queries of Article find them: the newest of
// the column published before it; the oldest published after it (in its
// second); the newest RelatedCount of its top-level column published up
// to its second, itself left out.
func (x *ArticleIndex) neighbours(d *Article, a model.Article) {
	at := a.PublishedAt.Unix()
	col := x.byCol[a.ColumnID]
	if k := x.first(col, at-1); k < len(col) {
		c := x.card(col[k])
		d.Prev = &c
	}
	if k := x.first(col, at); k > 0 {
		c := x.card(col[k-1])
		d.Next = &c
	}
	rel := x.byTop[x.tops[a.ColumnID]]
	from := x.first(rel, at)
	for k := from; k < len(rel) && k <= from+RelatedCount && len(d.Related) < RelatedCount; k++ {
		if e := x.entries[rel[k]]; e.ID != a.ID {
			if d.Related == nil {
				d.Related = make([]Card, 0, min(len(rel)-k, RelatedCount))
			}
			d.Related = append(d.Related, x.card(rel[k]))
		}
	}
}

// Prefetch is what a page's context carries when its rows were read
// ahead: an article page's row and the index for its neighbours, or a
// list page's rows and the total of its list.
type Prefetch struct {
	Index   *ArticleIndex
	Article *model.Article
	// Rows and Total answer the list query of a column page.
	Rows  []model.Article
	Total int
	// Stubs, when set, are the articles of a sitemap part, newest first,
	// from its first (a static copy's update knows them all: reading the
	// 50,000 of a part from the store cost most of an edit's update).
	Stubs []model.ArticleStub
}

type prefetchKey struct{}

// WithPrefetch makes ctx carry p for the page built with it.
func WithPrefetch(ctx context.Context, p *Prefetch) context.Context {
	return context.WithValue(ctx, prefetchKey{}, p)
}

func prefetched(ctx context.Context) *Prefetch {
	p, _ := ctx.Value(prefetchKey{}).(*Prefetch)
	return p
}

// EachPublished calls fn with every public article (bodies included),
// by keyset pages of n in id order.
func (s *Service) EachPublished(ctx context.Context, n int, fn func([]model.Article) error) error {
	var after int64
	for {
		as, _, err := s.publishedWhole(ctx, store.ArticleQuery{ByID: true, AfterID: after, Limit: n, NoTotal: true})
		if err != nil {
			return err
		}
		if len(as) == 0 {
			return nil
		}
		if err := fn(as); err != nil {
			return err
		}
		after = as[len(as)-1].ID
	}
}

// ColumnRows lists every public article of a column and its
// sub-columns, newest first, without their bodies: what the column's
// list pages and archives show, for a static export to cut into pages.
func (s *Service) ColumnRows(ctx context.Context, slug string) (model.Column, []model.Article, error) {
	st, err := s.Site(ctx)
	if err != nil {
		return model.Column{}, nil, err
	}
	col, err := st.Columns.BySlug(slug)
	if err != nil {
		return model.Column{}, nil, err
	}
	var lists [][]model.Article
	for _, id := range st.Columns.Subtree(col.ID) {
		own, err := s.OwnRows(ctx, id)
		if err != nil {
			return model.Column{}, nil, err
		}
		lists = append(lists, own)
	}
	return col, NewestFirst(lists...), nil
}

// OwnRows lists the public articles of column id itself, not of its
// sub-columns, newest first, without their bodies. They are read by
// keyset pages: one query for a whole column with the bodies held every
// body of it at once (a top-level column of 100,000 articles' site: tens
// of thousands of bodies, most of the export's peak memory). Each column
// is read on its own, in its index's order: paging a subtree by id had
// the database sort the whole subtree for every page (1.6 s for a column
// of 10,000 stories).
func (s *Service) OwnRows(ctx context.Context, id int64) ([]model.Article, error) {
	var as []model.Article
	for after := (model.ArticleStub{}); ; {
		page, _, err := s.published(ctx, store.ArticleQuery{ColumnIDs: []int64{id}, After: after, Limit: columnRowsBatch, NoTotal: true})
		if err != nil {
			return nil, err
		}
		if as == nil {
			as = page
		} else {
			as = append(as, page...)
		}
		if len(page) < columnRowsBatch {
			return as, nil
		}
		last := page[len(page)-1]
		after = model.ArticleStub{ID: last.ID, PublishedAt: last.PublishedAt}
	}
}

// NewestFirst joins the rows of columns (OwnRows) into one list, as the
// list query orders a column and its sub-columns: newest first, then by
// id. One list is returned as it is.
func NewestFirst(lists ...[]model.Article) []model.Article {
	if len(lists) == 1 {
		return lists[0]
	}
	n := 0
	for _, l := range lists {
		n += len(l)
	}
	as := make([]model.Article, 0, n)
	for _, l := range lists {
		as = append(as, l...)
	}
	sort.Slice(as, func(i, j int) bool {
		if c := as[i].PublishedAt.Compare(as[j].PublishedAt); c != 0 {
			return c > 0
		}
		return as[i].ID > as[j].ID
	})
	return as
}

// columnRowsBatch is the rows OwnRows reads at a time.
const columnRowsBatch = 512

package search

import (
	"cmp"
	"context"
	"fmt"
	"log/slog"
	"slices"
	"time"

	"newsdesk/internal/model"
	"newsdesk/internal/store"
)

// Service keeps the index in step with the articles and answers queries.
type Service struct {
	Store Store
	Log   *slog.Logger
}

// Index (re)indexes one article, whatever its state: the public search
// filters by state, the desk search does not.
func (s *Service) Index(ctx context.Context, a model.Article) error {
	return s.Store.IndexArticles(ctx, map[int64]store.SearchDoc{a.ID: Doc(a)})
}

// Rebuild empties the index and indexes every article.
func (s *Service) Rebuild(ctx context.Context) (int, error) {
	if err := s.Store.ResetIndex(ctx); err != nil {
		return 0, err
	}
	// Page through the articles so a large site is never all in memory.
	const batch = 500
	n := 0
	for after := int64(0); ; {
		as, _, err := s.Store.Articles(ctx, store.ArticleQuery{NoTotal: true, Limit: batch, ByID: true, AfterID: after})
		if err != nil {
			return n, err
		}
		docs := make(map[int64]store.SearchDoc, len(as))
		for _, a := range as {
			docs[a.ID] = Doc(a)
			after = a.ID
		}
		if err := s.Store.IndexArticles(ctx, docs); err != nil {
			return n, err
		}
		n += len(as)
		if len(as) < batch {
			return n, nil
		}
	}
}

// Ensure rebuilds the index when it does not hold every article (a new or
// damaged index), as at start-up.
func (s *Service) Ensure(ctx context.Context) error {
	indexed, err := s.Store.IndexedCount(ctx)
	if err != nil {
		return err
	}
	_, total, err := s.Store.Articles(ctx, store.ArticleQuery{Limit: 1})
	if err != nil {
		return err
	}
	if indexed == total {
		return nil
	}
	start := time.Now()
	n, err := s.Rebuild(ctx)
	if err != nil {
		return fmt.Errorf("rebuild search index: %w", err)
	}
	if s.Log != nil {
		s.Log.Info("search index rebuilt", "articles", n, "was", indexed, "took", time.Since(start).Round(time.Millisecond))
	}
	return nil
}

// Query is a search as a reader or editor asks it.
type Query struct {
	Text   string
	Public bool // only published articles, as the public site shows
	// The desk's filters: any of these states, one unit, one author.
	Statuses  []string
	UnitID    int64
	AuthorID  int64
	ColumnIDs []int64
	From, To  time.Time
	ByDate    bool
	Limit     int
	Offset    int
	Now       time.Time
}

// Hit is one result, with where the query's words occur in its title and
// in a snippet of its summary and body (rendering highlights them).
type Hit struct {
	model.Article
	TitleMatches   []Span
	Snippet        string // plain text, with "…" where it was cut
	SnippetMatches []Span
}

// SnippetRunes is about how long a hit's snippet is.
const SnippetRunes = 120

// Search runs q. An empty query (or one with nothing searchable in it)
// returns no hits and no error.
func (s *Service) Search(ctx context.Context, q Query) ([]Hit, int, error) {
	terms := Parse(q.Text)
	if len(terms) == 0 {
		return nil, 0, nil
	}
	sq := store.SearchQuery{Terms: terms, ColumnIDs: q.ColumnIDs, From: q.From, To: q.To, Statuses: q.Statuses, UnitID: q.UnitID, AuthorID: q.AuthorID}
	if q.Public {
		sq.Statuses = []string{model.StatusPublished}
		sq.PublishedBy = q.Now
		if sq.PublishedBy.IsZero() {
			sq.PublishedBy = time.Now()
		}
	}
	ms, err := s.Store.SearchMatches(ctx, sq)
	if err != nil {
		return nil, 0, err
	}
	Rank(ms, q.ByDate)
	limit := q.Limit
	if limit <= 0 {
		limit = 20
	}
	page := ms[min(q.Offset, len(ms)):min(len(ms), q.Offset+limit)]
	ids := make([]int64, len(page))
	for i, m := range page {
		ids[i] = m.ID
	}
	found, err := s.Store.ArticlesByIDs(ctx, ids)
	if err != nil {
		return nil, 0, err
	}
	byID := make(map[int64]model.Article, len(found))
	for _, a := range found {
		byID[a.ID] = a
	}
	as := make([]model.Article, 0, len(page))
	for _, m := range page {
		if a, ok := byID[m.ID]; ok {
			as = append(as, a)
		}
	}
	total := len(ms)
	words := Words(q.Text)
	hits := make([]Hit, len(as))
	for i, a := range as {
		h := Hit{Article: a, TitleMatches: Matches(a.Title, words)}
		h.Snippet, h.SnippetMatches = Snippet(SnippetText(a.Summary, Text(a.Body)), words, SnippetRunes)
		hits[i] = h
	}
	return hits, total, nil
}

// Rank orders matches the same way on every store: title matches first,
// the shorter title first among them (the query is then more of it), then
// newer first; byDate orders by date alone.
func Rank(ms []store.SearchMatch, byDate bool) {
	slices.SortStableFunc(ms, func(x, y store.SearchMatch) int {
		if !byDate {
			if x.InTitle != y.InTitle {
				if x.InTitle {
					return -1
				}
				return 1
			}
			if x.InTitle && x.TitleLen != y.TitleLen {
				return cmp.Compare(x.TitleLen, y.TitleLen)
			}
		}
		if c := y.PublishedAt.Compare(x.PublishedAt); c != 0 {
			return c
		}
		return cmp.Compare(y.ID, x.ID)
	})
}

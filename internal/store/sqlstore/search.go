package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"maps"
	"slices"
	"strings"

	"newsdesk/internal/store"
)

// IndexArticles replaces the search tokens of articles by id.
func (s *DB) IndexArticles(ctx context.Context, docs map[int64]store.SearchDoc) error {
	err := s.tx(ctx, func(tx *sql.Tx) error {
		// All deletes first, then all inserts, in ascending ids: FTS5
		// flushes its pending terms whenever it switches between the two
		// or a rowid goes down, which made a rebuild several times slower.
		ids := slices.Sorted(maps.Keys(docs))
		for _, id := range ids {
			if err := s.d.unindex(ctx, tx, id); err != nil {
				return fmt.Errorf("article %d: %w", id, err)
			}
		}
		for _, id := range ids {
			if err := s.d.index(ctx, tx, id, docs[id]); err != nil {
				return fmt.Errorf("article %d: %w", id, err)
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("index articles: %w", err)
	}
	return nil
}

// UnindexArticle removes article id from the search index.
func (s *DB) UnindexArticle(ctx context.Context, id int64) error {
	err := s.tx(ctx, func(tx *sql.Tx) error { return s.d.unindex(ctx, tx, id) })
	if err != nil {
		return fmt.Errorf("unindex article %d: %w", id, err)
	}
	return nil
}

// ResetIndex empties the search index.
func (s *DB) ResetIndex(ctx context.Context) error {
	if _, err := s.conn.ExecContext(ctx, `DELETE FROM search_index`); err != nil {
		return fmt.Errorf("reset search index: %w", err)
	}
	return nil
}

// IndexedCount counts the indexed articles.
func (s *DB) IndexedCount(ctx context.Context) (int, error) {
	var n int
	if err := s.conn.QueryRowContext(ctx, `SELECT COUNT(*) FROM search_index`).Scan(&n); err != nil {
		return 0, fmt.Errorf("count search index: %w", err)
	}
	return n, nil
}

// SearchArticles finds the newest q.Max matches that pass the filters, and
// the newest q.Max whose title matches, ranks them in Go (store.RankMatches)
// and reads only the requested page of articles.
func (s *DB) SearchArticles(ctx context.Context, q store.SearchQuery) ([]store.Article, int, error) {
	if len(q.Terms) == 0 {
		return nil, 0, nil
	}
	where, args := articleConds("a.", store.ArticleQuery{ColumnIDs: q.ColumnIDs, PublishedBy: q.PublishedBy, From: q.From, To: q.To,
		AuthorID: q.AuthorID, UnitID: q.UnitID}, q.Statuses...)
	filters := ""
	if len(where) > 0 {
		filters = " AND " + strings.Join(where, " AND ")
	}
	max := q.Max
	if max <= 0 {
		max = store.SearchMax
	}
	byID := map[int64]*store.SearchMatch{}
	var ms []*store.SearchMatch
	for _, titleOnly := range []bool{true, false} {
		query, matchArgs := s.d.search(q.Terms, titleOnly)
		rows, err := s.conn.QueryContext(ctx, s.q(fmt.Sprintf(query, filters)+` LIMIT ?`), append(append(matchArgs, args...), max)...)
		if err != nil {
			return nil, 0, fmt.Errorf("search: %w", err)
		}
		for rows.Next() {
			var m store.SearchMatch
			var published int64
			if err := rows.Scan(&m.ID, &published, &m.TitleLen); err != nil {
				rows.Close()
				return nil, 0, fmt.Errorf("search: %w", err)
			}
			if byID[m.ID] != nil {
				continue
			}
			m.PublishedAt, m.InTitle = fromUnix(published), titleOnly
			byID[m.ID] = &m
			ms = append(ms, &m)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, 0, fmt.Errorf("search: %w", err)
		}
	}
	store.RankMatches(ms, q.ByDate)
	limit := q.Limit
	if limit <= 0 {
		limit = 20
	}
	if q.Offset >= len(ms) {
		return nil, len(ms), nil
	}
	page := ms[q.Offset:min(len(ms), q.Offset+limit)]
	ids := make([]any, len(page))
	for i, m := range page {
		ids[i] = m.ID
	}
	rows, err := s.conn.QueryContext(ctx, s.q(`SELECT `+articleColumns+` FROM articles WHERE id IN (?`+strings.Repeat(", ?", len(ids)-1)+`)`), ids...)
	if err != nil {
		return nil, 0, fmt.Errorf("search: %w", err)
	}
	found, err := collectArticles(rows)
	if err != nil {
		return nil, 0, err
	}
	articles := make(map[int64]store.Article, len(found))
	for _, a := range found {
		articles[a.ID] = a
	}
	out := make([]store.Article, 0, len(page))
	for _, m := range page {
		if a, ok := articles[m.ID]; ok {
			out = append(out, a)
		}
	}
	return out, len(ms), nil
}

package sqlstore

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"

	"newsdesk/internal/model"
	"newsdesk/internal/store"
)

// IndexArticles replaces the search tokens of articles by id.
func (s *DB) IndexArticles(ctx context.Context, docs map[int64]store.SearchDoc) error {
	err := s.tx(ctx, func(tx *txConn) error {
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
	err := s.tx(ctx, func(tx *txConn) error { return s.d.unindex(ctx, tx, id) })
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
	if err := s.conn.QueryRowContext(ctx, s.d.indexedCount).Scan(&n); err != nil {
		return 0, fmt.Errorf("count search index: %w", err)
	}
	return n, nil
}

// SearchMatches finds the newest q.Max articles whose title matches and
// the newest q.Max that match anywhere, each once; package search ranks
// them.
func (s *DB) SearchMatches(ctx context.Context, q store.SearchQuery) ([]store.SearchMatch, error) {
	if len(q.Terms) == 0 {
		return nil, nil
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
	seen := map[int64]bool{}
	var ms []store.SearchMatch
	for _, titleOnly := range []bool{true, false} {
		query, matchArgs := s.d.search(q.Terms, titleOnly)
		rows, err := s.conn.QueryContext(ctx, s.q(fmt.Sprintf(query, filters)+` LIMIT ?`), append(append(matchArgs, args...), max)...)
		if err != nil {
			return nil, fmt.Errorf("search: %w", err)
		}
		for rows.Next() {
			var m store.SearchMatch
			var published int64
			if err := rows.Scan(&m.ID, &published, &m.TitleLen); err != nil {
				rows.Close()
				return nil, fmt.Errorf("search: %w", err)
			}
			if seen[m.ID] {
				continue
			}
			m.PublishedAt, m.InTitle = fromUnix(published), titleOnly
			seen[m.ID] = true
			ms = append(ms, m)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("search: %w", err)
		}
	}
	return ms, nil
}

// ArticlesByIDs reads the articles of ids, in no particular order.
func (s *DB) ArticlesByIDs(ctx context.Context, ids []int64) ([]model.Article, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	rows, err := s.conn.QueryContext(ctx, s.q(`SELECT `+articleColumns+` FROM articles WHERE id IN (`+placeholders(len(ids))+`)`), int64Args(ids)...)
	if err != nil {
		return nil, fmt.Errorf("articles %v: %w", ids, err)
	}
	return collectArticles(rows)
}

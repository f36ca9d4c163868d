package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"newsdesk/internal/store"
)

// IndexArticle replaces the search tokens of article id.
func (s *DB) IndexArticle(ctx context.Context, id int64, doc store.SearchDoc) error {
	err := s.tx(ctx, func(tx *sql.Tx) error { return s.d.index(ctx, tx, id, doc) })
	if err != nil {
		return fmt.Errorf("index article %d: %w", id, err)
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
	if _, err := s.db.ExecContext(ctx, `DELETE FROM search_index`); err != nil {
		return fmt.Errorf("reset search index: %w", err)
	}
	return nil
}

// IndexedCount counts the indexed articles.
func (s *DB) IndexedCount(ctx context.Context) (int, error) {
	var n int
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM search_index`).Scan(&n); err != nil {
		return 0, fmt.Errorf("count search index: %w", err)
	}
	return n, nil
}

// SearchArticles runs a search with the dialect's full-text engine.
func (s *DB) SearchArticles(ctx context.Context, q store.SearchQuery) ([]store.Article, int, error) {
	if len(q.Terms) == 0 {
		return nil, 0, nil
	}
	from, args, rank := s.d.search(q.Terms)
	var where []string
	if len(q.Statuses) > 0 {
		where = append(where, "a.status IN (?"+strings.Repeat(", ?", len(q.Statuses)-1)+")")
		for _, st := range q.Statuses {
			args = append(args, st)
		}
	}
	if !q.PublishedBy.IsZero() {
		where = append(where, "a.published_at <= ?")
		args = append(args, q.PublishedBy.Unix())
	}
	if len(q.ColumnIDs) > 0 {
		where = append(where, "a.column_id IN (?"+strings.Repeat(", ?", len(q.ColumnIDs)-1)+")")
		for _, id := range q.ColumnIDs {
			args = append(args, id)
		}
	}
	if !q.From.IsZero() {
		where = append(where, "a.published_at >= ?")
		args = append(args, q.From.Unix())
	}
	if !q.To.IsZero() {
		where = append(where, "a.published_at < ?")
		args = append(args, q.To.Unix())
	}
	if len(where) > 0 {
		from += " AND " + strings.Join(where, " AND ")
	}
	var total int
	if err := s.db.QueryRowContext(ctx, s.q(`SELECT COUNT(*)`+from), args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count search results: %w", err)
	}
	order := ` ORDER BY ` + rank + `, a.published_at DESC, a.id DESC`
	if q.ByDate {
		order = ` ORDER BY a.published_at DESC, a.id DESC`
	}
	limit := q.Limit
	if limit <= 0 {
		limit = 20
	}
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT `+articleCols("a.")+from+order+` LIMIT ? OFFSET ?`), append(args, limit, q.Offset)...)
	if err != nil {
		return nil, 0, fmt.Errorf("search: %w", err)
	}
	out, err := collectArticles(rows)
	return out, total, err
}

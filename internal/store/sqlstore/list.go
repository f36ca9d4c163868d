package sqlstore

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"newsdesk/internal/model"
	"newsdesk/internal/store"
)

// The desk's story list (稿件管理): every state, in keyset pages by
// (sort time, id), so that a deep page reads as few rows as the first.
// Migration 0021 gives each filter the story list uses alone (none, a
// column, a unit, an author, a state) an index in each sort order.

// listColumns are articleColumns without the body, which a list never shows.
var listColumns = strings.Replace(articleColumns, ", body, ", ", '' AS body, ", 1)

// listConds turns the filters of q, except its keys, into conditions.
func listConds(q store.ListQuery, sortCol string) ([]string, []any) {
	where, args := articleConds("", store.ArticleQuery{ColumnIDs: q.ColumnIDs, Status: q.Status, UnitID: q.UnitID, AuthorID: q.AuthorID})
	if !q.From.IsZero() {
		where, args = append(where, sortCol+" >= ?"), append(args, unix(q.From))
	}
	if !q.To.IsZero() {
		where, args = append(where, sortCol+" < ?"), append(args, unix(q.To))
	}
	if q.HasPhotos {
		where = append(where, "has_photos = 1")
	}
	return where, args
}

func sortColumn(q store.ListQuery) string {
	if q.ByUpdate {
		return "updated_at"
	}
	return "published_at"
}

// ListArticles returns one keyset page of the story list.
func (s *DB) ListArticles(ctx context.Context, q store.ListQuery) ([]model.Article, error) {
	col := sortColumn(q)
	limit := q.Limit
	if limit <= 0 {
		limit = 100
	}
	back := q.Before.ID != 0
	dir, cmp := "DESC", "<"
	key := q.After
	if back {
		dir, cmp, key = "ASC", ">", q.Before
	}
	order := ` ORDER BY ` + col + ` ` + dir + `, id ` + dir
	page := func(columnIDs []int64) (string, []any) {
		one := q
		one.ColumnIDs = columnIDs
		where, args := listConds(one, col)
		if key.ID != 0 {
			at := unix(key.At)
			// The first condition bounds the index range on both
			// databases; the OR alone made SQLite read the index from
			// its start (70 ms at row 50,000 of 100,000, against 1 ms).
			where = append(where, col+" "+cmp+"= ?", "("+col+" "+cmp+" ? OR id "+cmp+" ?)")
			args = append(args, at, at, key.ID)
		}
		w := ""
		if len(where) > 0 {
			w = " WHERE " + strings.Join(where, " AND ")
		}
		return w, args
	}
	var query string
	var args []any
	if len(q.ColumnIDs) > 1 {
		// A column with its sub-columns: neither database reads one index
		// in order across an IN list (both sorted every row of the
		// columns). Each column's first page is read in its index's
		// order, and the pages merged, as Articles does.
		var parts []string
		for _, c := range q.ColumnIDs {
			w, a := page([]int64{c})
			parts = append(parts, `SELECT * FROM (SELECT id, `+col+` FROM articles`+w+order+` LIMIT ?) AS c`+strconv.Itoa(len(parts)))
			args = append(args, a...)
			args = append(args, limit)
		}
		query = `SELECT ` + listColumns + ` FROM articles WHERE id IN (SELECT id FROM (` + strings.Join(parts, ` UNION ALL `) + `) AS u` + order + ` LIMIT ?)` + order
		args = append(args, limit)
	} else {
		w, a := page(q.ColumnIDs)
		query = `SELECT ` + listColumns + ` FROM articles` + w + order + ` LIMIT ?`
		args = append(a, limit)
	}
	rows, err := s.conn.QueryContext(ctx, s.q(query), args...)
	if err != nil {
		return nil, fmt.Errorf("story list: %w", err)
	}
	out, err := collectArticles(rows)
	if err != nil {
		return nil, fmt.Errorf("story list: %w", err)
	}
	if back {
		slices.Reverse(out)
	}
	return out, nil
}

// CountArticles counts the stories of the list q selects.
func (s *DB) CountArticles(ctx context.Context, q store.ListQuery) (int, error) {
	where, args := listConds(q, sortColumn(q))
	w := ""
	if len(where) > 0 {
		w = " WHERE " + strings.Join(where, " AND ")
	}
	var n int
	if err := s.conn.QueryRowContext(ctx, s.q(`SELECT COUNT(*) FROM articles`+w), args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("count story list: %w", err)
	}
	return n, nil
}

// Figures counts, by unit, the stories first or again submitted in the
// period (their submit events, through the events' time index) and the
// stories published in it (the state and time index).
func (s *DB) Figures(ctx context.Context, q store.FiguresQuery) ([]store.UnitFigures, error) {
	scope, args := "", []any{}
	if q.UnitID != 0 {
		scope, args = " AND a.unit_id = ?", append(args, q.UnitID)
	}
	if q.AuthorID != 0 {
		scope, args = scope+" AND a.author_id = ?", append(args, q.AuthorID)
	}
	byUnit := map[int64]*store.UnitFigures{}
	count := func(query string, args []any, add func(f *store.UnitFigures, n int)) error {
		rows, err := s.conn.QueryContext(ctx, s.q(query), args...)
		if err != nil {
			return fmt.Errorf("figures: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var unit int64
			var n int
			if err := rows.Scan(&unit, &n); err != nil {
				return fmt.Errorf("figures: %w", err)
			}
			f, ok := byUnit[unit]
			if !ok {
				f = &store.UnitFigures{UnitID: unit}
				byUnit[unit] = f
			}
			add(f, n)
		}
		return rows.Err()
	}
	period := []any{unix(q.From), unix(q.To)}
	err := count(`SELECT COALESCE(a.unit_id, 0), COUNT(DISTINCT e.article_id) FROM article_events e JOIN articles a ON a.id = e.article_id
		WHERE e.action = 'submit' AND e.at >= ? AND e.at < ?`+scope+` GROUP BY COALESCE(a.unit_id, 0)`, append(period, args...),
		func(f *store.UnitFigures, n int) { f.Submitted = n })
	if err != nil {
		return nil, err
	}
	err = count(`SELECT COALESCE(a.unit_id, 0), COUNT(*) FROM articles a WHERE a.status = 'published' AND a.published_at >= ? AND a.published_at < ?`+scope+
		` GROUP BY COALESCE(a.unit_id, 0)`, append(period, args...), func(f *store.UnitFigures, n int) { f.Published = n })
	if err != nil {
		return nil, err
	}
	out := make([]store.UnitFigures, 0, len(byUnit))
	for _, f := range byUnit {
		out = append(out, *f)
	}
	slices.SortFunc(out, func(a, b store.UnitFigures) int { return int(a.UnitID - b.UnitID) })
	return out, nil
}

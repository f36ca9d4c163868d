package sqlstore

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"newsdesk/internal/model"
	"newsdesk/internal/store"
)

// CheckRules returns the latest version of every content-check rule list.
func (s *DB) CheckRules(ctx context.Context) ([]model.CheckRuleList, error) {
	return s.checkRules(ctx, `SELECT kind, version, body, COALESCE(saved_by, 0), saved_at FROM check_rules r
		WHERE version = (SELECT MAX(version) FROM check_rules WHERE kind = r.kind) ORDER BY kind`)
}

// CheckRuleVersions lists the versions of one list, newest first.
func (s *DB) CheckRuleVersions(ctx context.Context, kind string) ([]model.CheckRuleList, error) {
	return s.checkRules(ctx, `SELECT kind, version, body, COALESCE(saved_by, 0), saved_at FROM check_rules WHERE kind = ? ORDER BY version DESC`, kind)
}

func (s *DB) checkRules(ctx context.Context, query string, args ...any) ([]model.CheckRuleList, error) {
	rows, err := s.conn.QueryContext(ctx, s.q(query), args...)
	if err != nil {
		return nil, fmt.Errorf("check rules: %w", err)
	}
	defer rows.Close()
	var out []model.CheckRuleList
	for rows.Next() {
		var l model.CheckRuleList
		var at int64
		if err := rows.Scan(&l.Kind, &l.Version, &l.Body, &l.SavedBy, &at); err != nil {
			return nil, err
		}
		l.SavedAt = fromUnix(at)
		out = append(out, l)
	}
	return out, rows.Err()
}

// SaveCheckRules stores l as its kind's next version. Two editors saving
// at once both get a version: the primary key refuses a duplicate, so the
// loser's transaction fails rather than overwrite.
func (s *DB) SaveCheckRules(ctx context.Context, l *model.CheckRuleList) error {
	var v int
	if err := s.conn.QueryRowContext(ctx, s.q(`SELECT COALESCE(MAX(version), 0) FROM check_rules WHERE kind = ?`), l.Kind).Scan(&v); err != nil {
		return fmt.Errorf("check rules %s: %w", l.Kind, err)
	}
	if l.SavedAt.IsZero() {
		l.SavedAt = time.Now()
	}
	if _, err := s.conn.ExecContext(ctx, s.q(`INSERT INTO check_rules (kind, version, body, saved_by, saved_at) VALUES (?, ?, ?, ?, ?)`),
		l.Kind, v+1, l.Body, nullID(l.SavedBy), unix(l.SavedAt)); err != nil {
		return fmt.Errorf("save check rules %s: %w", l.Kind, err)
	}
	l.Version = v + 1
	return nil
}

// AddCheckAck stores an acknowledgement.
func (s *DB) AddCheckAck(ctx context.Context, a *model.CheckAck) error {
	if a.At.IsZero() {
		a.At = time.Now()
	}
	id, err := s.insert(ctx, `INSERT INTO check_acks (article_id, version, keys, findings, reason, user_id, ip, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		a.ArticleID, a.Version, strings.Join(a.Keys, "\n"), a.Findings, a.Reason, nullID(a.UserID), a.IP, unix(a.At))
	if err != nil {
		return fmt.Errorf("acknowledge findings of article %d: %w", a.ArticleID, err)
	}
	a.ID = id
	return nil
}

// CheckAcks lists a story's acknowledgements, oldest first.
func (s *DB) CheckAcks(ctx context.Context, articleID int64) ([]model.CheckAck, error) {
	rows, err := s.conn.QueryContext(ctx, s.q(`SELECT id, article_id, version, keys, findings, reason, COALESCE(user_id, 0), ip, at FROM check_acks WHERE article_id = ? ORDER BY id`), articleID)
	if err != nil {
		return nil, fmt.Errorf("acknowledgements of article %d: %w", articleID, err)
	}
	defer rows.Close()
	var out []model.CheckAck
	for rows.Next() {
		var a model.CheckAck
		var keys string
		var at int64
		if err := rows.Scan(&a.ID, &a.ArticleID, &a.Version, &keys, &a.Findings, &a.Reason, &a.UserID, &a.IP, &at); err != nil {
			return nil, err
		}
		a.Keys = strings.Split(keys, "\n")
		a.At = fromUnix(at)
		out = append(out, a)
	}
	return out, rows.Err()
}

// CheckAuditRun returns the latest self-audit run.
func (s *DB) CheckAuditRun(ctx context.Context) (model.CheckAuditRun, error) {
	var r model.CheckAuditRun
	var started, finished int64
	err := s.conn.QueryRowContext(ctx, `SELECT id, started_at, finished_at, after_id, scanned, total FROM check_audit_runs ORDER BY id DESC LIMIT 1`).
		Scan(&r.ID, &started, &finished, &r.AfterID, &r.Scanned, &r.Total)
	if err != nil {
		return r, notFound("self-audit run", "", err)
	}
	r.StartedAt, r.FinishedAt = fromUnix(started), fromUnix(finished)
	return r, nil
}

// SaveCheckAuditRun stores a new run or its progress.
func (s *DB) SaveCheckAuditRun(ctx context.Context, r *model.CheckAuditRun) error {
	if r.ID == 0 {
		id, err := s.insert(ctx, `INSERT INTO check_audit_runs (started_at, finished_at, after_id, scanned, total) VALUES (?, ?, ?, ?, ?)`,
			unix(r.StartedAt), unix(r.FinishedAt), r.AfterID, r.Scanned, r.Total)
		if err != nil {
			return fmt.Errorf("start self-audit: %w", err)
		}
		r.ID = id
		return nil
	}
	_, err := s.conn.ExecContext(ctx, s.q(`UPDATE check_audit_runs SET finished_at = ?, after_id = ?, scanned = ?, total = ? WHERE id = ?`),
		unix(r.FinishedAt), r.AfterID, r.Scanned, r.Total, r.ID)
	if err != nil {
		return fmt.Errorf("self-audit %d progress: %w", r.ID, err)
	}
	return nil
}

const auditItemColumns = `id, article_id, column_id, unit_id, rule, category, level, text, suggestion, status, reason, found_at, updated_at, COALESCE(updated_by, 0)`

func scanAuditItem(r scanner) (model.CheckAuditItem, error) {
	var it model.CheckAuditItem
	var found, updated int64
	err := r.Scan(&it.ID, &it.ArticleID, &it.ColumnID, &it.UnitID, &it.Rule, &it.Category, &it.Level, &it.Text, &it.Suggestion,
		&it.Status, &it.Reason, &found, &updated, &it.UpdatedBy)
	it.FoundAt, it.UpdatedAt = fromUnix(found), fromUnix(updated)
	return it, err
}

// SetCheckAuditItems records what a scan found for one story or column;
// the open items of the rules in keep (which this scan did not look for)
// stay open.
func (s *DB) SetCheckAuditItems(ctx context.Context, articleID, columnID int64, found []model.CheckAuditItem, at time.Time, keep ...string) error {
	return s.Tx(ctx, func(tx store.Store) error {
		t := tx.(*DB)
		scope, args := `article_id = ?`, []any{articleID}
		if articleID == 0 {
			scope, args = `article_id = 0 AND column_id = ?`, []any{columnID}
		}
		rows, err := t.conn.QueryContext(ctx, t.q(`SELECT `+auditItemColumns+` FROM check_audit_items WHERE `+scope), args...)
		if err != nil {
			return fmt.Errorf("self-audit items: %w", err)
		}
		had := map[string]model.CheckAuditItem{}
		for rows.Next() {
			it, err := scanAuditItem(rows)
			if err != nil {
				rows.Close()
				return err
			}
			had[it.Rule+"\x1f"+it.Text] = it
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		seen := map[string]bool{}
		for _, f := range found {
			k := f.Rule + "\x1f" + f.Text
			if seen[k] {
				continue
			}
			seen[k] = true
			if old, ok := had[k]; ok {
				// Found again: a fixed one is open again; an accepted one stays so.
				status := old.Status
				if status == model.AuditFixed {
					status = model.AuditOpen
				}
				if _, err := t.conn.ExecContext(ctx, t.q(`UPDATE check_audit_items SET status = ?, column_id = ?, unit_id = ?, level = ?, suggestion = ?, updated_at = ? WHERE id = ?`),
					status, f.ColumnID, f.UnitID, f.Level, f.Suggestion, unix(at), old.ID); err != nil {
					return fmt.Errorf("self-audit item %d: %w", old.ID, err)
				}
				continue
			}
			if _, err := t.conn.ExecContext(ctx, t.q(`INSERT INTO check_audit_items (article_id, column_id, unit_id, rule, category, level, text, suggestion, status, found_at, updated_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'open', ?, ?)`), articleID, f.ColumnID, f.UnitID, f.Rule, f.Category, f.Level, f.Text, f.Suggestion, unix(at), unix(at)); err != nil {
				return fmt.Errorf("self-audit item: %w", err)
			}
		}
		for k, old := range had {
			if !seen[k] && old.Status == model.AuditOpen && !slices.Contains(keep, old.Rule) {
				if _, err := t.conn.ExecContext(ctx, t.q(`UPDATE check_audit_items SET status = 'fixed', updated_at = ? WHERE id = ?`), unix(at), old.ID); err != nil {
					return fmt.Errorf("self-audit item %d fixed: %w", old.ID, err)
				}
			}
		}
		return nil
	})
}

// CheckAuditItems returns a page of the rectification list.
func (s *DB) CheckAuditItems(ctx context.Context, q model.CheckAuditQuery) ([]model.CheckAuditItem, int, error) {
	where, args := []string{"1 = 1"}, []any{}
	if q.UnitID != 0 {
		where, args = append(where, "unit_id = ?"), append(args, q.UnitID)
	}
	if q.Status != "" {
		where, args = append(where, "status = ?"), append(args, q.Status)
	}
	cond := strings.Join(where, " AND ")
	var total int
	if err := s.conn.QueryRowContext(ctx, s.q(`SELECT COUNT(*) FROM check_audit_items WHERE `+cond), args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count self-audit items: %w", err)
	}
	limit := q.Limit
	if limit <= 0 {
		limit = 100
	}
	rows, err := s.conn.QueryContext(ctx, s.q(`SELECT `+auditItemColumns+` FROM check_audit_items WHERE `+cond+
		` ORDER BY unit_id, column_id, article_id, id LIMIT ? OFFSET ?`), append(args, limit, q.Offset)...)
	if err != nil {
		return nil, 0, fmt.Errorf("self-audit items: %w", err)
	}
	defer rows.Close()
	var out []model.CheckAuditItem
	for rows.Next() {
		it, err := scanAuditItem(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, it)
	}
	return out, total, rows.Err()
}

// SetCheckAuditStatus sets an item's state and reason.
func (s *DB) SetCheckAuditStatus(ctx context.Context, id int64, status, reason string, by int64, at time.Time) error {
	res, err := s.conn.ExecContext(ctx, s.q(`UPDATE check_audit_items SET status = ?, reason = ?, updated_by = ?, updated_at = ? WHERE id = ?`),
		status, reason, nullID(by), unix(at), id)
	if err != nil {
		return fmt.Errorf("self-audit item %d: %w", id, err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n == 0 {
		return fmt.Errorf("self-audit item %d: %w", id, model.ErrNotFound)
	}
	return nil
}

package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"newsdesk/internal/model"
)

// --- import records ---

const importColumns = `source, original, kind, ref_id, digest, imported_at`

func scanImport(r scanner) (model.ImportRecord, error) {
	var ir model.ImportRecord
	var at int64
	if err := r.Scan(&ir.Source, &ir.Original, &ir.Kind, &ir.RefID, &ir.Digest, &at); err != nil {
		return ir, err
	}
	ir.ImportedAt = fromUnix(at)
	return ir, nil
}

// SaveImportRecord stores what an imported item became.
func (s *DB) SaveImportRecord(ctx context.Context, r model.ImportRecord) error {
	if r.ImportedAt.IsZero() {
		r.ImportedAt = time.Now()
	}
	_, err := s.conn.ExecContext(ctx, s.q(`INSERT INTO imported (`+importColumns+`) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (source, original) DO UPDATE SET kind = excluded.kind, ref_id = excluded.ref_id, digest = excluded.digest, imported_at = excluded.imported_at`),
		r.Source, r.Original, r.Kind, r.RefID, r.Digest, unix(r.ImportedAt))
	if err != nil {
		return fmt.Errorf("record import of %s from %s: %w", r.Original, r.Source, err)
	}
	return nil
}

// ImportRecord returns the record of an item of a source.
func (s *DB) ImportRecord(ctx context.Context, source, original string) (model.ImportRecord, error) {
	r, err := scanImport(s.conn.QueryRowContext(ctx, s.q(`SELECT `+importColumns+` FROM imported WHERE source = ? AND original = ?`), source, original))
	if err != nil {
		return r, notFound("import record", source+" "+original, err)
	}
	return r, nil
}

// ImportRecordByDigest returns the oldest record of this kind and digest.
func (s *DB) ImportRecordByDigest(ctx context.Context, kind, digest string) (model.ImportRecord, error) {
	r, err := scanImport(s.conn.QueryRowContext(ctx, s.q(`SELECT `+importColumns+` FROM imported WHERE kind = ? AND digest = ? ORDER BY imported_at, ref_id LIMIT 1`), kind, digest))
	if err != nil {
		return r, notFound("import record with digest", digest, err)
	}
	return r, nil
}

// ImportRecords lists the records of a source ("" for all).
func (s *DB) ImportRecords(ctx context.Context, source string) ([]model.ImportRecord, error) {
	rows, err := s.conn.QueryContext(ctx, s.q(`SELECT `+importColumns+` FROM imported WHERE ? = '' OR source = ? ORDER BY source, original`), source, source)
	if err != nil {
		return nil, fmt.Errorf("import records of %q: %w", source, err)
	}
	defer rows.Close()
	var out []model.ImportRecord
	for rows.Next() {
		r, err := scanImport(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// --- redirects ---

const redirectColumns = `id, path, article_id, target, created_at, updated_at`

func scanRedirect(r scanner) (model.Redirect, error) {
	var rd model.Redirect
	var created, updated int64
	if err := r.Scan(&rd.ID, &rd.Path, &rd.ArticleID, &rd.Target, &created, &updated); err != nil {
		return rd, err
	}
	rd.CreatedAt, rd.UpdatedAt = fromUnix(created), fromUnix(updated)
	return rd, nil
}

// SaveRedirect creates or updates a redirect; a path another redirect
// has is ErrConflict.
func (s *DB) SaveRedirect(ctx context.Context, r *model.Redirect) error {
	now := time.Now().UTC().Truncate(time.Second)
	var taken int
	if err := s.conn.QueryRowContext(ctx, s.q(`SELECT COUNT(*) FROM redirects WHERE path = ? AND id <> ?`), r.Path, r.ID).Scan(&taken); err != nil {
		return fmt.Errorf("save redirect %s: %w", r.Path, err)
	}
	if taken > 0 {
		return fmt.Errorf("redirect of %s exists already: %w", r.Path, model.ErrConflict)
	}
	if r.ID == 0 {
		if r.CreatedAt.IsZero() {
			r.CreatedAt = now
		}
		if r.UpdatedAt.IsZero() {
			r.UpdatedAt = r.CreatedAt
		}
		id, err := s.insert(ctx, `INSERT INTO redirects (path, article_id, target, created_at, updated_at) VALUES (?, ?, ?, ?, ?)`,
			r.Path, r.ArticleID, r.Target, unix(r.CreatedAt), unix(r.UpdatedAt))
		if err != nil {
			return fmt.Errorf("create redirect %s: %w", r.Path, err)
		}
		r.ID = id
		return nil
	}
	r.UpdatedAt = now
	res, err := s.conn.ExecContext(ctx, s.q(`UPDATE redirects SET path = ?, article_id = ?, target = ?, updated_at = ? WHERE id = ?`),
		r.Path, r.ArticleID, r.Target, unix(r.UpdatedAt), r.ID)
	if err != nil {
		return fmt.Errorf("update redirect %d: %w", r.ID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("redirect %d: %w", r.ID, model.ErrNotFound)
	}
	return nil
}

// RedirectByPath returns the redirect of an old path.
func (s *DB) RedirectByPath(ctx context.Context, path string) (model.Redirect, error) {
	r, err := scanRedirect(s.conn.QueryRowContext(ctx, s.q(`SELECT `+redirectColumns+` FROM redirects WHERE path = ?`), path))
	if err != nil {
		return r, notFound("redirect", path, err)
	}
	return r, nil
}

// RedirectByID returns a redirect.
func (s *DB) RedirectByID(ctx context.Context, id int64) (model.Redirect, error) {
	r, err := scanRedirect(s.conn.QueryRowContext(ctx, s.q(`SELECT `+redirectColumns+` FROM redirects WHERE id = ?`), id))
	if err != nil {
		return r, notFound("redirect", id, err)
	}
	return r, nil
}

// Redirects lists redirects by path after afterPath, at most limit (0: all).
func (s *DB) Redirects(ctx context.Context, afterPath string, limit int) ([]model.Redirect, error) {
	q := `SELECT ` + redirectColumns + ` FROM redirects WHERE path > ? ORDER BY path`
	args := []any{afterPath}
	if limit > 0 {
		q += ` LIMIT ?`
		args = append(args, limit)
	}
	rows, err := s.conn.QueryContext(ctx, s.q(q), args...)
	if err != nil {
		return nil, fmt.Errorf("redirects: %w", err)
	}
	defer rows.Close()
	var out []model.Redirect
	for rows.Next() {
		r, err := scanRedirect(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// DeleteRedirect removes a redirect.
func (s *DB) DeleteRedirect(ctx context.Context, id int64) error {
	res, err := s.conn.ExecContext(ctx, s.q(`DELETE FROM redirects WHERE id = ?`), id)
	if err != nil {
		return fmt.Errorf("delete redirect %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("redirect %d: %w", id, model.ErrNotFound)
	}
	return nil
}

// --- restored history (a site archive) ---

// RestoreHistory replaces the saved versions of article articleID with
// versions, adds events to its history with their own times, and sets
// its version number to version: a story brought back from a site
// archive keeps the history it had.
func (s *DB) RestoreHistory(ctx context.Context, articleID int64, version int, versions []model.Version, events []model.Event) error {
	err := s.tx(ctx, func(tx *txConn) error {
		if _, err := tx.ExecContext(ctx, s.q(`DELETE FROM article_versions WHERE article_id = ?`), articleID); err != nil {
			return err
		}
		for _, v := range versions {
			if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO article_versions (article_id, version, title, summary, body, saved_by, saved_at) VALUES (?, ?, ?, ?, ?, ?, ?)`),
				articleID, v.Version, v.Title, v.Summary, v.Body, nullID(v.SavedBy), unix(v.SavedAt)); err != nil {
				return fmt.Errorf("version %d: %w", v.Version, err)
			}
		}
		for _, ev := range events {
			ev.ArticleID = articleID
			if err := s.addEvent(ctx, tx, ev); err != nil {
				return fmt.Errorf("event %s: %w", ev.Action, err)
			}
		}
		res, err := tx.ExecContext(ctx, s.q(`UPDATE articles SET version = ? WHERE id = ?`), version, articleID)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return fmt.Errorf("article %d: %w", articleID, model.ErrNotFound)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("restore the history of article %d: %w", articleID, err)
	}
	return nil
}

// RestoreWorkingCopy adds the working copy of a restored story as it was:
// its text, its times, where it stands in its correction chain and the
// inboxes it waits in; the story's version is left as it is.
func (s *DB) RestoreWorkingCopy(ctx context.Context, wc model.WorkingCopy) error {
	credits, err := json.Marshal(wc.Credits)
	if err != nil {
		return err
	}
	chain, err := reviewChainText(wc.Review.Chain)
	if err != nil {
		return err
	}
	err = s.tx(ctx, func(tx *txConn) error {
		if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO working_copies (article_id, column_id, kicker, title, subtitle, summary, body, lead_media_id, credits, correction, created_by, created_at, updated_at,
		status, review_chain, review_step, review_since)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
			wc.ID, wc.ColumnID, wc.Kicker, wc.Title, wc.Subtitle, wc.Summary, wc.Body, nullID(wc.LeadMediaID), string(credits), wc.Correction,
			nullID(wc.CreatedBy), unix(wc.CopiedAt), unix(wc.UpdatedAt), wc.Status, chain, wc.Review.Step, unix(wc.Review.Since)); err != nil {
			return err
		}
		return s.saveWaiting(ctx, tx, &wc.Article)
	})
	if err != nil {
		return fmt.Errorf("restore the working copy of article %d: %w", wc.ID, err)
	}
	return nil
}

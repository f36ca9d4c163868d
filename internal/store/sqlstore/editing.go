package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"newsdesk/internal/model"
)

// --- working copies ---

// SaveWorkingCopy saves the copy and moves the story's version on, leaving
// its published fields as they are; the copy's text joins the history.
func (s *DB) SaveWorkingCopy(ctx context.Context, wc *model.WorkingCopy) error {
	credits, err := json.Marshal(wc.Credits)
	if err != nil {
		return err
	}
	now := time.Now().UTC().Truncate(time.Second)
	if wc.CopiedAt.IsZero() {
		wc.CopiedAt = now
	}
	err = s.tx(ctx, func(tx *txConn) error {
		res, err := tx.ExecContext(ctx, s.q(`UPDATE articles SET version = version + 1 WHERE id = ? AND version = ?`), wc.ID, wc.Version)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			var exists int
			if err := tx.QueryRowContext(ctx, s.q(`SELECT COUNT(*) FROM articles WHERE id = ?`), wc.ID).Scan(&exists); err != nil {
				return err
			}
			if exists == 0 {
				return fmt.Errorf("article %d: %w", wc.ID, model.ErrNotFound)
			}
			return fmt.Errorf("from version %d: %w", wc.Version, model.ErrConflict)
		}
		chain, err := reviewChainText(wc.Review.Chain)
		if err != nil {
			return err
		}
		status := wc.Status
		if status != model.StatusSubmitted && status != model.StatusUnitApproved && status != model.StatusReturned {
			status = model.StatusSubmitted
		}
		// A new copy starts where the caller put it (its chain's first
		// step); later saves leave where it stands as it is.
		_, err = tx.ExecContext(ctx, s.q(`INSERT INTO working_copies (article_id, column_id, kicker, title, subtitle, summary, body, lead_media_id, credits, correction, created_by, created_at, updated_at,
		status, review_chain, review_step, review_since)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (article_id) DO UPDATE SET column_id = excluded.column_id, kicker = excluded.kicker, title = excluded.title, subtitle = excluded.subtitle,
		summary = excluded.summary, body = excluded.body, lead_media_id = excluded.lead_media_id, credits = excluded.credits, correction = excluded.correction,
		updated_at = excluded.updated_at`),
			wc.ID, wc.ColumnID, wc.Kicker, wc.Title, wc.Subtitle, wc.Summary, wc.Body, nullID(wc.LeadMediaID), string(credits), wc.Correction,
			nullID(wc.CreatedBy), unix(wc.CopiedAt), unix(now), status, chain, wc.Review.Step, unix(wc.Review.Since))
		if err != nil {
			return err
		}
		wc.Version++
		wc.UpdatedAt = now
		return s.saveVersion(ctx, tx, &wc.Article)
	})
	if err != nil {
		return fmt.Errorf("save working copy of article %d: %w", wc.ID, err)
	}
	return nil
}

// workingCopyQuery reads working copies with their story's version, unit
// and author; scanWorkingCopy reads one row of it.
const workingCopyQuery = `SELECT w.article_id, w.column_id, w.kicker, w.title, w.subtitle, w.summary, w.body, COALESCE(w.lead_media_id, 0),
	w.credits, w.correction, COALESCE(w.created_by, 0), w.created_at, w.updated_at, a.version, COALESCE(a.unit_id, 0), COALESCE(a.author_id, 0),
	w.status, w.review_chain, w.review_step, w.review_since
	FROM working_copies w JOIN articles a ON a.id = w.article_id`

func scanWorkingCopy(r scanner) (model.WorkingCopy, error) {
	var wc model.WorkingCopy
	var credits, chain string
	var created, updated, since int64
	if err := r.Scan(&wc.ID, &wc.ColumnID, &wc.Kicker, &wc.Title, &wc.Subtitle, &wc.Summary, &wc.Body, &wc.LeadMediaID,
		&credits, &wc.Correction, &wc.CreatedBy, &created, &updated, &wc.Version, &wc.UnitID, &wc.AuthorID,
		&wc.Status, &chain, &wc.Review.Step, &since); err != nil {
		return wc, err
	}
	if err := json.Unmarshal([]byte(credits), &wc.Credits); err != nil {
		return wc, fmt.Errorf("working copy of article %d credits: %w", wc.ID, err)
	}
	if chain != "" {
		if err := json.Unmarshal([]byte(chain), &wc.Review.Chain); err != nil {
			return wc, fmt.Errorf("working copy of article %d chain: %w", wc.ID, err)
		}
	}
	wc.CopiedAt, wc.UpdatedAt, wc.Review.Since, wc.Review.Correction = fromUnix(created), fromUnix(updated), fromUnix(since), true
	return wc, nil
}

// WorkingCopy returns the working copy of a story, with the story's
// current version, unit and author, and where the copy stands in its
// correction chain.
func (s *DB) WorkingCopy(ctx context.Context, articleID int64) (model.WorkingCopy, error) {
	wc, err := scanWorkingCopy(s.conn.QueryRowContext(ctx, s.q(workingCopyQuery+` WHERE w.article_id = ?`), articleID))
	if err != nil {
		return wc, notFound("working copy of article", articleID, err)
	}
	return wc, nil
}

// WorkingCopies returns the working copies of the stories that have one
// among ids, by story, in one query (the inbox).
func (s *DB) WorkingCopies(ctx context.Context, ids []int64) (map[int64]model.WorkingCopy, error) {
	out := map[int64]model.WorkingCopy{}
	if len(ids) == 0 {
		return out, nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	rows, err := s.conn.QueryContext(ctx, s.q(workingCopyQuery+` WHERE w.article_id IN (`+placeholders(len(ids))+`)`), args...)
	if err != nil {
		return nil, fmt.Errorf("working copies: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		wc, err := scanWorkingCopy(rows)
		if err != nil {
			return nil, fmt.Errorf("working copies: %w", err)
		}
		out[wc.ID] = wc
	}
	return out, rows.Err()
}

// MoveWorkingCopy moves a working copy along its correction chain: the
// story's version moves on (refused when it is not wc.Version), the copy's
// place and its holders' inbox keys are saved and the decision recorded.
func (s *DB) MoveWorkingCopy(ctx context.Context, wc *model.WorkingCopy, ev model.Event) error {
	chain, err := reviewChainText(wc.Review.Chain)
	if err != nil {
		return err
	}
	now := time.Now().UTC().Truncate(time.Second)
	err = s.tx(ctx, func(tx *txConn) error {
		res, err := tx.ExecContext(ctx, s.q(`UPDATE articles SET version = version + 1 WHERE id = ? AND version = ?`), wc.ID, wc.Version)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return fmt.Errorf("from version %d: %w", wc.Version, model.ErrConflict)
		}
		res, err = tx.ExecContext(ctx, s.q(`UPDATE working_copies SET status = ?, review_chain = ?, review_step = ?, review_since = ? WHERE article_id = ?`),
			wc.Status, chain, wc.Review.Step, unix(wc.Review.Since), wc.ID)
		if err != nil {
			return err
		}
		if err := mustAffect(res, "working copy of article", wc.ID); err != nil {
			return err
		}
		if err := s.saveWaiting(ctx, tx, &wc.Article); err != nil {
			return err
		}
		wc.Version++
		ev.ArticleID, ev.At, ev.Correction = wc.ID, now, true
		return s.addEvent(ctx, tx, ev)
	})
	if err != nil {
		return fmt.Errorf("move working copy of article %d: %w", wc.ID, err)
	}
	return nil
}

// DeleteWorkingCopy removes the working copy of a story.
func (s *DB) DeleteWorkingCopy(ctx context.Context, articleID int64) error {
	return s.tx(ctx, func(tx *txConn) error {
		res, err := tx.ExecContext(ctx, s.q(`DELETE FROM working_copies WHERE article_id = ?`), articleID)
		if err != nil {
			return fmt.Errorf("delete working copy of article %d: %w", articleID, err)
		}
		if err := mustAffect(res, "working copy of article", articleID); err != nil {
			return err
		}
		// The story is published or withdrawn: what waited was the copy.
		if _, err := tx.ExecContext(ctx, s.q(`DELETE FROM review_waiting WHERE article_id = ?`), articleID); err != nil {
			return fmt.Errorf("delete working copy of article %d: %w", articleID, err)
		}
		return nil
	})
}

// --- edit locks ---

// AcquireLock takes the lock in one statement, so two pages asking at
// once cannot both believe they hold it: the update happens only where
// the WHERE of the upsert allows it.
func (s *DB) AcquireLock(ctx context.Context, l model.EditLock, staleBefore time.Time, force bool) (model.EditLock, error) {
	forced := 0
	if force {
		forced = 1
	}
	_, err := s.conn.ExecContext(ctx, s.q(`INSERT INTO edit_locks (article_id, user_id, token, since, seen_at) VALUES (?, ?, ?, ?, ?)
	ON CONFLICT (article_id) DO UPDATE SET
		since = CASE WHEN edit_locks.user_id = excluded.user_id AND edit_locks.seen_at >= ? THEN edit_locks.since ELSE excluded.since END,
		user_id = excluded.user_id, token = excluded.token, seen_at = excluded.seen_at
	WHERE edit_locks.user_id = excluded.user_id OR edit_locks.seen_at < ? OR 1 = ?`),
		l.ArticleID, l.UserID, l.Token, unix(l.Since), unix(l.SeenAt), unix(staleBefore), unix(staleBefore), forced)
	if err != nil {
		return l, fmt.Errorf("lock article %d: %w", l.ArticleID, err)
	}
	return s.EditLock(ctx, l.ArticleID)
}

// EditLock returns the edit lock of a story.
func (s *DB) EditLock(ctx context.Context, articleID int64) (model.EditLock, error) {
	var l model.EditLock
	var since, seen int64
	err := s.conn.QueryRowContext(ctx, s.q(`SELECT article_id, user_id, token, since, seen_at FROM edit_locks WHERE article_id = ?`), articleID).
		Scan(&l.ArticleID, &l.UserID, &l.Token, &since, &seen)
	if err != nil {
		return l, notFound("edit lock of article", articleID, err)
	}
	l.Since, l.SeenAt = fromUnix(since), fromUnix(seen)
	return l, nil
}

// ReleaseLock removes the lock a page holds.
func (s *DB) ReleaseLock(ctx context.Context, articleID, userID int64, token string) error {
	_, err := s.conn.ExecContext(ctx, s.q(`DELETE FROM edit_locks WHERE article_id = ? AND user_id = ? AND token = ?`), articleID, userID, token)
	if err != nil {
		return fmt.Errorf("release lock of article %d: %w", articleID, err)
	}
	return nil
}

// --- annotations ---

// CreateAnnotation stores an annotation or reply and sets its ID.
func (s *DB) CreateAnnotation(ctx context.Context, a *model.Annotation) error {
	if a.CreatedAt.IsZero() {
		a.CreatedAt = time.Now().UTC().Truncate(time.Second)
	}
	var err error
	a.ID, err = s.insert(ctx, `INSERT INTO annotations (article_id, parent_id, user_id, quote, prefix, suffix, position, version, body, created_at)
	VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		a.ArticleID, nullID(a.ParentID), a.UserID, a.Quote, a.Prefix, a.Suffix, a.Position, a.Version, a.Body, unix(a.CreatedAt))
	if err != nil {
		return fmt.Errorf("create annotation on article %d: %w", a.ArticleID, err)
	}
	return nil
}

const annotationCols = `id, article_id, COALESCE(parent_id, 0), user_id, quote, prefix, suffix, position, version, body, created_at, COALESCE(resolved_by, 0), resolved_at`

func scanAnnotation(r scanner) (model.Annotation, error) {
	var a model.Annotation
	var created, resolved int64
	err := r.Scan(&a.ID, &a.ArticleID, &a.ParentID, &a.UserID, &a.Quote, &a.Prefix, &a.Suffix, &a.Position, &a.Version, &a.Body, &created, &a.ResolvedBy, &resolved)
	a.CreatedAt, a.ResolvedAt = fromUnix(created), fromUnix(resolved)
	return a, err
}

// Annotation returns one annotation or reply.
func (s *DB) Annotation(ctx context.Context, id int64) (model.Annotation, error) {
	a, err := scanAnnotation(s.conn.QueryRowContext(ctx, s.q(`SELECT `+annotationCols+` FROM annotations WHERE id = ?`), id))
	if err != nil {
		return a, notFound("annotation", id, err)
	}
	return a, nil
}

// Annotations lists a story's annotations and replies, oldest first.
func (s *DB) Annotations(ctx context.Context, articleID int64) ([]model.Annotation, error) {
	rows, err := s.conn.QueryContext(ctx, s.q(`SELECT `+annotationCols+` FROM annotations WHERE article_id = ? ORDER BY id`), articleID)
	if err != nil {
		return nil, fmt.Errorf("annotations of article %d: %w", articleID, err)
	}
	defer rows.Close()
	var out []model.Annotation
	for rows.Next() {
		a, err := scanAnnotation(rows)
		if err != nil {
			return nil, fmt.Errorf("annotations of article %d: %w", articleID, err)
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// ResolveAnnotation marks an annotation settled.
func (s *DB) ResolveAnnotation(ctx context.Context, id, userID int64, at time.Time) error {
	res, err := s.conn.ExecContext(ctx, s.q(`UPDATE annotations SET resolved_by = ?, resolved_at = ? WHERE id = ?`), userID, unix(at), id)
	if err != nil {
		return fmt.Errorf("resolve annotation %d: %w", id, err)
	}
	return mustAffect(res, "annotation", id)
}

package sqlstore

import (
	"context"
	"fmt"
	"time"

	"newsdesk/internal/model"
)

const tokenColumns = `id, user_id, name, token_hash, created_at, last_used_at`

func scanToken(r scanner) (model.Token, error) {
	var t model.Token
	var created, used int64
	if err := r.Scan(&t.ID, &t.UserID, &t.Name, &t.TokenHash, &created, &used); err != nil {
		return t, err
	}
	t.CreatedAt, t.LastUsedAt = fromUnix(created), fromUnix(used)
	return t, nil
}

// CreateToken stores an API token and sets its ID.
func (s *DB) CreateToken(ctx context.Context, t *model.Token) error {
	if t.CreatedAt.IsZero() {
		t.CreatedAt = time.Now()
	}
	t.CreatedAt = t.CreatedAt.UTC().Truncate(time.Second)
	id, err := s.insert(ctx, `INSERT INTO api_tokens (user_id, name, token_hash, created_at) VALUES (?, ?, ?, ?)`,
		t.UserID, t.Name, t.TokenHash, unix(t.CreatedAt))
	if err != nil {
		return fmt.Errorf("create token %q of user %d: %w", t.Name, t.UserID, err)
	}
	t.ID = id
	return nil
}

// TokenByHash returns the token with this hash.
func (s *DB) TokenByHash(ctx context.Context, tokenHash string) (model.Token, error) {
	t, err := scanToken(s.conn.QueryRowContext(ctx, s.q(`SELECT `+tokenColumns+` FROM api_tokens WHERE token_hash = ?`), tokenHash))
	if err != nil {
		return t, notFound("token", "", err)
	}
	return t, nil
}

// Tokens lists a user's tokens, newest first.
func (s *DB) Tokens(ctx context.Context, userID int64) ([]model.Token, error) {
	rows, err := s.conn.QueryContext(ctx, s.q(`SELECT `+tokenColumns+` FROM api_tokens WHERE user_id = ? ORDER BY id DESC`), userID)
	if err != nil {
		return nil, fmt.Errorf("tokens of user %d: %w", userID, err)
	}
	defer rows.Close()
	var out []model.Token
	for rows.Next() {
		t, err := scanToken(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// DeleteToken removes one of a user's tokens.
func (s *DB) DeleteToken(ctx context.Context, userID, id int64) error {
	res, err := s.conn.ExecContext(ctx, s.q(`DELETE FROM api_tokens WHERE id = ? AND user_id = ?`), id, userID)
	if err != nil {
		return fmt.Errorf("delete token %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("token %d of user %d: %w", id, userID, model.ErrNotFound)
	}
	return nil
}

// TouchToken records when a token was last used.
func (s *DB) TouchToken(ctx context.Context, id int64, at time.Time) error {
	if _, err := s.conn.ExecContext(ctx, s.q(`UPDATE api_tokens SET last_used_at = ? WHERE id = ?`), unix(at), id); err != nil {
		return fmt.Errorf("touch token %d: %w", id, err)
	}
	return nil
}

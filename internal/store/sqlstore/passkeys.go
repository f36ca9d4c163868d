package sqlstore

import (
	"context"
	"encoding/base64"
	"fmt"
	"strings"
	"time"

	"newsdesk/internal/model"
)

// Passkeys (WebAuthn credentials) and the ceremonies under way. Binary
// values are kept base64url-encoded in text columns, the same on both
// stores.

var b64 = base64.RawURLEncoding

const passkeyColumns = `id, user_id, credential_id, public_key, sign_count, transports, flags, name, created_at, last_used_at`

func scanPasskey(r scanner) (model.Passkey, error) {
	var p model.Passkey
	var credID, key, transports string
	var count, created, used int64
	var flags int
	if err := r.Scan(&p.ID, &p.UserID, &credID, &key, &count, &transports, &flags, &p.Name, &created, &used); err != nil {
		return p, err
	}
	var err error
	if p.CredentialID, err = b64.DecodeString(credID); err != nil {
		return p, fmt.Errorf("passkey %d: credential id: %w", p.ID, err)
	}
	if p.PublicKey, err = b64.DecodeString(key); err != nil {
		return p, fmt.Errorf("passkey %d: public key: %w", p.ID, err)
	}
	if transports != "" {
		p.Transports = strings.Split(transports, ",")
	}
	p.SignCount, p.Flags = uint32(count), uint8(flags)
	p.CreatedAt, p.LastUsedAt = fromUnix(created), fromUnix(used)
	return p, nil
}

// CreatePasskey stores a passkey and sets its ID.
func (s *DB) CreatePasskey(ctx context.Context, p *model.Passkey) error {
	if p.CreatedAt.IsZero() {
		p.CreatedAt = time.Now()
	}
	p.CreatedAt = p.CreatedAt.UTC().Truncate(time.Second)
	credID := b64.EncodeToString(p.CredentialID)
	// A credential is one authenticator's: registered twice (by anyone), it is refused.
	var n int
	if err := s.conn.QueryRowContext(ctx, s.q(`SELECT COUNT(*) FROM passkeys WHERE credential_id = ?`), credID).Scan(&n); err != nil {
		return fmt.Errorf("create passkey %q of user %d: %w", p.Name, p.UserID, err)
	}
	if n > 0 {
		return fmt.Errorf("passkey credential stored already: %w", model.ErrConflict)
	}
	id, err := s.insert(ctx, `INSERT INTO passkeys (user_id, credential_id, public_key, sign_count, transports, flags, name, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		p.UserID, credID, b64.EncodeToString(p.PublicKey), int64(p.SignCount), strings.Join(p.Transports, ","), int(p.Flags), p.Name, unix(p.CreatedAt))
	if err != nil {
		return fmt.Errorf("create passkey %q of user %d: %w", p.Name, p.UserID, err)
	}
	p.ID = id
	return nil
}

// Passkeys lists a user's passkeys, the oldest first.
func (s *DB) Passkeys(ctx context.Context, userID int64) ([]model.Passkey, error) {
	rows, err := s.conn.QueryContext(ctx, s.q(`SELECT `+passkeyColumns+` FROM passkeys WHERE user_id = ? ORDER BY id`), userID)
	if err != nil {
		return nil, fmt.Errorf("passkeys of user %d: %w", userID, err)
	}
	defer rows.Close()
	var out []model.Passkey
	for rows.Next() {
		p, err := scanPasskey(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// UsePasskey records a sign-in with a passkey whose counter went up. The
// check is in the UPDATE, so of two answers with the same counter only one
// is taken.
func (s *DB) UsePasskey(ctx context.Context, id int64, signCount uint32, at time.Time) (bool, error) {
	n := int64(signCount)
	query, args := `UPDATE passkeys SET sign_count = ?, last_used_at = ? WHERE id = ? AND sign_count < ?`, []any{n, unix(at), id, n}
	if n == 0 { // an authenticator that keeps no counter
		query, args = `UPDATE passkeys SET sign_count = ?, last_used_at = ? WHERE id = ?`, args[:3]
	}
	res, err := s.conn.ExecContext(ctx, s.q(query), args...)
	if err != nil {
		return false, fmt.Errorf("use passkey %d: %w", id, err)
	}
	rows, _ := res.RowsAffected()
	return rows == 1, nil
}

// DeletePasskey removes one of a user's passkeys, or all of them (id 0).
func (s *DB) DeletePasskey(ctx context.Context, userID, id int64) error {
	if id == 0 {
		if _, err := s.conn.ExecContext(ctx, s.q(`DELETE FROM passkeys WHERE user_id = ?`), userID); err != nil {
			return fmt.Errorf("delete passkeys of user %d: %w", userID, err)
		}
		return nil
	}
	res, err := s.conn.ExecContext(ctx, s.q(`DELETE FROM passkeys WHERE id = ? AND user_id = ?`), id, userID)
	if err != nil {
		return fmt.Errorf("delete passkey %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("passkey %d of user %d: %w", id, userID, model.ErrNotFound)
	}
	return nil
}

// CreatePasskeyChallenge stores a ceremony under way.
func (s *DB) CreatePasskeyChallenge(ctx context.Context, c model.PasskeyChallenge) error {
	if _, err := s.conn.ExecContext(ctx, s.q(`DELETE FROM passkey_challenges WHERE expires_at <= ?`), unix(time.Now())); err != nil {
		return fmt.Errorf("forget expired passkey challenges: %w", err)
	}
	_, err := s.conn.ExecContext(ctx, s.q(`INSERT INTO passkey_challenges (token_hash, user_id, kind, data, expires_at) VALUES (?, ?, ?, ?, ?)`),
		c.TokenHash, c.UserID, c.Kind, string(c.Data), unix(c.ExpiresAt))
	if err != nil {
		return fmt.Errorf("passkey %s challenge of user %d: %w", c.Kind, c.UserID, err)
	}
	return nil
}

// TakePasskeyChallenge returns and removes an unexpired challenge.
func (s *DB) TakePasskeyChallenge(ctx context.Context, tokenHash, kind string, now time.Time) (model.PasskeyChallenge, error) {
	c := model.PasskeyChallenge{TokenHash: tokenHash, Kind: kind}
	var data string
	var expires int64
	err := s.conn.QueryRowContext(ctx, s.q(`DELETE FROM passkey_challenges WHERE token_hash = ? AND kind = ? RETURNING user_id, data, expires_at`), tokenHash, kind).
		Scan(&c.UserID, &data, &expires)
	if err != nil {
		return c, notFound("passkey "+kind+" challenge", "", err)
	}
	c.Data, c.ExpiresAt = []byte(data), fromUnix(expires)
	if !c.ExpiresAt.After(now) {
		return c, fmt.Errorf("passkey %s challenge expired at %v: %w", kind, c.ExpiresAt, model.ErrNotFound)
	}
	return c, nil
}

package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"newsdesk/internal/model"
	"newsdesk/internal/store"
)

// CreateUnit inserts u and sets its ID.
func (s *DB) CreateUnit(ctx context.Context, u *model.Unit) error {
	id, err := s.insert(ctx, `INSERT INTO units (name) VALUES (?)`, u.Name)
	if err != nil {
		return fmt.Errorf("create unit %q: %w", u.Name, err)
	}
	u.ID = id
	return nil
}

// UpdateUnit renames a unit.
func (s *DB) UpdateUnit(ctx context.Context, u *model.Unit) error {
	res, err := s.conn.ExecContext(ctx, s.q(`UPDATE units SET name = ? WHERE id = ?`), u.Name, u.ID)
	if err != nil {
		return fmt.Errorf("update unit %d: %w", u.ID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("unit %d: %w", u.ID, model.ErrNotFound)
	}
	return nil
}

// Units lists every unit by name.
func (s *DB) Units(ctx context.Context) ([]model.Unit, error) {
	rows, err := s.conn.QueryContext(ctx, `SELECT id, name FROM units ORDER BY name`)
	if err != nil {
		return nil, fmt.Errorf("list units: %w", err)
	}
	defer rows.Close()
	var out []model.Unit
	for rows.Next() {
		var u model.Unit
		if err := rows.Scan(&u.ID, &u.Name); err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

const userColumns = `id, username, name, password_hash, roles, COALESCE(unit_id, 0), created_at, disabled, password_changed_at`

func scanUser(r scanner) (model.User, error) {
	var u model.User
	var roles string
	var created, disabled, changed int64
	if err := r.Scan(&u.ID, &u.Username, &u.Name, &u.PasswordHash, &roles, &u.UnitID, &created, &disabled, &changed); err != nil {
		return u, err
	}
	u.Roles = strings.Fields(roles)
	u.Disabled = disabled != 0
	u.CreatedAt = fromUnix(created)
	u.PasswordChangedAt = fromUnix(changed)
	return u, nil
}

// CreateUser inserts u and sets its ID and creation time; its password
// starts its password history.
func (s *DB) CreateUser(ctx context.Context, u *model.User) error {
	if u.CreatedAt.IsZero() {
		u.CreatedAt = time.Now().UTC().Truncate(time.Second)
	}
	if u.PasswordChangedAt.IsZero() {
		u.PasswordChangedAt = u.CreatedAt
	}
	disabled := 0
	if u.Disabled {
		disabled = 1
	}
	id, err := s.insert(ctx, `INSERT INTO users (username, name, password_hash, roles, unit_id, created_at, disabled, password_changed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		u.Username, u.Name, u.PasswordHash, strings.Join(u.Roles, " "), nullID(u.UnitID), unix(u.CreatedAt), disabled, unix(u.PasswordChangedAt))
	if err != nil {
		return fmt.Errorf("create user %q: %w", u.Username, err)
	}
	u.ID = id
	if _, err := s.conn.ExecContext(ctx, s.q(`INSERT INTO password_history (user_id, hash, set_at) VALUES (?, ?, ?)`), id, u.PasswordHash, unix(u.PasswordChangedAt)); err != nil {
		return fmt.Errorf("password history of user %q: %w", u.Username, err)
	}
	return nil
}

// User returns the user with the given id.
func (s *DB) User(ctx context.Context, id int64) (model.User, error) {
	u, err := scanUser(s.conn.QueryRowContext(ctx, s.q(`SELECT `+userColumns+` FROM users WHERE id = ?`), id))
	if err != nil {
		return u, notFound("user", id, err)
	}
	return u, nil
}

// UserByName returns the user with the given username.
func (s *DB) UserByName(ctx context.Context, username string) (model.User, error) {
	u, err := scanUser(s.conn.QueryRowContext(ctx, s.q(`SELECT `+userColumns+` FROM users WHERE username = ?`), username))
	if err != nil {
		return u, notFound("user", username, err)
	}
	return u, nil
}

// Users lists every user by username.
func (s *DB) Users(ctx context.Context) ([]model.User, error) {
	rows, err := s.conn.QueryContext(ctx, `SELECT `+userColumns+` FROM users ORDER BY username`)
	if err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	defer rows.Close()
	var out []model.User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// SetPassword replaces a user's password hash and keeps the last keep in
// the password history.
func (s *DB) SetPassword(ctx context.Context, userID int64, hash string, at time.Time, keep int) error {
	res, err := s.conn.ExecContext(ctx, s.q(`UPDATE users SET password_hash = ?, password_changed_at = ? WHERE id = ?`), hash, unix(at), userID)
	if err != nil {
		return fmt.Errorf("set password of user %d: %w", userID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("user %d: %w", userID, model.ErrNotFound)
	}
	if _, err := s.conn.ExecContext(ctx, s.q(`INSERT INTO password_history (user_id, hash, set_at) VALUES (?, ?, ?)`), userID, hash, unix(at)); err != nil {
		return fmt.Errorf("password history of user %d: %w", userID, err)
	}
	// Keep the newest keep; hashes are salted, so equal set_at rows are
	// told apart by the hash.
	_, err = s.conn.ExecContext(ctx, s.q(`DELETE FROM password_history WHERE user_id = ? AND hash NOT IN
		(SELECT hash FROM password_history WHERE user_id = ? ORDER BY set_at DESC, hash DESC LIMIT ?)`), userID, userID, max(keep, 1))
	if err != nil {
		return fmt.Errorf("trim password history of user %d: %w", userID, err)
	}
	return nil
}

// PasswordHistory returns a user's last n password hashes, newest first.
func (s *DB) PasswordHistory(ctx context.Context, userID int64, n int) ([]string, error) {
	rows, err := s.conn.QueryContext(ctx, s.q(`SELECT hash FROM password_history WHERE user_id = ? ORDER BY set_at DESC, hash DESC LIMIT ?`), userID, n)
	if err != nil {
		return nil, fmt.Errorf("password history of user %d: %w", userID, err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var h string
		if err := rows.Scan(&h); err != nil {
			return nil, err
		}
		out = append(out, h)
	}
	return out, rows.Err()
}

// UpdateUser saves a user's name, roles, unit and disabled flag.
func (s *DB) UpdateUser(ctx context.Context, u *model.User) error {
	disabled := 0
	if u.Disabled {
		disabled = 1
	}
	res, err := s.conn.ExecContext(ctx, s.q(`UPDATE users SET name = ?, roles = ?, unit_id = ?, disabled = ? WHERE id = ?`),
		u.Name, strings.Join(u.Roles, " "), nullID(u.UnitID), disabled, u.ID)
	if err != nil {
		return fmt.Errorf("update user %d: %w", u.ID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("user %d: %w", u.ID, model.ErrNotFound)
	}
	return nil
}

// CreateSession stores a session, and forgets the sessions past their end.
func (s *DB) CreateSession(ctx context.Context, se model.Session) error {
	if _, err := s.conn.ExecContext(ctx, s.q(`DELETE FROM sessions WHERE expires_at <= ?`), unix(se.CreatedAt)); err != nil {
		return fmt.Errorf("forget expired sessions: %w", err)
	}
	if se.LastSeen.IsZero() {
		se.LastSeen = se.CreatedAt
	}
	flag := func(b bool) int {
		if b {
			return 1
		}
		return 0
	}
	_, err := s.conn.ExecContext(ctx, s.q(`INSERT INTO sessions (token_hash, user_id, csrf, created_at, expires_at, ip, last_seen_at, must_change_password, must_enrol_2fa) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`),
		se.TokenHash, se.UserID, se.CSRF, unix(se.CreatedAt), unix(se.ExpiresAt), se.IP, unix(se.LastSeen), flag(se.MustChangePassword), flag(se.MustEnrol2FA))
	if err != nil {
		return fmt.Errorf("create session: %w", err)
	}
	return nil
}

const sessionColumns = `token_hash, user_id, csrf, created_at, expires_at, ip, last_seen_at, must_change_password, must_enrol_2fa`

func scanSession(r scanner) (model.Session, error) {
	var se model.Session
	var created, expires, seen, must, enrol int64
	err := r.Scan(&se.TokenHash, &se.UserID, &se.CSRF, &created, &expires, &se.IP, &seen, &must, &enrol)
	se.MustChangePassword, se.MustEnrol2FA = must != 0, enrol != 0
	se.CreatedAt, se.ExpiresAt, se.LastSeen = fromUnix(created), fromUnix(expires), fromUnix(seen)
	return se, err
}

// Session returns an unexpired session by its token hash.
func (s *DB) Session(ctx context.Context, tokenHash string, now time.Time) (model.Session, error) {
	se, err := scanSession(s.conn.QueryRowContext(ctx, s.q(`SELECT `+sessionColumns+` FROM sessions WHERE token_hash = ? AND expires_at > ?`), tokenHash, now.Unix()))
	if err != nil {
		return se, notFound("session", "", err)
	}
	return se, nil
}

// PasswordChanged lets a session that had to change its password go on.
func (s *DB) PasswordChanged(ctx context.Context, tokenHash string) error {
	if _, err := s.conn.ExecContext(ctx, s.q(`UPDATE sessions SET must_change_password = 0 WHERE token_hash = ?`), tokenHash); err != nil {
		return fmt.Errorf("session password changed: %w", err)
	}
	return nil
}

// Enrolled2FA lets a session that had to set up two-factor sign-in go on.
func (s *DB) Enrolled2FA(ctx context.Context, tokenHash string) error {
	if _, err := s.conn.ExecContext(ctx, s.q(`UPDATE sessions SET must_enrol_2fa = 0 WHERE token_hash = ?`), tokenHash); err != nil {
		return fmt.Errorf("session enrolled: %w", err)
	}
	return nil
}

// TOTP returns a user's TOTP secret and confirmation time.
func (s *DB) TOTP(ctx context.Context, userID int64) (string, time.Time, error) {
	var secret string
	var enabled int64
	err := s.conn.QueryRowContext(ctx, s.q(`SELECT secret, enabled_at FROM totp WHERE user_id = ?`), userID).Scan(&secret, &enabled)
	if err != nil {
		return "", time.Time{}, notFound("totp of user", userID, err)
	}
	return secret, fromUnix(enabled), nil
}

// SetTOTP sets a user's TOTP secret.
func (s *DB) SetTOTP(ctx context.Context, userID int64, secret string, enabledAt time.Time) error {
	_, err := s.conn.ExecContext(ctx, s.q(`INSERT INTO totp (user_id, secret, enabled_at) VALUES (?, ?, ?)
		ON CONFLICT (user_id) DO UPDATE SET secret = excluded.secret, enabled_at = excluded.enabled_at`), userID, secret, unix(enabledAt))
	if err != nil {
		return fmt.Errorf("set totp of user %d: %w", userID, err)
	}
	return nil
}

// UseTOTPStep records an accepted code's step, once.
func (s *DB) UseTOTPStep(ctx context.Context, userID, step int64) (bool, error) {
	res, err := s.conn.ExecContext(ctx, s.q(`UPDATE totp SET last_step = ? WHERE user_id = ? AND last_step < ?`), step, userID, step)
	if err != nil {
		return false, fmt.Errorf("totp step of user %d: %w", userID, err)
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

// DeleteTOTP removes a user's second factor and recovery codes.
func (s *DB) DeleteTOTP(ctx context.Context, userID int64) error {
	for _, q := range []string{`DELETE FROM recovery_codes WHERE user_id = ?`, `DELETE FROM totp WHERE user_id = ?`} {
		if _, err := s.conn.ExecContext(ctx, s.q(q), userID); err != nil {
			return fmt.Errorf("remove the second factor of user %d: %w", userID, err)
		}
	}
	return nil
}

// SetRecoveryCodes replaces a user's recovery codes.
func (s *DB) SetRecoveryCodes(ctx context.Context, userID int64, hashes []string) error {
	return s.Tx(ctx, func(st store.Store) error {
		tx := st.(*DB)
		if _, err := tx.conn.ExecContext(ctx, tx.q(`DELETE FROM recovery_codes WHERE user_id = ?`), userID); err != nil {
			return fmt.Errorf("recovery codes of user %d: %w", userID, err)
		}
		for _, h := range hashes {
			if _, err := tx.conn.ExecContext(ctx, tx.q(`INSERT INTO recovery_codes (user_id, hash) VALUES (?, ?)`), userID, h); err != nil {
				return fmt.Errorf("recovery codes of user %d: %w", userID, err)
			}
		}
		return nil
	})
}

// UseRecoveryCode marks a recovery code used, once.
func (s *DB) UseRecoveryCode(ctx context.Context, userID int64, hash string, at time.Time) (bool, error) {
	res, err := s.conn.ExecContext(ctx, s.q(`UPDATE recovery_codes SET used_at = ? WHERE user_id = ? AND hash = ? AND used_at = 0`), unix(at), userID, hash)
	if err != nil {
		return false, fmt.Errorf("recovery code of user %d: %w", userID, err)
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

// TouchSession records a session's last use.
func (s *DB) TouchSession(ctx context.Context, tokenHash string, at time.Time) error {
	if _, err := s.conn.ExecContext(ctx, s.q(`UPDATE sessions SET last_seen_at = ? WHERE token_hash = ?`), unix(at), tokenHash); err != nil {
		return fmt.Errorf("touch session: %w", err)
	}
	return nil
}

// UserSessions lists a user's unexpired sessions, the newest first.
func (s *DB) UserSessions(ctx context.Context, userID int64, now time.Time) ([]model.Session, error) {
	rows, err := s.conn.QueryContext(ctx, s.q(`SELECT `+sessionColumns+` FROM sessions WHERE user_id = ? AND expires_at > ? ORDER BY created_at DESC, token_hash`), userID, unix(now))
	if err != nil {
		return nil, fmt.Errorf("sessions of user %d: %w", userID, err)
	}
	defer rows.Close()
	var out []model.Session
	for rows.Next() {
		se, err := scanSession(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, se)
	}
	return out, rows.Err()
}

// DeleteSession ends one session.
func (s *DB) DeleteSession(ctx context.Context, tokenHash string) error {
	if _, err := s.conn.ExecContext(ctx, s.q(`DELETE FROM sessions WHERE token_hash = ?`), tokenHash); err != nil {
		return fmt.Errorf("delete session: %w", err)
	}
	return nil
}

// DeleteSessions ends every session of a user but keep.
func (s *DB) DeleteSessions(ctx context.Context, userID int64, keep string) error {
	if _, err := s.conn.ExecContext(ctx, s.q(`DELETE FROM sessions WHERE user_id = ? AND token_hash <> ?`), userID, keep); err != nil {
		return fmt.Errorf("delete sessions of user %d: %w", userID, err)
	}
	return nil
}

// lockAuditChain takes the audit chain's head for the transaction under
// way and returns it. The UPDATE comes first: it takes PostgreSQL's row
// lock and SQLite's write lock, so a concurrent insert waits here rather
// than read the same head and fork the chain (a read first would let two
// transactions see one head; SQLite would then refuse one's upgrade).
func (s *DB) lockAuditChain(ctx context.Context) (model.AuditChain, error) {
	lock := func() (int64, error) {
		res, err := s.conn.ExecContext(ctx, `UPDATE audit_chain SET last_id = last_id WHERE id = 1`)
		if err != nil {
			return 0, fmt.Errorf("lock the audit chain: %w", err)
		}
		return res.RowsAffected()
	}
	n, err := lock()
	if err == nil && n == 0 { // the first entry: make the head, then lock it
		if _, err = s.conn.ExecContext(ctx, `INSERT INTO audit_chain (id, last_id, last_hash) VALUES (1, 0, '') ON CONFLICT (id) DO NOTHING`); err == nil {
			_, err = lock()
		}
	}
	if err != nil {
		return model.AuditChain{}, err
	}
	return s.auditChainHead(ctx)
}

func (s *DB) auditChainHead(ctx context.Context) (model.AuditChain, error) {
	var h model.AuditChain
	err := s.conn.QueryRowContext(ctx, `SELECT last_id, last_hash, purged_id, purged_hash FROM audit_chain WHERE id = 1`).Scan(&h.LastID, &h.LastHash, &h.PurgedID, &h.PurgedHash)
	if errors.Is(err, sql.ErrNoRows) {
		return h, nil // no entry yet
	}
	if err != nil {
		return h, fmt.Errorf("audit chain head: %w", err)
	}
	return h, nil
}

// AuditChainHead returns the head of the audit chain.
func (s *DB) AuditChainHead(ctx context.Context) (model.AuditChain, error) {
	return s.auditChainHead(ctx)
}

// AddAudit appends to the audit log, chained to the entry before, in the
// transaction under way or one of its own. Its id follows the head's, so
// the hash can be computed before the insert: rows are never updated.
func (s *DB) AddAudit(ctx context.Context, e model.AuditEntry) error {
	if e.At.IsZero() {
		e.At = time.Now()
	}
	e.At = fromUnix(unix(e.At)) // the stored precision, which the hash covers
	return s.Tx(ctx, func(st store.Store) error {
		tx := st.(*DB)
		h, err := tx.lockAuditChain(ctx)
		if err != nil {
			return err
		}
		e.ID, e.PrevHash = h.LastID+1, h.LastHash
		e.Hash = model.AuditHash(e)
		_, err = tx.conn.ExecContext(ctx, tx.q(`INSERT INTO audit_log (id, at, user_id, action, target, detail, ip, via, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
			e.ID, unix(e.At), nullID(e.UserID), e.Action, e.Target, e.Detail, e.IP, e.Via, e.PrevHash, e.Hash)
		if err != nil {
			return fmt.Errorf("audit %s: %w", e.Action, err)
		}
		if _, err := tx.conn.ExecContext(ctx, tx.q(`UPDATE audit_chain SET last_id = ?, last_hash = ? WHERE id = 1`), e.ID, e.Hash); err != nil {
			return fmt.Errorf("audit chain head: %w", err)
		}
		return nil
	})
}

// sealAudit chains the entries the head does not cover yet: those written
// before the chain existed. It writes nothing when there are none, so a
// database role that may not update audit rows opens the store.
func (s *DB) sealAudit(ctx context.Context) error {
	h, err := s.auditChainHead(ctx)
	if err != nil {
		return err
	}
	var n int
	if err := s.conn.QueryRowContext(ctx, s.q(`SELECT COUNT(*) FROM audit_log WHERE id > ?`), h.LastID).Scan(&n); err != nil || n == 0 {
		return err
	}
	return s.Tx(ctx, func(st store.Store) error {
		tx := st.(*DB)
		h, err := tx.lockAuditChain(ctx)
		if err != nil {
			return err
		}
		es, err := tx.auditRows(ctx, `WHERE id > ? ORDER BY id`, h.LastID)
		if err != nil {
			return err
		}
		for _, e := range es {
			e.PrevHash = h.LastHash
			e.Hash = model.AuditHash(e)
			if _, err := tx.conn.ExecContext(ctx, tx.q(`UPDATE audit_log SET prev_hash = ?, hash = ? WHERE id = ?`), e.PrevHash, e.Hash, e.ID); err != nil {
				return fmt.Errorf("seal audit entry %d: %w", e.ID, err)
			}
			h.LastID, h.LastHash = e.ID, e.Hash
		}
		_, err = tx.conn.ExecContext(ctx, tx.q(`UPDATE audit_chain SET last_id = ?, last_hash = ? WHERE id = 1`), h.LastID, h.LastHash)
		return err
	})
}

const auditColumns = `id, at, COALESCE(user_id, 0), action, target, detail, ip, via, prev_hash, hash`

// auditRows runs a SELECT of audit entries with the given tail.
func (s *DB) auditRows(ctx context.Context, tail string, args ...any) ([]model.AuditEntry, error) {
	rows, err := s.conn.QueryContext(ctx, s.q(`SELECT `+auditColumns+` FROM audit_log `+tail), args...)
	if err != nil {
		return nil, fmt.Errorf("audit log: %w", err)
	}
	defer rows.Close()
	var out []model.AuditEntry
	for rows.Next() {
		var e model.AuditEntry
		var at int64
		if err := rows.Scan(&e.ID, &at, &e.UserID, &e.Action, &e.Target, &e.Detail, &e.IP, &e.Via, &e.PrevHash, &e.Hash); err != nil {
			return nil, err
		}
		e.At = fromUnix(at)
		out = append(out, e)
	}
	return out, rows.Err()
}

// Audit returns a page of the audit log, newest first.
func (s *DB) Audit(ctx context.Context, limit, offset int) ([]model.AuditEntry, int, error) {
	return s.AuditSearch(ctx, store.AuditQuery{Limit: limit, Offset: offset})
}

// AuditSearch returns matching audit entries.
func (s *DB) AuditSearch(ctx context.Context, q store.AuditQuery) ([]model.AuditEntry, int, error) {
	var where []string
	var args []any
	add := func(cond string, arg any) { where = append(where, cond); args = append(args, arg) }
	if q.UserID != 0 {
		add(`user_id = ?`, q.UserID)
	}
	if q.Action != "" {
		add(`action = ?`, q.Action)
	}
	if q.Target != "" {
		// LOWER on both sides: SQLite's LIKE ignores ASCII case, PostgreSQL's does not.
		add(`LOWER(target) LIKE ? ESCAPE '\'`, "%"+escapeLike(strings.ToLower(q.Target))+"%")
	}
	if !q.From.IsZero() {
		add(`at >= ?`, unix(q.From))
	}
	if !q.To.IsZero() {
		add(`at < ?`, unix(q.To))
	}
	if q.Ascending {
		add(`id > ?`, q.AfterID)
	}
	cond := ""
	if len(where) > 0 {
		cond = "WHERE " + strings.Join(where, " AND ")
	}
	limit := q.Limit
	if limit <= 0 {
		limit = 100
	}
	if q.Ascending {
		es, err := s.auditRows(ctx, cond+` ORDER BY id LIMIT ?`, append(args, limit)...)
		return es, -1, err
	}
	var total int
	if err := s.conn.QueryRowContext(ctx, s.q(`SELECT COUNT(*) FROM audit_log `+cond), args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count audit log: %w", err)
	}
	es, err := s.auditRows(ctx, cond+` ORDER BY at DESC, id DESC LIMIT ? OFFSET ?`, append(args, limit, q.Offset)...)
	return es, total, err
}

// PurgeAudit deletes the oldest entries up to the first one written at or
// after before, and records the last one's hash in the chain's head, so
// the entries left still verify.
func (s *DB) PurgeAudit(ctx context.Context, before time.Time) (int, error) {
	var n int
	err := s.Tx(ctx, func(st store.Store) error {
		tx := st.(*DB)
		h, err := tx.lockAuditChain(ctx)
		if err != nil {
			return err
		}
		// The prefix of the chain older than before: up to the first
		// younger entry (clocks of several instances may be a little apart).
		var cut int64
		err = tx.conn.QueryRowContext(ctx, tx.q(`SELECT COALESCE(MIN(id), ?) FROM audit_log WHERE at >= ?`), h.LastID+1, unix(before)).Scan(&cut)
		if err != nil {
			return fmt.Errorf("audit purge: %w", err)
		}
		last, err := tx.auditRows(ctx, `WHERE id < ? ORDER BY id DESC LIMIT 1`, cut)
		if err != nil || len(last) == 0 {
			return err
		}
		res, err := tx.conn.ExecContext(ctx, tx.q(`DELETE FROM audit_log WHERE id < ?`), cut)
		if err != nil {
			return fmt.Errorf("audit purge: %w", err)
		}
		m, _ := res.RowsAffected()
		n = int(m)
		_, err = tx.conn.ExecContext(ctx, tx.q(`UPDATE audit_chain SET purged_id = ?, purged_hash = ? WHERE id = 1`), last[0].ID, last[0].Hash)
		return err
	})
	return n, err
}

// AddSignInFailure records a failed sign-in and forgets old ones.
func (s *DB) AddSignInFailure(ctx context.Context, username, ip string, at, forgetBefore time.Time) error {
	if _, err := s.conn.ExecContext(ctx, s.q(`DELETE FROM sign_in_failures WHERE at < ?`), unix(forgetBefore)); err != nil {
		return fmt.Errorf("forget old sign-in failures: %w", err)
	}
	if _, err := s.conn.ExecContext(ctx, s.q(`INSERT INTO sign_in_failures (username, ip, at) VALUES (?, ?, ?)`), username, ip, unix(at)); err != nil {
		return fmt.Errorf("record sign-in failure: %w", err)
	}
	return nil
}

// CountSignInFailures counts the failures bearing on a sign-in, in one
// query over the two indexes.
func (s *DB) CountSignInFailures(ctx context.Context, username, ip string, since time.Time) (model.SignInCounts, error) {
	var c model.SignInCounts
	var pairLast, addrFirst int64
	err := s.conn.QueryRowContext(ctx, s.q(`SELECT
		(SELECT COUNT(*) FROM sign_in_failures WHERE username = ? AND ip = ? AND at >= ?),
		(SELECT COALESCE(MAX(at), 0) FROM sign_in_failures WHERE username = ? AND ip = ? AND at >= ?),
		(SELECT COUNT(*) FROM sign_in_failures WHERE username = ? AND at >= ?),
		(SELECT COUNT(*) FROM sign_in_failures WHERE ip = ? AND at >= ?),
		(SELECT COALESCE(MIN(at), 0) FROM sign_in_failures WHERE ip = ? AND at >= ?)`),
		username, ip, unix(since), username, ip, unix(since), username, unix(since), ip, unix(since), ip, unix(since)).
		Scan(&c.Pair, &pairLast, &c.Account, &c.Address, &addrFirst)
	if err != nil {
		return c, fmt.Errorf("count sign-in failures of %q from %s: %w", username, ip, err)
	}
	c.PairLast, c.AddressFirst = fromUnix(pairLast), fromUnix(addrFirst)
	return c, nil
}

// SignInFailureList lists recent failures by account and address.
func (s *DB) SignInFailureList(ctx context.Context, since time.Time) ([]model.SignInFailures, error) {
	rows, err := s.conn.QueryContext(ctx, s.q(`SELECT username, ip, COUNT(*), MIN(at), MAX(at) FROM sign_in_failures
		WHERE at >= ? GROUP BY username, ip ORDER BY MAX(at) DESC, username, ip`), unix(since))
	if err != nil {
		return nil, fmt.Errorf("list sign-in failures: %w", err)
	}
	defer rows.Close()
	var out []model.SignInFailures
	for rows.Next() {
		var f model.SignInFailures
		var first, last int64
		if err := rows.Scan(&f.Username, &f.IP, &f.Count, &first, &last); err != nil {
			return nil, err
		}
		f.First, f.Last = fromUnix(first), fromUnix(last)
		out = append(out, f)
	}
	return out, rows.Err()
}

// ClearSignInFailures forgets failures by account, address or both.
func (s *DB) ClearSignInFailures(ctx context.Context, username, ip string) (int, error) {
	if username == "" && ip == "" {
		return 0, fmt.Errorf("clear sign-in failures: name an account or an address: %w", model.ErrInvalid)
	}
	res, err := s.conn.ExecContext(ctx, s.q(`DELETE FROM sign_in_failures WHERE (CAST(? AS TEXT) = '' OR username = ?) AND (CAST(? AS TEXT) = '' OR ip = ?)`), username, username, ip, ip)
	if err != nil {
		return 0, fmt.Errorf("clear sign-in failures of %q from %q: %w", username, ip, err)
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}

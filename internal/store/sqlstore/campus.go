package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"newsdesk/internal/model"
	"newsdesk/internal/store"
)

// CreateIdentity links an identity to a user; a linked one is ErrConflict.
func (s *DB) CreateIdentity(ctx context.Context, i model.Identity) error {
	if i.CreatedAt.IsZero() {
		i.CreatedAt = time.Now()
	}
	res, err := s.conn.ExecContext(ctx, s.q(`INSERT INTO identities (provider, subject, user_id, email, created_at, seen_at) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (provider, subject) DO NOTHING`), i.Provider, i.Subject, i.UserID, i.Email, unix(i.CreatedAt), unix(i.SeenAt))
	if err != nil {
		return fmt.Errorf("link %s identity %q to user %d: %w", i.Provider, i.Subject, i.UserID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("%s identity %q is linked already: %w", i.Provider, i.Subject, model.ErrConflict)
	}
	return nil
}

// Identity returns the link of a provider's subject.
func (s *DB) Identity(ctx context.Context, provider, subject string) (model.Identity, error) {
	i := model.Identity{Provider: provider, Subject: subject}
	var created, seen int64
	err := s.conn.QueryRowContext(ctx, s.q(`SELECT user_id, email, created_at, seen_at FROM identities WHERE provider = ? AND subject = ?`), provider, subject).
		Scan(&i.UserID, &i.Email, &created, &seen)
	if err != nil {
		return i, notFound(provider+" identity", subject, err)
	}
	i.CreatedAt, i.SeenAt = fromUnix(created), fromUnix(seen)
	return i, nil
}

// Identities lists the links of a user (0: every user's) by user.
func (s *DB) Identities(ctx context.Context, userID int64) ([]model.Identity, error) {
	rows, err := s.conn.QueryContext(ctx, s.q(`SELECT provider, subject, user_id, email, created_at, seen_at FROM identities
		WHERE user_id = ? OR ? = 0 ORDER BY user_id, provider, subject`), userID, userID)
	if err != nil {
		return nil, fmt.Errorf("list identities: %w", err)
	}
	defer rows.Close()
	var out []model.Identity
	for rows.Next() {
		var i model.Identity
		var created, seen int64
		if err := rows.Scan(&i.Provider, &i.Subject, &i.UserID, &i.Email, &created, &seen); err != nil {
			return nil, fmt.Errorf("list identities: %w", err)
		}
		i.CreatedAt, i.SeenAt = fromUnix(created), fromUnix(seen)
		out = append(out, i)
	}
	return out, rows.Err()
}

// SeenIdentity records a sign-in through an identity and its e-mail address.
func (s *DB) SeenIdentity(ctx context.Context, provider, subject, email string, at time.Time) error {
	res, err := s.conn.ExecContext(ctx, s.q(`UPDATE identities SET email = ?, seen_at = ? WHERE provider = ? AND subject = ?`), email, unix(at), provider, subject)
	if err != nil {
		return fmt.Errorf("record sign-in of %s identity %q: %w", provider, subject, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("%s identity %q: %w", provider, subject, model.ErrNotFound)
	}
	return nil
}

// DeleteIdentity removes a link.
func (s *DB) DeleteIdentity(ctx context.Context, provider, subject string) error {
	res, err := s.conn.ExecContext(ctx, s.q(`DELETE FROM identities WHERE provider = ? AND subject = ?`), provider, subject)
	if err != nil {
		return fmt.Errorf("unlink %s identity %q: %w", provider, subject, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("%s identity %q: %w", provider, subject, model.ErrNotFound)
	}
	return nil
}

// SetDepartmentUnit maps a department code to a unit, or removes the code.
func (s *DB) SetDepartmentUnit(ctx context.Context, code string, unitID int64) error {
	var err error
	if unitID == 0 {
		_, err = s.conn.ExecContext(ctx, s.q(`DELETE FROM department_units WHERE code = ?`), code)
	} else {
		_, err = s.conn.ExecContext(ctx, s.q(`INSERT INTO department_units (code, unit_id) VALUES (?, ?)
			ON CONFLICT (code) DO UPDATE SET unit_id = excluded.unit_id`), code, unitID)
	}
	if err != nil {
		return fmt.Errorf("map department %q to unit %d: %w", code, unitID, err)
	}
	return nil
}

// DepartmentUnits lists the department mapping by code.
func (s *DB) DepartmentUnits(ctx context.Context) ([]model.DepartmentUnit, error) {
	rows, err := s.conn.QueryContext(ctx, `SELECT code, unit_id FROM department_units ORDER BY code`)
	if err != nil {
		return nil, fmt.Errorf("list department units: %w", err)
	}
	defer rows.Close()
	var out []model.DepartmentUnit
	for rows.Next() {
		var d model.DepartmentUnit
		if err := rows.Scan(&d.Code, &d.UnitID); err != nil {
			return nil, fmt.Errorf("list department units: %w", err)
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// TicketSession records which session a campus ticket opened, dropping
// the records whose sessions have expired.
func (s *DB) TicketSession(ctx context.Context, ticketHash, sessionHash string, expires time.Time) error {
	if _, err := s.conn.ExecContext(ctx, s.q(`DELETE FROM campus_tickets WHERE expires_at < ?`), time.Now().Unix()); err != nil {
		return fmt.Errorf("drop expired tickets: %w", err)
	}
	if _, err := s.conn.ExecContext(ctx, s.q(`INSERT INTO campus_tickets (ticket_hash, session_hash, expires_at) VALUES (?, ?, ?)`),
		ticketHash, sessionHash, unix(expires)); err != nil {
		return fmt.Errorf("record ticket session: %w", err)
	}
	return nil
}

// EndTicketSession deletes the session a ticket opened and the record,
// and returns the session's user (0: no session).
func (s *DB) EndTicketSession(ctx context.Context, ticketHash string) (int64, error) {
	var userID int64
	err := s.Tx(ctx, func(st store.Store) error {
		tx := st.(*DB)
		var sessionHash string
		err := tx.conn.QueryRowContext(ctx, s.q(`SELECT session_hash FROM campus_tickets WHERE ticket_hash = ?`), ticketHash).Scan(&sessionHash)
		if err != nil {
			return notFound("ticket", "", err)
		}
		err = tx.conn.QueryRowContext(ctx, s.q(`SELECT user_id FROM sessions WHERE token_hash = ?`), sessionHash).Scan(&userID)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("session of ticket: %w", err)
		}
		if _, err := tx.conn.ExecContext(ctx, s.q(`DELETE FROM campus_tickets WHERE ticket_hash = ?`), ticketHash); err != nil {
			return fmt.Errorf("drop ticket: %w", err)
		}
		if _, err := tx.conn.ExecContext(ctx, s.q(`DELETE FROM sessions WHERE token_hash = ?`), sessionHash); err != nil {
			return fmt.Errorf("end ticket session: %w", err)
		}
		return nil
	})
	if errors.Is(err, model.ErrNotFound) {
		return 0, nil
	}
	return userID, err
}

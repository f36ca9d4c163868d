package sqlstore

import (
	"context"
	"fmt"
	"time"

	"newsdesk/internal/model"
)

// The outbox, users' mail addresses, notifications and outside approvers'
// links (migration 0014).

const mailColumns = `id, to_addr, to_name, subject, text_body, html_body, status, attempts, last_error, created_at, sent_at`

func scanMail(r scanner) (model.Mail, error) {
	var m model.Mail
	var created, sent int64
	err := r.Scan(&m.ID, &m.To, &m.ToName, &m.Subject, &m.Text, &m.HTML, &m.Status, &m.Attempts, &m.LastError, &created, &sent)
	m.CreatedAt, m.SentAt = fromUnix(created), fromUnix(sent)
	return m, err
}

// QueueMail adds a message to the outbox.
func (s *DB) QueueMail(ctx context.Context, m *model.Mail) error {
	if m.CreatedAt.IsZero() {
		m.CreatedAt = time.Now()
	}
	if m.Status == "" {
		m.Status = model.MailQueued
	}
	id, err := s.insert(ctx, `INSERT INTO mail_outbox (to_addr, to_name, subject, text_body, html_body, status, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		m.To, m.ToName, m.Subject, m.Text, m.HTML, m.Status, unix(m.CreatedAt))
	if err != nil {
		return fmt.Errorf("queue mail to %s: %w", m.To, err)
	}
	m.ID = id
	return nil
}

// Mail returns an outbox message.
func (s *DB) Mail(ctx context.Context, id int64) (model.Mail, error) {
	m, err := scanMail(s.conn.QueryRowContext(ctx, s.q(`SELECT `+mailColumns+` FROM mail_outbox WHERE id = ?`), id))
	if err != nil {
		return m, notFound("mail", id, err)
	}
	return m, nil
}

// MailList returns a page of the outbox, newest first.
func (s *DB) MailList(ctx context.Context, limit, offset int) ([]model.Mail, int, error) {
	var total int
	if err := s.conn.QueryRowContext(ctx, `SELECT COUNT(*) FROM mail_outbox`).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count outbox: %w", err)
	}
	rows, err := s.conn.QueryContext(ctx, s.q(`SELECT `+mailColumns+` FROM mail_outbox ORDER BY id DESC LIMIT ? OFFSET ?`), limit, offset)
	if err != nil {
		return nil, 0, fmt.Errorf("list outbox: %w", err)
	}
	defer rows.Close()
	var out []model.Mail
	for rows.Next() {
		m, err := scanMail(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, m)
	}
	return out, total, rows.Err()
}

// UpdateMail saves a message's outcome.
func (s *DB) UpdateMail(ctx context.Context, m *model.Mail) error {
	res, err := s.conn.ExecContext(ctx, s.q(`UPDATE mail_outbox SET status = ?, attempts = ?, last_error = ?, sent_at = ? WHERE id = ?`),
		m.Status, m.Attempts, m.LastError, unix(m.SentAt), m.ID)
	if err != nil {
		return fmt.Errorf("update mail %d: %w", m.ID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("mail %d: %w", m.ID, model.ErrNotFound)
	}
	return nil
}

// SetMailAddress sets or (empty) removes a user's address.
func (s *DB) SetMailAddress(ctx context.Context, a model.MailAddress) error {
	if _, err := s.conn.ExecContext(ctx, s.q(`DELETE FROM mail_addresses WHERE user_id = ?`), a.UserID); err != nil {
		return fmt.Errorf("mail address of user %d: %w", a.UserID, err)
	}
	if a.Email == "" {
		return nil
	}
	if _, err := s.conn.ExecContext(ctx, s.q(`INSERT INTO mail_addresses (user_id, email, lang) VALUES (?, ?, ?)`), a.UserID, a.Email, a.Lang); err != nil {
		return fmt.Errorf("mail address of user %d: %w", a.UserID, err)
	}
	return nil
}

// MailAddress returns a user's address.
func (s *DB) MailAddress(ctx context.Context, userID int64) (model.MailAddress, error) {
	a := model.MailAddress{UserID: userID}
	err := s.conn.QueryRowContext(ctx, s.q(`SELECT email, lang FROM mail_addresses WHERE user_id = ?`), userID).Scan(&a.Email, &a.Lang)
	if err != nil {
		return a, notFound("mail address of user", userID, err)
	}
	return a, nil
}

// AddNotification stores a notification unless its OnceKey is taken. The
// check and the insert are one statement, so two rounds of the overdue
// job at once still notify once.
func (s *DB) AddNotification(ctx context.Context, n *model.Notification) (bool, error) {
	if n.CreatedAt.IsZero() {
		n.CreatedAt = time.Now()
	}
	q := `INSERT INTO notifications (user_id, kind, article_id, title, detail, once_key, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`
	args := []any{n.UserID, n.Kind, n.ArticleID, n.Title, n.Detail, n.OnceKey, unix(n.CreatedAt)}
	if n.OnceKey == "" {
		id, err := s.insert(ctx, q, args...)
		if err != nil {
			return false, fmt.Errorf("notify user %d: %w", n.UserID, err)
		}
		n.ID = id
		return true, nil
	}
	res, err := s.conn.ExecContext(ctx, s.q(q+` ON CONFLICT (once_key) WHERE once_key <> '' DO NOTHING`), args...)
	if err != nil {
		return false, fmt.Errorf("notify user %d once (%s): %w", n.UserID, n.OnceKey, err)
	}
	if k, _ := res.RowsAffected(); k == 0 {
		return false, nil
	}
	err = s.conn.QueryRowContext(ctx, s.q(`SELECT id FROM notifications WHERE once_key = ?`), n.OnceKey).Scan(&n.ID)
	return err == nil, err
}

// Notifications returns a user's newest notifications and the unread count.
func (s *DB) Notifications(ctx context.Context, userID int64, limit int) ([]model.Notification, int, error) {
	var unread int
	if err := s.conn.QueryRowContext(ctx, s.q(`SELECT COUNT(*) FROM notifications WHERE user_id = ? AND read_at = 0`), userID).Scan(&unread); err != nil {
		return nil, 0, fmt.Errorf("count notifications of user %d: %w", userID, err)
	}
	if limit <= 0 {
		return nil, unread, nil
	}
	rows, err := s.conn.QueryContext(ctx, s.q(`SELECT id, user_id, kind, article_id, title, detail, once_key, created_at, read_at FROM notifications WHERE user_id = ? ORDER BY id DESC LIMIT ?`), userID, limit)
	if err != nil {
		return nil, 0, fmt.Errorf("notifications of user %d: %w", userID, err)
	}
	defer rows.Close()
	var out []model.Notification
	for rows.Next() {
		var n model.Notification
		var created, read int64
		if err := rows.Scan(&n.ID, &n.UserID, &n.Kind, &n.ArticleID, &n.Title, &n.Detail, &n.OnceKey, &created, &read); err != nil {
			return nil, 0, err
		}
		n.CreatedAt, n.ReadAt = fromUnix(created), fromUnix(read)
		out = append(out, n)
	}
	return out, unread, rows.Err()
}

// ReadNotifications marks a user's notifications up to upTo read.
func (s *DB) ReadNotifications(ctx context.Context, userID, upTo int64, at time.Time) error {
	if _, err := s.conn.ExecContext(ctx, s.q(`UPDATE notifications SET read_at = ? WHERE user_id = ? AND id <= ? AND read_at = 0`), unix(at), userID, upTo); err != nil {
		return fmt.Errorf("read notifications of user %d: %w", userID, err)
	}
	return nil
}

const approverColumns = `id, article_id, step_id, version, name, email, nonce, created_by, created_at, expires_at, used_at, revoked_at, decision, comment, ip`

func scanApproverLink(r scanner) (model.ApproverLink, error) {
	var l model.ApproverLink
	var created, expires, used, revoked int64
	err := r.Scan(&l.ID, &l.ArticleID, &l.StepID, &l.Version, &l.Name, &l.Email, &l.Nonce, &l.CreatedBy, &created, &expires, &used, &revoked, &l.Decision, &l.Comment, &l.IP)
	l.CreatedAt, l.ExpiresAt, l.UsedAt, l.RevokedAt = fromUnix(created), fromUnix(expires), fromUnix(used), fromUnix(revoked)
	return l, err
}

// CreateApproverLink stores a link.
func (s *DB) CreateApproverLink(ctx context.Context, l *model.ApproverLink) error {
	if l.CreatedAt.IsZero() {
		l.CreatedAt = time.Now()
	}
	id, err := s.insert(ctx, `INSERT INTO approver_links (article_id, step_id, version, name, email, nonce, created_by, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		l.ArticleID, l.StepID, l.Version, l.Name, l.Email, l.Nonce, l.CreatedBy, unix(l.CreatedAt), unix(l.ExpiresAt))
	if err != nil {
		return fmt.Errorf("approver link for article %d: %w", l.ArticleID, err)
	}
	l.ID = id
	return nil
}

// ApproverLink returns a link.
func (s *DB) ApproverLink(ctx context.Context, id int64) (model.ApproverLink, error) {
	l, err := scanApproverLink(s.conn.QueryRowContext(ctx, s.q(`SELECT `+approverColumns+` FROM approver_links WHERE id = ?`), id))
	if err != nil {
		return l, notFound("approver link", id, err)
	}
	return l, nil
}

// ApproverLinks lists a story's links, newest first.
func (s *DB) ApproverLinks(ctx context.Context, articleID int64) ([]model.ApproverLink, error) {
	rows, err := s.conn.QueryContext(ctx, s.q(`SELECT `+approverColumns+` FROM approver_links WHERE article_id = ? ORDER BY id DESC`), articleID)
	if err != nil {
		return nil, fmt.Errorf("approver links of article %d: %w", articleID, err)
	}
	defer rows.Close()
	var out []model.ApproverLink
	for rows.Next() {
		l, err := scanApproverLink(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, l)
	}
	return out, rows.Err()
}

// UseApproverLink records a decision once: the UPDATE's condition is the
// single-use check, so of two submits at once only one changes the row.
func (s *DB) UseApproverLink(ctx context.Context, l model.ApproverLink) (bool, error) {
	res, err := s.conn.ExecContext(ctx, s.q(`UPDATE approver_links SET used_at = ?, decision = ?, comment = ?, ip = ? WHERE id = ? AND used_at = 0 AND revoked_at = 0`),
		unix(l.UsedAt), l.Decision, l.Comment, l.IP, l.ID)
	if err != nil {
		return false, fmt.Errorf("use approver link %d: %w", l.ID, err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// RevokeApproverLink revokes an unused link.
func (s *DB) RevokeApproverLink(ctx context.Context, id int64, at time.Time) (bool, error) {
	res, err := s.conn.ExecContext(ctx, s.q(`UPDATE approver_links SET revoked_at = ? WHERE id = ? AND used_at = 0 AND revoked_at = 0`), unix(at), id)
	if err != nil {
		return false, fmt.Errorf("revoke approver link %d: %w", id, err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

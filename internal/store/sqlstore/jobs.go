package sqlstore

import (
	"context"
	"fmt"
	"time"

	"newsdesk/internal/model"
)

// givenUp is the lease of a job that will not be tried again.
const givenUp = int64(1) << 62

// EnqueueJob adds a job unless the same one waits already.
func (s *DB) EnqueueJob(ctx context.Context, kind string, ref int64, runAt time.Time) error {
	_, err := s.conn.ExecContext(ctx, s.q(`INSERT INTO jobs (kind, ref, run_at) VALUES (?, ?, ?) ON CONFLICT (kind, ref) DO NOTHING`), kind, ref, runAt.Unix())
	if err != nil {
		return fmt.Errorf("enqueue %s %d: %w", kind, ref, err)
	}
	return nil
}

// ClaimJob takes the oldest due job whose lease is free and leases it. The
// row lock (SKIP LOCKED where the database has it) keeps two processes from
// claiming the same job.
func (s *DB) ClaimJob(ctx context.Context, now time.Time, lease time.Duration) (model.Job, error) {
	var j model.Job
	err := s.tx(ctx, func(tx *txConn) error {
		err := tx.QueryRowContext(ctx, s.q(`SELECT id, kind, ref, attempts, last_error FROM jobs WHERE run_at <= ? AND locked_until <= ? ORDER BY run_at, id LIMIT 1 `+s.d.lockRows),
			now.Unix(), now.Unix()).Scan(&j.ID, &j.Kind, &j.Ref, &j.Attempts, &j.LastError)
		if err != nil {
			return notFound("due job", "", err)
		}
		j.Attempts++
		_, err = tx.ExecContext(ctx, s.q(`UPDATE jobs SET locked_until = ?, attempts = ? WHERE id = ?`), now.Add(lease).Unix(), j.Attempts, j.ID)
		return err
	})
	return j, err
}

// FinishJob deletes a done job.
func (s *DB) FinishJob(ctx context.Context, id int64) error {
	if _, err := s.conn.ExecContext(ctx, s.q(`DELETE FROM jobs WHERE id = ?`), id); err != nil {
		return fmt.Errorf("finish job %d: %w", id, err)
	}
	return nil
}

// RetryJob frees a failed job until runAt, or for good when runAt is zero.
func (s *DB) RetryJob(ctx context.Context, id int64, runAt time.Time, errText string) error {
	lock := int64(0)
	if runAt.IsZero() {
		lock = givenUp
	}
	if _, err := s.conn.ExecContext(ctx, s.q(`UPDATE jobs SET run_at = ?, locked_until = ?, last_error = ? WHERE id = ?`), unix(runAt), lock, errText, id); err != nil {
		return fmt.Errorf("retry job %d: %w", id, err)
	}
	return nil
}

// Jobs counts waiting jobs by kind.
func (s *DB) Jobs(ctx context.Context) (map[string]int, error) {
	rows, err := s.conn.QueryContext(ctx, `SELECT kind, COUNT(*) FROM jobs GROUP BY kind`)
	if err != nil {
		return nil, fmt.Errorf("count jobs: %w", err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var k string
		var n int
		if err := rows.Scan(&k, &n); err != nil {
			return nil, err
		}
		out[k] = n
	}
	return out, rows.Err()
}

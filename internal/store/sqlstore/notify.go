package sqlstore

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5/stdlib"
)

// changesChannel carries "published content changed" between the
// instances that share a PostgreSQL database, so each purges its page cache.
const changesChannel = "newsdesk_changes"

// Notify tells every instance listening on this database that content
// changed; payload names the sender. SQLite has one process and no
// channel: nothing to tell.
func (s *DB) Notify(ctx context.Context, payload string) error {
	if !s.d.notifies {
		return nil
	}
	if _, err := s.db.ExecContext(ctx, `SELECT pg_notify($1, $2)`, changesChannel, payload); err != nil {
		return fmt.Errorf("notify %s: %w", changesChannel, err)
	}
	return nil
}

// Listen calls fn with the payload of every change notified on this
// database, until ctx ends, and reports connection failures to onError.
// Each time listening (re)starts, fn gets "": notifications sent while no
// connection listened are lost, so everything must be purged. On SQLite
// it returns at once.
func (s *DB) Listen(ctx context.Context, fn func(payload string), onError func(error)) {
	if !s.d.notifies {
		return
	}
	for {
		err := s.listen(ctx, fn)
		if ctx.Err() != nil {
			return
		}
		onError(fmt.Errorf("listen on %s: %w", changesChannel, err))
		select {
		case <-ctx.Done():
			return
		case <-time.After(time.Second):
		}
	}
}

// listen holds one connection of the pool, LISTENing, until it fails.
func (s *DB) listen(ctx context.Context, fn func(string)) error {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	return conn.Raw(func(dc any) error {
		pc := dc.(*stdlib.Conn).Conn()
		if _, err := pc.Exec(ctx, `LISTEN `+changesChannel); err != nil {
			return err
		}
		fn("")
		for {
			n, err := pc.WaitForNotification(ctx)
			if err != nil {
				return err
			}
			fn(n.Payload)
		}
	})
}

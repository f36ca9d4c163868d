package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
)

// migrateLock is the PostgreSQL advisory lock key held while migrating, so
// that instances starting together apply each migration once.
const migrateLock = 7_436_210_605

// OpenPostgres opens the PostgreSQL database at dsn (a postgres:// URL or
// key=value string, as pgx reads it) and brings its schema up to date.
func OpenPostgres(ctx context.Context, dsn string) (*DB, error) {
	db, err := sql.Open(postgres.driver, dsn)
	if err != nil {
		return nil, fmt.Errorf("open postgres: %w", err)
	}
	if err := postgres.onConnect(db); err != nil {
		db.Close()
		return nil, err
	}
	s := newDB(db, postgres)
	if err := s.migrateLocked(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

// migrateLocked runs Migrate while holding the advisory lock on a
// connection of its own; other instances wait for it, then find nothing
// left to do.
func (s *DB) migrateLocked(ctx context.Context) error {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("connect to postgres: %w", err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock($1)`, migrateLock); err != nil {
		return fmt.Errorf("lock for migrations: %w", err)
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1)`, migrateLock)
	return s.Migrate(ctx)
}

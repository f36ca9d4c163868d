package sqlstore

import (
	"context"
	"database/sql"
	"sync"
)

// stmtCache keeps the pool's prepared statements by query text, so that
// a query run again is not parsed and planned again. Through the SQLite
// driver every Exec and Query otherwise prepares its statement anew:
// parsing was 11% of the CPU of a 10,000-story import, whose few queries
// each ran 10,000 times or more. PostgreSQL's driver keeps a cache of its
// own, so the cache is SQLite's (dialect.cacheStatements).
type stmtCache struct {
	db *sql.DB
	mu sync.Mutex
	m  map[string]*sql.Stmt
	// preparing are the statements prepared in the background (getInTx),
	// waited for by Close: one still running then opened a connection
	// after the pool closed, and with it SQLite's -wal and -shm files
	// again (a test's temporary folder then failed to be removed).
	preparing sync.WaitGroup
}

// maxCachedStatements bounds the cache: a query whose text varies (an IN
// list of as many placeholders as ids) would otherwise grow it without
// end. The store's fixed queries number fewer than this; past it, a new
// query runs unprepared as before.
const maxCachedStatements = 256

// get returns query's prepared statement, preparing it the first time;
// nil when the cache is off or full or the query cannot be prepared alone
// (the caller then runs it unprepared, and sees its error there).
func (c *stmtCache) get(ctx context.Context, query string) *sql.Stmt {
	st, ok := c.lookup(query)
	if !ok {
		return nil
	}
	if st != nil {
		return st
	}
	st, err := c.db.PrepareContext(ctx, query)
	c.keep(query, st, err)
	return st
}

// getInTx is get for a transaction, which holds a connection of the pool:
// preparing on the pool would wait for another one, for ever when the
// pool has no other (a test's pool of one, or every connection in a
// transaction). A query not prepared yet runs unprepared this time and is
// prepared in the background, once a connection is free.
func (c *stmtCache) getInTx(query string) *sql.Stmt {
	st, ok := c.lookup(query)
	if !ok || st != nil {
		return st
	}
	c.preparing.Go(func() {
		st, err := c.db.PrepareContext(context.Background(), query)
		c.keep(query, st, err)
	})
	return nil
}

// wait waits for the statements being prepared in the background.
func (c *stmtCache) wait() {
	if c != nil {
		c.preparing.Wait()
	}
}

// lookup returns query's statement, or ok with nil when the caller is to
// prepare it (it is marked under way meanwhile); !ok when it is not to be
// prepared (the cache is off or full, or another caller prepares it).
func (c *stmtCache) lookup(query string) (*sql.Stmt, bool) {
	if c == nil {
		return nil, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if st, ok := c.m[query]; ok {
		return st, st != nil
	}
	if len(c.m) >= maxCachedStatements {
		return nil, false
	}
	c.m[query] = nil // under way
	return nil, true
}

// keep records query's prepared statement; one that could not be
// prepared stays marked, and runs unprepared from then on.
func (c *stmtCache) keep(query string, st *sql.Stmt, err error) {
	if err != nil {
		return
	}
	c.mu.Lock()
	c.m[query] = st
	c.mu.Unlock()
}

// dbConn runs queries on the pool through the statement cache.
type dbConn struct {
	*sql.DB
	cache *stmtCache
}

func (c dbConn) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if st := c.cache.get(ctx, query); st != nil {
		return st.ExecContext(ctx, args...)
	}
	return c.DB.ExecContext(ctx, query, args...)
}

func (c dbConn) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if st := c.cache.get(ctx, query); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return c.DB.QueryContext(ctx, query, args...)
}

func (c dbConn) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	if st := c.cache.get(ctx, query); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return c.DB.QueryRowContext(ctx, query, args...)
}

// txConn is a transaction whose queries use the pool's prepared
// statements (database/sql reuses the one prepared on the transaction's
// connection).
type txConn struct {
	*sql.Tx
	cache *stmtCache
}

func (t *txConn) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if st := t.cache.getInTx(query); st != nil {
		return t.Tx.StmtContext(ctx, st).ExecContext(ctx, args...)
	}
	return t.Tx.ExecContext(ctx, query, args...)
}

func (t *txConn) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if st := t.cache.getInTx(query); st != nil {
		return t.Tx.StmtContext(ctx, st).QueryContext(ctx, args...)
	}
	return t.Tx.QueryContext(ctx, query, args...)
}

func (t *txConn) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	if st := t.cache.getInTx(query); st != nil {
		return t.Tx.StmtContext(ctx, st).QueryRowContext(ctx, args...)
	}
	return t.Tx.QueryRowContext(ctx, query, args...)
}

package sqlstore

import (
	"database/sql"
	"fmt"
	"strings"

	_ "modernc.org/sqlite" // registers the "sqlite" driver (pure Go, no cgo)
)

// dialect holds everything that differs between the SQL databases Newsdesk
// runs on. The queries in this package are written with ? placeholders and
// portable SQL (RETURNING, ON CONFLICT … DO UPDATE); rebind adapts them.
type dialect struct {
	name   string
	driver string
	// rebind rewrites ? placeholders into the database's own form.
	rebind func(query string) string
	// onConnect runs once on the opened pool.
	onConnect func(db *sql.DB) error
}

// sqlite uses modernc.org/sqlite. One writer at a time is SQLite's model, so
// the pool is limited to a single connection for writes through WAL and
// busy_timeout; readers are not blocked by the writer in WAL mode.
var sqlite = dialect{
	name:   "sqlite",
	driver: "sqlite",
	rebind: func(q string) string { return q },
	onConnect: func(db *sql.DB) error {
		// With WAL, concurrent readers are fine; writers queue on busy_timeout.
		db.SetMaxOpenConns(8)
		return nil
	},
}

// sqliteDSN turns a file path into a DSN whose pragmas are applied on every
// new connection of the pool.
func sqliteDSN(path string) string {
	pragmas := []string{
		"_pragma=busy_timeout(10000)",
		"_pragma=journal_mode(WAL)",
		"_pragma=foreign_keys(1)",
		"_pragma=synchronous(NORMAL)",
		"_txlock=immediate",
	}
	return fmt.Sprintf("file:%s?%s", path, strings.Join(pragmas, "&"))
}

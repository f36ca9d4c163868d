// Package pgtest gives tests a fresh PostgreSQL database of their own on the
// server named by NEWSDESK_TEST_POSTGRES, and skips them when it is unset.
// bash scripts/test.sh starts such a server (scripts/services/postgres.sh).
package pgtest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"newsdesk/internal/store/sqlstore"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
)

// Env names the variable holding the DSN of a server where tests may
// create databases.
const Env = "NEWSDESK_TEST_POSTGRES"

// SkipMessage says why a PostgreSQL test did not run and how to run it.
const SkipMessage = Env + " is unset: no PostgreSQL server to test against. " +
	"Run bash scripts/test.sh (it starts one), or `source scripts/services/postgres.sh` " +
	"in your shell before go test, or set " + Env + " to the DSN of a server where this role may create databases"

// ServerDSN returns the DSN in NEWSDESK_TEST_POSTGRES, skipping t when it is unset.
func ServerDSN(t testing.TB) string {
	t.Helper()
	dsn := strings.TrimSpace(os.Getenv(Env))
	if dsn == "" {
		t.Skip(SkipMessage)
	}
	return dsn
}

// DSN creates an empty database for t and returns its DSN; the database
// is dropped when t ends (after cleanups registered later, such as closing
// what was opened on it). It skips t when no server is configured.
func DSN(t testing.TB) string {
	t.Helper()
	server := ServerDSN(t)
	var b [6]byte
	if _, err := rand.Read(b[:]); err != nil {
		t.Fatal(err)
	}
	name := "newsdesk_test_" + hex.EncodeToString(b[:])
	admin, err := sql.Open("pgx", server)
	if err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	defer admin.Close()
	ctx := context.Background()
	if _, err := admin.ExecContext(ctx, `CREATE DATABASE `+name); err != nil {
		t.Fatalf("pgtest: create database on %s: %v", redact(server), err)
	}
	t.Cleanup(func() {
		admin, err := sql.Open("pgx", server)
		if err != nil {
			t.Errorf("pgtest: %v", err)
			return
		}
		defer admin.Close()
		// FORCE ends connections a test left open. A server process this
		// role may not end (autovacuum, on a server that runs it) makes the
		// drop fail for a while: try again, then leave the database, which
		// says nothing about the test itself.
		var err2 error
		for range 20 {
			if _, err2 = admin.ExecContext(context.Background(), `DROP DATABASE IF EXISTS `+name+` WITH (FORCE)`); err2 == nil {
				return
			}
			time.Sleep(500 * time.Millisecond)
		}
		t.Logf("pgtest: left database %s behind: %v", name, err2)
	})
	dsn, err := withDatabase(server, name)
	if err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	return dsn
}

// Open returns a migrated store on a fresh database for t, closed and
// dropped when t ends; it skips t when no server is configured.
func Open(t testing.TB) *sqlstore.DB {
	t.Helper()
	dsn := DSN(t)
	s, err := sqlstore.OpenPostgres(context.Background(), dsn)
	if err != nil {
		t.Fatalf("pgtest: open: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// withDatabase points a URL or key=value DSN at another database.
func withDatabase(dsn, name string) (string, error) {
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		u, err := url.Parse(dsn)
		if err != nil {
			return "", fmt.Errorf("parse %s: %w", Env, err)
		}
		u.Path = "/" + name
		u.RawPath = ""
		return u.String(), nil
	}
	return dsn + " dbname=" + name, nil
}

// redact hides the password of a URL DSN in messages.
func redact(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil || u.User == nil {
		return "the server"
	}
	return u.Redacted()
}

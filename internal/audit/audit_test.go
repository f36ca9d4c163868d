package audit_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"newsdesk/internal/audit"
	"newsdesk/internal/model"
	"newsdesk/internal/store"
	"newsdesk/internal/store/sqlstore"
	"newsdesk/internal/store/sqlstore/pgtest"
	"newsdesk/internal/table"
)

var ctx = context.Background()

// stores opens an empty store on each backend with a raw connection to
// the same database, for changing rows behind the store's back.
func stores(t *testing.T) map[string]func(t *testing.T) (store.Store, *sql.DB) {
	return map[string]func(t *testing.T) (store.Store, *sql.DB){
		"SQLite": func(t *testing.T) (store.Store, *sql.DB) {
			path := filepath.Join(t.TempDir(), "newsdesk.db")
			st, err := sqlstore.OpenSQLite(ctx, path)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { st.Close() })
			raw, err := sql.Open("sqlite", path)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { raw.Close() })
			return st, raw
		},
		"PostgreSQL": func(t *testing.T) (store.Store, *sql.DB) {
			dsn := pgtest.DSN(t)
			st, err := sqlstore.OpenPostgres(ctx, dsn)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { st.Close() })
			raw, err := sql.Open("pgx", dsn)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { raw.Close() })
			return st, raw
		},
	}
}

var t0 = time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)

func write(t *testing.T, st store.Store, n int, at time.Time) {
	t.Helper()
	for i := 0; i < n; i++ {
		e := model.AuditEntry{At: at.Add(time.Duration(i) * time.Second), Action: "save", Target: fmt.Sprintf("article %d", i), Detail: "标题 <b>&", IP: "10.0.0.1"}
		if err := st.AddAudit(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
}

func brokenAt(t *testing.T, err error) int64 {
	t.Helper()
	var b *audit.BrokenError
	if !errors.As(err, &b) {
		t.Fatalf("verify: %v, want a broken entry", err)
	}
	return b.ID
}

// The chain verifies; a row changed by hand with SQL — a detail, a time,
// a removed entry, the newest removed — is caught and named, on both
// stores. More entries than one page, so verify reads in pages.
func TestAuditChainCatchesRowsChangedByHand(t *testing.T) {
	for name, open := range stores(t) {
		t.Run(name, func(t *testing.T) {
			st, raw := open(t)
			write(t, st, 1205, t0)
			if n, err := audit.Verify(ctx, st); err != nil || n != 1205 {
				t.Fatalf("verify a sound chain: %d %v", n, err)
			}
			for _, c := range []struct {
				name, sql string
				want      int64
			}{
				{"detail changed", `UPDATE audit_log SET detail = 'nothing to see' WHERE id = 700`, 700},
				{"time changed", `UPDATE audit_log SET at = at + 3600 WHERE id = 10`, 10},
				{"entry removed", `DELETE FROM audit_log WHERE id = 5`, 6},
				{"newest removed", `DELETE FROM audit_log WHERE id = 1205`, 1205},
			} {
				var before []any
				cols := `id, at, COALESCE(user_id, 0), action, target, detail, ip, prev_hash, hash`
				rows, _ := raw.QueryContext(ctx, `SELECT `+cols+` FROM audit_log WHERE id = `+fmt.Sprint(c.want)+` OR id = 5 ORDER BY id`)
				for rows.Next() {
					row := make([]any, 9)
					ptrs := make([]any, 9)
					for i := range row {
						ptrs[i] = &row[i]
					}
					rows.Scan(ptrs...)
					before = append(before, row)
				}
				rows.Close()
				if _, err := raw.ExecContext(ctx, c.sql); err != nil {
					t.Fatal(err)
				}
				_, err := audit.Verify(ctx, st)
				if got := brokenAt(t, err); got != c.want {
					t.Errorf("%s: broken entry %d, want %d (%v)", c.name, got, c.want, err)
				}
				// Put it back for the next case.
				for _, b := range before {
					row := b.([]any)
					raw.ExecContext(ctx, `DELETE FROM audit_log WHERE id = `+fmt.Sprint(row[0]))
					uid := row[2]
					if fmt.Sprint(uid) == "0" {
						uid = nil
					}
					q := `INSERT INTO audit_log (id, at, user_id, action, target, detail, ip, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`
					if name == "SQLite" {
						q = strings.NewReplacer("$1", "?", "$2", "?", "$3", "?", "$4", "?", "$5", "?", "$6", "?", "$7", "?", "$8", "?", "$9", "?").Replace(q)
					}
					if _, err := raw.ExecContext(ctx, q, row[0], row[1], uid, row[3], row[4], row[5], row[6], row[7], row[8]); err != nil {
						t.Fatal(err)
					}
				}
				if _, err := audit.Verify(ctx, st); err != nil {
					t.Fatalf("after putting %q back: %v", c.name, err)
				}
			}
			// A forger who recomputes the changed row's hash still breaks the link to the next.
			var prev string
			raw.QueryRowContext(ctx, `SELECT prev_hash FROM audit_log WHERE id = 300`).Scan(&prev)
			forged := model.AuditEntry{ID: 300, At: t0.Add(299 * time.Second), Action: "save", Target: "article 299", Detail: "forged", IP: "10.0.0.1", PrevHash: prev}
			q := `UPDATE audit_log SET detail = 'forged', hash = '` + model.AuditHash(forged) + `' WHERE id = 300`
			if _, err := raw.ExecContext(ctx, q); err != nil {
				t.Fatal(err)
			}
			_, err := audit.Verify(ctx, st)
			if got := brokenAt(t, err); got != 301 {
				t.Errorf("a recomputed hash: broken entry %d, want 301 (%v)", got, err)
			}
		})
	}
}

// Concurrent inserts queue on the chain's head: none forks it.
func TestConcurrentAuditInsertsKeepOneChain(t *testing.T) {
	for name, open := range stores(t) {
		t.Run(name, func(t *testing.T) {
			st, _ := open(t)
			var wg sync.WaitGroup
			errs := make(chan error, 4)
			for w := 0; w < 4; w++ {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for i := 0; i < 25; i++ {
						// Inside a transaction with another write, as services do.
						err := st.Tx(ctx, func(tx store.Store) error {
							if err := tx.SetSetting(ctx, fmt.Sprintf("test.%d", w), fmt.Sprint(i)); err != nil {
								return err
							}
							return tx.AddAudit(ctx, model.AuditEntry{At: t0, Action: "settings", Target: fmt.Sprint(w)})
						})
						if err != nil {
							errs <- err
							return
						}
					}
				}()
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				t.Fatal(err)
			}
			if n, err := audit.Verify(ctx, st); err != nil || n != 100 {
				t.Fatalf("after 100 concurrent inserts: %d %v", n, err)
			}
		})
	}
}

// Purging keeps every entry younger than the retention period, refuses a
// shorter period, and leaves a chain that still verifies.
func TestPurgeKeepsEntriesYoungerThanRetention(t *testing.T) {
	for name, open := range stores(t) {
		t.Run(name, func(t *testing.T) {
			st, _ := open(t)
			now := t0
			write(t, st, 10, now.Add(-200*24*time.Hour))                // older than 180 days
			write(t, st, 5, now.Add(-audit.DefaultRetention+time.Hour)) // 179 days 23 hours old
			write(t, st, 5, now.Add(-time.Hour))
			cli := model.SystemActor("cli")
			if _, err := audit.Purge(ctx, st, cli, now, 30*24*time.Hour); !errors.Is(err, model.ErrInvalid) {
				t.Errorf("a 30-day retention: %v, want refused", err)
			}
			editor := model.Actor{User: model.User{ID: 1, Roles: []string{model.RoleEditor}}, Via: "desk"}
			if _, err := audit.Purge(ctx, st, editor, now, audit.DefaultRetention); !errors.Is(err, model.ErrForbidden) {
				t.Errorf("an editor purges: %v, want forbidden", err)
			}
			n, err := audit.Purge(ctx, st, cli, now, audit.DefaultRetention)
			if err != nil || n != 10 {
				t.Fatalf("purge: %d %v, want the 10 older entries", n, err)
			}
			es, total, _ := st.AuditSearch(ctx, store.AuditQuery{Limit: 100})
			if total != 11 || es[0].Action != "audit_purge" {
				t.Errorf("left %d entries (newest %+v), want the 10 younger and the purge's own", total, es[0])
			}
			for _, e := range es {
				if e.At.Before(now.Add(-audit.DefaultRetention)) {
					t.Errorf("an entry older than retention stayed: %+v", e)
				}
			}
			if n, err := audit.Verify(ctx, st); err != nil || n != 11 {
				t.Errorf("verify after the purge: %d %v", n, err)
			}
			// Again: nothing old is left, nothing young goes.
			if n, _ := audit.Purge(ctx, st, cli, now, audit.DefaultRetention); n != 0 {
				t.Errorf("a second purge deleted %d", n)
			}
			if _, err := audit.Verify(ctx, st); err != nil {
				t.Error(err)
			}
		})
	}
}

// Filters select by user, action, target and date; exports in CSV and
// XLSX hold the same rows, read back with a CSV reader and with excelize.
func TestAuditFiltersAndExports(t *testing.T) {
	st, err := sqlstore.OpenSQLite(ctx, filepath.Join(t.TempDir(), "db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	u := model.User{Username: "editor", Name: "李编辑", PasswordHash: "x", Roles: []string{model.RoleEditor}}
	if err := st.CreateUser(ctx, &u); err != nil {
		t.Fatal(err)
	}
	for i, e := range []model.AuditEntry{
		{At: t0, UserID: u.ID, Action: "save", Target: "article 12", Detail: "第 1 版", IP: "10.0.0.1"},
		{At: t0.Add(time.Hour), UserID: u.ID, Action: "publish", Target: "article 12", Detail: "a, \"quoted\" detail", IP: "10.0.0.1"},
		{At: t0.Add(24 * time.Hour), Action: "login_failed", Target: "user editor", IP: "203.0.113.9"},
		{At: t0.Add(48 * time.Hour), UserID: u.ID, Action: "save", Target: "Article 120", IP: "10.0.0.1"},
	} {
		if err := st.AddAudit(ctx, e); err != nil {
			t.Fatal(i, err)
		}
	}
	for _, c := range []struct {
		name string
		q    store.AuditQuery
		want int
	}{
		{"all", store.AuditQuery{}, 4},
		{"user", store.AuditQuery{UserID: u.ID}, 3},
		{"action", store.AuditQuery{Action: "save"}, 2},
		{"target, any case", store.AuditQuery{Target: "article 12"}, 3},
		{"target with a LIKE wildcard", store.AuditQuery{Target: "article_12"}, 0},
		{"date", store.AuditQuery{From: t0.Add(time.Minute), To: t0.Add(25 * time.Hour)}, 2},
		{"together", store.AuditQuery{UserID: u.ID, Action: "save", From: t0.Add(time.Hour)}, 1},
	} {
		c.q.Limit = 50
		if es, total, err := st.AuditSearch(ctx, c.q); err != nil || total != c.want || len(es) != c.want {
			t.Errorf("%s: %d entries (total %d) %v, want %d", c.name, len(es), total, err, c.want)
		}
	}
	header := []string{"编号", "时间", "操作人", "操作", "对象", "详情", "来源地址", "校验值"}
	names := map[int64]string{u.ID: u.Name}
	loc := time.FixedZone("CST", 8*3600)
	q := store.AuditQuery{Target: "article 12"}
	var csvOut, xlsxOut bytes.Buffer
	if err := audit.Export(ctx, st, model.SystemActor("cli"), q, table.CSV, header, names, loc, &csvOut); err != nil {
		t.Fatal(err)
	}
	if err := audit.Export(ctx, st, model.SystemActor("cli"), q, table.XLSX, header, names, loc, &xlsxOut); err != nil {
		t.Fatal(err)
	}
	fromCSV, err := csv.NewReader(&csvOut).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&xlsxOut)
	if err != nil {
		t.Fatal(err)
	}
	fromXLSX, err := f.GetRows("Sheet1")
	if err != nil {
		t.Fatal(err)
	}
	for name, rows := range map[string][][]string{"CSV": fromCSV, "XLSX": fromXLSX} {
		if len(rows) != 4 || rows[0][0] != "编号" {
			t.Fatalf("%s: %d rows %v, want the header and 3", name, len(rows), rows)
		}
		if got := rows[2]; got[1] != "2026-12-01 18:00:00" || got[2] != "李编辑" || got[3] != "publish" || got[5] != `a, "quoted" detail` || len(got[7]) != 64 {
			t.Errorf("%s: second entry %q", name, got)
		}
	}
	if err := audit.Export(ctx, st, model.SystemActor("cli"), q, "pdf", header, names, loc, &csvOut); !errors.Is(err, model.ErrInvalid) {
		t.Errorf("an unknown format: %v", err)
	}
}

// The database role documented in docs/deploy.md may read and append to
// the audit log but not change or delete its rows: the store works
// through it (sign-ins, changes, verify), and UPDATE, DELETE and TRUNCATE
// on audit_log are refused by PostgreSQL itself.
func TestPostgresRoleCannotChangeAuditRows(t *testing.T) {
	dsn := pgtest.DSN(t)
	owner, err := sqlstore.OpenPostgres(ctx, dsn) // the owner migrates
	if err != nil {
		t.Fatal(err)
	}
	defer owner.Close()
	write(t, owner, 3, t0)
	raw, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	var canCreateRoles bool
	raw.QueryRowContext(ctx, `SELECT rolcreaterole FROM pg_roles WHERE rolname = current_user`).Scan(&canCreateRoles)
	if !canCreateRoles {
		t.Skip("the test role may not create roles (scripts/services/postgres.sh grants CREATEROLE)")
	}
	var b [4]byte
	rand.Read(b[:])
	role, password := "newsdesk_app_"+hex.EncodeToString(b[:]), "app-"+hex.EncodeToString(b[:])
	var dbname string
	raw.QueryRowContext(ctx, `SELECT current_database()`).Scan(&dbname)
	// The statements of docs/deploy.md, "A database role that cannot change the audit log".
	for _, q := range []string{
		`CREATE ROLE ` + role + ` LOGIN PASSWORD '` + password + `'`,
		`GRANT CONNECT ON DATABASE ` + dbname + ` TO ` + role,
		`GRANT USAGE ON SCHEMA public TO ` + role,
		`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ` + role,
		`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ` + role,
		`REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM ` + role,
	} {
		if _, err := raw.ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	t.Cleanup(func() {
		raw.ExecContext(ctx, `DROP OWNED BY `+role)
		raw.ExecContext(ctx, `DROP ROLE `+role)
	})
	u, _ := url.Parse(dsn)
	u.User = url.UserPassword(role, password)
	app, err := sqlstore.OpenPostgres(ctx, u.String())
	if err != nil {
		t.Fatalf("the store opens as %s: %v", role, err)
	}
	defer app.Close()
	if err := app.AddAudit(ctx, model.AuditEntry{At: t0.Add(time.Hour), Action: "login", Target: "user editor"}); err != nil {
		t.Fatalf("appending as %s: %v", role, err)
	}
	if n, err := audit.Verify(ctx, app); err != nil || n != 4 {
		t.Fatalf("verify as %s: %d %v", role, n, err)
	}
	asApp, err := sql.Open("pgx", u.String())
	if err != nil {
		t.Fatal(err)
	}
	defer asApp.Close()
	for _, q := range []string{
		`UPDATE audit_log SET detail = 'nothing to see' WHERE id = 2`,
		`DELETE FROM audit_log WHERE id = 2`,
		`TRUNCATE audit_log`,
	} {
		_, err := asApp.ExecContext(ctx, q)
		if err == nil || !strings.Contains(err.Error(), "permission denied") {
			t.Errorf("%s as %s: %v, want permission denied", q, role, err)
		}
	}
	if _, err := app.PurgeAudit(ctx, t0.Add(24*time.Hour)); err == nil || !strings.Contains(err.Error(), "permission denied") {
		t.Errorf("purge as %s: %v, want permission denied (purging is the owner's, from the command line)", role, err)
	}
	if n, err := audit.Verify(ctx, app); err != nil || n != 4 {
		t.Errorf("after the refused changes: %d %v", n, err)
	}
}

// Entries written before the chain existed (an upgraded site) are chained
// when the store opens, and verify.
func TestEntriesFromBeforeTheChainAreChainedOnOpen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "newsdesk.db")
	st, err := sqlstore.OpenSQLite(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	write(t, st, 2, t0)
	st.Close()
	raw, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	for i := 3; i <= 5; i++ { // as the old code wrote them: no hashes
		if _, err := raw.ExecContext(ctx, `INSERT INTO audit_log (id, at, action, target) VALUES (?, ?, 'save', 'article 1')`, i, t0.Unix()+int64(i)); err != nil {
			t.Fatal(err)
		}
	}
	raw.Close()
	st, err = sqlstore.OpenSQLite(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if n, err := audit.Verify(ctx, st); err != nil || n != 5 {
		t.Fatalf("after reopening: %d %v", n, err)
	}
	write(t, st, 1, t0.Add(time.Hour))
	if n, err := audit.Verify(ctx, st); err != nil || n != 6 {
		t.Fatalf("after one more: %d %v", n, err)
	}
}

package sqlstore_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"newsdesk/internal/model"
	"newsdesk/internal/store/sqlstore"
	"newsdesk/internal/store/sqlstore/pgtest"
	"newsdesk/internal/store/storetest"
)

// Migrations 0024 and 0026 count the stories already published per day
// and per month, and their triggers keep the counts when a story is
// deleted by hand (nothing in Newsdesk deletes a story; an operator's SQL
// may). Run on both databases: the migrations are undone by hand on a
// store holding stories, then applied again by opening it.
func TestPublishedDaysBackfilledAndKeptOnDelete(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "newsdesk.db")
	for _, db := range []struct {
		name   string
		open   func(t *testing.T) (*sqlstore.DB, *sql.DB)
		reopen func(t *testing.T) *sqlstore.DB
		undo   []string
	}{
		{"sqlite", func(t *testing.T) (*sqlstore.DB, *sql.DB) {
			s, err := sqlstore.OpenSQLite(ctx, path)
			if err != nil {
				t.Fatal(err)
			}
			raw, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)")
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { raw.Close() })
			return s, raw
		}, func(t *testing.T) *sqlstore.DB {
			s, err := sqlstore.OpenSQLite(ctx, path)
			if err != nil {
				t.Fatal(err)
			}
			return s
		}, []string{`DROP TRIGGER published_days_insert`, `DROP TRIGGER published_days_update`, `DROP TRIGGER published_days_delete`,
			`DROP TABLE published_days`, `DROP TABLE published_days_zone`, `DROP TABLE published_months`, `DROP VIEW published_months_recount`,
			`DELETE FROM schema_migrations WHERE version IN (24, 26)`}},
		{"postgres", nil, nil, []string{`DROP TRIGGER published_days_keep ON articles`, `DROP FUNCTION published_days_keep`,
			`DROP TABLE published_days`, `DROP TABLE published_days_zone`, `DROP TABLE published_months`,
			`DROP FUNCTION published_months_recount`,
			`DELETE FROM schema_migrations WHERE version IN (24, 26)`}},
	} {
		t.Run(db.name, func(t *testing.T) {
			if db.name == "postgres" {
				dsn := pgtest.DSN(t)
				db.open = func(t *testing.T) (*sqlstore.DB, *sql.DB) {
					s, err := sqlstore.OpenPostgres(ctx, dsn)
					if err != nil {
						t.Fatal(err)
					}
					raw, err := sql.Open("pgx", dsn)
					if err != nil {
						t.Fatal(err)
					}
					t.Cleanup(func() { raw.Close() })
					return s, raw
				}
				db.reopen = func(t *testing.T) *sqlstore.DB {
					s, err := sqlstore.OpenPostgres(ctx, dsn)
					if err != nil {
						t.Fatal(err)
					}
					return s
				}
			}
			s, raw := db.open(t)
			a := model.Column{Slug: "a", Name: "甲"}
			b := model.Column{Slug: "b", Name: "乙"}
			for _, c := range []*model.Column{&a, &b} {
				if err := s.CreateColumn(ctx, c); err != nil {
					t.Fatal(err)
				}
			}
			day0 := time.Date(2021, 3, 1, 10, 0, 0, 0, time.UTC)
			var ids []int64
			for i, c := range []int64{a.ID, a.ID, b.ID, b.ID, a.ID} {
				x := model.Article{ColumnID: c, Title: "稿", Status: model.StatusPublished, PublishedAt: day0.Add(time.Duration(i*9) * time.Hour)}
				if err := s.CreateArticle(ctx, &x); err != nil {
					t.Fatal(err)
				}
				ids = append(ids, x.ID)
			}
			now := day0.AddDate(0, 1, 0)
			cols := []int64{a.ID, b.ID}
			s.Close()
			for _, q := range db.undo {
				if _, err := raw.ExecContext(ctx, q); err != nil {
					t.Fatalf("%s: %v", q, err)
				}
			}
			s = db.reopen(t)
			defer s.Close()
			storetest.CheckDays(t, s, cols, now, 8*3600)
			for _, id := range ids[1:3] {
				for _, q := range []string{`DELETE FROM article_versions WHERE article_id = `, `DELETE FROM articles WHERE id = `} {
					if _, err := raw.ExecContext(ctx, q+strconv.FormatInt(id, 10)); err != nil {
						t.Fatal(err)
					}
				}
			}
			storetest.CheckDays(t, s, cols, now, 8*3600)
		})
	}
}

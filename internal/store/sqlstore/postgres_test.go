package sqlstore_test

import (
	"context"
	"database/sql"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"newsdesk/internal/model"
	"newsdesk/internal/search"
	"newsdesk/internal/store"
	"newsdesk/internal/store/sqlstore"
	"newsdesk/internal/store/sqlstore/pgtest"
	"newsdesk/internal/store/storetest"
)

func TestPostgresStore(t *testing.T) {
	pgtest.ServerDSN(t)
	storetest.Run(t, func(t *testing.T) store.Store { return pgtest.Open(t) })
}

func TestPostgresMigrateTwiceIsNoOp(t *testing.T) {
	dsn := pgtest.DSN(t)
	for i := 0; i < 2; i++ {
		s, err := sqlstore.OpenPostgres(context.Background(), dsn)
		if err != nil {
			t.Fatalf("open %d: %v", i, err)
		}
		s.Close()
	}
}

// Instances starting together must not apply a migration twice.
func TestPostgresConcurrentOpensMigrateOnce(t *testing.T) {
	dsn := pgtest.DSN(t)
	errs := make(chan error, 4)
	for i := 0; i < cap(errs); i++ {
		go func() {
			s, err := sqlstore.OpenPostgres(context.Background(), dsn)
			if err == nil {
				s.Close()
			}
			errs <- err
		}()
	}
	for i := 0; i < cap(errs); i++ {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}

// The two migration sets must stay in step: the same numbered files, and
// once applied the same tables with the same columns. The search index is
// left out: FTS5 keeps it in shadow tables, PostgreSQL in tsvector columns.
func TestMigrationsInStep(t *testing.T) {
	names := func(dir string) []string {
		entries, err := os.ReadDir(filepath.Join("migrations", dir))
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, e := range entries {
			out = append(out, e.Name())
		}
		return out
	}
	lite, pg := names("sqlite"), names("postgres")
	if !slices.Equal(lite, pg) {
		t.Fatalf("migration files differ:\nsqlite:   %v\npostgres: %v", lite, pg)
	}

	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "newsdesk.db")
	ls, err := sqlstore.OpenSQLite(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	ls.Close()
	ldb, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer ldb.Close()
	liteSchema := map[string][]string{}
	tables := queryStrings(t, ldb, `SELECT name FROM sqlite_master WHERE type = 'table'
		AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'search_index%' ORDER BY name`)
	for _, tab := range tables {
		liteSchema[tab] = queryStrings(t, ldb, `SELECT name FROM pragma_table_info(?) ORDER BY name`, tab)
	}

	dsn := pgtest.DSN(t)
	ps, err := sqlstore.OpenPostgres(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	ps.Close()
	pdb, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer pdb.Close()
	pgSchema := map[string][]string{}
	tables = queryStrings(t, pdb, `SELECT table_name FROM information_schema.tables
		WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' AND table_name NOT LIKE 'search_index%' ORDER BY table_name`)
	for _, tab := range tables {
		pgSchema[tab] = queryStrings(t, pdb, `SELECT column_name FROM information_schema.columns
			WHERE table_schema = current_schema() AND table_name = $1 ORDER BY column_name`, tab)
	}

	for tab, cols := range liteSchema {
		if pcols, ok := pgSchema[tab]; !ok {
			t.Errorf("table %s is in SQLite, not in PostgreSQL", tab)
		} else if !slices.Equal(cols, pcols) {
			t.Errorf("table %s columns differ:\nsqlite:   %v\npostgres: %v", tab, cols, pcols)
		}
	}
	for tab := range pgSchema {
		if _, ok := liteSchema[tab]; !ok {
			t.Errorf("table %s is in PostgreSQL, not in SQLite", tab)
		}
	}
	if len(liteSchema) < 10 {
		t.Errorf("only %d tables found in SQLite: %v", len(liteSchema), liteSchema)
	}
}

func queryStrings(t *testing.T, db *sql.DB, query string, args ...any) []string {
	t.Helper()
	rows, err := db.Query(query, args...)
	if err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// A tsvector holds at most 1 MB of lexemes; a longer article must still
// save and be found by what it starts with, not fail its index.
func TestPostgresIndexesHugeArticle(t *testing.T) {
	s := pgtest.Open(t)
	ctx := context.Background()
	c := model.Column{Slug: "news", Name: "新闻"}
	if err := s.CreateColumn(ctx, &c); err != nil {
		t.Fatal(err)
	}
	// 250,000 characters drawn from 3,000: nearly every bigram distinct,
	// about 1.5 MB of them.
	r := rand.New(rand.NewPCG(1, 2))
	var b strings.Builder
	b.WriteString("疫情防控")
	for i := 0; i < 250_000; i++ {
		b.WriteRune(rune(0x4e00 + r.IntN(3000)))
	}
	a := model.Article{ColumnID: c.ID, Title: "长文", Body: "<p>" + b.String() + "</p>", Status: model.StatusDraft}
	if err := s.CreateArticle(ctx, &a); err != nil {
		t.Fatal(err)
	}
	if err := s.IndexArticles(ctx, map[int64]store.SearchDoc{a.ID: search.Doc(a)}); err != nil {
		t.Fatal(err)
	}
	ms, err := s.SearchMatches(ctx, store.SearchQuery{Terms: search.Parse("疫情防控")})
	if err != nil || len(ms) != 1 || ms[0].ID != a.ID {
		t.Fatalf("search in a huge article: %v, %v", ms, err)
	}
}

// Tokens are quoted in the tsquery, so characters that tsquery reads as
// operators (quotes, backslashes, & | ! : < > ( )) are neither an error nor
// an injection; those with letters in them still match.
func TestPostgresSearchOddTokens(t *testing.T) {
	s := pgtest.Open(t)
	ctx := context.Background()
	c := model.Column{Slug: "news", Name: "新闻"}
	if err := s.CreateColumn(ctx, &c); err != nil {
		t.Fatal(err)
	}
	a := model.Article{ColumnID: c.ID, Title: "odd", Status: model.StatusDraft}
	if err := s.CreateArticle(ctx, &a); err != nil {
		t.Fatal(err)
	}
	doc := store.SearchDoc{Title: `o'neil back\slash a&b x|y !not c:d <x> (p) 东岳`}
	if err := s.IndexArticles(ctx, map[int64]store.SearchDoc{a.ID: doc}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		tokens []string
		prefix bool
		found  bool
	}{
		{[]string{"o'neil"}, false, true},
		{[]string{`back\slash`}, false, true},
		{[]string{"a&b"}, false, true},
		{[]string{"x|y", "!not"}, false, true},
		{[]string{"c:d"}, false, true},
		{[]string{"(p)", "东"}, true, true},
		{[]string{"'"}, false, false},
		{[]string{`\`}, false, false},
		{[]string{"zz') | ('东岳"}, false, false}, // a phrase zz 东岳, not zz OR 东岳
		{[]string{"nothing"}, false, false},
	} {
		ms, err := s.SearchMatches(ctx, store.SearchQuery{Terms: []store.SearchTerm{{Tokens: tc.tokens, Prefix: tc.prefix}}})
		if err != nil {
			t.Errorf("%q: %v", tc.tokens, err)
			continue
		}
		if found := len(ms) == 1; found != tc.found {
			t.Errorf("%q: found %v, want %v", tc.tokens, found, tc.found)
		}
	}
}

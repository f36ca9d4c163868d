package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"newsdesk/internal/store"

	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
	moderncsqlite "modernc.org/sqlite" // registers the "sqlite" driver (pure Go, no cgo)
)

// dialect holds everything that differs between the SQL databases Newsdesk
// runs on. The queries in this package are written with ? placeholders and
// portable SQL (RETURNING, ON CONFLICT … DO UPDATE); rebind adapts them.
type dialect struct {
	name   string
	driver string
	// rebind rewrites ? placeholders into the database's own form.
	rebind func(query string) string
	// returning: INSERT … RETURNING id gives the new id. SQLite has it too,
	// but through the driver such a statement keeps the WAL from ever being
	// checkpointed (measured: 2.5 GB of WAL, a 4 KB database, after 100,000
	// inserts), so SQLite uses LastInsertId instead.
	returning bool
	// lockRows ends a SELECT that claims rows for one worker among several
	// processes ("FOR UPDATE SKIP LOCKED" where the database has it). SQLite
	// needs none: its write transactions already run one at a time.
	lockRows string
	// cacheStatements keeps prepared statements for reuse (stmtcache.go).
	cacheStatements bool
	// notifies: instances can tell each other of changes (LISTEN/NOTIFY).
	notifies bool
	// onConnect runs once on the opened pool.
	onConnect func(db *sql.DB) error
	// search returns a query for the matches of terms, with a %s for more
	// conditions on articles a, selecting id, published_at and the title's
	// length in characters, newest id first; and its arguments.
	search func(terms []store.SearchTerm, titleOnly bool) (query string, args []any)
	// index and unindex write an article's tokens.
	index   func(ctx context.Context, tx *txConn, id int64, doc store.SearchDoc) error
	unindex func(ctx context.Context, tx *txConn, id int64) error
	// greatest is the function giving the larger of two values.
	greatest string
	// monthOfDay is the yyyymm of published_days.day, as an integer.
	monthOfDay string
	// lockArticles, when set, keeps every other writer off articles until
	// the transaction ends (SQLite's writers already run one at a time).
	lockArticles string
	// indexedCount counts the indexed articles.
	indexedCount string
	// full reports whether err says the database or its disk is full.
	full func(err error) bool
}

// sqlite uses modernc.org/sqlite. One writer at a time is SQLite's model, so
// the pool is limited to a single connection for writes through WAL and
// busy_timeout; readers are not blocked by the writer in WAL mode.
var sqlite = dialect{
	name:            "sqlite",
	driver:          "sqlite",
	rebind:          func(q string) string { return q },
	cacheStatements: true,
	onConnect: func(db *sql.DB) error {
		// With WAL, concurrent readers are fine; writers queue on busy_timeout.
		db.SetMaxOpenConns(8)
		return nil
	},
	search:     sqliteSearch,
	index:      sqliteIndex,
	unindex:    sqliteUnindex,
	greatest:   "MAX",
	monthOfDay: `CAST(strftime('%Y%m', day * 86400, 'unixepoch') AS INTEGER)`,
	// FTS5 counts its rows by walking the whole index (0.6 s at 1,000,000
	// articles, at every start-up); its docsize table has one plain row
	// per indexed article.
	indexedCount: `SELECT COUNT(*) FROM search_index_docsize`,
	full: func(err error) bool {
		var se *moderncsqlite.Error
		return errors.As(err, &se) && se.Code()&0xff == 13 // SQLITE_FULL, whatever the extended code
	},
}

// sqliteSearch matches with FTS5: each term is a phrase in the title and
// body columns (or a character in the _chars columns), all terms required;
// with titleOnly, in the title columns only.
func sqliteSearch(terms []store.SearchTerm, titleOnly bool) (string, []any) {
	var parts []string
	for _, t := range terms {
		cols := "{title body}"
		switch {
		case t.Chars && titleOnly:
			cols = "title_chars"
		case t.Chars:
			cols = "{title_chars body_chars}"
		case titleOnly:
			cols = "title"
		}
		phrase := `"` + strings.Join(t.Tokens, " ") + `"`
		if t.Prefix {
			phrase += " *"
		}
		parts = append(parts, cols+" : "+phrase)
	}
	// CROSS JOIN keeps the index as the outer loop, read newest id first,
	// so the LIMIT stops it early; otherwise SQLite may walk the articles
	// and re-run the match for each (200 times slower at 5,000 articles).
	// No bm25: it counts every match of each term for its weights, 140 ms
	// for a common word at 100,000 articles.
	query := `SELECT search_index.rowid, a.published_at, LENGTH(a.title)
		FROM search_index CROSS JOIN articles a
		WHERE search_index MATCH ? AND a.id = search_index.rowid%s
		ORDER BY search_index.rowid DESC`
	return query, []any{strings.Join(parts, " AND ")}
}

func sqliteIndex(ctx context.Context, tx *txConn, id int64, doc store.SearchDoc) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO search_index (rowid, title, body, title_chars, body_chars) VALUES (?, ?, ?, ?, ?)`,
		id, doc.Title, doc.Body, doc.TitleChars, doc.BodyChars)
	return err
}

func sqliteUnindex(ctx context.Context, tx *txConn, id int64) error {
	_, err := tx.ExecContext(ctx, `DELETE FROM search_index WHERE rowid = ?`, id)
	return err
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

// postgres uses pgx through database/sql. Unlike SQLite it takes many
// writers at once, so the pool is sized for concurrent requests; several
// instances share the server, so each keeps its share small.
var postgres = dialect{
	name:      "postgres",
	driver:    "pgx",
	rebind:    dollarRebind,
	returning: true,
	lockRows:  "FOR UPDATE SKIP LOCKED",
	notifies:  true,
	onConnect: func(db *sql.DB) error {
		db.SetMaxOpenConns(20)
		db.SetMaxIdleConns(10)
		db.SetConnMaxIdleTime(5 * time.Minute)
		db.SetConnMaxLifetime(time.Hour)
		return nil
	},
	search:       postgresSearch,
	index:        postgresIndex,
	unindex:      postgresUnindex,
	greatest:     "GREATEST",
	monthOfDay:   `CAST(to_char(to_timestamp(day * 86400) AT TIME ZONE 'UTC', 'YYYYMM') AS INTEGER)`,
	lockArticles: "LOCK TABLE articles IN SHARE MODE",
	indexedCount: `SELECT COUNT(*) FROM search_index`,
	full: func(err error) bool {
		var pe *pgconn.PgError
		return errors.As(err, &pe) && pe.Code == "53100" // disk_full
	},
}

// dollarRebind numbers the ? placeholders of query as $1, $2, … leaving
// any inside quoted strings or identifiers alone.
func dollarRebind(query string) string {
	if !strings.Contains(query, "?") {
		return query
	}
	var b strings.Builder
	b.Grow(len(query) + 16)
	n := 0
	var quote byte
	for i := 0; i < len(query); i++ {
		c := query[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '\'' || c == '"':
			quote = c
		case c == '?':
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

// postgresSearch matches with tsvector columns made by
// to_tsvector('simple', …) from the same Go tokens SQLite indexes: each
// term is a phrase (tokens adjacent, in order) in the title or the body
// (or a character in the _chars columns), all terms required; with
// titleOnly, in the title columns only. Title and body are separate
// columns, as in FTS5, so a phrase never runs from one into the other.
func postgresSearch(terms []store.SearchTerm, titleOnly bool) (string, []any) {
	var conds []string
	var args []any
	for _, t := range terms {
		cols := []string{"title", "body"}
		switch {
		case t.Chars && titleOnly:
			cols = []string{"title_chars"}
		case t.Chars:
			cols = []string{"title_chars", "body_chars"}
		case titleOnly:
			cols = []string{"title"}
		}
		q := tsPhrase(t)
		if q == "" {
			conds = append(conds, "FALSE")
			continue
		}
		var or []string
		for _, c := range cols {
			or = append(or, "si."+c+" @@ to_tsquery('simple', ?)")
			args = append(args, q)
		}
		conds = append(conds, "("+strings.Join(or, " OR ")+")")
	}
	// Newest id first with the LIMIT the caller adds, like SQLite; the GIN
	// indexes find the candidates, the phrase check reads their positions.
	query := `SELECT si.article_id, a.published_at, LENGTH(a.title)
		FROM search_index si JOIN articles a ON a.id = si.article_id
		WHERE ` + strings.Join(conds, " AND ") + `%s
		ORDER BY si.article_id DESC`
	return query, args
}

// tsPhrase writes a term as tsquery text: each token quoted (so no
// character in it is read as an operator), joined by <-> (followed by),
// the last one a prefix (:*) when the term asks for it.
func tsPhrase(t store.SearchTerm) string {
	var parts []string
	for _, tok := range t.Tokens {
		if tok == "" {
			continue
		}
		tok = strings.ReplaceAll(tok, `\`, `\\`)
		tok = strings.ReplaceAll(tok, `'`, `''`)
		parts = append(parts, "'"+tok+"'")
	}
	if len(parts) == 0 {
		return ""
	}
	if t.Prefix {
		parts[len(parts)-1] += ":*"
	}
	return strings.Join(parts, " <-> ")
}

// maxTSVector bounds the size of a tsvector as PostgreSQL counts it
// (MAXSTRPOS, 1 MB, less a margin): each distinct lexeme's bytes, 2 for its
// position count and 2 for each position it keeps, 256 at most. A longer
// one is an error that would refuse the article's save, so the tokens past
// it are not indexed: that is past some 140,000 Chinese bigrams, far beyond
// the longest story. tsvector has two more limits that FTS5 has not:
// positions stop at 16,383 and a lexeme keeps only its first 256, so past
// those a phrase of several tokens may be missed (a single token is found).
const maxTSVector = 1_000_000

// fitTSText cuts space-separated tokens to those that fit in maxTSVector.
func fitTSText(tokens string) string {
	if len(tokens) <= maxTSVector/3 {
		return tokens // each token costs at most 3 times its text
	}
	seen := map[string]int{}
	size := 0
	for i := 0; i < len(tokens); {
		j := strings.IndexByte(tokens[i:], ' ')
		if j < 0 {
			j = len(tokens) - i
		}
		tok := tokens[i : i+j]
		switch n := seen[tok]; {
		case n == 0:
			size += len(tok) + 1 + 2 + 2 // lexeme, alignment, count, position
		case n < 256:
			size += 2
		}
		seen[tok]++
		if size > maxTSVector {
			return strings.TrimRight(tokens[:i], " ")
		}
		i += j + 1
	}
	return tokens
}

// postgresIndex upserts, so two instances indexing one article at once
// cannot trip over each other's insert.
func postgresIndex(ctx context.Context, tx *txConn, id int64, doc store.SearchDoc) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO search_index (article_id, title, body, title_chars, body_chars)
		VALUES ($1, to_tsvector('simple', $2), to_tsvector('simple', $3), to_tsvector('simple', $4), to_tsvector('simple', $5))
		ON CONFLICT (article_id) DO UPDATE SET title = excluded.title, body = excluded.body,
			title_chars = excluded.title_chars, body_chars = excluded.body_chars`,
		id, fitTSText(doc.Title), fitTSText(doc.Body), fitTSText(doc.TitleChars), fitTSText(doc.BodyChars))
	return err
}

func postgresUnindex(ctx context.Context, tx *txConn, id int64) error {
	_, err := tx.ExecContext(ctx, `DELETE FROM search_index WHERE article_id = $1`, id)
	return err
}

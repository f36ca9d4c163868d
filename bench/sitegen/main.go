// Command sitegen generates a large public site into a fresh SQLite data
// folder that `newsdesk serve --data DIR` opens as it is: 20 columns (10
// top-level, each with one sub-column) and N published articles of demo
// prose, dated up to now, indexed for search so start-up does not rebuild
// the index. The memory and static-export benchmarks run on it.
//
//	go run ./bench/sitegen -n 100000 -data /tmp/site100k
//
// The schema and the columns are made by the store (sqlstore.OpenSQLite,
// CreateColumn). The articles are bulk-loaded: the stories are written by
// one goroutine per core, 1,000 to a chunk, each chunk from a prose
// generator seeded by its number (so a site of N articles is always the
// same), and one writer inserts them in order through three prepared
// statements (articles, article_versions, search_index) in transactions
// of 20,000 articles, with the journal and fsync off while it loads
// (journal_mode WAL again at the end). The rows are the ones
// CreateArticle and IndexArticles write for a published story without
// pictures, review or author: the article, its first version and its
// search tokens (search.Doc). Nothing else is written — no audit entries
// or article events, as neither an import nor CreateArticle writes them.
// A load that fails leaves a database to throw away.
package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"flag"
	"fmt"
	"html"
	"log"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"strings"
	"time"

	"newsdesk/internal/demo/prose"
	"newsdesk/internal/model"
	"newsdesk/internal/search"
	"newsdesk/internal/store"
	"newsdesk/internal/store/sqlstore"
)

func main() {
	n := flag.Int("n", 100000, "articles to generate")
	data := flag.String("data", "", "data folder to create (must not hold a database yet)")
	workers := flag.Int("workers", runtime.GOMAXPROCS(0), "goroutines writing stories (the database has one writer)")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile to this file")
	flag.Parse()
	if *data == "" {
		log.Fatal("sitegen: -data is required")
	}
	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err != nil {
			log.Fatal(err)
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			log.Fatal(err)
		}
		defer pprof.StopCPUProfile()
	}
	ctx := context.Background()
	path := filepath.Join(*data, "newsdesk.db")
	if _, err := os.Stat(path); err == nil {
		log.Fatalf("sitegen: %s exists", path)
	}
	db, err := sqlstore.OpenSQLite(ctx, path)
	if err != nil {
		log.Fatal(err)
	}
	cols, err := Columns(ctx, db)
	if err != nil {
		log.Fatal(err)
	}
	if err := db.Close(); err != nil {
		log.Fatal(err)
	}
	start := time.Now()
	if err := Articles(ctx, path, cols, *n, *workers, time.Now()); err != nil {
		log.Fatal(err)
	}
	fmt.Printf("generated %d articles in %d columns in %v\n", *n, len(cols), time.Since(start).Round(time.Millisecond))
}

// Topics are the top-level columns' slugs; each gets a sub-column "<slug>-sub".
var Topics = []string{"news", "departments", "research", "lectures", "media", "culture", "students", "people", "notices", "alumni"}

// Columns creates the column tree and returns every column's id, top-level first.
func Columns(ctx context.Context, db *sqlstore.DB) ([]model.Column, error) {
	var out []model.Column
	for i, t := range Topics {
		c := model.Column{Slug: t, Name: t, Position: i}
		if err := db.CreateColumn(ctx, &c); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	for i, t := range Topics {
		c := model.Column{Slug: t + "-sub", Name: t + " sub", Position: i, ParentID: out[i].ID}
		if err := db.CreateColumn(ctx, &c); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}

const (
	chunkSize = 1000  // stories one generator writes at a time
	txSize    = 20000 // stories to a transaction
	// Stories are 17 minutes apart, closer when that would go back more
	// than 20 years (the demo prose is written for this century's dates:
	// 1,000,000 stories are 10.5 minutes apart).
	every = 17 * time.Minute
	span  = 20 * 365 * 24 * time.Hour
)

// row is one generated article with what its rows need.
type row struct {
	a       model.Article
	credits string
	doc     store.SearchDoc
}

// chunk generates stories first+0 … first+count-1 (ids first+1 …), dated
// every step from start.
func chunk(cols []model.Column, num, first, count int, start time.Time, step time.Duration) []row {
	rng := rand.New(rand.NewPCG(7, uint64(num)))
	pw := prose.New(7 + uint64(num))
	out := make([]row, 0, count)
	for i := first; i < first+count; i++ {
		c := cols[rng.IntN(len(cols))]
		at := start.Add(time.Duration(i) * step).UTC().Truncate(time.Second)
		st := pw.Story(strings.TrimSuffix(c.Slug, "-sub"), at)
		var body strings.Builder
		for _, p := range st.Paragraphs {
			body.WriteString("<p>")
			body.WriteString(html.EscapeString(p))
			body.WriteString("</p>\n")
		}
		a := model.Article{ID: int64(i + 1), ColumnID: c.ID, Kicker: st.Kicker, Title: st.Title, Subtitle: st.Subtitle, Summary: st.Summary, Body: body.String(),
			Status: model.StatusPublished, PublishedAt: at, CreatedAt: at, UpdatedAt: at, Version: 1,
			Credits: model.Credits{Writers: st.Writers, Photographers: st.Photographers, Editor: st.Editor, Unit: st.Unit}}
		credits, err := json.Marshal(a.Credits)
		if err != nil {
			panic(err) // a struct of strings always marshals
		}
		out = append(out, row{a: a, credits: string(credits), doc: search.Doc(a)})
	}
	return out
}

// Articles bulk-loads n published articles spread over cols into the
// database at path (migrated, with no articles yet), the newest at end.
func Articles(ctx context.Context, path string, cols []model.Column, n, workers int, end time.Time) error {
	// The journal and fsync are off while loading: a failed load leaves a
	// database to delete, which is what a generator may do.
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=foreign_keys(0)&_pragma=journal_mode(OFF)&_pragma=synchronous(OFF)&_pragma=cache_size(-262144)&_pragma=temp_store(MEMORY)")
	if err != nil {
		return err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	var have int
	if err := db.QueryRowContext(ctx, `SELECT COUNT(*) FROM articles`).Scan(&have); err != nil {
		return err
	}
	if have > 0 {
		return fmt.Errorf("%s already holds %d articles", path, have)
	}

	// A 64 MB pending-terms hash (default 1 MB) makes FTS5 flush and merge
	// its segments far less often; the default is set back at the end.
	if err := ftsConfig(ctx, db, "hashsize", 64<<20); err != nil {
		return err
	}
	step := every
	if time.Duration(n)*step > span {
		step = span / time.Duration(n)
	}
	start := end.Add(-time.Duration(n) * step)
	type job struct {
		num, first, count int
		out               chan []row
	}
	jobs := make(chan job)
	futures := make(chan chan []row, 2*workers)
	stop := make(chan struct{})
	defer close(stop)
	go func() {
		defer close(jobs)
		defer close(futures)
		for num, first := 0, 0; first < n; num, first = num+1, first+chunkSize {
			j := job{num: num, first: first, count: min(chunkSize, n-first), out: make(chan []row, 1)}
			select {
			case futures <- j.out:
			case <-stop:
				return
			}
			select {
			case jobs <- j:
			case <-stop:
				return
			}
		}
	}()
	for range max(workers, 1) {
		go func() {
			for j := range jobs {
				j.out <- chunk(cols, j.num, j.first, j.count, start, step)
			}
		}()
	}

	done, began := 0, time.Now()
	var tx *sql.Tx
	var insArticle, insVersion, insIndex *sql.Stmt
	commit := func() error {
		if tx == nil {
			return nil
		}
		err := tx.Commit()
		tx = nil
		return err
	}
	for out := range futures {
		rows := <-out
		if tx == nil {
			if tx, err = db.BeginTx(ctx, nil); err != nil {
				return err
			}
			if insArticle, err = tx.PrepareContext(ctx, `INSERT INTO articles (id, column_id, kicker, title, subtitle, summary, body, credits, status, published_at, created_at, updated_at, version)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`); err != nil {
				return err
			}
			if insVersion, err = tx.PrepareContext(ctx, `INSERT INTO article_versions (article_id, version, title, summary, body, saved_at) VALUES (?, ?, ?, ?, ?, ?)`); err != nil {
				return err
			}
			if insIndex, err = tx.PrepareContext(ctx, `INSERT INTO search_index (rowid, title, body, title_chars, body_chars) VALUES (?, ?, ?, ?, ?)`); err != nil {
				return err
			}
		}
		for _, r := range rows {
			a := r.a
			if _, err := insArticle.ExecContext(ctx, a.ID, a.ColumnID, a.Kicker, a.Title, a.Subtitle, a.Summary, a.Body, r.credits, a.Status,
				a.PublishedAt.Unix(), a.CreatedAt.Unix(), a.UpdatedAt.Unix(), a.Version); err != nil {
				tx.Rollback()
				return fmt.Errorf("article %d: %w", a.ID, err)
			}
			if _, err := insVersion.ExecContext(ctx, a.ID, a.Version, a.Title, a.Summary, a.Body, a.UpdatedAt.Unix()); err != nil {
				tx.Rollback()
				return fmt.Errorf("article %d version: %w", a.ID, err)
			}
			if _, err := insIndex.ExecContext(ctx, a.ID, r.doc.Title, r.doc.Body, r.doc.TitleChars, r.doc.BodyChars); err != nil {
				tx.Rollback()
				return fmt.Errorf("article %d search tokens: %w", a.ID, err)
			}
		}
		done += len(rows)
		if done%txSize == 0 || done == n {
			if err := commit(); err != nil {
				return fmt.Errorf("articles up to %d: %w", done, err)
			}
			if done%100000 == 0 || done == n {
				el := time.Since(began)
				log.Printf("sitegen: %d articles, %v, %.0f µs each", done, el.Round(time.Second), float64(el.Microseconds())/float64(done))
			}
		}
	}
	if err := commit(); err != nil {
		return err
	}
	if done != n {
		return fmt.Errorf("wrote %d articles of %d", done, n)
	}
	if err := ftsConfig(ctx, db, "hashsize", 1<<20); err != nil {
		return err
	}
	// The journal mode the server runs in. No ANALYZE: the server never
	// runs one, so its planner sees what it sees on a real site.
	if _, err := db.ExecContext(ctx, `PRAGMA journal_mode=WAL`); err != nil {
		return fmt.Errorf("journal_mode WAL: %w", err)
	}
	return nil
}

// ftsConfig sets an option of the search index (FTS5's configuration
// table keeps it).
func ftsConfig(ctx context.Context, db *sql.DB, name string, value int) error {
	if _, err := db.ExecContext(ctx, `INSERT INTO search_index (search_index, rank) VALUES (?, ?)`, name, value); err != nil {
		return fmt.Errorf("search index %s: %w", name, err)
	}
	return nil
}

// Command sitegen generates a large public site into a fresh SQLite data
// folder that `newsdesk serve --data DIR` opens as it is: 20 columns (10
// top-level, each with one sub-column) and N published articles of demo
// prose, dated up to now, indexed for search so start-up does not rebuild
// the index. The memory and static-export benchmarks run on it.
//
//	go run ./bench/sitegen -n 100000 -data /tmp/site100k
package main

import (
	"context"
	"flag"
	"fmt"
	"html"
	"log"
	"math/rand/v2"
	"os"
	"path/filepath"
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
	flag.Parse()
	if *data == "" {
		log.Fatal("sitegen: -data is required")
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
	defer db.Close()
	cols, err := Columns(ctx, db)
	if err != nil {
		log.Fatal(err)
	}
	start := time.Now()
	if err := Articles(ctx, db, cols, *n, time.Now()); err != nil {
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

// Articles writes n published articles spread over cols, the newest at
// end, 1,000 to a transaction with their search documents.
func Articles(ctx context.Context, db *sqlstore.DB, cols []model.Column, n int, end time.Time) error {
	rng := rand.New(rand.NewPCG(7, 7))
	pw := prose.New(7)
	const every = 17 * time.Minute
	first := end.Add(-time.Duration(n) * every)
	for done := 0; done < n; {
		err := db.Tx(ctx, func(tx store.Store) error {
			docs := map[int64]store.SearchDoc{}
			for ; done < n && len(docs) < 1000; done++ {
				c := cols[rng.IntN(len(cols))]
				at := first.Add(time.Duration(done) * every)
				topic := strings.TrimSuffix(c.Slug, "-sub")
				st := pw.Story(topic, at)
				var body strings.Builder
				for _, p := range st.Paragraphs {
					fmt.Fprintf(&body, "<p>%s</p>\n", html.EscapeString(p))
				}
				a := model.Article{ColumnID: c.ID, Kicker: st.Kicker, Title: st.Title, Subtitle: st.Subtitle, Summary: st.Summary, Body: body.String(),
					Status: model.StatusPublished, PublishedAt: at.UTC().Truncate(time.Second),
					Credits: model.Credits{Writers: st.Writers, Photographers: st.Photographers, Editor: st.Editor, Unit: st.Unit}}
				if err := tx.CreateArticle(ctx, &a); err != nil {
					return err
				}
				docs[a.ID] = search.Doc(a)
			}
			return tx.IndexArticles(ctx, docs)
		})
		if err != nil {
			return fmt.Errorf("articles up to %d: %w", done, err)
		}
	}
	return nil
}

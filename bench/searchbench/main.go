// Command searchbench measures Chinese search at scale: it generates N
// articles of demo prose into a fresh SQLite store, rebuilds the search
// index (timed), reports the index's size, and times one- to four-word
// public queries (p50/p95).
//
//	go run ./bench/searchbench -n 100000
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
	"slices"
	"strings"
	"time"

	"newsdesk/internal/demo/prose"
	"newsdesk/internal/model"
	"newsdesk/internal/search"
	"newsdesk/internal/store/sqlstore"
)

func main() {
	n := flag.Int("n", 100000, "articles to generate")
	queries := flag.Int("queries", 200, "queries per word count")
	dir := flag.String("db-dir", "", "folder for the database (default: a temporary one, removed after)")
	reuse := flag.Bool("reuse", false, "query the database already in -db-dir instead of generating one")
	flag.Parse()
	ctx := context.Background()
	if *dir == "" {
		d, err := os.MkdirTemp("", "searchbench-*")
		if err != nil {
			log.Fatal(err)
		}
		defer os.RemoveAll(d)
		*dir = d
	}
	path := filepath.Join(*dir, "newsdesk.db")
	db, err := sqlstore.OpenSQLite(ctx, path)
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()

	rng := rand.New(rand.NewPCG(7, 7))
	var vocabulary []string
	svc := &search.Service{Store: db}
	if *reuse {
		// Query an existing database: sample titles the way generation does.
		for id := int64(1); ; id += 97 {
			a, err := db.Article(ctx, id)
			if err != nil {
				break
			}
			vocabulary = append(vocabulary, words(a.Title)...)
		}
		fmt.Printf("reusing %s: %d words sampled\n", path, len(vocabulary))
	} else {
		topics := []string{"news", "departments", "research", "lectures", "media", "culture", "students", "people"}
		var cols []int64
		for i, t := range topics {
			c := model.Column{Slug: t, Name: t, Position: i}
			if err := db.CreateColumn(ctx, &c); err != nil {
				log.Fatal(err)
			}
			cols = append(cols, c.ID)
		}
		prose := prose.New(7)
		start := time.Now()
		// Dates end now, as on a real site: articles dated in the future are
		// hidden from readers and would only be skipped by every query.
		const every = 140 * time.Minute
		day := time.Now().Add(-time.Duration(*n) * every)
		for i := 0; i < *n; i++ {
			k := rng.IntN(len(topics))
			at := day.Add(time.Duration(i) * every)
			st := prose.Story(topics[k], at)
			var body strings.Builder
			for _, p := range st.Paragraphs {
				fmt.Fprintf(&body, "<p>%s</p>\n", html.EscapeString(p))
			}
			a := model.Article{ColumnID: cols[k], Title: st.Title, Summary: st.Summary, Body: body.String(), Status: model.StatusPublished, PublishedAt: at,
				Credits: model.Credits{Writers: st.Writers, Unit: st.Unit}}
			if err := db.CreateArticle(ctx, &a); err != nil {
				log.Fatal(err)
			}
			if i%97 == 0 { // sample words that real readers would type
				vocabulary = append(vocabulary, words(st.Title)...)
			}
		}
		fmt.Printf("generated %d articles in %v\n", *n, time.Since(start).Round(time.Millisecond))
		before := size(path)

		start = time.Now()
		indexed, err := svc.Rebuild(ctx)
		if err != nil {
			log.Fatal(err)
		}
		build := time.Since(start)
		after := size(path)
		fmt.Printf("index build: %d articles in %v (%.0f articles/s)\n", indexed, build.Round(time.Millisecond), float64(indexed)/build.Seconds())
		fmt.Printf("database: %.1f MB without the index, %.1f MB with it (index ≈ %.1f MB)\n", mb(before), mb(after), mb(after-before))
	}

	for words := 1; words <= 4; words++ {
		var lat []time.Duration
		hits := 0
		for i := 0; i < *queries; i++ {
			var q []string
			for j := 0; j < words; j++ {
				q = append(q, vocabulary[rng.IntN(len(vocabulary))])
			}
			t0 := time.Now()
			res, _, err := svc.Search(ctx, search.Query{Text: strings.Join(q, " "), Public: true, Limit: 10})
			lat = append(lat, time.Since(t0))
			if err != nil {
				log.Fatal(err)
			}
			if len(res) > 0 {
				hits++
			}
		}
		slices.Sort(lat)
		fmt.Printf("%d-word queries: p50 %v  p95 %v  max %v  (%d/%d with results)\n", words,
			lat[len(lat)/2].Round(10*time.Microsecond), lat[len(lat)*95/100].Round(10*time.Microsecond), lat[len(lat)-1].Round(10*time.Microsecond), hits, *queries)
	}
}

// words cuts a title into the two- to four-character pieces a reader types.
func words(title string) []string {
	var out []string
	rs := []rune(title)
	for i := 0; i+2 <= len(rs); i += 3 {
		w := string(rs[i:min(len(rs), i+2+i%3)])
		if len(search.Parse(w)) == 1 {
			out = append(out, w)
		}
	}
	return out
}

func size(path string) int64 {
	var total int64
	for _, p := range []string{path, path + "-wal"} {
		if fi, err := os.Stat(p); err == nil {
			total += fi.Size()
		}
	}
	return total
}

func mb(n int64) float64 { return float64(n) / (1 << 20) }

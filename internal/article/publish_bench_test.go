package article_test

import (
	"context"
	"database/sql"
	"html"
	"io"
	"log/slog"
	"net/url"
	"strings"
	"testing"
	"time"

	"newsdesk/internal/app"
	"newsdesk/internal/article"
	"newsdesk/internal/config"
	"newsdesk/internal/demo/prose"
	"newsdesk/internal/model"
	"newsdesk/internal/store"
	"newsdesk/internal/store/sqlstore/pgtest"
)

// publishBatch is how many articles one iteration creates and publishes.
const publishBatch = 1000

// BenchmarkPublish1000 is the write path of the desk: 1,000 generated
// Chinese stories, each created as a draft and then published through
// article.Service, on the store and with the hooks internal/app wires
// (sanitising, the search index, the page-cache purge and, on
// PostgreSQL, the NOTIFY to other instances). One writer, one article
// after the other, as an editor publishes. It reports articles/s.
//
//	go test -run '^$' -bench BenchmarkPublish1000 -benchtime 1x -count 3 ./internal/article
//
// The postgres sub-benchmark needs NEWSDESK_TEST_POSTGRES (source
// scripts/services/postgres.sh) and skips without it.
func BenchmarkPublish1000(b *testing.B) {
	stories := generate(publishBatch)
	b.Run("sqlite", func(b *testing.B) {
		benchPublish(b, openApp(b, "--data", b.TempDir()), stories)
	})
	b.Run("postgres", func(b *testing.B) {
		dsn := pgtest.DSN(b)
		b.Cleanup(func() { dropWithRetry(b, dsn) })
		benchPublish(b, openApp(b, "--data", b.TempDir(), "--db", dsn), stories)
	})
}

// dropWithRetry drops the benchmark's database before pgtest tries once:
// 2,000 writes wake an autovacuum worker, which belongs to the superuser,
// and DROP DATABASE … WITH (FORCE) fails while one is there; it is gone
// within a moment, so try again for up to a minute.
func dropWithRetry(b *testing.B, dsn string) {
	u, err := url.Parse(dsn)
	if err != nil {
		b.Error(err)
		return
	}
	name := strings.TrimPrefix(u.Path, "/")
	admin, err := sql.Open("pgx", pgtest.ServerDSN(b))
	if err != nil {
		b.Error(err)
		return
	}
	defer admin.Close()
	for deadline := time.Now().Add(time.Minute); ; time.Sleep(250 * time.Millisecond) {
		_, err = admin.Exec(`DROP DATABASE IF EXISTS "` + name + `" WITH (FORCE)`)
		if err == nil || time.Now().After(deadline) {
			break
		}
	}
	if err != nil {
		b.Errorf("drop database %s: %v", name, err)
	}
}

// openApp builds the application as `newsdesk serve` does, without its
// web listener and background work.
func openApp(b *testing.B, args ...string) *app.App {
	b.Helper()
	cfg, err := config.Parse("bench", args)
	if err != nil {
		b.Fatal(err)
	}
	a, err := app.Open(context.Background(), cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { a.Close() })
	return a
}

// generate makes n stories with the demo's prose generator: titles,
// summaries, 4–9 paragraphs and credits like a real news site's.
func generate(n int) []model.Article {
	p := prose.New(20261125)
	day := time.Date(2026, 11, 2, 9, 30, 0, 0, time.UTC)
	topics := []string{"news", "departments", "research", "lectures", "media", "culture", "students", "people"}
	out := make([]model.Article, n)
	for i := range out {
		st := p.Story(topics[i%len(topics)], day.Add(time.Duration(i)*37*time.Minute))
		var body strings.Builder
		for _, para := range st.Paragraphs {
			body.WriteString("<p>" + html.EscapeString(para) + "</p>\n")
		}
		out[i] = model.Article{
			Kicker: st.Kicker, Title: st.Title, Subtitle: st.Subtitle, Summary: st.Summary,
			Body: body.String(),
			Credits: model.Credits{Writers: st.Writers, Photographers: st.Photographers,
				Editor: st.Editor, Unit: st.Unit},
		}
	}
	return out
}

func benchPublish(b *testing.B, a *app.App, stories []model.Article) {
	ctx := context.Background()
	col := model.Column{Slug: "news", Name: "综合新闻"}
	if err := a.Store.CreateColumn(ctx, &col); err != nil {
		b.Fatal(err)
	}
	editor := model.User{Username: "bench.editor", Name: "编辑", Roles: []string{model.RoleEditor}}
	if err := a.Store.CreateUser(ctx, &editor); err != nil {
		b.Fatal(err)
	}
	actor := model.Actor{User: editor, IP: "127.0.0.1", Via: "bench"}
	rounds := 0
	start := time.Now()
	for b.Loop() {
		if rounds == 0 {
			start = time.Now() // b.Loop reset the timer on its first call
		}
		for _, s := range stories {
			art := s
			art.ColumnID = col.ID
			art.Status = model.StatusDraft
			if err := a.Articles.Create(ctx, actor, &art); err != nil {
				b.Fatal(err)
			}
			if _, err := a.Articles.Transition(ctx, actor, art.ID, art.Version, article.ActionPublish, "", time.Time{}); err != nil {
				b.Fatal(err)
			}
		}
		rounds++
	}
	took := time.Since(start)
	n := float64(rounds * len(stories))
	b.ReportMetric(n/took.Seconds(), "articles/s")
	b.ReportMetric(float64(took.Microseconds())/n, "us/article")
	// The articles really are there, published and found by search.
	_, total, err := a.Store.Articles(ctx, store.ArticleQuery{Status: model.StatusPublished, Limit: 1})
	if err != nil || total != rounds*len(stories) {
		b.Fatalf("%d published articles (%v), want %d", total, err, rounds*len(stories))
	}
	if indexed, err := a.Store.IndexedCount(ctx); err != nil || indexed != total {
		b.Fatalf("%d articles indexed (%v), want %d", indexed, err, total)
	}
}

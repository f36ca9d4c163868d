package app_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"newsdesk/internal/app"
	"newsdesk/internal/config"
	"newsdesk/internal/model"
	"newsdesk/internal/store/sqlstore/pgtest"
)

// instance starts one newsdesk on the shared database, as `serve` does:
// its web server and its background work.
func instance(t *testing.T, dsn string) (*app.App, *httptest.Server) {
	t.Helper()
	cfg, err := config.Parse("test", []string{"--data", t.TempDir(), "--db", dsn})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	a, err := app.Open(ctx, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(a.Web)
	done := make(chan struct{})
	go func() { a.ListenForChanges(ctx); close(done) }()
	t.Cleanup(func() { srv.Close(); cancel(); <-done; a.Close() })
	<-a.Listening()
	return a, srv
}

func body(t *testing.T, url string) string {
	t.Helper()
	res, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return string(b)
}

// TestTwoInstancesShareOneSite: two instances on one PostgreSQL database,
// as behind a load balancer. What one publishes the other shows (its page
// cache purged through LISTEN/NOTIFY), a scheduled story is published once
// though both publish due stories, a job is claimed by one of them only,
// and a session begun on one is good on the other.
func TestTwoInstancesShareOneSite(t *testing.T) {
	dsn := pgtest.DSN(t)
	a, srvA := instance(t, dsn)
	b, srvB := instance(t, dsn)
	ctx := context.Background()

	col := model.Column{Slug: "news", Name: "综合新闻"}
	if err := a.Store.CreateColumn(ctx, &col); err != nil {
		t.Fatal(err)
	}
	a.Web.Invalidate() // the column went in through the store, not a service
	system := model.SystemActor("test")
	first := model.Article{ColumnID: col.ID, Title: "第一篇：学校召开年度工作会议", Status: model.StatusPublished}
	if err := a.Articles.Import(ctx, system, &first, "test"); err != nil {
		t.Fatal(err)
	}
	// B renders and caches its home page with the first story.
	if home := body(t, srvB.URL+"/"); !strings.Contains(home, "第一篇") {
		t.Fatalf("B's home page lacks the first story")
	}
	second := model.Article{ColumnID: col.ID, Title: "第二篇：图书馆延长开放时间", Status: model.StatusPublished}
	start := time.Now()
	if err := a.Articles.Import(ctx, system, &second, "test"); err != nil {
		t.Fatal(err)
	}
	for !strings.Contains(body(t, srvB.URL+"/"), "第二篇") {
		if time.Since(start) > 10*time.Second {
			t.Fatal("B still serves its cached home page without the story A published")
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Logf("published on A, shown on B after %v", time.Since(start).Round(time.Millisecond))
	if !strings.Contains(body(t, srvA.URL+"/"), "第二篇") {
		t.Fatal("A does not show its own story")
	}

	// A scheduled story whose time has come: both instances publish due
	// stories at once; it is published once.
	due := model.Article{ColumnID: col.ID, Title: "定时发布的稿件", Status: model.StatusScheduled, PublishedAt: time.Now().Add(-time.Second).UTC().Truncate(time.Second)}
	if err := a.Store.CreateArticle(ctx, &due); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	counts := make([]int, 2)
	for i, inst := range []*app.App{a, b} {
		wg.Go(func() {
			n, err := inst.Articles.PublishDue(ctx)
			if err != nil {
				t.Error(err)
			}
			counts[i] = n
		})
	}
	wg.Wait()
	evs, err := a.Store.Events(ctx, due.ID)
	if err != nil {
		t.Fatal(err)
	}
	if counts[0]+counts[1] != 1 || len(evs) != 1 {
		t.Fatalf("published %v times by A and B, %d events: want once", counts, len(evs))
	}

	// Jobs: both instances claim as fast as they can; each job goes to one.
	const jobs = 40
	for i := 1; i <= jobs; i++ {
		if err := a.Store.EnqueueJob(ctx, model.JobVariants, int64(1000+i), time.Now()); err != nil {
			t.Fatal(err)
		}
	}
	var mu sync.Mutex
	claimed := map[int64]string{}
	for name, inst := range map[string]*app.App{"A": a, "B": b} {
		wg.Go(func() {
			for {
				j, err := inst.Store.ClaimJob(ctx, time.Now(), time.Minute)
				if err != nil {
					return // none left
				}
				mu.Lock()
				if by, twice := claimed[j.Ref]; twice {
					t.Errorf("job %d claimed by %s and %s", j.Ref, by, name)
				}
				claimed[j.Ref] = name
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if len(claimed) != jobs {
		t.Fatalf("%d of %d jobs claimed", len(claimed), jobs)
	}

	// A session begun on A is good on B.
	u := model.User{Username: "zhang.wei", Name: "张伟", Roles: []string{model.RoleEditor}}
	if err := a.Accounts.AddUser(ctx, model.SystemActor("cli"), &u, "a long enough password"); err != nil {
		t.Fatal(err)
	}
	token, _, err := a.Accounts.SignIn(ctx, model.Actor{IP: "127.0.0.1", Via: "desk"}, "zhang.wei", "a long enough password")
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest("GET", srvB.URL+"/desk/", nil)
	req.AddCookie(&http.Cookie{Name: "nd_session", Value: token})
	res, err := (&http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || !strings.Contains(string(page), "张伟") {
		t.Fatalf("B with A's session: %d", res.StatusCode)
	}
}

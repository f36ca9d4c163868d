// Command exportprof runs one full static export of a data folder (as
// `newsdesk export static` does) with a CPU and heap profile, to find
// where an export spends its time:
//
//	go run ./bench/exportprof -data /tmp/site10k -out /tmp/out10k -cpuprofile cpu.out
//	go tool pprof -top cpu.out
//
// With -publish N it then times continuous publishing (serve
// --static-out's Update after each change): N stories spread over the
// archive edited in place, one new story published and the same story
// withdrawn, each through the desk's services as an administrator (a
// working copy approved, the workflow's publish and withdraw), each
// followed by one Update, with its wall and CPU time (bench/README.md,
// "One publish at 100,000"). With -update-only the folder's export is
// taken as it is: the first Update is that of a process that never
// exported (serve restarted).
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"syscall"
	"time"

	"newsdesk/internal/app"
	"newsdesk/internal/config"
	"newsdesk/internal/model"
	"newsdesk/internal/staticsite"
	"newsdesk/internal/store"
)

func main() {
	data := flag.String("data", "", "data folder of the site")
	out := flag.String("out", "", "folder to export into")
	cpu := flag.String("cpuprofile", "", "write a CPU profile here")
	mem := flag.String("memprofile", "", "write a heap profile here at the end")
	memAt := flag.Duration("memprofile-at", 0, "write the heap profile (-memprofile) this long after the start, while the export runs, rather than at the end")
	upTo := flag.Duration("profile-for", 0, "stop the CPU profile after this long (0: at the end)")
	verbose := flag.Bool("v", false, "log each update's steps and their times (debug level)")
	updateOnly := flag.Bool("update-only", false, "skip the full export: -out holds one already (with its manifest beside it), and only the -publish changes and their updates run")
	publishNew := flag.Bool("publish-new", true, "with -publish, also publish a new story and withdraw it")
	publish := flag.Int("publish", 0, "after the export, edit this many stories in place through the desk's services, then publish a new story and withdraw it, each followed by an Update, and time them")
	sitemapLimit := flag.Int("sitemap-limit", 0, "URLs per sitemap file (0: 50,000): chosen so that the last part is full, a publish's dearest case")
	flag.Parse()
	if *data == "" || *out == "" {
		log.Fatal("exportprof: -data and -out are required")
	}
	ctx := context.Background()
	cfg := config.DefaultServe()
	cfg.Store.Data = *data
	level := slog.LevelWarn
	if *verbose {
		level = slog.LevelDebug
	}
	lg := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))
	a, err := app.Open(ctx, cfg, lg)
	if err != nil {
		log.Fatal(err)
	}
	defer a.Close()
	srv, err := a.StaticServer("", *sitemapLimit)
	if err != nil {
		log.Fatal(err)
	}
	ex := &staticsite.Exporter{Handler: srv.PublicHandler(), Reader: srv.Reader, Dir: *out, Log: lg, SitemapLimit: *sitemapLimit}
	if *cpu != "" {
		f, err := os.Create(*cpu)
		if err != nil {
			log.Fatal(err)
		}
		pprof.StartCPUProfile(f)
		if *upTo > 0 {
			time.AfterFunc(*upTo, pprof.StopCPUProfile)
		}
	}
	if *mem != "" && *memAt > 0 {
		time.AfterFunc(*memAt, func() {
			f, err := os.Create(filepath.Clean(*mem))
			if err != nil {
				log.Print(err)
				return
			}
			pprof.WriteHeapProfile(f)
			f.Close()
		})
	}
	if !*updateOnly {
		staticsite.TuneCollector() // as newsdesk export static runs
		start := time.Now()
		res, err := ex.Export(ctx)
		if *cpu != "" {
			pprof.StopCPUProfile()
		}
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%d files (%d written, %d removed), %.1f MiB in %v\n", res.Files, res.Written, res.Removed, float64(res.Bytes)/(1<<20), time.Since(start).Round(time.Millisecond))
		start = time.Now()
		if err := ex.Ready(); err != nil { // as serve --static-out does after its export
			log.Fatal(err)
		}
		fmt.Printf("ready for the first update in %v\n", time.Since(start).Round(100*time.Microsecond))
	}
	if *publish > 0 {
		if err := publishing(ctx, a, ex, *publish, *publishNew); err != nil {
			log.Fatal(err)
		}
	}
	if *updateOnly && *cpu != "" {
		pprof.StopCPUProfile()
	}
	if *mem != "" && *memAt == 0 {
		runtime.GC()
		f, err := os.Create(filepath.Clean(*mem))
		if err != nil {
			log.Fatal(err)
		}
		pprof.WriteHeapProfile(f)
		f.Close()
	}
}

// publishing edits n stories in place, publishes a new one and withdraws
// it, as an administrator through the services the desk calls (their
// change hook purges the exporter's page cache), and times the Update
// after each.
func publishing(ctx context.Context, a *app.App, ex *staticsite.Exporter, n int, publishNew bool) error {
	u, err := a.Store.UserByName(ctx, "bench-editor")
	if err != nil {
		u = model.User{Username: "bench-editor", Name: "bench", Roles: []string{model.RoleAdmin}}
		if err := a.Store.CreateUser(ctx, &u); err != nil {
			return fmt.Errorf("bench user: %w", err)
		}
	}
	actor := model.Actor{User: u, Via: "desk"}
	_, total, err := a.Store.Articles(ctx, store.ArticleQuery{Status: model.StatusPublished, PublishedBy: time.Now(), Limit: 1})
	if err != nil {
		return err
	}
	update := func(what string, since time.Time) error {
		cpu0, begun := cpuTime(), time.Now()
		res, err := ex.Update(ctx, since.Add(-2*time.Second))
		if err != nil {
			return fmt.Errorf("update after %s: %w", what, err)
		}
		fmt.Printf("%-22s %4d written %4d removed  wall %6.1f ms  cpu %6.1f ms\n", what, res.Written, res.Removed,
			float64(time.Since(begun).Microseconds())/1000, float64((cpuTime()-cpu0).Microseconds())/1000)
		return nil
	}
	for i := range n {
		// Stories spread over the archive, newest first: a deep one's list
		// pages and sitemap part are not the first.
		as, _, err := a.Store.Articles(ctx, store.ArticleQuery{Status: model.StatusPublished, PublishedBy: time.Now(), Offset: i * total / n, Limit: 1, NoTotal: true})
		if err != nil || len(as) == 0 {
			return fmt.Errorf("story %d of %d: %v", i*total/n, total, err)
		}
		since := time.Now()
		s := as[0]
		s.Title = fmt.Sprintf("%s（更正%d）", s.Title, i+1)
		if err := a.Articles.Update(ctx, actor, &s); err != nil {
			return fmt.Errorf("edit %d: %w", s.ID, err)
		}
		if _, err := a.Articles.ApproveRevision(ctx, actor, s.ID, s.Version, ""); err != nil {
			return fmt.Errorf("approve the edit of %d: %w", s.ID, err)
		}
		if err := update(fmt.Sprintf("edit %d (#%d)", s.ID, i*total/n+1), since); err != nil {
			return err
		}
	}
	if !publishNew {
		return nil
	}
	cols, err := a.Store.Columns(ctx)
	if err != nil || len(cols) == 0 {
		return fmt.Errorf("columns: %v", err)
	}
	since := time.Now()
	s := model.Article{ColumnID: cols[len(cols)-1].ID, Title: "新稿件 " + since.Format(time.RFC3339), Summary: "摘要", Body: "<p>正文</p>"}
	if err := a.Articles.Create(ctx, actor, &s); err != nil {
		return fmt.Errorf("new story: %w", err)
	}
	if s, err = a.Articles.Transition(ctx, actor, s.ID, s.Version, "publish", "", time.Time{}); err != nil {
		return fmt.Errorf("publish %d: %w", s.ID, err)
	}
	if err := update(fmt.Sprintf("publish new %d", s.ID), since); err != nil {
		return err
	}
	since = time.Now()
	if _, err := a.Articles.Transition(ctx, actor, s.ID, s.Version, "withdraw", "bench", time.Time{}); err != nil {
		return fmt.Errorf("withdraw %d: %w", s.ID, err)
	}
	return update(fmt.Sprintf("withdraw %d", s.ID), since)
}

// cpuTime is the process's user and system CPU time so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

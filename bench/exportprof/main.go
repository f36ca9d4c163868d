// Command exportprof runs one full static export of a data folder (as
// `newsdesk export static` does) with a CPU and heap profile, to find
// where an export spends its time:
//
//	go run ./bench/exportprof -data /tmp/site10k -out /tmp/out10k -cpuprofile cpu.out
//	go tool pprof -top cpu.out
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
	updateOnly := flag.Bool("update-only", false, "skip the full export: -out holds one already (with its manifest beside it), and only the -edits and their updates run")
	edit := flag.Int("edits", 0, "after the export, edit the newest article's title this many times, each followed by an Update (continuous mode's rewrite), and time them")
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
	srv, err := a.StaticServer("")
	if err != nil {
		log.Fatal(err)
	}
	ex := &staticsite.Exporter{Handler: srv.PublicHandler(), Reader: srv.Reader, Dir: *out, Log: lg}
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
		start := time.Now()
		res, err := ex.Export(ctx)
		if *cpu != "" {
			pprof.StopCPUProfile()
		}
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%d files (%d written, %d removed), %.1f MiB in %v\n", res.Files, res.Written, res.Removed, float64(res.Bytes)/(1<<20), time.Since(start).Round(time.Millisecond))
	}
	for i := range *edit {
		if err := editNewest(ctx, a, i); err != nil {
			log.Fatal(err)
		}
		// The edit went to the store directly, past the change hook that
		// purges the public site's page cache: a new server has none, else
		// the update renders the cached pages from before the edit.
		srv, err := a.StaticServer("")
		if err != nil {
			log.Fatal(err)
		}
		ex.Handler, ex.Reader = srv.PublicHandler(), srv.Reader
		begun := time.Now()
		res, err := ex.Update(ctx, begun.Add(-2*time.Second))
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("update %d: %d files written, %d removed, in %v\n", i+1, res.Written, res.Removed, time.Since(begun).Round(time.Millisecond))
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

// editNewest changes the newest published article's title in the store,
// as an approved correction would (the bench has no desk user to go
// through the workflow with; the export reads the store either way).
func editNewest(ctx context.Context, a *app.App, i int) error {
	as, _, err := a.Store.Articles(ctx, store.ArticleQuery{Status: model.StatusPublished, PublishedBy: time.Now(), Limit: 1, NoTotal: true})
	if err != nil || len(as) == 0 {
		return fmt.Errorf("newest article: %v", err)
	}
	n := as[0]
	n.Title = fmt.Sprintf("%s（更正%d）", n.Title, i+1)
	n.UpdatedAt = time.Now().UTC().Truncate(time.Second)
	return a.Store.UpdateArticle(ctx, &n)
}

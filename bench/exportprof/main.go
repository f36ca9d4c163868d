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
	"newsdesk/internal/staticsite"
)

func main() {
	data := flag.String("data", "", "data folder of the site")
	out := flag.String("out", "", "folder to export into")
	cpu := flag.String("cpuprofile", "", "write a CPU profile here")
	mem := flag.String("memprofile", "", "write a heap profile here at the end")
	upTo := flag.Duration("profile-for", 0, "stop the CPU profile after this long (0: at the end)")
	flag.Parse()
	if *data == "" || *out == "" {
		log.Fatal("exportprof: -data and -out are required")
	}
	ctx := context.Background()
	cfg := config.DefaultServe()
	cfg.Store.Data = *data
	lg := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
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
	start := time.Now()
	res, err := ex.Export(ctx)
	if *cpu != "" {
		pprof.StopCPUProfile()
	}
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%d files (%d written, %d removed), %.1f MiB in %v\n", res.Files, res.Written, res.Removed, float64(res.Bytes)/(1<<20), time.Since(start).Round(time.Millisecond))
	if *mem != "" {
		runtime.GC()
		f, err := os.Create(filepath.Clean(*mem))
		if err != nil {
			log.Fatal(err)
		}
		pprof.WriteHeapProfile(f)
		f.Close()
	}
}

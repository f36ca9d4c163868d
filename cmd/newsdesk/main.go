// Command newsdesk runs the Newsdesk newsroom publishing system.
//
//	newsdesk serve [--addr 127.0.0.1:8080] [--data ./data] [--demo]
//	newsdesk demo  [--data ./data]     fill an empty site with demo content
//	newsdesk migrate [--data ./data]   create or update the database
//	newsdesk reindex [--data ./data]   rebuild the search index
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"
	_ "time/tzdata" // the site time zone works on machines without tzdata

	"newsdesk/internal/app"
	"newsdesk/internal/config"
	"newsdesk/internal/demo"
	"newsdesk/internal/web"
)

const usage = `usage: newsdesk <command> [flags]

commands:
  serve     serve the site (creates and migrates the database under --data)
  demo      fill an empty site with demo content and exit
  migrate   create or update the database and exit
  reindex   rebuild the search index and exit

Run "newsdesk <command> --help" for the flags; every flag is also an
environment variable NEWSDESK_<FLAG>.`

func main() {
	if len(os.Args) < 2 || os.Args[1] == "-h" || os.Args[1] == "--help" || os.Args[1] == "help" {
		fmt.Fprintln(os.Stderr, usage)
		os.Exit(2)
	}
	cmd := os.Args[1]
	switch cmd {
	case "serve", "demo", "migrate", "reindex":
	default:
		fmt.Fprintf(os.Stderr, "newsdesk: unknown command %q\n\n%s\n", cmd, usage)
		os.Exit(2)
	}
	cfg, err := config.Parse(cmd, os.Args[2:])
	if errors.Is(err, flag.ErrHelp) {
		os.Exit(0)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "newsdesk:", err)
		os.Exit(2)
	}
	var level slog.Level
	level.UnmarshalText([]byte(cfg.LogLevel))
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, cmd, cfg, log); err != nil {
		log.Error("newsdesk failed", "command", cmd, "err", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, cmd string, cfg config.Config, log *slog.Logger) error {
	a, err := app.Open(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer a.Close()
	switch cmd {
	case "migrate":
		return nil
	case "reindex":
		start := time.Now()
		n, err := a.Search.Rebuild(ctx)
		if err == nil {
			log.Info("search index rebuilt", "articles", n, "took", time.Since(start).Round(time.Millisecond))
		}
		return err
	}
	if cmd == "demo" || cfg.Demo {
		if err := a.LoadDemo(ctx, demo.Options{}); err != nil {
			return fmt.Errorf("demo content: %w", err)
		}
	}
	if cmd == "demo" {
		return nil
	}
	go a.Views.Run(ctx, 2*time.Second)
	var h http.Handler = a.Web
	if cfg.AccessLogs {
		h = web.AccessLog(h, log)
	}
	return web.Run(ctx, cfg.Addr, h, log)
}

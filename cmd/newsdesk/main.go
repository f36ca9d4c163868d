// Command newsdesk runs the Newsdesk newsroom publishing system.
//
//	newsdesk serve [--addr 127.0.0.1:8080] [--data ./data] [--demo]
//	newsdesk demo  [--data ./data]     fill an empty site with demo content
//	newsdesk migrate [--data ./data]   create or update the database
//	newsdesk reindex [--data ./data]   rebuild the search index
//	newsdesk copy --from SRC --to DST  copy a whole site into an empty one
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net/http"
	"newsdesk/internal/i18n"
	"newsdesk/internal/store"
	"os"
	"os/signal"
	"strings"
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
  user add  create a desk user: --name USERNAME --role ROLE[,ROLE] [--unit 单位]
            [--display-name 姓名]; the password is read from standard input
            (or NEWSDESK_PASSWORD)
  copy      copy a whole site into an empty one and check the copy:
            --from SRC --to DST [--from-media M] [--to-media M], each side
            sqlite:DIR or postgres://…, media s3://BUCKET/PREFIX or a folder

Run "newsdesk <command> --help" for the flags; every flag is also an
environment variable NEWSDESK_<FLAG>.`

func main() {
	if len(os.Args) < 2 || os.Args[1] == "-h" || os.Args[1] == "--help" || os.Args[1] == "help" {
		fmt.Fprintln(os.Stderr, usage)
		os.Exit(2)
	}
	cmd, args := os.Args[1], os.Args[2:]
	if cmd == "user" && len(args) > 0 && args[0] == "add" {
		cmd, args = "user add", args[1:]
	}
	switch cmd {
	case "serve", "demo", "migrate", "reindex", "user add", "copy":
	default:
		fmt.Fprintf(os.Stderr, "newsdesk: unknown command %q\n\n%s\n", cmd, usage)
		os.Exit(2)
	}
	cfg, err := config.Parse(cmd, args)
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
	if cmd == "copy" {
		return copySite(ctx, cfg, log)
	}
	a, err := app.Open(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer a.Close()
	switch cmd {
	case "migrate":
		return nil
	case "user add":
		return addUser(ctx, a, cfg.NewUser)
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
	// The jobs stop with the server, also when it cannot start (port taken).
	jobsCtx, stopJobs := context.WithCancel(ctx)
	jobs := make(chan struct{})
	go func() { a.RunJobs(jobsCtx); close(jobs) }()
	var h http.Handler = a.Web
	if cfg.AccessLogs {
		h = web.AccessLog(h, log)
	}
	err = web.Run(ctx, cfg.Addr, h, log)
	stopJobs()
	<-jobs // a job under way finishes before the store closes
	return err
}

// copySite copies a whole site and prints what it checked; a copy that
// does not match its source is an error.
func copySite(ctx context.Context, cfg config.Config, log *slog.Logger) error {
	r, err := app.CopySite(ctx, cfg.Copy, cfg.S3, log)
	if len(r.Tables) > 0 {
		r.Write(os.Stdout)
	}
	return err
}

// addUser creates a desk user, reading the password from NEWSDESK_PASSWORD
// or the first line of standard input.
func addUser(ctx context.Context, a *app.App, nu config.NewUser) error {
	password, ok := os.LookupEnv("NEWSDESK_PASSWORD")
	if !ok {
		fmt.Fprint(os.Stderr, "password: ")
		line, err := bufio.NewReader(os.Stdin).ReadString('\n')
		if err != nil && line == "" {
			return fmt.Errorf("read the password from standard input: %w", err)
		}
		password = strings.TrimRight(line, "\r\n")
	}
	u := store.User{Username: nu.Username, Name: nu.DisplayName, Roles: nu.Roles}
	if nu.Unit != "" {
		id, err := a.Accounts.UnitID(ctx, nu.Unit)
		if err != nil {
			return err
		}
		u.UnitID = id
	}
	if err := a.Accounts.AddUser(ctx, &u, password); err != nil {
		var ie *store.InvalidError
		if cat, cerr := i18n.Load(); cerr == nil && errors.As(err, &ie) {
			// Say what is wrong in the operator's language (LANG), Chinese first.
			lang := cat.Pick("", strings.ReplaceAll(strings.Split(os.Getenv("LANG"), ".")[0], "_", "-"))
			return errors.New(cat.T(lang, "invalid."+ie.Code, ie.Args...))
		}
		return err
	}
	a.Log.Info("user added", "username", u.Username, "roles", strings.Join(u.Roles, ","), "unit", nu.Unit)
	return nil
}

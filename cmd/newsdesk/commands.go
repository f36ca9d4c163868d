package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"runtime/debug"
	"strings"
	"time"

	"newsdesk/internal/account"
	"newsdesk/internal/app"
	"newsdesk/internal/audit"
	"newsdesk/internal/config"
	"newsdesk/internal/demo"
	"newsdesk/internal/media"
	"newsdesk/internal/model"
	"newsdesk/internal/search"
	"newsdesk/internal/sitecopy"
	"newsdesk/internal/web"
)

// command is one subcommand. Adding one is one entry in commands: its
// flags are a config.XFlags function (config holds the struct, defaults
// and checks), its work a function of what they hold.
type command struct {
	name    string // its words: "serve", "user add"
	summary string // catalogue key of its one-line description
	// define defines the command's flags on fs and returns what runs it
	// once they are parsed.
	define func(fs *config.FlagSet) func(context.Context, *cli) error
}

// newCommand ties a subcommand's flags to the function that runs it.
func newCommand[C any](name, summary string, flags func(*config.FlagSet) *C, run func(context.Context, *cli, *C) error) command {
	return command{name: name, summary: summary, define: func(fs *config.FlagSet) func(context.Context, *cli) error {
		cfg := flags(fs)
		return func(ctx context.Context, c *cli) error { return run(ctx, c, cfg) }
	}}
}

// commands are the subcommands, in the order help lists them.
var commands = []command{
	newCommand("serve", "cli.cmd.serve", config.ServeFlags, serve),
	newCommand("demo", "cli.cmd.demo", config.DemoFlags, loadDemo),
	newCommand("migrate", "cli.cmd.migrate", config.MigrateFlags, migrate),
	newCommand("reindex", "cli.cmd.reindex", config.ReindexFlags, reindex),
	newCommand("user add", "cli.cmd.user_add", config.UserAddFlags, addUser),
	newCommand("token add", "cli.cmd.token_add", config.TokenAddFlags, addToken),
	newCommand("copy", "cli.cmd.copy", config.CopyFlags, copySite),
	newCommand("import wxr", "cli.cmd.import_wxr", config.ImportWXRFlags, importWXR),
	newCommand("import feed", "cli.cmd.import_feed", config.ImportFeedFlags, importFeed),
	newCommand("import crawl", "cli.cmd.import_crawl", config.ImportCrawlFlags, importCrawl),
	newCommand("export wxr", "cli.cmd.export_wxr", config.ExportWXRFlags, exportWXR),
	newCommand("export site", "cli.cmd.export_site", config.SiteExportFlags, exportSite),
	newCommand("import site", "cli.cmd.import_site", config.SiteImportFlags, importSite),
	newCommand("export static", "cli.cmd.export_static", config.StaticExportFlags, exportStatic),
	newCommand("static verify", "cli.cmd.static_verify", config.StaticVerifyFlags, staticVerify),
	newCommand("check", "cli.cmd.check", config.CheckFlags, checkFiles),
	newCommand("selfcheck", "cli.cmd.selfcheck", config.SelfcheckFlags, selfcheck),
	newCommand("audit verify", "cli.cmd.audit_verify", config.AuditVerifyFlags, auditVerify),
	newCommand("audit purge", "cli.cmd.audit_purge", config.AuditPurgeFlags, auditPurge),
}

// auditVerify checks the audit log's hash chain; a broken chain is an
// error naming the first broken entry.
func auditVerify(ctx context.Context, c *cli, cfg *config.Audit) error {
	db, err := app.OpenStore(ctx, cfg.Store)
	if err != nil {
		return err
	}
	defer db.Close()
	n, err := audit.Verify(ctx, db)
	var broken *audit.BrokenError
	if errors.As(err, &broken) {
		return &config.Error{Key: "cli.audit_broken", Args: []any{broken.ID, n, broken.Reason}}
	}
	if err != nil {
		return err
	}
	fmt.Fprintln(c.stdout, c.t("cli.audit_verified", n))
	return nil
}

// auditPurge deletes the audit entries older than the retention period.
func auditPurge(ctx context.Context, c *cli, cfg *config.Audit) error {
	db, err := app.OpenStore(ctx, cfg.Store)
	if err != nil {
		return err
	}
	defer db.Close()
	n, err := audit.Purge(ctx, db, model.SystemActor("cli"), time.Now(), time.Duration(cfg.RetentionDays)*24*time.Hour)
	if err != nil {
		return err
	}
	fmt.Fprintln(c.stdout, c.t("cli.audit_purged", n, cfg.RetentionDays))
	return nil
}

// serve runs the site until ctx ends, with the background jobs.
func serve(ctx context.Context, c *cli, cfg *config.Serve) error {
	log := c.logger(cfg.LogLevel)
	if cfg.MemoryLimitMB > 0 {
		debug.SetMemoryLimit(int64(cfg.MemoryLimitMB) << 20)
	}
	keepHeadroom(gcHeadroom)
	cfg.SearchLater = true
	a, err := app.Open(ctx, *cfg, log)
	if err != nil {
		return err
	}
	defer a.Close()
	if cfg.Demo {
		if err := a.LoadDemo(ctx, demo.Options{}); err != nil {
			return fmt.Errorf("demo content: %w", err)
		}
	}
	// The search index's check walks it whole: done while the site is
	// already served (searches miss what a rebuild has not reached yet).
	searchCtx, stopSearch := context.WithCancel(ctx)
	searched := make(chan struct{})
	go func() {
		defer close(searched)
		if err := a.Search.Ensure(searchCtx); err != nil && searchCtx.Err() == nil {
			log.Error("search index", "err", err)
		}
	}()
	defer func() { stopSearch(); <-searched }() // before the store closes
	// The jobs stop with the server, also when it cannot start (port taken).
	jobsCtx, stopJobs := context.WithCancel(ctx)
	jobs := make(chan struct{})
	go func() { a.RunJobs(jobsCtx); close(jobs) }()
	if cfg.StaticOut != "" {
		pub, err := publisher(ctx, a, *cfg, log)
		if err != nil {
			stopJobs()
			<-jobs
			return err
		}
		published := make(chan struct{})
		go func() {
			if err := pub.Run(jobsCtx); err != nil {
				log.Error("static copy", "err", err)
			}
			close(published)
		}()
		defer func() { <-published }()
	}
	err = a.Serve(ctx, app.ServeOptions{Addr: cfg.Addr, DeskAddr: cfg.DeskAddr, DeskAllow: cfg.DeskAllow, MetricsToken: cfg.MetricsToken,
		AccessLog: cfg.AccessLogs, Limits: web.Limits{ReadTimeout: cfg.ReadTimeout, WriteTimeout: cfg.WriteTimeout,
			UploadTimeout: cfg.UploadTimeout, MediaTimeout: cfg.MediaTimeout, MaxConns: cfg.MaxConns}})
	stopJobs()
	<-jobs // a job under way finishes before the store closes
	log.Info("stopped")
	return err
}

// loadDemo fills an empty site with the demo content.
func loadDemo(ctx context.Context, c *cli, cfg *config.Demo) error {
	s := config.DefaultServe()
	s.Store, s.Files, s.LogLevel = cfg.Store, cfg.Files, cfg.LogLevel
	a, err := app.Open(ctx, s, c.logger(cfg.LogLevel))
	if err != nil {
		return err
	}
	defer a.Close()
	if err := a.LoadDemo(ctx, demo.Options{}); err != nil {
		return fmt.Errorf("demo content: %w", err)
	}
	return nil
}

// migrate creates or updates the database: opening it does.
func migrate(ctx context.Context, c *cli, cfg *config.Migrate) error {
	db, err := app.OpenStore(ctx, cfg.Store)
	if err != nil {
		return err
	}
	if err := db.Close(); err != nil {
		return err
	}
	fmt.Fprintln(c.stdout, c.t("cli.migrated"))
	return nil
}

// reindex rebuilds the search index from the articles.
func reindex(ctx context.Context, c *cli, cfg *config.Reindex) error {
	db, err := app.OpenStore(ctx, cfg.Store)
	if err != nil {
		return err
	}
	defer db.Close()
	start := time.Now()
	n, err := (&search.Service{Store: db, Log: c.logger(cfg.LogLevel)}).Rebuild(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintln(c.stdout, c.t("cli.reindexed", n, time.Since(start).Round(time.Millisecond)))
	return nil
}

// addUser creates a desk user, with the password from NEWSDESK_PASSWORD or
// the first line of standard input.
func addUser(ctx context.Context, c *cli, cfg *config.UserAdd) error {
	password := cfg.Password
	if password == "" {
		fmt.Fprint(c.stderr, c.t("cli.password_prompt"))
		line, err := bufio.NewReader(c.stdin).ReadString('\n')
		if err != nil && line == "" {
			return &config.Error{Key: "cli.no_password"}
		}
		password = strings.TrimRight(line, "\r\n")
	}
	db, err := app.OpenStore(ctx, cfg.Store)
	if err != nil {
		return err
	}
	defer db.Close()
	accounts := account.New(db)
	u := model.User{Username: cfg.Username, Name: cfg.DisplayName, Roles: cfg.Roles}
	if cfg.Unit != "" {
		if u.UnitID, err = accounts.UnitID(ctx, model.SystemActor("cli"), cfg.Unit); err != nil {
			return err
		}
	}
	if err := accounts.AddUser(ctx, model.SystemActor("cli"), &u, password); err != nil {
		return err
	}
	fmt.Fprintln(c.stdout, c.t("cli.user_added", u.Username, strings.Join(u.Roles, ",")))
	return nil
}

// addToken makes a personal API token for a user and prints it, once, on
// standard output alone (TOKEN=$(newsdesk token add …)); the note that it
// will not be shown again goes to standard error.
func addToken(ctx context.Context, c *cli, cfg *config.TokenAdd) error {
	db, err := app.OpenStore(ctx, cfg.Store)
	if err != nil {
		return err
	}
	defer db.Close()
	accounts := account.New(db)
	u, err := db.UserByName(ctx, strings.ToLower(strings.TrimSpace(cfg.Username)))
	if err != nil {
		return fmt.Errorf("user %s: %w", cfg.Username, err)
	}
	secret, t, err := accounts.CreateToken(ctx, model.SystemActor("cli"), u.ID, cfg.Name)
	if err != nil {
		return err
	}
	fmt.Fprintln(c.stdout, secret)
	fmt.Fprintln(c.stderr, c.t("cli.token_added", t.Name, u.Username))
	return nil
}

// copySite copies a whole site and prints what it checked; a copy that
// does not match its source is an error.
func copySite(ctx context.Context, c *cli, cfg *config.Copy) error {
	r, err := sitecopy.Copy(ctx, sitecopy.Options{
		From: cfg.From, To: cfg.To, FromMedia: cfg.FromMedia, ToMedia: cfg.ToMedia,
		SkipSessions: cfg.SkipSessions, S3: media.S3Server(cfg.S3),
	}, c.logger(cfg.LogLevel))
	if len(r.Tables) > 0 {
		r.Write(c.stdout)
	}
	return err
}

package main

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"newsdesk/internal/app"
	"newsdesk/internal/config"
	"newsdesk/internal/model"
	"newsdesk/internal/staticsite"
)

// openStatic opens the site and the exporter of its public pages into cfg.Out.
func openStatic(ctx context.Context, c *cli, cfg config.StaticExport) (*app.App, *staticsite.Exporter, error) {
	s := config.DefaultServe()
	s.Store, s.Files, s.LogLevel, s.BaseURL = cfg.Store, cfg.Files, cfg.LogLevel, cfg.BaseURL
	log := c.logger(cfg.LogLevel)
	a, err := app.Open(ctx, s, log)
	if err != nil {
		return nil, nil, err
	}
	srv, err := a.StaticServer(cfg.SearchURL)
	if err != nil {
		a.Close()
		return nil, nil, err
	}
	return a, &staticsite.Exporter{Handler: srv.PublicHandler(), Reader: srv.Reader, Dir: cfg.Out, Manifest: cfg.Manifest, Log: log}, nil
}

// publisher keeps cfg.StaticOut a static copy of the site while it serves.
func publisher(a *app.App, cfg config.Serve, log *slog.Logger) (*staticsite.Publisher, error) {
	srv, err := a.StaticServer(cfg.SearchURL)
	if err != nil {
		return nil, err
	}
	pub := &staticsite.Publisher{Exporter: &staticsite.Exporter{Handler: srv.PublicHandler(), Reader: srv.Reader, Dir: cfg.StaticOut, Log: log},
		Log: log, Watch: cfg.StaticWatch, CheckEvery: cfg.StaticCheck, Store: a.Store}
	a.OnChange(pub.Changed)
	return pub, nil
}

// exportStatic writes the public site into a folder for a static web server.
func exportStatic(ctx context.Context, c *cli, cfg *config.StaticExport) error {
	a, ex, err := openStatic(ctx, c, *cfg)
	if err != nil {
		return err
	}
	defer a.Close()
	start := time.Now()
	res, err := ex.Export(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintln(c.stdout, c.t("cli.static_exported", res.Files, cfg.Out, res.Written, res.Removed, float64(res.Bytes)/(1<<20), time.Since(start).Seconds()))
	return nil
}

// staticVerify checks an exported folder against its manifest and, when
// asked, restores it; anything wrong is audited and makes it fail.
func staticVerify(ctx context.Context, c *cli, cfg *config.StaticVerify) error {
	a, ex, err := openStatic(ctx, c, cfg.StaticExport)
	if err != nil {
		return err
	}
	defer a.Close()
	r, err := ex.Check(ctx, a.Store, model.SystemActor("cli"), cfg.Restore)
	if err != nil {
		return err
	}
	for _, l := range []struct {
		key   string
		files []string
	}{{"cli.static_changed", r.Changed}, {"cli.static_added", r.Added}, {"cli.static_missing", r.Missing}} {
		for _, f := range l.files {
			fmt.Fprintln(c.stdout, c.t(l.key, f))
		}
	}
	if r.Wrong() {
		return &config.Error{Key: "cli.static_wrong", Args: []any{len(r.Changed), len(r.Added), len(r.Missing), r.Restored}}
	}
	fmt.Fprintln(c.stdout, c.t("cli.static_verified", r.Checked))
	return nil
}

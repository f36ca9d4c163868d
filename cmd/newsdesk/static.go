package main

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"newsdesk/internal/app"
	"newsdesk/internal/config"
	"newsdesk/internal/media"
	"newsdesk/internal/model"
	"newsdesk/internal/staticsite"
)

// openStatic opens the site and the exporter of its public pages into cfg.Out.
func openStatic(ctx context.Context, c *cli, cfg config.StaticExport, tune func(*config.Serve)) (*app.App, *staticsite.Exporter, error) {
	s := config.DefaultServe()
	s.Store, s.Files, s.LogLevel, s.BaseURL = cfg.Store, cfg.Files, cfg.LogLevel, cfg.BaseURL
	if tune != nil {
		tune(&s)
	}
	log := c.logger(cfg.LogLevel)
	hash, err := staticsite.ParseHash(cfg.Hash) // checked by config
	if err != nil {
		return nil, nil, err
	}
	a, err := app.Open(ctx, s, log)
	if err != nil {
		return nil, nil, err
	}
	srv, err := a.StaticServer(cfg.SearchURL, 0)
	if err != nil {
		a.Close()
		return nil, nil, err
	}
	return a, &staticsite.Exporter{Handler: srv.PublicHandler(), Reader: srv.Reader, Dir: cfg.Out, Manifest: cfg.Manifest, Hash: hash, Log: log}, nil
}

// alerts is who hears of a tampered folder, beyond the log and the audit.
func alerts(a *app.App, cfg config.StaticAlert) *staticsite.Alerts {
	if cfg.Webhook == "" && cfg.Mail == "" {
		return nil
	}
	return &staticsite.Alerts{Mail: a.Mail, MailTo: cfg.Mail, Webhook: cfg.Webhook != "", Queued: a.Jobs.Wake}
}

// publisher keeps cfg.StaticOut a static copy of the site while it serves.
func publisher(ctx context.Context, a *app.App, cfg config.Serve, log *slog.Logger) (*staticsite.Publisher, error) {
	srv, err := a.StaticServer(cfg.SearchURL, 0)
	if err != nil {
		return nil, err
	}
	hash, err := staticsite.ParseHash(cfg.StaticHash) // checked by config
	if err != nil {
		return nil, err
	}
	pub := &staticsite.Publisher{Exporter: &staticsite.Exporter{Handler: srv.PublicHandler(), Reader: srv.Reader, Dir: cfg.StaticOut, Hash: hash,
		Alerts: alerts(a, cfg.StaticAlert), Log: log},
		Log: log, Watch: cfg.StaticWatch, CheckEvery: cfg.StaticCheck, Store: a.Store, Redirects: a.Store}
	if cfg.StaticBucket != "" {
		if pub.Bucket, err = openBucket(ctx, cfg.StaticBucket, cfg.Files.S3); err != nil {
			return nil, err
		}
	}
	a.OnChange(pub.Changed)
	return pub, nil
}

// exportStatic writes the public site into a folder for a static web server.
func exportStatic(ctx context.Context, c *cli, cfg *config.StaticExport) error {
	staticsite.TuneCollector()
	a, ex, err := openStatic(ctx, c, *cfg, nil)
	if err != nil {
		return err
	}
	defer a.Close()
	start := time.Now()
	res, err := ex.ExportSwitched(ctx)
	if err != nil {
		return err
	}
	if err := writeRedirects(ctx, a, ex); err != nil {
		return err
	}
	fmt.Fprintln(c.stdout, c.t("cli.static_exported", res.Files, cfg.Out, res.Written, res.Removed, float64(res.Bytes)/(1<<20), time.Since(start).Seconds()))
	if cfg.Bucket != "" {
		b, err := openBucket(ctx, cfg.Bucket, cfg.Files.S3)
		if err != nil {
			return err
		}
		r, err := b.Sync(ctx, ex)
		if err != nil {
			return err
		}
		fmt.Fprintln(c.stdout, c.t("cli.static_synced", cfg.Bucket, r.Put, r.Deleted))
	}
	return nil
}

// staticVerify checks an exported folder against its manifest and, when
// asked, restores it; anything wrong is audited, alerted and makes it fail.
func staticVerify(ctx context.Context, c *cli, cfg *config.StaticVerify) error {
	a, ex, err := openStatic(ctx, c, cfg.StaticExport, func(s *config.Serve) { s.SMTP, s.StaticAlert = cfg.SMTP, cfg.Alert })
	if err != nil {
		return err
	}
	defer a.Close()
	ex.Alerts = alerts(a, cfg.Alert)
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

// openBucket opens the S3 bucket a static site is published into.
func openBucket(ctx context.Context, url string, s3 config.S3) (*staticsite.Bucket, error) {
	st, err := media.OpenS3(ctx, url, media.S3Server(s3))
	if err != nil {
		return nil, err
	}
	return &staticsite.Bucket{Storage: st, Name: url}, nil
}

// writeRedirects writes the redirect table beside the exported folder.
func writeRedirects(ctx context.Context, a *app.App, ex *staticsite.Exporter) error {
	_, err := staticsite.WriteRedirects(ctx, a.Store, staticsite.RedirectsPath(ex.Dir))
	return err
}

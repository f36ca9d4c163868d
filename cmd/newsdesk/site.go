package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"newsdesk/internal/app"
	"newsdesk/internal/config"
	"newsdesk/internal/model"
	"newsdesk/internal/sitearchive"
)

// openSite opens the site an archive is written from or restored into.
func openSite(ctx context.Context, c *cli, st config.Store, files config.Files, level slog.Level) (*app.App, error) {
	s := config.DefaultServe()
	s.Store, s.Files, s.LogLevel = st, files, level
	return app.Open(ctx, s, c.logger(level))
}

// exportSite writes the whole site into one archive; the file appears
// whole or not at all.
func exportSite(ctx context.Context, c *cli, cfg *config.SiteExport) error {
	a, err := openSite(ctx, c, cfg.Store, cfg.Files, cfg.LogLevel)
	if err != nil {
		return err
	}
	defer a.Close()
	tmp, err := os.CreateTemp(filepath.Dir(cfg.Out), ".export-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	w := bufio.NewWriterSize(tmp, 1<<20)
	counts, err := sitearchive.Export(ctx, w, a.Store, a.Media.Files, sitearchive.ExportOptions{WithSecrets: cfg.WithSecrets})
	if err != nil {
		tmp.Close()
		return err
	}
	if err := w.Flush(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	// The file stays readable by its owner alone (os.CreateTemp's 0600):
	// it holds people's names, addresses and the audit log.
	if err := os.Rename(tmp.Name(), cfg.Out); err != nil {
		return err
	}
	fmt.Fprintln(c.stdout, c.t("cli.site_exported", cfg.Out, counts[sitearchive.ArticlesFile], counts[sitearchive.MediaFile],
		counts[sitearchive.UsersFile], counts[sitearchive.RedirectsFile], counts[sitearchive.AuditFile]))
	return nil
}

// importSite restores an archive into an empty site.
func importSite(ctx context.Context, c *cli, cfg *config.SiteImport) error {
	a, err := openSite(ctx, c, cfg.Store, cfg.Files, cfg.LogLevel)
	if err != nil {
		return err
	}
	defer a.Close()
	start := time.Now()
	res, err := sitearchive.Import(ctx, cfg.File, sitearchive.Target{Store: a.Store, Files: a.Media.Files,
		DecodeBudget: a.Media.DecodeBudget, Log: c.logger(cfg.LogLevel)}, model.SystemActor("cli"))
	var bad *sitearchive.BadArchiveError
	var full *sitearchive.NotEmptyError
	switch {
	case errors.As(err, &bad):
		where := strings.TrimPrefix(bad.Where(), bad.Archive)
		where = strings.TrimPrefix(where, ": ")
		msg := bad.Err.Error()
		if where != "" {
			msg = where + ": " + msg
		}
		return &config.Error{Key: "cli.site_archive_bad", Args: []any{bad.Archive, msg}}
	case errors.As(err, &full):
		return &config.Error{Key: "cli.site_archive_not_empty", Args: []any{strings.Join(full.Has, ", ")}}
	case err != nil:
		return err
	}
	a.Changed()
	n := res.Counts
	fmt.Fprintln(c.stdout, c.t("cli.site_imported", cfg.File, res.Manifest.CreatedAt.Format("2006-01-02 15:04:05Z"),
		n[sitearchive.ArticlesFile], n[sitearchive.MediaFile], n[sitearchive.UsersFile], n[sitearchive.ColumnsFile],
		n[sitearchive.RedirectsFile], n[sitearchive.AuditFile], time.Since(start).Round(time.Millisecond)))
	if !res.Manifest.WithSecrets && n[sitearchive.UsersFile] > 0 {
		fmt.Fprintln(c.stdout, c.t("cli.site_imported_no_passwords"))
	}
	return nil
}

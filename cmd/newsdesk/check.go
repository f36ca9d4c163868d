package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"newsdesk/internal/app"
	"newsdesk/internal/check"
	"newsdesk/internal/config"
	"newsdesk/internal/model"
)

// checkFiles checks text or HTML files against the site's rules, a
// finding a line (file:offset: level category: text → suggestion, the
// offset in characters of the file's plain text), and fails when one
// must be fixed (block), so scripts and CI can stop on it.
func checkFiles(ctx context.Context, c *cli, cfg *config.Check) error {
	db, err := app.OpenStore(ctx, cfg.Store)
	if err != nil {
		return err
	}
	defer db.Close()
	svc := &check.Service{Store: db}
	blocks := 0
	for _, name := range cfg.Files {
		b, err := os.ReadFile(name)
		if err != nil {
			return err
		}
		text := string(b)
		ext := strings.ToLower(filepath.Ext(name))
		isHTML := ext == ".html" || ext == ".htm" || strings.HasPrefix(strings.TrimSpace(text), "<")
		fs, err := svc.Document(ctx, text, isHTML)
		if err != nil {
			return fmt.Errorf("check %s: %w", name, err)
		}
		for _, f := range fs {
			cat := f.Category
			if f.Kind != check.KindWords {
				cat = c.t("check.cat." + f.Category)
			}
			line := fmt.Sprintf("%s:%d: %s %s: %s", name, f.Start, f.Level, cat, f.Text)
			if f.Fix || f.Suggestion != "" {
				line += " → " + f.Suggestion
			}
			fmt.Fprintln(c.stdout, line)
			if f.Level == check.Block {
				blocks++
			}
		}
	}
	if blocks > 0 {
		return &config.Error{Key: "cli.check_blocked", Args: []any{blocks}}
	}
	return nil
}

// selfcheck re-scans every story and column (网站自查) and prints the
// open items by unit; --xlsx writes the rectification list too.
func selfcheck(ctx context.Context, c *cli, cfg *config.Selfcheck) error {
	db, err := app.OpenStore(ctx, cfg.Store)
	if err != nil {
		return err
	}
	defer db.Close()
	// Network checks only when asked for here, whatever the site's
	// setting says: a run from a shell should not surprise its operator.
	svc := &check.Service{Store: db, Links: &check.LinkOptions{On: cfg.ExternalLinks, Delay: cfg.LinkDelay, Timeout: cfg.LinkTimeout}}
	system := model.SystemActor("cli")
	start := time.Now()
	run, err := svc.RunAudit(ctx, system)
	if err != nil {
		return err
	}
	_, open, err := svc.AuditItems(ctx, system, model.CheckAuditQuery{Status: model.AuditOpen, Limit: 1})
	if err != nil {
		return err
	}
	fmt.Fprintln(c.stdout, c.t("cli.selfchecked", run.Scanned, open, time.Since(start).Round(time.Millisecond)))
	if cfg.XLSX == "" {
		return nil
	}
	header, row, err := svc.AuditTable(ctx, c.t)
	if err != nil {
		return err
	}
	f, err := os.Create(cfg.XLSX)
	if err != nil {
		return err
	}
	if err := svc.ExportAudit(ctx, system, header, row, f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"newsdesk/internal/app"
	"newsdesk/internal/check"
	"newsdesk/internal/config"
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

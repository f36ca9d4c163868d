package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"newsdesk/internal/app"
	"newsdesk/internal/config"
	"newsdesk/internal/importer"
	"newsdesk/internal/model"
	"newsdesk/internal/site"
)

// openForImport opens the site an import writes to.
func openForImport(ctx context.Context, c *cli, cfg *config.Import) (*app.App, error) {
	s := config.DefaultServe()
	s.Store, s.Files, s.LogLevel = cfg.Store, cfg.Files, cfg.LogLevel
	return app.Open(ctx, s, c.logger(cfg.LogLevel))
}

// importWXR imports a WordPress export file.
func importWXR(ctx context.Context, c *cli, cfg *config.Import) error {
	data, err := os.ReadFile(cfg.File)
	if err != nil {
		return err
	}
	a, err := openForImport(ctx, c, cfg)
	if err != nil {
		return err
	}
	defer a.Close()
	st, err := a.Site.Settings(ctx)
	if err != nil {
		return err
	}
	p, err := importer.ParseWXR(cfg.File, data, st.TimeZone)
	if err != nil {
		return badFile(err)
	}
	source := "wxr:" + p.Link
	if p.Link == "" {
		source = "wxr:" + cfg.File
	}
	im := importer.ForApp(a, model.SystemActor("cli"), c.logger(cfg.LogLevel))
	im.Uploads, im.DryRun, im.AsUsers = cfg.Uploads, cfg.DryRun, cfg.AsUsers
	return c.runImport(ctx, im, source, p)
}

// badFile says where a source could not be read.
func badFile(err error) error {
	var fe *importer.FileError
	if errors.As(err, &fe) && fe.Line > 0 {
		return &config.Error{Key: "cli.import_bad_file", Args: []any{fe.File, fe.Line, &config.Error{Key: fe.Why.Key, Args: fe.Why.Args}}}
	}
	if errors.As(err, &fe) {
		return &config.Error{Key: "cli.import_bad_source", Args: []any{fe.File, &config.Error{Key: fe.Why.Key, Args: fe.Why.Args}}}
	}
	return err
}

// runImport runs an import with its progress shown and prints its summary.
func (c *cli) runImport(ctx context.Context, im *importer.Importer, source string, p *importer.Parsed) error {
	fmt.Fprintln(c.stderr, c.t("cli.import_read", len(p.Items), len(p.Categories), p.Comments))
	im.Progress = c.progress(len(p.Items))
	sum, err := im.Run(ctx, source, p)
	if isTerminal(c.stderr) {
		fmt.Fprintln(c.stderr)
	}
	c.summary(sum, im.DryRun)
	return err
}

// progress shows how far an import is: a bar on a terminal, a log line
// every few seconds otherwise.
func (c *cli) progress(total int) func(done, total int) {
	if isTerminal(c.stderr) {
		last := time.Time{}
		return func(done, total int) {
			if now := time.Now(); done < total && now.Sub(last) < 100*time.Millisecond {
				return
			} else {
				last = now
			}
			const width = 30
			filled := width * done / max(total, 1)
			fmt.Fprintf(c.stderr, "\r%s [%s%s] %d/%d", c.t("cli.import_progress"), strings.Repeat("#", filled), strings.Repeat(" ", width-filled), done, total)
		}
	}
	start, last := time.Now(), time.Now()
	return func(done, total int) {
		if now := time.Now(); now.Sub(last) >= 5*time.Second || done == total {
			last = now
			fmt.Fprintln(c.stderr, c.t("cli.import_progress_line", done, total, now.Sub(start).Round(time.Second)))
		}
	}
}

// isTerminal says whether w is a terminal (not a file or a pipe).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// summary prints what an import did, and every item it skipped and why.
func (c *cli) summary(s importer.Summary, dryRun bool) {
	key := "cli.import_summary"
	if dryRun {
		key = "cli.import_summary_dry"
	}
	fmt.Fprintln(c.stdout, c.t(key, s.Created, s.Updated, s.Unchanged, s.Pages, s.Columns, s.Photos, s.PhotosReused, s.Redirects, s.Users, s.Comments, s.Took.Round(time.Millisecond)))
	if s.Photos > 0 && !dryRun {
		fmt.Fprint(c.stdout, c.t("cli.import_photos_later", s.Photos))
	}
	if len(s.Skipped) > 0 {
		fmt.Fprintln(c.stdout, c.t("cli.import_skipped", len(s.Skipped)))
		for _, sk := range s.Skipped {
			fmt.Fprintln(c.stdout, c.t("cli.import_skipped_item", sk.Where, sk.What, sk.Why.Text(c.t)))
		}
	}
}

// importFeed imports an RSS or Atom feed, from a file or an address.
func importFeed(ctx context.Context, c *cli, cfg *config.Import) error {
	a, err := openForImport(ctx, c, cfg)
	if err != nil {
		return err
	}
	defer a.Close()
	p, source, err := importer.ReadFeed(ctx, cfg.File, cfg.Pages, nil)
	if err != nil {
		return badFile(err)
	}
	im := importer.ForApp(a, model.SystemActor("cli"), c.logger(cfg.LogLevel))
	im.DryRun = cfg.DryRun
	return c.runImport(ctx, im, source, p)
}

// exportWXR writes the site as a WordPress export file, for a site
// moving to WordPress; the file appears whole or not at all.
func exportWXR(ctx context.Context, c *cli, cfg *config.Export) error {
	db, err := app.OpenStore(ctx, cfg.Store)
	if err != nil {
		return err
	}
	defer db.Close()
	st, err := (&site.Service{Store: db}).Settings(ctx)
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(cfg.Out), ".export-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	w := bufio.NewWriter(tmp)
	if err := importer.WriteWXR(ctx, w, db, st.Name, cfg.BaseURL, st.TimeZone); err != nil {
		tmp.Close()
		return err
	}
	if err := w.Flush(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), cfg.Out); err != nil {
		return err
	}
	fmt.Fprintln(c.stdout, c.t("cli.exported", cfg.Out))
	return nil
}

// importCrawl walks an old site's list pages and imports the stories
// they link to.
func importCrawl(ctx context.Context, c *cli, cfg *config.Crawl) error {
	p := importer.Presets[cfg.Preset]
	if p.Name == "" {
		p.Name = "custom"
	}
	for _, o := range []struct {
		to   *string
		from string
	}{{&p.Link, cfg.Link}, {&p.Next, cfg.Next}, {&p.Title, cfg.Title}, {&p.Date, cfg.Date}, {&p.Body, cfg.Body}, {&p.Source, cfg.Source}} {
		if o.from != "" {
			*o.to = o.from
		}
	}
	if cfg.List != "" {
		p.Link = cfg.List + " " + firstNonEmpty(cfg.Link, "a")
	}
	if cfg.Link != "" && cfg.Preset == "" {
		p.Article = nil // own selectors: every link they find is a story
	}
	a, err := openForImport(ctx, c, &config.Import{Store: cfg.Store, Files: cfg.Files, LogLevel: cfg.LogLevel})
	if err != nil {
		return err
	}
	defer a.Close()
	st, err := a.Site.Settings(ctx)
	if err != nil {
		return err
	}
	log := c.logger(cfg.LogLevel)
	cr := &importer.Crawler{Delay: cfg.Delay, IgnoreRobots: cfg.IgnoreRobots, MaxLists: cfg.MaxLists,
		Log: func(addr string) { log.Debug("fetch", "url", addr) }}
	parsed, err := cr.Crawl(ctx, cfg.Start, p, st.TimeZone)
	if err != nil {
		return badFile(err)
	}
	im := importer.ForApp(a, model.SystemActor("cli"), log)
	im.DryRun, im.Workers, im.Delay = cfg.DryRun, 1, cfg.Delay
	return c.runImport(ctx, im, "crawl:"+cfg.Start, parsed)
}

func firstNonEmpty(vs ...string) string {
	for _, v := range vs {
		if v != "" {
			return v
		}
	}
	return ""
}

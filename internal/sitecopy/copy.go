// Package sitecopy copies a whole Newsdesk site, its database and its media
// files, into an empty destination and checks the copy.
package sitecopy

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"newsdesk/internal/media"
	"newsdesk/internal/search"
	"newsdesk/internal/store/sqlstore"
)

// Options name the two sites. From and To are sqlite:DIR (a data folder,
// with its media under DIR/media unless FromMedia/ToMedia say otherwise)
// or postgres://… (then FromMedia/ToMedia must name the media:
// s3://bucket/prefix or a folder).
type Options struct {
	From, To           string
	FromMedia, ToMedia string
	// SkipSessions leaves the sign-ins behind: everyone signs in again.
	SkipSessions bool
	// S3 reaches whichever side is an s3:// storage.
	S3 media.S3Server
}

// Report is what Copy did and checked.
type Report struct {
	From, To string // the databases, passwords hidden
	Tables   []sqlstore.TableCopy
	Files    media.CopyStats
	Checked  int // media files checked against the rows that name them
	Indexed  int // articles in the destination's new search index

	TablesTook, VerifyTook, IndexTook, Took time.Duration
}

// Copy copies a whole site, its database and its media files, into an
// empty destination, and checks the copy: every table's rows and checksum
// on both sides, every file's size and sha256 as it arrives, and every file
// the media rows name against the rows. The search index is made anew on
// the destination.
func Copy(ctx context.Context, c Options, log *slog.Logger) (Report, error) {
	start := time.Now()
	r := Report{From: redactDB(c.From), To: redactDB(c.To)}
	src, err := openCopyDB(ctx, c.From, true)
	if err != nil {
		return r, fmt.Errorf("source: %w", err)
	}
	defer src.Close()
	dst, err := openCopyDB(ctx, c.To, false)
	if err != nil {
		return r, fmt.Errorf("destination: %w", err)
	}
	defer dst.Close()
	from, err := openCopyMedia(ctx, c.From, c.FromMedia, c.S3)
	if err != nil {
		return r, fmt.Errorf("source media: %w", err)
	}
	to, err := openCopyMedia(ctx, c.To, c.ToMedia, c.S3)
	if err != nil {
		return r, fmt.Errorf("destination media: %w", err)
	}

	// Refuse before writing anything: nothing is ever overwritten.
	if err := dst.CheckEmpty(ctx); err != nil {
		return r, fmt.Errorf("%s: %w; copy only into a new, empty database (nothing was changed)", r.To, err)
	}
	if empty, err := media.IsEmpty(ctx, to); err != nil {
		return r, fmt.Errorf("destination media: %w", err)
	} else if !empty {
		return r, fmt.Errorf("destination media storage is not empty; copy only into an empty one (nothing was changed)")
	}
	log.Info("copying", "from", r.From, "to", r.To)

	tstart := time.Now()
	r.Tables, err = sqlstore.CopyTables(ctx, src, dst, sqlstore.CopyOptions{
		SkipSessions: c.SkipSessions,
		Progress: func(t sqlstore.TableCopy) {
			log.Info("table copied", "table", t.Table, "rows", t.To.Rows, "took", t.Took.Round(time.Millisecond))
		},
	})
	r.TablesTook = time.Since(tstart)
	if err != nil {
		return r, partial(err)
	}

	r.Files, err = media.CopyFiles(ctx, from, to, func(st media.CopyStats) {
		if st.Files%100 == 0 {
			log.Info("copying media files", "files", st.Files, "bytes", st.Bytes)
		}
	})
	if err != nil {
		return r, partial(err)
	}
	log.Info("media files copied", "files", r.Files.Files, "bytes", r.Files.Bytes, "took", r.Files.Took.Round(time.Millisecond))

	vstart := time.Now()
	err = dst.MediaFiles(ctx, func(f sqlstore.MediaFile) error {
		r.Checked++
		return media.VerifyFile(ctx, from, to, media.Expected{Key: f.Key, Size: f.Size, SHA256: f.SHA256})
	})
	r.VerifyTook = time.Since(vstart)
	if err != nil {
		return r, fmt.Errorf("%w: %w", sqlstore.ErrMismatch, err)
	}

	istart := time.Now()
	r.Indexed, err = (&search.Service{Store: dst, Log: log}).Rebuild(ctx)
	r.IndexTook = time.Since(istart)
	if err != nil {
		return r, fmt.Errorf("rebuild the search index of the copy: %w", err)
	}
	for _, t := range r.Tables {
		if t.Table == "articles" && t.To.Rows != int64(r.Indexed) {
			return r, fmt.Errorf("%w: search index holds %d articles of %d", sqlstore.ErrMismatch, r.Indexed, t.To.Rows)
		}
	}
	r.Took = time.Since(start)
	log.Info("site copied", "tables", len(r.Tables), "files", r.Files.Files, "bytes", r.Files.Bytes, "took", r.Took.Round(time.Millisecond))
	return r, nil
}

// partial says that a copy that failed half-way may have left rows or files
// behind.
func partial(err error) error {
	return fmt.Errorf("%w (the destination may hold part of the copy: empty it before copying again)", err)
}

// openCopyDB opens sqlite:DIR or a postgres:// database; a source SQLite
// database must exist already.
func openCopyDB(ctx context.Context, name string, source bool) (*sqlstore.DB, error) {
	dir, ok := strings.CutPrefix(name, "sqlite:")
	if !ok {
		return sqlstore.OpenPostgres(ctx, name)
	}
	path := filepath.Join(dir, "newsdesk.db")
	if source {
		if _, err := os.Stat(path); err != nil {
			return nil, fmt.Errorf("no site at %s: %w", dir, err)
		}
	}
	return sqlstore.OpenSQLite(ctx, path)
}

// openCopyMedia opens the media storage named by m: s3://bucket/prefix or
// a folder; by default the media folder of a sqlite:DIR site.
func openCopyMedia(ctx context.Context, db, m string, s3 media.S3Server) (media.Storage, error) {
	switch {
	case strings.HasPrefix(m, "s3://"):
		return media.OpenS3(ctx, m, s3)
	case m != "":
		return &media.Local{Dir: m}, nil
	}
	dir, ok := strings.CutPrefix(db, "sqlite:")
	if !ok {
		return nil, errors.New("a PostgreSQL site needs its media storage named")
	}
	return &media.Local{Dir: filepath.Join(dir, "media")}, nil
}

// redactDB hides the password of a postgres:// URL.
func redactDB(name string) string {
	if u, err := url.Parse(name); err == nil && u.User != nil {
		return u.Redacted()
	}
	return name
}

// Write prints the report: each table's rows and checksum on both sides.
func (r Report) Write(w io.Writer) error {
	fmt.Fprintf(w, "copied %s → %s\n\n", r.From, r.To)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "table\tsource rows\tcopy rows\tsha256 source\tsha256 copy\t\t")
	for _, t := range r.Tables {
		state := "ok"
		if t.From != t.To {
			state = "DIFFERENT"
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%.16s\t%.16s\t%s\t\n", t.Table, t.From.Rows, t.To.Rows, t.From.Sum, t.To.Sum, state)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := fmt.Fprintf(w, "\nmedia: %d files, %d bytes copied; %d files checked against their rows\n"+
		"search index: %d articles\n"+
		"took: tables %s, files %s, check %s, index %s, all %s\n",
		r.Files.Files, r.Files.Bytes, r.Checked, r.Indexed,
		r.TablesTook.Round(time.Millisecond), r.Files.Took.Round(time.Millisecond), r.VerifyTook.Round(time.Millisecond),
		r.IndexTook.Round(time.Millisecond), r.Took.Round(time.Millisecond))
	return err
}

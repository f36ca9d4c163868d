package sitearchive

import (
	"archive/zip"
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"path"
	"slices"
	"strconv"
	"time"

	"newsdesk/internal/media"
	"newsdesk/internal/model"
	"newsdesk/internal/store"
)

// page is how many stories, files, redirects or audit entries are read
// at a time.
const page = 500

// ExportOptions say what goes into an archive.
type ExportOptions struct {
	// WithSecrets keeps the users' password hashes and the site's
	// signing secret.
	WithSecrets bool
	// Now is the archive's time (time.Now when zero).
	Now time.Time
}

// Export writes the whole site held by st (its media bytes in files) to w
// as a zip archive. Stories, media, redirects and the audit log are read
// in keyset pages, never all at once; media bytes are copied as they are
// read. It returns how many records each file holds (the manifest's
// counts).
func Export(ctx context.Context, w io.Writer, st store.Store, files media.Storage, o ExportOptions) (map[string]int, error) {
	if o.Now.IsZero() {
		o.Now = time.Now()
	}
	zw := zip.NewWriter(w)
	e := &exporter{ctx: ctx, st: st, files: files, zw: zw, o: o, counts: map[string]int{}}
	settings, err := st.Settings(ctx)
	if err != nil {
		return nil, err
	}
	for _, step := range []func() error{
		func() error { return e.settings(settings) },
		e.units, e.users, e.columns, e.checkRules, e.media, e.articles, e.slots, e.pages, e.redirects, e.imports, e.audit,
	} {
		if err := step(); err != nil {
			return nil, err
		}
	}
	m := Manifest{Format: Format, Version: FormatVersion, CreatedAt: o.Now.UTC().Truncate(time.Second), SiteName: settings["site.name"],
		WithSecrets: o.WithSecrets, Counts: e.counts}
	if err := e.json(ManifestFile, m); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return e.counts, nil
}

type exporter struct {
	ctx    context.Context
	st     store.Store
	files  media.Storage
	zw     *zip.Writer
	o      ExportOptions
	counts map[string]int
}

// json writes one JSON file.
func (e *exporter) json(name string, v any) error {
	f, err := e.zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: e.o.Now})
	if err != nil {
		return err
	}
	enc := json.NewEncoder(f)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// lines writes a JSON Lines file: fill calls emit once a record.
func (e *exporter) lines(name string, fill func(emit func(any) error) error) error {
	f, err := e.zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: e.o.Now})
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(f)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	e.counts[name] = 0
	if err := fill(func(v any) error {
		e.counts[name]++
		return enc.Encode(v)
	}); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	return bw.Flush()
}

func (e *exporter) settings(kv map[string]string) error {
	out := map[string]string{}
	for k, v := range kv {
		if secretSettings[k] && !e.o.WithSecrets {
			continue
		}
		out[k] = v
	}
	return e.json(SettingsFile, out)
}

func (e *exporter) units() error {
	units, err := e.st.Units(e.ctx)
	if err != nil {
		return err
	}
	slices.SortFunc(units, func(a, b model.Unit) int { return cmpID(a.ID, b.ID) })
	return e.lines(UnitsFile, func(emit func(any) error) error {
		for _, u := range units {
			if err := emit(Unit{ID: u.ID, Name: u.Name}); err != nil {
				return err
			}
		}
		return nil
	})
}

func (e *exporter) users() error {
	users, err := e.st.Users(e.ctx)
	if err != nil {
		return err
	}
	slices.SortFunc(users, func(a, b model.User) int { return cmpID(a.ID, b.ID) })
	return e.lines(UsersFile, func(emit func(any) error) error {
		for _, u := range users {
			out := User{ID: u.ID, Username: u.Username, Name: u.Name, Roles: u.Roles, UnitID: u.UnitID, CreatedAt: u.CreatedAt,
				Disabled: u.Disabled, PasswordChangedAt: u.PasswordChangedAt}
			if e.o.WithSecrets {
				out.PasswordHash = u.PasswordHash
			}
			if err := emit(out); err != nil {
				return err
			}
		}
		return nil
	})
}

func (e *exporter) columns() error {
	cols, err := e.st.Columns(e.ctx)
	if err != nil {
		return err
	}
	chains, err := e.st.ReviewChains(e.ctx)
	if err != nil {
		return err
	}
	own := map[int64]model.ReviewChain{}
	for _, c := range chains {
		own[c.ColumnID] = c
	}
	slices.SortFunc(cols, func(a, b model.Column) int { return cmpID(a.ID, b.ID) })
	return e.lines(ColumnsFile, func(emit func(any) error) error {
		for _, c := range cols {
			out := Column{ID: c.ID, ParentID: c.ParentID, Slug: c.Slug, Name: c.Name, Description: c.Description, Position: c.Position}
			if ch, ok := own[c.ID]; ok && len(ch.Steps) > 0 {
				out.Chain = &Chain{Steps: ch.Steps, UpdatedAt: ch.UpdatedAt, UpdatedBy: ch.UpdatedBy}
			}
			if err := emit(out); err != nil {
				return err
			}
		}
		return nil
	})
}

func (e *exporter) checkRules() error {
	lists, err := e.st.CheckRules(e.ctx)
	if err != nil {
		return err
	}
	return e.lines(CheckRulesFile, func(emit func(any) error) error {
		for _, l := range lists {
			versions, err := e.st.CheckRuleVersions(e.ctx, l.Kind)
			if err != nil {
				return err
			}
			slices.SortFunc(versions, func(a, b model.CheckRuleList) int { return a.Version - b.Version })
			for _, v := range versions {
				if err := emit(CheckRules{Kind: v.Kind, Version: v.Version, Body: v.Body, SavedBy: v.SavedBy, SavedAt: v.SavedAt}); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// mediaPath is where an archive keeps the original bytes of file m.
func mediaPath(m model.Media) string {
	return "media/" + strconv.FormatInt(m.ID, 10) + "/original" + path.Ext(originalKey(m))
}

// originalKey is the storage key of the bytes as they were uploaded.
func originalKey(m model.Media) string {
	if m.OriginalKey != "" {
		return m.OriginalKey
	}
	return m.Key
}

// media writes media.jsonl, then each original's bytes: records and bytes
// are written a page at a time (a zip holds one open file at once).
func (e *exporter) media() error {
	e.counts[MediaFile] = 0
	after := int64(0)
	// The records first, a page at a time; the bytes after them.
	f, err := e.zw.CreateHeader(&zip.FileHeader{Name: MediaFile, Method: zip.Deflate, Modified: e.o.Now})
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(f)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	var ids []int64
	for {
		all, _, err := e.st.MediaList(e.ctx, store.MediaQuery{ByID: true, AfterID: after, Limit: page})
		if err != nil {
			return fmt.Errorf("%s: %w", MediaFile, err)
		}
		for _, m := range all {
			sum, err := e.sum(originalKey(m))
			if err != nil {
				return fmt.Errorf("media %d (%s): %w", m.ID, m.Name, err)
			}
			rec := Media{ID: m.ID, File: mediaPath(m), OriginalSHA256: sum, Name: m.Name, ContentType: m.ContentType,
				Width: m.Width, Height: m.Height, Size: m.Size, Checksum: m.Checksum, Caption: m.Caption, Alt: m.Alt,
				Credit: m.Credit, CreatedAt: m.CreatedAt, UploadedBy: m.UploadedBy, Public: m.Public}
			if err := enc.Encode(rec); err != nil {
				return err
			}
			e.counts[MediaFile]++
			ids = append(ids, m.ID)
		}
		if len(all) < page {
			break
		}
		after = all[len(all)-1].ID
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	// The bytes, read again page by page by id.
	for start := 0; start < len(ids); start += page {
		byID, err := e.st.MediaByIDs(e.ctx, ids[start:min(start+page, len(ids))])
		if err != nil {
			return err
		}
		for _, id := range ids[start:min(start+page, len(ids))] {
			m, ok := byID[id]
			if !ok {
				continue // deleted while the archive was written; its record says so on import
			}
			if err := e.copyFile(m); err != nil {
				return fmt.Errorf("media %d (%s): %w", m.ID, m.Name, err)
			}
		}
	}
	return nil
}

// sum is the sha256 of a stored file.
func (e *exporter) sum(key string) (string, error) {
	r, err := e.files.Get(e.ctx, key)
	if err != nil {
		return "", err
	}
	defer r.Close()
	h := sha256.New()
	if _, err := io.Copy(h, r); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

func (e *exporter) copyFile(m model.Media) error {
	r, err := e.files.Get(e.ctx, originalKey(m))
	if err != nil {
		return err
	}
	defer r.Close()
	f, err := e.zw.CreateHeader(&zip.FileHeader{Name: mediaPath(m), Method: zip.Store, Modified: e.o.Now})
	if err != nil {
		return err
	}
	_, err = io.Copy(f, r)
	return err
}

func (e *exporter) articles() error {
	return e.lines(ArticlesFile, func(emit func(any) error) error {
		after := int64(0)
		for {
			arts, _, err := e.st.Articles(e.ctx, store.ArticleQuery{ByID: true, AfterID: after, Limit: page, NoTotal: true})
			if err != nil {
				return err
			}
			ids := make([]int64, len(arts))
			for i, a := range arts {
				ids[i] = a.ID
			}
			copies, err := e.st.WorkingCopies(e.ctx, ids)
			if err != nil {
				return err
			}
			for _, a := range arts {
				rec, err := e.article(a, copies)
				if err != nil {
					return err
				}
				if err := emit(rec); err != nil {
					return err
				}
			}
			if len(arts) < page {
				return nil
			}
			after = arts[len(arts)-1].ID
		}
	})
}

func (e *exporter) article(a model.Article, copies map[int64]model.WorkingCopy) (Article, error) {
	out := Article{ID: a.ID, Content: content(a), Status: a.Status, PublishedAt: a.PublishedAt,
		CreatedAt: a.CreatedAt, UpdatedAt: a.UpdatedAt, Version: a.Version, Views: a.Views, AuthorID: a.AuthorID,
		UnitID: a.UnitID, Review: Review{Chain: a.Review.Chain, Step: a.Review.Step, Since: a.Review.Since},
		RevisedAt: a.RevisedAt, Correction: a.Correction, Versions: []Version{}, Events: []Event{}}
	versions, err := e.st.Versions(e.ctx, a.ID)
	if err != nil {
		return out, err
	}
	for _, v := range versions {
		out.Versions = append(out.Versions, Version{Version: v.Version, Title: v.Title, Summary: v.Summary, Body: v.Body, SavedBy: v.SavedBy, SavedAt: v.SavedAt})
	}
	events, err := e.st.Events(e.ctx, a.ID)
	if err != nil {
		return out, err
	}
	for _, ev := range events {
		out.Events = append(out.Events, Event{UserID: ev.UserID, Action: ev.Action, From: ev.From, To: ev.To, Comment: ev.Comment,
			IP: ev.IP, At: ev.At, Step: ev.Step, StepName: ev.StepName, StepKey: ev.StepKey, ToStep: ev.ToStep,
			Version: ev.Version, Via: ev.Via, Reason: ev.Reason, ActorName: ev.ActorName, Correction: ev.Correction})
	}
	notes, err := e.st.Annotations(e.ctx, a.ID)
	if err != nil {
		return out, err
	}
	for _, n := range notes {
		out.Annotations = append(out.Annotations, Annotation{ID: n.ID, ParentID: n.ParentID, UserID: n.UserID, Quote: n.Quote,
			Prefix: n.Prefix, Suffix: n.Suffix, Position: n.Position, Version: n.Version, Body: n.Body, CreatedAt: n.CreatedAt,
			ResolvedBy: n.ResolvedBy, ResolvedAt: n.ResolvedAt})
	}
	if wc, ok := copies[a.ID]; ok {
		out.WorkingCopy = &WorkingCopy{Content: content(wc.Article), Correction: wc.Correction,
			Status: wc.Status, Review: Review{Chain: wc.Review.Chain, Step: wc.Review.Step, Since: wc.Review.Since},
			CreatedBy: wc.CreatedBy, CopiedAt: wc.CopiedAt, UpdatedAt: wc.UpdatedAt}
	}
	return out, nil
}

func content(a model.Article) Content {
	return Content{ColumnID: a.ColumnID, Kicker: a.Kicker, Title: a.Title, Subtitle: a.Subtitle, Summary: a.Summary,
		Body: a.Body, LeadMediaID: a.LeadMediaID, Credits: a.Credits}
}

func (e *exporter) slots() error {
	return e.lines(SlotsFile, func(emit func(any) error) error {
		for _, slot := range []string{model.SlotFocus, model.SlotRecommended} {
			ps, err := e.st.Placements(e.ctx, slot)
			if err != nil {
				return err
			}
			for _, p := range ps {
				if err := emit(Placement{Slot: p.Slot, ArticleID: p.ArticleID, Position: p.Position, ExpiresAt: p.ExpiresAt}); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

func (e *exporter) pages() error {
	pages, err := e.st.Pages(e.ctx)
	if err != nil {
		return err
	}
	return e.lines(PagesFile, func(emit func(any) error) error {
		for _, p := range pages {
			if err := emit(Page{Slug: p.Slug, Title: p.Title, Body: p.Body, UpdatedAt: p.UpdatedAt}); err != nil {
				return err
			}
		}
		return nil
	})
}

func (e *exporter) redirects() error {
	return e.lines(RedirectsFile, func(emit func(any) error) error {
		after := ""
		for {
			rs, err := e.st.Redirects(e.ctx, after, page)
			if err != nil {
				return err
			}
			for _, r := range rs {
				if err := emit(Redirect{ID: r.ID, Path: r.Path, ArticleID: r.ArticleID, Target: r.Target, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}); err != nil {
					return err
				}
			}
			if len(rs) < page {
				return nil
			}
			after = rs[len(rs)-1].Path
		}
	})
}

func (e *exporter) imports() error {
	recs, err := e.st.ImportRecords(e.ctx, "")
	if err != nil {
		return err
	}
	return e.lines(ImportsFile, func(emit func(any) error) error {
		for _, r := range recs {
			if err := emit(ImportRecord{Source: r.Source, Original: r.Original, Kind: r.Kind, RefID: r.RefID, Digest: r.Digest, ImportedAt: r.ImportedAt}); err != nil {
				return err
			}
		}
		return nil
	})
}

func (e *exporter) audit() error {
	return e.lines(AuditFile, func(emit func(any) error) error {
		after := int64(0)
		for {
			es, _, err := e.st.AuditSearch(e.ctx, store.AuditQuery{Ascending: true, AfterID: after, Limit: page})
			if err != nil {
				return err
			}
			for _, a := range es {
				if err := emit(AuditEntry{ID: a.ID, At: a.At, UserID: a.UserID, Action: a.Action, Target: a.Target, Detail: a.Detail, IP: a.IP, Via: a.Via}); err != nil {
					return err
				}
			}
			if len(es) < page {
				return nil
			}
			after = es[len(es)-1].ID
		}
	})
}

func cmpID(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

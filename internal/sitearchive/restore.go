package sitearchive

import (
	"archive/zip"
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"newsdesk/internal/account"
	"newsdesk/internal/article"
	"newsdesk/internal/column"
	"newsdesk/internal/media"
	"newsdesk/internal/model"
	"newsdesk/internal/redirect"
	"newsdesk/internal/review"
	"newsdesk/internal/site"
	"newsdesk/internal/slot"
	"newsdesk/internal/store"
)

// ErrNotEmpty: an archive is restored only into an empty site.
var ErrNotEmpty = errors.New("the site is not empty")

// NotEmptyError names what the site holds already.
type NotEmptyError struct{ Has []string }

func (e *NotEmptyError) Error() string {
	return fmt.Sprintf("%s: it has %s; restore an archive only into a new, empty site (nothing was changed)", ErrNotEmpty, strings.Join(e.Has, ", "))
}

// Is makes errors.Is(err, ErrNotEmpty) true.
func (e *NotEmptyError) Is(target error) bool { return target == ErrNotEmpty }

// BadArchiveError says which file of an archive (and which line of it)
// could not be read, and why. Nothing was imported.
type BadArchiveError struct {
	Archive string
	File    string // "" for the archive itself
	Line    int    // 0 when not about one line
	Err     error
}

func (e *BadArchiveError) Error() string {
	return fmt.Sprintf("%s: %s", e.Where(), e.Err)
}

func (e *BadArchiveError) Unwrap() error { return e.Err }

// Where names the archive, file and line.
func (e *BadArchiveError) Where() string {
	w := e.Archive
	if e.File != "" {
		w += ": " + e.File
	}
	if e.Line > 0 {
		w += ":" + strconv.Itoa(e.Line)
	}
	return w
}

// Target is the site an archive is restored into.
type Target struct {
	Store store.Store
	Files media.Storage
	// DecodeBudget bounds image decoding as the site's media service does.
	DecodeBudget int64
	Log          *slog.Logger
}

// Result says what an import restored: records per file.
type Result struct {
	Manifest Manifest
	Counts   map[string]int
}

// Import restores the archive at path into the empty site t, as actor:
// every record through the domain service that owns it (audited as an
// import), all in one transaction, so that a bad archive (cut short, an
// unknown format version, a missing file, bad JSON, a file unlike its
// checksum) leaves the site as it was: its rows rolled back, the media
// files it had written deleted. Ids are new; every reference (columns,
// versions, slots, redirects, media in bodies, review chains, audit
// targets) is mapped to them.
func Import(ctx context.Context, path string, t Target, actor model.Actor) (Result, error) {
	zr, err := zip.OpenReader(path)
	if err != nil {
		return Result{}, &BadArchiveError{Archive: path, Err: fmt.Errorf("not a readable zip archive (cut short?): %w", err)}
	}
	defer zr.Close()
	r := &restorer{ctx: ctx, path: path, zr: &zr.Reader, t: t, actor: actor, files: map[string]*zip.File{},
		units: ids{}, users: ids{}, columns: ids{}, media: ids{}, articles: ids{}, redirects: ids{}, counts: map[string]int{}}
	if r.t.Log == nil {
		r.t.Log = slog.New(slog.DiscardHandler)
	}
	for _, f := range zr.File {
		r.files[f.Name] = f
	}
	if err := r.manifest(); err != nil {
		return Result{}, err
	}
	if err := checkEmpty(ctx, t.Store); err != nil {
		return Result{}, err
	}
	err = t.Store.Tx(ctx, func(tx store.Store) error {
		r.tx = tx
		r.arts = &article.Service{Store: tx}
		r.cols = &column.Service{Store: tx}
		r.accounts = account.New(tx)
		r.reviews = &review.Service{Store: tx}
		r.mediaSvc = &media.Service{Store: tx, Files: t.Files, DecodeBudget: t.DecodeBudget, CanView: article.CanView}
		r.slots = &slot.Service{Store: tx}
		r.site = &site.Service{Store: tx}
		r.redirects2 = &redirect.Service{Store: tx}
		if err := tx.AddAudit(ctx, actor.Audit("site_import", "site", fmt.Sprintf("%s: archive of %q made %s", path, r.m.SiteName, r.m.CreatedAt.Format("2006-01-02 15:04:05Z")))); err != nil {
			return err
		}
		for _, step := range []func() error{r.settings, r.readUnits, r.readUsers, r.readColumns, r.readCheckRules, r.readMedia,
			r.readArticles, r.readSlots, r.readPages, r.readRedirects, r.readImports, r.readAudit} {
			if err := step(); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		r.removeFiles()
		return Result{}, err
	}
	return Result{Manifest: r.m, Counts: r.counts}, nil
}

// checkEmpty refuses a site that holds content or accounts.
func checkEmpty(ctx context.Context, st store.Store) error {
	var full []string
	count := func(name string, n int, err error) error {
		if err != nil {
			return err
		}
		if n > 0 {
			full = append(full, name)
		}
		return nil
	}
	cols, err := st.Columns(ctx)
	if err := count("columns", len(cols), err); err != nil {
		return err
	}
	arts, _, err := st.Articles(ctx, store.ArticleQuery{ByID: true, Limit: 1, NoTotal: true})
	if err := count("articles", len(arts), err); err != nil {
		return err
	}
	users, err := st.Users(ctx)
	if err := count("users", len(users), err); err != nil {
		return err
	}
	units, err := st.Units(ctx)
	if err := count("units", len(units), err); err != nil {
		return err
	}
	ms, _, err := st.MediaList(ctx, store.MediaQuery{ByID: true, Limit: 1})
	if err := count("media", len(ms), err); err != nil {
		return err
	}
	pages, err := st.Pages(ctx)
	if err := count("pages", len(pages), err); err != nil {
		return err
	}
	rs, err := st.Redirects(ctx, "", 1)
	if err := count("redirects", len(rs), err); err != nil {
		return err
	}
	if len(full) > 0 {
		return &NotEmptyError{Has: full}
	}
	return nil
}

// ids maps an archive's ids to the new site's.
type ids map[int64]int64

// get is the new id of old (0 stays 0); ok is false for an id the archive
// does not have.
func (m ids) get(old int64) (int64, bool) {
	if old == 0 {
		return 0, true
	}
	id, ok := m[old]
	return id, ok
}

type restorer struct {
	ctx   context.Context
	path  string
	zr    *zip.Reader
	files map[string]*zip.File
	t     Target
	actor model.Actor
	m     Manifest

	tx         store.Store
	arts       *article.Service
	cols       *column.Service
	accounts   *account.Service
	reviews    *review.Service
	mediaSvc   *media.Service
	slots      *slot.Service
	site       *site.Service
	redirects2 *redirect.Service

	units, users, columns, media, articles, redirects ids
	written                                           []string // media keys written, deleted again if the import fails
	counts                                            map[string]int
}

func (r *restorer) bad(file string, line int, err error) error {
	var b *BadArchiveError
	if errors.As(err, &b) {
		return err
	}
	return &BadArchiveError{Archive: r.path, File: file, Line: line, Err: err}
}

// open opens a file of the archive; a missing one is a bad archive.
func (r *restorer) open(name string) (io.ReadCloser, error) {
	f, ok := r.files[name]
	if !ok {
		return nil, r.bad(name, 0, errors.New("missing from the archive"))
	}
	rc, err := f.Open()
	if err != nil {
		return nil, r.bad(name, 0, err)
	}
	return rc, nil
}

func (r *restorer) readJSON(name string, v any) error {
	rc, err := r.open(name)
	if err != nil {
		return err
	}
	defer rc.Close()
	dec := json.NewDecoder(rc)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return r.bad(name, 0, fmt.Errorf("bad JSON: %w", err))
	}
	if _, err := io.Copy(io.Discard, rc); err != nil { // the zip's checksum is checked at the end
		return r.bad(name, 0, err)
	}
	return nil
}

// lines reads a JSON Lines file one record at a time into a fresh T and
// calls fn; it checks the number of records against the manifest's.
func lines[T any](r *restorer, name string, fn func(T) error) error {
	rc, err := r.open(name)
	if err != nil {
		return err
	}
	defer rc.Close()
	sc := bufio.NewScanner(rc)
	sc.Buffer(make([]byte, 0, 1<<20), 256<<20) // a story with its versions can be large
	n := 0
	for sc.Scan() {
		n++
		if len(bytes.TrimSpace(sc.Bytes())) == 0 {
			continue
		}
		var v T
		dec := json.NewDecoder(bytes.NewReader(sc.Bytes()))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&v); err != nil {
			return r.bad(name, n, fmt.Errorf("bad JSON: %w", err))
		}
		r.counts[name]++
		if err := fn(v); err != nil {
			return r.bad(name, n, err)
		}
	}
	if err := sc.Err(); err != nil {
		return r.bad(name, n, err)
	}
	if want := r.m.Counts[name]; r.counts[name] != want {
		return r.bad(name, 0, fmt.Errorf("holds %d records, the manifest says %d (cut short?)", r.counts[name], want))
	}
	return nil
}

func (r *restorer) manifest() error {
	if err := r.readJSON(ManifestFile, &r.m); err != nil {
		return err
	}
	if r.m.Format != Format {
		return r.bad(ManifestFile, 0, fmt.Errorf("format %q is not a Newsdesk site archive (%q)", r.m.Format, Format))
	}
	if !readVersions[r.m.Version] {
		return r.bad(ManifestFile, 0, fmt.Errorf("format version %d is unknown to this Newsdesk, which reads versions 1 to %d", r.m.Version, FormatVersion))
	}
	for _, name := range append([]string{SettingsFile}, recordFiles...) {
		if _, ok := r.files[name]; !ok {
			return r.bad(name, 0, errors.New("missing from the archive"))
		}
	}
	return nil
}

// settings restores the site's settings as they were, the secret only
// when the archive has it (else the site keeps its own).
func (r *restorer) settings() error {
	var kv map[string]string
	if err := r.readJSON(SettingsFile, &kv); err != nil {
		return err
	}
	keys := make([]string, 0, len(kv))
	for k := range kv {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		if err := r.tx.SetSetting(r.ctx, k, kv[k]); err != nil {
			return r.bad(SettingsFile, 0, err)
		}
	}
	r.counts[SettingsFile] = len(keys)
	return r.tx.AddAudit(r.ctx, r.actor.Audit("settings", "site", "site archive: "+strings.Join(keys, ", ")))
}

func (r *restorer) readUnits() error {
	return lines(r, UnitsFile, func(u Unit) error {
		n := model.Unit{Name: u.Name}
		if err := r.accounts.SaveUnit(r.ctx, r.actor, &n); err != nil {
			return fmt.Errorf("unit %d (%s): %w", u.ID, u.Name, err)
		}
		r.units[u.ID] = n.ID
		return nil
	})
}

func (r *restorer) readUsers() error {
	return lines(r, UsersFile, func(u User) error {
		unit, ok := r.units.get(u.UnitID)
		if !ok {
			return fmt.Errorf("user %s: unit %d is not in %s", u.Username, u.UnitID, UnitsFile)
		}
		n := model.User{Username: u.Username, Name: u.Name, Roles: u.Roles, UnitID: unit, Disabled: u.Disabled,
			CreatedAt: u.CreatedAt, PasswordHash: u.PasswordHash, PasswordChangedAt: u.PasswordChangedAt}
		if err := r.accounts.ImportUser(r.ctx, r.actor, &n, "site archive"); err != nil {
			return fmt.Errorf("user %s: %w", u.Username, err)
		}
		r.users[u.ID] = n.ID
		return nil
	})
}

// user maps a user id, or fails naming what refers to it.
func (r *restorer) user(old int64, what string) (int64, error) {
	id, ok := r.users.get(old)
	if !ok {
		return 0, fmt.Errorf("%s: user %d is not in %s", what, old, UsersFile)
	}
	return id, nil
}

// steps maps the named users of review steps.
func (r *restorer) steps(steps []model.ReviewStep, what string) ([]model.ReviewStep, error) {
	if steps == nil {
		return nil, nil
	}
	out := make([]model.ReviewStep, len(steps))
	for i, st := range steps {
		st.UserIDs = slices.Clone(st.UserIDs)
		for j, id := range st.UserIDs {
			n, err := r.user(id, what)
			if err != nil {
				return nil, err
			}
			st.UserIDs[j] = n
		}
		out[i] = st
	}
	return out, nil
}

// readColumns restores the tree parents first, whatever the order of
// their ids, then the columns' own review chains.
func (r *restorer) readColumns() error {
	var cols []Column
	if err := lines(r, ColumnsFile, func(c Column) error { cols = append(cols, c); return nil }); err != nil {
		return err
	}
	byID := map[int64]Column{}
	for _, c := range cols {
		byID[c.ID] = c
	}
	var add func(c Column, depth int) error
	add = func(c Column, depth int) error {
		if _, done := r.columns[c.ID]; done {
			return nil
		}
		if depth > len(cols) {
			return r.bad(ColumnsFile, 0, fmt.Errorf("column %s: its parents make a cycle", c.Slug))
		}
		parent := int64(0)
		if c.ParentID != 0 {
			p, ok := byID[c.ParentID]
			if !ok {
				return r.bad(ColumnsFile, 0, fmt.Errorf("column %s: parent %d is not in the file", c.Slug, c.ParentID))
			}
			if err := add(p, depth+1); err != nil {
				return err
			}
			parent = r.columns[c.ParentID]
		}
		n, err := r.cols.Save(r.ctx, r.actor, model.Column{ParentID: parent, Slug: c.Slug, Name: c.Name, Description: c.Description, Position: c.Position})
		if err != nil {
			return r.bad(ColumnsFile, 0, fmt.Errorf("column %s: %w", c.Slug, err))
		}
		r.columns[c.ID] = n.ID
		return nil
	}
	for _, c := range cols {
		if err := add(c, 0); err != nil {
			return err
		}
	}
	for _, c := range cols {
		if c.Chain == nil {
			continue
		}
		steps, err := r.steps(c.Chain.Steps, "review chain of column "+c.Slug)
		if err != nil {
			return r.bad(ColumnsFile, 0, err)
		}
		if _, err := r.reviews.SaveChain(r.ctx, r.actor, r.columns[c.ID], steps); err != nil {
			return r.bad(ColumnsFile, 0, fmt.Errorf("review chain of column %s: %w", c.Slug, err))
		}
	}
	return nil
}

// readCheckRules restores every version of the content-check rule lists,
// with who saved each and when.
func (r *restorer) readCheckRules() error {
	return lines(r, CheckRulesFile, func(c CheckRules) error {
		by, err := r.user(c.SavedBy, "check rules "+c.Kind)
		if err != nil {
			return err
		}
		l := model.CheckRuleList{Kind: c.Kind, Body: c.Body, SavedBy: by, SavedAt: c.SavedAt}
		if err := r.tx.SaveCheckRules(r.ctx, &l); err != nil {
			return err
		}
		return r.tx.AddAudit(r.ctx, r.actor.Audit("check_rules", "check "+c.Kind, fmt.Sprintf("site archive: version %d", l.Version)))
	})
}

// readMedia restores each file from its original bytes through the media
// service (checked by content, the served copy made again, its variants
// queued), with its description.
func (r *restorer) readMedia() error {
	return lines(r, MediaFile, func(m Media) error {
		data, err := r.fileBytes(m.File)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(data)
		if got := hex.EncodeToString(sum[:]); got != m.OriginalSHA256 {
			return r.bad(m.File, 0, fmt.Errorf("sha256 %s, the record of media %d says %s", got, m.ID, m.OriginalSHA256))
		}
		by, err := r.user(m.UploadedBy, "media "+strconv.FormatInt(m.ID, 10))
		if err != nil {
			return err
		}
		var n model.Media
		if strings.HasPrefix(m.ContentType, "image/") {
			n, err = r.mediaSvc.Save(r.ctx, r.actor, m.Name, data, model.Media{Caption: m.Caption, Alt: m.Alt, Credit: m.Credit, CreatedAt: m.CreatedAt, UploadedBy: by})
		} else {
			n, err = r.mediaSvc.SaveAttachment(r.ctx, r.actor, m.Name, data)
		}
		if n.Key != "" {
			r.written = append(r.written, n.Key)
		}
		if n.OriginalKey != "" {
			r.written = append(r.written, n.OriginalKey)
		}
		if err != nil {
			return fmt.Errorf("media %d (%s): %w", m.ID, m.Name, err)
		}
		if !strings.HasPrefix(m.ContentType, "image/") {
			n.Caption, n.Alt, n.Credit = m.Caption, m.Alt, m.Credit
			if err := r.tx.UpdateMedia(r.ctx, &n); err != nil {
				return err
			}
		}
		if m.Public {
			if err := r.tx.SetMediaPublic(r.ctx, n.ID, true); err != nil {
				return err
			}
		}
		r.media[m.ID] = n.ID
		return nil
	})
}

// fileBytes reads a file of the archive whole (one media original).
func (r *restorer) fileBytes(name string) ([]byte, error) {
	rc, err := r.open(name)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	data, err := io.ReadAll(rc)
	if err != nil {
		return nil, r.bad(name, 0, err)
	}
	return data, nil
}

// mediaRef finds the media addresses of a body: /media/{id}/.
var mediaRef = regexp.MustCompile(`/media/([0-9]+)/`)

// body maps the media a body refers to; a file the archive does not hold
// keeps its address (it was missing on the old site too).
func (r *restorer) body(s string) string {
	return mediaRef.ReplaceAllStringFunc(s, func(m string) string {
		old, _ := strconv.ParseInt(m[len("/media/"):len(m)-1], 10, 64)
		if id, ok := r.media[old]; ok {
			return "/media/" + strconv.FormatInt(id, 10) + "/"
		}
		return m
	})
}

func (r *restorer) readArticles() error {
	return lines(r, ArticlesFile, func(a Article) error {
		what := "article " + strconv.FormatInt(a.ID, 10)
		n, err := r.content(a.Content, what)
		if err != nil {
			return err
		}
		author, err := r.user(a.AuthorID, what)
		if err != nil {
			return err
		}
		unit, ok := r.units.get(a.UnitID)
		if !ok {
			return fmt.Errorf("%s: unit %d is not in %s", what, a.UnitID, UnitsFile)
		}
		chain, err := r.steps(a.Review.Chain, what)
		if err != nil {
			return err
		}
		n.Status, n.PublishedAt, n.CreatedAt, n.UpdatedAt, n.Views = a.Status, a.PublishedAt, a.CreatedAt, a.UpdatedAt, a.Views
		n.AuthorID, n.UnitID, n.SavedBy, n.RevisedAt, n.Correction = author, unit, author, a.RevisedAt, a.Correction
		n.Review = model.Review{Chain: chain, Step: a.Review.Step, Since: a.Review.Since}
		if i, st, ok := review.Current(n); ok && i < len(review.Steps(n)) {
			n.Review.Waiting = review.Waiting(st, n) // the inboxes it waits in, with the new ids
		}
		if err := r.arts.Import(r.ctx, r.actor, &n, "site archive "+what); err != nil {
			return fmt.Errorf("%s (%s): %w", what, a.Title, err)
		}
		versions := make([]model.Version, len(a.Versions))
		for i, v := range a.Versions {
			by, err := r.user(v.SavedBy, what+" version "+strconv.Itoa(v.Version))
			if err != nil {
				return err
			}
			versions[i] = model.Version{Version: v.Version, Title: v.Title, Summary: v.Summary, Body: r.body(v.Body), SavedBy: by, SavedAt: v.SavedAt}
		}
		events := make([]model.Event, len(a.Events))
		for i, ev := range a.Events {
			by, err := r.user(ev.UserID, what+" event "+ev.Action)
			if err != nil {
				return err
			}
			events[i] = model.Event{UserID: by, Action: ev.Action, From: ev.From, To: ev.To, Comment: ev.Comment, IP: ev.IP,
				At: ev.At, Step: ev.Step, StepName: ev.StepName, StepKey: ev.StepKey, ToStep: ev.ToStep, Version: ev.Version,
				Via: ev.Via, Reason: ev.Reason, ActorName: ev.ActorName, Correction: ev.Correction}
		}
		if err := r.tx.RestoreHistory(r.ctx, n.ID, a.Version, versions, events); err != nil {
			return err
		}
		if err := r.annotations(n.ID, a.Annotations, what); err != nil {
			return err
		}
		if a.WorkingCopy != nil {
			if err := r.workingCopy(n, *a.WorkingCopy, what); err != nil {
				return err
			}
		}
		r.articles[a.ID] = n.ID
		return nil
	})
}

// annotations restores a story's annotations and replies as they were
// (who, when, resolved by whom), like its history: the rules of
// annotation.Service (who may annotate a story in which state) were
// checked when they were made.
func (r *restorer) annotations(articleID int64, as []Annotation, what string) error {
	ids := ids{}
	for _, x := range as {
		w := fmt.Sprintf("%s annotation %d", what, x.ID)
		parent, ok := ids.get(x.ParentID)
		if !ok {
			return fmt.Errorf("%s: answers annotation %d, not before it in the story", w, x.ParentID)
		}
		by, err := r.user(x.UserID, w)
		if err != nil {
			return err
		}
		resolvedBy, err := r.user(x.ResolvedBy, w)
		if err != nil {
			return err
		}
		n := model.Annotation{ArticleID: articleID, ParentID: parent, UserID: by, Quote: x.Quote, Prefix: x.Prefix, Suffix: x.Suffix,
			Position: x.Position, Version: x.Version, Body: x.Body, CreatedAt: x.CreatedAt}
		if err := r.tx.CreateAnnotation(r.ctx, &n); err != nil {
			return fmt.Errorf("%s: %w", w, err)
		}
		if !x.ResolvedAt.IsZero() {
			if err := r.tx.ResolveAnnotation(r.ctx, n.ID, resolvedBy, x.ResolvedAt); err != nil {
				return fmt.Errorf("%s: %w", w, err)
			}
		}
		ids[x.ID] = n.ID
	}
	return nil
}

// workingCopy restores the working copy of story a (restored already),
// where it stood in its correction chain and waiting in the same inboxes.
func (r *restorer) workingCopy(a model.Article, wc WorkingCopy, what string) error {
	what += " working copy"
	c, err := r.content(wc.Content, what)
	if err != nil {
		return err
	}
	by, err := r.user(wc.CreatedBy, what)
	if err != nil {
		return err
	}
	chain, err := r.steps(wc.Review.Chain, what)
	if err != nil {
		return err
	}
	c.ID, c.Correction, c.Status, c.UpdatedAt, c.UnitID, c.AuthorID = a.ID, wc.Correction, wc.Status, wc.UpdatedAt, a.UnitID, a.AuthorID
	c.Review = model.Review{Chain: chain, Step: wc.Review.Step, Since: wc.Review.Since, Correction: true}
	n := model.WorkingCopy{Article: c, CreatedBy: by, CopiedAt: wc.CopiedAt}
	if n.Status != model.StatusReturned {
		if i, st, ok := review.Current(n.Article); ok && i < len(review.Steps(n.Article)) {
			n.Review.Waiting = review.Waiting(st, n.Article)
		}
	}
	return r.tx.RestoreWorkingCopy(r.ctx, n)
}

// content is c as a story of this site: its column, lead image and the
// media its body shows renumbered.
func (r *restorer) content(c Content, what string) (model.Article, error) {
	col, ok := r.columns[c.ColumnID]
	if !ok {
		return model.Article{}, fmt.Errorf("%s: column %d is not in %s", what, c.ColumnID, ColumnsFile)
	}
	lead, ok := r.media.get(c.LeadMediaID)
	if !ok {
		return model.Article{}, fmt.Errorf("%s: lead image %d is not in %s", what, c.LeadMediaID, MediaFile)
	}
	return model.Article{ColumnID: col, Kicker: c.Kicker, Title: c.Title, Subtitle: c.Subtitle, Summary: c.Summary,
		Body: r.body(c.Body), LeadMediaID: lead, Credits: c.Credits}, nil
}

func (r *restorer) article(old int64, what string) (int64, error) {
	id, ok := r.articles[old]
	if !ok {
		return 0, fmt.Errorf("%s: article %d is not in %s", what, old, ArticlesFile)
	}
	return id, nil
}

func (r *restorer) readSlots() error {
	return lines(r, SlotsFile, func(p Placement) error {
		id, err := r.article(p.ArticleID, "slot "+p.Slot)
		if err != nil {
			return err
		}
		return r.slots.Place(r.ctx, r.actor, model.Placement{Slot: p.Slot, ArticleID: id, Position: p.Position, ExpiresAt: p.ExpiresAt})
	})
}

func (r *restorer) readPages() error {
	return lines(r, PagesFile, func(p Page) error {
		n := model.Page{Slug: p.Slug, Title: p.Title, Body: r.body(p.Body)}
		if err := r.site.SavePage(r.ctx, r.actor, &n); err != nil {
			return fmt.Errorf("page %s: %w", p.Slug, err)
		}
		return nil
	})
}

func (r *restorer) readRedirects() error {
	return lines(r, RedirectsFile, func(d Redirect) error {
		n := model.Redirect{Path: d.Path, Target: d.Target}
		if d.ArticleID != 0 {
			id, err := r.article(d.ArticleID, "redirect "+d.Path)
			if err != nil {
				return err
			}
			n.ArticleID = id
		}
		n, err := r.redirects2.Save(r.ctx, r.actor, n)
		if err != nil {
			return fmt.Errorf("redirect %s: %w", d.Path, err)
		}
		r.redirects[d.ID] = n.ID
		return nil
	})
}

// readImports keeps what earlier imports made of their items, so that
// running the same WordPress import on the restored site creates nothing
// twice.
func (r *restorer) readImports() error {
	return lines(r, ImportsFile, func(rec ImportRecord) error {
		var ref int64
		var ok bool
		switch rec.Kind {
		case model.ImportArticle:
			ref, ok = r.articles[rec.RefID]
		case model.ImportMedia:
			ref, ok = r.media[rec.RefID]
		}
		if !ok {
			return nil // what it made was deleted on the old site: a new import makes it again
		}
		return r.tx.SaveImportRecord(r.ctx, model.ImportRecord{Source: rec.Source, Original: rec.Original, Kind: rec.Kind,
			RefID: ref, Digest: rec.Digest, ImportedAt: rec.ImportedAt})
	})
}

// auditTarget finds the targets that name a record by id.
var auditTarget = regexp.MustCompile(`^(article|media|column|redirect|unit) ([0-9]+)$`)

// readAudit appends the old site's audit log after the import's own
// entries, each with its time, its user and its target mapped to the new
// ids (the chain's hashes are new: the old ones covered the old ids).
func (r *restorer) readAudit() error {
	byKind := map[string]ids{"article": r.articles, "media": r.media, "column": r.columns, "redirect": r.redirects, "unit": r.units}
	return lines(r, AuditFile, func(e AuditEntry) error {
		user, ok := r.users.get(e.UserID)
		if !ok {
			user = 0 // a user no longer there: the entry keeps its name in its target or detail
		}
		target := e.Target
		if m := auditTarget.FindStringSubmatch(target); m != nil {
			old, _ := strconv.ParseInt(m[2], 10, 64)
			if id, ok := byKind[m[1]][old]; ok {
				target = m[1] + " " + strconv.FormatInt(id, 10)
			}
		}
		return r.tx.AddAudit(r.ctx, model.AuditEntry{At: e.At, UserID: user, Action: e.Action, Target: target, Detail: e.Detail, IP: e.IP, Via: e.Via})
	})
}

// removeFiles deletes the media files a failed import wrote.
func (r *restorer) removeFiles() {
	for _, k := range r.written {
		if err := r.t.Files.Delete(context.WithoutCancel(r.ctx), k); err != nil {
			r.t.Log.Warn("remove a file of a failed site import", "key", k, "err", err)
		}
	}
}

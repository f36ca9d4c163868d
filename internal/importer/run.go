package importer

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"time"

	"newsdesk/internal/account"
	"newsdesk/internal/article"
	"newsdesk/internal/column"
	"newsdesk/internal/media"
	"newsdesk/internal/model"
	"newsdesk/internal/reader"
	"newsdesk/internal/redirect"
	"newsdesk/internal/site"
	"newsdesk/internal/store"
)

// UserAgent names Newsdesk to the servers pictures and pages come from.
const UserAgent = "Newsdesk-importer/1 (+https://newsdesk.invalid/docs/import)"

// Importer writes what a source held through the domain services. Its
// services must not purge the page cache on each change (Changed nil):
// Run calls Done once at the end instead.
type Importer struct {
	Store     store.Store
	Articles  *article.Service
	Columns   *column.Service
	Media     *media.Service
	Site      *site.Service
	Redirects *redirect.Service
	Accounts  *account.Service
	Actor     model.Actor
	// HTTP fetches pictures (http.DefaultClient with a time-out when nil).
	HTTP *http.Client
	// Uploads is a local copy of the old site's wp-content/uploads.
	Uploads string
	// DryRun reads and reports, writing nothing and downloading nothing.
	DryRun bool
	// AsUsers makes the source's authors desk users (contributors that
	// cannot sign in until an administrator sets their password).
	AsUsers bool
	// Workers download and check the pictures of the items ahead of the
	// one being written (GOMAXPROCS when 0). A crawl takes 1: the old site
	// gets one request at a time, pictures included.
	Workers int
	// Delay is the least time between two picture downloads over HTTP: a
	// crawl's --delay, so the old site gets its pictures asked for at the
	// pace of its pages.
	Delay time.Duration
	// Progress, when set, is told after each item how many are done.
	Progress func(done, total int)
	// Done is called once after the import, when anything was written
	// (the page cache purge).
	Done func()
	Log  *slog.Logger
}

// Summary is what an import did.
type Summary struct {
	Created, Updated, Unchanged int
	Pages                       int
	Columns                     int // made
	Photos                      int // new library photos
	PhotosReused                int // found in the library already
	Users                       int // desk users made (--as-users)
	Redirects                   int // old addresses that now redirect
	Comments                    int // found and not imported
	Skipped                     []Skip
	Took                        time.Duration
}

// run is one import under way.
type run struct {
	*Importer
	source  string
	sum     *Summary
	tree    *column.Tree
	columns map[string]int64 // by category key
	users   map[string]int64 // by login
	files   map[string]model.Media
	failed  map[string]string // picture addresses that failed, and why
	fetch   *fetcher
	ready   map[string]*ready // the current item's pictures, made ready ahead
	next    func(ctx context.Context, i int) map[string]*ready
}

// Run imports p, read from source (e.g. "wxr:http://news.example.edu.cn").
func (im *Importer) Run(ctx context.Context, source string, p *Parsed) (Summary, error) {
	start := time.Now()
	sum := Summary{Comments: p.Comments, Skipped: append([]Skip(nil), p.Skipped...)}
	client := im.HTTP
	if client == nil {
		client = &http.Client{Timeout: 30 * time.Second}
	}
	r := &run{Importer: im, source: source, sum: &sum, columns: map[string]int64{}, users: map[string]int64{},
		files: map[string]model.Media{}, failed: map[string]string{}, fetch: &fetcher{client: client, uploads: im.Uploads, agent: UserAgent, delay: im.Delay}}
	if im.Log == nil {
		im.Log = slog.Default()
	}
	wrote := false
	defer func() {
		if wrote && !im.DryRun && im.Done != nil {
			im.Done()
		}
	}()
	if err := r.makeColumns(ctx, p.Categories); err != nil {
		return sum, err
	}
	wrote = sum.Columns > 0
	if !im.DryRun {
		ah := r.startAhead(ctx, p.Items)
		defer ah.stop()
		r.next = ah.take
	}
	for i, it := range p.Items {
		if err := ctx.Err(); err != nil {
			return sum, err
		}
		r.ready = nil
		if r.next != nil {
			r.ready = r.next(ctx, i)
		}
		w, err := r.item(ctx, it)
		wrote = wrote || w
		if err != nil {
			var ie *model.InvalidError
			if errors.As(err, &ie) || errors.Is(err, media.ErrRefused) {
				sum.Skipped = append(sum.Skipped, Skip{Where: it.Where, What: it.Title, Why: reasonOf(err)})
			} else {
				return sum, fmt.Errorf("%s (%s): %w", it.Title, it.Where, err)
			}
		}
		if im.Progress != nil {
			im.Progress(i+1, len(p.Items))
		}
	}
	sum.Took = time.Since(start)
	return sum, nil
}

var slugRE = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,39}$`)

// columnSlug is a category's column address: its WordPress name when it
// is plain ASCII, else cat- and the start of its name's sha256 (Chinese
// names come percent-encoded and would make unreadable addresses; the
// hash gives the same address on every run, whatever the order).
func columnSlug(key string) string {
	k := strings.ToLower(key)
	if un, err := url.PathUnescape(k); err == nil {
		k = un
	}
	if slugRE.MatchString(k) {
		return k
	}
	return "cat-" + digest([]byte(key))[:8]
}

// makeColumns finds or makes a column for each category, parents first;
// a column with the category's address already is reused.
func (r *run) makeColumns(ctx context.Context, cats []Category) error {
	cols, err := r.Store.Columns(ctx)
	if err != nil {
		return err
	}
	r.tree = column.NewTree(cols)
	for i, c := range cats {
		slug := columnSlug(c.Key)
		if col, err := r.tree.BySlug(slug); err == nil {
			r.columns[c.Key] = col.ID
			continue
		}
		r.sum.Columns++
		if r.DryRun {
			r.columns[c.Key] = -1
			continue
		}
		name := c.Name
		if name == "" {
			name = slug
		}
		col, err := r.Columns.Save(ctx, r.Actor, model.Column{Slug: slug, Name: name, ParentID: max(r.columns[c.Parent], 0), Position: i})
		if err != nil {
			return fmt.Errorf("column %s (%s): %w", name, slug, err)
		}
		r.columns[c.Key] = col.ID
	}
	return nil
}

// fallbackColumn is where stories of no known category go.
func (r *run) fallbackColumn(ctx context.Context) (int64, error) {
	if id, ok := r.columns[""]; ok {
		return id, nil
	}
	if col, err := r.tree.BySlug("imported"); err == nil {
		r.columns[""] = col.ID
		return col.ID, nil
	}
	r.sum.Columns++
	if r.DryRun {
		r.columns[""] = -1
		return -1, nil
	}
	col, err := r.Columns.Save(ctx, r.Actor, model.Column{Slug: "imported", Name: "导入"})
	if err != nil {
		return 0, err
	}
	r.columns[""] = col.ID
	return col.ID, nil
}

// item imports one story or page and reports whether it wrote anything.
func (r *run) item(ctx context.Context, it Item) (bool, error) {
	if it.Kind == KindPage {
		return r.page(ctx, it)
	}
	rec := model.ImportRecord{Source: r.source, Original: it.Original, Digest: it.Digest()}
	prev, err := r.Store.ImportRecord(ctx, r.source, it.Original)
	switch {
	case err == nil && prev.Digest == rec.Digest:
		r.sum.Unchanged++
		return false, nil
	case err != nil && !errors.Is(err, model.ErrNotFound):
		return false, err
	}
	seen := err == nil
	colID, ok := r.columns[it.Column]
	if !ok {
		if colID, err = r.fallbackColumn(ctx); err != nil {
			return false, err
		}
	}
	if r.DryRun {
		if seen {
			r.sum.Updated++
		} else {
			r.sum.Created++
		}
		return false, nil
	}
	body, credits := ReadCredits(it.Body)
	if len(credits.Writers) == 0 && it.Author != "" {
		credits.Writers = []string{it.Author}
	}
	a := model.Article{ColumnID: colID, Title: it.Title, Summary: plainSummary(it.Summary), Credits: credits, Status: it.Status, PublishedAt: it.PublishedAt}
	if r.AsUsers && it.AuthorLogin != "" {
		if a.AuthorID, err = r.user(ctx, it.AuthorLogin, it.Author); err != nil {
			return false, err
		}
	}
	pics, err := r.pictures(ctx, it, body, credits)
	if err != nil {
		return false, err
	}
	if a.Status == model.StatusScheduled && !a.PublishedAt.After(time.Now()) {
		a.Status = model.StatusPublished
	}
	paths := oldPaths(it)
	// The story, its new photos and every import record and audit entry
	// of both are one transaction: one commit a story instead of five,
	// and a story that fails leaves none of its photos behind either.
	var done string
	var saved map[string]model.Media
	err = r.Store.Tx(ctx, func(tx store.Store) error {
		var err error
		if saved, err = r.savePictures(ctx, tx, pics); err != nil {
			return err
		}
		files := r.filesOf(pics, saved)
		a.Body = rewriteImages(body, files)
		if m, ok := files[it.Lead]; ok && it.Lead != "" {
			a.LeadMediaID = m.ID
		} else if imgs := article.Images(a.Body); len(imgs) > 0 {
			a.LeadMediaID = imgs[0].MediaID
		}
		arts := *r.Articles // the import path itself, writing through tx
		arts.Store = tx
		done, err = arts.ImportRecorded(ctx, r.Actor, &a, rec, func(tx store.Store) error {
			for _, p := range paths {
				if err := redirect.ForImport(ctx, tx, p, a.ID); err != nil {
					return err
				}
			}
			return nil
		})
		return err
	})
	if err == nil {
		r.keepSaved(pics, saved)
	}
	if err != nil {
		return false, err
	}
	switch done {
	case article.ImportCreated:
		r.sum.Created++
		r.sum.Redirects += len(paths)
	case article.ImportUpdated:
		r.sum.Updated++
	}
	return true, nil
}

// itemPictures are an item's pictures, read and checked, before
// anything of them is written.
type itemPictures struct {
	srcs []string  // every address the item uses, the featured one first
	todo []picture // those not in the library by their address yet
}

// picture is one of an item's pictures that savePictures writes.
type picture struct {
	src   string
	sum   string         // its bytes' sha256
	known model.Media    // the library photo with these bytes, when there is one (ID ≠ 0)
	fresh *media.Checked // else a new photo, checked, to save with meta
	meta  model.Media
	same  string // else the address of the item's earlier picture with the same bytes
}

// pictures reads an item's pictures, the featured one first, then the
// body's in order; one that cannot be had is reported and left out of
// the story. Downloads and the photos' checks (by structure,
// media.CheckStructure: the variants job decodes the pixels later and
// marks a photo that does not decode) were mostly done ahead (see
// ahead.go), else run two at a time here; which bytes are new is decided
// in between, one picture at a time, so the same bytes twice make one
// photo. Nothing is written: savePictures does, in the story's
// transaction.
func (r *run) pictures(ctx context.Context, it Item, body string, credits model.Credits) (itemPictures, error) {
	srcs := imageSources(body)
	if it.Lead != "" {
		srcs = append([]string{it.Lead}, srcs...)
	}
	out := itemPictures{srcs: srcs}
	var todo []string
	for _, src := range srcs {
		if _, ok := r.files[src]; ok || contains(todo, src) {
			continue
		}
		if _, ok := r.failed[src]; ok {
			continue
		}
		// Imported before from this address: nothing to download.
		if rec, err := r.Store.ImportRecord(ctx, r.source, src); err == nil && rec.Kind == model.ImportMedia {
			if m, err := r.Store.Media(ctx, rec.RefID); err == nil {
				r.files[src] = m
				r.sum.PhotosReused++
				continue
			}
		}
		todo = append(todo, src)
	}
	fail := func(src string, err error) error {
		var ie *model.InvalidError
		if ctx.Err() != nil || (!errors.As(err, &ie) && !errors.Is(err, media.ErrRefused) && !isFetchError(err)) {
			return fmt.Errorf("picture %s: %w", src, err)
		}
		r.failed[src] = err.Error()
		r.sum.Skipped = append(r.sum.Skipped, Skip{Where: it.Where, What: src, Why: reasonOf(err)})
		return nil
	}
	data := make([][]byte, len(todo))
	errs := make([]error, len(todo))
	both(len(todo), func(i int) {
		if p := r.ready[todo[i]]; p != nil {
			data[i] = p.data
			if p.fetchErr != nil {
				errs[i] = &fetchError{p.fetchErr}
			}
			return
		}
		if b, err := r.fetch.fetch(ctx, todo[i]); err != nil {
			errs[i] = &fetchError{err}
		} else {
			data[i] = b
		}
	})
	// Which are new: the same bytes in the library, or twice here, are one photo.
	pics := make([]picture, len(todo))
	first := map[string]int{}
	dupOf := map[int]int{}
	var fresh []int
	for i, src := range todo {
		pics[i] = picture{src: src}
		if errs[i] != nil {
			if err := fail(src, errs[i]); err != nil {
				return out, err
			}
			continue
		}
		pics[i].sum = digest(data[i])
		if j, ok := first[pics[i].sum]; ok {
			pics[i].same = todo[j]
			dupOf[i] = j
			continue
		}
		first[pics[i].sum] = i
		if m, ok, err := r.known(ctx, pics[i].sum); err != nil {
			return out, err
		} else if ok {
			pics[i].known = m
			continue
		}
		fresh = append(fresh, i)
	}
	both(len(fresh), func(k int) {
		i := fresh[k]
		info := it.Images[todo[i]]
		alt := info.Alt
		if alt == "" {
			alt = info.Caption
		}
		pics[i].meta = model.Media{Caption: info.Caption, Alt: alt, Credit: strings.Join(credits.Photographers, " ")}
		if c, ok, err := r.ready[todo[i]].result(); ok {
			pics[i].fresh, errs[i] = c, err
			return
		}
		pics[i].fresh, errs[i] = r.Media.CheckStructure(ctx, imageName(todo[i]), data[i])
	})
	for _, i := range fresh {
		if errs[i] != nil {
			if err := fail(todo[i], errs[i]); err != nil {
				return out, err
			}
		}
	}
	for i, p := range pics {
		if j, dup := dupOf[i]; errs[i] != nil || (dup && errs[j] != nil) {
			continue // it, or the first with these bytes, failed
		}
		out.todo = append(out.todo, p)
	}
	return out, nil
}

// savePictures writes an item's new photos and the import record of
// each picture through tx, and returns the library photo of each address.
func (r *run) savePictures(ctx context.Context, tx store.Store, pics itemPictures) (map[string]model.Media, error) {
	saved := make(map[string]model.Media, len(pics.todo))
	for _, p := range pics.todo {
		var m model.Media
		switch {
		case p.fresh != nil:
			var err error
			if m, err = r.Media.SaveCheckedIn(ctx, tx, r.Actor, p.fresh, p.meta); err != nil {
				return nil, fmt.Errorf("picture %s: %w", p.src, err)
			}
		case p.known.ID != 0:
			m = p.known
		default:
			m = saved[p.same]
		}
		saved[p.src] = m
		if err := tx.SaveImportRecord(ctx, model.ImportRecord{Source: r.source, Original: p.src, Kind: model.ImportMedia, RefID: m.ID, Digest: p.sum}); err != nil {
			return nil, err
		}
	}
	return saved, nil
}

// filesOf is the library photo of each of an item's addresses: the ones
// saved with it, and those known before.
func (r *run) filesOf(pics itemPictures, saved map[string]model.Media) map[string]model.Media {
	files := make(map[string]model.Media, len(pics.srcs))
	for _, src := range pics.srcs {
		if m, ok := saved[src]; ok {
			files[src] = m
		} else if m, ok := r.files[src]; ok {
			files[src] = m
		}
	}
	return files
}

// keepSaved remembers an item's pictures once its transaction committed.
func (r *run) keepSaved(pics itemPictures, saved map[string]model.Media) {
	for _, p := range pics.todo {
		r.files[p.src] = saved[p.src]
		if p.fresh != nil {
			r.sum.Photos++
		} else {
			r.sum.PhotosReused++
		}
	}
}

// both runs fn(0) … fn(n-1), two at a time.
func both(n int, fn func(i int)) {
	var wg sync.WaitGroup
	sem := make(chan struct{}, 2)
	for i := range n {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			fn(i)
		})
	}
	wg.Wait()
}

// known finds a library photo with these bytes: one imported from any
// source, or uploaded.
func (r *run) known(ctx context.Context, sum string) (model.Media, bool, error) {
	if rec, err := r.Store.ImportRecordByDigest(ctx, model.ImportMedia, sum); err == nil {
		m, err := r.Store.Media(ctx, rec.RefID)
		if err == nil || !errors.Is(err, model.ErrNotFound) {
			return m, err == nil, err
		} // deleted from the library since: look for the bytes as uploaded
	}
	ms, _, err := r.Store.MediaList(ctx, store.MediaQuery{Checksum: sum, Limit: 1})
	if err != nil {
		return model.Media{}, false, err
	}
	if len(ms) > 0 {
		return ms[0], true, nil
	}
	return model.Media{}, false, nil
}

// oldPaths are the addresses an imported story had: its link, and its
// guid when that is another address of the same site (?p=12).
func oldPaths(it Item) []string {
	var out []string
	link, _ := url.Parse(it.Link)
	for _, s := range []string{it.Link, it.Original} {
		u, err := url.Parse(s)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || (link != nil && link.Host != "" && u.Host != link.Host) {
			continue
		}
		p, err := redirect.Path(s)
		if err == nil && !contains(out, p) {
			out = append(out, p)
		}
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// fetchError is a picture that could not be had from its address.
type fetchError struct{ err error }

func (e *fetchError) Error() string { return e.err.Error() }
func (e *fetchError) Unwrap() error { return e.err }

func isFetchError(err error) bool {
	var fe *fetchError
	return errors.As(err, &fe)
}

// AuthorsUnit is the unit imported authors join as desk users, for an
// administrator to move them to their own.
const AuthorsUnit = "导入的作者"

// user finds or makes the desk user of a source's author.
func (r *run) user(ctx context.Context, login, name string) (int64, error) {
	if id, ok := r.users[login]; ok {
		return id, nil
	}
	username := strings.ToLower(strings.TrimSpace(login))
	if u, err := r.Store.UserByName(ctx, username); err == nil {
		r.users[login] = u.ID
		return u.ID, nil
	}
	unit, err := r.Accounts.UnitID(ctx, r.Actor, AuthorsUnit)
	if err != nil {
		return 0, err
	}
	u := model.User{Username: username, Name: name, Roles: []string{model.RoleContributor}, UnitID: unit, Disabled: true}
	// A password nobody knows: the account signs in once an
	// administrator enables it and sets one.
	if err := r.Accounts.AddUser(ctx, r.Actor, &u, rand.Text()+rand.Text()); err != nil {
		return 0, fmt.Errorf("desk user %s: %w", username, err)
	}
	u.Disabled = true
	if err := r.Accounts.Update(ctx, r.Actor, u, ""); err != nil {
		return 0, fmt.Errorf("disable desk user %s: %w", username, err)
	}
	r.sum.Users++
	r.users[login] = u.ID
	return u.ID, nil
}

// page imports an editor page by its slug (saved again on each run: a
// page has no versions to keep apart), and redirects its old address.
func (r *run) page(ctx context.Context, it Item) (bool, error) {
	if it.Slug == "" {
		r.sum.Skipped = append(r.sum.Skipped, Skip{Where: it.Where, What: it.Title, Why: because("import.skip.no_slug")})
		return false, nil
	}
	r.sum.Pages++
	if r.DryRun {
		return false, nil
	}
	pics, err := r.pictures(ctx, it, it.Body, model.Credits{})
	if err != nil {
		return false, err
	}
	var saved map[string]model.Media
	if err := r.Store.Tx(ctx, func(tx store.Store) error {
		saved, err = r.savePictures(ctx, tx, pics)
		return err
	}); err != nil {
		return false, err
	}
	r.keepSaved(pics, saved)
	body := rewriteImages(it.Body, r.filesOf(pics, saved))
	if err := r.Site.SavePage(ctx, r.Actor, &model.Page{Slug: it.Slug, Title: it.Title, Body: body}); err != nil {
		return false, err
	}
	for _, p := range oldPaths(it) {
		if _, err := r.Redirects.Save(ctx, r.Actor, model.Redirect{Path: p, Target: reader.PageURL(it.Slug)}); err == nil {
			r.sum.Redirects++
		} else if !errors.Is(err, model.ErrInvalid) {
			return true, err
		}
	}
	return true, nil
}

// plainSummary is an excerpt without markup, within the summary's limit.
func plainSummary(s string) string {
	s = strings.TrimSpace(nodeTextOf(s))
	if r := []rune(s); len(r) > 1000 {
		s = string(r[:1000])
	}
	return s
}

func nodeTextOf(s string) string {
	var b strings.Builder
	for _, n := range parseBody(s) {
		b.WriteString(nodeText(n))
	}
	return strings.Join(strings.Fields(b.String()), " ")
}

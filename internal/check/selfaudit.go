package check

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"newsdesk/internal/article"
	"newsdesk/internal/model"
	"newsdesk/internal/store"
	"newsdesk/internal/table"
)

// JobAudit is the job kind of a self-audit (网站自查) re-scan; its ref is
// the run's id.
const JobAudit = "selfaudit"

// Self-audit rule ids beside the content checks' own.
const (
	RuleStale         = "column:stale"
	RuleEmpty         = "column:empty"
	RulePlacement     = "placement:expired"
	RuleBrokenLink    = "link:broken"
	RuleBrokenPicture = "picture:broken"
	RuleExternalLink  = "link:external"
	CatColumn         = "column"
)

// auditBatch is how many stories one step of a re-scan reads and checks
// (Service.AuditBatch overrides it): progress is saved after each, so a
// restart loses at most one batch.
const auditBatch = 500

func (s *Service) batch() int {
	if s.AuditBatch > 0 {
		return s.AuditBatch
	}
	return auditBatch
}

// StartAudit begins a re-scan of every story with the rules in force
// (editors, or the system); Queue, when set, hands it to the jobs.
func (s *Service) StartAudit(ctx context.Context, actor model.Actor) (model.CheckAuditRun, error) {
	if !mayEdit(actor) {
		return model.CheckAuditRun{}, fmt.Errorf("%w: start the self-audit", model.ErrForbidden)
	}
	if run, err := s.Store.CheckAuditRun(ctx); err == nil && run.FinishedAt.IsZero() {
		return run, nil // one under way: it goes on
	} else if err != nil && !errors.Is(err, model.ErrNotFound) {
		return run, err
	}
	_, total, err := s.Store.Articles(ctx, store.ArticleQuery{Limit: 1})
	if err != nil {
		return model.CheckAuditRun{}, err
	}
	run := model.CheckAuditRun{StartedAt: s.now(), Total: total}
	err = s.Store.Tx(ctx, func(tx store.Store) error {
		if err := tx.SaveCheckAuditRun(ctx, &run); err != nil {
			return err
		}
		if s.Queue != nil {
			if err := tx.EnqueueJob(ctx, JobAudit, run.ID, s.now()); err != nil {
				return err
			}
		}
		e := actor.Audit("selfaudit_start", fmt.Sprintf("selfaudit %d", run.ID), fmt.Sprintf("%d stories", total))
		e.At = s.now()
		return tx.AddAudit(ctx, e)
	})
	if err == nil && s.Queue != nil {
		s.Queue()
	}
	return run, err
}

// AuditJob runs (or resumes) run ref to its end: the job handler.
func (s *Service) AuditJob(ctx context.Context, ref int64) error {
	run, err := s.Store.CheckAuditRun(ctx)
	if err != nil {
		return err
	}
	if run.ID != ref || !run.FinishedAt.IsZero() {
		return nil // a newer run took over, or this one is done
	}
	for {
		done, err := s.AuditStep(ctx, &run)
		if err != nil || done {
			return err
		}
	}
}

// RunAudit starts (or resumes) a re-scan and runs it to the end here:
// the command line's.
func (s *Service) RunAudit(ctx context.Context, actor model.Actor) (model.CheckAuditRun, error) {
	run, err := s.StartAudit(ctx, actor)
	if err != nil {
		return run, err
	}
	for {
		done, err := s.AuditStep(ctx, &run)
		if err != nil || done {
			return run, err
		}
	}
}

// AuditStep checks the next batch of stories of run, saving its findings
// and progress; after the last story it checks the columns and
// placements and finishes the run.
func (s *Service) AuditStep(ctx context.Context, run *model.CheckAuditRun) (bool, error) {
	if err := ctx.Err(); err != nil {
		return false, err
	}
	c, err := s.Checker(ctx)
	if err != nil {
		return false, err
	}
	batch, _, err := s.Store.Articles(ctx, store.ArticleQuery{ByID: true, AfterID: run.AfterID, Limit: s.batch(), NoTotal: true})
	if err != nil {
		return false, fmt.Errorf("self-audit %d after story %d: %w", run.ID, run.AfterID, err)
	}
	o := s.options(ctx)
	now := s.now()
	probe, err := s.linkProber(ctx, run.ID)
	if err != nil {
		return false, err
	}
	// The stories are checked (and, with network checks on, their outside
	// links visited) before the transaction: a write transaction held
	// through network requests would stop every other writer on SQLite.
	found := make([][]model.CheckAuditItem, len(batch))
	for i, a := range batch {
		if found[i], err = s.auditArticle(ctx, c, o, a, probe); err != nil {
			return false, err
		}
	}
	var keep []string
	if probe == nil {
		keep = []string{RuleExternalLink} // not looked at: earlier findings stay as they were
	}
	// One transaction a batch: a commit (an fsync on SQLite) per story
	// would cost more than checking it.
	err = s.Store.Tx(ctx, func(tx store.Store) error {
		for i, a := range batch {
			if err := tx.SetCheckAuditItems(ctx, a.ID, 0, found[i], now, keep...); err != nil {
				return err
			}
			run.AfterID = a.ID
			run.Scanned++
		}
		return nil
	})
	if err != nil {
		return false, err
	}
	if len(batch) == s.batch() {
		return false, s.Store.SaveCheckAuditRun(ctx, run)
	}
	if err := s.auditColumns(ctx, now); err != nil {
		return false, err
	}
	run.FinishedAt = s.now()
	return true, s.Store.SaveCheckAuditRun(ctx, run)
}

// auditArticle is what a re-scan finds in one story: the content checks
// (not typography, which is the author's business, not the
// inspection's), broken internal links and pictures, and with probe its
// broken outside links.
func (s *Service) auditArticle(ctx context.Context, c *Checker, o Options, a model.Article, probe *linkProber) ([]model.CheckAuditItem, error) {
	d, err := s.ArticleDoc(ctx, a)
	if err != nil {
		return nil, err
	}
	var items []model.CheckAuditItem
	for _, f := range c.Check(d, o) {
		if f.Level == Info {
			continue
		}
		items = append(items, model.CheckAuditItem{ColumnID: a.ColumnID, UnitID: a.UnitID, Rule: f.Rule, Category: f.Category, Level: f.Level, Text: f.Text, Suggestion: f.Suggestion})
	}
	broken, err := s.broken(ctx, a, d)
	if err != nil {
		return nil, err
	}
	items = append(items, broken...)
	if probe == nil {
		return items, nil
	}
	for _, href := range externalLinks(d) {
		why, err := probe.broken(ctx, href)
		if err != nil {
			return nil, err
		}
		if why != "" {
			items = append(items, model.CheckAuditItem{ColumnID: a.ColumnID, UnitID: a.UnitID, Rule: RuleExternalLink, Category: CatLink, Level: Warn,
				Text: href, Suggestion: why})
		}
	}
	return items, nil
}

// linkProber returns run's prober of outside links, or nil when network
// checks are off: Links says, or else the site's settings.
func (s *Service) linkProber(ctx context.Context, run int64) (*linkProber, error) {
	var o LinkOptions
	if s.Links != nil {
		o = *s.Links
	} else {
		settings, err := s.Store.Settings(ctx)
		if err != nil {
			return nil, err
		}
		o = LinkOptionsFrom(settings)
	}
	if !o.On {
		return nil, nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.probe == nil || s.probeRun != run || s.probe.o != o {
		s.probe, s.probeRun = newLinkProber(o), run
	}
	return s.probe, nil
}

var articlePath = regexp.MustCompile(`^/articles/([0-9]+)$`)

// broken finds the body's links to stories that do not exist (or are not
// published) and pictures whose file is gone.
func (s *Service) broken(ctx context.Context, a model.Article, d Doc) ([]model.CheckAuditItem, error) {
	var out []model.CheckAuditItem
	item := func(rule, cat, text string) model.CheckAuditItem {
		return model.CheckAuditItem{ColumnID: a.ColumnID, UnitID: a.UnitID, Rule: rule, Category: cat, Level: Warn, Text: text}
	}
	for _, l := range d.Links {
		u, err := url.Parse(l.Href)
		if err != nil || u.Host != "" {
			continue // outside links are checked only with network checks on
		}
		m := articlePath.FindStringSubmatch(u.Path)
		if m == nil {
			continue
		}
		id, _ := strconv.ParseInt(m[1], 10, 64)
		target, err := s.Store.Article(ctx, id)
		if errors.Is(err, model.ErrNotFound) || (err == nil && !article.Visible(target, s.now())) {
			out = append(out, item(RuleBrokenLink, CatLink, l.Href))
		} else if err != nil {
			return nil, err
		}
	}
	var ids []int64
	for _, p := range d.Pictures {
		if id := article.MediaID(p.Src); id != 0 {
			ids = append(ids, id)
		}
	}
	if len(ids) > 0 {
		files, err := s.Store.MediaByIDs(ctx, ids)
		if err != nil {
			return nil, err
		}
		for _, p := range d.Pictures {
			if id := article.MediaID(p.Src); id != 0 {
				if _, ok := files[id]; !ok {
					out = append(out, item(RuleBrokenPicture, CatPicture, p.Src))
				}
			}
		}
	}
	return out, nil
}

// auditColumns finds the columns not updated within their update period
// (更新周期, model.Column.UpdateDays), the empty ones, and slot placements
// past their expiry.
func (s *Service) auditColumns(ctx context.Context, now time.Time) error {
	cols, err := s.Store.Columns(ctx)
	if err != nil {
		return err
	}
	for _, col := range cols {
		var items []model.CheckAuditItem
		latest, n, err := s.Store.Articles(ctx, store.ArticleQuery{ColumnIDs: []int64{col.ID}, Status: model.StatusPublished, PublishedBy: now, Limit: 1})
		if err != nil {
			return err
		}
		days := col.UpdateDays // 0: no update period, not checked
		switch {
		case n == 0:
			items = append(items, model.CheckAuditItem{ColumnID: col.ID, Rule: RuleEmpty, Category: CatColumn, Level: Warn, Text: col.Name})
		case days > 0 && latest[0].PublishedAt.Before(now.AddDate(0, 0, -days)):
			items = append(items, model.CheckAuditItem{ColumnID: col.ID, Rule: RuleStale, Category: CatColumn, Level: Warn, Text: col.Name,
				Suggestion: strconv.Itoa(days)})
		}
		if err := s.Store.SetCheckAuditItems(ctx, 0, col.ID, items, now); err != nil {
			return err
		}
	}
	var site []model.CheckAuditItem
	for _, slot := range []string{model.SlotFocus, model.SlotRecommended} {
		placed, err := s.Store.Placements(ctx, slot)
		if err != nil {
			return err
		}
		for _, p := range placed {
			if !p.ExpiresAt.IsZero() && p.ExpiresAt.Before(now) {
				site = append(site, model.CheckAuditItem{Rule: RulePlacement, Category: CatColumn, Level: Warn,
					Text: fmt.Sprintf("%s:%d", slot, p.ArticleID)})
			}
		}
	}
	return s.Store.SetCheckAuditItems(ctx, 0, 0, site, now)
}

// AuditItems returns a page of the rectification list (editors), by
// unit, column and story.
func (s *Service) AuditItems(ctx context.Context, actor model.Actor, q model.CheckAuditQuery) ([]model.CheckAuditItem, int, error) {
	if !mayEdit(actor) {
		return nil, 0, fmt.Errorf("%w: the rectification list", model.ErrForbidden)
	}
	return s.Store.CheckAuditItems(ctx, q)
}

// SetAuditStatus marks a rectification item fixed, accepted (with a
// reason) or open again, audited.
func (s *Service) SetAuditStatus(ctx context.Context, actor model.Actor, id int64, status, reason string) error {
	if !mayEdit(actor) {
		return fmt.Errorf("%w: the rectification list", model.ErrForbidden)
	}
	reason = strings.TrimSpace(reason)
	switch status {
	case model.AuditAccepted:
		if reason == "" {
			return model.Invalid("check_reason")
		}
	case model.AuditOpen, model.AuditFixed:
	default:
		return model.Invalid("check_status")
	}
	return s.Store.Tx(ctx, func(tx store.Store) error {
		if err := tx.SetCheckAuditStatus(ctx, id, status, reason, actor.User.ID, s.now()); err != nil {
			return err
		}
		e := actor.Audit("selfaudit_"+status, fmt.Sprintf("selfaudit item %d", id), reason)
		e.At = s.now()
		return tx.AddAudit(ctx, e)
	})
}

// ExportAudit writes the whole rectification list as an XLSX workbook,
// a line an item (row says what its cells hold, in the reader's
// language), by unit, column and story.
func (s *Service) ExportAudit(ctx context.Context, actor model.Actor, header []string, row func(model.CheckAuditItem) []string, w io.Writer) error {
	if !mayEdit(actor) {
		return fmt.Errorf("%w: the rectification list", model.ErrForbidden)
	}
	tw, err := table.New(table.XLSX, w)
	if err != nil {
		return err
	}
	if err := tw.Write(header); err != nil {
		return err
	}
	const page = 1000
	for offset := 0; ; offset += page {
		items, _, err := s.Store.CheckAuditItems(ctx, model.CheckAuditQuery{Limit: page, Offset: offset})
		if err != nil {
			return err
		}
		for _, it := range items {
			if err := tw.Write(row(it)); err != nil {
				return err
			}
		}
		if len(items) < page {
			break
		}
	}
	return tw.Close()
}

// AuditTable is the rectification list's header and a row maker naming
// units, columns and stories, in the language of t (a catalogue lookup).
func (s *Service) AuditTable(ctx context.Context, t func(key string, args ...any) string) ([]string, func(model.CheckAuditItem) []string, error) {
	units, err := s.Store.Units(ctx)
	if err != nil {
		return nil, nil, err
	}
	cols, err := s.Store.Columns(ctx)
	if err != nil {
		return nil, nil, err
	}
	unitName, colName := map[int64]string{0: t("check.audit.centre")}, map[int64]string{}
	for _, u := range units {
		unitName[u.ID] = u.Name
	}
	for _, c := range cols {
		colName[c.ID] = c.Name
	}
	titles := map[int64]string{}
	header := []string{t("check.audit.unit"), t("check.audit.column"), t("check.audit.story"), t("check.audit.rule"), t("check.audit.level"),
		t("check.audit.text"), t("check.audit.suggestion"), t("check.audit.status"), t("check.audit.reason"), t("check.audit.updated")}
	row := func(it model.CheckAuditItem) []string {
		title, ok := titles[it.ArticleID]
		if !ok && it.ArticleID != 0 {
			if a, err := s.Store.Article(ctx, it.ArticleID); err == nil {
				title = a.Title
			}
			titles[it.ArticleID] = title
		}
		return []string{unitName[it.UnitID], colName[it.ColumnID], title, it.Rule, t("check.level." + it.Level), it.Text, it.Suggestion,
			t("check.audit.status_" + it.Status), it.Reason, it.UpdatedAt.Format(time.DateTime)}
	}
	return header, row, nil
}

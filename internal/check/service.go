package check

import (
	"context"
	"fmt"
	"html"
	"slices"
	"strings"
	"sync"
	"time"

	"newsdesk/internal/article"
	"newsdesk/internal/model"
	"newsdesk/internal/store"
)

// Service keeps the site's rule lists and runs the checks: every change
// to a list is checked, versioned and audited; the compiled rules are
// cached until a list changes here or (through Invalidate, called on the
// database's change notifications) on another instance.
type Service struct {
	Store Store
	// SiteURL returns the site's public address (links to it are the
	// site's own; an https site flags http: links).
	SiteURL func(ctx context.Context) string
	// Changed is called after a list changed, to tell the other instances.
	Changed func()
	// Now returns the current time; tests replace it.
	Now func() time.Time
	// Queue, when set, wakes the job runner after a self-audit was queued.
	Queue func()
	// AuditBatch is the stories a self-audit step checks (0: 500).
	AuditBatch int
	// Links, when set, say whether and how the self-audit visits outside
	// links (selfcheck's flags); nil: the site's settings say.
	Links *LinkOptions

	mu       sync.Mutex
	checker  *Checker
	probe    *linkProber // the outside links of run probeRun
	probeRun int64
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// Invalidate drops the compiled rules: the next check reads the lists
// again. Called when another instance changed them.
func (s *Service) Invalidate() {
	s.mu.Lock()
	s.checker = nil
	s.mu.Unlock()
}

// Lists returns every kind's list in force: the stored version, or the
// project's starter list (version 0) for a kind never saved.
func (s *Service) Lists(ctx context.Context) (map[string]model.CheckRuleList, error) {
	stored, err := s.Store.CheckRules(ctx)
	if err != nil {
		return nil, err
	}
	out := make(map[string]model.CheckRuleList, len(Kinds))
	for _, k := range Kinds {
		out[k] = model.CheckRuleList{Kind: k, Body: Starter(k)}
	}
	for _, l := range stored {
		out[l.Kind] = l
	}
	return out, nil
}

// Checker returns the compiled rules in force.
func (s *Service) Checker(ctx context.Context) (*Checker, error) {
	s.mu.Lock()
	c := s.checker
	s.mu.Unlock()
	if c != nil {
		return c, nil
	}
	lists, err := s.Lists(ctx)
	if err != nil {
		return nil, fmt.Errorf("content-check rules: %w", err)
	}
	var r Rules
	for _, k := range Kinds {
		r.Parse(k, lists[k].Body) // saved lists were checked; a bad line is left out
		r.Version += lists[k].Version
	}
	c = Compile(r)
	s.mu.Lock()
	s.checker = c
	s.mu.Unlock()
	return c, nil
}

// mayEdit: editors and administrators keep the rule lists (and the
// system, loading the demo site's).
func mayEdit(a model.Actor) bool { return a.IsSystem() || a.User.CanPublish() }

// BadLines is the error of a list with lines that cannot work: each line
// and why. Save keeps the rest only when told to (confirm).
type BadLines struct{ Lines []LineError }

func (e *BadLines) Error() string { return fmt.Sprintf("%d bad rule lines", len(e.Lines)) }

// Unwrap makes a list with bad lines an invalid input, whose message
// counts them.
func (e *BadLines) Unwrap() error { return model.Invalid("check_bad_lines", len(e.Lines)) }

// Save stores text as the next version of a kind's list. Lines that
// cannot work are refused with *BadLines; with confirm, the good lines
// are saved and the bad ones left out (an import of a long list).
func (s *Service) Save(ctx context.Context, actor model.Actor, kind, text string, confirm bool) (model.CheckRuleList, error) {
	if !mayEdit(actor) {
		return model.CheckRuleList{}, fmt.Errorf("%w: edit content-check rules", model.ErrForbidden)
	}
	if !slices.Contains(Kinds, kind) {
		return model.CheckRuleList{}, model.Invalid("check_kind", kind)
	}
	var r Rules
	bad := r.Parse(kind, text)
	if len(bad) > 0 && !confirm {
		return model.CheckRuleList{}, &BadLines{Lines: bad}
	}
	body := text
	if len(bad) > 0 {
		drop := map[int]bool{}
		for _, b := range bad {
			drop[b.Line] = true
		}
		var keep []string
		for i, l := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n") {
			if !drop[i+1] {
				keep = append(keep, l)
			}
		}
		body = strings.Join(keep, "\n")
	}
	l := model.CheckRuleList{Kind: kind, Body: body, SavedBy: actor.User.ID, SavedAt: s.now()}
	n := count(&r, kind)
	err := s.Store.Tx(ctx, func(tx store.Store) error {
		if err := tx.SaveCheckRules(ctx, &l); err != nil {
			return err
		}
		e := actor.Audit("check_rules", "check "+kind, fmt.Sprintf("version %d: %d rules, %d lines left out", l.Version, n, len(bad)))
		e.At = s.now()
		return tx.AddAudit(ctx, e)
	})
	if err != nil {
		return l, err
	}
	s.Invalidate()
	if s.Changed != nil {
		s.Changed()
	}
	return l, nil
}

func count(r *Rules, kind string) int {
	switch kind {
	case KindWords:
		return len(r.Words)
	case KindExpressions:
		return len(r.Expressions)
	case KindLeaders:
		return len(r.Leaders)
	case KindConfused:
		return len(r.Confused)
	case KindPersonal:
		return len(r.Patterns)
	}
	return len(r.Domains)
}

// Versions lists a kind's saved versions, newest first (editors only).
func (s *Service) Versions(ctx context.Context, actor model.Actor, kind string) ([]model.CheckRuleList, error) {
	if !mayEdit(actor) {
		return nil, fmt.Errorf("%w: content-check rule history", model.ErrForbidden)
	}
	return s.Store.CheckRuleVersions(ctx, kind)
}

// ArticleDoc is what the checks read of a story: its kicker, title,
// subtitle and summary, a line each, then the body; pictures described in
// the library count as described.
func (s *Service) ArticleDoc(ctx context.Context, a model.Article) (Doc, error) {
	var b strings.Builder
	for _, f := range []string{a.Kicker, a.Title, a.Subtitle, a.Summary} {
		if f = strings.TrimSpace(f); f != "" {
			b.WriteString("<p>" + html.EscapeString(f) + "</p>")
		}
	}
	b.WriteString(a.Body)
	d := FromHTML(b.String())
	d.Photographers = a.Credits.Photographers
	var ids []int64
	for _, p := range d.Pictures {
		if id := article.MediaID(p.Src); id != 0 {
			ids = append(ids, id)
		}
	}
	if len(ids) > 0 {
		files, err := s.Store.MediaByIDs(ctx, ids)
		if err != nil {
			return d, fmt.Errorf("pictures of article %d: %w", a.ID, err)
		}
		for i, p := range d.Pictures {
			if m, ok := files[article.MediaID(p.Src)]; ok {
				if alt := strings.TrimSpace(m.Alt); alt != "" {
					d.Pictures[i].Alt = alt
				}
				if p.Caption == "" {
					d.Pictures[i].Caption = strings.TrimSpace(m.Caption)
				}
				if m.Credit != "" && !strings.ContainsAny(d.Pictures[i].Caption, "摄图") {
					d.Pictures[i].Caption += " 摄影：" + m.Credit
				}
			}
		}
	}
	return d, nil
}

func (s *Service) options(ctx context.Context) Options {
	o := Options{Now: s.now()}
	if s.SiteURL != nil {
		o.SiteURL = s.SiteURL(ctx)
	}
	return o
}

// Run checks a story with the rules in force.
func (s *Service) Run(ctx context.Context, a model.Article) ([]Finding, error) {
	c, err := s.Checker(ctx)
	if err != nil {
		return nil, err
	}
	d, err := s.ArticleDoc(ctx, a)
	if err != nil {
		return nil, err
	}
	return c.Check(d, s.options(ctx)), nil
}

// Report is a story's findings with what has been acknowledged.
type Report struct {
	Findings []Finding
	Acks     []model.CheckAck
	// Acked marks the warn findings an acknowledgement covers, by Key.
	Acked map[string]bool
}

// Blocks returns the block-level findings.
func (r Report) Blocks() []Finding {
	var out []Finding
	for _, f := range r.Findings {
		if f.Level == Block {
			out = append(out, f)
		}
	}
	return out
}

// Unacked returns the warn-level findings no acknowledgement covers.
func (r Report) Unacked() []Finding {
	var out []Finding
	for _, f := range r.Findings {
		if f.Level == Warn && !r.Acked[f.Key()] {
			out = append(out, f)
		}
	}
	return out
}

func (s *Service) report(ctx context.Context, a model.Article) (Report, error) {
	fs, err := s.Run(ctx, a)
	if err != nil {
		return Report{}, err
	}
	acks, err := s.Store.CheckAcks(ctx, a.ID)
	if err != nil {
		return Report{}, err
	}
	r := Report{Findings: fs, Acks: acks, Acked: map[string]bool{}}
	for _, ack := range acks {
		for _, k := range ack.Keys {
			r.Acked[k] = true
		}
	}
	return r, nil
}

// Article checks story id for one who may see it.
func (s *Service) Article(ctx context.Context, actor model.Actor, id int64) (model.Article, Report, error) {
	a, err := s.Store.Article(ctx, id)
	if err != nil {
		return a, Report{}, err
	}
	if !article.CanView(actor.User, a) {
		return a, Report{}, fmt.Errorf("%w: checks of article %d", model.ErrForbidden, id)
	}
	r, err := s.report(ctx, a)
	return a, r, err
}

// MaxText bounds the text of one live check (characters).
const MaxText = 200_000

// Text checks text being written (the live editor): anyone who may
// write stories.
func (s *Service) Text(ctx context.Context, actor model.Actor, text string) ([]Finding, error) {
	if !actor.User.CanWrite() {
		return nil, fmt.Errorf("%w: content checks", model.ErrForbidden)
	}
	if len([]rune(text)) > MaxText {
		return nil, model.Invalid("check_text_long", MaxText)
	}
	c, err := s.Checker(ctx)
	if err != nil {
		return nil, err
	}
	return c.Check(FromText(text), s.options(ctx)), nil
}

// Document checks a document (text, or HTML when html is set) for the
// command line.
func (s *Service) Document(ctx context.Context, text string, isHTML bool) ([]Finding, error) {
	c, err := s.Checker(ctx)
	if err != nil {
		return nil, err
	}
	d := FromText(text)
	if isHTML {
		d = FromHTML(text)
	}
	return c.Check(d, s.options(ctx)), nil
}

// list names findings for a message: 「text」 and the suggestion, each
// once, at most ten.
func list(fs []Finding) string {
	var parts []string
	for _, f := range fs {
		p := "「" + f.Text + "」"
		if f.Suggestion != "" {
			p += " → 「" + f.Suggestion + "」"
		}
		if slices.Contains(parts, p) {
			continue // the same words in the title and the body
		}
		if len(parts) == 10 {
			parts = append(parts, "…")
			break
		}
		parts = append(parts, p)
	}
	return strings.Join(parts, "、")
}

// Gate is what the workflow asks before a story moves on (submit, every
// review step, publish, schedule): block-level findings refuse it;
// warn-level ones must all be acknowledged.
func (s *Service) Gate(ctx context.Context, a model.Article, action string) error {
	r, err := s.report(ctx, a)
	if err != nil {
		return err
	}
	if b := r.Blocks(); len(b) > 0 {
		return model.Invalid("check_blocked", list(b))
	}
	if w := r.Unacked(); len(w) > 0 {
		return model.Invalid("check_unacknowledged", list(w))
	}
	return nil
}

// Acknowledge lets the warn-level findings of story id (at version, as
// the actor saw it) through, with the actor's reason, recorded with who
// and when in the story's history and the audit log.
func (s *Service) Acknowledge(ctx context.Context, actor model.Actor, id int64, version int, reason string) (model.CheckAck, error) {
	a, r, err := s.Article(ctx, actor, id)
	if err != nil {
		return model.CheckAck{}, err
	}
	if !article.CanEdit(actor.User, a) && len(article.Actions(actor.User, a)) == 0 {
		return model.CheckAck{}, fmt.Errorf("%w: acknowledge findings of article %d", model.ErrForbidden, id)
	}
	if a.Version != version {
		return model.CheckAck{}, fmt.Errorf("acknowledge findings of article %d at version %d: %w", id, version, model.ErrConflict)
	}
	if reason = strings.TrimSpace(reason); reason == "" {
		return model.CheckAck{}, model.Invalid("check_reason")
	}
	w := r.Unacked()
	if len(w) == 0 {
		return model.CheckAck{}, model.Invalid("check_nothing")
	}
	ack := model.CheckAck{ArticleID: id, Version: version, Findings: list(w), Reason: reason, UserID: actor.User.ID, IP: actor.IP, At: s.now()}
	for _, f := range w {
		if !slices.Contains(ack.Keys, f.Key()) {
			ack.Keys = append(ack.Keys, f.Key())
		}
	}
	err = s.Store.Tx(ctx, func(tx store.Store) error {
		if err := tx.AddCheckAck(ctx, &ack); err != nil {
			return err
		}
		e := actor.Audit("check_ack", fmt.Sprintf("article %d", id), reason+": "+ack.Findings)
		e.At = s.now()
		return tx.AddAudit(ctx, e)
	})
	return ack, err
}

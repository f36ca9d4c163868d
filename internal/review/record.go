package review

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"newsdesk/internal/column"
	"newsdesk/internal/model"
	"newsdesk/internal/table"
)

// Progress states of a step on the story page's progress line.
const (
	StepDone     = "done"
	StepCurrent  = "current"
	StepTodo     = "todo"
	StepReturned = "returned" // the step the story was last returned from, while it is back with the author
)

// ProgressStep is one step of a story's chain as the progress line shows
// it: done (by whom, when), current (since when, due when), or to come.
type ProgressStep struct {
	Number  int
	Step    model.ReviewStep
	State   string
	By      string // who took it, for done and returned steps
	At      time.Time
	Since   time.Time // the current step: since when it waits
	Due     time.Time
	Overdue bool
}

// Progress is a's chain as a progress line, from its events (oldest
// first): the steps taken since it was last submitted are done.
func Progress(a model.Article, evs []model.Event, now time.Time) []ProgressStep {
	steps := Steps(a)
	out := make([]ProgressStep, len(steps))
	for i, st := range steps {
		out[i] = ProgressStep{Number: i + 1, Step: st, State: StepTodo}
	}
	// A story's own progress reads its own decisions, a correction's
	// (Review.Correction) those on its working copy.
	own := evs[:0:0]
	for _, e := range evs {
		if e.Correction == a.Review.Correction {
			own = append(own, e)
		}
	}
	evs = own
	start := 0
	for i, e := range evs {
		if e.Action == "submit" {
			start = i
		}
	}
	for _, e := range evs[min(start, len(evs)):] {
		if e.Step < 1 || e.Step > len(out) {
			continue
		}
		p := &out[e.Step-1]
		switch e.Action {
		case "approve", "publish", "schedule", "revise":
			p.State, p.By, p.At = StepDone, e.ActorName, e.At
		case "return", "reject":
			p.State, p.By, p.At = StepReturned, e.ActorName, e.At
			// Steps after a return to an earlier step are to be taken again.
			for j := max(e.ToStep-1, 0); e.ToStep > 0 && j < len(out); j++ {
				out[j].State, out[j].By, out[j].At = StepTodo, "", time.Time{}
			}
		}
	}
	if i, st, ok := Current(a); ok {
		p := &out[i]
		p.State, p.Since, p.Due = StepCurrent, a.Review.Since, Due(st, a.Review.Since)
		p.Overdue = !p.Due.IsZero() && now.After(p.Due)
		for j := i + 1; j < len(out); j++ {
			out[j].State, out[j].By, out[j].At = StepTodo, "", time.Time{}
		}
	}
	return out
}

// Record is a story's review record (审核登记表): what was reviewed, and
// every decision on it.
type Record struct {
	Article   model.Article
	Column    string
	Unit      string
	Author    string
	Decisions []model.Event // submissions and the decisions on steps, oldest first
	Progress  []ProgressStep
	// Findings are what the content checks (错敏检查) find in the story's
	// text now, each with whether an acknowledgement lets it through;
	// Acks every acknowledgement kept with the story, oldest first.
	Findings []RecordFinding
	Acks     []RecordAck
}

// RecordFinding is a content-check finding as the record lists it.
type RecordFinding struct {
	Level    string // block, warn, info
	Category string
	// SiteCategory: Category is the site's own word (a sensitive word's
	// list), not a catalogue key.
	SiteCategory bool
	Text         string
	// Suggestion is what the rule proposes instead, if anything.
	Suggestion string
	// Key names the finding as acknowledgements do (rule and text).
	Key   string
	Acked bool
}

// RecordAck is an acknowledgement of warn-level findings: who let them
// through, when, from where, on which version and why.
type RecordAck struct {
	model.CheckAck
	By string
}

// Record builds the review record of a, which the caller has checked the
// reader may see.
func (s *Service) Record(ctx context.Context, a model.Article) (Record, error) {
	r := Record{Article: a}
	cols, err := s.Store.Columns(ctx)
	if err != nil {
		return r, err
	}
	if c, ok := column.NewTree(cols).Get(a.ColumnID); ok {
		r.Column = c.Name
	}
	if a.UnitID != 0 {
		units, err := s.Store.Units(ctx)
		if err != nil {
			return r, err
		}
		for _, u := range units {
			if u.ID == a.UnitID {
				r.Unit = u.Name
			}
		}
	}
	if a.AuthorID != 0 {
		if u, err := s.Store.User(ctx, a.AuthorID); err == nil {
			r.Author = u.Name
		}
	}
	evs, err := s.Store.Events(ctx, a.ID)
	if err != nil {
		return r, err
	}
	names := map[int64]string{}
	for _, e := range evs {
		if e.Step == 0 && e.Action != "submit" {
			continue
		}
		if e.ActorName == "" && e.UserID != 0 {
			if _, ok := names[e.UserID]; !ok {
				if u, err := s.Store.User(ctx, e.UserID); err == nil {
					names[e.UserID] = u.Name
				}
			}
			e.ActorName = names[e.UserID]
		}
		r.Decisions = append(r.Decisions, e)
	}
	r.Progress = Progress(a, evs, s.now())
	acks, err := s.Store.CheckAcks(ctx, a.ID)
	if err != nil {
		return r, err
	}
	acked := map[string]bool{}
	for _, ack := range acks {
		ra := RecordAck{CheckAck: ack}
		if u, err := s.Store.User(ctx, ack.UserID); err == nil {
			ra.By = u.Name
		}
		for _, k := range ack.Keys {
			acked[k] = true
		}
		r.Acks = append(r.Acks, ra)
	}
	if s.Findings != nil {
		fs, err := s.Findings(ctx, a)
		if err != nil {
			return r, err
		}
		for _, f := range fs {
			f.Acked = acked[f.Key]
			r.Findings = append(r.Findings, f)
		}
	}
	return r, nil
}

// Reviewers are the names of who took a's steps, in order, each once:
// what the public page shows as 审核 when the site says so.
func Reviewers(evs []model.Event) []string {
	var out []string
	seen := map[string]bool{}
	for _, e := range evs {
		if e.Step == 0 || e.ActorName == "" || seen[e.ActorName] {
			continue
		}
		if e.Action == "approve" || e.Action == "publish" || e.Action == "schedule" {
			seen[e.ActorName] = true
			out = append(out, e.ActorName)
		}
	}
	return out
}

// LedgerQuery selects the ledger (三级审核台账): the decisions made in
// [From, To) on stories of the columns (all when empty).
type LedgerQuery struct {
	From, To  time.Time
	ColumnIDs []int64
}

// LedgerRow is one decision of the ledger with its story.
type LedgerRow struct {
	Event   model.Event
	Article model.Article
	Column  string
	Unit    string
}

// Ledger calls fn with every decision q selects, oldest first, read in
// keyset pages so a long period never sits in memory. Only news-centre
// staff read the ledger.
func (s *Service) Ledger(ctx context.Context, actor model.Actor, q LedgerQuery, fn func(LedgerRow) error) error {
	if !actor.IsSystem() && !actor.User.CanPublish() {
		return fmt.Errorf("%w: read the review ledger", model.ErrForbidden)
	}
	cols, err := s.Store.Columns(ctx)
	if err != nil {
		return err
	}
	tree := column.NewTree(cols)
	units, err := s.Store.Units(ctx)
	if err != nil {
		return err
	}
	unitName := map[int64]string{}
	for _, u := range units {
		unitName[u.ID] = u.Name
	}
	stories := map[int64]model.Article{}
	var after int64
	for {
		evs, err := s.Store.ReviewEvents(ctx, model.ReviewEventQuery{From: q.From, To: q.To, ColumnIDs: q.ColumnIDs, AfterID: after, Limit: 500})
		if err != nil {
			return err
		}
		for _, e := range evs {
			a, ok := stories[e.ArticleID]
			if !ok {
				if a, err = s.Store.Article(ctx, e.ArticleID); err != nil {
					return err
				}
				if len(stories) > 1000 {
					clear(stories)
				}
				stories[a.ID] = a
			}
			row := LedgerRow{Event: e, Article: a, Unit: unitName[a.UnitID]}
			if c, ok := tree.Get(a.ColumnID); ok {
				row.Column = c.Name
			}
			if err := fn(row); err != nil {
				return err
			}
			after = e.ID
		}
		if len(evs) < 500 {
			return nil
		}
	}
}

// Text says a catalogue key in the reader's language.
type Text func(key string, args ...any) string

// ParamError is a ledger request's parameter that cannot be read: each
// front door says so in its own way (the desk's form error, the API's 400
// naming the parameter).
type ParamError struct{ Name, Value string }

func (e *ParamError) Error() string        { return fmt.Sprintf("bad parameter %s=%q", e.Name, e.Value) }
func (e *ParamError) Is(target error) bool { return target == model.ErrInvalid }

// ParseLedgerQuery reads a ledger request's from and to (dates in tz, both
// inclusive) and column (ids, repeated).
func ParseLedgerQuery(params map[string][]string, tz *time.Location) (LedgerQuery, error) {
	var q LedgerQuery
	date := func(name string) (time.Time, error) {
		var v string
		if vs := params[name]; len(vs) > 0 {
			v = strings.TrimSpace(vs[0])
		}
		if v == "" {
			return time.Time{}, nil
		}
		t, err := time.ParseInLocation("2006-01-02", v, tz)
		if err != nil {
			return t, &ParamError{name, v}
		}
		return t, nil
	}
	var err error
	if q.From, err = date("from"); err != nil {
		return q, err
	}
	if q.To, err = date("to"); err != nil {
		return q, err
	}
	if !q.To.IsZero() {
		q.To = q.To.AddDate(0, 0, 1)
	}
	for _, v := range params["column"] {
		if v == "" {
			continue
		}
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return q, &ParamError{"column", v}
		}
		q.ColumnIDs = append(q.ColumnIDs, id)
	}
	return q, nil
}

// ExportLedger writes the decisions q selects as a table in format (CSV,
// with a byte-order mark so spreadsheet programs read UTF-8, or XLSX),
// headed in t's language, times in tz. A refused or failed export writes
// nothing to w: the table is built first.
func (s *Service) ExportLedger(ctx context.Context, actor model.Actor, q LedgerQuery, format string, t Text, tz *time.Location, w io.Writer) error {
	var body bytes.Buffer
	tw, err := table.New(format, &body)
	if err != nil {
		return err
	}
	if format == table.CSV {
		body.WriteString("\ufeff")
	}
	if err := tw.Write(LedgerHeader(t)); err != nil {
		return err
	}
	err = s.Ledger(ctx, actor, q, func(row LedgerRow) error { return tw.Write(LedgerCells(t, tz, row)) })
	if err != nil {
		return err
	}
	if err := tw.Close(); err != nil {
		return err
	}
	_, err = w.Write(body.Bytes())
	return err
}

// LedgerHeader names the ledger's columns.
func LedgerHeader(t Text) []string {
	return []string{t("review.l_time"), t("review.l_story"), t("review.l_title"), t("review.l_column"), t("review.l_unit"),
		t("review.l_step"), t("review.r_who"), t("review.r_decision"), t("review.reason"), t("review.r_comment"), t("review.r_version"), t("review.r_from")}
}

// LedgerCells is one decision of the ledger as text, its time in tz.
func LedgerCells(t Text, tz *time.Location, row LedgerRow) []string {
	e := row.Event
	return []string{e.At.In(tz).Format("2006-01-02 15:04:05"), strconv.FormatInt(e.ArticleID, 10), row.Article.Title, row.Column, row.Unit,
		StepName(t, e.StepName, e.StepKey), e.ActorName, t("action." + e.Action), e.Reason, e.Comment, strconv.Itoa(e.Version), strings.TrimSpace(e.IP + " " + e.Via)}
}

// StepName is a step's name, or the catalogue's for the default chain's.
func StepName(t Text, name, key string) string {
	if name != "" || key == "" {
		return name
	}
	return t("review.step." + key)
}

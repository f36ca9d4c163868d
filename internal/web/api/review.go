package api

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"newsdesk/internal/article"
	"newsdesk/internal/model"
	"newsdesk/internal/reader"
	"newsdesk/internal/review"
	"newsdesk/internal/table"
)

// Review chains (三审三校) over the desk API: a column's chain, a story's
// review record and the ledger, through the review service the HTML desk
// calls, so the rules and the audit are the same.

// chainStep is one step of a chain as the API shows it.
type chainStep struct {
	Number int    `json:"number"`
	Name   string `json:"name"`
	// Key names the default chain's steps ("unit", "editor"); Name is
	// then the catalogue's, in the caller's language.
	Key      string   `json:"key,omitempty"`
	Kind     string   `json:"kind"`
	Holders  []string `json:"holders"`
	Users    []person `json:"users"`
	DueHours int      `json:"due_hours"`
}

// columnChain is the chain a column's stories are submitted on.
type columnChain struct {
	Column person `json:"column"`
	// Own: the column has a chain of its own; else it takes InheritedFrom's
	// (null: the default chain).
	Own           bool        `json:"own"`
	InheritedFrom *person     `json:"inherited_from"`
	Steps         []chainStep `json:"steps"`
	// Main (correction chains only): the steps are the review chain of
	// InheritedFrom (or the column's own), as no correction chain is set.
	Main *bool `json:"main,omitempty"`
}

// chainStepInput is a step as a client writes it.
type chainStepInput struct {
	Name     string   `json:"name"`
	Kind     string   `json:"kind"`
	Holders  []string `json:"holders"`
	Users    []int64  `json:"users"`
	DueHours int      `json:"due_hours"`
}

// chainInput is a column's new chain; inherit removes the column's own,
// so it takes its parent's again.
type chainInput struct {
	Steps   []chainStepInput `json:"steps"`
	Inherit bool             `json:"inherit"`
}

func (a *API) text(c *caller) review.Text {
	return func(key string, args ...any) string { return a.Catalog.T(c.lang, key, args...) }
}

func (a *API) columnID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return 0, fmt.Errorf("column %q: %w", r.PathValue("id"), model.ErrNotFound)
	}
	return id, nil
}

// writeChain answers column id's chain, or (correction) the chain its
// published stories' corrections go through.
func (a *API) writeChain(w http.ResponseWriter, r *http.Request, c *caller, id int64, correction bool) error {
	ctx := r.Context()
	ch, err := a.Reviews.Chain(ctx, id)
	if err != nil {
		return err
	}
	var main *bool
	if correction {
		m := ch.CorrectionMain
		main = &m
		ch.Steps, ch.Own, ch.From = ch.Correction, ch.CorrectionOwn, ch.CorrectionFrom
		if ch.From == id {
			ch.From = 0 // the column's own review chain, with main set
		}
	}
	users, err := a.Store.Users(ctx)
	if err != nil {
		return err
	}
	names := map[int64]string{}
	for _, u := range users {
		names[u.ID] = u.Name
	}
	out := columnChain{Column: person{ID: ch.Column.ID, Name: ch.Column.Name}, Own: ch.Own, Steps: []chainStep{}, Main: main}
	if !ch.Own && ch.From != 0 {
		from, err := a.Reviews.Chain(ctx, ch.From)
		if err != nil {
			return err
		}
		out.InheritedFrom = &person{ID: from.Column.ID, Name: from.Column.Name}
	}
	t := a.text(c)
	for i, st := range ch.Steps {
		cs := chainStep{Number: i + 1, Name: review.StepName(t, st.Name, st.Key), Key: st.Key, Kind: st.Kind,
			Holders: nonNil(st.Holders), Users: []person{}, DueHours: st.DueHours}
		for _, uid := range st.UserIDs {
			cs.Users = append(cs.Users, person{ID: uid, Name: names[uid]})
		}
		out.Steps = append(out.Steps, cs)
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// deskChain is a column's chain: its own or the one it inherits.
func (a *API) deskChain(w http.ResponseWriter, r *http.Request, c *caller) error {
	id, err := a.columnID(r)
	if err != nil {
		return err
	}
	return a.writeChain(w, r, c, id, false)
}

// deskCorrectionChain is the chain a column's corrections go through: its
// own correction chain, else the nearest configured one up its path (a
// correction chain, or with main a review chain), else the default.
func (a *API) deskCorrectionChain(w http.ResponseWriter, r *http.Request, c *caller) error {
	id, err := a.columnID(r)
	if err != nil {
		return err
	}
	return a.writeChain(w, r, c, id, true)
}

// deskSaveChain gives a column its own chain (checked as the desk's form
// is), or with inherit removes it; the answer is the chain now.
func (a *API) deskSaveChain(w http.ResponseWriter, r *http.Request, c *caller) error {
	id, err := a.columnID(r)
	if err != nil {
		return err
	}
	steps, err := chainSteps(w, r)
	if err != nil {
		return err
	}
	if _, err := a.Reviews.SaveChain(r.Context(), c.actor, id, steps); err != nil {
		return err
	}
	return a.writeChain(w, r, c, id, false)
}

// deskSaveCorrectionChain gives a column its own correction chain, or
// with inherit removes it, so corrections take the review chain again.
func (a *API) deskSaveCorrectionChain(w http.ResponseWriter, r *http.Request, c *caller) error {
	id, err := a.columnID(r)
	if err != nil {
		return err
	}
	steps, err := chainSteps(w, r)
	if err != nil {
		return err
	}
	if _, err := a.Reviews.SaveCorrectionChain(r.Context(), c.actor, id, steps); err != nil {
		return err
	}
	return a.writeChain(w, r, c, id, true)
}

// chainSteps reads a chain as a client writes it: nil with inherit.
func chainSteps(w http.ResponseWriter, r *http.Request) ([]model.ReviewStep, error) {
	var in chainInput
	if err := decode(w, r, &in); err != nil {
		return nil, err
	}
	var steps []model.ReviewStep
	if !in.Inherit {
		if len(in.Steps) == 0 {
			return nil, model.Invalid("chain_empty")
		}
		for _, s := range in.Steps {
			steps = append(steps, model.ReviewStep{Name: s.Name, Kind: s.Kind, Holders: s.Holders, UserIDs: s.Users, DueHours: s.DueHours})
		}
	}
	return steps, nil
}

// recordStep is a step of a story's chain in its record: done (by whom,
// when), current (since when, due when), returned, or to come.
type recordStep struct {
	Number  int        `json:"number"`
	Name    string     `json:"name"`
	Kind    string     `json:"kind"`
	State   string     `json:"state"`
	By      string     `json:"by"`
	At      *time.Time `json:"at"`
	Since   *time.Time `json:"since"`
	Due     *time.Time `json:"due"`
	Overdue bool       `json:"overdue"`
}

// recordDecision is a submission or a decision on a step.
type recordDecision struct {
	Step     int       `json:"step"` // 0: a submission
	StepName string    `json:"step_name"`
	Action   string    `json:"action"`
	By       string    `json:"by"`
	At       time.Time `json:"at"`
	Reason   string    `json:"reason"`
	Comment  string    `json:"comment"`
	Version  int       `json:"version"`
	// ToStep is the step the story waits at afterwards (0: none, or back
	// with the author after a return).
	ToStep int `json:"to_step"`
	// Correction: the decision was on the working copy of the published
	// story (a correction), not on the story.
	Correction bool `json:"correction"`
}

// recordFinding is what the content checks find in the story's text now.
type recordFinding struct {
	Level      string `json:"level"`
	Category   string `json:"category"`
	Text       string `json:"text"`
	Suggestion string `json:"suggestion"`
	Acked      bool   `json:"acknowledged"`
}

// recordAck is an acknowledgement of warn-level findings.
type recordAck struct {
	At       time.Time `json:"at"`
	By       string    `json:"by"`
	IP       string    `json:"ip"`
	Version  int       `json:"version"`
	Findings string    `json:"findings"`
	Reason   string    `json:"reason"`
}

// reviewRecord is a story's review record (审核登记表).
type reviewRecord struct {
	ID          int64            `json:"id"`
	Title       string           `json:"title"`
	State       string           `json:"state"`
	Column      string           `json:"column"`
	Unit        string           `json:"unit"`
	Author      string           `json:"author"`
	Writers     []string         `json:"writers"`
	PublishedAt *time.Time       `json:"published_at"`
	URL         *string          `json:"url"` // the published address; null until published or scheduled
	Steps       []recordStep     `json:"steps"`
	Decisions   []recordDecision `json:"decisions"`
	// Checks are the content-check findings (错敏检查) and the
	// acknowledgements kept with the story.
	Checks recordChecks `json:"checks"`
}

type recordChecks struct {
	Findings        []recordFinding `json:"findings"`
	Acknowledgments []recordAck     `json:"acknowledgements"`
}

// deskRecord is a story's review record, for whoever may view the story.
func (a *API) deskRecord(w http.ResponseWriter, r *http.Request, c *caller) error {
	ar, err := a.viewable(r, c)
	if err != nil {
		return err
	}
	rec, err := a.Reviews.Record(r.Context(), ar)
	if err != nil {
		return err
	}
	st, err := a.Site.Settings(r.Context())
	if err != nil {
		return err
	}
	tz, t := st.TimeZone, a.text(c)
	out := reviewRecord{ID: ar.ID, Title: ar.Title, State: ar.Status, Column: rec.Column, Unit: rec.Unit, Author: rec.Author,
		Writers: nonNil(ar.Credits.Writers), PublishedAt: timeIn(ar.PublishedAt, tz), Steps: []recordStep{}, Decisions: []recordDecision{},
		Checks: recordChecks{Findings: []recordFinding{}, Acknowledgments: []recordAck{}}}
	if out.Unit == "" {
		out.Unit = ar.Credits.Unit
	}
	if article.Visible(ar, a.Now()) || ar.Status == model.StatusScheduled {
		u := reader.Abs(st.BaseURL, reader.ArticleURL(ar.ID))
		out.URL = &u
	}
	for _, p := range rec.Progress {
		out.Steps = append(out.Steps, recordStep{Number: p.Number, Name: review.StepName(t, p.Step.Name, p.Step.Key), Kind: p.Step.Kind,
			State: p.State, By: p.By, At: timeIn(p.At, tz), Since: timeIn(p.Since, tz), Due: timeIn(p.Due, tz), Overdue: p.Overdue})
	}
	for _, e := range rec.Decisions {
		out.Decisions = append(out.Decisions, recordDecision{Step: e.Step, StepName: review.StepName(t, e.StepName, e.StepKey), Action: e.Action,
			By: e.ActorName, At: e.At.In(tz), Reason: e.Reason, Comment: e.Comment, Version: e.Version, ToStep: e.ToStep, Correction: e.Correction})
	}
	for _, f := range rec.Findings {
		out.Checks.Findings = append(out.Checks.Findings, recordFinding{Level: f.Level, Category: f.Category, Text: f.Text, Suggestion: f.Suggestion, Acked: f.Acked})
	}
	for _, ack := range rec.Acks {
		out.Checks.Acknowledgments = append(out.Checks.Acknowledgments, recordAck{At: ack.At.In(tz), By: ack.By, IP: ack.IP, Version: ack.Version,
			Findings: ack.Findings, Reason: ack.Reason})
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// deskLedger exports the review ledger (三级审核台账) of a period and
// columns as CSV or XLSX: the desk's export, in the caller's language.
func (a *API) deskLedger(w http.ResponseWriter, r *http.Request, c *caller) error {
	q := r.URL.Query()
	format := q.Get("format")
	if format != table.CSV && format != table.XLSX {
		return badParam("format", format)
	}
	st, err := a.Site.Settings(r.Context())
	if err != nil {
		return err
	}
	lq, err := review.ParseLedgerQuery(q, st.TimeZone)
	var pe *review.ParamError
	if errors.As(err, &pe) {
		return badParam(pe.Name, pe.Value)
	}
	if err != nil {
		return err
	}
	var body bytes.Buffer
	if err := a.Reviews.ExportLedger(r.Context(), c.actor, lq, format, a.text(c), st.TimeZone, &body); err != nil {
		return err
	}
	w.Header().Set("Content-Type", table.ContentType(format))
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="review-ledger-%s.%s"`, a.Now().In(st.TimeZone).Format("20060102"), format))
	_, err = w.Write(body.Bytes())
	return err
}

// reasonList is the preset return reasons, in the editors' order.
type reasonList struct {
	Reasons []string `json:"reasons"`
}

// deskReasons lists the preset return reasons a return may give.
func (a *API) deskReasons(w http.ResponseWriter, r *http.Request, c *caller) error {
	rs, err := a.Reviews.Reasons(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, reasonList{Reasons: nonNil(rs)})
	return nil
}

// deskSaveReasons replaces the preset return reasons (editors; audited).
func (a *API) deskSaveReasons(w http.ResponseWriter, r *http.Request, c *caller) error {
	var in reasonList
	if err := decode(w, r, &in); err != nil {
		return err
	}
	rs, err := a.Reviews.SaveReasons(r.Context(), c.actor, in.Reasons)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, reasonList{Reasons: nonNil(rs)})
	return nil
}

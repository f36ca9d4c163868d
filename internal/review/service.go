package review

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"newsdesk/internal/column"
	"newsdesk/internal/model"
)

// ReasonsSetting is the site setting that holds the preset return
// reasons, as a JSON array of strings.
const ReasonsSetting = "review.reasons"

// DefaultReasons are the preset return reasons of a site whose editors
// have not set their own: editorial content, like a column's name.
var DefaultReasons = []string{"事实不清", "图片缺少署名", "标题不规范"}

// MaxReasons and MaxReason bound the preset return reasons.
const (
	MaxReasons = 30
	MaxReason  = 40
)

// Service keeps the review chains and the preset return reasons, and
// answers the inbox, the review record and the ledger.
type Service struct {
	Store Store
	// Now returns the current time; tests replace it.
	Now func() time.Time
	// Findings, when set, runs the content checks (错敏检查) on a story for
	// its review record (package check does; it depends on this one).
	Findings func(ctx context.Context, a model.Article) ([]RecordFinding, error)
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// ColumnChain is the chain a column's stories are submitted on, and
// where it comes from.
type ColumnChain struct {
	Column model.Column
	Steps  []model.ReviewStep
	// Own: the column has a chain of its own; else it takes From's (0:
	// the default chain).
	Own  bool
	From int64
	// Correction is the chain a correction of a published story goes
	// through (EffectiveCorrection): the column's own correction chain
	// (CorrectionOwn), else the setting of CorrectionFrom (0: the
	// default), which is its main chain when CorrectionMain.
	Correction     []model.ReviewStep
	CorrectionOwn  bool
	CorrectionFrom int64
	CorrectionMain bool
}

// Chains lists every column's chain, in the tree's order.
func (s *Service) Chains(ctx context.Context) ([]ColumnChain, error) {
	cols, err := s.Store.Columns(ctx)
	if err != nil {
		return nil, err
	}
	chains, err := s.Store.ReviewChains(ctx)
	if err != nil {
		return nil, err
	}
	tree := column.NewTree(cols)
	var out []ColumnChain
	for _, c := range tree.All() {
		steps, from := Effective(tree, chains, c.ID)
		cc := ColumnChain{Column: c, Steps: steps, Own: from == c.ID, From: from}
		cc.Correction, cc.CorrectionFrom, cc.CorrectionMain = EffectiveCorrection(tree, chains, c.ID)
		cc.CorrectionOwn = cc.CorrectionFrom == c.ID && !cc.CorrectionMain
		out = append(out, cc)
	}
	return out, nil
}

// Chain is the chain of column id.
func (s *Service) Chain(ctx context.Context, id int64) (ColumnChain, error) {
	all, err := s.Chains(ctx)
	if err != nil {
		return ColumnChain{}, err
	}
	for _, c := range all {
		if c.Column.ID == id {
			return c, nil
		}
	}
	return ColumnChain{}, fmt.Errorf("column %d: %w", id, model.ErrNotFound)
}

// SaveChain gives column id its own chain, checked first (Validate); no
// steps removes it, so the column takes its parent's again. Only
// news-centre staff change chains. Stories already submitted keep the
// chain they were submitted on. The column's correction chain stays.
func (s *Service) SaveChain(ctx context.Context, actor model.Actor, id int64, steps []model.ReviewStep) ([]model.ReviewStep, error) {
	return s.saveChain(ctx, actor, id, steps, false)
}

// SaveCorrectionChain gives column id a correction chain of its own, the
// steps a correction of a published story takes (usually fewer than the
// main chain's), checked as a chain is; no steps removes it, so
// corrections take the main chain again. Corrections already under way
// keep the chain they were submitted on.
func (s *Service) SaveCorrectionChain(ctx context.Context, actor model.Actor, id int64, steps []model.ReviewStep) ([]model.ReviewStep, error) {
	return s.saveChain(ctx, actor, id, steps, true)
}

func (s *Service) saveChain(ctx context.Context, actor model.Actor, id int64, steps []model.ReviewStep, correction bool) ([]model.ReviewStep, error) {
	what := "review chain"
	if correction {
		what = "correction chain"
	}
	if !actor.IsSystem() && !actor.User.CanPublish() {
		return nil, fmt.Errorf("%w: save %s", model.ErrForbidden, what)
	}
	err := s.tx(ctx, func(tx Store) error {
		cols, err := tx.Columns(ctx)
		if err != nil {
			return err
		}
		if _, ok := column.NewTree(cols).Get(id); !ok {
			return fmt.Errorf("column %d: %w", id, model.ErrNotFound)
		}
		detail := "inherit"
		if len(steps) > 0 {
			users, err := tx.Users(ctx)
			if err != nil {
				return err
			}
			if err := Validate(steps, users); err != nil {
				return err
			}
			names := make([]string, len(steps))
			for i, st := range steps {
				names[i] = Label(st)
			}
			detail = strings.Join(names, " → ")
		}
		chains, err := tx.ReviewChains(ctx)
		if err != nil {
			return err
		}
		c := model.ReviewChain{ColumnID: id}
		for _, have := range chains {
			if have.ColumnID == id {
				c = have
			}
		}
		if correction {
			c.Correction = steps
		} else {
			c.Steps = steps
		}
		c.UpdatedAt, c.UpdatedBy = s.now(), actor.User.ID
		if err := tx.SetReviewChain(ctx, c); err != nil {
			return err
		}
		action := "review_chain"
		if correction {
			action = "correction_chain"
		}
		e := actor.Audit(action, "column "+strconv.FormatInt(id, 10), detail)
		e.At = s.now()
		return tx.AddAudit(ctx, e)
	})
	return steps, err
}

// Reasons are the preset return reasons, in the editors' order.
func (s *Service) Reasons(ctx context.Context) ([]string, error) {
	kv, err := s.Store.Settings(ctx)
	if err != nil {
		return nil, err
	}
	v, ok := kv[ReasonsSetting]
	if !ok {
		return slices.Clone(DefaultReasons), nil
	}
	var out []string
	if err := json.Unmarshal([]byte(v), &out); err != nil {
		return nil, fmt.Errorf("return reasons: %w", err)
	}
	return out, nil
}

// SaveReasons replaces the preset return reasons (blank lines dropped,
// each once). Only news-centre staff keep them.
func (s *Service) SaveReasons(ctx context.Context, actor model.Actor, reasons []string) ([]string, error) {
	if !actor.IsSystem() && !actor.User.CanPublish() {
		return nil, fmt.Errorf("%w: save return reasons", model.ErrForbidden)
	}
	clean := []string{}
	for _, r := range reasons {
		r = strings.TrimSpace(r)
		if r == "" || slices.Contains(clean, r) {
			continue
		}
		if utf8.RuneCountInString(r) > MaxReason {
			return nil, model.Invalid("reason_long", MaxReason)
		}
		clean = append(clean, r)
	}
	if len(clean) > MaxReasons {
		return nil, model.Invalid("reasons_many", MaxReasons)
	}
	b, err := json.Marshal(clean)
	if err != nil {
		return nil, err
	}
	err = s.tx(ctx, func(tx Store) error {
		if err := tx.SetSetting(ctx, ReasonsSetting, string(b)); err != nil {
			return err
		}
		e := actor.Audit("return_reasons", "site", strings.Join(clean, "、"))
		e.At = s.now()
		return tx.AddAudit(ctx, e)
	})
	return clean, err
}

// InboxItem is a story waiting at a step u may take.
type InboxItem struct {
	Article model.Article
	Step    model.ReviewStep
	Number  int // the step's number, from 1
	Of      int // the chain's length
	Since   time.Time
	Due     time.Time // zero: none
	Overdue bool
	// Correction: what waits is the story's working copy, a correction
	// of the published story (Article holds the copy's text).
	Correction bool
}

// Inbox lists the steps waiting for u across all columns, the longest
// waiting first (at most limit), and how many wait in all. Unit reviewers
// see only their unit's; named users the steps that name them.
func (s *Service) Inbox(ctx context.Context, u model.User, limit int) ([]InboxItem, int, error) {
	as, total, err := s.Store.ReviewInbox(ctx, Keys(u), limit)
	if err != nil {
		return nil, 0, err
	}
	now := s.now()
	items := make([]InboxItem, 0, len(as))
	// A published story waits because its correction does: the copies,
	// in one query.
	var copied []int64
	for _, a := range as {
		if !InReview(a) {
			copied = append(copied, a.ID)
		}
	}
	copies, err := s.Store.WorkingCopies(ctx, copied)
	if err != nil {
		return nil, 0, err
	}
	for _, a := range as {
		if !InReview(a) {
			wc, ok := copies[a.ID]
			if !ok {
				continue
			}
			a = wc.Article
		}
		i, st, ok := Current(a)
		if !ok || !Holds(u, st, a) {
			continue // moved on meanwhile, or a key wider than the rule
		}
		it := InboxItem{Article: a, Step: st, Number: i + 1, Of: len(Steps(a)), Since: a.Review.Since, Due: Due(st, a.Review.Since),
			Correction: a.Review.Correction}
		it.Overdue = !it.Due.IsZero() && now.After(it.Due)
		items = append(items, it)
	}
	return items, total, nil
}

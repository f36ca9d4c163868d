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
		out = append(out, ColumnChain{Column: c, Steps: steps, Own: from == c.ID, From: from})
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
// chain they were submitted on.
func (s *Service) SaveChain(ctx context.Context, actor model.Actor, id int64, steps []model.ReviewStep) ([]model.ReviewStep, error) {
	if !actor.IsSystem() && !actor.User.CanPublish() {
		return nil, fmt.Errorf("%w: save review chain", model.ErrForbidden)
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
		if err := tx.SetReviewChain(ctx, model.ReviewChain{ColumnID: id, Steps: steps, UpdatedAt: s.now(), UpdatedBy: actor.User.ID}); err != nil {
			return err
		}
		e := actor.Audit("review_chain", "column "+strconv.FormatInt(id, 10), detail)
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
	for _, a := range as {
		i, st, ok := Current(a)
		if !ok || !Holds(u, st, a) {
			continue // moved on meanwhile, or a key wider than the rule
		}
		it := InboxItem{Article: a, Step: st, Number: i + 1, Of: len(Steps(a)), Since: a.Review.Since, Due: Due(st, a.Review.Since)}
		it.Overdue = !it.Due.IsZero() && now.After(it.Due)
		items = append(items, it)
	}
	return items, total, nil
}

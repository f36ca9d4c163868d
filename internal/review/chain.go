// Package review holds review chains (三审三校): the ordered steps a
// column's stories go through before publishing, who may take each step,
// the checks a chain passes before it is saved, the inbox of steps waiting
// for a user, and the review record and ledger. Moving a story along its
// chain is article.Service.Move, the one entrance for state changes.
package review

import (
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"newsdesk/internal/column"
	"newsdesk/internal/model"
)

// Limits on a chain.
const (
	MaxSteps    = 10
	MaxName     = 40
	MaxDueHours = 720 // 30 days
)

// Default is the chain of a site without configuration, as Newsdesk has
// always worked: the unit's review, then a news-centre editor, who
// publishes. Its steps are named by the catalogue (review.step.<Key>).
func Default() []model.ReviewStep {
	return []model.ReviewStep{
		{Key: "unit", Kind: model.StepReview, Holders: []string{model.HoldUnit}},
		{Key: "editor", Kind: model.StepReview, Holders: []string{model.HoldEditor}},
	}
}

// CorrectionDefault is the correction chain of a column without any
// configured chain: a news-centre editor approves the corrected text, as
// Newsdesk has always done.
func CorrectionDefault() []model.ReviewStep {
	return []model.ReviewStep{{Key: "editor", Kind: model.StepReview, Holders: []string{model.HoldEditor}}}
}

// Steps is the chain a story goes through: the one it was submitted on,
// or the default for stories from before chains existed.
func Steps(a model.Article) []model.ReviewStep {
	if a.Review.Chain != nil {
		return a.Review.Chain
	}
	if a.Review.Correction {
		return CorrectionDefault()
	}
	return Default()
}

// InReview reports whether a waits at a step of its chain.
func InReview(a model.Article) bool {
	return a.Status == model.StatusSubmitted || a.Status == model.StatusUnitApproved
}

// Current is the index of the step a waits at and that step; ok is false
// when a is not under review.
func Current(a model.Article) (int, model.ReviewStep, bool) {
	if !InReview(a) {
		return 0, model.ReviewStep{}, false
	}
	steps := Steps(a)
	i := a.Review.Step
	if a.Review.Chain == nil && !a.Review.Correction {
		// Stories from before chains: the state says the step.
		i = 0
		if a.Status == model.StatusUnitApproved {
			i = 1
		}
	}
	if i < 0 || i >= len(steps) {
		i = len(steps) - 1
	}
	return i, steps[i], true
}

// StatusAt is the state of a story waiting at step i: submitted at the
// first step, unit_approved after (the states the desk has always known).
func StatusAt(i int) string {
	if i == 0 {
		return model.StatusSubmitted
	}
	return model.StatusUnitApproved
}

// Holds reports whether u may take step st of story a. Editors stand in
// for a unit's reviewers, as they always could; the chief's and named
// users' steps are theirs alone.
func Holds(u model.User, st model.ReviewStep, a model.Article) bool {
	if u.ID == 0 || u.Disabled {
		return false
	}
	for _, h := range st.Holders {
		switch h {
		case model.HoldUnit:
			if u.CanPublish() || (u.Has(model.RoleReviewer) && u.UnitID != 0 && u.UnitID == a.UnitID) {
				return true
			}
		case model.HoldEditor:
			if u.CanPublish() {
				return true
			}
		case model.HoldChief:
			if u.Has(model.RoleChief) {
				return true
			}
		}
	}
	return slices.Contains(st.UserIDs, u.ID)
}

// Waiting are the inbox keys of step st for story a: whose inbox shows it.
// Editors standing in for a unit do not get the unit's steps in theirs,
// unless the story has no unit.
func Waiting(st model.ReviewStep, a model.Article) []string {
	var keys []string
	for _, h := range st.Holders {
		switch {
		case h == model.HoldUnit && a.UnitID != 0:
			keys = append(keys, "unit:"+strconv.FormatInt(a.UnitID, 10))
		case h == model.HoldUnit:
			keys = append(keys, model.HoldEditor)
		default:
			keys = append(keys, h)
		}
	}
	for _, id := range st.UserIDs {
		keys = append(keys, "user:"+strconv.FormatInt(id, 10))
	}
	return keys
}

// Keys are the inbox keys of u: the steps whose Waiting has one of them
// wait for u.
func Keys(u model.User) []string {
	keys := []string{"user:" + strconv.FormatInt(u.ID, 10)}
	if u.Has(model.RoleReviewer) && u.UnitID != 0 {
		keys = append(keys, "unit:"+strconv.FormatInt(u.UnitID, 10))
	}
	if u.CanPublish() {
		keys = append(keys, model.HoldEditor)
	}
	if u.Has(model.RoleChief) {
		keys = append(keys, model.HoldChief)
	}
	return keys
}

// Due is when step st, arrived at since, should have been taken; zero
// when it has no due time.
func Due(st model.ReviewStep, since time.Time) time.Time {
	if st.DueHours <= 0 || since.IsZero() {
		return time.Time{}
	}
	return since.Add(time.Duration(st.DueHours) * time.Hour)
}

// Effective is the chain of column id: its own, else the nearest
// ancestor's, else the default; from is the column whose chain it is (0:
// the default).
func Effective(tree *column.Tree, chains []model.ReviewChain, id int64) (steps []model.ReviewStep, from int64) {
	own := map[int64][]model.ReviewStep{}
	for _, c := range chains {
		own[c.ColumnID] = c.Steps
	}
	path := tree.Path(id)
	for i := len(path) - 1; i >= 0; i-- {
		if s, ok := own[path[i].ID]; ok && len(s) > 0 {
			return s, path[i].ID
		}
	}
	return Default(), 0
}

// Configured reports whether column id's stories go through a chain an
// editor configured (its own or an ancestor's), not the default: then
// every story takes every step, and none is published straight from a
// draft.
func Configured(tree *column.Tree, chains []model.ReviewChain, id int64) bool {
	_, from := Effective(tree, chains, id)
	return from != 0
}

// EffectiveCorrection is the chain a correction (working copy) of a
// published story of column id goes through. The nearest configuration
// up the column's path wins: a correction chain set there, else the main
// chain set there; a column under no configuration at all takes
// CorrectionDefault. from is the column whose setting it is (0: the
// default), main reports that it is that column's main chain.
func EffectiveCorrection(tree *column.Tree, chains []model.ReviewChain, id int64) (steps []model.ReviewStep, from int64, main bool) {
	own := map[int64]model.ReviewChain{}
	for _, c := range chains {
		own[c.ColumnID] = c
	}
	path := tree.Path(id)
	for i := len(path) - 1; i >= 0; i-- {
		c, ok := own[path[i].ID]
		switch {
		case !ok:
		case len(c.Correction) > 0:
			return c.Correction, c.ColumnID, false
		case len(c.Steps) > 0:
			return c.Steps, c.ColumnID, true
		}
	}
	return CorrectionDefault(), 0, false
}

// Validate checks a chain before it is saved and tidies it (names
// trimmed, holders deduplicated): at least one step, each named, of a
// known kind, with someone among users able to take it, a due time
// within bounds, and the last step held only by people who may publish.
func Validate(steps []model.ReviewStep, users []model.User) error {
	switch {
	case len(steps) == 0:
		return model.Invalid("chain_empty")
	case len(steps) > MaxSteps:
		return model.Invalid("chain_long", MaxSteps)
	}
	byID := map[int64]model.User{}
	for _, u := range users {
		byID[u.ID] = u
	}
	for i := range steps {
		st := &steps[i]
		n := i + 1
		st.Name = strings.TrimSpace(st.Name)
		switch {
		case st.Name == "" && st.Key == "":
			return model.Invalid("step_name", n)
		case utf8.RuneCountInString(st.Name) > MaxName:
			return model.Invalid("step_name_long", n, MaxName)
		case st.Kind != model.StepReview && st.Kind != model.StepProofread:
			return model.Invalid("step_kind", n)
		case st.DueHours < 0 || st.DueHours > MaxDueHours:
			return model.Invalid("step_due", n, MaxDueHours)
		}
		var holders []string
		for _, h := range st.Holders {
			if h != model.HoldUnit && h != model.HoldEditor && h != model.HoldChief {
				return model.Invalid("step_holder", n)
			}
			if !slices.Contains(holders, h) {
				holders = append(holders, h)
			}
		}
		st.Holders = holders
		slices.Sort(st.UserIDs)
		st.UserIDs = slices.Compact(st.UserIDs)
		for _, id := range st.UserIDs {
			if u, ok := byID[id]; !ok || u.Disabled {
				return model.Invalid("step_user", n)
			}
		}
		if len(st.Holders) == 0 && len(st.UserIDs) == 0 {
			return model.Invalid("step_no_holder", n, stepLabel(*st))
		}
		if !someoneHolds(*st, users) {
			return model.Invalid("step_nobody", n, stepLabel(*st))
		}
	}
	last := steps[len(steps)-1]
	if slices.Contains(last.Holders, model.HoldUnit) {
		return model.Invalid("last_step_publish", stepLabel(last))
	}
	for _, id := range last.UserIDs {
		if !byID[id].CanPublish() {
			return model.Invalid("last_step_publish", stepLabel(last))
		}
	}
	return nil
}

func stepLabel(st model.ReviewStep) string {
	if st.Name != "" {
		return st.Name
	}
	return st.Key
}

// someoneHolds reports whether any active user could take st on some
// story: a unit step needs a unit reviewer or an editor.
func someoneHolds(st model.ReviewStep, users []model.User) bool {
	for _, u := range users {
		if u.Disabled {
			continue
		}
		if slices.Contains(st.UserIDs, u.ID) {
			return true
		}
		for _, h := range st.Holders {
			switch h {
			case model.HoldUnit:
				if u.CanPublish() || (u.Has(model.RoleReviewer) && u.UnitID != 0) {
					return true
				}
			case model.HoldEditor:
				if u.CanPublish() {
					return true
				}
			case model.HoldChief:
				if u.Has(model.RoleChief) {
					return true
				}
			}
		}
	}
	return false
}

// Label names a step for logs and audit entries: its name, or the
// default step's key.
func Label(st model.ReviewStep) string { return stepLabel(st) }

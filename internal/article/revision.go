package article

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"newsdesk/internal/model"
	"newsdesk/internal/review"
	"newsdesk/internal/store"
)

// Working copies: a published story stays on the site while it is
// corrected. Its saves go to a working copy (kept in the history like any
// version), which goes through the column's correction chain
// (review.EffectiveCorrection: a correction chain the editors set, else
// the column's chain, else a news-centre editor alone): its first save
// submits it to the first step, each step's holders approve it to the next
// or return it to its maker or an earlier step, or reject it (dropped);
// approving the last step replaces the published text, records the time
// the public page shows as 更新于 and the optional public correction note
// (更正说明). Feeds, search and every public page read the published text
// only, so they follow the approved version.

// MaxCorrection is the longest correction note, in characters.
const MaxCorrection = 500

// ActionRevise is the history's name for approving a working copy.
const ActionRevise = "revise"

// WorkingCopy returns the working copy of story id, or ErrNotFound.
func (s *Service) WorkingCopy(ctx context.Context, id int64) (model.WorkingCopy, error) {
	return s.Store.WorkingCopy(ctx, id)
}

// Editable is story id as the desk shows and edits it: the published
// story with its working copy's text and note when it has one.
func (s *Service) Editable(ctx context.Context, id int64) (model.Article, error) {
	a, err := s.Store.Article(ctx, id)
	if err != nil {
		return a, err
	}
	wc, err := s.Store.WorkingCopy(ctx, id)
	if errors.Is(err, model.ErrNotFound) {
		return a, nil
	} else if err != nil {
		return a, err
	}
	withText(&a, wc.Article)
	return a, nil
}

// withText copies the text fields and note of from into a.
func withText(a *model.Article, from model.Article) {
	a.ColumnID, a.Kicker, a.Title, a.Subtitle, a.Summary, a.Body = from.ColumnID, from.Kicker, from.Title, from.Subtitle, from.Summary, from.Body
	a.LeadMediaID, a.Credits, a.Correction = from.LeadMediaID, from.Credits, from.Correction
}

// copyOf is the working copy of a, when it has one (it is published or
// withdrawn), with its correction chain: copies from before correction
// chains wait for an editor.
func (s *Service) copyOf(ctx context.Context, a model.Article) (model.WorkingCopy, bool, error) {
	if a.Status != model.StatusPublished && a.Status != model.StatusWithdrawn {
		return model.WorkingCopy{}, false, nil
	}
	wc, err := s.Store.WorkingCopy(ctx, a.ID)
	if errors.Is(err, model.ErrNotFound) {
		return wc, false, nil
	}
	return wc, err == nil, err
}

// holdsCopy reports whether u may take the step a's working copy waits
// at: the holders of a correction's steps open the story and, at their
// step, correct the copy's text (a proofreader's corrections show in the
// diff), as they would for a story's own steps.
func (s *Service) holdsCopy(ctx context.Context, u model.User, a model.Article) (bool, error) {
	wc, ok, err := s.copyOf(ctx, a)
	if err != nil || !ok {
		return false, err
	}
	_, st, at := review.Current(wc.Article)
	return at && review.Holds(u, st, wc.Article), nil
}

// CanView reports whether u may open a in the desk: CanView, or u holds
// the step its correction waits at.
func (s *Service) CanView(ctx context.Context, u model.User, a model.Article) (bool, error) {
	if CanView(u, a) {
		return true, nil
	}
	return s.holdsCopy(ctx, u, a)
}

// CanEdit reports whether u may change a's text: CanEdit, or u holds the
// step its correction waits at.
func (s *Service) CanEdit(ctx context.Context, u model.User, a model.Article) (bool, error) {
	if CanEdit(u, a) {
		return true, nil
	}
	return s.holdsCopy(ctx, u, a)
}

// RevisionActions lists what u may do with working copy wc now: at a step
// its holders approve (the last step's approval replaces the published
// text), return or reject; back with its maker, an editor submits it again.
func RevisionActions(u model.User, wc model.WorkingCopy) []string {
	var out []string
	for _, action := range []string{ActionSubmit, ActionApprove, ActionReturn, ActionReject} {
		if copyMay(u, wc.Article, action) {
			out = append(out, action)
		}
	}
	return out
}

// copyMay reports whether u may take action on the copy c now.
func copyMay(u model.User, c model.Article, action string) bool {
	if _, st, ok := review.Current(c); ok {
		return review.Holds(u, st, c) && (action == ActionApprove || action == ActionReturn || action == ActionReject)
	}
	return c.Status == model.StatusReturned && action == ActionSubmit && u.CanPublish()
}

// moveCopy applies m to the working copy wc of story a: the decisions on
// a correction, checked like the story's own (who, version, step, comment,
// content checks), recorded in the story's history as a correction's and
// audited.
func (s *Service) moveCopy(ctx context.Context, actor model.Actor, a model.Article, wc model.WorkingCopy, m Move) (model.Article, error) {
	u, action, c := actor.User, m.Action, wc.Article
	step, cur, inReview := review.Current(c)
	if !CanView(u, a) && !(inReview && review.Holds(u, cur, c)) {
		return a, fmt.Errorf("%w: %s the correction of article %d", ErrForbidden, action, a.ID)
	}
	if m.Step != 0 && (!inReview || m.Step != step+1) {
		return a, model.Invalid("not_current_step", m.Step)
	}
	allowed := copyMay(u, c, action)
	if !allowed && ((inReview && !review.Holds(u, cur, c)) || (!inReview && !u.CanPublish())) {
		return a, fmt.Errorf("%w: %s the correction of article %d", ErrForbidden, action, a.ID)
	}
	if a.Version != m.Version {
		return a, fmt.Errorf("%s the correction of article %d from version %d: %w", action, a.ID, m.Version, model.ErrConflict)
	}
	if !allowed {
		return a, model.Invalid("state", action, c.Status)
	}
	comment, reason := strings.TrimSpace(m.Comment), strings.TrimSpace(m.Reason)
	if (action == ActionReturn && comment == "" && reason == "") || (action == ActionReject && comment == "") {
		return a, model.Invalid("comment_required")
	}
	last := inReview && step == len(review.Steps(c))-1
	live := a
	withText(&live, c)
	if action == ActionApprove || action == ActionSubmit {
		if last {
			if err := s.checkAlt(ctx, live); err != nil {
				return a, err
			}
		}
		if s.Checks != nil {
			if err := s.Checks.Gate(ctx, live, action); err != nil {
				return a, err
			}
		}
	}
	now := s.now()
	ev := model.Event{UserID: u.ID, Action: action, From: c.Status, Comment: comment, IP: actor.IP,
		Version: a.Version, Via: actor.Via, ActorName: u.Name, Reason: reason, Correction: true}
	if inReview {
		ev.Step, ev.StepName, ev.StepKey = step+1, cur.Name, cur.Key
	}
	detail := func() string {
		d := "correction: " + ev.From + " → " + ev.To
		if ev.Step != 0 {
			d = fmt.Sprintf("correction step %d %s: %s → %s", ev.Step, review.Label(cur), ev.From, ev.To)
		}
		return d
	}
	if action == ActionApprove && last {
		return s.revise(ctx, actor, a, wc, ev, detail)
	}
	arrive := func(i int) {
		c.Review.Step, c.Review.Since = i, now
		c.Status = review.StatusAt(i)
		c.Review.Waiting = review.Waiting(review.Steps(c)[i], c)
		ev.ToStep = i + 1
	}
	switch action {
	case ActionSubmit:
		chain, err := s.correctionChainFor(ctx, c.ColumnID)
		if err != nil {
			return a, err
		}
		c.Review.Chain = chain
		arrive(0)
	case ActionApprove:
		arrive(step + 1)
	case ActionReturn:
		switch {
		case m.ReturnTo == 0:
			c.Status, c.Review.Waiting = model.StatusReturned, nil
		case m.ReturnTo >= 1 && m.ReturnTo <= step:
			arrive(m.ReturnTo - 1)
		default:
			return a, model.Invalid("return_target", m.ReturnTo)
		}
	case ActionReject:
		c.Status, c.Review.Waiting = model.StatusRejected, nil
	}
	ev.To = c.Status
	wc.Article = c
	wc.SavedBy = u.ID
	err := s.tx(ctx, func(tx Store) error {
		if err := tx.MoveWorkingCopy(ctx, &wc, ev); err != nil {
			return err
		}
		if action == ActionReject {
			// A rejected correction is dropped; the published text stays.
			if err := tx.DeleteWorkingCopy(ctx, a.ID); err != nil {
				return err
			}
		}
		if err := s.transitionedCopy(ctx, tx, wc, ev); err != nil {
			return err
		}
		e := actor.Audit(action, target(a.ID), detail())
		e.At = s.now()
		return tx.AddAudit(ctx, e)
	})
	if err != nil {
		return a, err
	}
	a.Version = wc.Version
	return a, nil
}

// transitionedCopy tells the Transitioned hook of a decision on a copy:
// the copy's maker hears of a return as an author would.
func (s *Service) transitionedCopy(ctx context.Context, tx Store, wc model.WorkingCopy, ev model.Event) error {
	full, ok := tx.(store.Store)
	if !ok || s.Transitioned == nil {
		return nil
	}
	c := wc.Article
	c.AuthorID = wc.CreatedBy
	return s.Transitioned(ctx, full, c, ev)
}

// revise replaces the published text of a with its working copy wc, the
// last step's approval: recorded in the story's history with the step,
// audited; the public page then shows the new text, 更新于 and the
// correction note.
func (s *Service) revise(ctx context.Context, actor model.Actor, a model.Article, wc model.WorkingCopy, ev model.Event, detail func() string) (model.Article, error) {
	withText(&a, wc.Article)
	a.RevisedAt, a.SavedBy = s.now(), actor.User.ID
	a.Review.Waiting = nil
	ev.Action, ev.To = ActionRevise, a.Status
	err := s.write(ctx, &a, func(tx store.Store) error {
		if err := tx.TransitionArticle(ctx, &a, ev); err != nil {
			return err
		}
		if err := tx.DeleteWorkingCopy(ctx, a.ID); err != nil {
			return err
		}
		return s.transitioned(ctx, tx, a, ev)
	}, actor.Audit(ActionRevise, "", fmt.Sprintf("version %d; %s", ev.Version, detail())))
	return a, err
}

// copies reports whether saves of stored go to a working copy: it is
// published, or has one already (it was withdrawn while corrected).
func (s *Service) copies(ctx context.Context, stored model.Article) (model.WorkingCopy, bool, error) {
	wc, err := s.Store.WorkingCopy(ctx, stored.ID)
	if err == nil {
		return wc, true, nil
	}
	if !errors.Is(err, model.ErrNotFound) {
		return wc, false, err
	}
	return model.WorkingCopy{}, stored.Status == model.StatusPublished, nil
}

// saveCopy saves a (validated, sanitised) as the working copy of stored.
// The first save makes the copy and submits it to the first step of its
// column's correction chain, in the same transaction.
func (s *Service) saveCopy(ctx context.Context, actor model.Actor, a *model.Article, prev model.WorkingCopy) error {
	wc := model.WorkingCopy{Article: *a, CreatedBy: prev.CreatedBy, CopiedAt: prev.CopiedAt}
	fresh := wc.CreatedBy == 0
	if fresh {
		wc.CreatedBy = actor.User.ID
		wc.Status, wc.Review = model.StatusReturned, model.Review{Correction: true}
	}
	var chain []model.ReviewStep
	if fresh {
		var err error
		if chain, err = s.correctionChainFor(ctx, a.ColumnID); err != nil {
			return err
		}
	}
	now := s.now()
	err := s.tx(ctx, func(tx Store) error {
		if err := tx.SaveWorkingCopy(ctx, &wc); err != nil {
			return err
		}
		e := actor.Audit("save_copy", target(a.ID), fmt.Sprintf("version %d: %s", wc.Version, a.Title))
		e.At = now
		if err := tx.AddAudit(ctx, e); err != nil {
			return err
		}
		if !fresh {
			return nil
		}
		first := chain[0]
		wc.Status = review.StatusAt(0)
		wc.Review = model.Review{Chain: chain, Step: 0, Since: now, Correction: true}
		wc.Review.Waiting = review.Waiting(first, wc.Article)
		ev := model.Event{UserID: actor.User.ID, Action: ActionSubmit, From: model.StatusReturned, To: wc.Status, IP: actor.IP,
			Version: wc.Version, Via: actor.Via, ActorName: actor.User.Name, ToStep: 1, Correction: true}
		if err := tx.MoveWorkingCopy(ctx, &wc, ev); err != nil {
			return err
		}
		if err := s.transitionedCopy(ctx, tx, wc, ev); err != nil {
			return err
		}
		e = actor.Audit(ActionSubmit, target(a.ID), "correction: "+review.Label(first))
		e.At = now
		return tx.AddAudit(ctx, e)
	})
	if err != nil {
		return err
	}
	a.Version = wc.Version
	return nil
}

func checkCorrection(a *model.Article) error {
	a.Correction = strings.TrimSpace(a.Correction)
	if utf8.RuneCountInString(a.Correction) > MaxCorrection {
		return model.Invalid("correction_long", MaxCorrection)
	}
	return nil
}

// ApproveRevision approves the working copy of story id, read at
// version, at the step of its correction chain where it waits, for one
// who may take that step; at the last step it replaces the published
// text (the public page then shows the new text, 更新于 and the correction
// note). Recorded in the story's history with the comment, audited.
func (s *Service) ApproveRevision(ctx context.Context, actor model.Actor, id int64, version int, comment string) (model.Article, error) {
	a, err := s.Store.Article(ctx, id)
	if err != nil {
		return a, err
	}
	if _, ok, err := s.copyOf(ctx, a); err != nil {
		return a, err
	} else if !ok {
		if !CanView(actor.User, a) {
			return a, fmt.Errorf("%w: review the working copy of article %d", ErrForbidden, id)
		}
		return a, model.Invalid("no_revision")
	}
	return s.Move(ctx, actor, id, Move{Action: ActionApprove, Version: version, Comment: comment})
}

// DiscardRevision drops the working copy of story id, read at version;
// the published text stays. Editors only; audited.
func (s *Service) DiscardRevision(ctx context.Context, actor model.Actor, id int64, version int) error {
	if _, _, err := s.revision(ctx, actor, id, version); err != nil {
		return err
	}
	return s.tx(ctx, func(tx Store) error {
		if err := tx.DeleteWorkingCopy(ctx, id); err != nil {
			return err
		}
		e := actor.Audit("discard_copy", target(id), fmt.Sprintf("version %d", version))
		e.At = s.now()
		return tx.AddAudit(ctx, e)
	})
}

// revision loads story id and its working copy for an editor's decision
// on it at version.
func (s *Service) revision(ctx context.Context, actor model.Actor, id int64, version int) (model.Article, model.WorkingCopy, error) {
	a, err := s.Store.Article(ctx, id)
	if err != nil {
		return a, model.WorkingCopy{}, err
	}
	if !CanView(actor.User, a) || !actor.User.CanPublish() {
		return a, model.WorkingCopy{}, fmt.Errorf("%w: review the working copy of article %d", ErrForbidden, id)
	}
	wc, err := s.Store.WorkingCopy(ctx, id)
	if errors.Is(err, model.ErrNotFound) {
		return a, wc, model.Invalid("no_revision")
	} else if err != nil {
		return a, wc, err
	}
	if a.Version != version {
		return a, wc, fmt.Errorf("working copy of article %d from version %d: %w", id, version, model.ErrConflict)
	}
	return a, wc, nil
}

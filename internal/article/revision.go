package article

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"newsdesk/internal/model"
	"newsdesk/internal/store"
)

// Working copies: a published story stays on the site while it is
// corrected. Its saves go to a working copy (kept in the history like any
// version) that an editor reviews; approving it replaces the published
// text, records the time the public page shows as 更新于 and the optional
// public correction note (更正说明). Feeds, search and every public page
// read the published text only, so they follow the approved version.

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
func (s *Service) saveCopy(ctx context.Context, actor model.Actor, a *model.Article, prev model.WorkingCopy) error {
	wc := model.WorkingCopy{Article: *a, CreatedBy: prev.CreatedBy, CopiedAt: prev.CopiedAt}
	if wc.CreatedBy == 0 {
		wc.CreatedBy = actor.User.ID
	}
	err := s.tx(ctx, func(tx Store) error {
		if err := tx.SaveWorkingCopy(ctx, &wc); err != nil {
			return err
		}
		e := actor.Audit("save_copy", target(a.ID), fmt.Sprintf("version %d: %s", wc.Version, a.Title))
		e.At = s.now()
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

// ApproveRevision replaces the published text of story id, read at
// version, with its working copy: an editor's decision, recorded in the
// story's history with the comment, audited; the public page then shows
// the new text, 更新于 and the correction note.
func (s *Service) ApproveRevision(ctx context.Context, actor model.Actor, id int64, version int, comment string) (model.Article, error) {
	a, wc, err := s.revision(ctx, actor, id, version)
	if err != nil {
		return a, err
	}
	withText(&a, wc.Article)
	if err := s.checkAlt(ctx, a); err != nil {
		return a, err
	}
	a.RevisedAt, a.SavedBy = s.now(), actor.User.ID
	ev := model.Event{UserID: actor.User.ID, Action: ActionRevise, From: a.Status, To: a.Status, Comment: strings.TrimSpace(comment), IP: actor.IP}
	err = s.write(ctx, &a, func(tx store.Store) error {
		if err := tx.TransitionArticle(ctx, &a, ev); err != nil {
			return err
		}
		return tx.DeleteWorkingCopy(ctx, id)
	}, actor.Audit(ActionRevise, "", fmt.Sprintf("version %d", version)))
	return a, err
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

package article

import (
	"context"
	"errors"
	"fmt"

	"newsdesk/internal/model"
	"newsdesk/internal/store"
)

// What ImportRecorded did with an item.
const (
	ImportCreated   = "created"
	ImportUpdated   = "updated"
	ImportUnchanged = "unchanged"
)

// ImportRecorded imports a story read from rec.Source at rec.Original,
// whose content has rec.Digest: one read before (the same source and
// address) is updated in place when its digest changed and left alone
// when not; any other is created, as Import does. The story, its import
// record, its search tokens, its audit entry and whatever also writes (an
// old address's redirect) go into one transaction, so a failure leaves
// nothing half-imported. It returns what it did; a.ID is the story's.
func (s *Service) ImportRecorded(ctx context.Context, actor model.Actor, a *model.Article, rec model.ImportRecord, also func(tx store.Store) error) (string, error) {
	if !actor.IsSystem() && !actor.User.CanPublish() {
		return "", fmt.Errorf("%w: import article", ErrForbidden)
	}
	rec.Kind = model.ImportArticle
	rec.ImportedAt = s.now()
	prev, err := s.Store.ImportRecord(ctx, rec.Source, rec.Original)
	if err != nil && !errors.Is(err, model.ErrNotFound) {
		return "", err
	}
	if a.Status == "" {
		a.Status = model.StatusDraft
	}
	if a.Status == model.StatusPublished && a.PublishedAt.IsZero() {
		a.PublishedAt = s.now()
	}
	if err := Validate(a); err != nil {
		return "", err
	}
	a.Body = Sanitize(a.Body)
	save := func(tx store.Store) error {
		rec.RefID = a.ID
		if err := tx.SaveImportRecord(ctx, rec); err != nil {
			return err
		}
		if also != nil {
			return also(tx)
		}
		return nil
	}
	detail := rec.Source + " " + rec.Original
	if err == nil && prev.Kind == model.ImportArticle {
		stored, err := s.Store.Article(ctx, prev.RefID)
		if err != nil {
			return "", fmt.Errorf("article %d imported from %s: %w", prev.RefID, rec.Original, err)
		}
		a.ID = stored.ID
		if prev.Digest == rec.Digest {
			*a = stored
			return ImportUnchanged, nil
		}
		a.Version, a.Views = stored.Version, stored.Views
		if a.AuthorID == 0 {
			a.AuthorID = stored.AuthorID
		}
		err = s.write(ctx, a, func(tx store.Store) error {
			if err := tx.UpdateArticle(ctx, a); err != nil {
				return err
			}
			return save(tx)
		}, actor.Audit("import_update", "", detail))
		return ImportUpdated, err
	}
	a.ID = 0
	err = s.write(ctx, a, func(tx store.Store) error {
		if err := tx.CreateArticle(ctx, a); err != nil {
			return err
		}
		return save(tx)
	}, actor.Audit("import", "", detail))
	return ImportCreated, err
}

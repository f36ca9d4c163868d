// Package slot manages the curated placements 焦点 (focus) and 推荐 (recommended).
package slot

import (
	"context"
	"fmt"
	"time"

	"newsdesk/internal/model"
)

// Names lists the slots in display order.
var Names = []string{model.SlotFocus, model.SlotRecommended}

// Valid reports whether name is a known slot.
func Valid(name string) bool {
	for _, n := range Names {
		if n == name {
			return true
		}
	}
	return false
}

// Service places articles and tells the site when a slot changed.
type Service struct {
	Store   Store
	Changed func()
}

// Place puts an article into a slot at a position (lower first). Only
// news-centre staff curate the slots.
func (s *Service) Place(ctx context.Context, actor model.Actor, p model.Placement) error {
	if !actor.IsSystem() && !actor.User.CanPublish() {
		return fmt.Errorf("%w: place article %d", model.ErrForbidden, p.ArticleID)
	}
	if !Valid(p.Slot) {
		return model.Invalid("slot", p.Slot)
	}
	if p.Position < 0 {
		return model.Invalid("position")
	}
	detail := fmt.Sprintf("%s %d", p.Slot, p.Position)
	if !p.ExpiresAt.IsZero() {
		detail += " until " + p.ExpiresAt.Format(time.RFC3339)
	}
	return s.write(ctx, func(tx Store) error {
		if _, err := tx.Article(ctx, p.ArticleID); err != nil {
			return err
		}
		if err := tx.SetPlacement(ctx, p); err != nil {
			return err
		}
		return tx.AddAudit(ctx, actor.Audit("slot", fmt.Sprintf("article %d", p.ArticleID), detail))
	})
}

// Remove takes an article out of a slot.
func (s *Service) Remove(ctx context.Context, actor model.Actor, slot string, articleID int64) error {
	if !actor.IsSystem() && !actor.User.CanPublish() {
		return fmt.Errorf("%w: remove article %d from %s", model.ErrForbidden, articleID, slot)
	}
	if !Valid(slot) {
		return model.Invalid("slot", slot)
	}
	return s.write(ctx, func(tx Store) error {
		if err := tx.RemovePlacement(ctx, slot, articleID); err != nil {
			return err
		}
		return tx.AddAudit(ctx, actor.Audit("slot_remove", fmt.Sprintf("article %d", articleID), slot))
	})
}

func (s *Service) write(ctx context.Context, fn func(tx Store) error) error {
	if err := s.tx(ctx, fn); err != nil {
		return err
	}
	if s.Changed != nil {
		s.Changed()
	}
	return nil
}

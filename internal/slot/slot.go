// Package slot manages the curated placements 焦点 (focus) and 推荐 (recommended).
package slot

import (
	"context"
	"fmt"

	"newsdesk/internal/store"
)

// Names lists the slots in display order.
var Names = []string{store.SlotFocus, store.SlotRecommended}

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
	Store   store.Store
	Changed func()
}

// Place puts an article into a slot at a position (lower first).
func (s *Service) Place(ctx context.Context, p store.Placement) error {
	if !Valid(p.Slot) {
		return fmt.Errorf("unknown slot %q", p.Slot)
	}
	if _, err := s.Store.Article(ctx, p.ArticleID); err != nil {
		return err
	}
	if err := s.Store.SetPlacement(ctx, p); err != nil {
		return err
	}
	if s.Changed != nil {
		s.Changed()
	}
	return nil
}

// Remove takes an article out of a slot.
func (s *Service) Remove(ctx context.Context, slot string, articleID int64) error {
	if err := s.Store.RemovePlacement(ctx, slot, articleID); err != nil {
		return err
	}
	if s.Changed != nil {
		s.Changed()
	}
	return nil
}

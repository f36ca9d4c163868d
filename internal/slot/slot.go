// Package slot manages the curated placements 焦点 (focus) and 推荐 (recommended).
package slot

import (
	"context"
	"fmt"
	"strconv"
	"strings"
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
		if _, err := tx.AdvanceSlot(ctx, p.Slot, -1); err != nil {
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
		if _, err := tx.AdvanceSlot(ctx, slot, -1); err != nil {
			return err
		}
		return tx.AddAudit(ctx, actor.Audit("slot_remove", fmt.Sprintf("article %d", articleID), slot))
	})
}

// MaxPlaced is how many stories one slot holds: more than the home page
// shows (its carousel and list take the first few), fewer than would make
// the board a second story list.
const MaxPlaced = 30

// Board is a slot as the slot board shows it: every placement in order
// (expired ones and stories no longer published too, so an editor sees
// and clears them) and the version they were read at, which a save must
// bring back.
type Board struct {
	Slot       string
	Version    int
	Placements []model.Placement
}

// Board reads a slot for the slot board (editors).
func (s *Service) Board(ctx context.Context, actor model.Actor, slot string) (Board, error) {
	if !actor.IsSystem() && !actor.User.CanPublish() {
		return Board{}, fmt.Errorf("%w: slot board %s", model.ErrForbidden, slot)
	}
	if !Valid(slot) {
		return Board{}, model.Invalid("slot", slot)
	}
	b := Board{Slot: slot}
	var err error
	if b.Version, err = s.Store.SlotVersion(ctx, slot); err != nil {
		return b, err
	}
	if b.Placements, err = s.Store.Placements(ctx, slot); err != nil {
		return b, err
	}
	return b, nil
}

// Arrange makes a slot hold exactly the stories of order, in that order
// (positions 0, 1, 2 …, each with its expiry), taking out those not named.
// version is the slot's version the editor was shown: if the slot changed
// since (another editor, a story page's slot form), nothing is saved and
// the answer is ErrConflict, so two editors never overwrite each other
// silently. It answers the slot's new version. One audit entry names the
// new order.
func (s *Service) Arrange(ctx context.Context, actor model.Actor, slot string, version int, order []model.Placement) (int, error) {
	if !actor.IsSystem() && !actor.User.CanPublish() {
		return 0, fmt.Errorf("%w: arrange %s", model.ErrForbidden, slot)
	}
	if !Valid(slot) {
		return 0, model.Invalid("slot", slot)
	}
	if version < 0 {
		return 0, model.Invalid("slot_version")
	}
	if len(order) > MaxPlaced {
		return 0, model.Invalid("slot_full", MaxPlaced)
	}
	seen := map[int64]bool{}
	ids := make([]string, len(order))
	for i, p := range order {
		if seen[p.ArticleID] {
			return 0, model.Invalid("slot_twice", p.ArticleID)
		}
		seen[p.ArticleID] = true
		ids[i] = strconv.FormatInt(p.ArticleID, 10)
	}
	var next int
	err := s.write(ctx, func(tx Store) error {
		var err error
		if next, err = tx.AdvanceSlot(ctx, slot, version); err != nil {
			return err
		}
		before, err := tx.Placements(ctx, slot)
		if err != nil {
			return err
		}
		for _, p := range before {
			if !seen[p.ArticleID] {
				if err := tx.RemovePlacement(ctx, slot, p.ArticleID); err != nil {
					return err
				}
			}
		}
		for i, p := range order {
			if _, err := tx.Article(ctx, p.ArticleID); err != nil {
				return err
			}
			p.Slot, p.Position = slot, i
			if err := tx.SetPlacement(ctx, p); err != nil {
				return err
			}
		}
		return tx.AddAudit(ctx, actor.Audit("slot_arrange", "slot "+slot, strings.Join(ids, ", ")))
	})
	return next, err
}

// Add puts a story at the end of a slot, from the slot board's search;
// version is checked as Arrange checks it. It answers the new version.
func (s *Service) Add(ctx context.Context, actor model.Actor, slot string, version int, articleID int64, expires time.Time) (int, error) {
	if !actor.IsSystem() && !actor.User.CanPublish() {
		return 0, fmt.Errorf("%w: add article %d to %s", model.ErrForbidden, articleID, slot)
	}
	if !Valid(slot) {
		return 0, model.Invalid("slot", slot)
	}
	var next int
	err := s.write(ctx, func(tx Store) error {
		var err error
		if next, err = tx.AdvanceSlot(ctx, slot, version); err != nil {
			return err
		}
		a, err := tx.Article(ctx, articleID)
		if err != nil {
			return err
		}
		if a.Status != model.StatusPublished {
			return model.Invalid("slot_unpublished", a.Title)
		}
		placed, err := tx.Placements(ctx, slot)
		if err != nil {
			return err
		}
		pos := 0
		for _, p := range placed {
			if p.ArticleID == articleID {
				return model.Invalid("slot_twice", articleID)
			}
			pos = max(pos, p.Position+1)
		}
		if len(placed) >= MaxPlaced {
			return model.Invalid("slot_full", MaxPlaced)
		}
		p := model.Placement{Slot: slot, ArticleID: articleID, Position: pos, ExpiresAt: expires}
		if err := tx.SetPlacement(ctx, p); err != nil {
			return err
		}
		return tx.AddAudit(ctx, actor.Audit("slot", fmt.Sprintf("article %d", articleID), fmt.Sprintf("%s %d", slot, pos)))
	})
	return next, err
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

package column

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"newsdesk/internal/model"
)

// Service changes the column tree and tells the site when it changed.
type Service struct {
	Store   Store
	Changed func()
}

// slugRE is what a column's address may be: it appears in /columns/{slug}.
var slugRE = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,39}$`)

// MaxUpdateDays is the longest update period a column may have (ten years).
const MaxUpdateDays = 3660

// ParseUpdateDays reads an update period (更新周期) as an editor typed it:
// empty is none (0, the column is not checked), otherwise a whole number
// of days from 1 to MaxUpdateDays; full-width digits (１４) are read as
// digits.
func ParseUpdateDays(s string) (int, error) {
	s = strings.Map(func(r rune) rune {
		if r >= '０' && r <= '９' {
			return r - '０' + '0'
		}
		return r
	}, strings.TrimSpace(s))
	if s == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > MaxUpdateDays {
		return 0, model.Invalid("column_update_days", s, MaxUpdateDays)
	}
	return n, nil
}

// Save adds c (no ID) or renames, moves and reorders the column c.ID; a
// column's slug is fixed once made, since links point at it. Only
// news-centre staff change columns.
func (s *Service) Save(ctx context.Context, actor model.Actor, c model.Column) (model.Column, error) {
	if !actor.IsSystem() && !actor.User.CanPublish() {
		return c, fmt.Errorf("%w: save column", model.ErrForbidden)
	}
	c.Name, c.Description, c.Slug = strings.TrimSpace(c.Name), strings.TrimSpace(c.Description), strings.TrimSpace(c.Slug)
	err := s.tx(ctx, func(tx Store) error {
		cols, err := tx.Columns(ctx)
		if err != nil {
			return err
		}
		tree := NewTree(cols)
		if c.ID != 0 {
			old, ok := tree.Get(c.ID)
			if !ok {
				return fmt.Errorf("column %d: %w", c.ID, model.ErrNotFound)
			}
			c.Slug = old.Slug
		}
		switch {
		case c.Name == "" || utf8.RuneCountInString(c.Name) > 100:
			return model.Invalid("column_name")
		case !slugRE.MatchString(c.Slug):
			return model.Invalid("column_slug")
		case c.ParentID != 0 && c.ID != 0 && slices.Contains(tree.Subtree(c.ID), c.ParentID):
			return model.Invalid("column_cycle")
		case c.UpdateDays < 0 || c.UpdateDays > MaxUpdateDays:
			return model.Invalid("column_update_days", strconv.Itoa(c.UpdateDays), MaxUpdateDays)
		}
		if c.ParentID != 0 {
			if _, ok := tree.Get(c.ParentID); !ok {
				return model.Invalid("column_parent")
			}
		}
		action, period := "column_update", ""
		if c.ID == 0 {
			if c.UpdateDays > 0 {
				period = fmt.Sprintf("; update_days %d", c.UpdateDays)
			}
		} else if old, _ := tree.Get(c.ID); old.UpdateDays != c.UpdateDays {
			period = fmt.Sprintf("; update_days %d → %d", old.UpdateDays, c.UpdateDays)
		}
		if c.ID == 0 {
			if _, err := tree.BySlug(c.Slug); err == nil {
				return model.Invalid("column_taken", c.Slug)
			}
			action = "column_create"
			err = tx.CreateColumn(ctx, &c)
		} else {
			err = tx.UpdateColumn(ctx, &c)
		}
		if err != nil {
			return err
		}
		return tx.AddAudit(ctx, actor.Audit(action, "column "+c.Slug, c.Name+period))
	})
	if err != nil {
		return c, err
	}
	if s.Changed != nil {
		s.Changed()
	}
	return c, nil
}

package article

import (
	"context"
	"errors"
	"fmt"

	"newsdesk/internal/model"
	"newsdesk/internal/store"
)

// MoveToColumn puts story id, which the actor read at version, in
// another column: news-centre staff only, in any state. A published story
// moves at once (its address stays, the column pages change). A story
// under correction is refused: its working copy names a column of its own,
// which approving it would bring back.
func (s *Service) MoveToColumn(ctx context.Context, actor model.Actor, id int64, version int, columnID int64) (model.Article, error) {
	a, err := s.Store.Article(ctx, id)
	if err != nil {
		return a, err
	}
	if !actor.User.CanPublish() || !CanView(actor.User, a) {
		return a, fmt.Errorf("%w: move article %d", ErrForbidden, id)
	}
	if a.Version != version {
		return a, fmt.Errorf("move article %d from version %d: %w", id, version, model.ErrConflict)
	}
	cols, err := s.Store.Columns(ctx)
	if err != nil {
		return a, err
	}
	var to *model.Column
	for i := range cols {
		if cols[i].ID == columnID {
			to = &cols[i]
		}
	}
	switch {
	case to == nil:
		return a, model.Invalid("column_required")
	case a.ColumnID == columnID:
		return a, model.Invalid("same_column", to.Name)
	}
	if _, err := s.Store.WorkingCopy(ctx, id); err == nil {
		return a, model.Invalid("move_working_copy")
	} else if !errors.Is(err, model.ErrNotFound) {
		return a, err
	}
	from := a.ColumnID
	a.ColumnID, a.SavedBy = columnID, actor.User.ID
	detail := fmt.Sprintf("column %d → %d (%s)", from, columnID, to.Name)
	err = s.write(ctx, &a, func(tx store.Store) error { return tx.UpdateArticle(ctx, &a) }, actor.Audit("move_column", "", detail))
	return a, err
}

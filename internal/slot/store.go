package slot

import (
	"context"

	"newsdesk/internal/model"
	"newsdesk/internal/store"
)

// Store is what the slot service reads and writes; store.Store is one.
type Store interface {
	AddAudit(ctx context.Context, e model.AuditEntry) error
	AdvanceSlot(ctx context.Context, slot string, from int) (int, error)
	Article(ctx context.Context, id int64) (model.Article, error)
	Placements(ctx context.Context, slot string) ([]model.Placement, error)
	RemovePlacement(ctx context.Context, slot string, articleID int64) error
	SetPlacement(ctx context.Context, p model.Placement) error
	SlotVersion(ctx context.Context, slot string) (int, error)
	Tx(ctx context.Context, fn func(store.Store) error) error
}

// tx runs fn in one transaction, seeing the store through Store.
func (s *Service) tx(ctx context.Context, fn func(Store) error) error {
	return s.Store.Tx(ctx, func(tx store.Store) error { return fn(tx) })
}

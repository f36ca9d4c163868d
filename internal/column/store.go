package column

import (
	"context"

	"newsdesk/internal/model"
	"newsdesk/internal/store"
)

// Store is what the column service reads and writes; store.Store is one.
type Store interface {
	AddAudit(ctx context.Context, e model.AuditEntry) error
	Columns(ctx context.Context) ([]model.Column, error)
	CreateColumn(ctx context.Context, c *model.Column) error
	Tx(ctx context.Context, fn func(store.Store) error) error
	UpdateColumn(ctx context.Context, c *model.Column) error
}

// tx runs fn in one transaction, seeing the store through Store.
func (s *Service) tx(ctx context.Context, fn func(Store) error) error {
	return s.Store.Tx(ctx, func(tx store.Store) error { return fn(tx) })
}

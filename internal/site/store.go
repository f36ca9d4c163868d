package site

import (
	"context"

	"newsdesk/internal/model"
	"newsdesk/internal/store"
)

// Store is what the site service reads and writes; store.Store is one.
type Store interface {
	AddAudit(ctx context.Context, e model.AuditEntry) error
	DeletePage(ctx context.Context, slug string) error
	Page(ctx context.Context, slug string) (model.Page, error)
	SavePage(ctx context.Context, p *model.Page) error
	SetSetting(ctx context.Context, key, value string) error
	Settings(ctx context.Context) (map[string]string, error)
	Tx(ctx context.Context, fn func(store.Store) error) error
}

// tx runs fn in one transaction, seeing the store through Store.
func (s *Service) tx(ctx context.Context, fn func(Store) error) error {
	return s.Store.Tx(ctx, func(tx store.Store) error { return fn(tx) })
}

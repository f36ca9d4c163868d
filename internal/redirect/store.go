package redirect

import (
	"context"

	"newsdesk/internal/model"
	"newsdesk/internal/store"
)

// Store is what the redirects read and write.
type Store interface {
	AddAudit(ctx context.Context, e model.AuditEntry) error
	Article(ctx context.Context, id int64) (model.Article, error)
	DeleteRedirect(ctx context.Context, id int64) error
	RedirectByID(ctx context.Context, id int64) (model.Redirect, error)
	RedirectByPath(ctx context.Context, path string) (model.Redirect, error)
	Redirects(ctx context.Context, afterPath string, limit int) ([]model.Redirect, error)
	SaveRedirect(ctx context.Context, r *model.Redirect) error
	Tx(ctx context.Context, fn func(store.Store) error) error
}

// tx runs fn in one transaction, seeing the store through Store.
func (s *Service) tx(ctx context.Context, fn func(Store) error) error {
	return s.Store.Tx(ctx, func(tx store.Store) error { return fn(tx) })
}

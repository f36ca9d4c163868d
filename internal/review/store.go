package review

import (
	"context"

	"newsdesk/internal/store"
)

// Store is what the review service reads and writes; store.Store is one.
type Store interface {
	AddAudit(ctx context.Context, e store.AuditEntry) error
	Article(ctx context.Context, id int64) (store.Article, error)
	Columns(ctx context.Context) ([]store.Column, error)
	Events(ctx context.Context, articleID int64) ([]store.Event, error)
	ReviewChains(ctx context.Context) ([]store.ReviewChain, error)
	ReviewEvents(ctx context.Context, q store.ReviewEventQuery) ([]store.Event, error)
	ReviewInbox(ctx context.Context, holders []string, limit int) ([]store.Article, int, error)
	SetReviewChain(ctx context.Context, c store.ReviewChain) error
	SetSetting(ctx context.Context, key, value string) error
	Settings(ctx context.Context) (map[string]string, error)
	Tx(ctx context.Context, fn func(store.Store) error) error
	Units(ctx context.Context) ([]store.Unit, error)
	User(ctx context.Context, id int64) (store.User, error)
	Users(ctx context.Context) ([]store.User, error)
}

// tx runs fn in one transaction, seeing the store through Store.
func (s *Service) tx(ctx context.Context, fn func(Store) error) error {
	return s.Store.Tx(ctx, func(tx store.Store) error { return fn(tx) })
}

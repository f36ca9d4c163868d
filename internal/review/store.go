package review

import (
	"context"

	"newsdesk/internal/model"
	"newsdesk/internal/store"
)

// Store is what the review service reads and writes; store.Store is one.
type Store interface {
	AddAudit(ctx context.Context, e model.AuditEntry) error
	Article(ctx context.Context, id int64) (model.Article, error)
	CheckAcks(ctx context.Context, articleID int64) ([]model.CheckAck, error)
	Columns(ctx context.Context) ([]model.Column, error)
	Events(ctx context.Context, articleID int64) ([]model.Event, error)
	ReviewChains(ctx context.Context) ([]model.ReviewChain, error)
	ReviewEvents(ctx context.Context, q model.ReviewEventQuery) ([]model.Event, error)
	ReviewInbox(ctx context.Context, holders []string, limit int) ([]model.Article, int, error)
	SetReviewChain(ctx context.Context, c model.ReviewChain) error
	SetSetting(ctx context.Context, key, value string) error
	Settings(ctx context.Context) (map[string]string, error)
	Tx(ctx context.Context, fn func(store.Store) error) error
	Units(ctx context.Context) ([]model.Unit, error)
	User(ctx context.Context, id int64) (model.User, error)
	Users(ctx context.Context) ([]model.User, error)
	WorkingCopies(ctx context.Context, ids []int64) (map[int64]model.WorkingCopy, error)
}

// tx runs fn in one transaction, seeing the store through Store.
func (s *Service) tx(ctx context.Context, fn func(Store) error) error {
	return s.Store.Tx(ctx, func(tx store.Store) error { return fn(tx) })
}

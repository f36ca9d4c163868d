package media

import (
	"context"
	"time"

	"newsdesk/internal/model"
	"newsdesk/internal/store"
)

// Store is what the media service reads and writes; store.Store is one.
type Store interface {
	AddAudit(ctx context.Context, e model.AuditEntry) error
	CreateMedia(ctx context.Context, m *model.Media) error
	DeleteMedia(ctx context.Context, id int64) error
	EnqueueJob(ctx context.Context, kind string, ref int64, runAt time.Time) error
	Media(ctx context.Context, id int64) (model.Media, error)
	MediaList(ctx context.Context, q store.MediaQuery) ([]model.Media, int, error)
	MediaUses(ctx context.Context, id int64) ([]model.Article, error)
	SetMediaPublic(ctx context.Context, id int64, public bool) error
	SetMediaUnreadable(ctx context.Context, id int64, why string) error
	SetVariants(ctx context.Context, mediaID int64, vs []model.Variant) error
	Tx(ctx context.Context, fn func(store.Store) error) error
	UpdateMedia(ctx context.Context, m *model.Media) error
	VariantByKey(ctx context.Context, key string) (model.Variant, error)
	Variants(ctx context.Context, mediaIDs []int64) (map[int64][]model.Variant, error)
}

// tx runs fn in one transaction, seeing the store through Store.
func (s *Service) tx(ctx context.Context, fn func(Store) error) error {
	return s.Store.Tx(ctx, func(tx store.Store) error { return fn(tx) })
}

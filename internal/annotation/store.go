package annotation

import (
	"context"
	"time"

	"newsdesk/internal/model"
	"newsdesk/internal/store"
)

// Store is what the annotation service reads and writes; store.Store is
// one.
type Store interface {
	AddAudit(ctx context.Context, e model.AuditEntry) error
	Article(ctx context.Context, id int64) (model.Article, error)
	User(ctx context.Context, id int64) (model.User, error)
	Annotation(ctx context.Context, id int64) (model.Annotation, error)
	Annotations(ctx context.Context, articleID int64) ([]model.Annotation, error)
	CreateAnnotation(ctx context.Context, a *model.Annotation) error
	ResolveAnnotation(ctx context.Context, id, userID int64, at time.Time) error
	Tx(ctx context.Context, fn func(store.Store) error) error
}

// tx runs fn in one transaction, seeing the store through Store.
func (s *Service) tx(ctx context.Context, fn func(Store) error) error {
	return s.Store.Tx(ctx, func(tx store.Store) error { return fn(tx) })
}

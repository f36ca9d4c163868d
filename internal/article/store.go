package article

import (
	"context"
	"time"

	"newsdesk/internal/model"
	"newsdesk/internal/store"
)

// Store is what the article service reads and writes; store.Store is one.
type Store interface {
	AcquireLock(ctx context.Context, l model.EditLock, staleBefore time.Time, force bool) (model.EditLock, error)
	AddAudit(ctx context.Context, e model.AuditEntry) error
	Article(ctx context.Context, id int64) (model.Article, error)
	Articles(ctx context.Context, q store.ArticleQuery) ([]model.Article, int, error)
	Columns(ctx context.Context) ([]model.Column, error)
	CountArticles(ctx context.Context, q store.ListQuery) (int, error)
	CreateArticle(ctx context.Context, a *model.Article) error
	DeleteWorkingCopy(ctx context.Context, articleID int64) error
	EditLock(ctx context.Context, articleID int64) (model.EditLock, error)
	ImportRecord(ctx context.Context, source, original string) (model.ImportRecord, error)
	ListArticles(ctx context.Context, q store.ListQuery) ([]model.Article, error)
	Figures(ctx context.Context, q store.FiguresQuery) ([]store.UnitFigures, error)
	IndexArticles(ctx context.Context, docs map[int64]store.SearchDoc) error
	MediaByIDs(ctx context.Context, ids []int64) (map[int64]model.Media, error)
	ReleaseLock(ctx context.Context, articleID, userID int64, token string) error
	ReviewChains(ctx context.Context) ([]model.ReviewChain, error)
	SaveImportRecord(ctx context.Context, r model.ImportRecord) error
	SaveWorkingCopy(ctx context.Context, wc *model.WorkingCopy) error
	MoveWorkingCopy(ctx context.Context, wc *model.WorkingCopy, ev model.Event) error
	TransitionArticle(ctx context.Context, a *model.Article, ev model.Event) error
	Tx(ctx context.Context, fn func(store.Store) error) error
	UpdateArticle(ctx context.Context, a *model.Article) error
	User(ctx context.Context, id int64) (model.User, error)
	WorkingCopy(ctx context.Context, articleID int64) (model.WorkingCopy, error)
}

// tx runs fn in one transaction, seeing the store through Store.
func (s *Service) tx(ctx context.Context, fn func(Store) error) error {
	return s.Store.Tx(ctx, func(tx store.Store) error { return fn(tx) })
}

package search

import (
	"context"

	"newsdesk/internal/store"
)

// Store is what the search service reads and writes; store.Store is one.
type Store interface {
	Articles(ctx context.Context, q store.ArticleQuery) ([]store.Article, int, error)
	IndexArticles(ctx context.Context, docs map[int64]store.SearchDoc) error
	IndexedCount(ctx context.Context) (int, error)
	ResetIndex(ctx context.Context) error
	SearchArticles(ctx context.Context, q store.SearchQuery) ([]store.Article, int, error)
}

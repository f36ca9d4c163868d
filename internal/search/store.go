package search

import (
	"context"

	"newsdesk/internal/model"
	"newsdesk/internal/store"
)

// Store is what the search service reads and writes; store.Store is one.
type Store interface {
	Articles(ctx context.Context, q store.ArticleQuery) ([]model.Article, int, error)
	ArticlesByIDs(ctx context.Context, ids []int64) ([]model.Article, error)
	IndexArticles(ctx context.Context, docs map[int64]store.SearchDoc) error
	IndexedCount(ctx context.Context) (int, error)
	ResetIndex(ctx context.Context) error
	SearchMatches(ctx context.Context, q store.SearchQuery) ([]store.SearchMatch, error)
}

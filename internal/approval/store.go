package approval

import (
	"context"
	"time"

	newsmail "newsdesk/internal/mail"
	"newsdesk/internal/model"
	"newsdesk/internal/store"
)

// Store is what the approval service reads and writes; store.Store is one.
type Store interface {
	newsmail.Tx
	Article(ctx context.Context, id int64) (model.Article, error)
	Settings(ctx context.Context) (map[string]string, error)
	SetSetting(ctx context.Context, key, value string) error
	AddAudit(ctx context.Context, e model.AuditEntry) error
	CreateApproverLink(ctx context.Context, l *model.ApproverLink) error
	ApproverLink(ctx context.Context, id int64) (model.ApproverLink, error)
	ApproverLinks(ctx context.Context, articleID int64) ([]model.ApproverLink, error)
	UseApproverLink(ctx context.Context, l model.ApproverLink) (bool, error)
	RevokeApproverLink(ctx context.Context, id int64, at time.Time) (bool, error)
	Tx(ctx context.Context, fn func(store.Store) error) error
}

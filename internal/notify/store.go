package notify

import (
	"context"
	"time"

	newsmail "newsdesk/internal/mail"
	"newsdesk/internal/model"
	"newsdesk/internal/store"
)

// Store is what the notification service reads and writes; store.Store
// is one.
type Store interface {
	Notifications(ctx context.Context, userID int64, limit int) ([]model.Notification, int, error)
	ReadNotifications(ctx context.Context, userID, upTo int64, at time.Time) error
	MailAddress(ctx context.Context, userID int64) (model.MailAddress, error)
	// ListArticles finds the stories under review, for the overdue check.
	ListArticles(ctx context.Context, q store.ListQuery) ([]model.Article, error)
	Tx(ctx context.Context, fn func(store.Store) error) error
}

// Tx is what notifications are written through: the transaction of the
// change that causes them.
type Tx interface {
	newsmail.Tx
	AddNotification(ctx context.Context, n *model.Notification) (bool, error)
	MailAddress(ctx context.Context, userID int64) (model.MailAddress, error)
	Settings(ctx context.Context) (map[string]string, error)
	User(ctx context.Context, id int64) (model.User, error)
	Users(ctx context.Context) ([]model.User, error)
}

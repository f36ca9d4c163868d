package mail

import (
	"context"
	"time"

	"newsdesk/internal/store"
)

// Store is what the outbox reads and writes; store.Store is one.
type Store interface {
	Mail(ctx context.Context, id int64) (store.Mail, error)
	MailList(ctx context.Context, limit, offset int) ([]store.Mail, int, error)
	UpdateMail(ctx context.Context, m *store.Mail) error
}

// Tx is what Queue writes through: the transaction of the change that
// causes the mail.
type Tx interface {
	QueueMail(ctx context.Context, m *store.Mail) error
	EnqueueJob(ctx context.Context, kind string, ref int64, runAt time.Time) error
}

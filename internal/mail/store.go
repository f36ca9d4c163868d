package mail

import (
	"context"
	"time"

	"newsdesk/internal/model"
)

// Store is what the outbox reads and writes; store.Store is one.
type Store interface {
	Mail(ctx context.Context, id int64) (model.Mail, error)
	MailList(ctx context.Context, limit, offset int) ([]model.Mail, int, error)
	UpdateMail(ctx context.Context, m *model.Mail) error
}

// Tx is what Queue writes through: the transaction of the change that
// causes the mail.
type Tx interface {
	QueueMail(ctx context.Context, m *model.Mail) error
	EnqueueJob(ctx context.Context, kind string, ref int64, runAt time.Time) error
}

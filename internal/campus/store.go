package campus

import (
	"context"
	"time"

	"newsdesk/internal/model"
	"newsdesk/internal/store"
)

// Store is what the campus sign-in service reads and writes; store.Store is one.
type Store interface {
	AddAudit(ctx context.Context, e model.AuditEntry) error
	CreateIdentity(ctx context.Context, i model.Identity) error
	CreateUser(ctx context.Context, u *model.User) error
	DeleteIdentity(ctx context.Context, provider, subject string) error
	DepartmentUnits(ctx context.Context) ([]model.DepartmentUnit, error)
	EndTicketSession(ctx context.Context, ticketHash string) (int64, error)
	Identities(ctx context.Context, userID int64) ([]model.Identity, error)
	Identity(ctx context.Context, provider, subject string) (model.Identity, error)
	SeenIdentity(ctx context.Context, provider, subject, email string, at time.Time) error
	SetDepartmentUnit(ctx context.Context, code string, unitID int64) error
	SetSetting(ctx context.Context, key, value string) error
	Settings(ctx context.Context) (map[string]string, error)
	TicketSession(ctx context.Context, ticketHash, sessionHash string, expires time.Time) error
	Tx(ctx context.Context, fn func(store.Store) error) error
	Units(ctx context.Context) ([]model.Unit, error)
	User(ctx context.Context, id int64) (model.User, error)
	UserByName(ctx context.Context, username string) (model.User, error)
}

// tx runs fn in one transaction, seeing the store through Store.
func (s *Service) tx(ctx context.Context, fn func(Store) error) error {
	return s.Store.Tx(ctx, func(tx store.Store) error { return fn(tx) })
}

package account

import (
	"context"
	"fmt"
	"time"

	"newsdesk/internal/model"
	"newsdesk/internal/store"
)

// OpenSession signs in a user whom someone else vouched for (campus
// sign-in: a CAS ticket or an OpenID Connect token), auditing the sign-in
// and how it was made in the same transaction; with, when not nil, writes
// what the caller keeps of the session in that transaction too. A
// disabled user is refused.
func (s *Service) OpenSession(ctx context.Context, actor model.Actor, u model.User, how string, with func(tx store.Store, se model.Session) error) (string, model.Session, error) {
	if u.Disabled {
		return "", model.Session{}, fmt.Errorf("user %s is disabled: %w", u.Username, ErrBadLogin)
	}
	token, csrf := randomToken(), randomToken()
	ttl := s.SessionTTL
	if ttl == 0 {
		ttl = 12 * time.Hour
	}
	now := s.now()
	se := model.Session{TokenHash: TokenHash(token), UserID: u.ID, CSRF: csrf, CreatedAt: now, ExpiresAt: now.Add(ttl), IP: actor.IP}
	// The whole store, not Store: what the caller writes with joins the
	// transaction.
	err := s.Store.Tx(ctx, func(tx store.Store) error {
		if err := tx.CreateSession(ctx, se); err != nil {
			return err
		}
		if with != nil {
			if err := with(tx, se); err != nil {
				return err
			}
		}
		actor.User = u
		return tx.AddAudit(ctx, s.audit(actor, "login", "user "+u.Username, how))
	})
	if err != nil {
		return "", model.Session{}, fmt.Errorf("open session for %s: %w", u.Username, err)
	}
	return token, se, nil
}

package account

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"newsdesk/internal/store"
)

// SignIn checks the password and opens a session, recording the sign-in
// (or the failure) in the audit log. actor carries the address and door;
// it has no user yet. It returns the cookie token (never stored as is) and
// the session.
func (s *Service) SignIn(ctx context.Context, actor store.Actor, username, password string) (string, store.Session, error) {
	now := s.now()
	username = strings.ToLower(strings.TrimSpace(username))
	ip := actor.IP
	counts, err := s.Store.CountSignInFailures(ctx, username, ip, now.Add(-failWindow))
	if err != nil {
		return "", store.Session{}, err
	}
	if w := signInWait(counts, now); w > 0 {
		return "", store.Session{}, &LimitedError{Wait: w}
	}
	u, err := s.Store.UserByName(ctx, username)
	if errors.Is(err, store.ErrNotFound) {
		// Spend the same time as a real check, so timing does not tell
		// which usernames exist.
		CheckPassword(dummyHash, password)
	} else if err != nil {
		return "", store.Session{}, err
	}
	ok := false
	if err == nil {
		ok, _ = CheckPassword(u.PasswordHash, password)
		ok = ok && !u.Disabled
	}
	if !ok {
		err := s.Store.Tx(ctx, func(tx store.Store) error {
			if err := tx.AddSignInFailure(ctx, username, ip, now, now.Add(-failWindow)); err != nil {
				return err
			}
			return tx.AddAudit(ctx, s.audit(actor, "login_failed", "user "+username, ""))
		})
		if err != nil {
			return "", store.Session{}, err
		}
		return "", store.Session{}, ErrBadLogin
	}
	if s.PasswordAllowed != nil {
		if err := s.PasswordAllowed(ctx, u); err != nil {
			return "", store.Session{}, err
		}
	}
	actor.User = u
	return s.open(ctx, actor, "login", func(tx store.Store) error {
		// The owner got in from here: their own typos are forgotten.
		_, err := tx.ClearSignInFailures(ctx, username, ip)
		return err
	})
}

var dummyHash, _ = HashPassword("newsdesk timing equaliser")

// open starts a session for actor.User and audits it as action; also, if
// not nil, runs in the same transaction.
func (s *Service) open(ctx context.Context, actor store.Actor, action string, also func(store.Store) error) (string, store.Session, error) {
	token, csrf := randomToken(), randomToken()
	ttl := s.SessionTTL
	if ttl == 0 {
		ttl = 12 * time.Hour
	}
	now := s.now()
	se := store.Session{TokenHash: TokenHash(token), UserID: actor.User.ID, CSRF: csrf, CreatedAt: now, ExpiresAt: now.Add(ttl), IP: actor.IP}
	err := s.Store.Tx(ctx, func(tx store.Store) error {
		if err := tx.CreateSession(ctx, se); err != nil {
			return err
		}
		if also != nil {
			if err := also(tx); err != nil {
				return err
			}
		}
		return tx.AddAudit(ctx, s.audit(actor, action, "user "+actor.User.Username, ""))
	})
	if err != nil {
		return "", se, err
	}
	return token, se, nil
}

// Lookup returns the session and user of a cookie token.
func (s *Service) Lookup(ctx context.Context, token string) (store.Session, store.User, error) {
	if token == "" {
		return store.Session{}, store.User{}, store.ErrNotFound
	}
	se, err := s.Store.Session(ctx, TokenHash(token), s.now())
	if err != nil {
		return se, store.User{}, err
	}
	u, err := s.Store.User(ctx, se.UserID)
	if err == nil && u.Disabled {
		err = fmt.Errorf("user %s is disabled: %w", u.Username, store.ErrNotFound)
	}
	return se, u, err
}

// SignOut ends the session of a cookie token, signed in as actor.
func (s *Service) SignOut(ctx context.Context, actor store.Actor, token string) error {
	return s.Store.Tx(ctx, func(tx store.Store) error {
		if err := tx.DeleteSession(ctx, TokenHash(token)); err != nil {
			return err
		}
		return tx.AddAudit(ctx, s.audit(actor, "logout", "user "+actor.User.Username, ""))
	})
}

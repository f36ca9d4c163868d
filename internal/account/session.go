package account

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"newsdesk/internal/model"
)

// SignIn checks the password and opens a session, recording the sign-in
// (or the failure) in the audit log. actor carries the address and door;
// it has no user yet. It returns the cookie token (never stored as is) and
// the session.
func (s *Service) SignIn(ctx context.Context, actor model.Actor, username, password string) (string, model.Session, error) {
	return s.SignInWithCode(ctx, actor, username, password, "")
}

// SignInWithCode is SignIn with the code of a second factor, for users who
// have one (ErrCodeRequired without it); a wrong code counts as a failed
// sign-in.
func (s *Service) SignInWithCode(ctx context.Context, actor model.Actor, username, password, code string) (string, model.Session, error) {
	return s.SignInAt(ctx, actor, RelyingParty{}, username, password, code)
}

// SignInAt is SignInWithCode at the site rp: a user with passkeys who gives
// no code gets a *SecondFactorError with a passkey challenge, answered
// through SignInPasskey.
func (s *Service) SignInAt(ctx context.Context, actor model.Actor, rp RelyingParty, username, password, code string) (string, model.Session, error) {
	now := s.now()
	username = strings.ToLower(strings.TrimSpace(username))
	ip := actor.IP
	counts, err := s.Store.CountSignInFailures(ctx, username, ip, now.Add(-failWindow))
	if err != nil {
		return "", model.Session{}, err
	}
	if w := signInWait(counts, now); w > 0 {
		return "", model.Session{}, &LimitedError{Wait: w}
	}
	u, err := s.Store.UserByName(ctx, username)
	if errors.Is(err, model.ErrNotFound) {
		// Spend the same time as a real check, so timing does not tell
		// which usernames exist.
		CheckPassword(dummyHash, password)
	} else if err != nil {
		return "", model.Session{}, err
	}
	ok, enrolled := false, false
	if err == nil {
		ok, _ = CheckPassword(u.PasswordHash, password)
		ok = ok && !u.Disabled
	}
	if ok && s.PasswordAllowed != nil {
		// Before the second factor: a refused password spends no code.
		if err := s.PasswordAllowed(ctx, u); err != nil {
			return "", model.Session{}, err
		}
	}
	if ok {
		enrolled, err = s.secondFactor(ctx, actor, rp, u, code)
		switch {
		case errors.Is(err, ErrCodeRequired):
			return "", model.Session{}, err
		case errors.Is(err, ErrBadLogin):
			ok = false
		case err != nil:
			return "", model.Session{}, err
		}
	}
	if !ok {
		err := s.tx(ctx, func(tx Store) error {
			if err := tx.AddSignInFailure(ctx, username, ip, now, now.Add(-failWindow)); err != nil {
				return err
			}
			return tx.AddAudit(ctx, s.audit(actor, "login_failed", "user "+username, ""))
		})
		if err != nil {
			return "", model.Session{}, err
		}
		return "", model.Session{}, ErrBadLogin
	}
	policy, err := s.Policy(ctx)
	if err != nil {
		return "", model.Session{}, err
	}
	actor.User = u
	mustEnrol := policy.Require2FA && !enrolled && u.CanPublish()
	return s.open(ctx, actor, "login", policy.expired(u, now), mustEnrol, func(tx Store) error {
		// The owner got in from here: their own typos are forgotten.
		_, err := tx.ClearSignInFailures(ctx, username, ip)
		return err
	})
}

// dummyHash is checked against when no such user exists. It names the
// current parameters, so the check costs what a real one does, but it is
// no hash of anything: computing one at start-up cost every command 52 ms
// and 20 MB (GODEBUG=inittrace=1).
var dummyHash = encodeHash(make([]byte, saltLen), make([]byte, argonKeyLen))

// open starts a session for actor.User and audits it as action; the
// session must first change the password if mustChange, and set up
// two-factor sign-in if mustEnrol; also, if not nil, runs in the same
// transaction.
func (s *Service) open(ctx context.Context, actor model.Actor, action string, mustChange, mustEnrol bool, also func(Store) error) (string, model.Session, error) {
	token, csrf := randomToken(), randomToken()
	ttl := cmp.Or(s.SessionTTL, DefaultSessionTTL)
	now := s.now()
	se := model.Session{TokenHash: TokenHash(token), UserID: actor.User.ID, CSRF: csrf, CreatedAt: now, ExpiresAt: now.Add(ttl), IP: actor.IP, MustChangePassword: mustChange, MustEnrol2FA: mustEnrol}
	err := s.tx(ctx, func(tx Store) error {
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

// Session time-outs, as 等保 asks: a session ends after an idle time and
// at an absolute end, however used. The last use is written at most every
// touchEvery, not on every request (so the idle time-out is that much
// late at most).
const (
	DefaultSessionTTL  = 12 * time.Hour
	DefaultSessionIdle = 30 * time.Minute
	touchEvery         = time.Minute
)

// Lookup returns the session and user of a cookie token, and records the
// use.
func (s *Service) Lookup(ctx context.Context, token string) (model.Session, model.User, error) {
	if token == "" {
		return model.Session{}, model.User{}, model.ErrNotFound
	}
	now := s.now()
	se, err := s.Store.Session(ctx, TokenHash(token), now)
	if err != nil {
		return se, model.User{}, err
	}
	if idle := cmp.Or(s.SessionIdle, DefaultSessionIdle); now.Sub(se.LastSeen) >= idle {
		if err := s.Store.DeleteSession(ctx, se.TokenHash); err != nil {
			return se, model.User{}, err
		}
		return se, model.User{}, fmt.Errorf("session idle since %v: %w", se.LastSeen, model.ErrNotFound)
	}
	if now.Sub(se.LastSeen) >= touchEvery {
		if err := s.Store.TouchSession(ctx, se.TokenHash, now); err != nil {
			return se, model.User{}, err
		}
		se.LastSeen = now
	}
	u, err := s.Store.User(ctx, se.UserID)
	if err == nil && u.Disabled {
		err = fmt.Errorf("user %s is disabled: %w", u.Username, model.ErrNotFound)
	}
	return se, u, err
}

// Timeouts returns the idle time-out and the absolute lifetime of sessions.
func (s *Service) Timeouts() (idle, lifetime time.Duration) {
	return cmp.Or(s.SessionIdle, DefaultSessionIdle), cmp.Or(s.SessionTTL, DefaultSessionTTL)
}

// SessionInfo is one of a user's sessions, as the user sees it.
type SessionInfo struct {
	// Handle names the session on the page; it is a prefix of the stored
	// hash, so it gives no way to the cookie.
	Handle            string
	Created, LastSeen time.Time
	Ends              time.Time // the absolute end
	IP                string
	Current           bool // the session asking
}

func handle(tokenHash string) string { return tokenHash[:16] }

// Sessions lists the actor's active sessions, the newest first;
// currentToken is the cookie of the session that asks.
func (s *Service) Sessions(ctx context.Context, actor model.Actor, currentToken string) ([]SessionInfo, error) {
	now := s.now()
	ses, err := s.Store.UserSessions(ctx, actor.User.ID, now)
	if err != nil {
		return nil, err
	}
	idle := cmp.Or(s.SessionIdle, DefaultSessionIdle)
	current := TokenHash(currentToken)
	var out []SessionInfo
	for _, se := range ses {
		if now.Sub(se.LastSeen) >= idle {
			continue
		}
		out = append(out, SessionInfo{Handle: handle(se.TokenHash), Created: se.CreatedAt, LastSeen: se.LastSeen, Ends: se.ExpiresAt, IP: se.IP, Current: se.TokenHash == current})
	}
	return out, nil
}

// EndSession ends one of the actor's own sessions, named by its handle.
func (s *Service) EndSession(ctx context.Context, actor model.Actor, h string) error {
	return s.tx(ctx, func(tx Store) error {
		ses, err := tx.UserSessions(ctx, actor.User.ID, s.now())
		if err != nil {
			return err
		}
		i := slices.IndexFunc(ses, func(se model.Session) bool { return handle(se.TokenHash) == h })
		if i < 0 {
			return fmt.Errorf("session %q of user %d: %w", h, actor.User.ID, model.ErrNotFound)
		}
		if err := tx.DeleteSession(ctx, ses[i].TokenHash); err != nil {
			return err
		}
		return tx.AddAudit(ctx, s.audit(actor, "session_end", "user "+actor.User.Username, "session "+h+" from "+ses[i].IP))
	})
}

// SignOut ends the session of a cookie token, signed in as actor.
func (s *Service) SignOut(ctx context.Context, actor model.Actor, token string) error {
	return s.tx(ctx, func(tx Store) error {
		if err := tx.DeleteSession(ctx, TokenHash(token)); err != nil {
			return err
		}
		return tx.AddAudit(ctx, s.audit(actor, "logout", "user "+actor.User.Username, ""))
	})
}

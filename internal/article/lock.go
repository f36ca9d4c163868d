package article

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"newsdesk/internal/model"
)

// The edit lock: while someone has a story open for editing in the desk,
// their page renews a lock every LockHeartbeat; others opening the story
// see who and since when, and may take the lock over, after which the
// first page, at its next heartbeat, learns it lost the lock and stops
// saving on its own. The lock only informs and coordinates: a save's
// version check still refuses to overwrite what someone saved meanwhile.

// LockHeartbeat is how often a desk page renews its lock, and LockLapse
// how long a lock lasts without one: four missed heartbeats (a laptop's
// lid closed, a lost connection) and the story is free again.
const (
	LockHeartbeat = 30 * time.Second
	LockLapse     = 2 * time.Minute
)

// Lock is the state of a story's edit lock as one user sees it.
type Lock struct {
	model.EditLock
	Holder string // the holder's name; "" when nobody holds it
	// Mine: the asking user holds it.
	Mine bool
}

// Free reports whether nobody holds the lock.
func (l Lock) Free() bool { return l.UserID == 0 }

func validToken(token string) error {
	if token == "" || len(token) > 64 {
		return model.Invalid("lock_token")
	}
	return nil
}

func (s *Service) lockable(ctx context.Context, u model.User, id int64) error {
	a, err := s.Store.Article(ctx, id)
	if err != nil {
		return err
	}
	if !CanView(u, a) || !CanEdit(u, a) {
		return fmt.Errorf("%w: lock article %d", ErrForbidden, id)
	}
	return nil
}

// LockOf is the live lock of story id as user u sees it (free when
// nobody's heartbeat is recent). It changes nothing.
func (s *Service) LockOf(ctx context.Context, u model.User, id int64) (Lock, error) {
	l, err := s.Store.EditLock(ctx, id)
	if errors.Is(err, model.ErrNotFound) || (err == nil && l.SeenAt.Before(s.now().Add(-LockLapse))) {
		return Lock{}, nil
	} else if err != nil {
		return Lock{}, err
	}
	return s.describe(ctx, u, l)
}

func (s *Service) describe(ctx context.Context, u model.User, l model.EditLock) (Lock, error) {
	out := Lock{EditLock: l, Mine: l.UserID == u.ID}
	holder, err := s.Store.User(ctx, l.UserID)
	if err != nil {
		return out, fmt.Errorf("lock holder: %w", err)
	}
	out.Holder = holder.Name
	return out, nil
}

// Heartbeat takes the lock of story id for the actor's page (token), or
// renews it; when someone else holds a live lock it changes nothing and
// answers their lock. Only those who may edit the story lock it.
func (s *Service) Heartbeat(ctx context.Context, actor model.Actor, id int64, token string) (Lock, error) {
	return s.acquire(ctx, actor, id, token, false)
}

// TakeOver takes the lock of story id from whoever holds it, for the
// actor's page; taking it from someone is audited. The one who lost it
// learns at their next heartbeat.
func (s *Service) TakeOver(ctx context.Context, actor model.Actor, id int64, token string) (Lock, error) {
	return s.acquire(ctx, actor, id, token, true)
}

func (s *Service) acquire(ctx context.Context, actor model.Actor, id int64, token string, force bool) (Lock, error) {
	if err := validToken(token); err != nil {
		return Lock{}, err
	}
	u := actor.User
	if err := s.lockable(ctx, u, id); err != nil {
		return Lock{}, err
	}
	now := s.now()
	var got model.EditLock
	err := s.tx(ctx, func(tx Store) error {
		before, err := tx.EditLock(ctx, id)
		if err != nil && !errors.Is(err, model.ErrNotFound) {
			return err
		}
		got, err = tx.AcquireLock(ctx, model.EditLock{ArticleID: id, UserID: u.ID, Token: token, Since: now, SeenAt: now}, now.Add(-LockLapse), force)
		if err != nil {
			return err
		}
		if force && before.UserID != 0 && before.UserID != u.ID && !before.SeenAt.Before(now.Add(-LockLapse)) {
			e := actor.Audit("lock_take", target(id), "from user "+strconv.FormatInt(before.UserID, 10))
			e.At = now
			return tx.AddAudit(ctx, e)
		}
		return nil
	})
	if err != nil {
		return Lock{}, err
	}
	return s.describe(ctx, u, got)
}

// Unlock releases the lock the actor's page (token) holds on story id,
// when the page closes; a lock held by another page stays.
func (s *Service) Unlock(ctx context.Context, actor model.Actor, id int64, token string) error {
	if err := validToken(token); err != nil {
		return err
	}
	return s.Store.ReleaseLock(ctx, id, actor.User.ID, token)
}

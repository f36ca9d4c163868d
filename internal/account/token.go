package account

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"newsdesk/internal/model"
)

// Personal API tokens. A token acts as its user with exactly the user's
// rights, checked anew on every request: a disabled user's tokens stop
// working at once, and a changed role applies to them too.

// TokenPrefix starts every API token, so that a person or a secret
// scanner recognises one in a script or a log.
const TokenPrefix = "ndt_"

// tokenTouchEvery bounds the writes that record a token's last use: a
// script polling every second costs one write a minute, not sixty.
const tokenTouchEvery = time.Minute

// maxTokenName is the longest token label, in characters.
const maxTokenName = 100

// CreateToken makes an API token for user userID, labelled name, and
// returns its secret: shown once, only its hash is kept. Users make their
// own tokens; the system (the command line) makes them for anyone.
func (s *Service) CreateToken(ctx context.Context, actor model.Actor, userID int64, name string) (string, model.Token, error) {
	name = strings.TrimSpace(name)
	switch {
	case name == "":
		name = "API"
	case utf8.RuneCountInString(name) > maxTokenName:
		return "", model.Token{}, model.Invalid("token_name", maxTokenName)
	}
	if !actor.IsSystem() && actor.User.ID != userID {
		return "", model.Token{}, fmt.Errorf("%w: token for user %d", model.ErrForbidden, userID)
	}
	secret := TokenPrefix + randomToken()
	t := model.Token{UserID: userID, Name: name, TokenHash: TokenHash(secret), CreatedAt: s.now()}
	err := s.tx(ctx, func(tx Store) error {
		u, err := tx.User(ctx, userID)
		if err != nil {
			return err
		}
		if u.Disabled {
			return model.Invalid("user_disabled", u.Username)
		}
		if err := tx.CreateToken(ctx, &t); err != nil {
			return err
		}
		return tx.AddAudit(ctx, actor.Audit("token_add", "user "+u.Username, fmt.Sprintf("token %d: %s", t.ID, t.Name)))
	})
	if err != nil {
		return "", model.Token{}, err
	}
	return secret, t, nil
}

// Tokens lists a user's tokens, newest first.
func (s *Service) Tokens(ctx context.Context, userID int64) ([]model.Token, error) {
	return s.Store.Tokens(ctx, userID)
}

// RevokeToken deletes token id of user userID: the user's own, or anyone's
// for an administrator or the system.
func (s *Service) RevokeToken(ctx context.Context, actor model.Actor, userID, id int64) error {
	if !actor.IsSystem() && actor.User.ID != userID && !actor.User.Has(model.RoleAdmin) {
		return fmt.Errorf("%w: revoke token %d of user %d", model.ErrForbidden, id, userID)
	}
	return s.tx(ctx, func(tx Store) error {
		if err := tx.DeleteToken(ctx, userID, id); err != nil {
			return err
		}
		return tx.AddAudit(ctx, actor.Audit("token_revoke", fmt.Sprintf("user %d", userID), fmt.Sprintf("token %d", id)))
	})
}

// TokenUser returns the token of a secret and its user, and records the
// use (at most once a minute). An unknown or revoked token, or one whose
// user is disabled, is model.ErrNotFound.
func (s *Service) TokenUser(ctx context.Context, secret string) (model.Token, model.User, error) {
	if !strings.HasPrefix(secret, TokenPrefix) {
		return model.Token{}, model.User{}, fmt.Errorf("token: %w", model.ErrNotFound)
	}
	t, err := s.Store.TokenByHash(ctx, TokenHash(secret))
	if err != nil {
		return t, model.User{}, err
	}
	u, err := s.Store.User(ctx, t.UserID)
	if err != nil {
		return t, u, err
	}
	if u.Disabled {
		return t, model.User{}, fmt.Errorf("token %d: user %s is disabled: %w", t.ID, u.Username, model.ErrNotFound)
	}
	if now := s.now(); now.Sub(t.LastUsedAt) >= tokenTouchEvery {
		if err := s.Store.TouchToken(ctx, t.ID, now); err != nil && !errors.Is(err, context.Canceled) {
			return t, u, err
		}
		t.LastUsedAt = now
	}
	return t, u, nil
}

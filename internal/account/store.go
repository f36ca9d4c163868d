package account

import (
	"context"
	"time"

	"newsdesk/internal/model"
	"newsdesk/internal/store"
)

// Store is what the account service reads and writes; store.Store is one.
type Store interface {
	AddAudit(ctx context.Context, e model.AuditEntry) error
	AddSignInFailure(ctx context.Context, username, ip string, at, forgetBefore time.Time) error
	ClearSignInFailures(ctx context.Context, username, ip string) (int, error)
	CountSignInFailures(ctx context.Context, username, ip string, since time.Time) (model.SignInCounts, error)
	CreatePasskey(ctx context.Context, p *model.Passkey) error
	CreatePasskeyChallenge(ctx context.Context, c model.PasskeyChallenge) error
	CreateSession(ctx context.Context, s model.Session) error
	CreateToken(ctx context.Context, t *model.Token) error
	CreateUnit(ctx context.Context, u *model.Unit) error
	CreateUser(ctx context.Context, u *model.User) error
	DeletePasskey(ctx context.Context, userID, id int64) error
	DeleteSession(ctx context.Context, tokenHash string) error
	DeleteSessions(ctx context.Context, userID int64, keep string) error
	DeleteTOTP(ctx context.Context, userID int64) error
	DeleteToken(ctx context.Context, userID, id int64) error
	Enrolled2FA(ctx context.Context, tokenHash string) error
	Passkeys(ctx context.Context, userID int64) ([]model.Passkey, error)
	PasswordChanged(ctx context.Context, tokenHash string) error
	PasswordHistory(ctx context.Context, userID int64, n int) ([]string, error)
	Session(ctx context.Context, tokenHash string, now time.Time) (model.Session, error)
	SetPassword(ctx context.Context, userID int64, hash string, at time.Time, keep int) error
	SetRecoveryCodes(ctx context.Context, userID int64, hashes []string) error
	SetSetting(ctx context.Context, key, value string) error
	SetTOTP(ctx context.Context, userID int64, secret string, enabledAt time.Time) error
	Settings(ctx context.Context) (map[string]string, error)
	SignInFailureList(ctx context.Context, since time.Time) ([]model.SignInFailures, error)
	TOTP(ctx context.Context, userID int64) (secret string, enabledAt time.Time, err error)
	TakePasskeyChallenge(ctx context.Context, tokenHash, kind string, now time.Time) (model.PasskeyChallenge, error)
	TokenByHash(ctx context.Context, tokenHash string) (model.Token, error)
	Tokens(ctx context.Context, userID int64) ([]model.Token, error)
	TouchSession(ctx context.Context, tokenHash string, at time.Time) error
	TouchToken(ctx context.Context, id int64, at time.Time) error
	Tx(ctx context.Context, fn func(store.Store) error) error
	Units(ctx context.Context) ([]model.Unit, error)
	UpdateUnit(ctx context.Context, u *model.Unit) error
	UpdateUser(ctx context.Context, u *model.User) error
	UsePasskey(ctx context.Context, id int64, signCount uint32, at time.Time) (bool, error)
	UseRecoveryCode(ctx context.Context, userID int64, hash string, at time.Time) (bool, error)
	UseTOTPStep(ctx context.Context, userID, step int64) (bool, error)
	User(ctx context.Context, id int64) (model.User, error)
	UserByName(ctx context.Context, username string) (model.User, error)
	UserSessions(ctx context.Context, userID int64, now time.Time) ([]model.Session, error)
	Users(ctx context.Context) ([]model.User, error)
}

// tx runs fn in one transaction, seeing the store through Store.
func (s *Service) tx(ctx context.Context, fn func(Store) error) error {
	return s.Store.Tx(ctx, func(tx store.Store) error { return fn(tx) })
}

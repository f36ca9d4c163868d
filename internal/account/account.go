// Package account holds desk users and their sign-in: argon2id password
// hashes, server-side sessions kept in the store (only a hash of the cookie
// is stored), a CSRF token per session, and sign-in rate limits per account
// and per address.
package account

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"newsdesk/internal/store"
)

// Errors the desk turns into messages.
var (
	ErrBadLogin = errors.New("wrong username or password")
	ErrInvalid  = store.ErrInvalid
)

// LimitedError says sign-in is paused for a while after too many failures.
type LimitedError struct{ Wait time.Duration }

func (e *LimitedError) Error() string {
	return fmt.Sprintf("too many failed sign-ins; try again in %v", e.Wait.Round(time.Second))
}

// Roles lists every role in the order the desk shows them.
var Roles = []string{store.RoleContributor, store.RoleReviewer, store.RoleEditor, store.RoleAdmin}

// Sign-in limits: 5 failures per account or 20 per address in 15 minutes.
const (
	failWindow  = 15 * time.Minute
	failPerUser = 5
	failPerIP   = 20
	// MinPassword is the shortest accepted password, in characters.
	MinPassword = 8
)

// Service signs users in and out and manages accounts.
type Service struct {
	Store store.Store
	// Now returns the current time; tests replace it.
	Now func() time.Time
	// SessionTTL is how long a session lasts (default 12 hours, a working day).
	SessionTTL time.Duration

	// PasswordAllowed, when set, may refuse a right password: campus
	// sign-in can be required of accounts linked to a campus identity.
	PasswordAllowed func(ctx context.Context, u store.User) error

	byUser, byIP *limiter
}

// New returns a Service on st.
func New(st store.Store) *Service {
	return &Service{Store: st, byUser: newLimiter(failPerUser, failWindow), byIP: newLimiter(failPerIP, failWindow)}
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

var usernameRE = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{1,31}$`)

// AddUser validates u, hashes password and stores the user.
func (s *Service) AddUser(ctx context.Context, u *store.User, password string) error {
	u.Username = strings.ToLower(strings.TrimSpace(u.Username))
	u.Name = strings.TrimSpace(u.Name)
	switch {
	case !usernameRE.MatchString(u.Username):
		return store.Invalid("username")
	case u.Name == "":
		u.Name = u.Username
	}
	if err := checkRoles(*u); err != nil {
		return err
	}
	if err := checkPassword(password); err != nil {
		return err
	}
	if _, err := s.Store.UserByName(ctx, u.Username); err == nil {
		return store.Invalid("username_taken", u.Username)
	} else if !errors.Is(err, store.ErrNotFound) {
		return err
	}
	hash, err := HashPassword(password)
	if err != nil {
		return err
	}
	u.PasswordHash = hash
	return s.Store.CreateUser(ctx, u)
}

func checkPassword(pw string) error {
	if utf8.RuneCountInString(pw) < MinPassword {
		return store.Invalid("password", MinPassword)
	}
	return nil
}

// UnitID returns the id of the unit with the given name, creating it.
func (s *Service) UnitID(ctx context.Context, name string) (int64, error) {
	name = strings.TrimSpace(name)
	units, err := s.Store.Units(ctx)
	if err != nil {
		return 0, err
	}
	for _, u := range units {
		if u.Name == name {
			return u.ID, nil
		}
	}
	u := store.Unit{Name: name}
	if err := s.Store.CreateUnit(ctx, &u); err != nil {
		return 0, err
	}
	return u.ID, nil
}

// SignIn checks the password and opens a session. It returns the cookie
// token (never stored as is) and the session.
func (s *Service) SignIn(ctx context.Context, username, password, ip string) (string, store.Session, error) {
	now := s.now()
	username = strings.ToLower(strings.TrimSpace(username))
	if w := max(s.byUser.wait(username, now), s.byIP.wait(ip, now)); w > 0 {
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
		s.byUser.fail(username, now)
		s.byIP.fail(ip, now)
		return "", store.Session{}, ErrBadLogin
	}
	if s.PasswordAllowed != nil {
		if err := s.PasswordAllowed(ctx, u); err != nil {
			return "", store.Session{}, err
		}
	}
	s.byUser.reset(username)
	return s.open(ctx, u.ID, ip)
}

// OpenSession signs in a user whom someone else vouched for (campus
// sign-in: a CAS ticket or an OpenID Connect token), auditing the sign-in
// and how it was made in the same transaction; with, when not nil, writes
// what the caller keeps of the session in that transaction too. A
// disabled user is refused.
func (s *Service) OpenSession(ctx context.Context, actor store.Actor, u store.User, how string, with func(tx store.Store, se store.Session) error) (string, store.Session, error) {
	if u.Disabled {
		return "", store.Session{}, fmt.Errorf("user %s is disabled: %w", u.Username, ErrBadLogin)
	}
	var token string
	var se store.Session
	err := s.Store.Tx(ctx, func(tx store.Store) error {
		in := *s // the same service, writing through the transaction
		in.Store = tx
		var err error
		if token, se, err = in.open(ctx, u.ID, actor.IP); err != nil {
			return err
		}
		if with != nil {
			if err := with(tx, se); err != nil {
				return err
			}
		}
		actor.User = u
		return tx.AddAudit(ctx, actor.Audit("login", "user "+u.Username, how))
	})
	if err != nil {
		return "", store.Session{}, fmt.Errorf("open session for %s: %w", u.Username, err)
	}
	return token, se, nil
}

var dummyHash, _ = HashPassword("newsdesk timing equaliser")

func (s *Service) open(ctx context.Context, userID int64, ip string) (string, store.Session, error) {
	token, csrf := randomToken(), randomToken()
	ttl := s.SessionTTL
	if ttl == 0 {
		ttl = 12 * time.Hour
	}
	now := s.now()
	se := store.Session{TokenHash: TokenHash(token), UserID: userID, CSRF: csrf, CreatedAt: now, ExpiresAt: now.Add(ttl), IP: ip}
	if err := s.Store.CreateSession(ctx, se); err != nil {
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

// Update changes a user's name, roles, unit and disabled flag, by the
// same rules as AddUser; a new password (if not empty) or disabling ends
// every session of the user.
func (s *Service) Update(ctx context.Context, u store.User, password string) error {
	u.Name = strings.TrimSpace(u.Name)
	if u.Name == "" {
		u.Name = u.Username
	}
	if err := checkRoles(u); err != nil {
		return err
	}
	if password != "" {
		if err := checkPassword(password); err != nil {
			return err
		}
		hash, err := HashPassword(password)
		if err != nil {
			return err
		}
		if err := s.Store.SetPassword(ctx, u.ID, hash); err != nil {
			return err
		}
	}
	if err := s.Store.UpdateUser(ctx, &u); err != nil {
		return err
	}
	if password != "" || u.Disabled {
		return s.Store.DeleteSessions(ctx, u.ID, "")
	}
	return nil
}

func checkRoles(u store.User) error {
	if len(u.Roles) == 0 {
		return store.Invalid("roles")
	}
	for _, r := range u.Roles {
		if !slices.Contains(Roles, r) {
			return store.Invalid("role", r)
		}
	}
	if (u.Has(store.RoleContributor) || u.Has(store.RoleReviewer)) && u.UnitID == 0 && !u.Has(store.RoleEditor) && !u.Has(store.RoleAdmin) {
		return store.Invalid("unit_required")
	}
	return nil
}

// SignOut ends the session of a cookie token.
func (s *Service) SignOut(ctx context.Context, token string) error {
	return s.Store.DeleteSession(ctx, TokenHash(token))
}

// ChangePassword sets a new password after checking the old one, and ends
// every other session of the user.
func (s *Service) ChangePassword(ctx context.Context, u store.User, old, new, keepToken string) error {
	if ok, _ := CheckPassword(u.PasswordHash, old); !ok {
		return ErrBadLogin
	}
	if err := checkPassword(new); err != nil {
		return err
	}
	hash, err := HashPassword(new)
	if err != nil {
		return err
	}
	if err := s.Store.SetPassword(ctx, u.ID, hash); err != nil {
		return err
	}
	return s.Store.DeleteSessions(ctx, u.ID, TokenHash(keepToken))
}

// TokenHash is what the store keeps of a session token.
func TokenHash(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

func randomToken() string {
	b := make([]byte, 32)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

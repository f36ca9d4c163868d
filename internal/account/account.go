// Package account holds desk users and their sign-in: argon2id password
// hashes, server-side sessions kept in the store (only a hash of the cookie
// is stored), a CSRF token per session, and sign-in rate limits per account
// and per address. Every change to an account or a unit is checked here and
// audited in the same transaction, whichever door it came through.
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

	"newsdesk/internal/model"
)

// Errors the desk turns into messages.
var (
	ErrBadLogin = errors.New("wrong username or password")
	ErrInvalid  = model.ErrInvalid
	// ErrForbidden is returned when the actor may not manage accounts.
	ErrForbidden = model.ErrForbidden
)

// LimitedError says sign-in is paused for a while after too many failures.
type LimitedError struct{ Wait time.Duration }

func (e *LimitedError) Error() string {
	return fmt.Sprintf("too many failed sign-ins; try again in %v", e.Wait.Round(time.Second))
}

// Roles lists every role in the order the desk shows them.
var Roles = []string{model.RoleContributor, model.RoleReviewer, model.RoleEditor, model.RoleChief, model.RoleAdmin}

// Service signs users in and out and manages accounts.
type Service struct {
	Store Store
	// Now returns the current time; tests replace it.
	Now func() time.Time
	// SessionTTL is how long a session lasts at most, however used
	// (default 12 hours, a working day).
	SessionTTL time.Duration
	// SessionIdle ends a session unused for this long (default 30 minutes).
	SessionIdle time.Duration

	// PasswordAllowed, when set, may refuse a right password: campus
	// sign-in can be required of accounts linked to a campus identity.
	PasswordAllowed func(ctx context.Context, u model.User) error
}

// New returns a Service on st.
func New(st Store) *Service {
	return &Service{Store: st}
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// audit is the entry for a change actor made now.
func (s *Service) audit(actor model.Actor, action, target, detail string) model.AuditEntry {
	e := actor.Audit(action, target, detail)
	e.At = s.now()
	return e
}

// mayManage checks that actor may manage users and units: an administrator,
// or the operator at the command line (a system actor that came through
// no web door).
func mayManage(actor model.Actor) error {
	if actor.User.Has(model.RoleAdmin) && !actor.User.Disabled {
		return nil
	}
	if actor.IsSystem() && actor.Via != "desk" && actor.Via != "api" {
		return nil
	}
	return fmt.Errorf("%w: %q may not manage accounts", ErrForbidden, actor.User.Username)
}

var usernameRE = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{1,31}$`)

// AddUser validates u, hashes password and stores the user.
func (s *Service) AddUser(ctx context.Context, actor model.Actor, u *model.User, password string) error {
	if err := mayManage(actor); err != nil {
		return err
	}
	u.Username = strings.ToLower(strings.TrimSpace(u.Username))
	u.Name = strings.TrimSpace(u.Name)
	switch {
	case !usernameRE.MatchString(u.Username):
		return model.Invalid("username")
	case u.Name == "":
		u.Name = u.Username
	}
	if err := checkRoles(*u); err != nil {
		return err
	}
	policy, err := s.Policy(ctx)
	if err != nil {
		return err
	}
	if err := policy.check(ctx, s.Store, *u, password); err != nil {
		return err
	}
	hash, err := HashPassword(password)
	if err != nil {
		return err
	}
	u.PasswordHash = hash
	u.PasswordChangedAt = s.now()
	return s.tx(ctx, func(tx Store) error {
		if _, err := tx.UserByName(ctx, u.Username); err == nil {
			return model.Invalid("username_taken", u.Username)
		} else if !errors.Is(err, model.ErrNotFound) {
			return err
		}
		if err := tx.CreateUser(ctx, u); err != nil {
			return err
		}
		return tx.AddAudit(ctx, s.audit(actor, "user_add", "user "+u.Username, strings.Join(u.Roles, ",")))
	})
}

// ImportUser adds a user brought from another Newsdesk site (a site
// archive) with the password hash it had there. Without one (an archive
// made without its secrets) the user gets the hash of a random password
// nobody knows: they cannot sign in with a password until an
// administrator sets one (campus sign-in still works).
func (s *Service) ImportUser(ctx context.Context, actor model.Actor, u *model.User, source string) error {
	if err := mayManage(actor); err != nil {
		return err
	}
	u.Username = strings.ToLower(strings.TrimSpace(u.Username))
	u.Name = strings.TrimSpace(u.Name)
	if !usernameRE.MatchString(u.Username) {
		return model.Invalid("username")
	}
	if u.Name == "" {
		u.Name = u.Username
	}
	if err := checkRoles(*u); err != nil {
		return err
	}
	if u.PasswordHash == "" {
		hash, err := HashPassword(rand.Text())
		if err != nil {
			return err
		}
		u.PasswordHash = hash
	}
	return s.tx(ctx, func(tx Store) error {
		if _, err := tx.UserByName(ctx, u.Username); err == nil {
			return model.Invalid("username_taken", u.Username)
		} else if !errors.Is(err, model.ErrNotFound) {
			return err
		}
		if err := tx.CreateUser(ctx, u); err != nil {
			return err
		}
		return tx.AddAudit(ctx, s.audit(actor, "user_import", "user "+u.Username, source))
	})
}

// UnitID returns the id of the unit with the given name, creating it (the
// command line's and the demo's way to name a unit).
func (s *Service) UnitID(ctx context.Context, actor model.Actor, name string) (int64, error) {
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
	u := model.Unit{Name: name}
	if err := s.SaveUnit(ctx, actor, &u); err != nil {
		return 0, err
	}
	return u.ID, nil
}

// SaveUnit adds a unit (u.ID 0) or renames one. Names are unique and at
// most 100 characters.
func (s *Service) SaveUnit(ctx context.Context, actor model.Actor, u *model.Unit) error {
	if err := mayManage(actor); err != nil {
		return err
	}
	u.Name = strings.TrimSpace(u.Name)
	if u.Name == "" || utf8.RuneCountInString(u.Name) > 100 {
		return model.Invalid("unit_name")
	}
	return s.tx(ctx, func(tx Store) error {
		units, err := tx.Units(ctx)
		if err != nil {
			return err
		}
		if slices.ContainsFunc(units, func(x model.Unit) bool { return x.Name == u.Name && x.ID != u.ID }) {
			return model.Invalid("unit_taken", u.Name)
		}
		if u.ID == 0 {
			err = tx.CreateUnit(ctx, u)
		} else {
			err = tx.UpdateUnit(ctx, u)
		}
		if err != nil {
			return err
		}
		return tx.AddAudit(ctx, s.audit(actor, "unit", fmt.Sprintf("unit %d", u.ID), u.Name))
	})
}

// Update changes a user's name, roles, unit and disabled flag, by the
// same rules as AddUser; a new password (if not empty) or disabling ends
// every session of the user. An administrator cannot disable themselves or
// drop their own administrator role, and the last active administrator
// stays one, so a site always keeps someone who can manage it.
func (s *Service) Update(ctx context.Context, actor model.Actor, u model.User, password string) error {
	if err := mayManage(actor); err != nil {
		return err
	}
	u.Name = strings.TrimSpace(u.Name)
	if err := checkRoles(u); err != nil {
		return err
	}
	if u.ID == actor.User.ID && (u.Disabled || !u.Has(model.RoleAdmin)) {
		return model.Invalid("self_lockout")
	}
	policy, err := s.Policy(ctx)
	if err != nil {
		return err
	}
	var hash string
	if password != "" {
		old, err := s.Store.User(ctx, u.ID)
		if err != nil {
			return err
		}
		if err := policy.check(ctx, s.Store, old, password); err != nil {
			return err
		}
		if hash, err = HashPassword(password); err != nil {
			return err
		}
	}
	return s.tx(ctx, func(tx Store) error {
		old, err := tx.User(ctx, u.ID)
		if err != nil {
			return err
		}
		u.Username = old.Username
		if u.Name == "" {
			u.Name = u.Username
		}
		if activeAdmin(old) && !activeAdmin(u) {
			if err := keepsAnAdmin(ctx, tx, u.ID); err != nil {
				return err
			}
		}
		if hash != "" {
			if err := tx.SetPassword(ctx, u.ID, hash, s.now(), policy.keep()); err != nil {
				return err
			}
		}
		if err := tx.UpdateUser(ctx, &u); err != nil {
			return err
		}
		if hash != "" || u.Disabled {
			if err := tx.DeleteSessions(ctx, u.ID, ""); err != nil {
				return err
			}
		}
		detail := fmt.Sprintf("%s disabled=%v password_reset=%v", strings.Join(u.Roles, ","), u.Disabled, hash != "")
		return tx.AddAudit(ctx, s.audit(actor, "user_update", "user "+u.Username, detail))
	})
}

func activeAdmin(u model.User) bool { return u.Has(model.RoleAdmin) && !u.Disabled }

// keepsAnAdmin refuses a change that would leave no active administrator
// but the user being changed.
func keepsAnAdmin(ctx context.Context, tx Store, changing int64) error {
	users, err := tx.Users(ctx)
	if err != nil {
		return err
	}
	if !slices.ContainsFunc(users, func(x model.User) bool { return x.ID != changing && activeAdmin(x) }) {
		return model.Invalid("last_admin")
	}
	return nil
}

func checkRoles(u model.User) error {
	if len(u.Roles) == 0 {
		return model.Invalid("roles")
	}
	for _, r := range u.Roles {
		if !slices.Contains(Roles, r) {
			return model.Invalid("role", r)
		}
	}
	if (u.Has(model.RoleContributor) || u.Has(model.RoleReviewer)) && u.UnitID == 0 && !u.CanPublish() {
		return model.Invalid("unit_required")
	}
	return nil
}

// ChangePassword sets a new password for the actor after checking the old
// one, and ends every other session of the user (keepToken is the cookie
// of the session that asked).
func (s *Service) ChangePassword(ctx context.Context, actor model.Actor, old, new, keepToken string) error {
	u, err := s.Store.User(ctx, actor.User.ID)
	if err != nil {
		return err
	}
	if ok, _ := CheckPassword(u.PasswordHash, old); !ok {
		return ErrBadLogin
	}
	policy, err := s.Policy(ctx)
	if err != nil {
		return err
	}
	if err := policy.check(ctx, s.Store, u, new); err != nil {
		return err
	}
	hash, err := HashPassword(new)
	if err != nil {
		return err
	}
	return s.tx(ctx, func(tx Store) error {
		if err := tx.SetPassword(ctx, u.ID, hash, s.now(), policy.keep()); err != nil {
			return err
		}
		if err := tx.DeleteSessions(ctx, u.ID, TokenHash(keepToken)); err != nil {
			return err
		}
		if err := tx.PasswordChanged(ctx, TokenHash(keepToken)); err != nil {
			return err
		}
		return tx.AddAudit(ctx, s.audit(actor, "password", "user "+u.Username, ""))
	})
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

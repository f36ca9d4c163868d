// Package campus signs desk users in through the university's single
// sign-on (统一身份认证): CAS 2.0/3.0 and OpenID Connect. It validates what
// the browser brings back (a CAS ticket, an authorization code), maps the
// person's attributes (name, department code, e-mail) to a desk user —
// creating a contributor in the unit mapped from the department on a first
// sign-in — and opens the session through package account. It also keeps
// the department → unit mapping, the links of accounts to campus
// identities and the setting that requires campus sign-in; each change
// takes the actor and is audited in the same transaction.
package campus

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"newsdesk/internal/account"
	"newsdesk/internal/model"
	"newsdesk/internal/store"
)

// Providers.
const (
	ProviderCAS  = "cas"
	ProviderOIDC = "oidc"
)

// SettingRequired is the site setting that, set to "1", refuses password
// sign-in to accounts linked to a campus identity, administrators excepted
// (the break-glass way in when the campus server is down).
const SettingRequired = "campus.required"

// ErrForbidden says the actor may not make this change (model.ErrForbidden).
var ErrForbidden = model.ErrForbidden

// Error is a campus sign-in refused for a reason the person is told: the
// catalogue message "campus.<Code>" with Args.
type Error struct {
	Code string
	Args []any
	Err  error // the detail, for the log
}

func (e *Error) Error() string {
	if e.Err != nil {
		return "campus sign-in: " + e.Code + ": " + e.Err.Error()
	}
	return "campus sign-in: " + e.Code
}

func (e *Error) Unwrap() error { return e.Err }

// Identity is a person as a campus provider vouched for them.
type Identity struct {
	Provider string
	Subject  string // the stable id: the CAS user, the OpenID subject
	// Username is the sign-in name the provider suggests (the CAS user,
	// OpenID's preferred_username); new accounts take it when it fits.
	Username   string
	Attributes map[string][]string
	// Ticket is the CAS service ticket that signed the person in, kept
	// (hashed) for single logout; empty for OpenID Connect.
	Ticket string
}

// first returns the first non-empty value of the first attribute present.
func (id Identity) first(names ...string) string {
	for _, n := range names {
		for _, v := range id.Attributes[n] {
			if v = strings.TrimSpace(v); v != "" {
				return v
			}
		}
	}
	return ""
}

// Attribute names read for the display name and e-mail, in order: CAS
// servers differ (Apereo's displayName/cn/mail), OpenID has name/email.
var (
	nameAttrs  = []string{"displayName", "display_name", "name", "cn"}
	emailAttrs = []string{"email", "mail"}
)

// Service signs people in through the campus providers configured.
type Service struct {
	Store    Store
	Accounts *account.Service
	CAS      *CAS  // nil: no CAS sign-in
	OIDC     *OIDC // nil: no OpenID Connect sign-in
	// DepartmentClaim names the CAS attribute or OpenID claim that holds
	// the department code (default "department").
	DepartmentClaim string
}

func (s *Service) departmentClaim() string {
	if s.DepartmentClaim == "" {
		return "department"
	}
	return s.DepartmentClaim
}

// Department returns the department code an identity came with.
func (s *Service) Department(id Identity) string { return id.first(s.departmentClaim()) }

// SignIn opens a session for the person id names: the account linked to
// the identity, or — on a first sign-in — a new contributor in the unit
// mapped from the department code. It returns the session's cookie token.
func (s *Service) SignIn(ctx context.Context, actor model.Actor, id Identity) (string, model.Session, model.User, error) {
	if id.Subject == "" || utf8.RuneCountInString(id.Subject) > 200 {
		return "", model.Session{}, model.User{}, &Error{Code: "bad_identity", Err: fmt.Errorf("subject %q", id.Subject)}
	}
	u, err := s.account(ctx, actor, id)
	if err != nil {
		return "", model.Session{}, u, err
	}
	if u.Disabled {
		actor.User = u
		if err := s.Store.AddAudit(ctx, actor.Audit("login_failed", "user "+u.Username, id.Provider+": disabled")); err != nil {
			return "", model.Session{}, u, err
		}
		return "", model.Session{}, u, &Error{Code: "disabled", Err: fmt.Errorf("user %s is disabled", u.Username)}
	}
	// The session, the identity's last sign-in and, for CAS, the ticket
	// single logout will name are written together, with the audit entry.
	token, se, err := s.Accounts.OpenSession(ctx, actor, u, id.Provider+" "+id.Subject, func(tx store.Store, se model.Session) error {
		if err := tx.SeenIdentity(ctx, id.Provider, id.Subject, id.first(emailAttrs...), se.CreatedAt); err != nil {
			return err
		}
		if id.Ticket == "" {
			return nil
		}
		return tx.TicketSession(ctx, TicketHash(id.Ticket), se.TokenHash, se.ExpiresAt)
	})
	return token, se, u, err
}

// account finds or makes the user of an identity.
func (s *Service) account(ctx context.Context, actor model.Actor, id Identity) (model.User, error) {
	for range 2 { // twice: a first sign-in racing another may find the link made
		link, err := s.Store.Identity(ctx, id.Provider, id.Subject)
		if err == nil {
			return s.Store.User(ctx, link.UserID)
		}
		if !errors.Is(err, model.ErrNotFound) {
			return model.User{}, err
		}
		u, err := s.create(ctx, actor, id)
		if !errors.Is(err, model.ErrConflict) {
			return u, err
		}
	}
	return model.User{}, fmt.Errorf("%s identity %q: linked and unlinked at once", id.Provider, id.Subject)
}

// create makes the contributor of a first sign-in, in the unit mapped from
// the department code; without a mapping nobody is created.
func (s *Service) create(ctx context.Context, actor model.Actor, id Identity) (model.User, error) {
	dept := s.Department(id)
	if dept == "" {
		return model.User{}, &Error{Code: "no_department", Err: fmt.Errorf("%s identity %q has no %q", id.Provider, id.Subject, s.departmentClaim())}
	}
	maps, err := s.Store.DepartmentUnits(ctx)
	if err != nil {
		return model.User{}, err
	}
	var unitID int64
	for _, m := range maps {
		if m.Code == dept {
			unitID = m.UnitID
		}
	}
	if unitID == 0 {
		return model.User{}, &Error{Code: "unknown_department", Args: []any{dept}, Err: fmt.Errorf("department %q is not mapped to a unit", dept)}
	}
	name := id.first(nameAttrs...)
	if name == "" {
		name = id.Subject
	}
	u := model.User{Name: truncate(name, 100), Roles: []string{model.RoleContributor}, UnitID: unitID}
	err = s.tx(ctx, func(tx Store) error {
		if u.Username, err = freeUsername(ctx, tx, id); err != nil {
			return err
		}
		if err := tx.CreateUser(ctx, &u); err != nil {
			return err
		}
		if err := tx.CreateIdentity(ctx, model.Identity{Provider: id.Provider, Subject: id.Subject, UserID: u.ID, Email: id.first(emailAttrs...)}); err != nil {
			return err
		}
		actor.User = u // the person made their own account
		return tx.AddAudit(ctx, actor.Audit("campus_user_created", "user "+u.Username, fmt.Sprintf("%s %s, department %s → unit %d", id.Provider, id.Subject, dept, unitID)))
	})
	if err != nil {
		return model.User{}, fmt.Errorf("create the user of %s identity %q: %w", id.Provider, id.Subject, err)
	}
	return u, nil
}

var usernameRE = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{1,31}$`)

// freeUsername picks an unused username for a new account: the provider's
// suggestion when it is a valid one (else the e-mail's local part), with a
// number after it when taken — never an existing account, which would hand
// it to whoever has that campus name — or a name made from the subject.
func freeUsername(ctx context.Context, st Store, id Identity) (string, error) {
	base := strings.ToLower(id.Username)
	if !usernameRE.MatchString(base) {
		local, _, _ := strings.Cut(strings.ToLower(id.first(emailAttrs...)), "@")
		base = local
	}
	var tries []string
	if usernameRE.MatchString(base) {
		tries = append(tries, base)
		for n := 2; n <= 9; n++ {
			if c := fmt.Sprintf("%s-%d", base, n); usernameRE.MatchString(c) {
				tries = append(tries, c)
			}
		}
	}
	sum := sha256.Sum256([]byte(id.Provider + "\x00" + id.Subject))
	tries = append(tries, "campus-"+hex.EncodeToString(sum[:6]))
	for _, name := range tries {
		_, err := st.UserByName(ctx, name)
		if errors.Is(err, model.ErrNotFound) {
			return name, nil
		}
		if err != nil {
			return "", err
		}
	}
	return "", fmt.Errorf("no free username for %s identity %q", id.Provider, id.Subject)
}

func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n])
}

// TicketHash is what the store keeps of a CAS ticket.
func TicketHash(ticket string) string {
	sum := sha256.Sum256([]byte(ticket))
	return hex.EncodeToString(sum[:])
}

// SingleLogout ends the session a CAS ticket opened, when the CAS server
// says the person signed out of CAS (its back-channel logoutRequest). It
// reports whether a session ended.
func (s *Service) SingleLogout(ctx context.Context, actor model.Actor, logoutRequest []byte) (bool, error) {
	ticket, err := ParseLogoutRequest(logoutRequest)
	if err != nil {
		return false, &Error{Code: "bad_logout", Err: err}
	}
	var ended bool
	err = s.tx(ctx, func(tx Store) error {
		userID, err := tx.EndTicketSession(ctx, TicketHash(ticket))
		if err != nil || userID == 0 {
			return err
		}
		ended = true
		if actor.User, err = tx.User(ctx, userID); err != nil {
			return err
		}
		return tx.AddAudit(ctx, actor.Audit("logout", "user "+actor.User.Username, "cas single logout"))
	})
	return ended, err
}

// PasswordAllowed refuses password sign-in to an account linked to a
// campus identity while the site requires campus sign-in, unless it is an
// administrator's; account.Service calls it after a right password.
func (s *Service) PasswordAllowed(ctx context.Context, u model.User) error {
	if u.CanAdminister() {
		return nil
	}
	settings, err := s.Store.Settings(ctx)
	if err != nil {
		return err
	}
	if settings[SettingRequired] != "1" {
		return nil
	}
	ids, err := s.Store.Identities(ctx, u.ID)
	if err != nil {
		return err
	}
	if len(ids) > 0 {
		return &Error{Code: "required", Err: fmt.Errorf("user %s has a campus identity", u.Username)}
	}
	return nil
}

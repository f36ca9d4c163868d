package account

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"newsdesk/internal/store"
	"newsdesk/internal/store/sqlstore"
)

func TestPasswordHash(t *testing.T) {
	h, err := HashPassword("newsdesk-demo")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Errorf("hash %q is not argon2id with its parameters", h)
	}
	if ok, err := CheckPassword(h, "newsdesk-demo"); !ok || err != nil {
		t.Errorf("right password: %v %v", ok, err)
	}
	if ok, _ := CheckPassword(h, "newsdesk-dem0"); ok {
		t.Error("wrong password accepted")
	}
	if h2, _ := HashPassword("newsdesk-demo"); h2 == h {
		t.Error("two hashes of one password are equal: no salt")
	}
	if _, err := CheckPassword("$2a$10$bcrypt", "x"); err == nil {
		t.Error("a non-argon2id hash must be an error")
	}
}

func newService(t *testing.T) (*Service, *time.Time) {
	st, err := sqlstore.OpenSQLite(context.Background(), filepath.Join(t.TempDir(), "db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	now := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
	s := New(st)
	s.Now = func() time.Time { return now }
	return s, &now
}

func TestSignInSessionsAndPasswordChange(t *testing.T) {
	ctx := context.Background()
	s, now := newService(t)
	u := store.User{Username: "Editor", Name: "编辑", Roles: []string{store.RoleEditor}}
	if err := s.AddUser(ctx, &u, "short"); !errors.Is(err, ErrInvalid) {
		t.Fatalf("short password: %v", err)
	}
	if err := s.AddUser(ctx, &u, "newsdesk-demo"); err != nil {
		t.Fatal(err)
	}
	if u.Username != "editor" {
		t.Errorf("username not folded: %q", u.Username)
	}
	if _, _, err := s.SignIn(ctx, "editor", "wrong-password", "10.0.0.1"); !errors.Is(err, ErrBadLogin) {
		t.Fatalf("wrong password: %v", err)
	}
	if _, _, err := s.SignIn(ctx, "nobody", "newsdesk-demo", "10.0.0.1"); !errors.Is(err, ErrBadLogin) {
		t.Fatalf("unknown user: %v", err)
	}
	a, se, err := s.SignIn(ctx, "EDITOR", "newsdesk-demo", "10.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	if se.TokenHash == a || se.CSRF == "" {
		t.Error("the token must be stored hashed, with a CSRF token")
	}
	b, _, _ := s.SignIn(ctx, "editor", "newsdesk-demo", "10.0.0.2")
	if _, got, err := s.Lookup(ctx, a); err != nil || got.ID != u.ID {
		t.Fatalf("lookup: %v %v", got, err)
	}
	if err := s.ChangePassword(ctx, u, "newsdesk-demo", "a-new-password", a); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.Lookup(ctx, b); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("other session survived a password change: %v", err)
	}
	if _, _, err := s.Lookup(ctx, a); err != nil {
		t.Errorf("own session ended by a password change: %v", err)
	}
	if err := s.SignOut(ctx, a); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.Lookup(ctx, a); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("signed-out session still works: %v", err)
	}
	c, _, _ := s.SignIn(ctx, "editor", "a-new-password", "10.0.0.1")
	*now = now.Add(13 * time.Hour)
	if _, _, err := s.Lookup(ctx, c); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("expired session still works: %v", err)
	}
}

func TestSignInRateLimit(t *testing.T) {
	ctx := context.Background()
	s, now := newService(t)
	u := store.User{Username: "reviewer", Roles: []string{store.RoleEditor}}
	if err := s.AddUser(ctx, &u, "newsdesk-demo"); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < failPerUser; i++ {
		s.SignIn(ctx, "reviewer", "guess", "10.0.0.9")
	}
	var limited *LimitedError
	if _, _, err := s.SignIn(ctx, "reviewer", "newsdesk-demo", "10.0.0.10"); !errors.As(err, &limited) {
		t.Fatalf("after %d failures the right password from elsewhere: %v, want rate limited", failPerUser, err)
	}
	*now = now.Add(failWindow)
	if _, _, err := s.SignIn(ctx, "reviewer", "newsdesk-demo", "10.0.0.10"); err != nil {
		t.Fatalf("after the window: %v", err)
	}
	// Per address: many accounts guessed from one address.
	for i := 0; i < failPerIP; i++ {
		s.SignIn(ctx, "user"+string(rune('a'+i)), "guess", "10.0.0.66")
	}
	if _, _, err := s.SignIn(ctx, "reviewer", "newsdesk-demo", "10.0.0.66"); !errors.As(err, &limited) {
		t.Fatalf("address limit: %v", err)
	}
}

// A session opened for a user someone else vouched for is audited with how,
// written together with what the caller keeps, and refused to a disabled
// user.
func TestOpenSessionForCampusSignIn(t *testing.T) {
	s, _ := newService(t)
	ctx := context.Background()
	unit, _ := s.UnitID(ctx, "物理学院")
	u := store.User{Username: "zhang.san", Roles: []string{store.RoleContributor}, UnitID: unit}
	if err := s.AddUser(ctx, &u, "long-enough-password"); err != nil {
		t.Fatal(err)
	}
	actor := store.Actor{IP: "10.1.2.3", Via: "desk"}
	token, se, err := s.OpenSession(ctx, actor, u, "cas 20201234", nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, got, err := s.Lookup(ctx, token); err != nil || got.ID != u.ID || se.IP != "10.1.2.3" {
		t.Errorf("session: %+v %v", got, err)
	}
	es, _, _ := s.Store.Audit(ctx, 10, 0)
	if len(es) != 1 || es[0].Action != "login" || es[0].UserID != u.ID || es[0].Detail != "cas 20201234" || es[0].IP != "10.1.2.3" {
		t.Errorf("audit: %+v", es)
	}
	// What the caller writes fails: no session, no audit entry.
	boom := errors.New("boom")
	if _, _, err := s.OpenSession(ctx, actor, u, "cas", func(store.Store, store.Session) error { return boom }); !errors.Is(err, boom) {
		t.Errorf("failing with: %v", err)
	}
	if es, _, _ := s.Store.Audit(ctx, 10, 0); len(es) != 1 {
		t.Errorf("a failed sign-in left audit entries: %+v", es)
	}
	u.Disabled = true
	if _, _, err := s.OpenSession(ctx, actor, u, "cas", nil); !errors.Is(err, ErrBadLogin) {
		t.Errorf("disabled: %v", err)
	}
}

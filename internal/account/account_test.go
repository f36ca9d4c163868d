package account

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"newsdesk/internal/model"
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

// cli is the operator at the command line.
var cli = model.SystemActor("cli")

// from is a desk visitor at ip, not signed in.
func from(ip string) model.Actor { return model.Actor{IP: ip, Via: "desk"} }

// as is u signed in to the desk.
func as(u model.User) model.Actor { return model.Actor{User: u, IP: "10.0.0.1", Via: "desk"} }

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

// auditCount is the number of entries in the audit log.
func auditCount(t *testing.T, s *Service) int {
	t.Helper()
	_, n, err := s.Store.(store.Store).Audit(context.Background(), 1, 0)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// lastAudit is the newest audit entry.
func lastAudit(t *testing.T, s *Service) model.AuditEntry {
	t.Helper()
	es, _, err := s.Store.(store.Store).Audit(context.Background(), 1, 0)
	if err != nil || len(es) == 0 {
		t.Fatalf("audit log: %v %v", es, err)
	}
	return es[0]
}

func addUser(t *testing.T, s *Service, name string, roles ...string) model.User {
	t.Helper()
	u := model.User{Username: name, Roles: roles}
	if err := s.AddUser(context.Background(), cli, &u, "newsdesk-demo"); err != nil {
		t.Fatal(err)
	}
	return u
}

func TestSignInSessionsAndPasswordChange(t *testing.T) {
	ctx := context.Background()
	s, now := newService(t)
	u := model.User{Username: "Editor", Name: "编辑", Roles: []string{model.RoleEditor}}
	if err := s.AddUser(ctx, cli, &u, "short"); !errors.Is(err, ErrInvalid) {
		t.Fatalf("short password: %v", err)
	}
	if err := s.AddUser(ctx, cli, &u, "newsdesk-demo"); err != nil {
		t.Fatal(err)
	}
	if u.Username != "editor" {
		t.Errorf("username not folded: %q", u.Username)
	}
	if _, _, err := s.SignIn(ctx, from("10.0.0.1"), "editor", "wrong-password"); !errors.Is(err, ErrBadLogin) {
		t.Fatalf("wrong password: %v", err)
	}
	if _, _, err := s.SignIn(ctx, from("10.0.0.1"), "nobody", "newsdesk-demo"); !errors.Is(err, ErrBadLogin) {
		t.Fatalf("unknown user: %v", err)
	}
	a, se, err := s.SignIn(ctx, from("10.0.0.1"), "EDITOR", "newsdesk-demo")
	if err != nil {
		t.Fatal(err)
	}
	if se.TokenHash == a || se.CSRF == "" {
		t.Error("the token must be stored hashed, with a CSRF token")
	}
	b, _, _ := s.SignIn(ctx, from("10.0.0.2"), "editor", "newsdesk-demo")
	if _, got, err := s.Lookup(ctx, a); err != nil || got.ID != u.ID {
		t.Fatalf("lookup: %v %v", got, err)
	}
	if err := s.ChangePassword(ctx, as(u), "newsdesk-demo", "a-new-password", a); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.Lookup(ctx, b); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("other session survived a password change: %v", err)
	}
	if _, _, err := s.Lookup(ctx, a); err != nil {
		t.Errorf("own session ended by a password change: %v", err)
	}
	if err := s.SignOut(ctx, as(u), a); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.Lookup(ctx, a); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("signed-out session still works: %v", err)
	}
	c, _, _ := s.SignIn(ctx, from("10.0.0.1"), "editor", "a-new-password")
	*now = now.Add(13 * time.Hour)
	if _, _, err := s.Lookup(ctx, c); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("expired session still works: %v", err)
	}
}

// Each change leaves exactly one audit entry, naming who, what and from
// where; a refused change leaves none.
func TestEachChangeAuditedOnceAndRefusalsNotAtAll(t *testing.T) {
	ctx := context.Background()
	s, _ := newService(t)
	admin := addUser(t, s, "admin", model.RoleAdmin)
	editor := addUser(t, s, "editor", model.RoleEditor)
	unit := model.Unit{Name: "新闻学院"}
	var token string
	type step struct {
		name   string
		do     func() error
		action string // "" = refused: no entry
		target string
		userID int64
	}
	steps := []step{
		{"add unit", func() error { return s.SaveUnit(ctx, as(admin), &unit) }, "unit", "unit 1", admin.ID},
		{"rename unit", func() error { unit.Name = "新闻与传播学院"; return s.SaveUnit(ctx, as(admin), &unit) }, "unit", "unit 1", admin.ID},
		{"duplicate unit", func() error { return s.SaveUnit(ctx, as(admin), &model.Unit{Name: "新闻与传播学院"}) }, "", "", 0},
		{"unit by an editor", func() error { return s.SaveUnit(ctx, as(editor), &model.Unit{Name: "其他"}) }, "", "", 0},
		{"add user", func() error {
			return s.AddUser(ctx, as(admin), &model.User{Username: "tongxun", Roles: []string{model.RoleContributor}, UnitID: unit.ID}, "long-enough-1")
		}, "user_add", "user tongxun", admin.ID},
		{"add user taken", func() error {
			return s.AddUser(ctx, as(admin), &model.User{Username: "tongxun", Roles: []string{model.RoleEditor}}, "long-enough-1")
		}, "", "", 0},
		{"add user by an editor", func() error {
			return s.AddUser(ctx, as(editor), &model.User{Username: "sneaky", Roles: []string{model.RoleAdmin}}, "long-enough-1")
		}, "", "", 0},
		{"update user", func() error {
			e := editor
			e.Roles = []string{model.RoleEditor, model.RoleReviewer}
			return s.Update(ctx, as(admin), e, "another-password")
		}, "user_update", "user editor", admin.ID},
		{"update by an editor", func() error { return s.Update(ctx, as(editor), admin, "") }, "", "", 0},
		{"sign in", func() (err error) {
			token, _, err = s.SignIn(ctx, from("10.0.0.7"), "editor", "another-password")
			return err
		}, "login", "user editor", editor.ID},
		{"failed sign-in", func() error {
			if _, _, err := s.SignIn(ctx, from("10.0.0.7"), "editor", "guess"); !errors.Is(err, ErrBadLogin) {
				return err
			}
			return nil
		}, "login_failed", "user editor", 0},
		{"change password, wrong old one", func() error { return s.ChangePassword(ctx, as(editor), "guess", "third-password", token) }, "", "", 0},
		{"change password", func() error { return s.ChangePassword(ctx, as(editor), "another-password", "third-password", token) }, "password", "user editor", editor.ID},
		{"sign out", func() error { return s.SignOut(ctx, as(editor), token) }, "logout", "user editor", editor.ID},
	}
	for _, st := range steps {
		before := auditCount(t, s)
		err := st.do()
		after := auditCount(t, s)
		if st.action == "" {
			if err == nil {
				t.Errorf("%s: accepted, want refused", st.name)
			}
			if after != before {
				t.Errorf("%s: refused but left %d audit entries", st.name, after-before)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", st.name, err)
			continue
		}
		if after != before+1 {
			t.Errorf("%s: %d audit entries, want 1", st.name, after-before)
			continue
		}
		e := lastAudit(t, s)
		if e.Action != st.action || e.Target != st.target || e.UserID != st.userID || e.IP == "" {
			t.Errorf("%s: audit %+v, want %s %q by user %d with an address", st.name, e, st.action, st.target, st.userID)
		}
	}
}

func TestOnlyAdministratorsManageAccounts(t *testing.T) {
	ctx := context.Background()
	s, _ := newService(t)
	editor := addUser(t, s, "editor", model.RoleEditor)
	anonymous := from("10.0.0.1")
	for name, actor := range map[string]model.Actor{"editor": as(editor), "nobody on the desk": anonymous} {
		if err := s.AddUser(ctx, actor, &model.User{Username: "x" + editor.Username, Roles: []string{model.RoleAdmin}}, "long-enough-1"); !errors.Is(err, ErrForbidden) {
			t.Errorf("%s adds a user: %v, want forbidden", name, err)
		}
		e := editor
		e.Roles = []string{model.RoleAdmin}
		if err := s.Update(ctx, actor, e, ""); !errors.Is(err, ErrForbidden) {
			t.Errorf("%s makes themselves admin: %v, want forbidden", name, err)
		}
		if err := s.SaveUnit(ctx, actor, &model.Unit{Name: "单位"}); !errors.Is(err, ErrForbidden) {
			t.Errorf("%s adds a unit: %v, want forbidden", name, err)
		}
	}
	if got, _ := s.Store.User(ctx, editor.ID); got.Has(model.RoleAdmin) {
		t.Error("the editor became an administrator")
	}
}

func TestAdministratorsCannotLockThemselvesOut(t *testing.T) {
	ctx := context.Background()
	s, _ := newService(t)
	admin := addUser(t, s, "admin", model.RoleAdmin, model.RoleEditor)
	invalid := func(err error) string {
		var ie *model.InvalidError
		if errors.As(err, &ie) {
			return ie.Code
		}
		return ""
	}
	drop := admin
	drop.Roles = []string{model.RoleEditor}
	if err := s.Update(ctx, as(admin), drop, ""); invalid(err) != "self_lockout" {
		t.Errorf("admin drops own role: %v", err)
	}
	off := admin
	off.Disabled = true
	if err := s.Update(ctx, as(admin), off, ""); invalid(err) != "self_lockout" {
		t.Errorf("admin disables self: %v", err)
	}
	// From the command line nobody is "self", but the last administrator stays.
	if err := s.Update(ctx, cli, drop, ""); invalid(err) != "last_admin" {
		t.Errorf("last admin removed from the command line: %v", err)
	}
	if err := s.Update(ctx, cli, off, ""); invalid(err) != "last_admin" {
		t.Errorf("last admin disabled from the command line: %v", err)
	}
	second := addUser(t, s, "second", model.RoleAdmin)
	if err := s.Update(ctx, as(second), drop, ""); err != nil {
		t.Errorf("with a second admin, the first can lose the role: %v", err)
	}
	if got, _ := s.Store.User(ctx, admin.ID); got.Has(model.RoleAdmin) {
		t.Error("role not removed")
	}
}

// Five wrong passwords from one address slow that address down on that
// account, with a wait that doubles; the owner signing in from elsewhere is
// not slowed down.
func TestSignInFailuresSlowDownTheAddressNotTheAccount(t *testing.T) {
	ctx := context.Background()
	s, now := newService(t)
	addUser(t, s, "editor", model.RoleEditor)
	var limited *LimitedError
	for i := 0; i < pairFree; i++ {
		if _, _, err := s.SignIn(ctx, from("10.0.0.9"), "editor", "guess"); !errors.Is(err, ErrBadLogin) {
			t.Fatalf("guess %d: %v", i, err)
		}
	}
	if _, _, err := s.SignIn(ctx, from("10.0.0.9"), "editor", "newsdesk-demo"); !errors.As(err, &limited) || limited.Wait != firstDelay {
		t.Fatalf("after %d failures from one address, from there: %v, want a wait of %v", pairFree, err, firstDelay)
	}
	if _, _, err := s.SignIn(ctx, from("10.0.0.10"), "editor", "newsdesk-demo"); err != nil {
		t.Fatalf("the owner from another address: %v", err)
	}
	*now = now.Add(firstDelay)
	if _, _, err := s.SignIn(ctx, from("10.0.0.9"), "editor", "guess"); !errors.Is(err, ErrBadLogin) {
		t.Fatalf("after the wait, one more guess is checked: %v", err)
	}
	if _, _, err := s.SignIn(ctx, from("10.0.0.9"), "editor", "guess"); !errors.As(err, &limited) || limited.Wait != 2*firstDelay {
		t.Fatalf("after one more failure: %v, want a wait of %v", err, 2*firstDelay)
	}
	// The right password from there, once the wait is over, forgets the failures.
	*now = now.Add(2 * firstDelay)
	if _, _, err := s.SignIn(ctx, from("10.0.0.9"), "editor", "newsdesk-demo"); err != nil {
		t.Fatalf("after the wait: %v", err)
	}
	if c, _ := s.Store.CountSignInFailures(ctx, "editor", "10.0.0.9", now.Add(-failWindow)); c.Pair != 0 {
		t.Errorf("failures from an address the owner signed in from: %d, want 0", c.Pair)
	}
}

// A burst of guesses at one account from many addresses (the probe's five
// addresses, then many more) never keeps the owner out of a clean address;
// once the account is under attack each guessing address waits after one
// failure.
func TestOwnerSignsInUnderABurstFromManyAddresses(t *testing.T) {
	ctx := context.Background()
	s, _ := newService(t)
	addUser(t, s, "editor", model.RoleEditor)
	var limited *LimitedError
	guesses := 0
	for round := 0; round < 2; round++ {
		for i := 0; i < 15; i++ {
			_, _, err := s.SignIn(ctx, from(fmt.Sprintf("198.51.100.%d", i)), "editor", "guess")
			switch {
			case errors.Is(err, ErrBadLogin):
				guesses++
			case errors.As(err, &limited):
			default:
				t.Fatal(err)
			}
		}
		if _, _, err := s.SignIn(ctx, from("10.0.0.10"), "editor", "newsdesk-demo"); err != nil {
			t.Fatalf("the owner from a clean address after %d guesses: %v", guesses, err)
		}
	}
	// Each address had pairFree tries until the account counted
	// accountAttack failures; from then on those that failed once wait.
	if guesses != accountAttack {
		t.Errorf("%d of 30 guesses checked, want %d", guesses, accountAttack)
	}
	// Now under attack: an address that failed once must wait.
	if _, _, err := s.SignIn(ctx, from("198.51.100.1"), "editor", "guess"); !errors.As(err, &limited) {
		t.Errorf("a guessing address on an account under attack: %v, want a wait", err)
	}
	if _, _, err := s.SignIn(ctx, from("10.0.0.11"), "editor", "newsdesk-demo"); err != nil {
		t.Errorf("the owner from another clean address: %v", err)
	}
}

// One address guessing many accounts waits for the window on every account.
func TestOneAddressGuessingManyAccountsWaits(t *testing.T) {
	ctx := context.Background()
	s, now := newService(t)
	addUser(t, s, "reviewer", model.RoleEditor)
	for i := 0; i < addressMax; i++ {
		s.SignIn(ctx, from("10.0.0.66"), fmt.Sprintf("user%d", i), "guess")
	}
	var limited *LimitedError
	if _, _, err := s.SignIn(ctx, from("10.0.0.66"), "reviewer", "newsdesk-demo"); !errors.As(err, &limited) {
		t.Fatalf("after %d failures from one address on other accounts: %v, want a wait", addressMax, err)
	}
	if _, _, err := s.SignIn(ctx, from("10.0.0.67"), "reviewer", "newsdesk-demo"); err != nil {
		t.Fatalf("from another address: %v", err)
	}
	*now = now.Add(failWindow)
	if _, _, err := s.SignIn(ctx, from("10.0.0.66"), "reviewer", "newsdesk-demo"); err != nil {
		t.Fatalf("after the window: %v", err)
	}
}

// Administrators see who is slowed down and can clear it, audited.
func TestAdministratorsSeeAndClearSlowdowns(t *testing.T) {
	ctx := context.Background()
	s, _ := newService(t)
	admin := addUser(t, s, "admin", model.RoleAdmin)
	editor := addUser(t, s, "editor", model.RoleEditor)
	for i := 0; i < pairFree; i++ {
		s.SignIn(ctx, from("10.0.0.9"), "editor", "guess")
	}
	for i := 0; i < addressMax; i++ {
		s.SignIn(ctx, from("10.0.0.66"), fmt.Sprintf("user%d", i), "guess")
	}
	if _, err := s.Throttles(ctx, as(editor)); !errors.Is(err, ErrForbidden) {
		t.Errorf("an editor lists slowdowns: %v", err)
	}
	ts, err := s.Throttles(ctx, as(admin))
	if err != nil {
		t.Fatal(err)
	}
	var pair, addr *Throttle
	for i, th := range ts {
		switch {
		case th.Username == "editor" && th.IP == "10.0.0.9":
			pair = &ts[i]
		case th.Username == "" && th.IP == "10.0.0.66":
			addr = &ts[i]
		}
	}
	if pair == nil || pair.Failures != pairFree || pair.Wait != firstDelay {
		t.Errorf("editor from 10.0.0.9: %+v, want %d failures and a wait of %v", pair, pairFree, firstDelay)
	}
	if addr == nil || addr.Failures != addressMax || addr.Wait != failWindow {
		t.Errorf("address 10.0.0.66: %+v, want %d failures and a wait of %v", addr, addressMax, failWindow)
	}
	if err := s.ClearThrottle(ctx, as(editor), "editor", ""); !errors.Is(err, ErrForbidden) {
		t.Errorf("an editor clears: %v", err)
	}
	for _, c := range []struct{ user, ip string }{{"editor", ""}, {"", "10.0.0.66"}} {
		before := auditCount(t, s)
		if err := s.ClearThrottle(ctx, as(admin), c.user, c.ip); err != nil {
			t.Fatal(err)
		}
		if e := lastAudit(t, s); auditCount(t, s) != before+1 || e.Action != "sign_in_cleared" || e.UserID != admin.ID {
			t.Errorf("clearing %v: audit %+v", c, e)
		}
	}
	if _, _, err := s.SignIn(ctx, from("10.0.0.9"), "editor", "newsdesk-demo"); err != nil {
		t.Errorf("after clearing the account: %v", err)
	}
	if _, _, err := s.SignIn(ctx, from("10.0.0.66"), "editor", "newsdesk-demo"); err != nil {
		t.Errorf("after clearing the address: %v", err)
	}
	if ts, _ := s.Throttles(ctx, as(admin)); len(ts) != 0 {
		t.Errorf("after clearing both: %+v", ts)
	}
}

// A session opened for a user someone else vouched for is audited with how,
// written together with what the caller keeps, and refused to a disabled
// user.
func TestOpenSessionForCampusSignIn(t *testing.T) {
	s, _ := newService(t)
	ctx := context.Background()
	unit, _ := s.UnitID(ctx, cli, "物理学院")
	u := model.User{Username: "zhang.san", Roles: []string{model.RoleContributor}, UnitID: unit}
	if err := s.AddUser(ctx, cli, &u, "long-enough-password"); err != nil {
		t.Fatal(err)
	}
	actor := model.Actor{IP: "10.1.2.3", Via: "desk"}
	before := auditCount(t, s) // the unit and the user
	token, se, err := s.OpenSession(ctx, actor, u, "cas 20201234", nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, got, err := s.Lookup(ctx, token); err != nil || got.ID != u.ID || se.IP != "10.1.2.3" {
		t.Errorf("session: %+v %v", got, err)
	}
	es, _, _ := s.Store.(store.Store).Audit(ctx, 10, 0)
	if len(es) != before+1 || es[0].Action != "login" || es[0].UserID != u.ID || es[0].Detail != "cas 20201234" || es[0].IP != "10.1.2.3" {
		t.Errorf("audit: %+v", es)
	}
	// What the caller writes fails: no session, no audit entry.
	boom := errors.New("boom")
	if _, _, err := s.OpenSession(ctx, actor, u, "cas", func(store.Store, model.Session) error { return boom }); !errors.Is(err, boom) {
		t.Errorf("failing with: %v", err)
	}
	if es, _, _ := s.Store.(store.Store).Audit(ctx, 10, 0); len(es) != before+1 {
		t.Errorf("a failed sign-in left audit entries: %+v", es)
	}
	u.Disabled = true
	if _, _, err := s.OpenSession(ctx, actor, u, "cas", nil); !errors.Is(err, ErrBadLogin) {
		t.Errorf("disabled: %v", err)
	}
}

// A session ends after 30 idle minutes, and after 12 hours however used;
// its last use is written once a minute at most.
func TestSessionIdleAndAbsoluteTimeOuts(t *testing.T) {
	ctx := context.Background()
	s, now := newService(t)
	addUser(t, s, "editor", model.RoleEditor)
	start := *now
	token, _, err := s.SignIn(ctx, from("10.0.0.1"), "editor", "newsdesk-demo")
	if err != nil {
		t.Fatal(err)
	}
	stored := func() model.Session {
		t.Helper()
		se, err := s.Store.Session(ctx, TokenHash(token), *now)
		if err != nil {
			t.Fatal(err)
		}
		return se
	}
	// Used every 29 minutes: alive until the absolute end.
	for *now = start.Add(30 * time.Second); now.Before(start.Add(DefaultSessionTTL)); *now = now.Add(29 * time.Minute) {
		if _, _, err := s.Lookup(ctx, token); err != nil {
			t.Fatalf("used %v after sign-in, every 29 minutes: %v", now.Sub(start), err)
		}
	}
	*now = start.Add(DefaultSessionTTL)
	if _, _, err := s.Lookup(ctx, token); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("at the absolute end: %v, want ended", err)
	}
	// Another, left alone for 30 minutes.
	token, _, _ = s.SignIn(ctx, from("10.0.0.1"), "editor", "newsdesk-demo")
	start = *now
	*now = start.Add(40 * time.Second)
	s.Lookup(ctx, token)
	if got := stored().LastSeen; !got.Equal(start) {
		t.Errorf("last seen written %v after the last write: %v, want unchanged %v", 40*time.Second, got, start)
	}
	*now = start.Add(time.Minute)
	s.Lookup(ctx, token)
	if got := stored().LastSeen; !got.Equal(*now) {
		t.Errorf("last seen a minute on: %v, want %v", got, *now)
	}
	seen := *now
	*now = seen.Add(DefaultSessionIdle)
	if _, _, err := s.Lookup(ctx, token); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("after %v idle: %v, want ended", DefaultSessionIdle, err)
	}
	*now = seen
	if _, _, err := s.Lookup(ctx, token); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("an idle session came back: %v", err)
	}
}

// A user lists their own sessions and ends one, audited; others' sessions
// cannot be named.
func TestUserListsAndEndsOwnSessions(t *testing.T) {
	ctx := context.Background()
	s, now := newService(t)
	editor := addUser(t, s, "editor", model.RoleEditor)
	other := addUser(t, s, "other", model.RoleEditor)
	laptop, _, _ := s.SignIn(ctx, from("10.0.0.1"), "editor", "newsdesk-demo")
	*now = now.Add(time.Minute)
	phone, _, _ := s.SignIn(ctx, from("10.0.0.2"), "editor", "newsdesk-demo")
	theirs, _, _ := s.SignIn(ctx, from("10.0.0.3"), "other", "newsdesk-demo")
	list, err := s.Sessions(ctx, as(editor), laptop)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 2 || list[0].IP != "10.0.0.2" || list[0].Current || !list[1].Current || list[1].Created.IsZero() || list[1].LastSeen.IsZero() {
		t.Fatalf("sessions %+v, want the phone then the laptop (current)", list)
	}
	theirList, _ := s.Sessions(ctx, as(other), theirs)
	if err := s.EndSession(ctx, as(editor), theirList[0].Handle); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("ending another user's session: %v, want not found", err)
	}
	before := auditCount(t, s)
	if err := s.EndSession(ctx, as(editor), list[0].Handle); err != nil {
		t.Fatal(err)
	}
	if e := lastAudit(t, s); auditCount(t, s) != before+1 || e.Action != "session_end" || !strings.Contains(e.Detail, "10.0.0.2") {
		t.Errorf("audit %+v", e)
	}
	if _, _, err := s.Lookup(ctx, phone); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("the ended session still works: %v", err)
	}
	for _, tok := range []string{laptop, theirs} {
		if _, _, err := s.Lookup(ctx, tok); err != nil {
			t.Errorf("another session ended too: %v", err)
		}
	}
}

func invalidCode(err error) string {
	var ie *model.InvalidError
	if errors.As(err, &ie) {
		return ie.Code
	}
	return ""
}

// The default policy: 12 characters, not the user name, none of the last 5.
func TestPasswordPolicy(t *testing.T) {
	ctx := context.Background()
	s, now := newService(t)
	editor := addUser(t, s, "editor", model.RoleEditor) // newsdesk-demo: 13 characters
	for _, c := range []struct{ username, password, want string }{
		{"wang.fang", "elevenchars", "password"},
		{"li.ming", "密码也按字符计算而非字节", ""},
		{"wang.fang", "my-Wang.Fang-2026", "password_username"},
		{"zhao.lei", "twelve-chars", ""},
	} {
		u := model.User{Username: c.username, Roles: []string{model.RoleEditor}}
		err := s.AddUser(ctx, cli, &u, c.password)
		if invalidCode(err) != c.want || (c.want == "" && err != nil) {
			t.Errorf("new user %s with %q: %v, want %q", c.username, c.password, err, c.want)
		}
	}
	token, _, _ := s.SignIn(ctx, from("10.0.0.1"), "editor", "newsdesk-demo")
	current := "newsdesk-demo"
	change := func(pw string) error {
		*now = now.Add(time.Minute)
		err := s.ChangePassword(ctx, as(editor), current, pw, token)
		if err == nil {
			current = pw
		}
		return err
	}
	if err := change("newsdesk-demo"); invalidCode(err) != "password_reused" {
		t.Errorf("the current password again: %v", err)
	}
	pws := []string{"second-password", "third-password", "fourth-password", "fifth-password"}
	for _, pw := range pws {
		if err := change(pw); err != nil {
			t.Fatal(err)
		}
	}
	// The last five: newsdesk-demo and the four after it.
	if err := change("newsdesk-demo"); invalidCode(err) != "password_reused" {
		t.Errorf("the fifth-last password: %v", err)
	}
	if err := change("sixth-password"); err != nil {
		t.Fatal(err)
	}
	if err := change("newsdesk-demo"); err != nil {
		t.Errorf("the sixth-last password may come back: %v", err)
	}
	// An administrator's reset follows the same history.
	admin := addUser(t, s, "admin", model.RoleAdmin)
	e, _ := s.Store.User(ctx, editor.ID)
	if err := s.Update(ctx, as(admin), e, "sixth-password"); invalidCode(err) != "password_reused" {
		t.Errorf("reset to a recent password: %v", err)
	}
}

// With an expiry set, a password older than it must be changed at sign-in:
// the session is marked until it is.
func TestExpiredPasswordMustBeChangedAtSignIn(t *testing.T) {
	ctx := context.Background()
	s, now := newService(t)
	admin := addUser(t, s, "admin", model.RoleAdmin)
	editor := addUser(t, s, "editor", model.RoleEditor)
	if err := s.SavePolicy(ctx, as(editor), Policy{MinLength: 12, History: 5, MaxAge: 90 * 24 * time.Hour}); !errors.Is(err, ErrForbidden) {
		t.Errorf("an editor sets the policy: %v", err)
	}
	if err := s.SavePolicy(ctx, as(admin), Policy{MinLength: 4, History: 5}); invalidCode(err) != "policy_length" {
		t.Errorf("a 4-character minimum: %v", err)
	}
	if err := s.SavePolicy(ctx, as(admin), Policy{MinLength: 12, History: 5, MaxAge: 90 * 24 * time.Hour}); err != nil {
		t.Fatal(err)
	}
	if e := lastAudit(t, s); e.Action != "password_policy" || !strings.Contains(e.Detail, "max_age_days=90") {
		t.Errorf("audit %+v", e)
	}
	if p, _ := s.Policy(ctx); p.MaxAge != 90*24*time.Hour {
		t.Errorf("policy read back: %+v", p)
	}
	_, se, _ := s.SignIn(ctx, from("10.0.0.1"), "editor", "newsdesk-demo")
	if se.MustChangePassword {
		t.Error("a fresh password must not be expired")
	}
	*now = now.Add(91 * 24 * time.Hour)
	token, se, err := s.SignIn(ctx, from("10.0.0.1"), "editor", "newsdesk-demo")
	if err != nil || !se.MustChangePassword {
		t.Fatalf("sign-in after 91 days: %v, must change %v", err, se.MustChangePassword)
	}
	if got, _, _ := s.Lookup(ctx, token); !got.MustChangePassword {
		t.Error("the mark is not kept with the session")
	}
	if err := s.ChangePassword(ctx, as(editor), "newsdesk-demo", "a-fresh-password", token); err != nil {
		t.Fatal(err)
	}
	if got, _, _ := s.Lookup(ctx, token); got.MustChangePassword {
		t.Error("still marked after the change")
	}
}

// Two-factor sign-in: set up with a code from the app, then the password
// alone is not enough, a wrong code counts as a failure, the right code
// signs in, and each recovery code works once.
func TestTwoFactorSignIn(t *testing.T) {
	ctx := context.Background()
	s, now := newService(t)
	editor := addUser(t, s, "editor", model.RoleEditor)
	token, _, _ := s.SignIn(ctx, from("10.0.0.1"), "editor", "newsdesk-demo")
	en, err := s.StartTwoFactor(ctx, as(editor))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(en.SVG, "<svg") || !strings.Contains(en.SVG, "<path") || !strings.HasPrefix(en.URL, "otpauth://totp/") {
		t.Errorf("enrolment %q / %.60q", en.URL, en.SVG)
	}
	if _, _, err := s.SignIn(ctx, from("10.0.0.1"), "editor", "newsdesk-demo"); err != nil {
		t.Errorf("before the set-up is confirmed the password alone still works: %v", err)
	}
	if _, err := s.EnableTwoFactor(ctx, as(editor), "000000", token); invalidCode(err) != "2fa_code" {
		t.Errorf("confirming with a wrong code: %v", err)
	}
	code, _ := totp.GenerateCode(en.Secret, *now)
	codes, err := s.EnableTwoFactor(ctx, as(editor), code, token)
	if err != nil || len(codes) != recoveryCodes {
		t.Fatalf("enable: %v %v", codes, err)
	}
	if e := lastAudit(t, s); e.Action != "2fa_enable" {
		t.Errorf("audit %+v", e)
	}
	if _, _, err := s.SignIn(ctx, from("10.0.0.2"), "editor", "newsdesk-demo"); !errors.Is(err, ErrCodeRequired) {
		t.Errorf("the password alone: %v, want a code asked for", err)
	}
	if _, _, err := s.SignInWithCode(ctx, from("10.0.0.2"), "editor", "newsdesk-demo", "123456"); !errors.Is(err, ErrBadLogin) {
		t.Errorf("a wrong code: %v", err)
	}
	if c, _ := s.Store.CountSignInFailures(ctx, "editor", "10.0.0.2", now.Add(-time.Hour)); c.Pair != 1 {
		t.Errorf("a wrong code counted %d failures, want 1", c.Pair)
	}
	*now = now.Add(time.Minute)
	code, _ = totp.GenerateCode(en.Secret, *now)
	if _, _, err := s.SignInWithCode(ctx, from("10.0.0.2"), "editor", "newsdesk-demo", code); err != nil {
		t.Errorf("the right code: %v", err)
	}
	if _, _, err := s.SignInWithCode(ctx, from("10.0.0.4"), "editor", "newsdesk-demo", code); !errors.Is(err, ErrBadLogin) {
		t.Errorf("the same code again (replayed): %v", err)
	}
	if _, _, err := s.SignInWithCode(ctx, from("10.0.0.3"), "editor", "newsdesk-demo", strings.ToUpper(codes[3])); err != nil {
		t.Errorf("a recovery code: %v", err)
	}
	if _, _, err := s.SignInWithCode(ctx, from("10.0.0.3"), "editor", "newsdesk-demo", codes[3]); !errors.Is(err, ErrBadLogin) {
		t.Errorf("the same recovery code again: %v", err)
	}
	if _, _, err := s.SignInWithCode(ctx, from("10.0.0.3"), "editor", "wrong-password-x", code); !errors.Is(err, ErrBadLogin) {
		t.Errorf("a right code with a wrong password: %v", err)
	}
	// A lost phone: an administrator removes the second factor.
	admin := addUser(t, s, "admin", model.RoleAdmin)
	if err := s.ResetTwoFactor(ctx, as(editor), editor.ID); !errors.Is(err, ErrForbidden) {
		t.Errorf("an editor resets: %v", err)
	}
	if err := s.ResetTwoFactor(ctx, as(admin), editor.ID); err != nil {
		t.Fatal(err)
	}
	if e := lastAudit(t, s); e.Action != "2fa_reset" || e.Target != "user editor" {
		t.Errorf("audit %+v", e)
	}
	if _, _, err := s.SignIn(ctx, from("10.0.0.5"), "editor", "newsdesk-demo"); err != nil {
		t.Errorf("after the reset, the password alone: %v", err)
	}
}

// With two-factor sign-in required, an editor without it must set it up
// first; a contributor need not.
func TestRequiredTwoFactorMarksTheSession(t *testing.T) {
	ctx := context.Background()
	s, now := newService(t)
	admin := addUser(t, s, "admin", model.RoleAdmin)
	u := model.User{Username: "tongxun", Roles: []string{model.RoleContributor}, UnitID: 1}
	s.SaveUnit(ctx, cli, &model.Unit{Name: "单位"})
	if err := s.AddUser(ctx, cli, &u, "newsdesk-demo"); err != nil {
		t.Fatal(err)
	}
	if err := s.SavePolicy(ctx, as(admin), Policy{MinLength: 12, History: 5, Require2FA: true}); err != nil {
		t.Fatal(err)
	}
	token, se, _ := s.SignIn(ctx, from("10.0.0.1"), "admin", "newsdesk-demo")
	if !se.MustEnrol2FA {
		t.Fatal("an administrator without a second factor is not sent to set it up")
	}
	if _, se, _ := s.SignIn(ctx, from("10.0.0.1"), "tongxun", "newsdesk-demo"); se.MustEnrol2FA {
		t.Error("a contributor is asked to set up a second factor")
	}
	en, _ := s.StartTwoFactor(ctx, as(admin))
	code, _ := totp.GenerateCode(en.Secret, *now)
	if _, err := s.EnableTwoFactor(ctx, as(admin), code, token); err != nil {
		t.Fatal(err)
	}
	if se, _, _ := s.Lookup(ctx, token); se.MustEnrol2FA {
		t.Error("still marked after the set-up")
	}
}

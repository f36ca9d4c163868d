package storetest

import (
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"newsdesk/internal/model"
	"newsdesk/internal/store"
)

func testSignInFailures(t *testing.T, s store.Store) {
	t0 := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	add := func(user, ip string, at time.Time) {
		t.Helper()
		must(t, s.AddSignInFailure(ctx, user, ip, at, at.Add(-15*time.Minute)))
	}
	add("old", "10.0.0.1", t0.Add(-time.Hour)) // forgotten by the next ones
	add("editor", "10.0.0.1", t0)
	add("editor", "10.0.0.1", t0.Add(time.Minute))
	add("editor", "10.0.0.2", t0.Add(2*time.Minute))
	add("admin", "10.0.0.1", t0.Add(3*time.Minute))
	c, err := s.CountSignInFailures(ctx, "editor", "10.0.0.1", t0.Add(-15*time.Minute))
	must(t, err)
	want := model.SignInCounts{Pair: 2, PairLast: t0.Add(time.Minute), Account: 3, Address: 3, AddressFirst: t0}
	if c != want {
		t.Errorf("counts %+v, want %+v", c, want)
	}
	list, err := s.SignInFailureList(ctx, t0.Add(-2*time.Hour))
	must(t, err)
	if len(list) != 3 || list[0].Username != "admin" || list[2] != (model.SignInFailures{Username: "editor", IP: "10.0.0.1", Count: 2, First: t0, Last: t0.Add(time.Minute)}) {
		t.Errorf("list %+v", list)
	}
	n, err := s.ClearSignInFailures(ctx, "", "10.0.0.1")
	must(t, err)
	if n != 3 {
		t.Errorf("cleared %d from the address, want 3", n)
	}
	n, err = s.ClearSignInFailures(ctx, "editor", "")
	must(t, err)
	if n != 1 {
		t.Errorf("cleared %d of the account, want 1", n)
	}
	if _, err := s.ClearSignInFailures(ctx, "", ""); err == nil {
		t.Error("clearing everything at once must be refused")
	}
}

// testCreateUserKeeps: a user created disabled stays disabled, and a
// given creation time (a restored site's) is kept; without one it is now.
func testCreateUserKeeps(t *testing.T, s store.Store) {
	t0 := time.Date(2012, 9, 1, 8, 30, 0, 0, time.UTC)
	old := model.User{Username: "retired", Name: "R", PasswordHash: "x", Roles: []string{model.RoleEditor}, Disabled: true, CreatedAt: t0}
	must(t, s.CreateUser(ctx, &old))
	got, err := s.User(ctx, old.ID)
	must(t, err)
	if !got.Disabled || !got.CreatedAt.Equal(t0) || !got.PasswordChangedAt.Equal(t0) {
		t.Errorf("created disabled at %v: read back disabled %t, created %v, password changed %v", t0, got.Disabled, got.CreatedAt, got.PasswordChangedAt)
	}
	before := time.Now().UTC().Truncate(time.Second)
	fresh := model.User{Username: "fresh", Name: "F", PasswordHash: "x", Roles: []string{model.RoleEditor}}
	must(t, s.CreateUser(ctx, &fresh))
	got, err = s.User(ctx, fresh.ID)
	must(t, err)
	if got.Disabled || got.CreatedAt.Before(before) || !got.CreatedAt.Equal(fresh.CreatedAt) {
		t.Errorf("created now: read back disabled %t, created %v (set %v, now %v)", got.Disabled, got.CreatedAt, fresh.CreatedAt, before)
	}
}

func testSessions(t *testing.T, s store.Store) {
	t0 := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	u := model.User{Username: "sessions", Name: "S", PasswordHash: "x", Roles: []string{model.RoleEditor}}
	must(t, s.CreateUser(ctx, &u))
	must(t, s.CreateSession(ctx, model.Session{TokenHash: "old", UserID: u.ID, CSRF: "c", CreatedAt: t0, ExpiresAt: t0.Add(time.Hour), IP: "10.0.0.1"}))
	must(t, s.CreateSession(ctx, model.Session{TokenHash: "new", UserID: u.ID, CSRF: "c", CreatedAt: t0.Add(time.Minute), ExpiresAt: t0.Add(2 * time.Hour), IP: "10.0.0.2"}))
	must(t, s.TouchSession(ctx, "old", t0.Add(10*time.Minute)))
	list, err := s.UserSessions(ctx, u.ID, t0.Add(30*time.Minute))
	must(t, err)
	if len(list) != 2 || list[0].TokenHash != "new" || !list[0].LastSeen.Equal(t0.Add(time.Minute)) || !list[1].LastSeen.Equal(t0.Add(10*time.Minute)) {
		t.Errorf("sessions %+v", list)
	}
	if list, _ := s.UserSessions(ctx, u.ID, t0.Add(90*time.Minute)); len(list) != 1 {
		t.Errorf("past the end of one: %+v", list)
	}
	se, err := s.Session(ctx, "old", t0)
	must(t, err)
	if !se.LastSeen.Equal(t0.Add(10 * time.Minute)) {
		t.Errorf("session %+v", se)
	}
}

func testPasswordHistory(t *testing.T, s store.Store) {
	t0 := time.Now().UTC().Truncate(time.Second) // after the user's creation
	u := model.User{Username: "history", Name: "H", PasswordHash: "h0", Roles: []string{model.RoleEditor}}
	must(t, s.CreateUser(ctx, &u))
	for i := 1; i <= 6; i++ {
		must(t, s.SetPassword(ctx, u.ID, fmt.Sprintf("h%d", i), t0.Add(time.Duration(i)*time.Hour), 5))
	}
	got, err := s.PasswordHistory(ctx, u.ID, 10)
	must(t, err)
	if !slices.Equal(got, []string{"h6", "h5", "h4", "h3", "h2"}) {
		t.Errorf("history %v, want the last 5, newest first", got)
	}
	back, err := s.User(ctx, u.ID)
	must(t, err)
	if back.PasswordHash != "h6" || !back.PasswordChangedAt.Equal(t0.Add(6*time.Hour)) {
		t.Errorf("user %+v", back)
	}
}

func testTwoFactor(t *testing.T, s store.Store) {
	t0 := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	u := model.User{Username: "totp", Name: "T", PasswordHash: "x", Roles: []string{model.RoleEditor}}
	must(t, s.CreateUser(ctx, &u))
	if _, _, err := s.TOTP(ctx, u.ID); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("no secret yet: %v", err)
	}
	must(t, s.SetTOTP(ctx, u.ID, "PENDING", time.Time{}))
	must(t, s.SetTOTP(ctx, u.ID, "SECRET", t0))
	if secret, at, err := s.TOTP(ctx, u.ID); err != nil || secret != "SECRET" || !at.Equal(t0) {
		t.Errorf("totp %q %v %v", secret, at, err)
	}
	for _, c := range []struct {
		step int64
		want bool
	}{{100, true}, {100, false}, {99, false}, {101, true}} {
		if ok, err := s.UseTOTPStep(ctx, u.ID, c.step); err != nil || ok != c.want {
			t.Errorf("step %d: %v %v, want %v", c.step, ok, err, c.want)
		}
	}
	must(t, s.SetRecoveryCodes(ctx, u.ID, []string{"a", "b"}))
	must(t, s.SetRecoveryCodes(ctx, u.ID, []string{"c", "d"}))
	for _, c := range []struct {
		hash string
		want bool
	}{{"a", false}, {"c", true}, {"c", false}, {"d", true}} {
		if ok, err := s.UseRecoveryCode(ctx, u.ID, c.hash, t0); err != nil || ok != c.want {
			t.Errorf("use %s: %v %v, want %v", c.hash, ok, err, c.want)
		}
	}
}

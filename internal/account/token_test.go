package account

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"newsdesk/internal/model"
	"newsdesk/internal/store"
	"newsdesk/internal/store/sqlstore"
)

// tokenService is a Service on a fresh SQLite store with a settable clock
// and two users, a contributor and an administrator.
func tokenService(t *testing.T) (s *Service, now *time.Time, writer, admin model.User) {
	ctx := context.Background()
	st, err := sqlstore.OpenSQLite(ctx, filepath.Join(t.TempDir(), "db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	unit := model.Unit{Name: "研究生院"}
	writer = model.User{Username: "writer", Name: "Writer", PasswordHash: "x", Roles: []string{model.RoleContributor}}
	admin = model.User{Username: "admin", Name: "Admin", PasswordHash: "x", Roles: []string{model.RoleAdmin}}
	if err := st.CreateUnit(ctx, &unit); err != nil {
		t.Fatal(err)
	}
	writer.UnitID = unit.ID
	for _, u := range []*model.User{&writer, &admin} {
		if err := st.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
	}
	clock := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	s = New(st)
	s.Now = func() time.Time { return clock }
	return s, &clock, writer, admin
}

func TestTokenActsAsItsUserUntilRevoked(t *testing.T) {
	ctx := context.Background()
	s, _, writer, _ := tokenService(t)
	actor := model.Actor{User: writer, IP: "192.0.2.1", Via: "desk"}
	secret, tok, err := s.CreateToken(ctx, actor, writer.ID, "  campus app  ")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(secret, TokenPrefix) || len(secret) < 40 || tok.Name != "campus app" {
		t.Errorf("secret %q, token %+v", secret, tok)
	}
	if tok.TokenHash == secret || strings.Contains(tok.TokenHash, secret[len(TokenPrefix):]) {
		t.Error("the secret is stored as is")
	}
	_, u, err := s.TokenUser(ctx, secret)
	if err != nil || u.ID != writer.ID {
		t.Fatalf("token user: %+v %v", u, err)
	}
	for _, bad := range []string{"", secret + "x", secret[len(TokenPrefix):], "ndt_" + strings.Repeat("A", 43)} {
		if _, _, err := s.TokenUser(ctx, bad); !errors.Is(err, model.ErrNotFound) {
			t.Errorf("token %q: %v", bad, err)
		}
	}
	audit, _, err := s.Store.(store.Store).Audit(ctx, 10, 0)
	if err != nil || len(audit) != 1 || audit[0].Action != "token_add" || audit[0].UserID != writer.ID || audit[0].IP != "192.0.2.1" {
		t.Errorf("audit after create: %+v %v", audit, err)
	}

	if err := s.RevokeToken(ctx, actor, writer.ID, tok.ID); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.TokenUser(ctx, secret); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("revoked token still works: %v", err)
	}
	if audit, _, _ = s.Store.(store.Store).Audit(ctx, 10, 0); len(audit) != 2 || audit[0].Action != "token_revoke" {
		t.Errorf("audit after revoke: %+v", audit)
	}
}

func TestDisabledUsersTokensStopWorking(t *testing.T) {
	ctx := context.Background()
	s, _, writer, _ := tokenService(t)
	secret, _, err := s.CreateToken(ctx, model.SystemActor("cli"), writer.ID, "")
	if err != nil {
		t.Fatal(err)
	}
	writer.Disabled = true
	if err := s.Store.UpdateUser(ctx, &writer); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.TokenUser(ctx, secret); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("a disabled user's token works: %v", err)
	}
	if _, _, err := s.CreateToken(ctx, model.SystemActor("cli"), writer.ID, ""); !errors.Is(err, model.ErrInvalid) {
		t.Errorf("token made for a disabled user: %v", err)
	}
}

func TestTokensAreMadeForOneselfAndRevokedByOwnerOrAdmin(t *testing.T) {
	ctx := context.Background()
	s, _, writer, admin := tokenService(t)
	// Not even an administrator makes a token that acts as someone else.
	if _, _, err := s.CreateToken(ctx, model.Actor{User: admin, Via: "desk"}, writer.ID, "x"); !errors.Is(err, model.ErrForbidden) {
		t.Errorf("admin made a token for another user: %v", err)
	}
	if _, _, err := s.CreateToken(ctx, model.Actor{User: writer}, writer.ID, strings.Repeat("名", maxTokenName+1)); !errors.Is(err, model.ErrInvalid) {
		t.Errorf("long name: %v", err)
	}
	_, adminTok, err := s.CreateToken(ctx, model.Actor{User: admin}, admin.ID, "ops")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.RevokeToken(ctx, model.Actor{User: writer}, admin.ID, adminTok.ID); !errors.Is(err, model.ErrForbidden) {
		t.Errorf("contributor revoked an admin's token: %v", err)
	}
	_, writerTok, err := s.CreateToken(ctx, model.Actor{User: writer}, writer.ID, "mine")
	if err != nil {
		t.Fatal(err)
	}
	// The id alone does not reach another user's token.
	if err := s.RevokeToken(ctx, model.Actor{User: writer}, writer.ID, adminTok.ID); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("revoked someone else's token by id: %v", err)
	}
	if err := s.RevokeToken(ctx, model.Actor{User: admin}, writer.ID, writerTok.ID); err != nil {
		t.Errorf("admin revoking a user's token: %v", err)
	}
}

func TestTokenLastUseIsWrittenAtMostOnceAMinute(t *testing.T) {
	ctx := context.Background()
	s, now, writer, _ := tokenService(t)
	secret, _, err := s.CreateToken(ctx, model.Actor{User: writer}, writer.ID, "poller")
	if err != nil {
		t.Fatal(err)
	}
	lastUsed := func() time.Time {
		ts, err := s.Tokens(ctx, writer.ID)
		if err != nil || len(ts) != 1 {
			t.Fatalf("tokens: %+v %v", ts, err)
		}
		return ts[0].LastUsedAt
	}
	if !lastUsed().IsZero() {
		t.Fatal("a new token has a last use")
	}
	first := *now
	steps := []struct {
		after time.Duration
		want  time.Time
	}{
		{0, first},
		{30 * time.Second, first}, // within the minute: not written again
		{61 * time.Second, first.Add(61 * time.Second)}, // a minute on: written
	}
	for _, st := range steps {
		*now = first.Add(st.after)
		if _, _, err := s.TokenUser(ctx, secret); err != nil {
			t.Fatal(err)
		}
		if got := lastUsed(); !got.Equal(st.want) {
			t.Errorf("after %v: last used %v, want %v", st.after, got, st.want)
		}
	}
}

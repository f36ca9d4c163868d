package storetest

import (
	"errors"
	"testing"
	"time"

	"newsdesk/internal/model"
	"newsdesk/internal/store"
)

func testTokens(t *testing.T, s store.Store) {
	alice := model.User{Username: "alice", Name: "Alice", PasswordHash: "x", Roles: []string{model.RoleEditor}}
	bob := model.User{Username: "bob", Name: "Bob", PasswordHash: "x", Roles: []string{model.RoleEditor}}
	must(t, s.CreateUser(ctx, &alice))
	must(t, s.CreateUser(ctx, &bob))
	first := model.Token{UserID: alice.ID, Name: "script", TokenHash: "hash-1"}
	second := model.Token{UserID: alice.ID, Name: "signage", TokenHash: "hash-2"}
	must(t, s.CreateToken(ctx, &first))
	must(t, s.CreateToken(ctx, &second))
	if first.ID == 0 || first.CreatedAt.IsZero() {
		t.Fatalf("created token has no id or time: %+v", first)
	}
	if err := s.CreateToken(ctx, &model.Token{UserID: bob.ID, Name: "copy", TokenHash: "hash-1"}); err == nil {
		t.Error("a second token with the same hash was stored")
	}

	got, err := s.TokenByHash(ctx, "hash-2")
	must(t, err)
	if got.ID != second.ID || got.UserID != alice.ID || got.Name != "signage" || !got.LastUsedAt.IsZero() {
		t.Errorf("by hash: %+v", got)
	}
	used := time.Date(2026, 12, 1, 9, 30, 0, 0, time.UTC)
	must(t, s.TouchToken(ctx, second.ID, used))
	if got, _ = s.TokenByHash(ctx, "hash-2"); !got.LastUsedAt.Equal(used) {
		t.Errorf("last used %v, want %v", got.LastUsedAt, used)
	}

	list, err := s.Tokens(ctx, alice.ID)
	must(t, err)
	if len(list) != 2 || list[0].ID != second.ID || list[1].ID != first.ID {
		t.Errorf("tokens not newest first: %+v", list)
	}
	if list, _ := s.Tokens(ctx, bob.ID); len(list) != 0 {
		t.Errorf("bob has alice's tokens: %+v", list)
	}

	// Revoking is per user: bob cannot remove alice's token.
	if err := s.DeleteToken(ctx, bob.ID, first.ID); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("deleting another user's token: %v", err)
	}
	must(t, s.DeleteToken(ctx, alice.ID, first.ID))
	if _, err := s.TokenByHash(ctx, "hash-1"); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("revoked token still found: %v", err)
	}
	if err := s.DeleteToken(ctx, alice.ID, first.ID); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("deleting twice: %v", err)
	}
}

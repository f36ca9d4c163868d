package storetest

import (
	"bytes"
	"errors"
	"slices"
	"testing"
	"time"

	"newsdesk/internal/model"
	"newsdesk/internal/store"
)

func testPasskeys(t *testing.T, s store.Store) {
	alice := model.User{Username: "alice", Name: "Alice", PasswordHash: "x", Roles: []string{model.RoleEditor}}
	bob := model.User{Username: "bob", Name: "Bob", PasswordHash: "x", Roles: []string{model.RoleEditor}}
	must(t, s.CreateUser(ctx, &alice))
	must(t, s.CreateUser(ctx, &bob))
	// Binary ids with bytes that text columns could mangle.
	laptop := model.Passkey{UserID: alice.ID, CredentialID: []byte{0, 1, 0xfe, 0xff, '\''}, PublicKey: []byte{0xa5, 0, 1, 2},
		SignCount: 7, Transports: []string{"internal", "hybrid"}, Flags: 0x1d, Name: "笔记本"}
	key := model.Passkey{UserID: alice.ID, CredentialID: []byte("key-2"), PublicKey: []byte("pk-2"), Name: "USB key"}
	must(t, s.CreatePasskey(ctx, &laptop))
	must(t, s.CreatePasskey(ctx, &key))
	if laptop.ID == 0 || laptop.CreatedAt.IsZero() {
		t.Fatalf("created passkey has no id or time: %+v", laptop)
	}
	dup := model.Passkey{UserID: bob.ID, CredentialID: laptop.CredentialID, PublicKey: []byte("x"), Name: "copy"}
	if err := s.CreatePasskey(ctx, &dup); !errors.Is(err, model.ErrConflict) {
		t.Errorf("the same credential stored twice: %v", err)
	}

	list, err := s.Passkeys(ctx, alice.ID)
	must(t, err)
	if len(list) != 2 || list[0].ID != laptop.ID || list[1].ID != key.ID {
		t.Fatalf("passkeys not oldest first: %+v", list)
	}
	got := list[0]
	if !bytes.Equal(got.CredentialID, laptop.CredentialID) || !bytes.Equal(got.PublicKey, laptop.PublicKey) || got.SignCount != 7 ||
		!slices.Equal(got.Transports, laptop.Transports) || got.Flags != 0x1d || got.Name != "笔记本" || !got.LastUsedAt.IsZero() {
		t.Errorf("passkey read back as %+v, stored %+v", got, laptop)
	}
	if list[1].Transports != nil {
		t.Errorf("no transports read back as %q", list[1].Transports)
	}
	if list, _ := s.Passkeys(ctx, bob.ID); len(list) != 0 {
		t.Errorf("bob has alice's passkeys: %+v", list)
	}

	used := time.Date(2026, 12, 1, 9, 30, 0, 0, time.UTC)
	for _, tc := range []struct {
		count uint32
		want  bool
	}{{1<<31 + 5, true}, {1<<31 + 5, false}, {8, false}, {1<<31 + 6, true}} {
		if ok, err := s.UsePasskey(ctx, laptop.ID, tc.count, used); err != nil || ok != tc.want {
			t.Errorf("use with counter %d: %v %v, want %v", tc.count, ok, err, tc.want)
		}
	}
	list, _ = s.Passkeys(ctx, alice.ID)
	if list[0].SignCount != 1<<31+6 || !list[0].LastUsedAt.Equal(used) {
		t.Errorf("after use: count %d, last used %v", list[0].SignCount, list[0].LastUsedAt)
	}
	// Authenticators that keep no counter answer 0, every time.
	for range 2 {
		if ok, err := s.UsePasskey(ctx, key.ID, 0, used); err != nil || !ok {
			t.Errorf("use with no counter: %v %v", ok, err)
		}
	}
	if ok, _ := s.UsePasskey(ctx, 999999, 1, used); ok {
		t.Error("a passkey that does not exist was used")
	}

	// Removing is per user: bob cannot remove alice's passkey.
	if err := s.DeletePasskey(ctx, bob.ID, laptop.ID); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("deleting another user's passkey: %v", err)
	}
	must(t, s.DeletePasskey(ctx, alice.ID, laptop.ID))
	if err := s.DeletePasskey(ctx, alice.ID, laptop.ID); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("deleting twice: %v", err)
	}
	bobs := model.Passkey{UserID: bob.ID, CredentialID: []byte("bob"), PublicKey: []byte("pk"), Name: "phone"}
	must(t, s.CreatePasskey(ctx, &bobs))
	must(t, s.DeletePasskey(ctx, alice.ID, 0))
	if list, _ := s.Passkeys(ctx, alice.ID); len(list) != 0 {
		t.Errorf("all of alice's removed, still %+v", list)
	}
	if list, _ := s.Passkeys(ctx, bob.ID); len(list) != 1 {
		t.Errorf("removing all of alice's took bob's: %+v", list)
	}
}

func testPasskeyChallenges(t *testing.T, s store.Store) {
	alice := model.User{Username: "alice", Name: "Alice", PasswordHash: "x", Roles: []string{model.RoleEditor}}
	must(t, s.CreateUser(ctx, &alice))
	now := time.Now()
	must(t, s.CreatePasskeyChallenge(ctx, model.PasskeyChallenge{TokenHash: "h1", UserID: alice.ID, Kind: "login", Data: []byte(`{"challenge":"abc"}`), ExpiresAt: now.Add(5 * time.Minute)}))
	must(t, s.CreatePasskeyChallenge(ctx, model.PasskeyChallenge{TokenHash: "h2", UserID: alice.ID, Kind: "login", Data: []byte(`{}`), ExpiresAt: now.Add(time.Minute)}))

	if _, err := s.TakePasskeyChallenge(ctx, "h1", "register", now); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("a login challenge taken as a registration: %v", err)
	}
	c, err := s.TakePasskeyChallenge(ctx, "h1", "login", now)
	must(t, err)
	if c.UserID != alice.ID || string(c.Data) != `{"challenge":"abc"}` {
		t.Errorf("challenge read back as %+v", c)
	}
	if _, err := s.TakePasskeyChallenge(ctx, "h1", "login", now); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("a challenge taken twice: %v", err)
	}
	if _, err := s.TakePasskeyChallenge(ctx, "h2", "login", now.Add(2*time.Minute)); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("an expired challenge was taken: %v", err)
	}
}

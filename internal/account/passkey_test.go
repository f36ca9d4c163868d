package account

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"newsdesk/internal/model"

	"github.com/go-webauthn/webauthn/protocol/webauthncbor"
)

var b64url = base64.RawURLEncoding

// softKey is a software authenticator written from the WebAuthn
// specification (Level 3, §6.1 and §6.5): an ES256 key, authenticator data
// with its counter, the client data a browser would collect, and the
// "none" attestation. It answers the options the service sends as a
// browser would, so registration and assertion go through the library
// exactly as they do from Chromium.
type softKey struct {
	t      *testing.T
	key    *ecdsa.PrivateKey
	id     []byte
	origin string
	count  uint32
}

func newSoftKey(t *testing.T, origin string) *softKey {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	id := make([]byte, 16)
	rand.Read(id)
	return &softKey{t: t, key: key, id: id, origin: origin}
}

// Authenticator data flags (§6.1).
const (
	flagUP = 0x01 // user present
	flagUV = 0x04 // user verified
	flagAT = 0x40 // attested credential data included
)

// options reads the challenge and RP ID of the service's options.
func (k *softKey) options(opts json.RawMessage) (challenge, rpID string) {
	var o struct {
		PublicKey struct {
			Challenge string `json:"challenge"`
			RPID      string `json:"rpId"`
			RP        struct {
				ID string `json:"id"`
			} `json:"rp"`
		} `json:"publicKey"`
	}
	if err := json.Unmarshal(opts, &o); err != nil {
		k.t.Fatalf("options %s: %v", opts, err)
	}
	rpID = o.PublicKey.RPID
	if rpID == "" {
		rpID = o.PublicKey.RP.ID
	}
	return o.PublicKey.Challenge, rpID
}

func (k *softKey) clientData(typ, challenge string) []byte {
	b, _ := json.Marshal(map[string]any{"type": typ, "challenge": challenge, "origin": k.origin, "crossOrigin": false})
	return b
}

func authData(rpID string, flags byte, count uint32, attested []byte) []byte {
	h := sha256.Sum256([]byte(rpID))
	out := append(h[:], flags)
	out = binary.BigEndian.AppendUint32(out, count)
	return append(out, attested...)
}

// create answers navigator.credentials.create.
func (k *softKey) create(opts json.RawMessage) []byte {
	challenge, rpID := k.options(opts)
	cose, err := webauthncbor.Marshal(map[int]any{1: 2, 3: -7, -1: 1, -2: k.key.X.FillBytes(make([]byte, 32)), -3: k.key.Y.FillBytes(make([]byte, 32))})
	if err != nil {
		k.t.Fatal(err)
	}
	attested := make([]byte, 16) // AAGUID: none
	attested = binary.BigEndian.AppendUint16(attested, uint16(len(k.id)))
	attested = append(append(attested, k.id...), cose...)
	obj, err := webauthncbor.Marshal(map[string]any{"fmt": "none", "attStmt": map[string]any{}, "authData": authData(rpID, flagUP|flagUV|flagAT, k.count, attested)})
	if err != nil {
		k.t.Fatal(err)
	}
	resp, _ := json.Marshal(map[string]any{"id": b64url.EncodeToString(k.id), "rawId": b64url.EncodeToString(k.id), "type": "public-key",
		"response": map[string]any{"clientDataJSON": b64url.EncodeToString(k.clientData("webauthn.create", challenge)),
			"attestationObject": b64url.EncodeToString(obj), "transports": []string{"internal"}}})
	return resp
}

// get answers navigator.credentials.get, counting one use.
func (k *softKey) get(opts json.RawMessage) []byte {
	k.count++
	challenge, rpID := k.options(opts)
	ad := authData(rpID, flagUP|flagUV, k.count, nil)
	cd := k.clientData("webauthn.get", challenge)
	h := sha256.Sum256(cd)
	digest := sha256.Sum256(append(append([]byte{}, ad...), h[:]...))
	sig, err := ecdsa.SignASN1(rand.Reader, k.key, digest[:])
	if err != nil {
		k.t.Fatal(err)
	}
	resp, _ := json.Marshal(map[string]any{"id": b64url.EncodeToString(k.id), "rawId": b64url.EncodeToString(k.id), "type": "public-key",
		"response": map[string]any{"clientDataJSON": b64url.EncodeToString(cd), "authenticatorData": b64url.EncodeToString(ad), "signature": b64url.EncodeToString(sig)}})
	return resp
}

// site is the desk at localhost: WebAuthn takes no IP address as the
// relying party.
var site = RelyingParty{ID: "localhost", Origin: "http://localhost:8080"}

// register gives u a passkey made by k, named name.
func register(t *testing.T, s *Service, u model.User, k *softKey, name, sessionToken string) model.Passkey {
	t.Helper()
	c, err := s.BeginPasskey(context.Background(), as(u), site)
	if err != nil {
		t.Fatal(err)
	}
	p, err := s.AddPasskey(context.Background(), as(u), c.Token, name, k.create(c.Options), sessionToken)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// passkeyStep signs in with the password and returns the passkey challenge.
func passkeyStep(t *testing.T, s *Service, ip, username string) *Ceremony {
	t.Helper()
	_, _, err := s.SignInAt(context.Background(), from(ip), site, username, "newsdesk-demo", "")
	var need *SecondFactorError
	if !errors.As(err, &need) || !errors.Is(err, ErrCodeRequired) || need.Passkey == nil {
		t.Fatalf("password of a user with a passkey: %v, want a passkey challenge", err)
	}
	return need.Passkey
}

func TestPasskeyRegisteredListedAndRemovedAudited(t *testing.T) {
	ctx := context.Background()
	s, _ := newService(t)
	ed := addUser(t, s, "editor", model.RoleEditor)
	other := addUser(t, s, "other", model.RoleEditor)
	k := newSoftKey(t, site.Origin)

	before := auditCount(t, s)
	p := register(t, s, ed, k, " 办公室电脑 ", "")
	if e := lastAudit(t, s); e.Action != "passkey_add" || e.Detail != "passkey 办公室电脑" || auditCount(t, s) != before+1 {
		t.Errorf("registration audited as %+v (%d entries added)", e, auditCount(t, s)-before)
	}
	list, err := s.Passkeys(ctx, as(ed))
	if err != nil || len(list) != 1 || list[0].ID != p.ID || list[0].Name != "办公室电脑" || string(list[0].CredentialID) != string(k.id) ||
		list[0].CreatedAt.IsZero() || strings.Join(list[0].Transports, ",") != "internal" {
		t.Fatalf("passkeys after registration: %+v %v", list, err)
	}

	// Refused registrations store nothing and audit nothing.
	c, _ := s.BeginPasskey(ctx, as(ed), site)
	answer := k.create(c.Options)
	before = auditCount(t, s)
	for _, tc := range []struct {
		name, token, keyName string
		actor                model.User
		response             []byte
		want                 string
	}{
		{"no name", c.Token, " ", ed, answer, "passkey_name"},
		{"another user's ceremony", c.Token, "x", other, answer, "passkey_expired"},
		{"taken already", c.Token, "x", ed, answer, "passkey_expired"},
	} {
		if _, err := s.AddPasskey(ctx, as(tc.actor), tc.token, tc.keyName, tc.response, ""); invalidCode(err) != tc.want {
			t.Errorf("%s: %v, want %s", tc.name, err, tc.want)
		}
	}
	c, _ = s.BeginPasskey(ctx, as(ed), site)
	if _, err := s.AddPasskey(ctx, as(ed), c.Token, "again", k.create(c.Options), ""); invalidCode(err) != "passkey_known" {
		t.Errorf("the same authenticator registered twice: %v", err)
	}
	c, _ = s.BeginPasskey(ctx, as(ed), site)
	evil := newSoftKey(t, "http://evil.example")
	if _, err := s.AddPasskey(ctx, as(ed), c.Token, "evil", evil.create(c.Options), ""); invalidCode(err) != "passkey_refused" {
		t.Errorf("an answer from another origin: %v", err)
	}
	if n := auditCount(t, s); n != before {
		t.Errorf("refused registrations wrote %d audit entries", n-before)
	}

	if _, err := s.BeginPasskey(ctx, as(ed), RelyingParty{ID: "127.0.0.1", Origin: "http://127.0.0.1:8080"}); invalidCode(err) != "passkey_site" {
		t.Errorf("a passkey for a site opened by its IP address: %v", err)
	}

	if err := s.RemovePasskey(ctx, as(other), p.ID); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("removing another user's passkey: %v", err)
	}
	if err := s.RemovePasskey(ctx, as(ed), p.ID); err != nil {
		t.Fatal(err)
	}
	if e := lastAudit(t, s); e.Action != "passkey_remove" || e.Detail != "passkey 办公室电脑" {
		t.Errorf("removal audited as %+v", e)
	}
	if list, _ := s.Passkeys(ctx, as(ed)); len(list) != 0 {
		t.Errorf("removed passkey still listed: %+v", list)
	}
}

func TestPasskeyCompletesSignInAndClonesAreRefused(t *testing.T) {
	ctx := context.Background()
	s, _ := newService(t)
	ed := addUser(t, s, "editor", model.RoleEditor)
	k := newSoftKey(t, site.Origin)
	p := register(t, s, ed, k, "laptop", "")

	// Without the site's address (API, command line) there is no passkey
	// challenge, but a second factor is still required.
	if _, _, err := s.SignIn(ctx, from("10.0.0.2"), "editor", "newsdesk-demo"); !errors.Is(err, ErrCodeRequired) {
		t.Errorf("password alone of a user with a passkey: %v", err)
	}
	// No TOTP app: a typed code cannot be right.
	if _, _, err := s.SignInAt(ctx, from("10.0.0.2"), site, "editor", "newsdesk-demo", "123456"); !errors.Is(err, ErrBadLogin) {
		t.Errorf("a code from a user with only a passkey: %v", err)
	}

	c := passkeyStep(t, s, "10.0.0.2", "editor")
	token, se, err := s.SignInPasskey(ctx, from("10.0.0.2"), c.Token, k.get(c.Options))
	if err != nil || token == "" || se.UserID != ed.ID {
		t.Fatalf("passkey sign-in: %q %+v %v", token, se, err)
	}
	if e := lastAudit(t, s); e.Action != "login" || e.UserID != ed.ID {
		t.Errorf("sign-in audited as %+v", e)
	}
	list, _ := s.Passkeys(ctx, as(ed))
	if list[0].SignCount != 1 || list[0].LastUsedAt.IsZero() {
		t.Errorf("after the sign-in: count %d, last used %v", list[0].SignCount, list[0].LastUsedAt)
	}
	// The challenge was answered: the same answer again is refused.
	if _, _, err := s.SignInPasskey(ctx, from("10.0.0.2"), c.Token, k.get(c.Options)); !errors.Is(err, ErrBadLogin) {
		t.Errorf("a challenge answered twice: %v", err)
	}

	// A copy of the key whose counter lags behind the stored one is a clone.
	clone := *k
	clone.count = 0 // it answers with 1, and 1 was seen already
	c = passkeyStep(t, s, "10.0.0.3", "editor")
	before := auditCount(t, s)
	if _, _, err := s.SignInPasskey(ctx, from("10.0.0.3"), c.Token, clone.get(c.Options)); !errors.Is(err, ErrBadLogin) {
		t.Errorf("a cloned authenticator signed in: %v", err)
	}
	if e := lastAudit(t, s); e.Action != "login_failed" || !strings.Contains(e.Detail, "cloned") || auditCount(t, s) != before+1 {
		t.Errorf("clone audited as %+v", e)
	}
	if n, _ := s.Store.CountSignInFailures(ctx, "editor", "10.0.0.3", s.now().Add(-failWindow)); n.Pair != 1 {
		t.Errorf("the clone counted %d failed sign-ins, want 1", n.Pair)
	}

	// Another key with the same credential id: its signature is wrong.
	forged := newSoftKey(t, site.Origin)
	forged.id, forged.count = k.id, 100
	c = passkeyStep(t, s, "10.0.0.4", "editor")
	if _, _, err := s.SignInPasskey(ctx, from("10.0.0.4"), c.Token, forged.get(c.Options)); !errors.Is(err, ErrBadLogin) {
		t.Errorf("a forged signature signed in: %v", err)
	}
	// A page on another origin cannot use the answer.
	phish := *k
	phish.origin = "http://evil.example"
	c = passkeyStep(t, s, "10.0.0.5", "editor")
	if _, _, err := s.SignInPasskey(ctx, from("10.0.0.5"), c.Token, phish.get(c.Options)); !errors.Is(err, ErrBadLogin) {
		t.Errorf("an answer collected on another origin signed in: %v", err)
	}

	// The real key, still ahead of every clone, goes on working.
	c = passkeyStep(t, s, "10.0.0.2", "editor")
	if _, _, err := s.SignInPasskey(ctx, from("10.0.0.2"), c.Token, k.get(c.Options)); err != nil {
		t.Errorf("the real key after the clone: %v", err)
	}

	// An administrator's reset removes passkeys too.
	admin := addUser(t, s, "admin", model.RoleAdmin)
	if err := s.ResetTwoFactor(ctx, as(admin), ed.ID); err != nil {
		t.Fatal(err)
	}
	if list, _ := s.Passkeys(ctx, as(ed)); len(list) != 0 {
		t.Errorf("passkey %d kept after the reset", p.ID)
	}
	if _, _, err := s.SignInAt(ctx, from("10.0.0.2"), site, "editor", "newsdesk-demo", ""); err != nil {
		t.Errorf("after the reset, the password alone: %v", err)
	}
}

func TestPasskeyCountsAsEnrolledWhereTwoStepIsRequired(t *testing.T) {
	ctx := context.Background()
	s, _ := newService(t)
	admin := addUser(t, s, "admin", model.RoleAdmin)
	ed := addUser(t, s, "editor", model.RoleEditor)
	if err := s.SavePolicy(ctx, as(admin), Policy{MinLength: 12, History: 5, Require2FA: true}); err != nil {
		t.Fatal(err)
	}
	token, se, err := s.SignInAt(ctx, from("10.0.0.1"), site, "editor", "newsdesk-demo", "")
	if err != nil || !se.MustEnrol2FA {
		t.Fatalf("an editor with no second factor: %+v %v, want sent to set one up", se, err)
	}
	k := newSoftKey(t, site.Origin)
	register(t, s, ed, k, "key", token)
	if se, _, _ := s.Lookup(ctx, token); se.MustEnrol2FA {
		t.Error("the session is still sent to set up two-step sign-in after adding a passkey")
	}
	c := passkeyStep(t, s, "10.0.0.1", "editor")
	if _, se, err := s.SignInPasskey(ctx, from("10.0.0.1"), c.Token, k.get(c.Options)); err != nil || se.MustEnrol2FA {
		t.Errorf("signed in with the passkey: %+v %v, want a session free to go on", se, err)
	}
}

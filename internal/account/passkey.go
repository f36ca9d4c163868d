package account

import (
	"cmp"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"strings"
	"time"
	"unicode/utf8"

	"newsdesk/internal/model"

	"github.com/go-webauthn/webauthn/protocol"
	"github.com/go-webauthn/webauthn/webauthn"
)

// Passkeys (WebAuthn) as a second factor beside TOTP: after the right
// password, a user who has one answers a challenge with it instead of
// typing a code. The ceremonies are checked by go-webauthn; a counter
// that does not go up (a cloned authenticator) is refused. A passkey
// counts as enrolled where the site requires two-step sign-in.

// RelyingParty is the site as WebAuthn sees it: ID is the host name
// passkeys are bound to, Origin the scheme, host and port pages come from.
// The desk takes both from the request, so a desk on its own listener
// works as well as one on the public address.
type RelyingParty struct {
	ID, Origin string
}

// Ceremony is a WebAuthn ceremony begun: Options go to the browser's
// navigator.credentials (create or get) as they are, and Token names the
// ceremony when its answer comes back.
type Ceremony struct {
	Token   string
	Options json.RawMessage
}

// SecondFactorError is ErrCodeRequired with what the user may answer
// with: a TOTP code, and a passkey challenge when they have passkeys
// (nil when the site's address was not given).
type SecondFactorError struct {
	TOTP    bool
	Passkey *Ceremony
}

func (e *SecondFactorError) Error() string { return ErrCodeRequired.Error() }

// Is makes errors.Is(err, ErrCodeRequired) hold.
func (e *SecondFactorError) Is(target error) bool { return target == ErrCodeRequired }

// Ceremony kinds, as the store keeps them.
const (
	ceremonyRegister = "register"
	ceremonyLogin    = "login"
)

// ceremonyTTL is how long a challenge may be answered: time to find the
// security key and touch it.
const ceremonyTTL = 5 * time.Minute

// maxPasskeyName bounds a passkey's name, in characters.
const maxPasskeyName = 60

// relyingParty returns the library configured for rp.
func relyingParty(rp RelyingParty) (*webauthn.WebAuthn, error) {
	// WebAuthn binds passkeys to a domain name: a site opened by its IP
	// address cannot have them.
	if rp.ID == "" || rp.Origin == "" || net.ParseIP(rp.ID) != nil {
		return nil, model.Invalid("passkey_site")
	}
	w, err := webauthn.New(&webauthn.Config{RPID: rp.ID, RPDisplayName: issuer, RPOrigins: []string{rp.Origin}})
	if err != nil {
		return nil, fmt.Errorf("webauthn for %s: %w: %w", rp.Origin, model.Invalid("passkey_site"), err)
	}
	return w, nil
}

// waUser is a user with their passkeys as the library wants them.
type waUser struct {
	u     model.User
	creds []webauthn.Credential
}

// WebAuthnID is the user handle: the user's number, which says nothing of
// the person (the handle is stored on the authenticator).
func (w waUser) WebAuthnID() []byte                         { return binary.BigEndian.AppendUint64(nil, uint64(w.u.ID)) }
func (w waUser) WebAuthnName() string                       { return w.u.Username }
func (w waUser) WebAuthnDisplayName() string                { return w.u.Name }
func (w waUser) WebAuthnCredentials() []webauthn.Credential { return w.creds }

// passkeyUser loads u's passkeys.
func (s *Service) passkeyUser(ctx context.Context, st Store, u model.User) (waUser, []model.Passkey, error) {
	keys, err := st.Passkeys(ctx, u.ID)
	if err != nil {
		return waUser{}, nil, err
	}
	w := waUser{u: u}
	for _, k := range keys {
		c := webauthn.Credential{ID: k.CredentialID, PublicKey: k.PublicKey, Flags: webauthn.NewCredentialFlags(protocol.AuthenticatorFlags(k.Flags)),
			Authenticator: webauthn.Authenticator{SignCount: k.SignCount}}
		for _, t := range k.Transports {
			c.Transport = append(c.Transport, protocol.AuthenticatorTransport(t))
		}
		w.creds = append(w.creds, c)
	}
	return w, keys, nil
}

// begin stores the session data of a ceremony for user and returns it
// with the browser's options.
func (s *Service) begin(ctx context.Context, userID int64, kind string, options any, sd *webauthn.SessionData) (Ceremony, error) {
	opts, err := json.Marshal(options)
	if err != nil {
		return Ceremony{}, fmt.Errorf("passkey %s options: %w", kind, err)
	}
	data, err := json.Marshal(sd)
	if err != nil {
		return Ceremony{}, fmt.Errorf("passkey %s session: %w", kind, err)
	}
	token := randomToken()
	c := model.PasskeyChallenge{TokenHash: TokenHash(token), UserID: userID, Kind: kind, Data: data, ExpiresAt: s.now().Add(ceremonyTTL)}
	if err := s.Store.CreatePasskeyChallenge(ctx, c); err != nil {
		return Ceremony{}, err
	}
	return Ceremony{Token: token, Options: opts}, nil
}

// take returns the ceremony of token, once; ErrNotFound when it is not the
// actor's, was answered already or timed out.
func (s *Service) take(ctx context.Context, token, kind string) (model.PasskeyChallenge, webauthn.SessionData, *webauthn.WebAuthn, error) {
	var sd webauthn.SessionData
	c, err := s.Store.TakePasskeyChallenge(ctx, TokenHash(token), kind, s.now())
	if err != nil {
		return c, sd, nil, err
	}
	if err := json.Unmarshal(c.Data, &sd); err != nil {
		return c, sd, nil, fmt.Errorf("passkey %s session: %w", kind, err)
	}
	w, err := relyingParty(RelyingParty{ID: sd.RelyingPartyID, Origin: sd.Origin})
	return c, sd, w, err
}

// Passkeys lists the actor's passkeys, the oldest first.
func (s *Service) Passkeys(ctx context.Context, actor model.Actor) ([]model.Passkey, error) {
	return s.Store.Passkeys(ctx, actor.User.ID)
}

// BeginPasskey starts registering a passkey for the actor at the site rp;
// AddPasskey finishes it.
func (s *Service) BeginPasskey(ctx context.Context, actor model.Actor, rp RelyingParty) (Ceremony, error) {
	w, err := relyingParty(rp)
	if err != nil {
		return Ceremony{}, err
	}
	user, _, err := s.passkeyUser(ctx, s.Store, actor.User)
	if err != nil {
		return Ceremony{}, err
	}
	creation, sd, err := w.BeginRegistration(user,
		webauthn.WithRegistrationOrigin(rp.Origin),
		// The same authenticator twice would be no second key.
		webauthn.WithExclusions(webauthn.Credentials(user.creds).CredentialDescriptors()),
		webauthn.WithAuthenticatorSelection(protocol.AuthenticatorSelection{
			ResidentKey: protocol.ResidentKeyRequirementPreferred, UserVerification: protocol.VerificationPreferred}))
	if err != nil {
		return Ceremony{}, fmt.Errorf("begin passkey registration: %w", err)
	}
	return s.begin(ctx, actor.User.ID, ceremonyRegister, creation, sd)
}

// AddPasskey checks the browser's answer (response, JSON) to the ceremony
// of token and stores the new passkey under name, audited. The session of
// sessionToken may then go on, where the site required two-step sign-in.
func (s *Service) AddPasskey(ctx context.Context, actor model.Actor, token, name string, response []byte, sessionToken string) (model.Passkey, error) {
	name = strings.TrimSpace(name)
	if name == "" || utf8.RuneCountInString(name) > maxPasskeyName {
		return model.Passkey{}, model.Invalid("passkey_name", maxPasskeyName)
	}
	c, sd, w, err := s.take(ctx, token, ceremonyRegister)
	if errors.Is(err, model.ErrNotFound) || (err == nil && c.UserID != actor.User.ID) {
		return model.Passkey{}, model.Invalid("passkey_expired")
	}
	if err != nil {
		return model.Passkey{}, err
	}
	parsed, err := protocol.ParseCredentialCreationResponseBytes(response)
	if err != nil {
		return model.Passkey{}, model.Invalid("passkey_refused")
	}
	user, _, err := s.passkeyUser(ctx, s.Store, actor.User)
	if err != nil {
		return model.Passkey{}, err
	}
	cred, err := w.CreateCredential(user, sd, parsed)
	if err != nil {
		return model.Passkey{}, model.Invalid("passkey_refused")
	}
	k := model.Passkey{UserID: actor.User.ID, CredentialID: cred.ID, PublicKey: cred.PublicKey, SignCount: cred.Authenticator.SignCount,
		Flags: uint8(cred.Flags.ProtocolValue()), Name: name, CreatedAt: s.now()}
	for _, t := range cred.Transport {
		k.Transports = append(k.Transports, string(t))
	}
	err = s.tx(ctx, func(tx Store) error {
		if err := tx.CreatePasskey(ctx, &k); err != nil {
			return err
		}
		if err := tx.Enrolled2FA(ctx, TokenHash(sessionToken)); err != nil {
			return err
		}
		return tx.AddAudit(ctx, s.audit(actor, "passkey_add", "user "+actor.User.Username, "passkey "+name))
	})
	if errors.Is(err, model.ErrConflict) {
		return model.Passkey{}, model.Invalid("passkey_known")
	}
	return k, err
}

// RemovePasskey removes one of the actor's passkeys, audited.
func (s *Service) RemovePasskey(ctx context.Context, actor model.Actor, id int64) error {
	return s.tx(ctx, func(tx Store) error {
		keys, err := tx.Passkeys(ctx, actor.User.ID)
		if err != nil {
			return err
		}
		name := ""
		for _, k := range keys {
			if k.ID == id {
				name = k.Name
			}
		}
		if err := tx.DeletePasskey(ctx, actor.User.ID, id); err != nil {
			return err
		}
		return tx.AddAudit(ctx, s.audit(actor, "passkey_remove", "user "+actor.User.Username, "passkey "+name))
	})
}

// passkeyChallenge begins the second step of u's sign-in with a passkey;
// nil when u has none or rp cannot have passkeys (a sign-in by API or
// command line, or at an IP address).
func (s *Service) passkeyChallenge(ctx context.Context, rp RelyingParty, u model.User) (*Ceremony, error) {
	w, err := relyingParty(rp)
	if err != nil {
		return nil, nil
	}
	user, keys, err := s.passkeyUser(ctx, s.Store, u)
	if err != nil || len(keys) == 0 {
		return nil, err
	}
	assertion, sd, err := w.BeginLogin(user, webauthn.WithLoginOrigin(rp.Origin), webauthn.WithUserVerification(protocol.VerificationPreferred))
	if err != nil {
		return nil, fmt.Errorf("begin passkey sign-in: %w", err)
	}
	c, err := s.begin(ctx, u.ID, ceremonyLogin, assertion, sd)
	if err != nil {
		return nil, err
	}
	return &c, nil
}

// SignInPasskey finishes a sign-in whose password was right with the
// browser's answer (response, JSON) to the passkey challenge of token,
// and opens the session. A wrong answer, an unknown passkey or one whose
// counter did not go up (a cloned authenticator) is ErrBadLogin, counted
// as a failed sign-in.
func (s *Service) SignInPasskey(ctx context.Context, actor model.Actor, token string, response []byte) (string, model.Session, error) {
	now := s.now()
	c, sd, w, err := s.take(ctx, token, ceremonyLogin)
	if errors.Is(err, model.ErrNotFound) {
		return "", model.Session{}, ErrBadLogin
	}
	if err != nil {
		return "", model.Session{}, err
	}
	u, err := s.Store.User(ctx, c.UserID)
	if err != nil {
		return "", model.Session{}, err
	}
	counts, err := s.Store.CountSignInFailures(ctx, u.Username, actor.IP, now.Add(-failWindow))
	if err != nil {
		return "", model.Session{}, err
	}
	if wait := signInWait(counts, now); wait > 0 {
		return "", model.Session{}, &LimitedError{Wait: wait}
	}
	user, keys, err := s.passkeyUser(ctx, s.Store, u)
	if err != nil {
		return "", model.Session{}, err
	}
	why := ""
	var cred *webauthn.Credential
	if parsed, perr := protocol.ParseCredentialRequestResponseBytes(response); perr != nil {
		why = "passkey answer unreadable"
	} else if cred, err = w.ValidateLogin(user, sd, parsed); err != nil {
		why = "passkey refused"
	} else if cred.Authenticator.CloneWarning {
		why = "passkey counter did not go up: cloned authenticator?"
	}
	if why == "" && u.Disabled {
		why = "user disabled"
	}
	if why != "" {
		if err := s.passkeyFailed(ctx, actor, u.Username, why); err != nil {
			return "", model.Session{}, err
		}
		return "", model.Session{}, ErrBadLogin
	}
	var used model.Passkey
	for _, k := range keys {
		if string(k.CredentialID) == string(cred.ID) {
			used = k
		}
	}
	policy, err := s.Policy(ctx)
	if err != nil {
		return "", model.Session{}, err
	}
	failed := actor
	actor.User = u
	token, se, err := s.open(ctx, actor, "login", policy.expired(u, now), false, func(tx Store) error {
		if ok, err := tx.UsePasskey(ctx, used.ID, cred.Authenticator.SignCount, now); err != nil || !ok {
			return cmp.Or(err, errCounterBehind)
		}
		_, err := tx.ClearSignInFailures(ctx, u.Username, actor.IP)
		return err
	})
	if errors.Is(err, errCounterBehind) {
		if err := s.passkeyFailed(ctx, failed, u.Username, "passkey counter did not go up: cloned authenticator?"); err != nil {
			return "", model.Session{}, err
		}
		return "", model.Session{}, ErrBadLogin
	}
	return token, se, err
}

// errCounterBehind says another answer with the same counter was taken
// first: the two cannot both come from one authenticator.
var errCounterBehind = errors.New("passkey counter behind")

// passkeyFailed records a failed second step as a failed sign-in.
func (s *Service) passkeyFailed(ctx context.Context, actor model.Actor, username, why string) error {
	now := s.now()
	return s.tx(ctx, func(tx Store) error {
		if err := tx.AddSignInFailure(ctx, username, actor.IP, now, now.Add(-failWindow)); err != nil {
			return err
		}
		return tx.AddAudit(ctx, s.audit(actor, "login_failed", "user "+username, why))
	})
}

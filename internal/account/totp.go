package account

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base32"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"newsdesk/internal/model"

	"github.com/boombuler/barcode/qr"
	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
)

// Two-factor sign-in: a TOTP (RFC 6238) app as the second factor, set up
// by scanning a QR code drawn here as SVG (the secret never leaves the
// site), with single-use recovery codes kept as hashes. The password
// policy's Require2FA makes it compulsory for editors and administrators.

// ErrCodeRequired says the password was right and a code from the user's
// authenticator app (or a recovery code) must come with it.
var ErrCodeRequired = errors.New("two-factor code required")

// issuer names the site in authenticator apps.
const issuer = "Newsdesk"

// recoveryCodes is how many recovery codes a user gets.
const recoveryCodes = 10

// Enrolment is a TOTP secret being set up.
type Enrolment struct {
	Secret string // base32, for typing in by hand
	URL    string // otpauth://
	SVG    string // the URL as a QR code
}

// TwoFactor reports whether the actor signs in with a second factor.
func (s *Service) TwoFactor(ctx context.Context, actor model.Actor) (bool, error) {
	_, enabled, err := s.Store.TOTP(ctx, actor.User.ID)
	if errors.Is(err, model.ErrNotFound) {
		return false, nil
	}
	return !enabled.IsZero(), err
}

// StartTwoFactor makes a new secret for the actor, not yet in force: it is
// confirmed by EnableTwoFactor with a code from the app.
func (s *Service) StartTwoFactor(ctx context.Context, actor model.Actor) (Enrolment, error) {
	if on, err := s.TwoFactor(ctx, actor); err != nil || on {
		if err == nil {
			err = model.Invalid("2fa_enabled")
		}
		return Enrolment{}, err
	}
	key, err := totp.Generate(totp.GenerateOpts{Issuer: issuer, AccountName: actor.User.Username})
	if err != nil {
		return Enrolment{}, fmt.Errorf("totp secret: %w", err)
	}
	if err := s.Store.SetTOTP(ctx, actor.User.ID, key.Secret(), time.Time{}); err != nil {
		return Enrolment{}, err
	}
	svg, err := qrSVG(key.URL())
	if err != nil {
		return Enrolment{}, err
	}
	return Enrolment{Secret: key.Secret(), URL: key.URL(), SVG: svg}, nil
}

// EnableTwoFactor puts the actor's new secret in force once code shows the
// app has it, and returns the recovery codes, shown this once. The session
// of sessionToken may then go on, where the site required the set-up.
func (s *Service) EnableTwoFactor(ctx context.Context, actor model.Actor, code, sessionToken string) ([]string, error) {
	secret, enabled, err := s.Store.TOTP(ctx, actor.User.ID)
	if errors.Is(err, model.ErrNotFound) || (err == nil && !enabled.IsZero()) {
		return nil, model.Invalid("2fa_not_started")
	}
	if err != nil {
		return nil, err
	}
	step, ok := s.codeStep(strings.TrimSpace(code), secret)
	if !ok {
		return nil, model.Invalid("2fa_code")
	}
	codes := make([]string, recoveryCodes)
	hashes := make([]string, recoveryCodes)
	for i := range codes {
		b := make([]byte, 7)
		rand.Read(b)
		c := strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b))[:10]
		codes[i] = c[:5] + "-" + c[5:]
		hashes[i] = recoveryHash(codes[i])
	}
	err = s.tx(ctx, func(tx Store) error {
		if err := tx.SetTOTP(ctx, actor.User.ID, secret, s.now()); err != nil {
			return err
		}
		if _, err := tx.UseTOTPStep(ctx, actor.User.ID, step); err != nil {
			return err
		}
		if err := tx.SetRecoveryCodes(ctx, actor.User.ID, hashes); err != nil {
			return err
		}
		if err := tx.Enrolled2FA(ctx, TokenHash(sessionToken)); err != nil {
			return err
		}
		return tx.AddAudit(ctx, s.audit(actor, "2fa_enable", "user "+actor.User.Username, ""))
	})
	if err != nil {
		return nil, err
	}
	return codes, nil
}

// totpOpts are RFC 6238's defaults, which authenticator apps use.
var totpOpts = totp.ValidateOpts{Period: 30, Skew: 1, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1}

// codeStep returns the 30-second step code belongs to, if valid now: one
// step either side is allowed for clocks that drift.
func (s *Service) codeStep(code, secret string) (int64, bool) {
	now := s.now()
	for _, d := range []time.Duration{0, -30 * time.Second, 30 * time.Second} {
		at := now.Add(d)
		want, err := totp.GenerateCodeCustom(secret, at, totpOpts)
		if err == nil && subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 {
			return at.Unix() / 30, true
		}
	}
	return 0, false
}

// ResetTwoFactor removes a user's second factors, TOTP and passkeys (a
// lost phone and lost recovery codes): administrators only, audited; the user's sessions end,
// and the next sign-in is by password alone (then set up again where the
// site requires it).
func (s *Service) ResetTwoFactor(ctx context.Context, actor model.Actor, userID int64) error {
	if err := mayManage(actor); err != nil {
		return err
	}
	return s.tx(ctx, func(tx Store) error {
		u, err := tx.User(ctx, userID)
		if err != nil {
			return err
		}
		if err := tx.DeleteTOTP(ctx, u.ID); err != nil {
			return err
		}
		if err := tx.DeletePasskey(ctx, u.ID, 0); err != nil {
			return err
		}
		if err := tx.DeleteSessions(ctx, u.ID, ""); err != nil {
			return err
		}
		return tx.AddAudit(ctx, s.audit(actor, "2fa_reset", "user "+u.Username, ""))
	})
}

// recoveryHash is what the store keeps of a recovery code: they are random
// (50 bits), so a plain hash is enough; spaces, dashes and case are ignored.
func recoveryHash(code string) string {
	c := strings.ToLower(strings.NewReplacer("-", "", " ", "").Replace(code))
	sum := sha256.Sum256([]byte("newsdesk recovery code " + c))
	return hex.EncodeToString(sum[:])
}

// secondFactor checks code for u at sign-in: "" when u has no second
// factor (neither TOTP nor a passkey); a *SecondFactorError (which is
// ErrCodeRequired) when one is needed and none given, with a passkey
// challenge for the site rp if u has passkeys; ErrBadLogin when it is
// wrong. A recovery code works once.
func (s *Service) secondFactor(ctx context.Context, actor model.Actor, rp RelyingParty, u model.User, code string) (enrolled bool, err error) {
	keys, err := s.Store.Passkeys(ctx, u.ID)
	if err != nil {
		return false, err
	}
	secret, enabled, err := s.Store.TOTP(ctx, u.ID)
	hasTOTP := err == nil && !enabled.IsZero()
	if err != nil && !errors.Is(err, model.ErrNotFound) {
		return false, err
	}
	if !hasTOTP && len(keys) == 0 {
		return false, nil
	}
	code = strings.TrimSpace(code)
	switch {
	case code == "":
		need := &SecondFactorError{TOTP: hasTOTP}
		if need.Passkey, err = s.passkeyChallenge(ctx, rp, u); err != nil {
			return true, err
		}
		return true, need
	case !hasTOTP:
		return true, ErrBadLogin // a code, and no app to check it against
	}
	if step, ok := s.codeStep(code, secret); ok {
		if fresh, err := s.Store.UseTOTPStep(ctx, u.ID, step); err != nil || fresh {
			return true, err
		}
		return true, ErrBadLogin // replayed
	}
	used, err := s.Store.UseRecoveryCode(ctx, u.ID, recoveryHash(code), s.now())
	if err != nil {
		return true, err
	}
	if !used {
		return true, ErrBadLogin
	}
	return true, s.Store.AddAudit(ctx, s.audit(actor, "recovery_code_used", "user "+u.Username, ""))
}

// qrSVG draws text as a QR code in SVG, one path of dark modules.
func qrSVG(text string) (string, error) {
	code, err := qr.Encode(text, qr.M, qr.Auto)
	if err != nil {
		return "", fmt.Errorf("qr code: %w", err)
	}
	n := code.Bounds().Dx()
	const quiet = 4 // modules of white around it, as the standard asks
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" width="240" height="240" shape-rendering="crispEdges" role="img"><rect width="100%%" height="100%%" fill="#fff"/><path fill="#000" d="`, n+2*quiet, n+2*quiet)
	for y := 0; y < n; y++ {
		for x := 0; x < n; x++ {
			if r, _, _, _ := code.At(x, y).RGBA(); r == 0 {
				fmt.Fprintf(&b, "M%d %dh1v1h-1z", x+quiet, y+quiet)
			}
		}
	}
	b.WriteString(`"/></svg>`)
	return b.String(), nil
}

package campus

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"
)

// OIDC is an OpenID Connect provider Newsdesk signs people in with: the
// authorization code flow, with PKCE (S256), state and nonce.
type OIDC struct {
	Issuer       string
	ClientID     string
	ClientSecret string
	// Scopes beyond openid; default profile and email.
	Scopes []string
	// Client makes the requests to the provider; nil: one with a 10 s time-out.
	Client *http.Client

	mu       sync.Mutex
	provider *oidc.Provider // discovered at first use, so serve starts while the provider is down
}

// AuthStart is what a sign-in keeps (in a cookie of the browser) between
// leaving for the provider and coming back: each value is random and used
// once.
type AuthStart struct {
	State, Nonce, Verifier string
}

// NewAuthStart returns fresh values for one sign-in.
func NewAuthStart() AuthStart {
	return AuthStart{State: rand.Text(), Nonce: rand.Text(), Verifier: oauth2.GenerateVerifier()}
}

func (o *OIDC) client() *http.Client {
	if o.Client != nil {
		return o.Client
	}
	return &http.Client{Timeout: 10 * time.Second}
}

// setup discovers the provider once and returns the OAuth 2.0 settings.
func (o *OIDC) setup(redirect string) (*oidc.Provider, oauth2.Config, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.provider == nil {
		// The key set fetched later lives with this context: not the request's.
		p, err := oidc.NewProvider(oidc.ClientContext(context.Background(), o.client()), o.Issuer)
		if err != nil {
			return nil, oauth2.Config{}, fmt.Errorf("openid discovery at %s: %w", o.Issuer, err)
		}
		o.provider = p
	}
	scopes := o.Scopes
	if scopes == nil {
		scopes = []string{"profile", "email"}
	}
	return o.provider, oauth2.Config{ClientID: o.ClientID, ClientSecret: o.ClientSecret, RedirectURL: redirect,
		Endpoint: o.provider.Endpoint(), Scopes: append([]string{oidc.ScopeOpenID}, scopes...)}, nil
}

// AuthURL is where the browser goes to sign in; the provider sends it
// back to redirect, Newsdesk's callback registered there.
func (o *OIDC) AuthURL(st AuthStart, redirect string) (string, error) {
	_, cfg, err := o.setup(redirect)
	if err != nil {
		return "", err
	}
	return cfg.AuthCodeURL(st.State, oidc.Nonce(st.Nonce), oauth2.S256ChallengeOption(st.Verifier)), nil
}

// Exchange checks that the browser came back with the state it left
// with, trades the code (with the PKCE verifier) for tokens, verifies the
// ID token (issuer, audience, expiry, signature, nonce) and returns the
// person with the claims of the ID token and the userinfo endpoint.
func (o *OIDC) Exchange(ctx context.Context, st AuthStart, state, code, redirect string) (Identity, error) {
	if st.State == "" || subtle.ConstantTimeCompare([]byte(st.State), []byte(state)) != 1 {
		return Identity{}, &Error{Code: "bad_state", Err: errors.New("the state does not match the sign-in under way")}
	}
	if code == "" {
		return Identity{}, &Error{Code: "bad_code", Err: errors.New("no code")}
	}
	p, cfg, err := o.setup(redirect)
	if err != nil {
		return Identity{}, err
	}
	ctx = oidc.ClientContext(ctx, o.client())
	tok, err := cfg.Exchange(context.WithValue(ctx, oauth2.HTTPClient, o.client()), code, oauth2.VerifierOption(st.Verifier))
	var re *oauth2.RetrieveError
	if errors.As(err, &re) {
		return Identity{}, &Error{Code: "bad_code", Err: err}
	}
	if err != nil {
		return Identity{}, fmt.Errorf("openid code exchange: %w", err)
	}
	raw, _ := tok.Extra("id_token").(string)
	if raw == "" {
		return Identity{}, &Error{Code: "bad_code", Err: errors.New("the token answer has no id_token")}
	}
	idt, err := p.Verifier(&oidc.Config{ClientID: o.ClientID}).Verify(ctx, raw)
	if err != nil {
		return Identity{}, &Error{Code: "bad_code", Err: fmt.Errorf("id token: %w", err)}
	}
	if subtle.ConstantTimeCompare([]byte(idt.Nonce), []byte(st.Nonce)) != 1 {
		return Identity{}, &Error{Code: "bad_state", Err: errors.New("the id token's nonce is not this sign-in's")}
	}
	claims := map[string]any{}
	if err := idt.Claims(&claims); err != nil {
		return Identity{}, fmt.Errorf("id token claims: %w", err)
	}
	// Providers put profile claims in the userinfo answer of the code
	// flow rather than in the ID token; ask when there is an endpoint.
	if p.UserInfoEndpoint() != "" {
		ui, err := p.UserInfo(ctx, oauth2.StaticTokenSource(tok))
		if err != nil {
			return Identity{}, fmt.Errorf("openid userinfo: %w", err)
		}
		if ui.Subject != idt.Subject {
			return Identity{}, &Error{Code: "bad_code", Err: errors.New("userinfo names another subject")}
		}
		extra := map[string]any{}
		if err := ui.Claims(&extra); err != nil {
			return Identity{}, fmt.Errorf("userinfo claims: %w", err)
		}
		for k, v := range extra {
			if _, ok := claims[k]; !ok {
				claims[k] = v
			}
		}
	}
	id := Identity{Provider: ProviderOIDC, Subject: idt.Subject, Attributes: map[string][]string{}}
	for k, v := range claims {
		id.Attributes[k] = claimStrings(v)
	}
	id.Username = id.first("preferred_username")
	return id, nil
}

// claimStrings turns a JSON claim into strings: a string, a number, or a
// list of them.
func claimStrings(v any) []string {
	switch v := v.(type) {
	case string:
		return []string{v}
	case float64:
		return []string{strconv.FormatFloat(v, 'f', -1, 64)}
	case bool:
		return []string{strconv.FormatBool(v)}
	case []any:
		var out []string
		for _, x := range v {
			out = append(out, claimStrings(x)...)
		}
		return out
	}
	return nil
}

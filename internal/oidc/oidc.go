// Package oidc signs staff in through the municipality's OpenID Connect providers: the
// authorization code flow with PKCE, state and nonce (golang.org/x/oauth2), and ID tokens
// verified by github.com/coreos/go-oidc (signature, issuer, audience, expiry).
package oidc

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"sync"
	"time"

	gooidc "github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"twintowns/internal/twinning"
)

// Config is one provider as the instance's configuration gives it. The client secret comes
// from the environment or a file, never from the database.
type Config struct {
	ID           string // in URLs: lower-case letters, digits and dashes
	Name         string // on the sign-in button
	Issuer       string
	ClientID     string
	ClientSecret string
	// Scopes are asked besides openid, email and profile (e.g. "groups" for Keycloak).
	Scopes []string
	// GroupsClaim is the claim that lists the person's groups or roles ("groups" by default;
	// "roles" for Entra ID's app roles).
	GroupsClaim string
	// TrustEmail takes the provider's e-mail address as verified when its tokens do not say
	// (Entra ID sends no email_verified): only for the municipality's own directory.
	TrustEmail bool
}

var idRE = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,39}$`)

func (c Config) check() error {
	switch {
	case !idRE.MatchString(c.ID):
		return fmt.Errorf("provider id %q: want lower-case letters, digits and dashes", c.ID)
	case c.Name == "":
		return fmt.Errorf("provider %s: no name", c.ID)
	case c.ClientID == "":
		return fmt.Errorf("provider %s: no client id", c.ID)
	}
	u, err := url.Parse(c.Issuer)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return fmt.Errorf("provider %s: issuer %q is not a URL", c.ID, c.Issuer)
	}
	return nil
}

// FlowLifetime is how long a person has at the provider before the sign-in must start again.
const FlowLifetime = 10 * time.Minute

// Providers are the instance's providers. Each is discovered on first use, so a provider
// that is down does not keep the server from starting or the sign-in page from showing.
type Providers struct {
	list   []*provider
	client *http.Client
	now    func() time.Time
}

type provider struct {
	cfg Config
	mu  sync.Mutex
	op  *gooidc.Provider // nil until discovered
	end string           // end_session_endpoint, if any
}

// Option changes how Providers reach and judge providers (tests).
type Option func(*Providers)

// WithClock makes ID tokens judged by another clock.
func WithClock(now func() time.Time) Option { return func(p *Providers) { p.now = now } }

// New checks the configurations and returns the providers.
func New(cfgs []Config, opts ...Option) (*Providers, error) {
	p := &Providers{client: &http.Client{Timeout: 10 * time.Second}, now: time.Now}
	for _, o := range opts {
		o(p)
	}
	for _, c := range cfgs {
		if err := c.check(); err != nil {
			return nil, err
		}
		if slices.ContainsFunc(p.list, func(o *provider) bool { return o.cfg.ID == c.ID }) {
			return nil, fmt.Errorf("provider %s given twice", c.ID)
		}
		if c.GroupsClaim == "" {
			c.GroupsClaim = "groups"
		}
		p.list = append(p.list, &provider{cfg: c})
	}
	return p, nil
}

// List names the providers, in the order they were configured.
func (p *Providers) List() []twinning.Provider {
	var list []twinning.Provider
	for _, o := range p.list {
		list = append(list, twinning.Provider{ID: o.cfg.ID, Name: o.cfg.Name})
	}
	return list
}

// Issuer and ClientID of a provider, for the administrators' page.
func (p *Providers) Describe(id string) (issuer, clientID, groupsClaim string, ok bool) {
	o := p.find(id)
	if o == nil {
		return "", "", "", false
	}
	return o.cfg.Issuer, o.cfg.ClientID, o.cfg.GroupsClaim, true
}

func (p *Providers) find(id string) *provider {
	for _, o := range p.list {
		if o.cfg.ID == id {
			return o
		}
	}
	return nil
}

func (p *Providers) ctx(ctx context.Context) context.Context {
	return gooidc.ClientContext(ctx, p.client)
}

// discover reads the provider's discovery document once it answers.
func (p *Providers) discover(ctx context.Context, id string) (*provider, error) {
	o := p.find(id)
	if o == nil {
		return nil, twinning.Errorf(twinning.ENOTFOUND, "no provider %q", id)
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.op != nil {
		return o, nil
	}
	ctx, cancel := context.WithTimeout(p.ctx(ctx), 10*time.Second)
	defer cancel()
	op, err := gooidc.NewProvider(ctx, o.cfg.Issuer)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: discovery: %v", twinning.ErrProviderUnavailable, id, err)
	}
	var meta struct {
		EndSession string `json:"end_session_endpoint"`
	}
	_ = op.Claims(&meta)
	o.op, o.end = op, meta.EndSession
	return o, nil
}

func (o *provider) oauth2(redirectURL string) *oauth2.Config {
	return &oauth2.Config{ClientID: o.cfg.ClientID, ClientSecret: o.cfg.ClientSecret, Endpoint: o.op.Endpoint(),
		RedirectURL: redirectURL, Scopes: append([]string{gooidc.ScopeOpenID, "email", "profile"}, o.cfg.Scopes...)}
}

// Start begins a sign-in at provider id that comes back to redirectURL: the URL to send the
// person to, and the flow to keep in their session.
func (p *Providers) Start(ctx context.Context, id, redirectURL string) (string, twinning.SignInFlow, error) {
	o, err := p.discover(ctx, id)
	if err != nil {
		return "", twinning.SignInFlow{}, err
	}
	f := twinning.SignInFlow{Provider: id, State: random(), Nonce: random(), Verifier: oauth2.GenerateVerifier(), Started: time.Now()}
	return o.oauth2(redirectURL).AuthCodeURL(f.State, gooidc.Nonce(f.Nonce), oauth2.S256ChallengeOption(f.Verifier)), f, nil
}

// Finish completes the flow f with the provider's answer q at redirectURL: the state must be
// the flow's, the code is exchanged with the flow's PKCE verifier, and the ID token must be
// signed by the provider, for this client, unexpired and carry the flow's nonce. It returns
// what the token (and, for what it lacks, the user info) says of the person.
func (p *Providers) Finish(ctx context.Context, f twinning.SignInFlow, redirectURL string, q url.Values) (twinning.ProviderClaims, error) {
	var c twinning.ProviderClaims
	refused := func(format string, args ...any) error {
		return fmt.Errorf("%w: %s: %s", twinning.ErrProviderRefused, f.Provider, fmt.Sprintf(format, args...))
	}
	if f.State == "" || subtle.ConstantTimeCompare([]byte(q.Get("state")), []byte(f.State)) != 1 {
		return c, refused("state does not match the sign-in under way")
	}
	if time.Since(f.Started) > FlowLifetime {
		return c, refused("sign-in started %s ago", time.Since(f.Started).Round(time.Second))
	}
	if e := q.Get("error"); e != "" {
		return c, refused("provider answered %s: %s", e, q.Get("error_description"))
	}
	code := q.Get("code")
	if code == "" {
		return c, refused("no code")
	}
	o, err := p.discover(ctx, f.Provider)
	if err != nil {
		return c, err
	}
	ctx = p.ctx(ctx)
	tok, err := o.oauth2(redirectURL).Exchange(ctx, code, oauth2.VerifierOption(f.Verifier))
	if err != nil {
		var re *oauth2.RetrieveError
		if errors.As(err, &re) && re.Response != nil && re.Response.StatusCode < 500 {
			return c, refused("token endpoint: %v", err)
		}
		return c, fmt.Errorf("%w: %s: token endpoint: %v", twinning.ErrProviderUnavailable, f.Provider, err)
	}
	raw, _ := tok.Extra("id_token").(string)
	if raw == "" {
		return c, refused("no ID token")
	}
	idt, err := o.op.Verifier(&gooidc.Config{ClientID: o.cfg.ClientID, Now: p.now}).Verify(ctx, raw)
	if err != nil {
		return c, refused("ID token: %v", err)
	}
	if subtle.ConstantTimeCompare([]byte(idt.Nonce), []byte(f.Nonce)) != 1 {
		return c, refused("ID token nonce does not match")
	}
	claims := map[string]any{}
	if err := idt.Claims(&claims); err != nil {
		return c, refused("ID token claims: %v", err)
	}
	if _, hasEmail := claims["email"]; !hasEmail || claims[o.cfg.GroupsClaim] == nil {
		// what the ID token lacks, the user info may hold (the subject must be the token's)
		if info, err := o.op.UserInfo(ctx, oauth2.StaticTokenSource(tok)); err == nil && info.Subject == idt.Subject {
			more := map[string]any{}
			if info.Claims(&more) == nil {
				for k, v := range more {
					if _, ok := claims[k]; !ok {
						claims[k] = v
					}
				}
			}
		}
	}
	c = twinning.ProviderClaims{Provider: f.Provider, Subject: idt.Subject, IDToken: raw}
	c.Email, _ = claims["email"].(string)
	switch v := claims["email_verified"].(type) {
	case bool:
		c.EmailVerified = v
	case string: // some providers send "true"
		c.EmailVerified = v == "true"
	case nil:
		c.EmailVerified = o.cfg.TrustEmail
	}
	c.Name, _ = claims["name"].(string)
	switch v := claims[o.cfg.GroupsClaim].(type) {
	case string:
		c.Groups = []string{v}
	case []any:
		for _, g := range v {
			if s, ok := g.(string); ok {
				c.Groups = append(c.Groups, s)
			}
		}
	}
	return c, nil
}

// EndSessionURL is where a person signs out at the provider too (RP-initiated logout), and
// then comes back to after; "" when the provider has no end-session endpoint or is down.
func (p *Providers) EndSessionURL(ctx context.Context, id, idToken, after string) string {
	o, err := p.discover(ctx, id)
	if err != nil || o.end == "" {
		return ""
	}
	u, err := url.Parse(o.end)
	if err != nil {
		return ""
	}
	q := u.Query()
	q.Set("client_id", o.cfg.ClientID)
	if idToken != "" {
		q.Set("id_token_hint", idToken)
	}
	if after != "" {
		q.Set("post_logout_redirect_uri", after)
	}
	u.RawQuery = q.Encode()
	return u.String()
}

// random is 32 random bytes, URL-safe: a state or a nonce.
func random() string {
	b := make([]byte, 32)
	rand.Read(b) // never returns an error (crypto/rand, Go 1.24+)
	return base64.RawURLEncoding.EncodeToString(b)
}

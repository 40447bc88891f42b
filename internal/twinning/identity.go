package twinning

import (
	"errors"
	"slices"
	"time"
)

// AttemptCode is a second step of a sign-in: a code of the authenticator app or a recovery
// code. Codes are counted apart from passwords, with a policy of their own.
const AttemptCode AttemptKind = "code"

// SecondFactorPolicy says whose password sign-ins need a second factor.
type SecondFactorPolicy string

// The policies, from the weakest.
const (
	SecondFactorNone           SecondFactorPolicy = "none"
	SecondFactorAdministrators SecondFactorPolicy = "administrators"
	SecondFactorEditors        SecondFactorPolicy = "editors" // editors and administrators
	SecondFactorEveryone       SecondFactorPolicy = "everyone"
)

// SecondFactorPolicies lists every policy, in the order they are offered.
var SecondFactorPolicies = []SecondFactorPolicy{SecondFactorNone, SecondFactorAdministrators, SecondFactorEditors, SecondFactorEveryone}

// Valid reports whether p is one of SecondFactorPolicies.
func (p SecondFactorPolicy) Valid() bool { return slices.Contains(SecondFactorPolicies, p) }

// Requires reports whether the policy asks u for a second factor.
func (p SecondFactorPolicy) Requires(u User) bool {
	switch p {
	case SecondFactorAdministrators:
		return u.Role == RoleAdministrator
	case SecondFactorEditors:
		return u.Role == RoleAdministrator || u.Role == RoleEditor
	case SecondFactorEveryone:
		return true
	}
	return false
}

// Passkey is a WebAuthn credential of an account, with what the specification asks a
// relying party to keep of it.
type Passkey struct {
	ID                int64
	UserID            int64
	Name              string
	RPID              string // the host name it was registered on, and works on
	CredentialID      []byte
	PublicKey         []byte
	SignCount         uint32
	AAGUID            []byte
	Transports        []string
	UserVerified      bool
	BackupEligible    bool
	BackupState       bool
	AttestationType   string
	AttestationFormat string
	CreatedAt         time.Time
	LastUsedAt        *time.Time
}

// MaxPasskeyName is the longest name of a passkey.
const MaxPasskeyName = 100

// SecondFactors is what an account has to prove itself after its password.
type SecondFactors struct {
	TOTP          bool
	TOTPAddedAt   *time.Time
	Passkeys      []Passkey
	RecoveryCodes int // not yet used
}

// Any reports whether there is a second factor to ask for.
func (f SecondFactors) Any() bool { return f.TOTP || len(f.Passkeys) > 0 }

// Identity links an account to a person's account at an OpenID provider.
type Identity struct {
	ID         int64
	UserID     int64
	Provider   string
	Subject    string
	Email      string
	LinkedAt   time.Time
	LastUsedAt time.Time
}

// Provider is an OpenID provider as the staff area names it.
type Provider struct {
	ID   string // in URLs and the database: [a-z0-9-]
	Name string // on the sign-in button
	// EndSession tells whether the provider can end its own session (end_session_endpoint).
	EndSession bool
}

// ProviderClaims is what a provider told of a person in a verified ID token (and its user
// info).
type ProviderClaims struct {
	Provider      string
	Subject       string
	Email         string
	EmailVerified bool
	Name          string
	Groups        []string // the values of the provider's group or role claim
	IDToken       string   // the raw token, for the provider's end-session endpoint
}

// SignInFlow is a sign-in through a provider under way: what the provider's answer must
// match. It lives in the person's session; only State travels in URLs.
type SignInFlow struct {
	Provider string
	State    string
	Nonce    string
	Verifier string // PKCE
	Started  time.Time
}

// ProviderSettings are what administrators set per provider: automatic accounts, and which
// group claim values give which access.
type ProviderSettings struct {
	Provider     string
	AutoAccounts bool
	Rules        []ProviderRule
}

// ProviderRule gives the people of one group (a value of the provider's group claim) a role,
// sites and languages.
type ProviderRule struct {
	ID    int64
	Claim string
	Role  Role
	Sites []int64
	Langs []string
}

// MaxClaimLen is the longest group claim value a rule takes.
const MaxClaimLen = 200

// Access is the account a person's groups give under the rules: the most powerful role of
// the rules that match, with the sites and languages of every matching rule of that role.
// ok is false when no rule matches.
func (s ProviderSettings) Access(groups []string) (u User, ok bool) {
	rank := func(r Role) int { return len(Roles) - slices.Index(Roles, r) }
	for _, r := range s.Rules {
		if !slices.Contains(groups, r.Claim) || !r.Role.Valid() {
			continue
		}
		switch {
		case !ok || rank(r.Role) > rank(u.Role):
			u = User{Role: r.Role, Sites: slices.Clone(r.Sites), Langs: slices.Clone(r.Langs)}
			ok = true
		case r.Role == u.Role:
			u.Sites = append(u.Sites, r.Sites...)
			u.Langs = append(u.Langs, r.Langs...)
		}
	}
	return u.Normalize(), ok
}

// StaffSession is one signed-in session of an account.
type StaffSession struct {
	ID         string
	UserID     int64
	Method     string
	Address    string
	UserAgent  string
	CreatedAt  time.Time
	LastSeenAt time.Time
}

// Ways a session was begun, as staff_sessions.method records them.
const (
	MethodPassword = "password"
	MethodLink     = "link"
	MethodTOTP     = "password+totp"
	MethodPasskey  = "password+passkey"
	MethodRecovery = "password+recovery"
)

// MethodProvider is the method of a session begun through an OpenID provider.
func MethodProvider(id string) string { return "oidc:" + id }

// ByPassword reports whether a session began with a local password, so that the policy of
// second factors applies to it (a provider has its own).
func (s StaffSession) ByPassword() bool {
	return s.Method == MethodPassword || s.Method == MethodLink
}

// Errors of signing in through a provider, each with a page of its own.
var (
	// ErrProviderUnavailable: the provider could not be reached or did not answer as it
	// should; password sign-in still works.
	ErrProviderUnavailable = errors.New("identity provider unavailable")
	// ErrProviderRefused: the provider's answer is not one to trust (state, nonce, audience,
	// expiry, signature) or says the person was not signed in.
	ErrProviderRefused = errors.New("identity provider answer refused")
	// ErrNoAccount: the person signed in at the provider has no account here, and no rule
	// gives them one.
	ErrNoAccount = errors.New("no account for this identity")
)

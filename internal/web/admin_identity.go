package web

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"twintowns/internal/auth"
	"twintowns/internal/twinning"
)

// IdentityStore is what staff identity reads and writes: the sessions of each account, second
// factors, the sign-in policy, accounts at providers and the providers' rules.
type IdentityStore interface {
	StartStaffSession(ctx context.Context, s twinning.StaffSession, idle time.Duration) error
	StaffSession(ctx context.Context, id string) (twinning.StaffSession, error)
	StaffSessions(ctx context.Context, userID int64, idle time.Duration) ([]twinning.StaffSession, error)
	EndStaffSession(ctx context.Context, id string) error
	EndOtherSessions(ctx context.Context, userID int64, keepSession string, by twinning.Actor) (int64, error)

	SecondFactorPolicy(ctx context.Context) (twinning.SecondFactorPolicy, error)
	SetSecondFactorPolicy(ctx context.Context, p twinning.SecondFactorPolicy, by twinning.Actor) error
	SecondFactors(ctx context.Context, userID int64) (twinning.SecondFactors, error)
	TOTPSecret(ctx context.Context, userID int64) (string, int64, error)
	UseTOTPStep(ctx context.Context, userID, step int64) (bool, error)
	EnableTOTP(ctx context.Context, userID int64, secret string, step int64, recovery [][]byte, keepSession string, by twinning.Actor) (int64, error)
	DisableTOTP(ctx context.Context, userID int64, keepSession string, by twinning.Actor) (int64, error)
	AddPasskey(ctx context.Context, userID int64, p twinning.Passkey, recovery [][]byte, keepSession string, by twinning.Actor) (int64, error)
	RemovePasskey(ctx context.Context, userID, passkeyID int64, keepSession string, by twinning.Actor) (int64, error)
	UsePasskey(ctx context.Context, p twinning.Passkey) error
	NewRecoveryCodes(ctx context.Context, userID int64, hashes [][]byte, keepSession string, by twinning.Actor) (int64, error)
	UseRecoveryCode(ctx context.Context, userID int64, hash []byte, by twinning.Actor) (bool, int64, error)
	RemoveSecondFactors(ctx context.Context, userID int64, by twinning.Actor) error
	WebAuthnHandle(ctx context.Context, userID int64) ([]byte, error)

	ProviderAccount(ctx context.Context, c twinning.ProviderClaims, address string) (twinning.User, error)
	Identities(ctx context.Context, userID int64) ([]twinning.Identity, error)
	Unlink(ctx context.Context, userID, identityID int64, by twinning.Actor) error
	ProviderSettings(ctx context.Context, provider string) (twinning.ProviderSettings, error)
	SetProviderAutoAccounts(ctx context.Context, provider string, on bool, by twinning.Actor) error
	AddProviderRule(ctx context.Context, provider string, r twinning.ProviderRule, by twinning.Actor) error
	DeleteProviderRule(ctx context.Context, provider string, id int64, by twinning.Actor) error

	SaveProfile(ctx context.Context, userID int64, name, staffLang string, by twinning.Actor) error
	SetStaffLang(ctx context.Context, userID int64, lang string) error
	ChangePassword(ctx context.Context, userID int64, hash, keepSession string, by twinning.Actor) (int64, error)
}

// Providers are the OpenID providers staff may sign in with (package oidc).
type Providers interface {
	List() []twinning.Provider
	Describe(id string) (issuer, clientID, groupsClaim string, ok bool)
	Start(ctx context.Context, id, redirectURL string) (string, twinning.SignInFlow, error)
	Finish(ctx context.Context, f twinning.SignInFlow, redirectURL string, q url.Values) (twinning.ProviderClaims, error)
	EndSessionURL(ctx context.Context, id, idToken, after string) string
}

// Session keys of staff identity.
const (
	sessionIDKey       = "sid"      // the row of staff_sessions
	sessionProviderKey = "provider" // the provider the session began with, if any
	sessionIDTokenKey  = "id_token" // its ID token, for its end-session endpoint
	// a password was right and a second factor is asked
	pendingUserKey  = "pending_user"
	pendingEpochKey = "pending_epoch"
	pendingAtKey    = "pending_at"
	pendingTriesKey = "pending_tries"
	// ceremonies under way
	webauthnKey   = "webauthn"    // a passkey's registration or sign-in
	totpSecretKey = "totp_secret" // an authenticator app being set up
)

// newSessionID is the random id of a staff session's row.
func newSessionID() string {
	b := make([]byte, 18)
	rand.Read(b) // never returns an error (crypto/rand, Go 1.24+)
	return base64.RawURLEncoding.EncodeToString(b)
}

// currentSession is the id of the request's staff session.
func currentSession(r *http.Request) string { return session(r).GetString(r.Context(), sessionIDKey) }

// keepSession carries the request's session over to the account's new epoch, after a change
// that ended the account's other sessions.
func keepSession(r *http.Request, epoch int64) {
	session(r).Put(r.Context(), sessionEpochKey, epoch)
}

// staffOrigin is the origin the browser sees for the staff area: passkeys and a provider's
// callback belong to the host name the person uses.
func (s *Server) staffOrigin(r *http.Request) string {
	scheme := "http"
	if s.isTLS(r) {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// passkeyParty is the relying party of the request's host.
func (s *Server) passkeyParty(r *http.Request) auth.PasskeyParty {
	host := r.Host
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	return auth.PasskeyParty{ID: strings.ToLower(host), Origin: s.staffOrigin(r), Name: "twintowns"}
}

// enrolPaths are the staff pages a person the policy asks for a second factor may open
// before they have one: their profile, where they set one up.
func enrolPath(path string) bool {
	return path == "/admin/profile" || strings.HasPrefix(path, "/admin/profile/totp") || strings.HasPrefix(path, "/admin/profile/passkeys") ||
		strings.HasPrefix(path, "/admin/profile/recovery-codes")
}

// needsSecondFactor tells whether the policy asks u, signed in with a password only, to set
// up a second factor before anything else.
func (s *Server) needsSecondFactor(ctx context.Context, u twinning.User, st twinning.StaffSession) (bool, error) {
	if u.SecondFactor || !st.ByPassword() {
		return false, nil
	}
	p, err := s.identity.SecondFactorPolicy(ctx)
	if err != nil {
		return false, err
	}
	return p.Requires(u), nil
}

// scriptCSP is the content security policy of the few staff pages that run the product's
// own script (passkeys need the browser's WebAuthn API): the site's policy, plus scripts of
// this origin.
var scriptCSP = []string{strings.Replace(securityHeaderValues.Get("Content-Security-Policy"),
	"default-src 'none';", "default-src 'none'; script-src 'self';", 1)}

// allowScript lets a page run the product's own scripts.
func allowScript(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header()["Content-Security-Policy"] = scriptCSP
		next.ServeHTTP(w, r)
	})
}

// rememberStaffLang makes lang the staff language of the signed-in person, if any: the
// switcher of the staff area changes their preference, which otherwise would override it.
func (s *Server) rememberStaffLang(r *http.Request, lang string) error {
	ctx := r.Context()
	id := session(r).GetInt64(ctx, sessionUserKey)
	if id == 0 {
		return nil
	}
	u, err := s.admin.UserByID(ctx, id)
	if twinning.ErrorCode(err) == twinning.ENOTFOUND || (err == nil && (u.SessionEpoch != session(r).GetInt64(ctx, sessionEpochKey) || u.StaffLang == "" || u.StaffLang == lang)) {
		return nil // no one signed in, or no preference to change
	}
	if err != nil {
		return err
	}
	return s.identity.SetStaffLang(ctx, id, lang)
}

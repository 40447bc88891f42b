package auth

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/go-webauthn/webauthn/protocol"
	"github.com/go-webauthn/webauthn/webauthn"

	"twintowns/internal/twinning"
)

// PasskeyParty is the relying party of a request: passkeys belong to a host name, so each
// site's host is a party of its own.
type PasskeyParty struct {
	ID     string // the host name
	Origin string // scheme://host[:port] of the staff area
	Name   string // shown by the browser
}

// PasskeyUser is an account as WebAuthn sees it: its handle (random, never shown), names
// and the passkeys it has on the party's host.
type PasskeyUser struct {
	Handle      []byte
	Name        string
	DisplayName string
	Passkeys    []twinning.Passkey
}

func (u PasskeyUser) WebAuthnID() []byte          { return u.Handle }
func (u PasskeyUser) WebAuthnName() string        { return u.Name }
func (u PasskeyUser) WebAuthnDisplayName() string { return u.DisplayName }
func (u PasskeyUser) WebAuthnCredentials() []webauthn.Credential {
	cs := make([]webauthn.Credential, len(u.Passkeys))
	for i, p := range u.Passkeys {
		transports := make([]protocol.AuthenticatorTransport, len(p.Transports))
		for j, t := range p.Transports {
			transports[j] = protocol.AuthenticatorTransport(t)
		}
		cs[i] = webauthn.Credential{ID: p.CredentialID, PublicKey: p.PublicKey, AttestationType: p.AttestationType,
			AttestationFormat: p.AttestationFormat, Transport: transports,
			Flags:         webauthn.CredentialFlags{UserPresent: true, UserVerified: p.UserVerified, BackupEligible: p.BackupEligible, BackupState: p.BackupState},
			Authenticator: webauthn.Authenticator{AAGUID: p.AAGUID, SignCount: p.SignCount}}
	}
	return cs
}

// passkeyTimeout is how long a person has to use their authenticator.
const passkeyTimeout = 5 * time.Minute

// ErrPasskey is a passkey ceremony that did not prove anything: cancelled, for another
// challenge, host or account, or a signature that does not verify.
var ErrPasskey = errors.New("auth: passkey not accepted")

func (rp PasskeyParty) webauthn() (*webauthn.WebAuthn, error) {
	return webauthn.New(&webauthn.Config{RPID: rp.ID, RPDisplayName: rp.Name, RPOrigins: []string{rp.Origin},
		Timeouts: webauthn.TimeoutsConfig{
			Login:        webauthn.TimeoutConfig{Enforce: true, Timeout: passkeyTimeout},
			Registration: webauthn.TimeoutConfig{Enforce: true, Timeout: passkeyTimeout},
		}})
}

// BeginPasskeyRegistration returns the options for the browser's navigator.credentials.create
// (JSON) and the ceremony's state to keep in the session until it ends. The account's passkeys
// are excluded, so that one authenticator is not registered twice.
func BeginPasskeyRegistration(rp PasskeyParty, u PasskeyUser) (options, state []byte, err error) {
	w, err := rp.webauthn()
	if err != nil {
		return nil, nil, err
	}
	var exclude []protocol.CredentialDescriptor
	for _, c := range u.WebAuthnCredentials() {
		exclude = append(exclude, c.Descriptor())
	}
	creation, session, err := w.BeginRegistration(u, webauthn.WithExclusions(exclude),
		webauthn.WithResidentKeyRequirement(protocol.ResidentKeyRequirementPreferred))
	if err != nil {
		return nil, nil, fmt.Errorf("auth: begin passkey registration: %w", err)
	}
	return marshalCeremony(creation, session)
}

// FinishPasskeyRegistration checks the browser's answer (JSON of the PublicKeyCredential)
// against the ceremony's state and returns the new passkey, unnamed.
func FinishPasskeyRegistration(rp PasskeyParty, u PasskeyUser, state, response []byte) (twinning.Passkey, error) {
	w, session, err := rp.ceremony(state)
	if err != nil {
		return twinning.Passkey{}, err
	}
	parsed, err := protocol.ParseCredentialCreationResponseBytes(response)
	if err != nil {
		return twinning.Passkey{}, fmt.Errorf("%w: %v", ErrPasskey, err)
	}
	c, err := w.CreateCredential(u, session, parsed)
	if err != nil {
		return twinning.Passkey{}, fmt.Errorf("%w: %v", ErrPasskey, err)
	}
	p := twinning.Passkey{RPID: rp.ID, CredentialID: c.ID, PublicKey: c.PublicKey, SignCount: c.Authenticator.SignCount,
		AAGUID: c.Authenticator.AAGUID, UserVerified: c.Flags.UserVerified, BackupEligible: c.Flags.BackupEligible,
		BackupState: c.Flags.BackupState, AttestationType: c.AttestationType, AttestationFormat: c.AttestationFormat}
	for _, t := range c.Transport {
		p.Transports = append(p.Transports, string(t))
	}
	return p, nil
}

// BeginPasskeyLogin returns the options for navigator.credentials.get (JSON), allowing the
// account's passkeys of the party, and the ceremony's state.
func BeginPasskeyLogin(rp PasskeyParty, u PasskeyUser) (options, state []byte, err error) {
	w, err := rp.webauthn()
	if err != nil {
		return nil, nil, err
	}
	assertion, session, err := w.BeginLogin(u)
	if err != nil {
		return nil, nil, fmt.Errorf("auth: begin passkey sign-in: %w", err)
	}
	return marshalCeremony(assertion, session)
}

// FinishPasskeyLogin checks the browser's answer against the ceremony's state and returns
// the passkey used, with its new signature counter. An authenticator whose counter went back
// (a copy of the key may exist) is refused.
func FinishPasskeyLogin(rp PasskeyParty, u PasskeyUser, state, response []byte) (twinning.Passkey, error) {
	w, session, err := rp.ceremony(state)
	if err != nil {
		return twinning.Passkey{}, err
	}
	parsed, err := protocol.ParseCredentialRequestResponseBytes(response)
	if err != nil {
		return twinning.Passkey{}, fmt.Errorf("%w: %v", ErrPasskey, err)
	}
	c, err := w.ValidateLogin(u, session, parsed)
	if err != nil {
		return twinning.Passkey{}, fmt.Errorf("%w: %v", ErrPasskey, err)
	}
	if c.Authenticator.CloneWarning {
		return twinning.Passkey{}, fmt.Errorf("%w: signature counter went back", ErrPasskey)
	}
	for _, p := range u.Passkeys {
		if bytes.Equal(p.CredentialID, c.ID) {
			p.SignCount = c.Authenticator.SignCount
			p.BackupState = c.Flags.BackupState
			return p, nil
		}
	}
	return twinning.Passkey{}, ErrPasskey
}

func marshalCeremony(options any, session *webauthn.SessionData) ([]byte, []byte, error) {
	o, err := json.Marshal(options)
	if err != nil {
		return nil, nil, err
	}
	s, err := json.Marshal(session)
	return o, s, err
}

func (rp PasskeyParty) ceremony(state []byte) (*webauthn.WebAuthn, webauthn.SessionData, error) {
	var session webauthn.SessionData
	if len(state) == 0 || json.Unmarshal(state, &session) != nil {
		return nil, session, fmt.Errorf("%w: no ceremony under way", ErrPasskey)
	}
	w, err := rp.webauthn()
	return w, session, err
}

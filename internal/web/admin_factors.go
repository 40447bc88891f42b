package web

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"time"

	"twintowns/internal/auth"
	"twintowns/internal/locale"
	"twintowns/internal/twinning"
	"twintowns/templates/admin"
)

// handleTOTPForm begins setting up an authenticator app: a new secret, kept in the session
// until the person types the app's first code, shown as a QR code and as text.
func (s *Server) handleTOTPForm(w http.ResponseWriter, r *http.Request) error {
	u := currentUser(r)
	secret, _, err := s.identity.TOTPSecret(r.Context(), u.ID)
	if err != nil {
		return err
	}
	if secret != "" {
		http.Redirect(w, r, "/admin/profile#second-factor", http.StatusSeeOther)
		return nil
	}
	return s.totpPage(w, r, http.StatusOK, "", true)
}

// totpPage shows the setup of an authenticator app; fresh makes a new secret, else the one
// of the session is shown again (after a wrong code).
func (s *Server) totpPage(w http.ResponseWriter, r *http.Request, status int, message string, fresh bool) error {
	ctx := r.Context()
	u := currentUser(r)
	secret := session(r).GetString(ctx, totpSecretKey)
	issuer := locale.From(ctx).T("admin.name")
	var qr string
	var err error
	if fresh || secret == "" {
		secret, qr, err = auth.NewTOTP(issuer, u.Email)
		session(r).Put(ctx, totpSecretKey, secret)
	} else {
		qr, err = auth.TOTPQRCode(issuer, u.Email, secret)
	}
	if err != nil {
		return err
	}
	s.page(w, r, status, admin.TOTPSetupPage(s.frame(r, "admin.totp.title"), admin.TOTPSetup{QR: qr, Secret: auth.GroupSecret(secret), Message: message}))
	return nil
}

// handleTOTPEnable checks the app's first code and stores the secret; the first second
// factor of an account comes with recovery codes, shown once.
func (s *Server) handleTOTPEnable(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u := currentUser(r)
	secret := session(r).GetString(ctx, totpSecretKey)
	if secret == "" {
		http.Redirect(w, r, "/admin/profile/totp", http.StatusSeeOther)
		return nil
	}
	step, ok := auth.CheckTOTP(secret, r.PostFormValue("code"), time.Now(), 0)
	if !ok {
		return s.totpPage(w, r, http.StatusUnprocessableEntity, "admin.totp.wrong", false)
	}
	codes, hashes, err := s.firstRecoveryCodes(ctx, u)
	if err != nil {
		return err
	}
	epoch, err := s.identity.EnableTOTP(ctx, u.ID, secret, step, hashes, currentSession(r), s.actor(r))
	if err != nil {
		return err
	}
	session(r).Remove(ctx, totpSecretKey)
	return s.factorAdded(w, r, epoch, codes, "admin.totp.added")
}

// firstRecoveryCodes are new recovery codes for an account that has none left, else nil.
func (s *Server) firstRecoveryCodes(ctx context.Context, u twinning.User) ([]string, [][]byte, error) {
	f, err := s.identity.SecondFactors(ctx, u.ID)
	if err != nil || f.RecoveryCodes > 0 {
		return nil, nil, err
	}
	codes, hashes := auth.NewRecoveryCodes()
	return codes, hashes, nil
}

// factorAdded goes on after a second factor was added: the session carries on under the new
// epoch, and new recovery codes, if any, are shown once.
func (s *Server) factorAdded(w http.ResponseWriter, r *http.Request, epoch int64, codes []string, messageID string) error {
	keepSession(r, epoch)
	if codes != nil {
		s.page(w, r, http.StatusOK, admin.RecoveryCodesPage(s.frame(r, "admin.recovery.title"), codes, messageID))
		return nil
	}
	flash(r, messageID)
	http.Redirect(w, r, "/admin/profile#second-factor", http.StatusSeeOther)
	return nil
}

// handleTOTPDisable removes the person's authenticator app.
func (s *Server) handleTOTPDisable(w http.ResponseWriter, r *http.Request) error {
	if err := s.lastFactorGuard(r, func(f twinning.SecondFactors) bool { return len(f.Passkeys) > 0 }); err != nil {
		return s.profileRefused(w, r, err)
	}
	epoch, err := s.identity.DisableTOTP(r.Context(), currentUser(r).ID, currentSession(r), s.actor(r))
	if err != nil {
		return err
	}
	keepSession(r, epoch)
	flash(r, "admin.totp.removed")
	http.Redirect(w, r, "/admin/profile#second-factor", http.StatusSeeOther)
	return nil
}

// errLastFactor is the removal of the last second factor of a person the policy asks to
// have one.
var errLastFactor = errors.New("the last second factor is required")

// lastFactorGuard refuses the removal of a second factor when the policy requires one and
// others (what remains reports whether any does) do not remain.
func (s *Server) lastFactorGuard(r *http.Request, remains func(twinning.SecondFactors) bool) error {
	ctx := r.Context()
	u := currentUser(r)
	p, err := s.identity.SecondFactorPolicy(ctx)
	if err != nil || !p.Requires(u) {
		return err
	}
	f, err := s.identity.SecondFactors(ctx, u.ID)
	if err != nil {
		return err
	}
	if !remains(f) {
		return errLastFactor
	}
	return nil
}

// profileRefused shows the profile with why a change was refused.
func (s *Server) profileRefused(w http.ResponseWriter, r *http.Request, err error) error {
	if !errors.Is(err, errLastFactor) {
		return err
	}
	return s.profilePage(w, r, http.StatusConflict, admin.Form{Errors: twinning.FieldErrors{twinning.Fact("second_factor"): "admin.profile.last_factor"}})
}

// handlePasskeyAdd stores the passkey the person's browser registered for the challenge of
// the profile page, under the name they gave it.
func (s *Server) handlePasskeyAdd(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u := currentUser(r)
	name := strings.TrimSpace(r.PostFormValue("passkey_name"))
	state := session(r).PopBytes(ctx, webauthnKey)
	fail := func(messageID string) error {
		return s.profilePage(w, r, http.StatusUnprocessableEntity, admin.Form{
			Values: map[twinning.FieldKey]string{twinning.Fact("passkey_name"): name},
			Errors: twinning.FieldErrors{twinning.Fact("passkey_name"): messageID}})
	}
	if name == "" {
		return fail("admin.passkey.name_missing")
	}
	if len([]rune(name)) > twinning.MaxPasskeyName {
		return fail("validation.too_long")
	}
	pu, _, err := s.passkeyUser(ctx, r, u)
	if err != nil {
		return err
	}
	p, err := auth.FinishPasskeyRegistration(s.passkeyParty(r), pu, state, []byte(r.PostFormValue("credential")))
	if errors.Is(err, auth.ErrPasskey) {
		s.log.WarnContext(ctx, "passkey not registered", "email", u.Email, "err", err)
		return fail("admin.passkey.failed")
	}
	if err != nil {
		return err
	}
	p.Name = name
	codes, hashes, err := s.firstRecoveryCodes(ctx, u)
	if err != nil {
		return err
	}
	epoch, err := s.identity.AddPasskey(ctx, u.ID, p, hashes, currentSession(r), s.actor(r))
	if err != nil {
		return err
	}
	return s.factorAdded(w, r, epoch, codes, "admin.passkey.registered")
}

// handlePasskeyRemove removes one of the person's passkeys.
func (s *Server) handlePasskeyRemove(w http.ResponseWriter, r *http.Request) error {
	id, err := idParam(r, "id")
	if err != nil {
		return err
	}
	if err := s.lastFactorGuard(r, func(f twinning.SecondFactors) bool { return f.TOTP || len(f.Passkeys) > 1 }); err != nil {
		return s.profileRefused(w, r, err)
	}
	epoch, err := s.identity.RemovePasskey(r.Context(), currentUser(r).ID, id, currentSession(r), s.actor(r))
	if err != nil {
		return err
	}
	keepSession(r, epoch)
	flash(r, "admin.passkey.removed")
	http.Redirect(w, r, "/admin/profile#second-factor", http.StatusSeeOther)
	return nil
}

// handleRecoveryCodesNew replaces the person's recovery codes and shows the new ones once.
func (s *Server) handleRecoveryCodesNew(w http.ResponseWriter, r *http.Request) error {
	u := currentUser(r)
	if !u.SecondFactor {
		http.Redirect(w, r, "/admin/profile#second-factor", http.StatusSeeOther)
		return nil
	}
	codes, hashes := auth.NewRecoveryCodes()
	epoch, err := s.identity.NewRecoveryCodes(r.Context(), u.ID, hashes, currentSession(r), s.actor(r))
	if err != nil {
		return err
	}
	return s.factorAdded(w, r, epoch, codes, "admin.recovery.renewed")
}

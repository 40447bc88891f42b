package web

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"time"

	"twintowns/internal/auth"
	"twintowns/internal/twinning"
	"twintowns/templates/admin"
)

// Limits of the second step of a sign-in: after the right password, a person has this long
// and this many tries to give a second factor, then signs in again from the start.
const (
	pendingLifetime = 5 * time.Minute
	pendingTries    = 5
)

// passwordAccepted goes on from a right password (method: a sign-in or a one-time link): an
// account with a second factor is asked for it, any other is signed in. It returns where the
// person goes next.
func (s *Server) passwordAccepted(r *http.Request, u twinning.User, method string) (string, error) {
	ctx := r.Context()
	if !u.SecondFactor {
		return "/admin/", s.signIn(r, u, method)
	}
	if err := session(r).RenewToken(ctx); err != nil {
		return "", err
	}
	session(r).Put(ctx, pendingUserKey, u.ID)
	session(r).Put(ctx, pendingEpochKey, u.SessionEpoch)
	session(r).Put(ctx, pendingAtKey, time.Now().Unix())
	session(r).Put(ctx, pendingTriesKey, 0)
	return "/admin/login/verify", nil
}

// pendingUser is the account whose password was right and whose second factor is asked, if
// the request has one still in time.
func (s *Server) pendingUser(r *http.Request) (twinning.User, bool, error) {
	ctx := r.Context()
	id := session(r).GetInt64(ctx, pendingUserKey)
	at := time.Unix(session(r).GetInt64(ctx, pendingAtKey), 0)
	if id == 0 || time.Since(at) > pendingLifetime || session(r).GetInt(ctx, pendingTriesKey) >= pendingTries {
		return twinning.User{}, false, nil
	}
	u, err := s.admin.UserByID(ctx, id)
	if twinning.ErrorCode(err) == twinning.ENOTFOUND {
		return u, false, nil
	}
	if err != nil {
		return u, false, err
	}
	if u.DisabledAt != nil || u.SessionEpoch != session(r).GetInt64(ctx, pendingEpochKey) {
		return u, false, nil
	}
	return u, true, nil
}

// handleVerifyForm asks for the second factor.
func (s *Server) handleVerifyForm(w http.ResponseWriter, r *http.Request) error {
	u, ok, err := s.pendingUser(r)
	if err != nil {
		return err
	}
	if !ok {
		return s.startAgain(w, r)
	}
	return s.verifyPage(w, r, http.StatusOK, u, "", "")
}

// startAgain sends a person whose second step is over (too late, too many tries) back to
// the sign-in form.
func (s *Server) startAgain(w http.ResponseWriter, r *http.Request) error {
	if session(r).GetInt64(r.Context(), pendingUserKey) != 0 {
		for _, k := range []string{pendingUserKey, pendingEpochKey, pendingAtKey, pendingTriesKey, webauthnKey} {
			session(r).Remove(r.Context(), k)
		}
		flash(r, "admin.verify.start_again")
	}
	http.Redirect(w, r, "/admin/login", http.StatusSeeOther)
	return nil
}

// verifyPage shows the ways u can prove themselves: the app's code, a passkey of this host, a
// recovery code. message is what went wrong with field.
func (s *Server) verifyPage(w http.ResponseWriter, r *http.Request, status int, u twinning.User, field, message string) error {
	ctx := r.Context()
	pu, f, err := s.passkeyUser(ctx, r, u)
	if err != nil {
		return err
	}
	p := admin.VerifyPage{TOTP: f.TOTP, Field: field, Message: message}
	if len(pu.Passkeys) > 0 {
		if options, state, err := auth.BeginPasskeyLogin(s.passkeyParty(r), pu); err == nil {
			session(r).Put(ctx, webauthnKey, state)
			p.PasskeyOptions = string(options)
			p.PasskeyScript = s.assets.url("js/passkey.js")
		}
	}
	fr := s.frame(r, "admin.verify.title")
	if p.PasskeyScript != "" {
		fr.Scripts = []string{p.PasskeyScript}
	}
	s.page(w, r, status, admin.SecondFactorPage(fr, p))
	return nil
}

// passkeyUser is u as WebAuthn sees it on the request's host: its handle and the passkeys it
// registered there; and all of u's second factors.
func (s *Server) passkeyUser(ctx context.Context, r *http.Request, u twinning.User) (auth.PasskeyUser, twinning.SecondFactors, error) {
	f, err := s.identity.SecondFactors(ctx, u.ID)
	if err != nil {
		return auth.PasskeyUser{}, f, err
	}
	handle, err := s.identity.WebAuthnHandle(ctx, u.ID)
	if err != nil {
		return auth.PasskeyUser{}, f, err
	}
	name := u.Name
	if name == "" {
		name = u.Email
	}
	pu := auth.PasskeyUser{Handle: handle, Name: u.Email, DisplayName: name}
	rp := s.passkeyParty(r).ID
	for _, p := range f.Passkeys {
		if p.RPID == rp {
			pu.Passkeys = append(pu.Passkeys, p)
		}
	}
	return pu, f, nil
}

// secondStep is the account of the request's second step of a sign-in, counting one more
// try; when there is none any more (too late, too many tries) it has sent the person back to
// the sign-in form and ok is false.
func (s *Server) secondStep(w http.ResponseWriter, r *http.Request) (u twinning.User, ok bool, err error) {
	if u, ok, err = s.pendingUser(r); err != nil || !ok {
		if err == nil {
			err = s.startAgain(w, r)
		}
		return u, false, err
	}
	session(r).Put(r.Context(), pendingTriesKey, session(r).GetInt(r.Context(), pendingTriesKey)+1)
	return u, true, nil
}

// handleVerify checks a code of the authenticator app or a recovery code, throttled like
// passwords (auth.CodeThrottle): each try counts against the account and the address.
func (s *Server) handleVerify(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u, ok, err := s.secondStep(w, r)
	if !ok {
		return err
	}
	code, recovery := r.PostFormValue("code"), r.PostFormValue("recovery")
	field := "code"
	if recovery != "" {
		field = "recovery"
	}
	if (code == "" && recovery == "") || len(code) > 20 || len(recovery) > 40 {
		return s.verifyPage(w, r, http.StatusUnprocessableEntity, u, field, "admin.verify.missing")
	}
	method := twinning.MethodTOTP
	var epoch int64
	ok, retry, err := s.attempt(ctx, twinning.Attempt{Kind: twinning.AttemptCode, Email: u.Email, Address: s.clientAddress(r)},
		auth.CodeThrottle, &u.ID, func() (bool, error) {
			if recovery != "" {
				method = twinning.MethodRecovery
				ok, e, err := s.identity.UseRecoveryCode(ctx, u.ID, auth.RecoveryCodeHash(recovery), s.actorOf(r, u))
				epoch = e
				return ok, err
			}
			secret, last, err := s.identity.TOTPSecret(ctx, u.ID)
			if err != nil || secret == "" {
				return false, err
			}
			step, ok := auth.CheckTOTP(secret, code, time.Now(), last)
			if !ok {
				return false, nil
			}
			return s.identity.UseTOTPStep(ctx, u.ID, step)
		})
	if err != nil {
		return err
	}
	switch {
	case retry > 0: // refused by the throttle
		w.Header().Set("Retry-After", strconv.Itoa(int(retry.Seconds())))
		return s.verifyPage(w, r, http.StatusTooManyRequests, u, field, "admin.verify.locked")
	case !ok:
		if session(r).GetInt(ctx, pendingTriesKey) >= pendingTries {
			return s.startAgain(w, r)
		}
		return s.verifyPage(w, r, http.StatusUnauthorized, u, field, "admin.verify.wrong")
	}
	if method == twinning.MethodRecovery {
		u.SessionEpoch = epoch // the recovery ended the account's sessions
		flash(r, "admin.verify.recovery_used")
	}
	if err := s.signIn(r, u, method); err != nil {
		return err
	}
	http.Redirect(w, r, "/admin/", http.StatusSeeOther)
	return nil
}

// handleVerifyPasskey checks the answer of the person's authenticator to the challenge of
// the page.
func (s *Server) handleVerifyPasskey(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u, ok, err := s.secondStep(w, r)
	if !ok {
		return err
	}
	pu, _, err := s.passkeyUser(ctx, r, u)
	if err != nil {
		return err
	}
	state := session(r).PopBytes(ctx, webauthnKey)
	used, err := auth.FinishPasskeyLogin(s.passkeyParty(r), pu, state, []byte(r.PostFormValue("credential")))
	if errors.Is(err, auth.ErrPasskey) {
		s.log.WarnContext(ctx, "passkey refused", "email", u.Email, "err", err)
		_ = s.admin.RecordSignIn(ctx, u.Email, s.clientAddress(r), &u.ID, "sign_in_failed", "passkey")
		if session(r).GetInt(ctx, pendingTriesKey) >= pendingTries {
			return s.startAgain(w, r)
		}
		return s.verifyPage(w, r, http.StatusUnauthorized, u, "passkey", "admin.verify.passkey_failed")
	}
	if err != nil {
		return err
	}
	if err := s.identity.UsePasskey(ctx, used); err != nil {
		return err
	}
	if err := s.signIn(r, u, twinning.MethodPasskey); err != nil {
		return err
	}
	if err := s.admin.RecordSignIn(ctx, u.Email, s.clientAddress(r), &u.ID, "sign_in", "passkey "+used.Name); err != nil {
		return err
	}
	http.Redirect(w, r, "/admin/", http.StatusSeeOther)
	return nil
}

// actorOf is u making a change of their own account before they are signed in.
func (s *Server) actorOf(r *http.Request, u twinning.User) twinning.Actor {
	return twinning.Actor{UserID: u.ID, Email: u.Email, Address: s.clientAddress(r)}
}

// attempt judges, checks and records one attempt under the throttle t: the attempts of its
// kind that failed recently may refuse it (retryAfter > 0 says when to come back) or slow it;
// check says whether it proves what it claims. *userID is the account's once known (0 for
// none): check may fill it. An attempt that check could not judge (an error: no turn to hash
// a password, the client gone) is no failure.
func (s *Server) attempt(ctx context.Context, att twinning.Attempt, t auth.Throttle, userID *int64, check func() (bool, error)) (ok bool, retryAfter time.Duration, err error) {
	account := func() *int64 {
		if *userID == 0 {
			return nil
		}
		return userID
	}
	var v auth.Verdict
	id, err := s.admin.BeginAttempt(ctx, att, time.Now().Add(-t.Window), func(f twinning.Failures) bool {
		v = t.Decide(f)
		return !v.Refused
	})
	if err != nil {
		return false, 0, err
	}
	if v.Refused {
		s.log.WarnContext(ctx, "attempt refused: too many failures", "kind", att.Kind, "email", att.Email, "address", att.Address, "reason", v.Reason)
		detail := v.Reason
		if att.Kind != twinning.AttemptPassword {
			detail = string(att.Kind) + " " + v.Reason
		}
		return false, v.RetryAfter, s.admin.RecordSignIn(ctx, att.Email, att.Address, account(), "sign_in_refused", detail)
	}
	unchecked := func(why error) (bool, time.Duration, error) {
		if err := s.admin.FinishAttempt(context.WithoutCancel(ctx), id, att, account(), twinning.AttemptUnchecked); err != nil {
			return false, 0, err
		}
		return false, 0, why
	}
	if v.Delay > 0 {
		select {
		case <-time.After(v.Delay):
		case <-ctx.Done(): // the client went away: nothing was checked
			return unchecked(ctx.Err())
		}
	}
	if ok, err = check(); err != nil {
		return unchecked(err)
	}
	outcome := twinning.AttemptSucceeded
	if !ok {
		outcome = twinning.AttemptFailed
		s.log.WarnContext(ctx, "attempt failed", "kind", att.Kind, "email", att.Email, "address", att.Address)
	}
	return ok, 0, s.admin.FinishAttempt(ctx, id, att, account(), outcome)
}

package web

import (
	"errors"
	"net/http"
	"time"

	"github.com/go-chi/chi/v5"

	"twintowns/internal/twinning"
	"twintowns/templates/admin"
)

// Session keys of a sign-in through a provider under way.
const (
	flowProviderKey = "oidc_provider"
	flowStateKey    = "oidc_state"
	flowNonceKey    = "oidc_nonce"
	flowVerifierKey = "oidc_verifier"
	flowStartedKey  = "oidc_started"
)

// loginPage is the sign-in form: the instance's providers and, unless turned off, email and
// password; message is the ID of what went wrong.
func (s *Server) loginPage(w http.ResponseWriter, r *http.Request, status int, email, message string) {
	var providers []twinning.Provider
	if s.opts.Providers != nil {
		providers = s.opts.Providers.List()
	}
	s.page(w, r, status, admin.LoginPage(s.frame(r, "admin.login.title"),
		admin.Login{Email: email, Message: message, Providers: providers, Passwords: !s.opts.NoPasswords}))
}

// callbackURL is where provider id sends the person back: on the host they came from, since
// their session cookie is that host's. Each site's callback is registered at the provider.
func (s *Server) callbackURL(r *http.Request, id string) string {
	return s.staffOrigin(r) + "/admin/oidc/" + id + "/callback"
}

// handleOIDCStart sends the person to the provider, keeping the flow (state, nonce, PKCE
// verifier) in their session.
func (s *Server) handleOIDCStart(w http.ResponseWriter, r *http.Request) error {
	id := chi.URLParam(r, "provider")
	if s.opts.Providers == nil {
		return twinning.Errorf(twinning.ENOTFOUND, "no providers")
	}
	to, f, err := s.opts.Providers.Start(r.Context(), id, s.callbackURL(r, id))
	if err != nil {
		return s.providerFailed(w, r, id, err)
	}
	ctx := r.Context()
	session(r).Put(ctx, flowProviderKey, f.Provider)
	session(r).Put(ctx, flowStateKey, f.State)
	session(r).Put(ctx, flowNonceKey, f.Nonce)
	session(r).Put(ctx, flowVerifierKey, f.Verifier)
	session(r).Put(ctx, flowStartedKey, f.Started.Unix())
	http.Redirect(w, r, to, http.StatusSeeOther)
	return nil
}

// handleOIDCCallback takes the provider's answer: the flow of the session is spent whatever
// happens; a verified person is matched to their account and signed in.
func (s *Server) handleOIDCCallback(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	id := chi.URLParam(r, "provider")
	if s.opts.Providers == nil {
		return twinning.Errorf(twinning.ENOTFOUND, "no providers")
	}
	f := twinning.SignInFlow{Provider: session(r).PopString(ctx, flowProviderKey), State: session(r).PopString(ctx, flowStateKey),
		Nonce: session(r).PopString(ctx, flowNonceKey), Verifier: session(r).PopString(ctx, flowVerifierKey),
		Started: time.Unix(session(r).GetInt64(ctx, flowStartedKey), 0)}
	session(r).Remove(ctx, flowStartedKey)
	if f.Provider != id {
		f = twinning.SignInFlow{Provider: id} // no sign-in with this provider under way: the state cannot match
	}
	c, err := s.opts.Providers.Finish(ctx, f, s.callbackURL(r, id), r.URL.Query())
	if err != nil {
		return s.providerFailed(w, r, id, err)
	}
	addr := s.clientAddress(r)
	u, err := s.identity.ProviderAccount(ctx, c, addr)
	if err == nil && u.DisabledAt != nil {
		err = twinning.ErrNoAccount
	}
	if err != nil {
		return s.providerFailed(w, r, id, err)
	}
	if err := s.signIn(r, u, twinning.MethodProvider(id)); err != nil {
		return err
	}
	session(r).Put(ctx, sessionProviderKey, id)
	session(r).Put(ctx, sessionIDTokenKey, c.IDToken)
	s.log.InfoContext(ctx, "signed in through a provider", "provider", id, "email", u.Email, "address", addr)
	if err := s.admin.RecordSignIn(ctx, u.Email, addr, &u.ID, "sign_in", twinning.MethodProvider(id)); err != nil {
		return err
	}
	http.Redirect(w, r, "/admin/", http.StatusSeeOther)
	return nil
}

// providerFailed explains why a sign-in through provider id did not work, on the sign-in
// page so that the person can sign in another way; anything else is an error.
func (s *Server) providerFailed(w http.ResponseWriter, r *http.Request, id string, err error) error {
	var status int
	var message, detail string
	switch {
	case errors.Is(err, twinning.ErrProviderUnavailable):
		status, message, detail = http.StatusServiceUnavailable, "admin.oidc.unavailable", "unavailable"
		w.Header().Set("Retry-After", "30")
	case errors.Is(err, twinning.ErrProviderRefused):
		status, message, detail = http.StatusBadRequest, "admin.oidc.refused", "refused"
	case errors.Is(err, twinning.ErrNoAccount):
		status, message, detail = http.StatusForbidden, "admin.oidc.no_account", "no account"
	default:
		return err
	}
	s.log.WarnContext(r.Context(), "sign-in through a provider failed", "provider", id, "err", err)
	if err := s.admin.RecordSignIn(r.Context(), "", s.clientAddress(r), nil, "sign_in_failed", twinning.MethodProvider(id)+" "+detail); err != nil {
		return err
	}
	s.loginPage(w, r, status, "", message)
	return nil
}

// endSessionURL is where a person who signed in through a provider also signs out there,
// if it can; read before the session ends.
func (s *Server) endSessionURL(r *http.Request) string {
	id := session(r).GetString(r.Context(), sessionProviderKey)
	if id == "" || s.opts.Providers == nil {
		return ""
	}
	return s.opts.Providers.EndSessionURL(r.Context(), id, session(r).GetString(r.Context(), sessionIDTokenKey),
		s.staffOrigin(r)+"/admin/login")
}

package web

import (
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"twintowns/internal/auth"
	"twintowns/internal/twinning"
	"twintowns/templates/admin"
)

// handleLoginForm shows the sign-in form.
func (s *Server) handleLoginForm(w http.ResponseWriter, r *http.Request) error {
	if session(r).GetInt64(r.Context(), sessionUserKey) != 0 {
		http.Redirect(w, r, "/admin/", http.StatusSeeOther)
		return nil
	}
	s.page(w, r, http.StatusOK, admin.LoginPage(s.frame(r, "admin.login.title"), "", ""))
	return nil
}

// handleLogin checks email and password. Repeated failures for an account or from an
// address are slowed, then refused for a while; every attempt is logged and audited.
func (s *Server) handleLogin(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	email := strings.ToLower(strings.TrimSpace(r.PostFormValue("email")))
	password := r.PostFormValue("password")
	addr := s.clientAddress(r)
	fail := func(status int, message string) error {
		s.page(w, r, status, admin.LoginPage(s.frame(r, "admin.login.title"), email, message))
		return nil
	}
	if email == "" || password == "" || len(email) > 320 || len(password) > 1024 {
		return fail(http.StatusUnprocessableEntity, "admin.login.missing")
	}
	account, fromAddr, err := s.admin.RecentFailures(ctx, email, addr, time.Now().Add(-s.throttle.Window))
	if err != nil {
		return err
	}
	delay, refuse := s.throttle.Decide(account, fromAddr)
	if refuse {
		s.log.WarnContext(ctx, "sign-in refused: too many failures", "email", email, "address", addr,
			"account_failures", account, "address_failures", fromAddr)
		_ = s.admin.RecordSignIn(ctx, email, addr, nil, nil, "sign_in_refused")
		return fail(http.StatusTooManyRequests, "admin.login.locked")
	}
	if delay > 0 {
		select {
		case <-time.After(delay):
		case <-ctx.Done():
			return nil // the client went away
		}
	}
	u, hash, err := s.admin.UserByEmail(ctx, email)
	switch {
	case twinning.ErrorCode(err) == twinning.ENOTFOUND, err == nil && hash == "": // no account, or an invitation
		auth.CheckNobody(password)
		err = auth.ErrMismatch
	case err != nil:
		return err
	default:
		err = auth.CheckPassword(hash, password)
	}
	if err != nil || u.DisabledAt != nil {
		if err != nil && !errors.Is(err, auth.ErrMismatch) && twinning.ErrorCode(err) != twinning.ENOTFOUND {
			s.log.ErrorContext(ctx, "password check failed", "email", email, "err", err)
		}
		s.log.WarnContext(ctx, "sign-in failed", "email", email, "address", addr)
		if err := s.admin.RecordSignIn(ctx, email, addr, nil, nil, "sign_in_failed"); err != nil {
			return err
		}
		return fail(http.StatusUnauthorized, "admin.login.wrong")
	}
	if err := s.signIn(r, u); err != nil {
		return err
	}
	s.log.InfoContext(ctx, "signed in", "email", email, "address", addr)
	if err := s.admin.RecordSignIn(ctx, email, addr, &u.ID, nil, "sign_in"); err != nil {
		return err
	}
	http.Redirect(w, r, "/admin/", http.StatusSeeOther)
	return nil
}

// handleLogout ends the session.
func (s *Server) handleLogout(w http.ResponseWriter, r *http.Request) error {
	if id := session(r).GetInt64(r.Context(), sessionUserKey); id != 0 {
		if u, err := s.admin.UserByID(r.Context(), id); err == nil {
			_ = s.admin.RecordSignIn(r.Context(), u.Email, s.clientAddress(r), &u.ID, nil, "sign_out")
		}
	}
	if err := session(r).Destroy(r.Context()); err != nil {
		return err
	}
	http.Redirect(w, r, "/admin/login", http.StatusSeeOther)
	return nil
}

// handleAdminLang records the staff member's language and goes back to where they were.
func (s *Server) handleAdminLang(w http.ResponseWriter, r *http.Request) error {
	lang := chi.URLParam(r, "lang")
	if !s.locales.Has(lang) {
		return twinning.Errorf(twinning.ENOTFOUND, "no language %q", lang)
	}
	http.SetCookie(w, &http.Cookie{Name: langCookie, Value: lang, Path: "/", MaxAge: 365 * 24 * 3600,
		HttpOnly: true, Secure: s.isTLS(r), SameSite: http.SameSiteLaxMode})
	next := r.URL.Query().Get("next")
	if u, err := url.Parse(next); err != nil || u.Host != "" || u.Scheme != "" || !strings.HasPrefix(u.Path, "/admin") {
		next = "/admin/"
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
	return nil
}

// handleSites lists the sites an administrator manages.
func (s *Server) handleSites(w http.ResponseWriter, r *http.Request) error {
	s.page(w, r, http.StatusOK, admin.SitesPage(s.frame(r, "admin.sites.title")))
	return nil
}

// handleAudit shows the audit log to administrators.
func (s *Server) handleAudit(w http.ResponseWriter, r *http.Request) error {
	entries, err := s.admin.AuditLog(r.Context(), nil, 500)
	if err != nil {
		return err
	}
	s.page(w, r, http.StatusOK, admin.AuditPage(s.frame(r, "admin.audit.title"), entries))
	return nil
}

// handleFeedbackList shows the site's accessibility feedback to its staff.
func (s *Server) handleFeedbackList(w http.ResponseWriter, r *http.Request) error {
	items, err := s.feedback.Feedback(r.Context(), adminSite(r).ID, 500)
	if err != nil {
		return err
	}
	if len(items) > 0 { // newest first: the person has now seen up to the first
		if err := s.admin.SeeFeedback(r.Context(), adminSite(r).ID, currentUser(r).ID, items[0].ID); err != nil {
			return err
		}
	}
	s.page(w, r, http.StatusOK, admin.FeedbackPage(s.frame(r, "admin.feedback.title"), items))
	return nil
}

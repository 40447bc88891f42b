package web

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"twintowns/internal/auth"
	"twintowns/internal/clean"
	"twintowns/internal/locale"
	"twintowns/internal/twinning"
	"twintowns/templates/admin"
)

// handleLoginForm shows the sign-in form.
func (s *Server) handleLoginForm(w http.ResponseWriter, r *http.Request) error {
	if session(r).GetInt64(r.Context(), sessionUserKey) != 0 {
		http.Redirect(w, r, "/admin/", http.StatusSeeOther)
		return nil
	}
	s.loginPage(w, r, http.StatusOK, "", "")
	return nil
}

// hashWait is how long a sign-in waits for its turn to hash a password before it is asked
// to come back.
const hashWait = 2 * time.Second

// handleLogin checks email and password. The throttle judges each attempt by the recent
// failures, under a lock, before the password is checked: it slows an account's attempts
// and refuses an address that failed too often, never the account from elsewhere. At most
// a few passwords are hashed at once; every attempt is logged and audited.
func (s *Server) handleLogin(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	email := strings.ToLower(strings.TrimSpace(r.PostFormValue("email")))
	password := r.PostFormValue("password")
	addr := s.clientAddress(r)
	fail := func(status int, message string) error {
		s.loginPage(w, r, status, email, message)
		return nil
	}
	if s.opts.NoPasswords {
		return fail(http.StatusForbidden, "admin.login.passwords_off")
	}
	if email == "" || password == "" || len(email) > twinning.MaxEmailLen || len(password) > auth.MaxPasswordLen {
		return fail(http.StatusUnprocessableEntity, "admin.login.missing")
	}
	var u twinning.User
	ok, retry, err := s.attempt(ctx, twinning.Attempt{Kind: twinning.AttemptPassword, Email: email, Address: addr}, s.throttle, &u.ID,
		func() (bool, error) {
			var hash string
			var err error
			u, hash, err = s.admin.UserByEmail(ctx, email)
			switch {
			case twinning.ErrorCode(err) == twinning.ENOTFOUND, err == nil && hash == "": // no account, or an invitation
				hash = ""
			case err != nil:
				return false, err
			}
			var checked error
			if err := s.hashes.Do(ctx, func() {
				if hash == "" {
					auth.CheckNobody(password)
					checked = auth.ErrMismatch
					return
				}
				checked = auth.CheckPassword(hash, password)
			}); err != nil {
				return false, err
			}
			if checked != nil && !errors.Is(checked, auth.ErrMismatch) {
				s.log.ErrorContext(ctx, "password check failed", "email", email, "err", checked)
			}
			return checked == nil && u.DisabledAt == nil, nil
		})
	switch {
	case errors.Is(err, auth.ErrBusy): // no turn to hash in time: not a failure
		s.log.WarnContext(ctx, "sign-in not checked: too many at once", "email", email, "address", addr)
		w.Header().Set("Retry-After", strconv.Itoa(int(hashWait.Seconds())))
		return fail(http.StatusTooManyRequests, "admin.login.busy")
	case err != nil:
		return err
	case retry > 0:
		w.Header().Set("Retry-After", strconv.Itoa(int(retry.Seconds())))
		return fail(http.StatusTooManyRequests, "admin.login.locked")
	case !ok:
		return fail(http.StatusUnauthorized, "admin.login.wrong")
	}
	s.log.InfoContext(ctx, "password accepted", "email", email, "address", addr)
	next, err := s.passwordAccepted(r, u, twinning.MethodPassword)
	if err != nil {
		return err
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
	return nil
}

// handleLogout ends the session; a person who signed in through a provider is offered to
// sign out there too.
func (s *Server) handleLogout(w http.ResponseWriter, r *http.Request) error {
	if id := session(r).GetInt64(r.Context(), sessionUserKey); id != 0 {
		if u, err := s.admin.UserByID(r.Context(), id); err == nil {
			_ = s.admin.RecordSignIn(r.Context(), u.Email, s.clientAddress(r), &u.ID, "sign_out", "")
		}
	}
	end := s.endSessionURL(r)
	if sid := currentSession(r); sid != "" {
		if err := s.identity.EndStaffSession(r.Context(), sid); err != nil {
			return err
		}
	}
	if err := session(r).Destroy(r.Context()); err != nil {
		return err
	}
	if end != "" {
		s.page(w, r, http.StatusOK, admin.SignedOutPage(s.frame(r, "admin.signed_out.title"), end))
		return nil
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
	if err := s.rememberStaffLang(r, lang); err != nil {
		return err
	}
	next := r.URL.Query().Get("next")
	if u, err := url.Parse(next); err != nil || u.Host != "" || u.Scheme != "" || !strings.HasPrefix(u.Path, "/admin") {
		next = "/admin/"
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
	return nil
}

// handleSites lists the sites the person works on, a page of those a search finds (?q=,
// ?page=): thousands of sites are not one page.
func (s *Server) handleSites(w http.ResponseWriter, r *http.Request) error {
	u := currentUser(r)
	q := twinning.SiteQuery{Search: clean.Text(r.URL.Query().Get("q")), Lang: locale.From(r.Context()).Lang, Limit: admin.PageSize}
	if !u.IsAdmin {
		q.IDs = append([]int64{}, u.Sites...) // none is none, not all
	}
	page, _ := strconv.Atoi(r.URL.Query().Get("page"))
	q.Offset = admin.NewPager(q.Search, page, 0).Offset()
	names, total, err := s.admin.SiteList(r.Context(), q)
	if err != nil {
		return err
	}
	f := s.frame(r, "admin.sites.title")
	refs := make([]admin.SiteRef, len(names))
	for i, n := range names {
		refs[i] = siteNameRef(n)
	}
	s.page(w, r, http.StatusOK, admin.SitesPage(f, refs, admin.NewPager(q.Search, page, total)))
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

// handleFeedbackList shows the site's accessibility feedback to its editors and to
// administrators: it holds members of the public's addresses, which translators need not see.
func (s *Server) handleFeedbackList(w http.ResponseWriter, r *http.Request) error {
	if !currentUser(r).CanReadFeedback(adminSite(r).ID) {
		return forbid(r, "read the feedback")
	}
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

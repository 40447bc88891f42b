package web

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"

	"twintowns/internal/auth"
	"twintowns/internal/twinning"
	"twintowns/templates/admin"
)

// handlePasswordForm is where a one-time link leads: a form to set the password.
func (s *Server) handlePasswordForm(w http.ResponseWriter, r *http.Request) error {
	u, err := s.users.LinkUser(r.Context(), auth.TokenHash(chi.URLParam(r, "token")))
	if err != nil {
		return s.linkGone(w, r, err)
	}
	s.passwordPage(w, r, http.StatusOK, u, nil)
	return nil
}

// handlePasswordSet sets the password, spends the link, ends the account's other sessions
// and signs the person in.
func (s *Server) handlePasswordSet(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	hash := auth.TokenHash(chi.URLParam(r, "token"))
	u, err := s.users.LinkUser(ctx, hash)
	if err != nil {
		return s.linkGone(w, r, err)
	}
	pw, pw2 := r.PostFormValue("password"), r.PostFormValue("password2")
	errs := twinning.FieldErrors{}
	if weak := auth.CheckStrength(pw, s.guessableWords(ctx, u.Email)...); weak != "" {
		errs[twinning.Fact("password")] = "validation.password_" + string(weak)
	} else if pw2 != pw {
		errs[twinning.Fact("password2")] = "validation.password_mismatch"
	}
	if len(errs) > 0 {
		s.passwordPage(w, r, http.StatusUnprocessableEntity, u, errs)
		return nil
	}
	var pwHash string
	var hashErr error
	if err := s.hashes.Do(ctx, func() { pwHash, hashErr = auth.HashPassword(pw) }); err != nil {
		w.Header().Set("Retry-After", strconv.Itoa(int(hashWait.Seconds())))
		s.passwordPage(w, r, http.StatusTooManyRequests, u, twinning.FieldErrors{twinning.Fact("password"): "admin.login.busy"})
		return nil
	}
	if hashErr != nil {
		return hashErr
	}
	addr := s.clientAddress(r)
	u, err = s.users.UseLink(ctx, hash, pwHash, addr)
	if err != nil {
		return s.linkGone(w, r, err)
	}
	next, err := s.passwordAccepted(r, u, twinning.MethodLink)
	if err != nil {
		return err
	}
	s.log.InfoContext(ctx, "password set with a one-time link", "email", u.Email, "address", addr)
	if err := s.admin.RecordSignIn(ctx, u.Email, addr, &u.ID, "sign_in", "one-time link"); err != nil {
		return err
	}
	flash(r, "admin.flash.password_set")
	http.Redirect(w, r, next, http.StatusSeeOther)
	return nil
}

// guessableWords are the words a password of the account must not be made of.
func (s *Server) guessableWords(ctx context.Context, email string) []string {
	sites, _ := s.sites(ctx)
	return twinning.GuessableWords(email, sites)
}

func (s *Server) passwordPage(w http.ResponseWriter, r *http.Request, status int, u twinning.User, errs twinning.FieldErrors) {
	title := "admin.password.reset_title"
	if !u.HasPassword {
		title = "admin.password.invite_title"
	}
	s.page(w, r, status, admin.SetPasswordPage(s.frame(r, title), admin.PasswordPage{Email: u.Email, Invite: !u.HasPassword,
		Form: admin.Form{Errors: errs}, MinLen: auth.MinPasswordLen}))
}

// linkGone explains that a link does not work (used, expired, replaced or made up: the
// same to whoever holds it); any other error it returns.
func (s *Server) linkGone(w http.ResponseWriter, r *http.Request, err error) error {
	if twinning.ErrorCode(err) != twinning.ENOTFOUND {
		return err
	}
	s.page(w, r, http.StatusNotFound, admin.LinkGonePage(s.frame(r, "admin.password.gone_title")))
	return nil
}

// passwordPath is the prefix of the one-time links.
const passwordPath = "/admin/password/"

// loggedPath is the request's path for the logs: without the token of a one-time link, which
// would let whoever reads the logs take the account over.
func loggedPath(r *http.Request) string {
	if strings.HasPrefix(r.URL.Path, passwordPath) {
		return passwordPath + "…"
	}
	return r.URL.Path
}

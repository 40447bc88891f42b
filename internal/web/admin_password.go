package web

import (
	"net/http"
	"strings"

	"github.com/go-chi/chi/v5"

	"twintowns/internal/auth"
	"twintowns/internal/twinning"
	"twintowns/templates/admin"
)

// maxPasswordLen bounds what is hashed, as the sign-in form does.
const maxPasswordLen = 1024

// handlePasswordForm is where a one-time link leads: a form to set the password.
func (s *Server) handlePasswordForm(w http.ResponseWriter, r *http.Request) {
	u, err := s.users.LinkUser(r.Context(), auth.TokenHash(chi.URLParam(r, "token")))
	if err != nil {
		s.linkGone(w, r, err)
		return
	}
	s.passwordPage(w, r, http.StatusOK, u, nil)
}

// handlePasswordSet sets the password, spends the link, ends the account's other sessions
// and signs the person in.
func (s *Server) handlePasswordSet(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	hash := auth.TokenHash(chi.URLParam(r, "token"))
	u, err := s.users.LinkUser(ctx, hash)
	if err != nil {
		s.linkGone(w, r, err)
		return
	}
	pw, pw2 := r.PostFormValue("password"), r.PostFormValue("password2")
	errs := twinning.FieldErrors{}
	switch n := len([]rune(pw)); {
	case n < auth.MinPasswordLen:
		errs[twinning.Fact("password")] = "validation.password_short"
	case len(pw) > maxPasswordLen:
		errs[twinning.Fact("password")] = "validation.too_long"
	case pw2 != pw:
		errs[twinning.Fact("password2")] = "validation.password_mismatch"
	}
	if len(errs) > 0 {
		s.passwordPage(w, r, http.StatusUnprocessableEntity, u, errs)
		return
	}
	pwHash, err := auth.HashPassword(pw)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	addr := s.clientAddress(r)
	u, err = s.users.UseLink(ctx, hash, pwHash, addr)
	if err != nil {
		s.linkGone(w, r, err)
		return
	}
	if err := s.signIn(r, u); err != nil {
		s.renderError(w, r, err)
		return
	}
	s.log.InfoContext(ctx, "password set with a one-time link", "email", u.Email, "address", addr)
	if err := s.admin.RecordSignIn(ctx, u.Email, addr, &u.ID, nil, "sign_in"); err != nil {
		s.renderError(w, r, err)
		return
	}
	flash(r, "admin.flash.password_set")
	http.Redirect(w, r, "/admin/", http.StatusSeeOther)
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
// same to whoever holds it).
func (s *Server) linkGone(w http.ResponseWriter, r *http.Request, err error) {
	if twinning.ErrorCode(err) != twinning.ENOTFOUND {
		s.renderError(w, r, err)
		return
	}
	s.page(w, r, http.StatusNotFound, admin.LinkGonePage(s.frame(r, "admin.password.gone_title")))
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

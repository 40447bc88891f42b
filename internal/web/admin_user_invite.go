package web

import (
	"maps"
	"net/http"

	"twintowns/internal/auth"
	"twintowns/internal/twinning"
	"twintowns/templates/admin"
)

// handleUserNew shows the invitation form.
func (s *Server) handleUserNew(w http.ResponseWriter, r *http.Request) error {
	return s.userPage(w, r, http.StatusOK, admin.UserPage{Form: admin.Form{Values: map[twinning.FieldKey]string{twinning.Fact("role"): string(twinning.RoleEditor)}}})
}

// handleUserInvite creates the account without a password and shows, once, the link with
// which the invitee sets one. The link is not stored, only its hash.
func (s *Server) handleUserInvite(w http.ResponseWriter, r *http.Request) error {
	a := parseAccess(r)
	email := r.PostFormValue("email")
	a.form.Values[twinning.Fact("email")] = email
	if searchingSites(r) {
		a.form.Errors = nil
		return s.userPage(w, r, http.StatusOK, admin.UserPage{Form: a.form})
	}
	if len(a.form.Errors) > 0 {
		return s.userPage(w, r, http.StatusUnprocessableEntity, admin.UserPage{Form: a.form})
	}
	link, hash, expires := s.newLink(r)
	u, err := s.users.InviteUser(r.Context(), twinning.User{Email: email, Role: a.role, Sites: a.sites, Langs: a.langs},
		hash, auth.LinkValidity, s.actor(r))
	if errs := fieldErrors(err); errs != nil {
		maps.Copy(a.form.Errors, errs)
		return s.userPage(w, r, http.StatusUnprocessableEntity, admin.UserPage{Form: a.form})
	}
	if err != nil {
		return err
	}
	s.log.InfoContext(r.Context(), "user invited", "email", u.Email, "role", u.Role, "by", currentUser(r).Email)
	return s.userPage(w, r, http.StatusOK, admin.UserPage{User: u, Form: accessForm(u),
		Link: &admin.OneTimeLink{URL: link, Expires: expires, Invite: true}})
}

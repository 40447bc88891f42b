package web

import (
	"maps"
	"net/http"
	"strconv"

	"twintowns/templates/admin"
)

// handleUserEdit shows an account: its role, sites and languages, and what can be done to it.
func (s *Server) handleUserEdit(w http.ResponseWriter, r *http.Request) error {
	u, err := s.userParam(r)
	if err != nil {
		return err
	}
	return s.userPage(w, r, http.StatusOK, admin.UserPage{User: u, Form: accessForm(u)})
}

// handleUserSave changes an account's role, sites and languages.
func (s *Server) handleUserSave(w http.ResponseWriter, r *http.Request) error {
	u, err := s.userParam(r)
	if err != nil {
		return err
	}
	a := parseAccess(r)
	if searchingSites(r) {
		a.form.Errors = nil
		return s.userPage(w, r, http.StatusOK, admin.UserPage{User: u, Form: a.form})
	}
	if len(a.form.Errors) == 0 {
		_, err = s.users.UpdateUser(r.Context(), u.ID, a.role, a.sites, a.langs, s.actor(r))
		if err == nil {
			flash(r, "admin.flash.user_saved")
			http.Redirect(w, r, "/admin/users/"+strconv.FormatInt(u.ID, 10), http.StatusSeeOther)
			return nil
		}
		errs := fieldErrors(err)
		if errs == nil {
			return err
		}
		maps.Copy(a.form.Errors, errs)
	}
	return s.userPage(w, r, http.StatusUnprocessableEntity, admin.UserPage{User: u, Form: a.form})
}

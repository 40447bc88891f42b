package web

import (
	"net/http"
	"strconv"

	"twintowns/internal/twinning"
	"twintowns/templates/admin"
)

// handleUserDisable stops an account from signing in and ends its sessions. Nobody disables
// their own account, nor the last administrator's.
func (s *Server) handleUserDisable(w http.ResponseWriter, r *http.Request) error {
	return s.setDisabled(w, r, true)
}

// handleUserEnable lets a disabled account sign in again.
func (s *Server) handleUserEnable(w http.ResponseWriter, r *http.Request) error {
	return s.setDisabled(w, r, false)
}

func (s *Server) setDisabled(w http.ResponseWriter, r *http.Request, disabled bool) error {
	u, err := s.userParam(r)
	if err != nil {
		return err
	}
	refuse := func(message string) error {
		f := accessForm(u)
		f.Errors = twinning.FieldErrors{twinning.Fact("disable"): message}
		return s.userPage(w, r, http.StatusUnprocessableEntity, admin.UserPage{User: u, Form: f})
	}
	if disabled && u.ID == currentUser(r).ID {
		return refuse("validation.self_disable")
	}
	err = s.users.SetUserDisabled(r.Context(), u.ID, disabled, s.actor(r))
	if errs := fieldErrors(err); errs != nil {
		return refuse(errs[twinning.Fact("role")])
	}
	if err != nil {
		return err
	}
	if disabled {
		flash(r, "admin.flash.user_disabled")
	} else {
		flash(r, "admin.flash.user_enabled")
	}
	http.Redirect(w, r, "/admin/users/"+strconv.FormatInt(u.ID, 10), http.StatusSeeOther)
	return nil
}

package web

import (
	"net/http"

	"twintowns/internal/auth"
	"twintowns/templates/admin"
)

// handleUserLink makes a new one-time link for an account (its earlier links stop working)
// and shows it once: an invitation again, or a password reset.
func (s *Server) handleUserLink(w http.ResponseWriter, r *http.Request) error {
	u, err := s.userParam(r)
	if err != nil {
		return err
	}
	link, hash, expires := s.newLink(r)
	if err := s.users.IssueLink(r.Context(), u.ID, hash, auth.LinkValidity, s.actor(r)); err != nil {
		return err
	}
	u, err = s.admin.UserByID(r.Context(), u.ID) // an invitation or a reset: as it is now
	if err != nil {
		return err
	}
	return s.userPage(w, r, http.StatusOK, admin.UserPage{User: u, Form: accessForm(u),
		Link: &admin.OneTimeLink{URL: link, Expires: expires, Invite: !u.HasPassword}})
}

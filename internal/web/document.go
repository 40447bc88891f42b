package web

import (
	"mime"
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"
)

// handleDocument serves the stored file of a city's attachment.
func (s *Server) handleDocument(w http.ResponseWriter, r *http.Request) error {
	site, err := s.siteFor(r)
	if err != nil {
		return err
	}
	a, content, err := s.store.Attachment(r.Context(), site.ID, chi.URLParam(r, "slug"), chi.URLParam(r, "doc"))
	if err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", a.MediaType)
	h.Set("Content-Length", strconv.Itoa(len(content)))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "no-cache")
	h.Set("Content-Disposition", mime.FormatMediaType("inline", map[string]string{"filename": a.Slug + "." + a.Format}))
	w.Write(content)
	return nil
}

package web

import (
	"net/http"

	"twintowns/internal/locale"
)

// handleRoot sends a visitor of "/" to the home page in the best language: an earlier
// explicit choice, then Accept-Language, then the site's default. The answer depends on both
// headers and must never be cached for another visitor.
func (s *Server) handleRoot(w http.ResponseWriter, r *http.Request) error {
	site, err := s.siteFor(r)
	if err != nil {
		return err
	}
	choice := ""
	if c, err := r.Cookie(langCookie); err == nil {
		choice = c.Value
	}
	lang := locale.Negotiate(choice, r.Header.Get("Accept-Language"), site.Languages, site.DefaultLang)
	h := w.Header()
	h.Set("Vary", "Accept-Language, Cookie")
	h.Set("Cache-Control", "private, no-store")
	http.Redirect(w, r, "/"+lang+"/", http.StatusFound)
	return nil
}

// handleRobots points crawlers to the sitemap.
func (s *Server) handleRobots(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Write([]byte("User-agent: *\nAllow: /\nSitemap: " + s.baseURL(r) + "/sitemap.xml\n"))
}

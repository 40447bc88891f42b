package web

import (
	"net/http"

	"github.com/go-chi/chi/v5"
)

// routes lists every URL of the product.
func (s *Server) routes() http.Handler {
	r := chi.NewRouter()
	r.Use(s.logRequests, s.recoverPanics)
	r.NotFound(s.handleNotFound)
	r.MethodNotAllowed(s.handleNotFound)

	r.Get("/healthz", s.handleHealthz)
	r.Get("/static/*", s.handleStatic)

	r.Group(func(r chi.Router) {
		r.Use(s.withSite)
		r.Get("/", s.handleRoot)
		r.Get("/sitemap.xml", s.cached(s.sitemap))
		r.Get("/robots.txt", s.handleRobots)

		r.Route("/{lang}", func(r chi.Router) {
			r.Use(s.withLang)
			r.Get("/", s.cached(s.homePage))
			r.Get("/cities/{slug}", s.cached(s.cityPage))
			r.Get("/cities/{slug}/documents/{doc}", s.handleDocument)
			r.Get("/history", s.cached(s.historyPage))
		})
	})
	return r
}

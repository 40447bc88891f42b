package web

import (
	"net/http"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"

	"twintowns/internal/twinning"
)

// routes lists every URL of the product.
func (s *Server) routes() http.Handler {
	r := chi.NewRouter()
	r.Use(s.logRequests, s.recoverPanics, securityHeaders, middleware.GetHead, cleanForms)
	r.NotFound(s.handleNotFound)
	r.MethodNotAllowed(s.handleMethodNotAllowed)

	r.Get("/healthz", s.handleHealthz)
	r.Get("/static/*", s.handleStatic)

	// Every state-changing request must come from the site itself.
	csrf := http.NewCrossOriginProtection()
	csrf.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.renderError(w, r, twinning.Errorf(twinning.EFORBIDDEN, "cross-origin request refused"))
	}))

	// The public site of the request's host.
	r.Group(func(r chi.Router) {
		r.Use(s.withSite)
		r.Get("/", s.handleRoot)
		r.Get("/sitemap.xml", s.cached(s.sitemap))
		r.Get("/robots.txt", s.handleRobots)

		r.Route("/{lang:[a-z]{2}}", func(r chi.Router) {
			r.Use(s.withLang)
			r.Get("/", s.cached(s.homePage))
			r.Get("/share.png", s.cached(s.homeShare))
			r.Get("/cities/{slug}", s.cached(s.cityPage))
			r.Get("/cities/{slug}/share.png", s.cached(s.cityShare))
			r.Get("/cities/{slug}/documents/{doc}", s.handleDocument)
			r.Get("/history", s.cached(s.historyPage))
			r.Get("/accessibility", s.cached(s.accessibilityPage))
			r.Get("/accessibility/feedback", s.cached(s.feedbackPage))
			r.With(csrf.Handler).Post("/accessibility/feedback", s.handleFeedback)
			r.Get("/accessibility/feedback/thanks", s.cached(s.feedbackThanksPage))
		})
	})

	// The staff area.
	r.Route("/admin", func(r chi.Router) {
		r.Use(s.withAdminLang, csrf.Handler, s.withSession)
		r.Get("/login", s.handleLoginForm)
		r.Post("/login", s.handleLogin)
		r.Post("/logout", s.handleLogout)
		r.Get("/lang/{lang}", s.handleAdminLang)

		r.Group(func(r chi.Router) {
			r.Use(s.requireUser)
			r.Get("/", s.handleAdminHome)
			r.Get("/sites", s.handleAdminHome)
			r.With(s.requireAdmin).Get("/audit", s.handleAudit)

			r.Route("/sites/{site}", func(r chi.Router) {
				r.Use(s.requireSite)
				r.Get("/cities", s.handleCityList)
				r.Get("/cities/new", s.handleCityNew)
				r.Post("/cities/new", s.handleCitySave)
				r.Get("/cities/{id}", s.handleCityEdit)
				r.Post("/cities/{id}", s.handleCitySave)
				r.Get("/cities/{id}/preview", s.handleCityPreview)
				r.Post("/cities/{id}/delete", s.handleCityDelete)
				r.Post("/cities/{id}/restore", s.handleCityRestore)
				r.Get("/cities/{id}/history", s.handleHistory)
				r.Get("/cities/{id}/history/{rev}", s.handleRevision)
				r.Post("/cities/{id}/history/{rev}/restore", s.handleRevisionRestore)
				r.Post("/cities/{id}/documents", s.handleDocumentUpload)
				r.Post("/cities/{id}/documents/{doc}/delete", s.handleDocumentDelete)
				r.Post("/cities/{id}/documents/{doc}/restore", s.handleDocumentRestore)
				r.Get("/trash", s.handleTrash)
				r.Get("/feedback", s.handleFeedbackList)
				r.Get("/texts", s.handleSiteTexts)
				r.Post("/texts", s.handleSiteTextsSave)
				r.Get("/texts/preview", s.handleSitePreview)
				r.Get("/texts/history", s.handleSiteHistory)
				r.Get("/texts/history/{rev}", s.handleSiteRevision)
				r.Post("/texts/history/{rev}/restore", s.handleSiteRevisionRestore)
			})
		})
	})
	return r
}

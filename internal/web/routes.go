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
	r.Use(s.logRequests, s.recoverPanics, securityHeaders, middleware.GetHead, s.refuseBadPaths, cleanForms)
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
		r.Get("/data/partnerships.json", s.cached(s.partnershipsJSON))
		r.Get("/data/partnerships.csv", s.cached(s.partnershipsCSV))

		r.Route("/{lang:[a-z]{2}}", func(r chi.Router) {
			r.Use(s.withLang)
			r.Get("/", s.cached(s.homePage))
			r.Get("/share.png", s.cached(s.homeShare))
			r.Get("/cities/{slug}", s.cached(s.cityPage))
			r.Get("/cities/{slug}/share.png", s.cached(s.cityShare))
			r.Get("/cities/{slug}/documents/{doc}", s.handleDocument)
			r.Get("/history", s.cached(s.historyPage))
			r.Get("/feed.atom", s.cached(s.feed))
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
		r.Get("/password/{token}", s.handlePasswordForm)
		r.Post("/password/{token}", s.handlePasswordSet)

		r.Group(func(r chi.Router) {
			r.Use(s.requireUser)
			r.Get("/", s.handleAdminHome)
			r.Get("/sites", s.handleAdminHome)
			r.With(s.requireAdmin).Get("/audit", s.handleAudit)

			r.Route("/users", func(r chi.Router) {
				r.Use(s.requireAdmin)
				r.Get("/", s.handleUsers)
				r.Get("/new", s.handleUserNew)
				r.Post("/new", s.handleUserInvite)
				r.Get("/{id}", s.handleUserEdit)
				r.Post("/{id}", s.handleUserSave)
				r.Post("/{id}/disable", s.handleUserDisable)
				r.Post("/{id}/enable", s.handleUserEnable)
				r.Post("/{id}/link", s.handleUserLink)
			})

			r.Route("/sites/{site}", func(r chi.Router) {
				r.Use(s.requireSite)
				// The twin towns and partner cities.
				r.Get("/cities", s.handleEntryList(cityContent))
				r.Get("/cities/new", s.handleEntryNew(cityContent))
				r.Post("/cities/new", s.handleEntryCreate(cityContent))
				r.Get("/cities/{id}", s.handleEntryEdit(cityContent))
				r.Post("/cities/{id}", s.handleEntryUpdate(cityContent))
				r.Get("/cities/{id}/preview", s.handleEntryPreview(cityContent))
				r.Post("/cities/{id}/delete", s.handleEntryTrash(cityContent, true))
				r.Post("/cities/{id}/restore", s.handleEntryTrash(cityContent, false))
				r.Get("/cities/{id}/history", s.handleEntryHistory(cityContent))
				r.Get("/cities/{id}/history/{rev}", s.handleEntryRevision(cityContent))
				r.Post("/cities/{id}/history/{rev}/restore", s.handleEntryRevisionRestore(cityContent))
				r.Get("/cities/{id}/translate", s.handleTranslate(cityContent))
				r.Post("/cities/{id}/translate", s.handleTranslateSave(cityContent))
				r.Post("/cities/{id}/documents", s.handleDocumentUpload)
				r.Post("/cities/{id}/documents/{doc}/delete", s.handleEntryTrash(documentContent, true))
				r.Post("/cities/{id}/documents/{doc}/restore", s.handleEntryTrash(documentContent, false))
				// The titles of documents.
				r.Get("/documents/{id}", s.handleEntryEdit(documentContent))
				r.Post("/documents/{id}", s.handleEntryUpdate(documentContent))
				r.Post("/documents/{id}/delete", s.handleEntryTrash(documentContent, true))
				r.Post("/documents/{id}/restore", s.handleEntryTrash(documentContent, false))
				r.Get("/documents/{id}/translate", s.handleTranslate(documentContent))
				r.Post("/documents/{id}/translate", s.handleTranslateSave(documentContent))
				r.Get("/documents/{id}/history", s.handleEntryHistory(documentContent))
				r.Get("/documents/{id}/history/{rev}", s.handleEntryRevision(documentContent))
				r.Post("/documents/{id}/history/{rev}/restore", s.handleEntryRevisionRestore(documentContent))
				// The site's own texts: introduction, history, events.
				r.Get("/texts", s.handleEntryEdit(siteContent))
				r.Post("/texts", s.handleEntryUpdate(siteContent))
				r.Get("/texts/preview", s.handleEntryPreview(siteContent))
				r.Get("/texts/translate", s.handleTranslate(siteContent))
				r.Post("/texts/translate", s.handleTranslateSave(siteContent))
				r.Get("/texts/history", s.handleEntryHistory(siteContent))
				r.Get("/texts/history/{rev}", s.handleEntryRevision(siteContent))
				r.Post("/texts/history/{rev}/restore", s.handleEntryRevisionRestore(siteContent))
				// Translation: the overview, the parity report, exchange files for agencies.
				r.Get("/translations", s.handleTranslations)
				r.Get("/translations/parity.csv", s.handleParityCSV)
				r.Get("/translations/export", s.handleExport)
				r.Post("/translations/import", s.handleImport)
				r.Post("/translations/import/confirm", s.handleImportConfirm)
				r.Get("/trash", s.handleTrash)
				r.Get("/feedback", s.handleFeedbackList)
				// The languages of the site, for administrators.
				r.With(s.requireAdmin).Get("/settings", s.handleSettings)
				r.With(s.requireAdmin).Post("/settings", s.handleSettingsSave)
			})
		})
	})
	return r
}

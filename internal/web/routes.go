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
		r.Get("/", s.handle(s.handleRoot))
		r.Get("/sitemap.xml", s.cached(s.sitemap))
		r.Get("/robots.txt", s.handleRobots)
		r.Get("/data/partnerships.json", s.cached(s.partnershipsJSON))
		r.Get("/data/partnerships.csv", s.cached(s.partnershipsCSV))
		for _, t := range twinning.Types.Public() { // /data/events.json, /data/events.csv
			r.Get("/data/"+t.Public.Path+".json", s.cached(s.entriesData(t, asJSON)))
			r.Get("/data/"+t.Public.Path+".csv", s.cached(s.entriesData(t, asCSV)))
		}

		r.Route("/{lang:[a-z]{2}}", func(r chi.Router) {
			r.Use(s.withLang)
			r.Get("/", s.cached(s.homePage))
			r.Get("/share.png", s.cached(s.homeShare))
			r.Get("/cities/{slug}", s.cached(s.cityPage))
			r.Get("/cities/{slug}/share.png", s.cached(s.cityShare))
			r.Get("/cities/{slug}/documents/{doc}", s.handle(s.handleDocument))
			r.Get("/history", s.cached(s.historyPage))
			for _, t := range twinning.Types.Public() { // /events, /events/{slug}
				r.Get("/"+t.Public.Path, s.cached(s.entryListPage(t)))
				r.Get("/"+t.Public.Path+"/{slug}", s.cached(s.entryPage(t)))
			}
			r.Get("/feed.atom", s.cached(s.feed))
			r.Get("/accessibility", s.cached(s.accessibilityPage))
			r.Get("/accessibility/feedback", s.cached(s.feedbackPage))
			r.With(csrf.Handler).Post("/accessibility/feedback", s.handle(s.handleFeedback))
			r.Get("/accessibility/feedback/thanks", s.cached(s.feedbackThanksPage))
		})
	})

	// The staff area.
	r.Route("/admin", func(r chi.Router) {
		r.Use(s.withAdminLang, csrf.Handler, s.withSession)
		r.Get("/login", s.handle(s.handleLoginForm))
		r.Post("/login", s.handle(s.handleLogin))
		r.Post("/logout", s.handle(s.handleLogout))
		r.Get("/lang/{lang}", s.handle(s.handleAdminLang))
		r.Get("/password/{token}", s.handle(s.handlePasswordForm))
		r.Post("/password/{token}", s.handle(s.handlePasswordSet))

		r.Group(func(r chi.Router) {
			r.Use(s.requireUser)
			r.Get("/", s.handle(s.handleAdminHome))
			r.Get("/sites", s.handle(s.handleSites))
			r.With(s.requireAdmin).Get("/audit", s.handle(s.handleAudit))

			r.Route("/users", func(r chi.Router) {
				r.Use(s.requireAdmin)
				r.Get("/", s.handle(s.handleUsers))
				r.Get("/new", s.handle(s.handleUserNew))
				r.Post("/new", s.handle(s.handleUserInvite))
				r.Get("/{id}", s.handle(s.handleUserEdit))
				r.Post("/{id}", s.handle(s.handleUserSave))
				r.Post("/{id}/disable", s.handle(s.handleUserDisable))
				r.Post("/{id}/enable", s.handle(s.handleUserEnable))
				r.Post("/{id}/link", s.handle(s.handleUserLink))
			})

			r.Route("/sites/{site}", func(r chi.Router) {
				r.Use(s.requireSite)
				r.Get("/", s.handle(s.handleSiteHome)) // the work waiting on the site
				// The staff screens of each content type, at the URLs entryRoutes lists.
				// /cities, /events, /texts (the site's own), /documents/{id} (their titles)...
				for _, t := range twinning.Types.All() {
					s.entryRoutes(r, t)
				}
				// A city's documents: upload, and the trash from the city's page.
				r.Post("/cities/{id}/documents", s.handle(s.handleDocumentUpload))
				r.Post("/cities/{id}/documents/{doc}/delete", s.handleEntryTrash(twinning.DocumentType, true))
				r.Post("/cities/{id}/documents/{doc}/restore", s.handleEntryTrash(twinning.DocumentType, false))
				// Translation: the overview, the parity report, exchange files for agencies.
				r.Get("/translations", s.handle(s.handleTranslations))
				r.Get("/translations/parity.csv", s.handle(s.handleParityCSV))
				r.Post("/translations/export", s.handle(s.handleExport))
				r.Get("/translations/jobs/{job}/file", s.handle(s.handleJobFile))
				r.Post("/translations/jobs/{job}/cancel", s.handle(s.handleJobCancel))
				r.With(s.requireAdmin).Get("/translations/glossary", s.handle(s.handleGlossary))
				r.With(s.requireAdmin).Post("/translations/glossary", s.handle(s.handleGlossarySave))
				r.Post("/translations/import", s.handle(s.handleImport))
				r.Post("/translations/import/confirm", s.handle(s.handleImportConfirm))
				r.Get("/trash", s.handle(s.handleTrash))
				r.Get("/feedback", s.handle(s.handleFeedbackList))
				// The languages of the site, for administrators.
				r.With(s.requireAdmin).Get("/settings", s.handleSettings)
				r.With(s.requireAdmin).Post("/settings", s.handle(s.handleSettingsSave))
			})
		})
	})
	return r
}

// entryRoutes installs the staff screens of a content type under /{type path}: the list and
// a new entry (for types staff create), then per entry (/{id}, or the path itself for a type
// with one entry per site) the form, the public preview, the trash, the history, a revision
// and its restore, the translator's screen, and a page per type of entries that belong to it.
func (s *Server) entryRoutes(r chi.Router, ct *twinning.Type) {
	entry := "/" + ct.Staff.Path + "/{id}"
	if ct.Single {
		entry = "/" + ct.Staff.Path
	}
	if ct.Staff.List && !ct.Single {
		r.Get("/"+ct.Staff.Path, s.handleEntryList(ct))
	}
	if ct.Staff.Create {
		r.Get("/"+ct.Staff.Path+"/new", s.handleEntryNew(ct))
		r.Post("/"+ct.Staff.Path+"/new", s.handleEntryCreate(ct))
	}
	r.Get(entry, s.handleEntryEdit(ct))
	r.Post(entry, s.handleEntryUpdate(ct))
	if previews(ct) != nil {
		r.Get(entry+"/preview", s.handleEntryPreview(ct))
	}
	if ct.Trashable {
		r.Post(entry+"/delete", s.handleEntryTrash(ct, true))
		r.Post(entry+"/restore", s.handleEntryTrash(ct, false))
	}
	r.Get(entry+"/history", s.handleEntryHistory(ct))
	r.Get(entry+"/history/{rev}", s.handleEntryRevision(ct))
	r.Post(entry+"/history/{rev}/restore", s.handleEntryRevisionRestore(ct))
	r.Get(entry+"/translate", s.handleTranslate(ct))
	for _, c := range twinning.Types.Children(ct) { // /cities/{id}/documents
		r.Get(entry+"/"+c.Staff.Path, s.handleChildren(ct, c))
	}
	r.Post(entry+"/translate", s.handleTranslateSave(ct))
}

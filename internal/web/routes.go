package web

import (
	"net/http"

	"github.com/go-chi/chi/v5"

	"twintowns/internal/twinning"
)

// Limits of request bodies, in bytes, declared with the routes that read them.
const (
	limitSignIn    = 8 << 10  // sign-in, sign-out, a new password: an e-mail address and passwords
	limitFeedback  = 64 << 10 // the public's feedback: 5,000 characters and an address
	limitStaffForm = 2 << 20  // a staff form: a site's texts at their longest in four languages
	limitPasskey   = 64 << 10 // a passkey's registration or sign-in: the authenticator's answer in JSON
	limitUpload    = maxUpload + 64<<10
	limitPhoto     = maxPhotoBody
	limitImport    = maxExchangeFile + 64<<10
)

// routes lists every URL of the product.
func (s *Server) routes() http.Handler {
	r := chi.NewRouter()
	r.Use(s.logRequests, s.watchProxy, s.recoverPanics, s.securityHeaders, headAsGet, s.refuseBadPaths, holdBodies)
	r.NotFound(s.handleNotFound)
	r.MethodNotAllowed(s.handleMethodNotAllowed)

	r.Get("/healthz", s.handleHealthz)
	r.Get("/static/*", s.handleStatic)
	r.Get("/favicon.ico", s.handleStatic)
	r.Get("/favicon.svg", s.handleStatic)

	// How much of a request's body its route reads, at most (readBody); a route that declares
	// no limit reads nothing.
	signInForm, publicForm, staffForm := s.readBody(limitSignIn), s.readBody(limitFeedback), s.readBody(limitStaffForm)
	passkeyForm := s.readBody(limitPasskey)

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
		r.Get("/photos/{file}", s.handle(s.handlePhoto)) // a photo's variant: /photos/0123456789abcdef-960.webp
		// Open data (opendata.go, datapackage.go, dcat.go): readable from any origin; the
		// middleware answers the CORS preflight (OPTIONS) itself.
		r.Route("/data", func(r chi.Router) {
			r.Use(withOpenDataHeaders)
			r.Get("/partnerships.json", s.cached(s.partnershipsJSON))
			r.Get("/partnerships.csv", s.cached(s.partnershipsCSV))
			r.Get("/partnerships-spreadsheet.csv", s.cached(s.partnershipsSheet))
			r.Get("/datapackage.json", s.cached(s.dataPackageFile))
			r.Get("/catalog.jsonld", s.cached(s.catalogJSONLD))
			r.Get("/catalog.ttl", s.cached(s.catalogTurtle))
			for _, t := range twinning.Types.Public() { // /data/events.json, /data/events.csv
				r.Get("/"+t.Public.Path+".json", s.cached(s.entriesData(t, asJSON)))
				r.Get("/"+t.Public.Path+".csv", s.cached(s.entriesData(t, asCSV)))
			}
		})

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
			r.With(csrf.Handler, publicForm).Post("/accessibility/feedback", s.handle(s.handleFeedback))
			r.Get("/accessibility/feedback/thanks", s.cached(s.feedbackThanksPage))
		})
	})

	// The staff area.
	r.Route("/admin", func(r chi.Router) {
		r.Use(s.withAdminLang, csrf.Handler, s.withSession)
		r.With(noReferrer).Get("/login", s.handle(s.handleLoginForm))
		r.With(noReferrer, signInForm).Post("/login", s.handle(s.handleLogin))
		r.With(signInForm).Post("/logout", s.handle(s.handleLogout))
		// The second step of a sign-in with a password: a code, a passkey or a recovery code.
		r.With(allowScript).Get("/login/verify", s.handle(s.handleVerifyForm))
		r.With(allowScript, signInForm).Post("/login/verify", s.handle(s.handleVerify))
		r.With(allowScript, passkeyForm).Post("/login/verify/passkey", s.handle(s.handleVerifyPasskey))
		// Sign-in through the municipality's OpenID providers.
		r.Get("/oidc/{provider}", s.handle(s.handleOIDCStart))
		r.Get("/oidc/{provider}/callback", s.handle(s.handleOIDCCallback))
		r.Get("/lang/{lang}", s.handle(s.handleAdminLang))
		r.With(noReferrer).Get("/password/{token}", s.handle(s.handlePasswordForm))
		r.With(noReferrer, signInForm).Post("/password/{token}", s.handle(s.handlePasswordSet))

		r.Group(func(r chi.Router) {
			r.Use(s.requireUser)
			r.Get("/", s.handle(s.handleAdminHome))
			r.Get("/sites", s.handle(s.handleSites))
			r.With(s.requireAdmin).Get("/audit", s.handle(s.handleAudit))

			r.Route("/users", func(r chi.Router) {
				r.Use(s.requireAdmin)
				r.Get("/", s.handle(s.handleUsers))
				r.Get("/new", s.handle(s.handleUserNew))
				r.With(staffForm).Post("/new", s.handle(s.handleUserInvite))
				r.Get("/{id}", s.handle(s.handleUserEdit))
				r.With(staffForm).Post("/{id}", s.handle(s.handleUserSave))
				r.With(staffForm).Post("/{id}/disable", s.handle(s.handleUserDisable))
				r.With(staffForm).Post("/{id}/enable", s.handle(s.handleUserEnable))
				r.With(staffForm).Post("/{id}/link", s.handle(s.handleUserLink))
				r.With(staffForm).Post("/{id}/second-factors/delete", s.handle(s.handleUserFactorsReset))
			})

			// Each person's own account: name, staff language, password, second factors,
			// linked provider accounts, sessions.
			r.Route("/profile", func(r chi.Router) {
				r.Use(allowScript)
				r.Get("/", s.handle(s.handleProfile))
				r.With(staffForm).Post("/", s.handle(s.handleProfileSave))
				r.With(signInForm).Post("/password", s.handle(s.handleProfilePassword))
				r.Get("/totp", s.handle(s.handleTOTPForm))
				r.With(signInForm).Post("/totp", s.handle(s.handleTOTPEnable))
				r.With(signInForm).Post("/totp/delete", s.handle(s.handleTOTPDisable))
				r.With(passkeyForm).Post("/passkeys", s.handle(s.handlePasskeyAdd))
				r.With(signInForm).Post("/passkeys/{id}/delete", s.handle(s.handlePasskeyRemove))
				r.With(signInForm).Post("/recovery-codes", s.handle(s.handleRecoveryCodesNew))
				r.With(signInForm).Post("/identities/{id}/delete", s.handle(s.handleIdentityUnlink))
				r.With(signInForm).Post("/sessions/end", s.handle(s.handleSessionsEnd))
			})

			// The instance's sign-in, for administrators: second-factor policy, providers' rules.
			r.Route("/identity", func(r chi.Router) {
				r.Use(s.requireAdmin)
				r.Get("/", s.handle(s.handleSignInSettings))
				r.With(staffForm).Post("/policy", s.handle(s.handleSecondFactorPolicy))
				r.With(staffForm).Post("/providers/{provider}", s.handle(s.handleProviderSave))
				r.With(staffForm).Post("/providers/{provider}/rules", s.handle(s.handleProviderRuleAdd))
				r.With(staffForm).Post("/providers/{provider}/rules/{rule}/delete", s.handle(s.handleProviderRuleDelete))
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
				r.With(s.readBody(limitUpload)).Post("/cities/{id}/documents", s.handle(s.handleDocumentUpload))
				r.With(staffForm).Post("/cities/{id}/documents/{doc}/delete", s.handleEntryTrash(twinning.DocumentType, true))
				r.With(staffForm).Post("/cities/{id}/documents/{doc}/restore", s.handleEntryTrash(twinning.DocumentType, false))
				// A city's photos: upload; a photo's file replaced, its place among its city's, its
				// files (drafts too) for staff. Its texts, trash and history are its entry's.
				r.With(s.readBody(limitPhoto)).Post("/cities/{id}/photos", s.handle(s.handlePhotoUpload))
				r.With(s.readBody(limitPhoto)).Post("/photos/{id}/replace", s.handle(s.handlePhotoReplace))
				r.With(staffForm).Post("/photos/{id}/move", s.handle(s.handlePhotoMove))
				r.Get("/photos/files/{file}", s.handle(s.handleStaffPhotoFile))
				// Translation: the overview, the parity report, exchange files for agencies.
				r.Get("/translations", s.handle(s.handleTranslations))
				r.Get("/translations/parity.csv", s.handle(s.handleParityCSV))
				r.With(staffForm).Post("/translations/export", s.handle(s.handleExport))
				r.Get("/translations/jobs/{job}/file", s.handle(s.handleJobFile))
				r.With(staffForm).Post("/translations/jobs/{job}/cancel", s.handle(s.handleJobCancel))
				r.With(s.requireAdmin).Get("/translations/glossary", s.handle(s.handleGlossary))
				r.With(s.requireAdmin, staffForm).Post("/translations/glossary", s.handle(s.handleGlossarySave))
				r.With(s.readBody(limitImport)).Post("/translations/import", s.handle(s.handleImport))
				// the file stays on the server between the preview and its confirmation
				r.With(staffForm).Post("/translations/import/confirm", s.handle(s.handleImportConfirm))
				r.Get("/trash", s.handle(s.handleTrash))
				r.Get("/feedback", s.handle(s.handleFeedbackList))
				// The languages of the site, for administrators.
				r.With(s.requireAdmin).Get("/settings", s.handleSettings)
				r.With(s.requireAdmin, staffForm).Post("/settings", s.handle(s.handleSettingsSave))
			})
		})
	})
	return r
}

// entryRoutes installs the staff screens of a content type under /{type path}: the list and
// a new entry (for types staff create), then per entry (/{id}, or the path itself for a type
// with one entry per site) the form, the public preview, the trash, the history, a revision
// and its restore, the translator's screen, and a page per type of entries that belong to it
// (their uploads are installed with the site's routes).
// Its forms are staff forms (limitStaffForm).
func (s *Server) entryRoutes(r chi.Router, ct *twinning.Type) {
	form := s.readBody(limitStaffForm)
	entry := "/" + ct.Staff.Path + "/{id}"
	if ct.Single {
		entry = "/" + ct.Staff.Path
	}
	if ct.Staff.List && !ct.Single {
		r.Get("/"+ct.Staff.Path, s.handleEntryList(ct))
	}
	if ct.Staff.Create {
		r.Get("/"+ct.Staff.Path+"/new", s.handleEntryNew(ct))
		r.With(form).Post("/"+ct.Staff.Path+"/new", s.handleEntryCreate(ct))
	}
	r.Get(entry, s.handleEntryEdit(ct))
	r.With(form).Post(entry, s.handleEntryUpdate(ct))
	if previews(ct) != nil {
		r.Get(entry+"/preview", s.handleEntryPreview(ct))
	}
	if ct.Trashable {
		r.With(form).Post(entry+"/delete", s.handleEntryTrash(ct, true))
		r.With(form).Post(entry+"/restore", s.handleEntryTrash(ct, false))
	}
	r.Get(entry+"/history", s.handleEntryHistory(ct))
	r.Get(entry+"/history/{rev}", s.handleEntryRevision(ct))
	r.With(form).Post(entry+"/history/{rev}/restore", s.handleEntryRevisionRestore(ct))
	r.Get(entry+"/translate", s.handleTranslate(ct))
	for _, c := range twinning.Types.Children(ct) { // /cities/{id}/documents, /cities/{id}/photos
		r.Get(entry+"/"+c.Staff.Path, s.handleChildren(ct, c))
	}
	r.With(form).Post(entry+"/translate", s.handleTranslateSave(ct))
}

package web

import (
	"net/http"
	"strconv"
	"strings"

	"twintowns/internal/locale"
	"twintowns/internal/twinning"
	"twintowns/templates/admin"
	"twintowns/templates/layout"
	"twintowns/templates/pages"
)

var siteTextFields = []string{"site_name", "intro", "partners_intro", "history_title", "history", "events_title", "events", "site_translated_from"}

func siteFormValues(site twinning.Site) map[string]string {
	v := map[string]string{"version": strconv.Itoa(site.Version)}
	for _, l := range site.RequiredLangs {
		v["required_"+l] = "on"
	}
	for l, t := range site.Texts {
		for f, s := range map[string]string{"site_name": t.Name, "intro": t.Intro, "partners_intro": t.PartnersIntro,
			"history_title": t.HistoryTitle, "history": t.History, "events_title": t.EventsTitle,
			"events": t.Events, "site_translated_from": t.TranslatedFrom} {
			v[f+"_"+l] = s
		}
	}
	return v
}

func siteTextsURL(r *http.Request) string { return "/admin/sites/" + adminSite(r).Slug + "/texts" }

// siteEdit renders the site texts form.
func (s *Server) siteEdit(w http.ResponseWriter, r *http.Request, status int, e admin.SiteEdit) {
	e.CanSetRequired = currentUser(r).IsAdmin
	s.page(w, r, status, admin.SiteTexts(s.frame(r, "admin.site.title"), e))
}

// handleSiteTexts shows the form of the site's own texts: the draft where there is one.
func (s *Server) handleSiteTexts(w http.ResponseWriter, r *http.Request) {
	site, err := s.admin.WorkingSite(r.Context(), adminSite(r).Slug)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	s.siteEdit(w, r, http.StatusOK, admin.SiteEdit{Form: admin.Form{Values: siteFormValues(site)}, HasDraft: site.HasDraft})
}

// handleSiteTextsSave previews, saves as a draft or publishes the site's texts; only an
// administrator may change the required languages. Bad input and conflicts bring the form back
// with everything typed.
func (s *Server) handleSiteTextsSave(w http.ResponseWriter, r *http.Request) {
	site := adminSite(r)
	if err := r.ParseForm(); err != nil {
		s.renderError(w, r, twinning.Errorf(twinning.EINVALID, "bad form: %v", err))
		return
	}
	v := map[string]string{"version": r.PostForm.Get("version")}
	for _, l := range twinning.Languages {
		for _, f := range siteTextFields {
			if x := r.PostForm.Get(f + "_" + l); x != "" {
				v[f+"_"+l] = x
			}
		}
		if r.PostForm.Get("required_"+l) != "" {
			v["required_"+l] = "on"
		}
	}
	working, err := s.admin.WorkingSite(r.Context(), site.Slug)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	edited, errs := parseSite(site, v, currentUser(r).IsAdmin)
	e := admin.SiteEdit{Form: admin.Form{Values: v, Errors: errs}, HasDraft: working.HasDraft}
	action := r.PostForm.Get("action")
	if action == "preview" {
		e.Form.Errors, e.Preview = nil, true
		s.siteEdit(w, r, http.StatusOK, e)
		return
	}
	if len(errs) > 0 {
		s.siteEdit(w, r, http.StatusUnprocessableEntity, e)
		return
	}
	publish := action == "publish"
	name := map[bool]string{true: "publish", false: "draft"}[publish]
	_, err = s.admin.SaveSiteTexts(r.Context(), edited, publish, name, s.actor(r))
	if twinning.ErrorCode(err) == twinning.ECONFLICT {
		theirs := siteFormValues(working)
		e.Form.Theirs = formDiff(v, theirs)
		e.Form.Values["version"] = theirs["version"]
		e.Conflict = true
		s.siteEdit(w, r, http.StatusConflict, e)
		return
	}
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	flash(r, map[bool]string{true: "admin.flash.published", false: "admin.flash.draft"}[publish])
	http.Redirect(w, r, siteTextsURL(r), http.StatusSeeOther)
}

// parseSite reads the site texts form into a site, with a message for each bad field.
func parseSite(site twinning.Site, v map[string]string, isAdmin bool) (twinning.Site, twinning.FieldErrors) {
	edited := site
	edited.Version, _ = strconv.Atoi(v["version"])
	edited.Texts = map[string]twinning.SiteText{}
	errs := twinning.FieldErrors{}
	if isAdmin {
		edited.RequiredLangs = nil
		for _, l := range twinning.Languages {
			if v["required_"+l] != "" {
				edited.RequiredLangs = append(edited.RequiredLangs, l)
			}
		}
	}
	for _, l := range twinning.Languages {
		t := twinning.SiteText{Lang: l, Name: strings.TrimSpace(v["site_name_"+l]), Intro: v["intro_"+l],
			PartnersIntro: v["partners_intro_"+l], HistoryTitle: strings.TrimSpace(v["history_title_"+l]),
			History: v["history_"+l], EventsTitle: strings.TrimSpace(v["events_title_"+l]), Events: v["events_"+l],
			TranslatedFrom: v["site_translated_from_"+l]}
		filled := t.Intro + t.PartnersIntro + t.HistoryTitle + t.History + t.EventsTitle + t.Events
		switch {
		case t.Name == "" && filled != "":
			errs["site_name_"+l] = "validation.name_needed"
		case t.Name == "":
			continue
		}
		for f, x := range map[string]string{"intro": t.Intro, "history": t.History, "events": t.Events} {
			if len([]rune(x)) > 4*twinning.MaxTextLen {
				errs[f+"_"+l] = "validation.too_long"
			}
		}
		if t.TranslatedFrom != "" && (!twinning.IsLanguage(t.TranslatedFrom) || t.TranslatedFrom == l) {
			errs["site_translated_from_"+l] = "validation.choice"
		}
		edited.Texts[l] = t
	}
	for _, l := range edited.RequiredLangs {
		if _, ok := edited.Texts[l]; !ok && errs["site_name_"+l] == "" {
			errs["site_name_"+l] = "validation.required_language"
		}
	}
	if len(edited.Texts) == 0 {
		errs["site_name_"+site.DefaultLang] = "validation.one_name"
	}
	return edited, errs
}

// handleSitePreview shows the site's home or history page (?page=history) with its draft
// texts, as the public would see them once published.
func (s *Server) handleSitePreview(w http.ResponseWriter, r *http.Request) {
	working, err := s.admin.WorkingSite(r.Context(), adminSite(r).Slug)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	c, err := s.content(r.Context(), adminSite(r))
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	lang := r.URL.Query().Get("lang")
	if !twinning.IsLanguage(lang) {
		lang = locale.From(r.Context()).Lang
	}
	tr := s.locales.For(lang)
	r = r.WithContext(locale.WithTranslator(r.Context(), tr))
	st, ok := working.Text(lang)
	p := layout.Page{Lang: lang, SiteName: st.Name, BaseURL: s.baseURL(r), Stylesheet: s.assets.url("css/site.css"),
		DefaultLang: working.DefaultLang, Preview: siteTextsURL(r), Title: st.Name}
	if r.URL.Query().Get("page") == "history" {
		if !working.HasHistory() {
			s.renderError(w, r, twinning.Errorf(twinning.ENOTFOUND, "site %s has no history", working.Slug))
			return
		}
		p.Path, p.Title = "/history", st.HistoryTitle+" – "+st.Name
		s.page(w, r, http.StatusOK, pages.HistoryPage(p, st, ok))
		return
	}
	p.Path, p.Title = "/", tr.T("home.heading", "Site", st.Name)
	s.page(w, r, http.StatusOK, pages.HomePage(p, homeView(working, c.Cities, lang)))
}

// handleSiteHistory lists the revisions of the site's texts.
func (s *Server) handleSiteHistory(w http.ResponseWriter, r *http.Request) {
	revs, err := s.admin.SiteRevisions(r.Context(), adminSite(r).ID)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	s.page(w, r, http.StatusOK, admin.HistoryPage(s.frame(r, "admin.site.history"), siteTextsURL(r), revs))
}

// siteRevision finds {rev} among the site's revisions, with the one before it.
func (s *Server) siteRevision(r *http.Request) (twinning.Revision, *twinning.Revision, error) {
	revs, err := s.admin.SiteRevisions(r.Context(), adminSite(r).ID)
	if err != nil {
		return twinning.Revision{}, nil, err
	}
	return findRevision(r, revs)
}

// handleSiteRevision shows what a revision of the site's texts changed.
func (s *Server) handleSiteRevision(w http.ResponseWriter, r *http.Request) {
	rev, before, err := s.siteRevision(r)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	old := map[string]string{}
	if before != nil {
		old = siteFormValues(before.Site)
	}
	changes := changesOf(locale.From(r.Context()), old, siteFormValues(rev.Site))
	name := siteRef(adminSite(r), locale.From(r.Context()).Lang).Name
	s.page(w, r, http.StatusOK, admin.RevisionPage(
		s.frame(r, "admin.revision.title", "City", name, "Version", strconv.Itoa(rev.Version)), siteTextsURL(r), rev, changes))
}

// handleSiteRevisionRestore makes an earlier state of the site's texts their draft again, as a
// new revision. Only an administrator's restore changes the required languages.
func (s *Server) handleSiteRevisionRestore(w http.ResponseWriter, r *http.Request) {
	rev, _, err := s.siteRevision(r)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	site := adminSite(r)
	restored := rev.Site
	restored.ID, restored.Slug, restored.Version = site.ID, site.Slug, site.Version
	if !currentUser(r).IsAdmin {
		restored.RequiredLangs = site.RequiredLangs
	}
	if _, err := s.admin.SaveSiteTexts(r.Context(), restored, false, "restore", s.actor(r)); err != nil {
		s.renderError(w, r, err)
		return
	}
	flash(r, "admin.flash.revision_restored")
	http.Redirect(w, r, siteTextsURL(r), http.StatusSeeOther)
}

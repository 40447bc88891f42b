package web

import (
	"net/http"
	"strconv"
	"strings"

	"twintowns/internal/twinning"
	"twintowns/templates/admin"
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

// handleSiteTexts shows the form of the site's own texts.
func (s *Server) handleSiteTexts(w http.ResponseWriter, r *http.Request) {
	site := adminSite(r)
	s.page(w, r, http.StatusOK, admin.SiteTexts(s.frame(r, "admin.site.title"),
		admin.Form{Values: siteFormValues(site)}, false, currentUser(r).IsAdmin))
}

// handleSiteTextsSave publishes the site's texts; the required languages only an
// administrator may change.
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
	edited := site
	edited.Version, _ = strconv.Atoi(v["version"])
	edited.Texts = map[string]twinning.SiteText{}
	errs := twinning.FieldErrors{}
	if currentUser(r).IsAdmin {
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
	form := admin.Form{Values: v, Errors: errs}
	if len(errs) > 0 {
		s.page(w, r, http.StatusUnprocessableEntity, admin.SiteTexts(s.frame(r, "admin.site.title"), form, false, currentUser(r).IsAdmin))
		return
	}
	_, err := s.admin.SaveSiteTexts(r.Context(), edited, s.actor(r))
	if twinning.ErrorCode(err) == twinning.ECONFLICT {
		current, err := s.admin.SiteBySlug(r.Context(), site.Slug)
		if err != nil {
			s.renderError(w, r, err)
			return
		}
		theirs := siteFormValues(current)
		form.Theirs = formDiff(v, theirs)
		form.Values["version"] = theirs["version"]
		s.page(w, r, http.StatusConflict, admin.SiteTexts(s.frame(r, "admin.site.title"), form, true, currentUser(r).IsAdmin))
		return
	}
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	flash(r, "admin.flash.published")
	http.Redirect(w, r, "/admin/sites/"+site.Slug+"/texts", http.StatusSeeOther)
}

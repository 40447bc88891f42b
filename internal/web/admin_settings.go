package web

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"twintowns/internal/locale"
	"twintowns/internal/twinning"
	"twintowns/templates/admin"
)

// handleSettings shows an administrator the languages of the site.
func (s *Server) handleSettings(w http.ResponseWriter, r *http.Request) {
	site := adminSite(r)
	f := admin.Form{Values: map[twinning.FieldKey]string{twinning.Fact("default_lang"): site.DefaultLang,
		twinning.Fact("licence"): site.DataLicence().ID, twinning.Fact("feedback_retention"): strconv.Itoa(site.FeedbackRetentionMonths)}}
	if p := site.Place; p.Located() {
		f.Values[twinning.Fact("latitude")] = strconv.FormatFloat(*p.Latitude, 'f', -1, 64)
		f.Values[twinning.Fact("longitude")] = strconv.FormatFloat(*p.Longitude, 'f', -1, 64)
	}
	for _, l := range site.Languages {
		f.Values[twinning.TextKey("language", l)] = "on"
	}
	for _, l := range site.RequiredLangs {
		f.Values[twinning.TextKey("required", l)] = "on"
	}
	s.settingsPage(w, r, http.StatusOK, f)
}

func (s *Server) settingsPage(w http.ResponseWriter, r *http.Request, status int, f admin.Form) {
	tr := locale.From(r.Context())
	var opts []admin.Option
	for _, l := range s.locales.Languages() {
		opts = append(opts, admin.Option{Value: l, Label: tr.Language(l)})
	}
	var licences []admin.Option
	for _, l := range twinning.Licences {
		licences = append(licences, admin.Option{Value: l.ID, Label: l.Name})
	}
	s.page(w, r, status, admin.SiteSettingsPage(s.frame(r, "admin.settings.title"), admin.Settings{Form: f, Languages: opts, Licences: licences}))
}

// handleSettingsSave stores the languages a site publishes, its default and its required
// ones: the languages of a site are data.
func (s *Server) handleSettingsSave(w http.ResponseWriter, r *http.Request) error {
	var err error
	if err = r.ParseForm(); err != nil {
		return twinning.Errorf(twinning.EINVALID, "bad form: %v", err)
	}
	site := adminSite(r)
	f := admin.Form{Values: map[twinning.FieldKey]string{}, Errors: twinning.FieldErrors{}}
	edited := site
	edited.Languages, edited.RequiredLangs = nil, nil
	edited.DefaultLang, edited.Licence = r.PostForm.Get("default_lang"), r.PostForm.Get("licence")
	f.Values[twinning.Fact("default_lang")] = edited.DefaultLang
	f.Values[twinning.Fact("licence")] = edited.Licence
	retention := strings.TrimSpace(r.PostForm.Get("feedback_retention"))
	f.Values[twinning.Fact("feedback_retention")] = retention
	if edited.FeedbackRetentionMonths, err = strconv.Atoi(retention); err != nil {
		edited.FeedbackRetentionMonths = 0 // refused by ValidateSettings
	}
	lat, lon := r.PostForm.Get("latitude"), r.PostForm.Get("longitude")
	f.Values[twinning.Fact("latitude")], f.Values[twinning.Fact("longitude")] = lat, lon
	place, placeErrs := twinning.ReadPlace(lat, lon)
	// the store forgets the GeoNames id when the coordinates change
	edited.Place.Latitude, edited.Place.Longitude = place.Latitude, place.Longitude
	for _, l := range s.locales.Languages() {
		if r.PostForm.Get(twinning.TextKey("language", l).String()) != "" {
			edited.Languages = append(edited.Languages, l)
			f.Values[twinning.TextKey("language", l)] = "on"
		}
		if r.PostForm.Get(twinning.TextKey("required", l).String()) != "" {
			edited.RequiredLangs = append(edited.RequiredLangs, l)
			f.Values[twinning.TextKey("required", l)] = "on"
		}
	}
	// keep the order the site had, new languages after
	slices.SortStableFunc(edited.Languages, func(a, b string) int { return order(site.Languages, a) - order(site.Languages, b) })
	f.Errors = placeErrs.Merge(edited.ValidateSettings())
	if len(f.Errors) > 0 {
		s.settingsPage(w, r, http.StatusUnprocessableEntity, f)
		return nil
	}
	if err := s.admin.SaveSiteSettings(r.Context(), edited, s.actor(r)); err != nil {
		return err
	}
	flash(r, "admin.flash.saved")
	http.Redirect(w, r, s.urls(r).settings(), http.StatusSeeOther)
	return nil
}

func order(langs []string, l string) int {
	if i := slices.Index(langs, l); i >= 0 {
		return i
	}
	return len(langs)
}

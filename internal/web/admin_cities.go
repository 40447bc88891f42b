package web

import (
	"context"
	"net/http"
	"strconv"

	"twintowns/internal/locale"
	"twintowns/internal/twinning"
	"twintowns/templates/admin"
	"twintowns/templates/layout"
	"twintowns/templates/pages"
)

// handleCityList lists the site's cities with the state of each language.
func (s *Server) handleCityList(w http.ResponseWriter, r *http.Request) {
	f := twinning.CityFilter{}
	kind, status := r.URL.Query().Get("kind"), r.URL.Query().Get("status")
	switch twinning.Kind(kind) {
	case twinning.KindTwin, twinning.KindPartner:
		f.Kind = twinning.Kind(kind)
	default:
		kind = ""
	}
	if twinning.Status(status).Valid() {
		f.Status = twinning.Status(status)
	} else {
		status = ""
	}
	rows, err := s.cityRows(r, f)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	s.page(w, r, http.StatusOK, admin.CityList(s.frame(r, "admin.list.title"), rows, kind, status))
}

// handleTrash lists the deleted cities.
func (s *Server) handleTrash(w http.ResponseWriter, r *http.Request) {
	rows, err := s.cityRows(r, twinning.CityFilter{Trash: true})
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	s.page(w, r, http.StatusOK, admin.Trash(s.frame(r, "admin.trash.title"), rows))
}

func (s *Server) cityRows(r *http.Request, f twinning.CityFilter) ([]admin.CityRow, error) {
	site := adminSite(r)
	cities, err := s.admin.WorkingCities(r.Context(), site.ID, f)
	if err != nil {
		return nil, err
	}
	lang := locale.From(r.Context()).Lang
	rows := make([]admin.CityRow, len(cities))
	for i, c := range cities {
		t, _ := c.Text(lang, site)
		rows[i] = admin.CityRow{City: c, Name: t.Name, Langs: langStates(c)}
	}
	return rows, nil
}

func langStates(c twinning.City) []admin.LangState {
	var out []admin.LangState
	for _, l := range twinning.Languages {
		out = append(out, admin.LangState{Lang: l, State: c.Translation(l)})
	}
	return out
}

// handleCityNew shows an empty form for a new city.
func (s *Server) handleCityNew(w http.ResponseWriter, r *http.Request) {
	v := map[string]string{"kind": "partner", "status": string(twinning.StatusUnknown), "agreement_precision": "unknown", "links": "0"}
	s.cityForm(w, r, http.StatusOK, admin.CityEdit{Form: admin.Form{Values: v}})
}

// handleCityEdit shows the form of a city's working copy.
func (s *Server) handleCityEdit(w http.ResponseWriter, r *http.Request) {
	c, err := s.workingCity(r)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	s.cityForm(w, r, http.StatusOK, editOf(c, admin.Form{Values: formValues(c)}))
}

func (s *Server) workingCity(r *http.Request) (twinning.City, error) {
	id, err := idParam(r, "id")
	if err != nil {
		return twinning.City{}, err
	}
	c, err := s.admin.WorkingCity(r.Context(), adminSite(r).ID, id)
	if err == nil && c.DeletedAt != nil {
		err = twinning.Errorf(twinning.ENOTFOUND, "city %d is in the trash", id)
	}
	return c, err
}

func editOf(c twinning.City, f admin.Form) admin.CityEdit {
	return admin.CityEdit{ID: c.ID, Form: f, Published: c.PublishedAt != nil, HasDraft: c.HasDraft,
		Attachments: c.Attachments, Langs: langStates(c)}
}

// cityForm renders the edit form; the title names the city in the staff's language.
func (s *Server) cityForm(w http.ResponseWriter, r *http.Request, status int, e admin.CityEdit) {
	tr := locale.From(r.Context())
	site := adminSite(r)
	e.Required = site.RequiredLangs
	for _, c := range tr.Countries() {
		e.Countries = append(e.Countries, admin.Option{Value: c.Code, Label: c.Name})
	}
	if e.Form.V("country") == "" {
		e.Countries = append([]admin.Option{{Value: "", Label: tr.T("admin.choose")}}, e.Countries...)
	}
	if e.Langs == nil {
		c, _ := parseCity(e.Form.Values)
		e.Langs = langStates(c)
	}
	var f admin.Frame
	if e.ID == 0 {
		f = s.frame(r, "admin.city.new")
	} else {
		name := e.Form.V("name_" + tr.Lang)
		for _, l := range twinning.Languages {
			if name == "" {
				name = e.Form.V("name_" + l)
			}
		}
		f = s.frame(r, "admin.city.edit", "City", name)
	}
	s.page(w, r, status, admin.CityForm(f, e))
}

// handleCitySave creates or saves a city from its form: preview (nothing stored), draft, or
// publish. Bad input and conflicts bring the form back with everything typed.
func (s *Server) handleCitySave(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	site := adminSite(r)
	if err := r.ParseForm(); err != nil {
		s.renderError(w, r, twinning.Errorf(twinning.EINVALID, "bad form: %v", err))
		return
	}
	values := readForm(r.PostForm)
	action := r.PostForm.Get("action")
	var prev *twinning.City
	isNew := r.URL.Path == "/admin/sites/"+site.Slug+"/cities/new"
	if !isNew {
		c, err := s.workingCity(r)
		if err != nil {
			s.renderError(w, r, err)
			return
		}
		prev = &c
	}
	edit := admin.CityEdit{Form: admin.Form{Values: values}}
	if prev != nil {
		edit = editOf(*prev, edit.Form)
	}
	c, errs := parseCity(values)
	reviewTranslations(&c, prev, values)
	edit.Langs = langStates(c)
	if action == "preview" {
		edit.Preview = true
		s.cityForm(w, r, http.StatusOK, edit)
		return
	}
	publish := action == "publish"
	for k, v := range c.Validate() {
		if _, ok := errs[k]; !ok {
			errs[k] = v
		}
	}
	if publish {
		for k, v := range c.ValidatePublish(site) {
			errs[k] = v
		}
	}
	if len(errs) > 0 {
		edit.Form.Errors = errs
		s.cityForm(w, r, http.StatusUnprocessableEntity, edit)
		return
	}
	flashID := "admin.flash.draft"
	if publish {
		flashID = "admin.flash.published"
	}
	var err error
	var id int64
	if isNew {
		id, err = s.admin.CreateCity(ctx, site.ID, c, publish, s.actor(r))
	} else {
		c.ID, id = prev.ID, prev.ID
		name := "draft"
		if publish {
			name = "publish"
		}
		_, err = s.admin.SaveCity(ctx, site.ID, c, publish, name, s.actor(r))
	}
	switch twinning.ErrorCode(err) {
	case "":
		flash(r, flashID)
		http.Redirect(w, r, "/admin/sites/"+site.Slug+"/cities/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
	case twinning.EINVALID:
		edit.Form.Errors = validationFields(err)
		s.cityForm(w, r, http.StatusUnprocessableEntity, edit)
	case twinning.ECONFLICT:
		s.conflict(w, r, edit)
	default:
		s.renderError(w, r, err)
	}
}

// conflict brings the form back after someone else saved the entry: the person's values stay,
// the other version is shown under every field that differs, and the form now carries the
// current version, so saving again stores the merge.
func (s *Server) conflict(w http.ResponseWriter, r *http.Request, edit admin.CityEdit) {
	current, err := s.workingCity(r)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	theirs := formValues(current)
	edit.Form.Theirs = formDiff(edit.Form.Values, theirs)
	edit.Form.Values["version"] = theirs["version"]
	edit.Conflict = true
	if revs, err := s.admin.Revisions(r.Context(), adminSite(r).ID, current.ID); err == nil && len(revs) > 0 {
		edit.ConflictBy = revs[0].AuthorEmail
	}
	s.cityForm(w, r, http.StatusConflict, edit)
}

func validationFields(err error) twinning.FieldErrors {
	if v, ok := err.(*twinning.ValidationError); ok {
		return v.Fields
	}
	return twinning.FieldErrors{}
}

// reviewTranslations keeps each translation's review mark, renewing it where the person
// edited the translation or ticked "reviewed".
func reviewTranslations(c *twinning.City, prev *twinning.City, values map[string]string) {
	for _, l := range twinning.Languages {
		t, ok := c.Texts[l]
		if !ok || t.TranslatedFrom == "" {
			continue
		}
		var old twinning.CityText
		var had bool
		if prev != nil {
			old, had = prev.Texts[l]
		}
		changed := !had || old.Hash() != t.Hash() || old.TranslatedFrom != t.TranslatedFrom
		if changed || values["reviewed_"+l] != "" {
			c.MarkReviewed(l)
		} else {
			t.ReviewedSourceHash = old.ReviewedSourceHash
			c.Texts[l] = t
		}
	}
}

// handleCityPreview shows the working copy as the public page would, in ?lang.
func (s *Server) handleCityPreview(w http.ResponseWriter, r *http.Request) {
	c, err := s.workingCity(r)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	site := adminSite(r)
	lang := r.URL.Query().Get("lang")
	if !twinning.IsLanguage(lang) {
		lang = locale.From(r.Context()).Lang
	}
	tr := s.locales.For(lang)
	ctx := locale.WithTranslator(r.Context(), tr)
	st, _ := site.Text(lang)
	text, ok := c.Text(lang, site)
	p := layout.Page{Lang: lang, Title: text.Name, SiteName: st.Name, Path: "/cities/" + c.Slug,
		BaseURL: s.baseURL(r), Stylesheet: s.assets.url("css/site.css"), DefaultLang: site.DefaultLang,
		Preview: "/admin/sites/" + site.Slug + "/cities/" + strconv.FormatInt(c.ID, 10)}
	s.page(w, r.WithContext(ctx), http.StatusOK, pages.CityPage(p, pages.CityView{City: c, Site: site, Text: text, TextOK: ok}))
}

// handleCityDelete moves a city to the trash.
func (s *Server) handleCityDelete(w http.ResponseWriter, r *http.Request) {
	s.trashAction(w, r, s.admin.DeleteCity, "admin.flash.deleted", "/trash")
}

// handleCityRestore takes a city out of the trash.
func (s *Server) handleCityRestore(w http.ResponseWriter, r *http.Request) {
	s.trashAction(w, r, s.admin.RestoreCity, "admin.flash.restored", "/cities")
}

func (s *Server) trashAction(w http.ResponseWriter, r *http.Request,
	do func(ctx context.Context, siteID, id int64, by twinning.Actor) error, flashID, next string) {
	id, err := idParam(r, "id")
	if err == nil {
		err = do(r.Context(), adminSite(r).ID, id, s.actor(r))
	}
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	flash(r, flashID)
	http.Redirect(w, r, "/admin/sites/"+adminSite(r).Slug+next, http.StatusSeeOther)
}

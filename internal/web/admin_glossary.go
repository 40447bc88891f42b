package web

import (
	"net/http"
	"strings"

	"twintowns/internal/locale"
	"twintowns/internal/twinning"
	"twintowns/templates/admin"
)

// The site's glossary: the terms agreed per language, which the quality checks of
// translations look for (imports and the translator's screen). Administrators edit it.

// handleGlossary shows the glossary as a form: one row per entry, a term per language of the
// site, and empty rows to add entries.
func (s *Server) handleGlossary(w http.ResponseWriter, r *http.Request) error {
	g, err := s.admin.Glossary(r.Context(), adminSite(r).ID)
	if err != nil {
		return err
	}
	f := admin.Form{Values: map[twinning.FieldKey]string{}}
	for i, e := range g {
		for lang, term := range e.Terms {
			f.Values[twinning.GlossaryKey(i, lang)] = term
		}
	}
	return s.glossaryPage(w, r, http.StatusOK, f, len(g))
}

// glossaryRowsFree is how many empty rows the form offers for new entries.
const glossaryRowsFree = 3

func (s *Server) glossaryPage(w http.ResponseWriter, r *http.Request, status int, f admin.Form, rows int) error {
	site := adminSite(r)
	tr := locale.From(r.Context())
	v := admin.GlossaryView{Form: f, Rows: rows + glossaryRowsFree, Action: s.urls(r).glossary()}
	for _, l := range site.Languages {
		v.Languages = append(v.Languages, admin.Option{Value: l, Label: tr.Language(l)})
	}
	s.page(w, r, status, admin.GlossaryPage(s.frame(r, "admin.glossary.title"), v))
	return nil
}

// maxGlossaryRows bounds the rows a posted glossary may have.
const maxGlossaryRows = 500

// handleGlossarySave replaces the glossary with the form's rows; a row left empty is dropped.
func (s *Server) handleGlossarySave(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return twinning.Errorf(twinning.EINVALID, "bad form: %v", err)
	}
	site := adminSite(r)
	f := admin.Form{Values: map[twinning.FieldKey]string{}}
	var g []twinning.GlossaryEntry
	for i := 0; i < maxGlossaryRows; i++ {
		e := twinning.GlossaryEntry{Terms: map[string]string{}}
		seen := false
		for _, l := range site.Languages {
			k := twinning.GlossaryKey(i, l)
			v, ok := r.PostForm[k.String()]
			seen = seen || ok
			if ok && strings.TrimSpace(v[0]) != "" {
				e.Terms[l] = strings.TrimSpace(v[0])
				f.Values[k] = v[0]
			}
		}
		if !seen {
			break
		}
		g = append(g, e)
	}
	if f.Errors = twinning.ValidateGlossary(site, g); len(f.Errors) > 0 {
		return s.glossaryPage(w, r, http.StatusUnprocessableEntity, f, len(g))
	}
	if err := s.admin.SaveGlossary(r.Context(), site.ID, g, s.actor(r)); err != nil {
		return err
	}
	flash(r, "admin.flash.glossary_saved")
	http.Redirect(w, r, s.urls(r).glossary(), http.StatusSeeOther)
	return nil
}

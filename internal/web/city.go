package web

import (
	"net/http"

	"github.com/a-h/templ"
	"github.com/go-chi/chi/v5"

	"twintowns/internal/locale"
	"twintowns/internal/twinning"
	"twintowns/templates/components"
	"twintowns/templates/layout"
	"twintowns/templates/pages"
)

// cityPage shows one twin town or partner city.
func (s *Server) cityPage(r *http.Request) (templ.Component, error) {
	p, _, v, err := s.cityFrame(r)
	if err != nil {
		return nil, err
	}
	tr := locale.From(r.Context())
	p.Title = tr.T("city.title", "City", v.Text.Name, "Country", tr.Country(v.City.Country), "Site", p.SiteName)
	p.Description = components.Summary(v.Text.Description+" "+v.Text.Aims, 160)
	withCityMeta(&p, v.City, v.Text, tr)
	return pages.CityPage(p, v), nil
}

// cityFrame returns the layout data of the page of the city in the URL, the site's content,
// and the city with its text in the reader's language.
func (s *Server) cityFrame(r *http.Request) (layout.Page, twinning.Content, pages.CityView, error) {
	slug := chi.URLParam(r, "slug")
	p, c, err := s.pageFrame(r, "/cities/"+slug)
	if err != nil {
		return p, c, pages.CityView{}, err
	}
	city, err := c.City(slug)
	if err != nil {
		return p, c, pages.CityView{}, err
	}
	text, ok := city.Text(locale.From(r.Context()).Lang, c.Site)
	lang := locale.From(r.Context()).Lang
	return p, c, pages.CityView{City: city, Site: c.Site, Text: text, TextOK: ok, Related: related(lang, c, city)}, nil
}

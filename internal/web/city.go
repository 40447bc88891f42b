package web

import (
	"net/http"

	"github.com/a-h/templ"
	"github.com/go-chi/chi/v5"

	"twintowns/internal/locale"
	"twintowns/templates/components"
	"twintowns/templates/pages"
)

// cityPage shows one twin town or partner city.
func (s *Server) cityPage(r *http.Request) (templ.Component, error) {
	slug := chi.URLParam(r, "slug")
	p, c, err := s.pageFrame(r, "/cities/"+slug)
	if err != nil {
		return nil, err
	}
	city, err := c.City(slug)
	if err != nil {
		return nil, err
	}
	tr := locale.From(r.Context())
	text, ok := city.Text(tr.Lang, c.Site)
	p.Title = tr.T("city.title", "City", text.Name, "Country", tr.Country(city.Country), "Site", p.SiteName)
	p.Description = components.Summary(text.Description+" "+text.Aims, 160)
	withCityMeta(&p, city, text, tr)
	return pages.CityPage(p, pages.CityView{City: city, Site: c.Site, Text: text, TextOK: ok}), nil
}

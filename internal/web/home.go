package web

import (
	"net/http"

	"github.com/a-h/templ"

	"twintowns/internal/locale"
	"twintowns/internal/twinning"
	"twintowns/templates/components"
	"twintowns/templates/pages"
)

// homePage lists a site's twin towns and partner cities.
func (s *Server) homePage(r *http.Request) (templ.Component, error) {
	p, c, err := s.pageFrame(r, "/")
	if err != nil {
		return nil, err
	}
	tr := locale.From(r.Context())
	st, ok := c.Site.Text(tr.Lang)
	h := pages.Home{Site: st, SiteOK: ok, History: c.Site.HasHistory()}
	for _, city := range c.Cities {
		text, _ := city.Text(tr.Lang, c.Site)
		item := pages.CityItem{City: city, Text: text}
		if city.Kind == twinning.KindTwin {
			h.Twins = append(h.Twins, item)
		} else {
			h.Partners = append(h.Partners, item)
		}
	}
	p.Title = tr.T("home.heading", "Site", p.SiteName)
	p.Description = components.Summary(st.Intro, 160)
	return pages.HomePage(p, h), nil
}

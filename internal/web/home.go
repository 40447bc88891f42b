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
	h := homeView(c.Site, c.Cities, tr.Lang)
	p.Title = tr.T(h.HeadingID(), "Site", p.SiteName)
	p.Description = components.Summary(h.Site.Intro, 160)
	p.DataLinks, p.MainEntity = true, partnerList(p, c.Site, c.Cities, tr)
	return pages.HomePage(p, h), nil
}

// homeView is what the home page of site shows in lang: its text and its cities by kind.
func homeView(site twinning.Site, cities []twinning.City, lang string) pages.Home {
	st, ok := site.Text(lang)
	h := pages.Home{Site: st, SiteOK: ok, History: site.HasHistory(), Place: site.Place, Country: site.Country}
	for _, city := range cities {
		text, _ := city.Text(lang, site)
		item := pages.CityItem{City: city, Text: text}
		if city.Kind == twinning.KindTwin {
			h.Twins = append(h.Twins, item)
		} else {
			h.Partners = append(h.Partners, item)
		}
	}
	return h
}

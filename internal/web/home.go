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
	h := homeView(c.Site, c, tr.Lang)
	p.Title = tr.T(h.HeadingID(), "Site", p.SiteName)
	p.Description = components.Summary(h.Site.Intro, 160)
	p.DataLinks, p.MainEntity = true, partnerList(p, c.Site, c.Cities, tr)
	return pages.HomePage(p, h), nil
}

// homeView is what the home page of site (with c's published content) shows in lang: its
// text, its cities by kind, and its dated entries (joint events) on the timeline.
func homeView(site twinning.Site, c twinning.Content, lang string) pages.Home {
	st, ok := site.Text(lang)
	h := pages.Home{Site: st, SiteOK: ok, History: site.HasHistory(), Place: site.Place, Country: site.Country, Dated: datedEntries(lang, c)}
	for _, t := range twinning.Types.Public() {
		if len(c.Entries[t]) > 0 {
			h.Lists = append(h.Lists, t)
		}
	}
	for _, city := range c.Cities {
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

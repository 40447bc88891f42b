package pages

import (
	"twintowns/internal/geo"
	"twintowns/internal/twinning"
	"twintowns/templates/components"
	"twintowns/templates/layout"
)

// cityPlace is a city as a place on a map of a page in lang.
func cityPlace(c twinning.City, t twinning.CityText, lang string) components.MapPlace {
	return components.MapPlace{Place: c.Place(), Kind: components.MarkerKind(c.Kind), Name: t.Name,
		Lang: t.Lang, Href: layout.Href(lang, "/cities/"+c.Slug), Country: c.Country}
}

// sitePlace is the municipality as a place on a map.
func sitePlace(country string, place twinning.Place, name, nameLang string) components.MapPlace {
	return components.MapPlace{Place: place, Kind: geo.MarkerHome, Name: name, Lang: nameLang, Country: country}
}

// HomeMap is the map of the home page: the municipality and every city, numbered as the
// page lists them.
func HomeMap(p layout.Page, h Home) components.MapView {
	places := []components.MapPlace{sitePlace(h.Country, h.Place, p.SiteName, h.Site.Lang)}
	for i, it := range append(append([]CityItem{}, h.Twins...), h.Partners...) {
		c := cityPlace(it.City, it.Text, p.Lang)
		c.Number = i + 1
		places = append(places, c)
	}
	return components.HomeMap(places)
}

// homeTimeline is the partnerships of the home page by year.
func homeTimeline(p layout.Page, h Home) components.Timeline {
	var entries []components.TimelineEntry
	for _, it := range append(append([]CityItem{}, h.Twins...), h.Partners...) {
		entries = append(entries, components.TimelineEntry{Name: it.Text.Name, Lang: it.Text.Lang,
			Href: layout.Href(p.Lang, "/cities/"+it.City.Slug), Kind: it.City.Kind, Agreement: it.City.Agreement})
	}
	return components.NewTimeline(append(entries, h.Dated...))
}

// CityMap is the locator map of a city's page, with the municipality when it is near.
func CityMap(p layout.Page, v CityView) components.MapView {
	site, _ := v.Site.Text(p.Lang)
	return components.LocatorMap(cityPlace(v.City, v.Text, p.Lang), sitePlace(v.Site.Country, v.Site.Place, p.SiteName, site.Lang))
}

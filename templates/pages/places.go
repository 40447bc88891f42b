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
		Lang: t.Lang, Href: layout.Href(lang, "/cities/"+c.Slug)}
}

// sitePlace is the municipality as a place on a map.
func sitePlace(site twinning.Place, name, nameLang string) components.MapPlace {
	return components.MapPlace{Place: site, Kind: geo.MarkerHome, Name: name, Lang: nameLang}
}

// HomeMap is the map of the home page: the municipality and every city.
func HomeMap(p layout.Page, h Home) components.MapView {
	places := []components.MapPlace{sitePlace(h.Place, p.SiteName, h.Site.Lang)}
	for _, it := range append(append([]CityItem{}, h.Twins...), h.Partners...) {
		places = append(places, cityPlace(it.City, it.Text, p.Lang))
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
	return components.LocatorMap(cityPlace(v.City, v.Text, p.Lang), sitePlace(v.Site.Place, p.SiteName, site.Lang))
}

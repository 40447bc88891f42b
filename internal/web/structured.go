package web

import (
	"cmp"
	"strconv"
	"strings"

	"twintowns/internal/locale"
	"twintowns/internal/twinning"
	"twintowns/templates/components"
	"twintowns/templates/layout"
	"twintowns/templates/pages"
)

// withSiteMeta adds to a public page's frame what link previews, the JSON-LD and the footer
// say about the site: its share image, country, open-data licence and the municipality.
func withSiteMeta(p *layout.Page, site twinning.Site, tr *locale.Translator) {
	p.Country = site.Country
	p.Licence = site.DataLicence()
	p.ShareImage = p.BaseURL + layout.Href(p.Lang, "/share.png")
	p.ShareImageAlt = tr.T("share.image.site", "Site", p.SiteName)
	p.About = &layout.Place{Type: "City", Name: p.SiteName, URL: p.BaseURL + layout.Href(p.Lang, "/"),
		Address: countryAddress(site.Country), ContainedInPlace: country(site.Country, tr)}
}

// withCityMeta makes city the main entity and share image of its page.
func withCityMeta(p *layout.Page, city twinning.City, text twinning.CityText, tr *locale.Translator) {
	p.ShareImage = p.BaseURL + layout.Href(p.Lang, "/cities/"+city.Slug+"/share.png")
	p.ShareImageAlt = tr.T("share.image.city", "City", text.Name)
	if len(city.Photos) > 0 { // the lead photo, cut to the share image's size
		if v, ok := city.Photos[0].Share(); ok {
			p.ShareImage, p.ShareImageType = p.BaseURL+twinning.PhotoPath(city.Photos[0].Fingerprint, v), "image/jpeg"
			p.ShareImageAlt = city.Photos[0].Alt[p.Lang]
			for _, l := range p.Languages { // else in the first of the site's languages that has one
				p.ShareImageAlt = cmp.Or(p.ShareImageAlt, city.Photos[0].Alt[l])
			}
		}
	}
	p.MainEntity = cityPlace(city, text, p.URL(p.Lang), tr)
}

// partnerList is the schema.org list of a site's partner cities, for its home page.
func partnerList(p layout.Page, site twinning.Site, cities []twinning.City, tr *locale.Translator) layout.ItemList {
	list := layout.ItemList{Type: "ItemList", Name: p.Title, Elements: []layout.ListItem{}}
	for i, city := range cities {
		text, _ := city.Text(p.Lang, site)
		url := p.BaseURL + layout.Href(p.Lang, "/cities/"+city.Slug)
		// The city's own page carries the rest (sameAs, geo): the home page stays small.
		list.Elements = append(list.Elements, layout.ListItem{Type: "ListItem", Position: i + 1,
			Item: layout.Place{Type: "City", Name: text.Name, URL: url, ContainedInPlace: country(city.Country, tr)}})
	}
	return list
}

// cityPlace is a partner city as a schema.org City, named in text's language.
func cityPlace(city twinning.City, text twinning.CityText, url string, tr *locale.Translator) layout.Place {
	pl := layout.Place{Type: "City", Name: text.Name, URL: url, Address: countryAddress(city.Country),
		ContainedInPlace: country(city.Country, tr)}
	if city.Latitude != nil && city.Longitude != nil {
		pl.Geo = &layout.Coordinates{Type: "GeoCoordinates", Latitude: *city.Latitude, Longitude: *city.Longitude}
	}
	for _, l := range city.Links {
		if l.Kind == twinning.LinkWikipedia || l.Kind == twinning.LinkOfficial {
			pl.SameAs = append(pl.SameAs, l.URL)
		}
	}
	if city.WikidataID != "" {
		pl.SameAs = append(pl.SameAs, wikidataURL(city.WikidataID))
	}
	return pl
}

func country(code string, tr *locale.Translator) *layout.Place {
	return &layout.Place{Type: "Country", Name: tr.Country(code), Identifier: code}
}

func countryAddress(code string) *layout.Address {
	return &layout.Address{Type: "PostalAddress", Country: code}
}

// wikidataURL is the address of a Wikidata item ("Q1799").
func wikidataURL(id string) string { return "https://www.wikidata.org/wiki/" + id }

// eventLD is an entry whose type's schema is Event as a schema.org Event: its start (a school
// year runs into the next), its location (the city it was held in, else the municipality;
// its venue where it has one) and its organisers (the municipality and the partner cities
// that took part).
func eventLD(p layout.Page, c twinning.Content, e twinning.Entry, v pages.EntryView, tr *locale.Translator) layout.Event {
	ev := layout.Event{Type: "Event", Name: v.Name, URL: p.URL(p.Lang), InLanguage: v.Lang,
		Description: components.Summary(strings.Join(v.Body, " "), 300)}
	if v.Date != nil {
		ev.StartDate = v.Date.Datetime()
		if v.Date.Precision == twinning.DateSchoolYear {
			ev.EndDate = strconv.Itoa(v.Date.Year + 1)
		}
	}
	home := layout.Place{Type: "City", Name: p.SiteName, URL: p.BaseURL + layout.Href(p.Lang, "/"),
		Address: countryAddress(c.Site.Country)}
	ev.Organizer = append(ev.Organizer, layout.Organization{Type: "GovernmentOrganization", Name: p.SiteName,
		URL: home.URL, Address: home.Address})
	location := &home
	for _, f := range e.Type.Facts {
		if f.Kind != twinning.FactReference || f.Ref != twinning.CityType {
			continue
		}
		for _, id := range e.Refs(f.Key) {
			city, ok := c.CityByID(id)
			if !ok {
				continue
			}
			text, _ := city.Text(p.Lang, c.Site)
			pl := cityPlace(city, text, p.BaseURL+layout.Href(p.Lang, "/cities/"+city.Slug), tr)
			if f.Many {
				ev.Organizer = append(ev.Organizer, layout.Organization{Type: "GovernmentOrganization", Name: text.Name,
					URL: pl.URL, Address: pl.Address})
			} else {
				location = &pl
			}
		}
	}
	for _, fv := range v.Facts {
		if fv.LabelID == e.Type.Name+".fact.venue" {
			location = &layout.Place{Type: "Place", Name: fv.Values[0].Text, ContainedInPlace: location}
		}
	}
	ev.Location = location
	return ev
}

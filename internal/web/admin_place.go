package web

import (
	"net/url"
	"strconv"
	"strings"

	"twintowns/internal/geo"
	"twintowns/internal/twinning"
	"twintowns/templates/admin"
)

// placeResults is how many places the place picker lists.
const placeResults = 12

// pickPlace is the place picker's answer to a form: the places of the entry's country named
// as searched, or, when one was chosen (?place=GeoNames id), its coordinates and id filled
// into the form. Nothing is stored until the person saves.
func pickPlace(ct *twinning.Type, posted url.Values, f admin.Form) admin.PlacePicker {
	p := admin.PlacePicker{Query: strings.TrimSpace(posted.Get("place_query")), Searched: true}
	var coords []twinning.FieldKey
	for _, fd := range ct.Facts {
		switch {
		case fd.Options == twinning.OptionsCountries:
			p.Country = strings.ToUpper(f.V(fd.Keys(0)[0]))
		case fd.Kind == twinning.FactCoordinates:
			coords = fd.Keys(0)
		}
	}
	if len(p.Country) != 2 {
		p.Country = ""
		return p
	}
	if id, err := strconv.ParseInt(posted.Get("place"), 10, 64); err == nil && coords != nil {
		if pl, ok := geo.PlaceByID(p.Country, id); ok {
			f.Values[coords[0]] = strconv.FormatFloat(pl.Lat, 'f', -1, 64)
			f.Values[coords[1]] = strconv.FormatFloat(pl.Lon, 'f', -1, 64)
			f.Values[coords[2]] = strconv.FormatInt(pl.ID, 10)
			p.Chosen, p.Searched = &pl, false
			return p
		}
	}
	p.Found = geo.SearchPlaces(p.Country, p.Query, placeResults)
	return p
}

package twinning

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"time"
)

// FieldErrors maps a field to the message ID of what is wrong with it.
type FieldErrors map[FieldKey]string

// Err returns the errors as an EINVALID error, or nil when there are none.
func (f FieldErrors) Err() error {
	if len(f) == 0 {
		return nil
	}
	return &ValidationError{Fields: f}
}

// Merge adds the errors of o to f where f has none for the field.
func (f FieldErrors) Merge(o FieldErrors) FieldErrors {
	for k, v := range o {
		if _, ok := f[k]; !ok {
			f[k] = v
		}
	}
	return f
}

// ValidationError is bad input: the form comes back with a message next to each field.
type ValidationError struct{ Fields FieldErrors }

func (e *ValidationError) Error() string { return fmt.Sprintf("invalid input: %v", e.Fields) }

var (
	slugRE     = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,79}$`)
	countryRE  = regexp.MustCompile(`^[A-Z]{2}$`)
	wikidataRE = regexp.MustCompile(`^Q[1-9][0-9]{0,11}$`)
	langCodeRE = regexp.MustCompile(`^[a-z]{2,3}$`)
	emailRE    = regexp.MustCompile(`^[^@\s]+@[^@\s]+\.[^@\s]+$`)
)

// Limits on what staff can type, in runes.
const (
	MaxNameLen = 200
	MaxTextLen = 20_000
)

// Validate checks a city's facts, as staff save them.
func (c City) Validate() FieldErrors {
	e := FieldErrors{}
	if !slugRE.MatchString(c.Slug) {
		e[Fact("slug")] = "validation.slug"
	}
	if c.Kind != KindTwin && c.Kind != KindPartner {
		e[Fact("kind")] = "validation.choice"
	}
	if !countryRE.MatchString(c.Country) {
		e[Fact("country")] = "validation.country"
	}
	if p := c.Population; p != nil {
		if p.Count <= 0 || p.Count > 100_000_000 {
			e[Fact("population")] = "validation.population"
		}
		if p.Year != 0 && !yearOK(p.Year) {
			e[Fact("population_year")] = "validation.year"
		}
	}
	switch a := c.Agreement; a.Precision {
	case PrecisionDay:
		if a.Date.IsZero() || !yearOK(a.Date.Year()) {
			e[Fact("agreement_date")] = "validation.date"
		}
	case PrecisionYear:
		if !yearOK(a.Year) {
			e[Fact("agreement_year")] = "validation.year"
		}
	case PrecisionSince:
		if !yearOK(a.Year) {
			e[Fact("since_year")] = "validation.year"
		}
	case PrecisionOverYears:
		if a.OverYears < 1 || a.OverYears > 1000 {
			e[Fact("agreement_over_years")] = "validation.over_years"
		}
	case PrecisionUnknown:
	default:
		e[Fact("agreement_precision")] = "validation.choice"
	}
	if !c.Status.Valid() {
		e[Fact("status")] = "validation.choice"
	}
	if c.StatusSince != nil && c.StatusUntil != nil && c.StatusUntil.Before(*c.StatusSince) {
		e[Fact("status_until")] = "validation.date_order"
	}
	c.Place().check(e)
	if c.WikidataID != "" && !wikidataRE.MatchString(c.WikidataID) {
		e[Fact("wikidata_id")] = "validation.wikidata"
	}
	for i, l := range c.Links {
		if !urlOK(l.URL) {
			e[RowKey("link_url", i)] = "validation.url"
		}
		if l.Lang != "" && !langCodeRE.MatchString(l.Lang) {
			e[RowKey("link_lang", i)] = "validation.language"
		}
		switch l.Kind {
		case LinkWikipedia, LinkOfficial, LinkAssociation, LinkOther:
		default:
			e[RowKey("link_kind", i)] = "validation.choice"
		}
	}
	return e
}

// check adds the errors of the place's coordinates to e: finite, in range, both or none.
func (p Place) check(e FieldErrors) {
	if p.Latitude != nil && (!finite(*p.Latitude) || *p.Latitude < -90 || *p.Latitude > 90) {
		e[Fact("latitude")] = "validation.latitude"
	}
	if p.Longitude != nil && (!finite(*p.Longitude) || *p.Longitude < -180 || *p.Longitude > 180) {
		e[Fact("longitude")] = "validation.longitude"
	}
	if (p.Latitude == nil) != (p.Longitude == nil) {
		e[Fact("longitude")] = "validation.coordinates"
	}
}

// ReadPlace reads coordinates as a person types them ("62,79" or "62.79"), with a message
// for a value that is no number.
func ReadPlace(lat, lon string) (Place, FieldErrors) {
	e := FieldErrors{}
	typed := map[string]string{"latitude": lat, "longitude": lon}
	v := func(k string) string { return strings.TrimSpace(typed[k]) }
	p := Place{Latitude: readFloat(v, "latitude", e), Longitude: readFloat(v, "longitude", e)}
	return p, e
}

func yearOK(y int) bool { return y >= 800 && y <= time.Now().Year()+1 }

func urlOK(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" && len(s) <= 2000
}

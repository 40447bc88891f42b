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
	read := func(name, s string) *float64 {
		if s = strings.TrimSpace(s); s == "" {
			return nil
		}
		f, ok := readNumber(s, true)
		if !ok {
			e[Fact(name)] = "validation.number"
			return nil
		}
		return &f
	}
	p := Place{Latitude: read("latitude", lat), Longitude: read("longitude", lon)}
	return p, e
}

func yearOK(y int) bool { return y >= 800 && y <= time.Now().Year()+1 }

func urlOK(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" && len(s) <= 2000
}

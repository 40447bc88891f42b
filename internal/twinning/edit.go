package twinning

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"time"
)

// Hash identifies the content of a text, to notice when a translation's source changed.
func (t CityText) Hash() string {
	h := sha256.New()
	for _, f := range []string{t.Name, t.FullName, t.Summary, t.Description, t.Aims, t.Association} {
		fmt.Fprintf(h, "%d:%s;", len(f), f)
	}
	return hex.EncodeToString(h.Sum(nil)[:12])
}

// TranslationState is how complete one language of an entry is.
type TranslationState string

const (
	TranslationComplete TranslationState = "complete"
	TranslationMissing  TranslationState = "missing"
	TranslationOutdated TranslationState = "outdated" // its source changed since it was reviewed
)

// Translation returns the state of lang in the city.
func (c City) Translation(lang string) TranslationState {
	t, ok := c.Texts[lang]
	if !ok || strings.TrimSpace(t.Name) == "" {
		return TranslationMissing
	}
	if t.TranslatedFrom == "" || t.TranslatedFrom == lang {
		return TranslationComplete
	}
	src, ok := c.Texts[t.TranslatedFrom]
	if !ok {
		return TranslationComplete
	}
	if t.ReviewedSourceHash != src.Hash() {
		return TranslationOutdated
	}
	return TranslationComplete
}

// MarkReviewed records that every translation of the city matches its source now.
func (c *City) MarkReviewed(lang string) {
	t, ok := c.Texts[lang]
	if !ok || t.TranslatedFrom == "" {
		return
	}
	if src, ok := c.Texts[t.TranslatedFrom]; ok {
		t.ReviewedSourceHash = src.Hash()
		c.Texts[lang] = t
	}
}

// FieldErrors maps a form field to the message ID of what is wrong with it.
type FieldErrors map[string]string

// Err returns the errors as an EINVALID error, or nil when there are none.
func (f FieldErrors) Err() error {
	if len(f) == 0 {
		return nil
	}
	return &ValidationError{Fields: f}
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

// Validate checks an entry's facts and texts, as staff save it.
func (c City) Validate() FieldErrors {
	e := FieldErrors{}
	if !slugRE.MatchString(c.Slug) {
		e["slug"] = "validation.slug"
	}
	if c.Kind != KindTwin && c.Kind != KindPartner {
		e["kind"] = "validation.choice"
	}
	if !countryRE.MatchString(c.Country) {
		e["country"] = "validation.country"
	}
	if p := c.Population; p != nil {
		if p.Count <= 0 || p.Count > 100_000_000 {
			e["population"] = "validation.population"
		}
		if p.Year != 0 && !yearOK(p.Year) {
			e["population_year"] = "validation.year"
		}
	}
	switch a := c.Agreement; a.Precision {
	case PrecisionDay:
		if a.Date.IsZero() || !yearOK(a.Date.Year()) {
			e["agreement_date"] = "validation.date"
		}
	case PrecisionYear:
		if !yearOK(a.Year) {
			e["agreement_year"] = "validation.year"
		}
	case PrecisionOverYears:
		if a.OverYears < 1 || a.OverYears > 1000 {
			e["agreement_over_years"] = "validation.over_years"
		}
	case PrecisionUnknown:
	default:
		e["agreement_precision"] = "validation.choice"
	}
	if !c.Status.Valid() {
		e["status"] = "validation.choice"
	}
	if c.StatusSince != nil && c.StatusUntil != nil && c.StatusUntil.Before(*c.StatusSince) {
		e["status_until"] = "validation.date_order"
	}
	if c.Latitude != nil && (*c.Latitude < -90 || *c.Latitude > 90) {
		e["latitude"] = "validation.latitude"
	}
	if c.Longitude != nil && (*c.Longitude < -180 || *c.Longitude > 180) {
		e["longitude"] = "validation.longitude"
	}
	if (c.Latitude == nil) != (c.Longitude == nil) {
		e["longitude"] = "validation.coordinates"
	}
	if c.WikidataID != "" && !wikidataRE.MatchString(c.WikidataID) {
		e["wikidata_id"] = "validation.wikidata"
	}
	for i, l := range c.Links {
		if !urlOK(l.URL) {
			e[fmt.Sprintf("link_url_%d", i)] = "validation.url"
		}
		if l.Lang != "" && !langCodeRE.MatchString(l.Lang) {
			e[fmt.Sprintf("link_lang_%d", i)] = "validation.language"
		}
		switch l.Kind {
		case LinkWikipedia, LinkOfficial, LinkAssociation, LinkOther:
		default:
			e[fmt.Sprintf("link_kind_%d", i)] = "validation.choice"
		}
	}
	named := false
	for lang, t := range c.Texts {
		if !IsLanguage(lang) {
			continue
		}
		if strings.TrimSpace(t.Name) != "" {
			named = true
		} else if t.FullName+t.Summary+t.Description+t.Aims+t.Association != "" {
			e["name_"+lang] = "validation.name_needed"
		}
		if len([]rune(t.Name)) > MaxNameLen {
			e["name_"+lang] = "validation.too_long"
		}
		if len([]rune(t.FullName)) > MaxNameLen {
			e["full_name_"+lang] = "validation.too_long"
		}
		for field, v := range map[string]string{"summary": t.Summary, "description": t.Description, "aims": t.Aims, "association": t.Association} {
			if len([]rune(v)) > MaxTextLen {
				e[field+"_"+lang] = "validation.too_long"
			}
		}
		if t.TranslatedFrom != "" && (!IsLanguage(t.TranslatedFrom) || t.TranslatedFrom == lang) {
			e["translated_from_"+lang] = "validation.choice"
		}
	}
	if !named {
		e["name_"+Languages[0]] = "validation.one_name"
	}
	return e
}

// ValidatePublish checks what publishing needs beyond Validate: every language the site
// requires is complete.
func (c City) ValidatePublish(site Site) FieldErrors {
	e := FieldErrors{}
	for _, lang := range site.RequiredLangs {
		switch c.Translation(lang) {
		case TranslationMissing:
			e["name_"+lang] = "validation.required_language"
		case TranslationOutdated:
			e["reviewed_"+lang] = "validation.outdated_language"
		}
	}
	return e
}

func yearOK(y int) bool { return y >= 800 && y <= time.Now().Year()+1 }

func urlOK(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" && len(s) <= 2000
}

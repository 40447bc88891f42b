package twinning

import (
	"slices"
	"time"
)

// DataContact is the contact point of a site's open data: an address, a page, or both.
type DataContact struct {
	Email string
	URL   string
}

// CodeScheme is the register of a country's municipality codes, for the official code of a
// site: its name and the agency that keeps it ("" where the product knows none).
func CodeScheme(country string) (name, agency string) {
	switch country {
	case "FI":
		return "kuntanumero", "Tilastokeskus (Statistics Finland)"
	case "PL":
		return "TERYT", "Główny Urząd Statystyczny (Statistics Poland)"
	}
	return "", ""
}

// Licence is a licence under which a site publishes its partnerships as open data.
type Licence struct {
	ID   string // SPDX identifier, what is stored
	Name string // the licence's own short name, the same in every language
	URL  string
	// EU is the licence in the EU's licence vocabulary, which DCAT-AP asks data portals for.
	EU string
}

// DefaultLicence is the open-data licence of a site that has not chosen another.
const DefaultLicence = "CC-BY-4.0"

// Licences are the licences a site may publish its open data under.
var Licences = []Licence{
	{ID: "CC-BY-4.0", Name: "CC BY 4.0", URL: "https://creativecommons.org/licenses/by/4.0/", EU: euLicence + "CC_BY_4_0"},
	{ID: "CC-BY-SA-4.0", Name: "CC BY-SA 4.0", URL: "https://creativecommons.org/licenses/by-sa/4.0/", EU: euLicence + "CC_BYSA_4_0"},
	{ID: "CC0-1.0", Name: "CC0 1.0", URL: "https://creativecommons.org/publicdomain/zero/1.0/", EU: euLicence + "CC0"},
}

const euLicence = "http://publications.europa.eu/resource/authority/licence/"

// LicenceByID returns the known licence with the SPDX identifier.
func LicenceByID(id string) (Licence, bool) {
	i := slices.IndexFunc(Licences, func(l Licence) bool { return l.ID == id })
	if i < 0 {
		return Licence{}, false
	}
	return Licences[i], true
}

// DataLicence is the licence of the site's open data; an unknown stored identifier counts
// as the default rather than publishing data under a licence nobody can look up.
func (s Site) DataLicence() Licence {
	if l, ok := LicenceByID(s.Licence); ok {
		return l
	}
	l, _ := LicenceByID(DefaultLicence)
	return l
}

// ChangeKind tells what a published change did.
type ChangeKind string

const (
	ChangeCityNew     ChangeKind = "city_new"     // a partnership was published
	ChangeCityUpdated ChangeKind = "city_updated" // a published city's page changed
	ChangeSiteTexts   ChangeKind = "site_texts"   // the site's own texts were published
)

// Change is one public change of a site, as its news feed tells it. ID is unique within
// Kind and never changes. The kinds of a type with public pages are its name with "_new" and
// "_updated" ("event_new"), like the cities'.
type Change struct {
	Kind      ChangeKind
	ID        int64
	At        time.Time
	CityID    int64 // the city's, for the city kinds
	CitySlug  string
	EntryType string // the type of the entry that changed, and its id
	EntryID   int64
}

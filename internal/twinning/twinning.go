// Package twinning is the domain of the product: municipalities (sites), their twin towns and
// partner cities, and the texts of both in the languages each site publishes. It imports
// nothing but the standard library.
package twinning

import (
	"regexp"
	"slices"
	"time"
)

// Site is one municipality, served on its own host names.
type Site struct {
	ID        int64
	Version   int
	Slug      string
	Hosts     []string
	IsDefault bool
	// Languages are the languages the site publishes, in the order its language switcher
	// lists them; DefaultLang is one of them, RequiredLangs must be complete to publish.
	Languages     []string
	DefaultLang   string
	SourceLang    string
	RequiredLangs []string
	Country       string
	Place         Place  // where the municipality itself lies, when known
	Licence       string // SPDX identifier of the open-data licence; see DataLicence
	// OfficialCode is the municipality's code in its country's register (see CodeScheme);
	// DataContact is whom a user of the open data writes to.
	OfficialCode string
	DataContact  DataContact
	Modified     time.Time // the last change of the site's published content
	// ContentVersion is the number of transactions that changed the site's content
	// (RenderedPage).
	ContentVersion int64
	// FeedbackRetentionMonths is how long the addresses people leave with accessibility
	// feedback are kept (FeedbackRetention bounds it).
	FeedbackRetentionMonths int
	Texts                   map[string]SiteText
	HasDraft                bool // saved, unpublished changes of the texts wait
}

// SiteName is a site as lists of sites show it: named in one language.
type SiteName struct {
	ID   int64
	Slug string
	Name string
	Host string // its first host name
}

// SiteQuery selects a page of sites for the staff: those whose name, slug or host name holds
// Search, among IDs (nil: every site), named in Lang.
type SiteQuery struct {
	Search        string
	IDs           []int64
	Lang          string
	Offset, Limit int
}

// Place is a point on the map with where it came from: GeoNamesID is the GeoNames place the
// coordinates were taken from, 0 when staff set them. Seat tells that the partner is a
// district or county placed at its administrative seat: the point is approximate.
type Place struct {
	Latitude   *float64
	Longitude  *float64
	GeoNamesID int64
	Seat       bool
}

// Located reports whether the place has coordinates.
func (p Place) Located() bool { return p.Latitude != nil && p.Longitude != nil }

// Publishes reports whether the site publishes lang.
func (s Site) Publishes(lang string) bool { return slices.Contains(s.Languages, lang) }

// SiteText is the translatable part of a site in one language.
type SiteText struct {
	Lang           string
	Name           string
	Intro          string
	PartnersIntro  string
	HistoryTitle   string
	History        string
	EventsTitle    string
	Events         string
	TranslatedFrom string
	Reviewed       map[string]string // per field: the hash of its source when last reviewed
}

// HasHistory reports whether the site has a history of its cooperation in any language.
func (s Site) HasHistory() bool {
	for _, t := range s.Texts {
		if t.History != "" || t.Events != "" {
			return true
		}
	}
	return false
}

// Text returns the site's text in lang or, when that translation is missing, the best
// available one; the returned text's Lang tells which.
func (s Site) Text(lang string) (SiteText, bool) {
	l, ok := pick(lang, s.fallbackOrder(), func(l string) bool { _, ok := s.Texts[l]; return ok })
	return s.Texts[l], ok
}

// fallbackOrder is the order in which translations stand in for a missing one: the site's
// default language, then the language its content was written in, then the rest.
func (s Site) fallbackOrder() []string {
	order := []string{s.DefaultLang, s.SourceLang}
	return append(order, s.Languages...)
}

// pick returns lang when has(lang), otherwise the first language of order that has a text.
// The bool is false when the result is not lang itself.
func pick(lang string, order []string, has func(string) bool) (string, bool) {
	if has(lang) {
		return lang, true
	}
	for _, l := range order {
		if has(l) {
			return l, false
		}
	}
	return lang, false
}

// Kind tells a twin town from a partner (cooperation) city.
type Kind string

const (
	KindTwin    Kind = "twin"
	KindPartner Kind = "partner"
)

// Kinds lists every Kind, in the order the home page shows them.
var Kinds = []Kind{KindTwin, KindPartner}

// Status is the state of a partnership.
type Status string

const (
	StatusActive    Status = "active"
	StatusSuspended Status = "suspended"
	StatusEnded     Status = "ended"
	// StatusUnknown is a partnership whose sources do not say whether it is active.
	StatusUnknown Status = "unknown"
)

// Statuses lists every Status, in the order forms offer them.
var Statuses = []Status{StatusUnknown, StatusActive, StatusSuspended, StatusEnded}

// Valid reports whether s is one of Statuses.
func (s Status) Valid() bool { return slices.Contains(Statuses, s) }

// Recorded reports whether a status is known and so shown to residents.
func (s Status) Recorded() bool { return s.Valid() && s != StatusUnknown }

// Precision tells how much of an agreement's date the sources give.
type Precision string

const (
	PrecisionDay       Precision = "day"        // a full date
	PrecisionYear      Precision = "year"       // only the year
	PrecisionSince     Precision = "since"      // only "since YEAR": the partnership's start, no agreement
	PrecisionOverYears Precision = "over_years" // only "for over N years"
	PrecisionUnknown   Precision = "unknown"
)

// Agreement is when a partnership was made, as precisely as it is known. Where the sources
// date only the partnership ("vänort sedan 1974"), not an agreement, the precision is
// PrecisionSince: the year is shown as "since 1974", never as an agreement's.
type Agreement struct {
	Precision Precision
	Date      time.Time // PrecisionDay
	Year      int       // PrecisionYear and PrecisionSince (and the year of Date)
	OverYears int       // PrecisionOverYears
}

// YearKnown returns the year of the agreement, or 0 when it is not known.
func (a Agreement) YearKnown() int {
	switch a.Precision {
	case PrecisionDay:
		return a.Date.Year()
	case PrecisionYear:
		return a.Year
	}
	return 0
}

// StartYear returns the year the partnership began as the sources give it: the agreement's
// year, or the year it exists since; 0 when not known.
func (a Agreement) StartYear() int {
	if a.Precision == PrecisionSince {
		return a.Year
	}
	return a.YearKnown()
}

// Population is a city's population as the source gives it.
type Population struct {
	Count    int64
	Year     int  // year of the figure, 0 when not given
	Approx   bool // "about"
	Millions bool // given in millions ("1,5 miljoner"), shown that way
	Area     bool // the figure is for the urban area, not the city proper
}

// City is a twin town or partner city of a site.
type City struct {
	ID          int64
	SiteID      int64
	Slug        string
	Kind        Kind
	Country     string
	Population  *Population
	Agreement   Agreement
	Status      Status
	StatusSince *time.Time
	StatusUntil *time.Time
	Latitude    *float64
	Longitude   *float64
	GeoNamesID  int64 // the GeoNames place of Latitude and Longitude; 0 when staff set them
	PlaceSeat   bool  // the place is the seat of the district or county the partner is
	WikidataID  string
	Position    int
	Version     int
	UpdatedAt   time.Time
	// PublishedAt is nil for an entry never published; DeletedAt is set while it is in the
	// trash; HasDraft tells that saved changes wait to be published.
	PublishedAt *time.Time
	DeletedAt   *time.Time
	HasDraft    bool
	Texts       map[string]CityText
	Links       []Link
	Attachments []Attachment
	Photos      []Photo // published, in the order staff gave them: the first leads
}

// Place is where the city lies on the map.
func (c City) Place() Place {
	return Place{Latitude: c.Latitude, Longitude: c.Longitude, GeoNamesID: c.GeoNamesID, Seat: c.PlaceSeat}
}

// CityText is the translatable part of a city in one language. Long texts are Markdown.
type CityText struct {
	Lang           string
	Name           string
	FullName       string
	Summary        string
	Description    string
	Aims           string
	Association    string
	TranslatedFrom string
	Reviewed       map[string]string // per field: the hash of its source when last reviewed
}

// Title is the city's full name where it has one, else its name.
func (t CityText) Title() string {
	if t.FullName != "" {
		return t.FullName
	}
	return t.Name
}

// Text returns the city's text in lang or, when that translation is missing, the best
// available one in the site's order; the returned text's Lang tells which.
func (c City) Text(lang string, site Site) (CityText, bool) {
	l, ok := pick(lang, site.fallbackOrder(), func(l string) bool { _, ok := c.Texts[l]; return ok })
	return c.Texts[l], ok
}

// LinkKind says what a link points to.
type LinkKind string

const (
	LinkWikipedia   LinkKind = "wikipedia"
	LinkOfficial    LinkKind = "official"
	LinkAssociation LinkKind = "association"
	LinkOther       LinkKind = "other"
)

// Link is an external page about a city. Lang is set where the page is in one language
// (Wikipedia articles), Label where the link has a name of its own (an association).
type Link struct {
	Kind  LinkKind
	Lang  string
	URL   string
	Label string
}

// LinksFor returns the links to show a reader of lang: for Wikipedia, the article in lang
// where there is one, else one other article (the site's source language first); every
// other link as it is.
func (c City) LinksFor(lang string, site Site) []Link {
	var out []Link
	wiki := map[string]Link{}
	var anyWiki *Link
	for i, l := range c.Links {
		if l.Kind == LinkWikipedia {
			wiki[l.Lang] = l
			if anyWiki == nil {
				anyWiki = &c.Links[i]
			}
			continue
		}
		out = append(out, l)
	}
	if anyWiki == nil {
		return out
	}
	best := *anyWiki
	for _, l := range []string{lang, site.SourceLang, "en"} {
		if w, ok := wiki[l]; ok {
			best = w
			break
		}
	}
	return append([]Link{best}, out...)
}

// Attachment is a document about a city, such as the text of its agreement. Present is false
// when only the record of the document exists and the file itself is not stored.
type Attachment struct {
	ID        int64
	Slug      string
	Kind      string
	Format    string
	MediaType string
	Size      int64
	Present   bool
	Titles    map[string]string
	// TranslatedFrom and Reviewed are, per language, where its title was translated from and
	// the hash of that source title when last reviewed.
	TranslatedFrom map[string]string
	Reviewed       map[string]string
	DeletedAt      *time.Time // in the trash: shown to staff only
}

// Title returns the attachment's title in lang, or in the first language that has one.
func (a Attachment) Title(lang string, site Site) (string, string) {
	l, _ := pick(lang, site.fallbackOrder(), func(l string) bool { return a.Titles[l] != "" })
	return a.Titles[l], l
}

// Content is everything a site shows: the site, its cities in display order, and the
// published entries of the types with generic public pages, by type, in the order of their
// date.
type Content struct {
	Site    Site
	Cities  []City
	Entries map[*Type][]Entry
	// Version is the site's content version when it was read, or an older one: the number of
	// transactions that changed the site's content (see RenderedPage).
	Version int64
}

// RenderedPage is a page as rendered, stored for every instance: the page of a site at a
// path (with the origin of its absolute URLs: TLS and port), rendered by a build of the
// program from the site's content at Version (Site.ContentVersion), kept gzip-compressed.
type RenderedPage struct {
	SiteID      int64
	Build       string
	TLS         bool
	Port        int
	Path        string
	Version     int64
	Tag         string // the hash of the page the ETags derive from
	Gzip        []byte
	ContentType string
	ContentLang string
	Modified    time.Time // Last-Modified, zero when the page does not know it
}

// Entry returns the published entry of type t with the slug.
func (c Content) Entry(t *Type, slug string) (Entry, error) {
	for _, e := range c.Entries[t] {
		if e.Text("slug") == slug {
			return e, nil
		}
	}
	return Entry{}, Errorf(ENOTFOUND, "%s %q not found", t.Name, slug)
}

// Referring returns the published entries whose reference fact points to the entry id, in
// the order of their date.
func (c Content) Referring(ref Reference, id int64) []Entry {
	var out []Entry
	for _, e := range c.Entries[ref.Type] {
		if slices.Contains(e.Refs(ref.Fact), id) {
			out = append(out, e)
		}
	}
	return out
}

// CityByID returns the published city with the id.
func (c Content) CityByID(id int64) (City, bool) {
	i := slices.IndexFunc(c.Cities, func(x City) bool { return x.ID == id })
	if i < 0 {
		return City{}, false
	}
	return c.Cities[i], true
}

// SortByDate orders entries by their type's public date, then by id.
func SortByDate(es []Entry) {
	slices.SortStableFunc(es, func(a, b Entry) int {
		da, _ := a.Date(a.Type.Public.Date)
		db, _ := b.Date(b.Type.Public.Date)
		if c := da.Compare(db); c != 0 {
			return c
		}
		return int(a.ID - b.ID)
	})
}

// City returns the city with the slug.
func (c Content) City(slug string) (City, error) {
	for _, city := range c.Cities {
		if city.Slug == slug {
			return city, nil
		}
	}
	return City{}, Errorf(ENOTFOUND, "city %q not found", slug)
}

// ByKind returns the cities of one kind, in display order.
func (c Content) ByKind(k Kind) []City {
	var out []City
	for _, city := range c.Cities {
		if city.Kind == k {
			out = append(out, city)
		}
	}
	return out
}

// ValidateSettings checks a site's languages as an administrator sets them: at least one
// language, the default among them, every required one among them.
func (s Site) ValidateSettings() FieldErrors {
	errs := FieldErrors{}
	if len(s.Languages) == 0 {
		errs[Fact("languages")] = "validation.one_language"
	}
	if !s.Publishes(s.DefaultLang) {
		errs[Fact("default_lang")] = "validation.default_language"
	}
	for _, l := range s.RequiredLangs {
		if !s.Publishes(l) {
			errs[TextKey("required", l)] = "validation.required_not_published"
		}
	}
	if _, ok := LicenceByID(s.Licence); !ok {
		errs[Fact("licence")] = "validation.choice"
	}
	if !officialCodeRE.MatchString(s.OfficialCode) {
		errs[Fact("official_code")] = "validation.official_code"
	}
	if c := s.DataContact; c.Email != "" && (len(c.Email) > MaxEmailLen || !emailRE.MatchString(c.Email)) {
		errs[Fact("contact_email")] = "validation.email"
	}
	if c := s.DataContact; c.URL != "" && !urlOK(c.URL) {
		errs[Fact("contact_url")] = "validation.url"
	}
	if s.FeedbackRetentionMonths < MinFeedbackRetention || s.FeedbackRetentionMonths > MaxFeedbackRetention {
		errs[Fact("feedback_retention")] = "validation.retention"
	}
	s.Place.check(errs)
	return errs
}

// officialCodeRE is what a municipality code looks like: digits (kuntanumero "743", TERYT
// "1464011") or letters and digits, at most 16.
var officialCodeRE = regexp.MustCompile(`^[0-9A-Za-z]{0,16}$`)

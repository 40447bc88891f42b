// Package demo holds the demo content of the product: the Seinäjoki and Siedlce twin-town
// pages of shared/seeds, as language-neutral facts (data/SITE/site.toml) and one text file per
// language (data/SITE/LANG.toml), loaded by the `seed` command.
package demo

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/BurntSushi/toml"

	"twintowns/internal/twinning"
)

//go:embed data
var data embed.FS

// Sites are the slugs of the demo sites, the default site first.
var Sites = []string{"seinajoki", "siedlce"}

type siteFile struct {
	Slug          string
	Hosts         []string
	IsDefault     bool     `toml:"is_default"`
	Languages     []string `toml:"languages"`
	DefaultLang   string   `toml:"default_lang"`
	SourceLang    string   `toml:"source_lang"`
	RequiredLangs []string `toml:"required_langs"`
	Country       string
	OfficialCode  string `toml:"official_code"`
	Cities        []cityFile
}

type cityFile struct {
	Slug               string
	Kind               string
	Country            string
	Status             string // empty: the sources record no status
	Population         int64
	PopulationYear     int    `toml:"population_year"`
	PopulationApprox   bool   `toml:"population_approx"`
	PopulationScale    string `toml:"population_scale"`
	PopulationArea     bool   `toml:"population_area"`
	AgreementPrecision string `toml:"agreement_precision"`
	AgreementDate      string `toml:"agreement_date"`
	AgreementYear      int    `toml:"agreement_year"`
	AgreementOverYears int    `toml:"agreement_over_years"`
	SinceYear          int    `toml:"since_year"`
	AgreementSource    string `toml:"agreement_source"` // the source's sentence of the date: tested, not loaded
	Links              []struct{ Kind, Lang, URL, Label string }
	Attachments        []struct{ Slug, Kind, Format string }
	// Where the source places the partner, for ./places: the province it names (in GeoNames'
	// spelling) and "district" or "county" when the partner is one.
	Province string
	Division string
}

// placesFile is data/SITE/places.toml: where the site and its cities lie, written by
// ./places from GeoNames.
type placesFile struct {
	Site   placeFile
	Cities map[string]placeFile
}

type placeFile struct {
	Rule       string // how ./places chose the place; "district-seat" is approximate
	GeoNamesID int64  `toml:"geonames_id"`
	Latitude   float64
	Longitude  float64
}

// ruleSeat is the rule of ./places that places a district or county at its seat.
const ruleSeat = "district-seat"

func (p placeFile) place() twinning.Place {
	lat, lon := p.Latitude, p.Longitude
	return twinning.Place{Latitude: &lat, Longitude: &lon, GeoNamesID: p.GeoNamesID, Seat: p.Rule == ruleSeat}
}

type textFile struct {
	Lang           string
	TranslatedFrom string `toml:"translated_from"`
	Site           struct {
		Name          string
		Intro         string
		PartnersIntro string `toml:"partners_intro"`
		HistoryTitle  string `toml:"history_title"`
		History       string
		EventsTitle   string `toml:"events_title"`
		Events        string
	}
	Cities map[string]struct {
		Name        string
		FullName    string `toml:"full_name"`
		Summary     string
		Description string
		Aims        string
		Association string
		Attachments map[string]string
	}
}

// MediaTypes maps the formats of the demo attachments to their media types.
var MediaTypes = map[string]string{"doc": "application/msword", "jpg": "image/jpeg", "pdf": "application/pdf"}

// Load reads every demo site.
func Load() ([]twinning.Content, error) {
	var out []twinning.Content
	for _, slug := range Sites {
		c, err := loadSite(slug)
		if err != nil {
			return nil, fmt.Errorf("demo site %s: %w", slug, err)
		}
		out = append(out, c)
	}
	return out, nil
}

func loadSite(slug string) (twinning.Content, error) {
	var sf siteFile
	if err := decode(path.Join("data", slug, "site.toml"), &sf); err != nil {
		return twinning.Content{}, err
	}
	c := twinning.Content{Site: twinning.Site{
		Slug: sf.Slug, Hosts: sf.Hosts, IsDefault: sf.IsDefault, Languages: sf.Languages, DefaultLang: sf.DefaultLang,
		SourceLang: sf.SourceLang, RequiredLangs: sf.RequiredLangs, Country: sf.Country,
		OfficialCode: sf.OfficialCode, Texts: map[string]twinning.SiteText{},
	}}
	for _, f := range sf.Cities {
		city, err := f.city()
		if err != nil {
			return c, err
		}
		c.Cities = append(c.Cities, city)
	}
	if err := loadPlaces(slug, &c); err != nil {
		return c, err
	}
	for _, lang := range sf.Languages {
		var tf textFile
		if err := decode(path.Join("data", slug, lang+".toml"), &tf); err != nil {
			if errorsIsNotExist(err) {
				continue
			}
			return c, err
		}
		if tf.Lang != lang {
			return c, fmt.Errorf("%s.toml says lang = %q", lang, tf.Lang)
		}
		st := tf.Site
		c.Site.Texts[lang] = twinning.SiteText{Lang: lang, Name: st.Name, Intro: st.Intro,
			PartnersIntro: st.PartnersIntro, HistoryTitle: st.HistoryTitle, History: st.History,
			EventsTitle: st.EventsTitle, Events: st.Events, TranslatedFrom: tf.TranslatedFrom}
		for i := range c.Cities {
			city := &c.Cities[i]
			ct, ok := tf.Cities[city.Slug]
			if !ok {
				continue
			}
			city.Texts[lang] = twinning.CityText{Lang: lang, Name: ct.Name, FullName: ct.FullName,
				Summary: ct.Summary, Description: ct.Description, Aims: ct.Aims,
				Association: ct.Association, TranslatedFrom: tf.TranslatedFrom}
			for j := range city.Attachments {
				if title := ct.Attachments[city.Attachments[j].Slug]; title != "" {
					city.Attachments[j].Titles[lang] = title
				}
			}
		}
		for citySlug := range tf.Cities {
			if _, err := c.City(citySlug); err != nil {
				return c, fmt.Errorf("%s.toml: city %q is not in site.toml", lang, citySlug)
			}
		}
	}
	// the translations of the demo were checked against their sources
	for i, city := range c.Cities {
		e := reviewed(city.Entry(), sf.Languages)
		for lang, t := range city.Texts {
			t.Reviewed = e.Texts[lang].Reviewed
			c.Cities[i].Texts[lang] = t
		}
	}
	c.Site = c.Site.WithTexts(reviewed(c.Site.Entry(), sf.Languages))
	events, err := loadEvents(slug, c)
	if err != nil {
		return c, err
	}
	c.Entries = map[*twinning.Type][]twinning.Entry{twinning.EventType: events}
	return c, nil
}

// EventsFile is the name of the file, beside site.toml, that holds a site's joint events.
const EventsFile = "events.toml"

// loadEvents reads data/SITE/events.toml: per event its facts (slug, date, the partner cities
// by slug) and, under the code of each language, its texts. References name cities by slug;
// the seed resolves them to ids.
func loadEvents(slug string, c twinning.Content) ([]twinning.Entry, error) {
	var f struct{ Events []map[string]any }
	b, err := fs.ReadFile(data, path.Join("data", slug, EventsFile))
	if errorsIsNotExist(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	// keys are checked against the declaration below (toml's own check sees a map's keys as
	// not decoded)
	if _, err := toml.Decode(string(b), &f); err != nil {
		return nil, fmt.Errorf("%s: %w", EventsFile, err)
	}
	var out []twinning.Entry
	for _, x := range f.Events {
		e := twinning.Entry{Type: twinning.EventType, Facts: map[twinning.FieldKey]string{}, Texts: map[string]twinning.Text{}}
		for k, v := range x {
			if _, isMap := v.(map[string]any); !isMap {
				if _, ok := twinning.EventType.FactField(k); !ok {
					return nil, fmt.Errorf("%s: event %v has no fact %q", EventsFile, x["slug"], k)
				}
			}
			switch v := v.(type) {
			case string:
				e.Facts[twinning.Fact(k)] = v
			case []any:
				var slugs []string
				for _, s := range v {
					slugs = append(slugs, fmt.Sprint(s))
				}
				e.Facts[twinning.Fact(k)] = strings.Join(slugs, " ")
			case map[string]any:
				if !c.Site.Publishes(k) {
					return nil, fmt.Errorf("%s: event %v in %q, which the site does not publish", EventsFile, x["slug"], k)
				}
				t := twinning.Text{Lang: k, Fields: map[string]string{}}
				if k != c.Site.SourceLang {
					t.TranslatedFrom = c.Site.SourceLang
				}
				for field, s := range v {
					if _, ok := twinning.EventType.Field(field); !ok {
						return nil, fmt.Errorf("%s: event %v has no field %q", EventsFile, x["slug"], field)
					}
					t.Fields[field] = fmt.Sprint(s)
				}
				e.Texts[k] = t
			}
		}
		for _, ref := range twinning.Types.Referring(twinning.CityType) {
			for _, s := range strings.Fields(e.Facts[twinning.Fact(ref.Fact)]) {
				if _, err := c.City(s); err != nil {
					return nil, fmt.Errorf("%s: event %v names city %q, which is not in site.toml", EventsFile, x["slug"], s)
				}
			}
		}
		out = append(out, reviewed(e, c.Site.Languages))
	}
	return out, nil
}

// loadPlaces sets the coordinates of data/SITE/places.toml, when there is one.
func loadPlaces(slug string, c *twinning.Content) error {
	var pf placesFile
	if err := decode(path.Join("data", slug, PlacesFile), &pf); err != nil {
		if errorsIsNotExist(err) {
			return nil
		}
		return err
	}
	if pf.Site.GeoNamesID != 0 {
		c.Site.Place = pf.Site.place()
	}
	for citySlug, p := range pf.Cities {
		i := slices.IndexFunc(c.Cities, func(city twinning.City) bool { return city.Slug == citySlug })
		if i < 0 {
			return fmt.Errorf("%s: city %q is not in site.toml", PlacesFile, citySlug)
		}
		pl := p.place()
		c.Cities[i].Latitude, c.Cities[i].Longitude, c.Cities[i].GeoNamesID = pl.Latitude, pl.Longitude, pl.GeoNamesID
		c.Cities[i].PlaceSeat = pl.Seat
	}
	return nil
}

// PlaceHint is what a demo source says of where a partner lies besides its names and
// country: the province it names and whether the partner is a district or county.
type PlaceHint struct{ Province, Division string }

// PlaceHints are the hints of every demo city, by site and city slug.
func PlaceHints() (map[string]map[string]PlaceHint, error) {
	out := map[string]map[string]PlaceHint{}
	for _, slug := range Sites {
		var sf siteFile
		if err := decode(path.Join("data", slug, "site.toml"), &sf); err != nil {
			return nil, err
		}
		out[slug] = map[string]PlaceHint{}
		for _, c := range sf.Cities {
			out[slug][c.Slug] = PlaceHint{Province: c.Province, Division: c.Division}
		}
	}
	return out, nil
}

// PlacesFile is the name of the file, beside site.toml, that holds the coordinates.
const PlacesFile = "places.toml"

func (f cityFile) city() (twinning.City, error) {
	c := twinning.City{
		Slug: f.Slug, Kind: twinning.Kind(f.Kind), Country: f.Country, Status: twinning.StatusUnknown,
		Texts: map[string]twinning.CityText{},
		Agreement: twinning.Agreement{Precision: twinning.Precision(f.AgreementPrecision),
			Year: f.AgreementYear, OverYears: f.AgreementOverYears},
	}
	if c.Agreement.Precision == twinning.PrecisionSince {
		c.Agreement.Year = f.SinceYear
	}
	if f.Status != "" {
		c.Status = twinning.Status(f.Status)
		if !c.Status.Recorded() {
			return c, fmt.Errorf("city %s: status %q", f.Slug, f.Status)
		}
	}
	if f.Population > 0 {
		c.Population = &twinning.Population{Count: f.Population, Year: f.PopulationYear,
			Approx: f.PopulationApprox, Millions: f.PopulationScale == "millions", Area: f.PopulationArea}
	}
	if f.AgreementDate != "" {
		d, err := time.Parse(time.DateOnly, f.AgreementDate)
		if err != nil {
			return c, fmt.Errorf("city %s: %w", f.Slug, err)
		}
		c.Agreement.Date = d
	}
	for _, l := range f.Links {
		c.Links = append(c.Links, twinning.Link{Kind: twinning.LinkKind(l.Kind), Lang: l.Lang, URL: l.URL, Label: l.Label})
	}
	for _, a := range f.Attachments {
		mt, ok := MediaTypes[a.Format]
		if !ok {
			return c, fmt.Errorf("city %s: attachment format %q", f.Slug, a.Format)
		}
		c.Attachments = append(c.Attachments, twinning.Attachment{Slug: a.Slug, Kind: a.Kind,
			Format: a.Format, MediaType: mt, Titles: map[string]string{}})
	}
	return c, nil
}

func decode(name string, v any) error {
	b, err := fs.ReadFile(data, name)
	if err != nil {
		return err
	}
	md, err := toml.Decode(string(b), v)
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	if und := md.Undecoded(); len(und) > 0 {
		return fmt.Errorf("%s: unknown keys %v", name, und)
	}
	return nil
}

// Saver stores a site's content (postgres.DB does).
type Saver interface {
	SaveContent(ctx context.Context, c twinning.Content) error
}

// Seed loads or refreshes every demo site; it returns the sites it saved.
func Seed(ctx context.Context, db Saver) ([]twinning.Content, error) {
	sites, err := Load()
	if err != nil {
		return nil, err
	}
	for _, c := range sites {
		if err := db.SaveContent(ctx, c); err != nil {
			return nil, err
		}
	}
	return sites, nil
}

// reviewed marks every translation of e as checked against its source.
func reviewed(e twinning.Entry, langs []string) twinning.Entry {
	for _, lang := range langs {
		e.MarkReviewed(lang)
	}
	return e
}

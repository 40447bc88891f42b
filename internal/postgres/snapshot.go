package postgres

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"time"

	"twintowns/internal/twinning"
)

// snapshotFormat is the version of the format in which drafts and revisions are stored. The
// format belongs to the store: renaming a field of a domain struct changes nothing stored.
// Format 1 was json.Marshal of twinning.City or twinning.Site as they were until November
// 2026; decodeSnapshot still reads it.
const snapshotFormat = 2

// snapshot is format 2: facts by their field names, texts by language and field.
type snapshot struct {
	Format int                     `json:"format"`
	Type   string                  `json:"type"`
	Facts  map[string]string       `json:"facts,omitempty"`
	Texts  map[string]snapshotText `json:"texts"`
}

type snapshotText struct {
	Fields         map[string]string `json:"fields"`
	TranslatedFrom string            `json:"translated_from,omitempty"`
	Reviewed       map[string]string `json:"reviewed,omitempty"`
}

// encodeSnapshot stores what a draft or revision keeps of an entry: facts and texts.
func encodeSnapshot(e twinning.Entry) ([]byte, error) {
	s := snapshot{Format: snapshotFormat, Type: e.Type.Name, Facts: map[string]string{}, Texts: map[string]snapshotText{}}
	for k, v := range e.Facts {
		s.Facts[k.String()] = v
	}
	for lang, t := range e.Texts {
		s.Texts[lang] = snapshotText{Fields: t.Fields, TranslatedFrom: t.TranslatedFrom, Reviewed: t.Reviewed}
	}
	return json.Marshal(s)
}

// decodeSnapshot reads a stored snapshot of any format into an entry of type t (facts and
// texts only).
func decodeSnapshot(t *twinning.Type, b []byte) (twinning.Entry, error) {
	var head struct {
		Format int `json:"format"`
	}
	if err := json.Unmarshal(b, &head); err != nil {
		return twinning.Entry{}, fmt.Errorf("snapshot: %w", err)
	}
	e := twinning.Entry{Type: t, Facts: map[twinning.FieldKey]string{}, Texts: map[string]twinning.Text{}}
	switch head.Format {
	case 0, 1:
		return decodeFormat1(t, b)
	case 2:
		var s snapshot
		if err := json.Unmarshal(b, &s); err != nil {
			return e, fmt.Errorf("snapshot: %w", err)
		}
		if s.Type != t.Name {
			return e, fmt.Errorf("snapshot of a %s read as a %s", s.Type, t.Name)
		}
		for k, v := range s.Facts {
			e.Facts[factKey(k)] = v
		}
		for lang, x := range s.Texts {
			e.Texts[lang] = twinning.Text{Lang: lang, Fields: x.Fields, TranslatedFrom: x.TranslatedFrom, Reviewed: x.Reviewed}
		}
		return e, nil
	}
	return e, fmt.Errorf("snapshot format %d is newer than this program", head.Format)
}

var rowName = regexp.MustCompile(`^(.+)_([0-9]+)$`)

// factKey reads a fact's stored name back into its key.
func factKey(name string) twinning.FieldKey {
	if m := rowName.FindStringSubmatch(name); m != nil {
		i, _ := strconv.Atoi(m[2])
		return twinning.RowKey(m[1], i)
	}
	return twinning.Fact(name)
}

// Format 1, frozen here as it was written: a city or a site marshalled with encoding/json.
type (
	v1City struct {
		Slug, Kind, Country, Status, WikidataID string
		Population                              *struct {
			Count                  int64
			Year                   int
			Approx, Millions, Area bool
		}
		Agreement struct {
			Precision       string
			Date            time.Time
			Year, OverYears int
		}
		StatusSince, StatusUntil *time.Time
		Latitude, Longitude      *float64
		Texts                    map[string]struct {
			Name, FullName, Summary, Description, Aims, Association, TranslatedFrom, ReviewedSourceHash string
		}
		Links []struct{ Kind, Lang, URL, Label string }
	}
	v1Site struct {
		Texts map[string]struct {
			Name, Intro, PartnersIntro, HistoryTitle, History, EventsTitle, Events, TranslatedFrom string
		}
	}
)

func decodeFormat1(t *twinning.Type, b []byte) (twinning.Entry, error) {
	switch t {
	case twinning.CityType:
		var v v1City
		if err := json.Unmarshal(b, &v); err != nil {
			return twinning.Entry{}, fmt.Errorf("snapshot format 1: %w", err)
		}
		c := twinning.City{Slug: v.Slug, Kind: twinning.Kind(v.Kind), Country: v.Country,
			Status: twinning.Status(v.Status), WikidataID: v.WikidataID, StatusSince: v.StatusSince,
			StatusUntil: v.StatusUntil, Latitude: v.Latitude, Longitude: v.Longitude,
			Agreement: twinning.Agreement{Precision: twinning.Precision(v.Agreement.Precision),
				Date: v.Agreement.Date, Year: v.Agreement.Year, OverYears: v.Agreement.OverYears},
			Texts: map[string]twinning.CityText{}}
		if p := v.Population; p != nil {
			c.Population = &twinning.Population{Count: p.Count, Year: p.Year, Approx: p.Approx, Millions: p.Millions, Area: p.Area}
		}
		for lang, x := range v.Texts {
			// format 1 kept one hash of the whole source text: its review marks cannot be
			// read per field, so the translation shows as out of date until checked.
			c.Texts[lang] = twinning.CityText{Lang: lang, Name: x.Name, FullName: x.FullName, Summary: x.Summary,
				Description: x.Description, Aims: x.Aims, Association: x.Association, TranslatedFrom: x.TranslatedFrom}
		}
		for _, l := range v.Links {
			c.Links = append(c.Links, twinning.Link{Kind: twinning.LinkKind(l.Kind), Lang: l.Lang, URL: l.URL, Label: l.Label})
		}
		return c.Entry(), nil
	case twinning.SiteType:
		var v v1Site
		if err := json.Unmarshal(b, &v); err != nil {
			return twinning.Entry{}, fmt.Errorf("snapshot format 1: %w", err)
		}
		s := twinning.Site{Texts: map[string]twinning.SiteText{}}
		for lang, x := range v.Texts {
			s.Texts[lang] = twinning.SiteText{Lang: lang, Name: x.Name, Intro: x.Intro, PartnersIntro: x.PartnersIntro,
				HistoryTitle: x.HistoryTitle, History: x.History, EventsTitle: x.EventsTitle, Events: x.Events,
				TranslatedFrom: x.TranslatedFrom}
		}
		return s.Entry(), nil
	}
	return twinning.Entry{}, fmt.Errorf("no format 1 snapshots of %s", t.Name)
}

package postgres

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"twintowns/internal/twinning"
)

// snapshotFormat is the version of the format in which drafts and revisions are stored. The
// format belongs to the store: renaming a field of a domain struct changes nothing stored.
// Format 1 was json.Marshal of twinning.City or twinning.Site as they were until November
// 2026; format 2 kept facts by their form inputs' names ("link_url_2"). decodeSnapshot reads
// both.
const snapshotFormat = 3

// snapshot is format 3: facts by their declared keys with values of their kinds (numbers,
// booleans, dates as text, coordinates as [latitude, longitude] or, taken from a GeoNames
// place, [latitude, longitude, GeoNames id], references as ids), the rows of lists by list,
// texts by language and field.
type snapshot struct {
	Format int                         `json:"format"`
	Type   string                      `json:"type"`
	Facts  map[string]any              `json:"facts,omitempty"`
	Lists  map[string][]map[string]any `json:"lists,omitempty"`
	Texts  map[string]snapshotText     `json:"texts"`
}

type snapshotText struct {
	Fields         map[string]string `json:"fields"`
	TranslatedFrom string            `json:"translated_from,omitempty"`
	Reviewed       map[string]string `json:"reviewed,omitempty"`
}

// encodeSnapshot stores what a draft or revision keeps of an entry: facts and texts.
func encodeSnapshot(e twinning.Entry) ([]byte, error) {
	s := snapshot{Format: snapshotFormat, Type: e.Type.Name, Texts: map[string]snapshotText{}}
	s.Facts, s.Lists = encodeFacts(e)
	for lang, t := range e.Texts {
		s.Texts[lang] = snapshotText{Fields: t.Fields, TranslatedFrom: t.TranslatedFrom, Reviewed: t.Reviewed}
	}
	return json.Marshal(s)
}

// encodeFacts writes an entry's facts by their declared keys, each as a value of its kind; a
// value that does not read (kept as typed) is stored as its text.
func encodeFacts(e twinning.Entry) (map[string]any, map[string][]map[string]any) {
	facts := map[string]any{}
	for _, f := range e.Type.Facts {
		if v := encodeFact(e, f, 0); v != nil {
			facts[f.Key] = v
		}
	}
	lists := map[string][]map[string]any{}
	for _, l := range e.Type.Lists {
		for i := range len(e.Rows(l.Key)) {
			row := map[string]any{}
			for _, f := range l.Facts {
				if v := encodeFact(e, f, i+1); v != nil {
					row[f.Key] = v
				}
			}
			lists[l.Key] = append(lists[l.Key], row)
		}
	}
	return facts, lists
}

func encodeFact(e twinning.Entry, f twinning.FactField, row int) any {
	keys := f.Keys(row)
	raw := make([]string, len(keys))
	filled := false
	for i, k := range keys {
		raw[i] = e.Facts[k]
		filled = filled || raw[i] != ""
	}
	if !filled {
		return nil
	}
	v, ok := e.RowValue(f.Key, row)
	switch {
	case !ok && len(raw) == 1:
		return raw[0]
	case !ok:
		return raw
	}
	switch f.Kind {
	case twinning.FactNumber:
		return v.Number
	case twinning.FactBoolean:
		return v.Bool
	case twinning.FactDate:
		return v.Date.String()
	case twinning.FactCoordinates:
		if id := v.Place.GeoNamesID; id != 0 {
			return []float64{*v.Place.Latitude, *v.Place.Longitude, float64(id)}
		}
		return []float64{*v.Place.Latitude, *v.Place.Longitude}
	case twinning.FactReference:
		if f.Many {
			return v.Refs
		}
		return v.Refs[0]
	}
	return v.Text
}

// decodeFacts reads facts written by encodeFacts back into an entry's typed strings.
func decodeFacts(t *twinning.Type, facts map[string]any, lists map[string][]map[string]any) map[twinning.FieldKey]string {
	out := map[twinning.FieldKey]string{}
	one := func(f twinning.FactField, v any, row int) {
		keys := f.Keys(row)
		switch x := v.(type) {
		case string:
			out[keys[0]] = x
		case bool:
			if x {
				out[keys[0]] = "on"
			}
		case float64:
			out[keys[0]] = strconv.FormatFloat(x, 'f', -1, 64)
		case []any:
			var parts []string
			for _, p := range x {
				switch y := p.(type) {
				case float64:
					parts = append(parts, strconv.FormatFloat(y, 'f', -1, 64))
				case string:
					parts = append(parts, y)
				}
			}
			if f.Kind == twinning.FactCoordinates && len(parts) >= 2 && len(parts) <= len(keys) {
				for i, p := range parts {
					out[keys[i]] = p
				}
			} else {
				out[keys[0]] = strings.Join(parts, " ")
			}
		}
	}
	for k, v := range facts {
		if f, ok := t.FactField(k); ok {
			one(f, v, 0)
		}
	}
	for _, l := range t.Lists {
		for i, row := range lists[l.Key] {
			for k, v := range row {
				if f, ok := t.FactField(k); ok {
					one(f, v, i+1)
				}
			}
		}
	}
	return out
}

// decodeSnapshot reads a stored snapshot of any format into an entry of type t (facts and
// texts only).
func decodeSnapshot(t *twinning.Type, b []byte) (twinning.Entry, error) {
	var s snapshot
	if err := json.Unmarshal(b, &s); err != nil {
		return twinning.Entry{}, fmt.Errorf("snapshot: %w", err)
	}
	e := twinning.Entry{Type: t, Facts: map[twinning.FieldKey]string{}, Texts: map[string]twinning.Text{}}
	switch s.Format {
	case 0, 1:
		return decodeFormat1(t, b)
	case 2, 3:
		if s.Type != t.Name {
			return e, fmt.Errorf("snapshot of a %s read as a %s", s.Type, t.Name)
		}
		if s.Format == 2 {
			e.Facts = format2Facts(t, s.Facts)
		} else {
			e.Facts = decodeFacts(t, s.Facts, s.Lists)
		}
		for lang, x := range s.Texts {
			e.Texts[lang] = twinning.Text{Lang: lang, Fields: x.Fields, TranslatedFrom: x.TranslatedFrom, Reviewed: x.Reviewed}
		}
		return e, nil
	}
	return e, fmt.Errorf("snapshot format %d is newer than this program", s.Format)
}

var rowName = regexp.MustCompile(`^(.+)_([0-9]+)$`)

// format2Facts reads the facts of format 2, stored by their inputs' names, against the
// declaration: a declared fact by its name ("x_2" too), a row's field by name and index, a
// fact of format 2 that is now part of another (latitude) by the new one's Was.
func format2Facts(t *twinning.Type, facts map[string]any) map[twinning.FieldKey]string {
	out := map[twinning.FieldKey]string{}
	for name, v := range facts {
		s, _ := v.(string)
		if f, ok := t.FactField(name); ok && !isRowFact(t, name) {
			out[f.Keys(0)[0]] = s
			continue
		}
		if m := rowName.FindStringSubmatch(name); m != nil && isRowFact(t, m[1]) {
			i, _ := strconv.Atoi(m[2])
			out[twinning.RowKey(m[1], i)] = s
			continue
		}
		for _, f := range t.Facts {
			if i := slices.Index(f.Was, name); i >= 0 && i < len(f.Keys(0)) {
				out[f.Keys(0)[i]] = s
			}
		}
	}
	return out
}

// isRowFact reports whether name is a fact of one of t's lists.
func isRowFact(t *twinning.Type, name string) bool {
	for _, l := range t.Lists {
		if slices.ContainsFunc(l.Facts, func(f twinning.FactField) bool { return f.Key == name }) {
			return true
		}
	}
	return false
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

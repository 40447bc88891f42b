package web

import (
	"context"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/a-h/templ"

	"twintowns/internal/twinning"
	"twintowns/templates/layout"
)

// The open data of every type with public pages (/data/events.json, .csv), made from its
// declaration: each published entry's slug, its facts by their kinds (references by the slugs
// of the entries they point to), its texts per language and its page per language.

type entryDataSet struct {
	Languages []string         `json:"languages"`
	Site      dataSite         `json:"site"`
	Licence   dataLicence      `json:"licence"`
	Type      string           `json:"type"`
	Entries   []map[string]any `json:"entries"`
	t         *twinning.Type
	modified  time.Time
}

// dataDate is a date fact as open data: its precision and value ("1999/2000" for a school
// year), and the day it begins.
type dataDate struct {
	Precision twinning.DatePrecision `json:"precision"`
	Value     string                 `json:"value"`
	Start     string                 `json:"start"`
}

func newEntryDataSet(c twinning.Content, t *twinning.Type, base string) entryDataSet {
	d := newDataSet(c, base)
	set := entryDataSet{Languages: d.Languages, Site: d.Site, Licence: d.Licence, Type: t.Name,
		Entries: []map[string]any{}, t: t, modified: d.modified}
	for _, e := range c.Entries[t] {
		x := map[string]any{}
		for _, f := range t.Facts {
			x[f.Key] = dataValue(c, e, f)
		}
		for _, f := range t.Fields {
			texts := map[string]string{}
			for lang, tx := range e.Texts {
				if v := strings.TrimSpace(tx.Fields[f.Key]); v != "" {
					texts[lang] = v
				}
			}
			x[f.Key] = texts
		}
		pages := map[string]string{}
		for _, lang := range c.Site.Languages {
			pages[lang] = base + layout.Href(lang, entryPath(t, e.Text("slug")))
		}
		x["pages"] = pages
		set.Entries = append(set.Entries, x)
	}
	return set
}

// dataValue is a fact of e as open data, by its kind; nil when empty.
func dataValue(c twinning.Content, e twinning.Entry, f twinning.FactField) any {
	v, ok := e.Value(f.Key)
	if !ok {
		if f.Kind == twinning.FactReference && f.Many {
			return []string{}
		}
		return nil
	}
	switch f.Kind {
	case twinning.FactDate:
		return dataDate{Precision: v.Date.Precision, Value: v.Date.String(), Start: v.Date.Time().Format("2006-01-02")}
	case twinning.FactNumber:
		return v.Number
	case twinning.FactBoolean:
		return v.Bool
	case twinning.FactCoordinates:
		return map[string]float64{"latitude": *v.Place.Latitude, "longitude": *v.Place.Longitude}
	case twinning.FactReference:
		slugs := []string{}
		for _, id := range v.Refs {
			if city, ok := c.CityByID(id); ok && f.Ref == twinning.CityType {
				slugs = append(slugs, city.Slug)
			}
			for _, x := range c.Entries[f.Ref] {
				if x.ID == id {
					slugs = append(slugs, x.Text("slug"))
				}
			}
		}
		if !f.Many {
			if len(slugs) == 0 {
				return nil
			}
			return slugs[0]
		}
		return slugs
	}
	return v.Text
}

// csvEntries is the data set as CSV: a column per fact (a date's precision beside it, the
// slugs of references separated by spaces), a column per text field and language.
type csvEntries struct {
	dataDoc
	set entryDataSet
}

func (d csvEntries) Render(_ context.Context, w io.Writer) error {
	t := d.set.t
	var header []string
	for _, f := range t.Facts {
		if f.Kind == twinning.FactDate {
			header = append(header, f.Key+"_precision")
		}
		header = append(header, f.Key)
	}
	for _, f := range t.Fields {
		for _, lang := range d.set.Languages {
			header = append(header, f.Key+"_"+lang)
		}
	}
	rows := [][]string{append(header, "url", "licence")}
	for _, x := range d.set.Entries {
		var row []string
		for _, f := range t.Facts {
			switch v := x[f.Key].(type) {
			case dataDate:
				row = append(row, string(v.Precision), v.Value)
			case []string:
				row = append(row, strings.Join(v, " "))
			case float64:
				row = append(row, strconv.FormatFloat(v, 'f', -1, 64))
			case string:
				row = append(row, v)
			default:
				row = append(row, "")
			}
		}
		for _, f := range t.Fields {
			texts := x[f.Key].(map[string]string)
			for _, lang := range d.set.Languages {
				row = append(row, texts[lang])
			}
		}
		rows = append(rows, append(row, x["pages"].(map[string]string)[d.set.Site.DefaultLang], d.set.Licence.URL))
	}
	return writeCSV(w, rows, rfc4180)
}

func (csvEntries) ContentType() string { return "text/csv; charset=utf-8; header=present" }

// The formats of the open data of a type.
func asJSON(d entryDataSet) templ.Component { return jsonData{dataDoc{d.modified}, d} }
func asCSV(d entryDataSet) templ.Component  { return csvEntries{dataDoc{d.modified}, d} }

// entriesData serves the open data of t in a format (asJSON, asCSV).
func (s *Server) entriesData(t *twinning.Type, format func(entryDataSet) templ.Component) build {
	return func(r *http.Request) (templ.Component, error) {
		c, err := s.siteContent(r)
		if err != nil {
			return nil, err
		}
		return format(newEntryDataSet(c, t, s.baseURL(r))), nil
	}
}

package web

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/a-h/templ"

	"twintowns/internal/twinning"
	"twintowns/templates/layout"
)

// The open data of a site: every published partnership, as JSON and as CSV. The fields are
// documented in README.md ("Open data"); they are a published format, so rename none.

type dataSet struct {
	Languages    []string          `json:"languages"`
	Site         dataSite          `json:"site"`
	Licence      dataLicence       `json:"licence"`
	Partnerships []dataPartnership `json:"partnerships"`
}

type dataSite struct {
	Slug        string            `json:"slug"`
	Names       map[string]string `json:"names"`
	Country     string            `json:"country"`
	DefaultLang string            `json:"default_lang"`
	URL         string            `json:"url"`
}

type dataLicence struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	URL  string `json:"url"`
}

type dataPartnership struct {
	Slug        string            `json:"slug"`
	Kind        twinning.Kind     `json:"kind"`
	Country     string            `json:"country"`
	Names       map[string]string `json:"names"`
	Agreement   dataAgreement     `json:"agreement"`
	SinceYear   *int              `json:"since_year"` // where the sources date only the partnership
	Status      twinning.Status   `json:"status"`
	StatusSince *string           `json:"status_since"`
	StatusUntil *string           `json:"status_until"`
	Latitude    *float64          `json:"latitude"`
	Longitude   *float64          `json:"longitude"`
	Wikidata    string            `json:"wikidata"`
	Links       []dataLink        `json:"links"`
	Pages       map[string]string `json:"pages"`
}

type dataAgreement struct {
	Precision twinning.Precision `json:"precision"`
	Date      *string            `json:"date"`
	Year      *int               `json:"year"`
	OverYears *int               `json:"over_years"`
}

type dataLink struct {
	Kind  twinning.LinkKind `json:"kind"`
	Lang  string            `json:"lang"`
	URL   string            `json:"url"`
	Label string            `json:"label"`
}

// newDataSet is the open data of a site's published content; base is scheme and host.
func newDataSet(c twinning.Content, base string) dataSet {
	l := c.Site.DataLicence()
	d := dataSet{
		Languages: c.Site.Languages,
		Site: dataSite{Slug: c.Site.Slug, Names: map[string]string{}, Country: c.Site.Country,
			DefaultLang: c.Site.DefaultLang, URL: base + "/"},
		Licence:      dataLicence{ID: l.ID, Name: l.Name, URL: l.URL},
		Partnerships: []dataPartnership{},
	}
	for lang, t := range c.Site.Texts {
		d.Site.Names[lang] = t.Name
	}
	for _, city := range c.Cities {
		p := dataPartnership{Slug: city.Slug, Kind: city.Kind, Country: city.Country,
			Names: map[string]string{}, Status: city.Status, StatusSince: isoDate(city.StatusSince),
			StatusUntil: isoDate(city.StatusUntil), Latitude: city.Latitude, Longitude: city.Longitude,
			Wikidata: city.WikidataID, Links: []dataLink{}, Pages: map[string]string{},
			Agreement: dataAgreement{Precision: city.Agreement.Precision}}
		switch a := city.Agreement; a.Precision {
		case twinning.PrecisionDay:
			p.Agreement.Date = isoDate(&a.Date)
			year := a.Date.Year()
			p.Agreement.Year = &year
		case twinning.PrecisionYear:
			p.Agreement.Year = &a.Year
		case twinning.PrecisionSince:
			// no agreement is known: "since 1974" is the partnership's year, not an agreement's
			p.Agreement.Precision, p.SinceYear = twinning.PrecisionUnknown, &a.Year
		case twinning.PrecisionOverYears:
			p.Agreement.OverYears = &a.OverYears
		}
		for lang, t := range city.Texts {
			p.Names[lang] = t.Name
		}
		for _, lang := range c.Site.Languages {
			p.Pages[lang] = base + layout.Href(lang, "/cities/"+city.Slug)
		}
		for _, l := range city.Links {
			p.Links = append(p.Links, dataLink{Kind: l.Kind, Lang: l.Lang, URL: l.URL, Label: l.Label})
		}
		d.Partnerships = append(d.Partnerships, p)
	}
	return d
}

// jsonData is a data set as a cacheable JSON document.
type jsonData struct{ set any }

func (d jsonData) Render(_ context.Context, w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(d.set)
}

func (jsonData) ContentType() string { return "application/json" }

// csvData is the data set as CSV (RFC 4180, UTF-8, a header row): one row per partnership,
// a name column per language, links separated by spaces.
type csvData struct{ set dataSet }

func (d csvData) Render(_ context.Context, w io.Writer) error {
	cw := newCSV(w)
	header := []string{"slug", "kind", "country"}
	for _, lang := range d.set.Languages {
		header = append(header, "name_"+lang)
	}
	header = append(header, "agreement_precision", "agreement_date", "agreement_year",
		"agreement_over_years", "status", "status_since", "status_until", "latitude", "longitude",
		"wikidata", "links", "url", "licence", "since_year")
	if err := cw.Write(header); err != nil {
		return err
	}
	for _, p := range d.set.Partnerships {
		row := []string{p.Slug, string(p.Kind), p.Country}
		for _, lang := range d.set.Languages {
			row = append(row, p.Names[lang])
		}
		var links []string
		for _, l := range p.Links {
			links = append(links, l.URL)
		}
		row = append(row, string(p.Agreement.Precision), cell(p.Agreement.Date), cell(p.Agreement.Year),
			cell(p.Agreement.OverYears), string(p.Status), cell(p.StatusSince), cell(p.StatusUntil),
			cell(p.Latitude), cell(p.Longitude), p.Wikidata, strings.Join(links, " "),
			p.Pages[d.set.Site.DefaultLang], d.set.Licence.URL, cell(p.SinceYear))
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

func (csvData) ContentType() string { return "text/csv; charset=utf-8; header=present" }

// partnershipsJSON and partnershipsCSV serve a site's open data.
func (s *Server) partnershipsJSON(r *http.Request) (templ.Component, error) {
	c, err := s.siteContent(r)
	if err != nil {
		return nil, err
	}
	return jsonData{newDataSet(c, s.baseURL(r))}, nil
}

func (s *Server) partnershipsCSV(r *http.Request) (templ.Component, error) {
	c, err := s.siteContent(r)
	if err != nil {
		return nil, err
	}
	return csvData{newDataSet(c, s.baseURL(r))}, nil
}

// siteContent is the published content of the request's site.
func (s *Server) siteContent(r *http.Request) (twinning.Content, error) {
	site, err := s.siteFor(r)
	if err != nil {
		return twinning.Content{}, err
	}
	return s.content(r.Context(), site)
}

// isoDate is t as YYYY-MM-DD, nil when t is.
func isoDate(t *time.Time) *string {
	if t == nil {
		return nil
	}
	s := t.Format(time.DateOnly)
	return &s
}

// cell is a CSV field: empty for nil.
func cell[T string | int | float64](v *T) string {
	switch x := any(v).(type) {
	case *string:
		if x != nil {
			return *x
		}
	case *int:
		if x != nil {
			return strconv.Itoa(*x)
		}
	case *float64:
		if x != nil {
			return strconv.FormatFloat(*x, 'f', -1, 64)
		}
	}
	return ""
}

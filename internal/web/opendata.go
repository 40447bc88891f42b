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

	"twintowns/internal/locale"
	"twintowns/internal/twinning"
	"twintowns/templates/layout"
)

// The open data of a site: every published partnership, as JSON, as CSV (RFC 4180) and as
// CSV for spreadsheets, described by a Frictionless Data Package and by a DCAT-AP catalogue
// (dcat.go) that data portals harvest. The fields are documented in README.md ("Open
// data"); they are a published format, so rename none.

// dataFile is a file of a data set: where it is, what it is, and how a catalogue names it.
type dataFile struct {
	Path      string // site-relative URL
	MediaType string // IANA media type, as the file is served
	Format    string // the file type in the EU's vocabulary (DCAT-AP dct:format)
	Title     string // message ID of its title
	Tabular   bool   // described column by column in datapackage.json
}

// dataSetInfo is a data set a site publishes, as its catalogue describes it: an identifier,
// message IDs of its title and description, and its files.
type dataSetInfo struct {
	ID                 string
	Title, Description string
	Keywords           []string // message IDs
	Files              []dataFile
}

// partnerships is the data set every site publishes.
var partnerships = dataSetInfo{
	ID: "partnerships", Title: "data.partnerships.title", Description: "data.partnerships.description",
	Keywords: []string{"data.keyword.twin_towns", "data.keyword.partner_cities"},
	Files: []dataFile{
		{Path: layout.DataJSON, MediaType: "application/json", Format: "JSON", Title: "data.file.json"},
		{Path: layout.DataCSV, MediaType: "text/csv", Format: "CSV", Title: "data.file.csv", Tabular: true},
		{Path: layout.DataSheet, MediaType: "text/csv", Format: "CSV", Title: "data.file.sheet", Tabular: true},
	},
}

// dataSetsOf are the data sets of a site's content: the partnerships, and the entries of each
// type with public pages that has any (joint events: /data/events.json and .csv, served by
// opendata_entries.go), described by messages named after the type.
func dataSetsOf(c twinning.Content) []dataSetInfo {
	sets := []dataSetInfo{partnerships}
	for _, t := range twinning.Types.Public() {
		if len(c.Entries[t]) == 0 {
			continue
		}
		path, msg := "/data/"+t.Public.Path, t.Name+".data."
		sets = append(sets, dataSetInfo{ID: t.Public.Path, Title: msg + "title", Description: msg + "description",
			Keywords: []string{msg + "keyword"},
			Files: []dataFile{
				{Path: path + ".json", MediaType: "application/json", Format: "JSON", Title: msg + "file_json"},
				{Path: path + ".csv", MediaType: "text/csv", Format: "CSV", Title: msg + "file_csv"},
			}})
	}
	return sets
}

type dataSet struct {
	Languages    []string          `json:"languages"`
	Site         dataSite          `json:"site"`
	Licence      dataLicence       `json:"licence"`
	Modified     string            `json:"modified"`
	Partnerships []dataPartnership `json:"partnerships"`
	modified     time.Time
}

type dataSite struct {
	Slug         string            `json:"slug"`
	Names        map[string]string `json:"names"`
	Country      string            `json:"country"`
	DefaultLang  string            `json:"default_lang"`
	URL          string            `json:"url"`
	OfficialCode *dataCode         `json:"official_code"`
	GeoNamesID   *int64            `json:"geonames_id"`
}

// dataCode is the municipality's code in its country's register.
type dataCode struct {
	Scheme string `json:"scheme"`
	Agency string `json:"agency"`
	Value  string `json:"value"`
}

type dataLicence struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	URL  string `json:"url"`
}

type dataPartnership struct {
	Slug              string            `json:"slug"`
	Kind              twinning.Kind     `json:"kind"`
	Country           string            `json:"country"`
	Names             map[string]string `json:"names"`
	Agreement         dataAgreement     `json:"agreement"`
	SinceYear         *int              `json:"since_year"` // where the sources date only the partnership
	Status            twinning.Status   `json:"status"`
	StatusSince       *string           `json:"status_since"`
	StatusUntil       *string           `json:"status_until"`
	Latitude          *float64          `json:"latitude"`
	Longitude         *float64          `json:"longitude"`
	LocationPrecision *string           `json:"location_precision"`
	GeoNamesID        *int64            `json:"geonames_id"`
	Wikidata          string            `json:"wikidata"`
	Links             []dataLink        `json:"links"`
	Pages             map[string]string `json:"pages"`
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

// Location precisions: what the coordinates of a partnership stand for.
const (
	locationPlace     = "place"         // the GeoNames place of the city
	locationSeat      = "district_seat" // approximate: the seat of the district or county
	locationSetByHand = "manual"        // set by staff
)

// newDataSet is the open data of a site's published content; base is scheme and host.
func newDataSet(c twinning.Content, base string) dataSet {
	l := c.Site.DataLicence()
	d := dataSet{
		Languages: c.Site.Languages,
		Site: dataSite{Slug: c.Site.Slug, Names: map[string]string{}, Country: c.Site.Country,
			DefaultLang: c.Site.DefaultLang, URL: base + "/", GeoNamesID: optionalID(c.Site.Place.GeoNamesID)},
		Licence:      dataLicence{ID: l.ID, Name: l.Name, URL: l.URL},
		Modified:     c.Site.Modified.UTC().Format(time.RFC3339),
		Partnerships: []dataPartnership{},
		modified:     c.Site.Modified,
	}
	if scheme, agency := twinning.CodeScheme(c.Site.Country); c.Site.OfficialCode != "" {
		d.Site.OfficialCode = &dataCode{Scheme: scheme, Agency: agency, Value: c.Site.OfficialCode}
	}
	for lang, t := range c.Site.Texts {
		d.Site.Names[lang] = t.Name
	}
	for _, city := range c.Cities {
		p := dataPartnership{Slug: city.Slug, Kind: city.Kind, Country: city.Country,
			Names: map[string]string{}, Status: city.Status, StatusSince: isoDate(city.StatusSince),
			StatusUntil: isoDate(city.StatusUntil), Latitude: city.Latitude, Longitude: city.Longitude,
			GeoNamesID: optionalID(city.GeoNamesID), Wikidata: city.WikidataID, Links: []dataLink{},
			Pages: map[string]string{}, Agreement: dataAgreement{Precision: city.Agreement.Precision}}
		if city.Place().Located() {
			prec := locationSetByHand
			switch {
			case city.PlaceSeat:
				prec = locationSeat
			case city.GeoNamesID != 0:
				prec = locationPlace
			}
			p.LocationPrecision = &prec
		}
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

func optionalID(id int64) *int64 {
	if id == 0 {
		return nil
	}
	return &id
}

// dataDoc is a document of the open data: it says when its content last changed, for
// Last-Modified.
type dataDoc struct{ modified time.Time }

func (d dataDoc) LastModified() time.Time { return d.modified }

// jsonData is a data set as a cacheable JSON document.
type jsonData struct {
	dataDoc
	set any
}

func (d jsonData) Render(_ context.Context, w io.Writer) error { return writeJSON(w, d.set) }

func (jsonData) ContentType() string { return "application/json" }

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// column is a column of the partnerships' tables: its name, its type in Table Schema (for
// datapackage.json), what it holds, and its cell in a row.
type column struct {
	Name, Type, Description string
	Enum                    []string
	cell                    func(p dataPartnership, set dataSet) string
}

// columns are the columns of the CSV files, in order: a name column per language of the
// site. New columns go at the end.
func columns(langs []string) []column {
	cols := []column{
		{"slug", "string", "Stable identifier of the partnership within the site", nil,
			func(p dataPartnership, _ dataSet) string { return p.Slug }},
		{"kind", "string", "twin (twin town) or partner (cooperation city)", []string{"twin", "partner"},
			func(p dataPartnership, _ dataSet) string { return string(p.Kind) }},
		{"country", "string", "ISO 3166-1 alpha-2 code of the partner city's country", nil,
			func(p dataPartnership, _ dataSet) string { return p.Country }},
	}
	for _, lang := range langs {
		cols = append(cols, column{"name_" + lang, "string", "The city's name in the language " + lang, nil,
			func(p dataPartnership, _ dataSet) string { return p.Names[lang] }})
	}
	return append(cols,
		column{"agreement_precision", "string", "How precisely the agreement's date is known",
			[]string{"day", "year", "over_years", "unknown"},
			func(p dataPartnership, _ dataSet) string { return string(p.Agreement.Precision) }},
		column{"agreement_date", "date", "The date of the agreement when its precision is day", nil,
			func(p dataPartnership, _ dataSet) string { return cell(p.Agreement.Date) }},
		column{"agreement_year", "integer", "The year of the agreement when its precision is day or year", nil,
			func(p dataPartnership, _ dataSet) string { return cell(p.Agreement.Year) }},
		column{"agreement_over_years", "integer", "N when the partnership has lasted for over N years", nil,
			func(p dataPartnership, _ dataSet) string { return cell(p.Agreement.OverYears) }},
		column{"status", "string", "active, suspended or ended where recorded, else unknown",
			[]string{"active", "suspended", "ended", "unknown"},
			func(p dataPartnership, _ dataSet) string { return string(p.Status) }},
		column{"status_since", "date", "Since when the status holds", nil,
			func(p dataPartnership, _ dataSet) string { return cell(p.StatusSince) }},
		column{"status_until", "date", "Until when the status holds", nil,
			func(p dataPartnership, _ dataSet) string { return cell(p.StatusUntil) }},
		column{"latitude", "number", "WGS 84 latitude in decimal degrees", nil,
			func(p dataPartnership, _ dataSet) string { return cell(p.Latitude) }},
		column{"longitude", "number", "WGS 84 longitude in decimal degrees", nil,
			func(p dataPartnership, _ dataSet) string { return cell(p.Longitude) }},
		column{"wikidata", "string", "Wikidata item id (Q…)", nil,
			func(p dataPartnership, _ dataSet) string { return p.Wikidata }},
		column{"links", "string", "URLs of Wikipedia articles, official site and association, separated by spaces", nil,
			func(p dataPartnership, _ dataSet) string {
				var links []string
				for _, l := range p.Links {
					links = append(links, l.URL)
				}
				return strings.Join(links, " ")
			}},
		column{"url", "string", "The partnership's page on the site, in its default language", nil,
			func(p dataPartnership, set dataSet) string { return p.Pages[set.Site.DefaultLang] }},
		column{"licence", "string", "URL of the licence of the data", nil,
			func(_ dataPartnership, set dataSet) string { return set.Licence.URL }},
		column{"since_year", "integer", "The year since which the partnership lasts, where the sources date no agreement", nil,
			func(p dataPartnership, _ dataSet) string { return cell(p.SinceYear) }},
		column{"geonames_id", "integer", "The GeoNames place of the coordinates", nil,
			func(p dataPartnership, _ dataSet) string { return cell(p.GeoNamesID) }},
		column{"location_precision", "string",
			"place (the city's GeoNames place), district_seat (approximate: the seat of the district or county) or manual (set by staff)",
			[]string{locationPlace, locationSeat, locationSetByHand},
			func(p dataPartnership, _ dataSet) string { return cell(p.LocationPrecision) }},
	)
}

// csvDialect is how a CSV file is written: RFC 4180 for programs, or what a spreadsheet of
// the site's language opens as it is.
type csvDialect struct {
	Comma   rune
	BOM     bool   // starts with a UTF-8 byte order mark, by which Excel knows UTF-8
	Decimal string // the decimal separator of numbers
}

// rfc4180 is the dialect of /data/partnerships.csv.
var rfc4180 = csvDialect{Comma: ',', Decimal: "."}

// spreadsheetDialect is the CSV a spreadsheet of lang opens by a double click: where the
// language writes a decimal comma (fi, sv, pl, it), Excel's list separator is a semicolon
// and numbers take the comma.
func spreadsheetDialect(tr *locale.Translator) csvDialect {
	d := csvDialect{Comma: ',', BOM: true, Decimal: "."}
	if dec := tr.DecimalSeparator(); dec == "," {
		d.Comma, d.Decimal = ';', dec
	}
	return d
}

// csvData is the data set as CSV in a dialect: a header row and one row per partnership, a
// name column per language, links separated by spaces.
type csvData struct {
	dataDoc
	set     dataSet
	dialect csvDialect
}

func (d csvData) Render(_ context.Context, w io.Writer) error {
	cols := columns(d.set.Languages)
	rows := [][]string{make([]string, len(cols))}
	for i, c := range cols {
		rows[0][i] = c.Name
	}
	for _, p := range d.set.Partnerships {
		row := make([]string, len(cols))
		for i, c := range cols {
			row[i] = c.cell(p, d.set)
			if c.Type == "number" && d.dialect.Decimal != "." {
				row[i] = strings.Replace(row[i], ".", d.dialect.Decimal, 1)
			}
		}
		rows = append(rows, row)
	}
	return writeCSV(w, rows, d.dialect)
}

// writeCSV is the one way the open data writes CSV: every cell of every file passes here,
// and through newCSV's safe cells.
func writeCSV(w io.Writer, rows [][]string, d csvDialect) error {
	if d.BOM {
		if _, err := io.WriteString(w, "\uFEFF"); err != nil {
			return err
		}
	}
	cw := newCSV(w)
	cw.Comma = d.Comma
	for _, row := range rows {
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

func (csvData) ContentType() string { return "text/csv; charset=utf-8; header=present" }

// openData is the published content of the request's site as open data.
func (s *Server) openData(r *http.Request) (dataSet, error) {
	c, err := s.siteContent(r)
	if err != nil {
		return dataSet{}, err
	}
	return newDataSet(c, s.baseURL(r)), nil
}

// partnershipsJSON, partnershipsCSV and partnershipsSheet serve a site's open data.
func (s *Server) partnershipsJSON(r *http.Request) (templ.Component, error) {
	d, err := s.openData(r)
	return jsonData{dataDoc{d.modified}, d}, err
}

func (s *Server) partnershipsCSV(r *http.Request) (templ.Component, error) {
	d, err := s.openData(r)
	return csvData{dataDoc{d.modified}, d, rfc4180}, err
}

func (s *Server) partnershipsSheet(r *http.Request) (templ.Component, error) {
	d, err := s.openData(r)
	return csvData{dataDoc{d.modified}, d, spreadsheetDialect(s.locales.For(d.Site.DefaultLang))}, err
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
func cell[T string | int | int64 | float64](v *T) string {
	switch x := any(v).(type) {
	case *string:
		if x != nil {
			return *x
		}
	case *int:
		if x != nil {
			return strconv.Itoa(*x)
		}
	case *int64:
		if x != nil {
			return strconv.FormatInt(*x, 10)
		}
	case *float64:
		if x != nil {
			return strconv.FormatFloat(*x, 'f', -1, 64)
		}
	}
	return ""
}

// withOpenDataHeaders lets any site read the open data (CORS) and embed it (CORP), and
// answers the preflight a portal's browser sends before a conditional request.
func withOpenDataHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Access-Control-Allow-Origin", "*")
		h.Set("Access-Control-Expose-Headers", "ETag, Last-Modified")
		h.Set("Cross-Origin-Resource-Policy", "cross-origin")
		if r.Method == http.MethodOptions {
			h.Set("Access-Control-Allow-Methods", "GET, HEAD")
			h.Set("Access-Control-Allow-Headers", "If-None-Match, If-Modified-Since")
			h.Set("Access-Control-Max-Age", "86400")
			w.WriteHeader(http.StatusNoContent)
			return
		}
		next.ServeHTTP(w, r)
	})
}

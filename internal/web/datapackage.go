package web

import (
	"context"
	"io"
	"net/http"
	"strings"

	"github.com/a-h/templ"

	"twintowns/templates/layout"
)

// The Frictionless Data Package of a site's open data (https://specs.frictionlessdata.io):
// its files, and the columns of the CSV files with their types, so that a portal or a
// program reads them without guessing.

type dataPackage struct {
	Profile      string            `json:"profile"`
	Name         string            `json:"name"`
	Title        string            `json:"title"`
	Description  string            `json:"description"`
	Homepage     string            `json:"homepage"`
	Created      string            `json:"created"`
	Keywords     []string          `json:"keywords"`
	Licenses     []packageLicence  `json:"licenses"`
	Sources      []packageSource   `json:"sources"`
	Contributors []packageSource   `json:"contributors"`
	Resources    []packageResource `json:"resources"`
}

type packageLicence struct {
	Name  string `json:"name"`
	Path  string `json:"path"`
	Title string `json:"title"`
}

type packageSource struct {
	Title string `json:"title"`
	Path  string `json:"path,omitempty"`
	Role  string `json:"role,omitempty"`
}

type packageResource struct {
	Name      string          `json:"name"`
	Path      string          `json:"path"`
	Title     string          `json:"title"`
	Profile   string          `json:"profile"`
	Format    string          `json:"format"`
	MediaType string          `json:"mediatype"`
	Encoding  string          `json:"encoding"`
	Dialect   *packageDialect `json:"dialect,omitempty"`
	Schema    *tableSchema    `json:"schema,omitempty"`
}

type packageDialect struct {
	Delimiter      string `json:"delimiter"`
	LineTerminator string `json:"lineTerminator"`
	Header         bool   `json:"header"`
}

type tableSchema struct {
	Fields        []schemaField `json:"fields"`
	PrimaryKey    []string      `json:"primaryKey"`
	MissingValues []string      `json:"missingValues"`
}

type schemaField struct {
	Name        string            `json:"name"`
	Type        string            `json:"type"`
	Description string            `json:"description"`
	DecimalChar string            `json:"decimalChar,omitempty"`
	Constraints *fieldConstraints `json:"constraints,omitempty"`
}

type fieldConstraints struct {
	Required bool     `json:"required,omitempty"`
	Enum     []string `json:"enum,omitempty"`
}

// dataPackageDoc is the package as a cacheable JSON document.
type dataPackageDoc struct {
	dataDoc
	pkg dataPackage
}

func (d dataPackageDoc) Render(_ context.Context, w io.Writer) error { return writeJSON(w, d.pkg) }

func (dataPackageDoc) ContentType() string { return "application/json" }

// dataPackageFile serves /data/datapackage.json.
func (s *Server) dataPackageFile(r *http.Request) (templ.Component, error) {
	d, err := s.openData(r)
	if err != nil {
		return nil, err
	}
	tr := s.locales.For(d.Site.DefaultLang)
	name := d.Site.Names[d.Site.DefaultLang]
	set := partnerships
	pkg := dataPackage{
		Profile: "data-package", Name: "twintowns-" + d.Site.Slug + "-" + set.ID,
		Title: tr.T(set.Title, "Site", name), Description: tr.T(set.Description, "Site", name),
		Homepage: d.Site.URL, Created: d.Modified,
		Licenses:     []packageLicence{{Name: d.Licence.ID, Path: d.Licence.URL, Title: d.Licence.Name}},
		Sources:      []packageSource{{Title: "GeoNames (CC BY 4.0)", Path: "https://www.geonames.org"}},
		Contributors: []packageSource{{Title: name, Path: d.Site.URL, Role: "publisher"}},
	}
	for _, k := range set.Keywords {
		pkg.Keywords = append(pkg.Keywords, tr.T(k))
	}
	sheet := spreadsheetDialect(tr)
	for _, f := range set.Files {
		res := packageResource{Name: resourceName(f.Path), Path: d.Site.URL + f.Path[1:], Title: tr.T(f.Title),
			Profile: "data-resource", Format: strings.ToLower(f.Format), MediaType: f.MediaType, Encoding: "utf-8"}
		if f.Tabular {
			dialect := rfc4180
			if f.Path == layout.DataSheet {
				dialect, res.Encoding = sheet, "utf-8-sig"
			}
			res.Profile = "tabular-data-resource"
			res.Dialect = &packageDialect{Delimiter: string(dialect.Comma), LineTerminator: "\r\n", Header: true}
			res.Schema = schemaOf(d.Languages, dialect)
		}
		pkg.Resources = append(pkg.Resources, res)
	}
	return dataPackageDoc{dataDoc{d.modified}, pkg}, nil
}

// schemaOf is the Table Schema of the partnerships' CSV in a dialect.
func schemaOf(langs []string, d csvDialect) *tableSchema {
	s := &tableSchema{PrimaryKey: []string{"slug"}, MissingValues: []string{""}}
	for _, c := range columns(langs) {
		f := schemaField{Name: c.Name, Type: c.Type, Description: c.Description}
		if c.Type == "number" && d.Decimal != "." {
			f.DecimalChar = d.Decimal
		}
		if c.Name == "slug" || c.Name == "kind" || c.Name == "country" {
			f.Constraints = &fieldConstraints{Required: true}
		}
		if len(c.Enum) > 0 {
			if f.Constraints == nil {
				f.Constraints = &fieldConstraints{}
			}
			f.Constraints.Enum = c.Enum
		}
		s.Fields = append(s.Fields, f)
	}
	return s
}

// resourceName is a file's name as a Data Package names resources: lower case, the dot of
// its extension a hyphen ("partnerships-csv").
func resourceName(path string) string {
	return strings.ReplaceAll(strings.TrimPrefix(path, "/data/"), ".", "-")
}

package layout

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"time"

	"github.com/a-h/templ"
)

// Schema.org nodes of the pages' JSON-LD. Only what the pages know is set; empty fields are
// left out.

// Place is a schema.org City (a municipality or a partner city) or Country.
type Place struct {
	Type             string       `json:"@type"`
	Name             string       `json:"name"`
	URL              string       `json:"url,omitempty"`
	Identifier       string       `json:"identifier,omitempty"`
	Address          *Address     `json:"address,omitempty"`
	ContainedInPlace *Place       `json:"containedInPlace,omitempty"`
	Geo              *Coordinates `json:"geo,omitempty"`
	SameAs           []string     `json:"sameAs,omitempty"`
}

// Address is a schema.org PostalAddress; only the country (ISO 3166-1 alpha-2) is known.
type Address struct {
	Type    string `json:"@type"`
	Country string `json:"addressCountry"`
}

// Coordinates is a schema.org GeoCoordinates.
type Coordinates struct {
	Type      string  `json:"@type"`
	Latitude  float64 `json:"latitude"`
	Longitude float64 `json:"longitude"`
}

// Event is a schema.org Event: a joint event of the towns, with where it was held and the
// municipalities that organised it.
type Event struct {
	Type        string         `json:"@type"`
	Name        string         `json:"name"`
	URL         string         `json:"url,omitempty"`
	StartDate   string         `json:"startDate"`
	EndDate     string         `json:"endDate,omitempty"`
	Description string         `json:"description,omitempty"`
	InLanguage  string         `json:"inLanguage,omitempty"`
	Location    *Place         `json:"location,omitempty"`
	Organizer   []Organization `json:"organizer,omitempty"`
}

// Organization is a schema.org organisation, such as a municipality (GovernmentOrganization).
type Organization struct {
	Type       string   `json:"@type"`
	Name       string   `json:"name"`
	URL        string   `json:"url,omitempty"`
	Identifier string   `json:"identifier,omitempty"` // the municipality's official code
	Address    *Address `json:"address,omitempty"`
}

// ItemList is a schema.org ItemList of places, such as a site's partner cities.
type ItemList struct {
	Type     string     `json:"@type"`
	Name     string     `json:"name,omitempty"`
	Elements []ListItem `json:"itemListElement"`
}

// ListItem is one entry of an ItemList.
type ListItem struct {
	Type     string `json:"@type"`
	Position int    `json:"position"`
	Item     Place  `json:"item"`
}

type webPage struct {
	Context     string  `json:"@context"`
	Type        string  `json:"@type"`
	ID          string  `json:"@id"`
	URL         string  `json:"url"`
	Name        string  `json:"name"`
	Description string  `json:"description,omitempty"`
	InLanguage  string  `json:"inLanguage"`
	IsPartOf    webSite `json:"isPartOf"`
	About       *Place  `json:"about,omitempty"`
	MainEntity  any     `json:"mainEntity,omitempty"`
	// Publisher is the municipality; DateModified when the page's content last changed.
	Publisher    *Organization `json:"publisher,omitempty"`
	DateModified string        `json:"dateModified,omitempty"`
}

type webSite struct {
	Type string `json:"@type"`
	Name string `json:"name"`
	URL  string `json:"url"`
}

// StructuredData is the page's schema.org JSON-LD: a WebPage in the page's language about
// the municipality, with the page's main entity, in a script element. The encoder escapes <,
// > and &, so the data cannot close the element.
func (p Page) StructuredData() templ.Component {
	return templ.ComponentFunc(func(_ context.Context, w io.Writer) error {
		data, err := p.jsonLD()
		if err != nil {
			return err
		}
		_, err = io.WriteString(w, `<script type="application/ld+json">`+string(data)+`</script>`)
		return err
	})
}

func (p Page) jsonLD() ([]byte, error) {
	v := webPage{Context: "https://schema.org", Type: "WebPage", ID: p.URL(p.Lang), URL: p.URL(p.Lang),
		Name: p.Title, Description: p.Description, InLanguage: p.Lang,
		IsPartOf: webSite{Type: "WebSite", Name: p.SiteName, URL: p.BaseURL + Href(p.Lang, "/")},
		About:    p.About, MainEntity: p.MainEntity, Publisher: p.Publisher}
	if !p.Modified.IsZero() {
		v.DateModified = p.Modified.UTC().Format(time.RFC3339)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(true)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSpace(buf.Bytes()), nil
}

package web

import (
	"context"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/a-h/templ"
	"golang.org/x/text/language"

	"twintowns/internal/rdf"
	"twintowns/internal/twinning"
	"twintowns/templates/layout"
)

// The DCAT-AP 3 description of a site's open data: the catalogue, its data sets and their
// files, the municipality as publisher, the contact point from the site's settings. Data
// portals (avoindata.fi, dane.gov.pl, data.europa.eu) harvest it; it is written as JSON-LD
// and as Turtle from one graph.

// Vocabularies of DCAT-AP 3.
var dcatPrefixes = []rdf.Prefix{
	{Name: "dcat", IRI: "http://www.w3.org/ns/dcat#"},
	{Name: "dct", IRI: "http://purl.org/dc/terms/"},
	{Name: "foaf", IRI: "http://xmlns.com/foaf/0.1/"},
	{Name: "vcard", IRI: "http://www.w3.org/2006/vcard/ns#"},
	{Name: "xsd", IRI: "http://www.w3.org/2001/XMLSchema#"},
	{Name: "adms", IRI: "http://www.w3.org/ns/adms#"},
	{Name: "skos", IRI: "http://www.w3.org/2004/02/skos/core#"},
}

// EU vocabularies DCAT-AP asks for (the Publications Office's authority tables).
const (
	euAuthority    = "http://publications.europa.eu/resource/authority/"
	themeGov       = euAuthority + "data-theme/GOVE" // Government and public sector
	frequencyIrr   = euAuthority + "frequency/IRREG" // updated whenever staff publish
	ianaMedia      = "http://www.iana.org/assignments/media-types/"
	localAuthority = "http://purl.org/adms/publishertype/LocalAuthority"
)

// catalogueDoc is the catalogue in one serialisation.
type catalogueDoc struct {
	dataDoc
	g      *rdf.Graph
	turtle bool
}

func (d catalogueDoc) Render(_ context.Context, w io.Writer) error {
	if d.turtle {
		return d.g.WriteTurtle(w)
	}
	return d.g.WriteJSONLD(w)
}

func (d catalogueDoc) ContentType() string {
	if d.turtle {
		return "text/turtle; charset=utf-8"
	}
	return "application/ld+json"
}

// catalogJSONLD and catalogTurtle serve the catalogue.
func (s *Server) catalogJSONLD(r *http.Request) (templ.Component, error) {
	return s.catalogue(r, false)
}

func (s *Server) catalogTurtle(r *http.Request) (templ.Component, error) { return s.catalogue(r, true) }

func (s *Server) catalogue(r *http.Request, turtle bool) (templ.Component, error) {
	c, err := s.siteContent(r)
	if err != nil {
		return nil, err
	}
	return catalogueDoc{dataDoc{c.Site.Modified}, s.catalogueGraph(c, s.baseURL(r)), turtle}, nil
}

// catalogueGraph describes a site's open data in DCAT-AP 3. Its nodes are named by URLs of
// the JSON-LD catalogue with a fragment, the same in both serialisations.
func (s *Server) catalogueGraph(c twinning.Content, base string) *rdf.Graph {
	g := &rdf.Graph{Prefixes: dcatPrefixes}
	site := c.Site
	doc := base + layout.DataCatalog
	cat, publisher, contact := doc+"#catalog", doc+"#publisher", doc+"#contact-point"
	modified := rdf.Typed(site.Modified.UTC().Format(time.RFC3339), "xsd:dateTime")
	home := base + "/"
	// texts in every language of the site
	each := func(subject, pred, id string, kv ...any) {
		for _, lang := range site.Languages {
			g.Add(subject, pred, rdf.LangString(s.locales.For(lang).T(id, kv...), lang))
		}
	}
	name := func(lang string) string {
		if t, ok := site.Text(lang); ok && t.Name != "" {
			return t.Name
		}
		return site.Slug
	}
	languages := make([]rdf.Term, 0, len(site.Languages))
	for _, lang := range site.Languages {
		if b, _ := language.Make(lang).Base(); b.ISO3() != "" {
			languages = append(languages, rdf.IRI(euAuthority+"language/"+strings.ToUpper(b.ISO3())))
		}
	}
	var spatial []rdf.Term
	if id := site.Place.GeoNamesID; id != 0 {
		spatial = append(spatial, rdf.IRI("https://sws.geonames.org/"+strconv.FormatInt(id, 10)+"/"))
	}
	licence := site.DataLicence()

	g.Add(cat, "a", rdf.IRI("dcat:Catalog"))
	for _, lang := range site.Languages {
		tr := s.locales.For(lang)
		g.Add(cat, "dct:title", rdf.LangString(tr.T("data.catalog.title", "Site", name(lang)), lang))
		g.Add(cat, "dct:description", rdf.LangString(tr.T("data.catalog.description", "Site", name(lang)), lang))
	}
	g.Add(cat, "dct:publisher", rdf.IRI(publisher))
	g.Add(cat, "foaf:homepage", rdf.IRI(home))
	g.AddAll(cat, "dct:language", languages...)
	g.AddAll(cat, "dct:spatial", spatial...)
	g.Add(cat, "dct:license", rdf.IRI(licence.EU))
	g.Add(cat, "dct:modified", modified)
	sets := dataSetsOf(c)
	for _, set := range sets {
		g.Add(cat, "dcat:dataset", rdf.IRI(doc+"#"+set.ID))
	}

	for _, set := range sets {
		ds := doc + "#" + set.ID
		g.Add(ds, "a", rdf.IRI("dcat:Dataset"))
		g.Add(ds, "dct:identifier", rdf.Literal(base+"/data/"+set.ID))
		for _, lang := range site.Languages {
			tr := s.locales.For(lang)
			g.Add(ds, "dct:title", rdf.LangString(tr.T(set.Title, "Site", name(lang)), lang))
			g.Add(ds, "dct:description", rdf.LangString(tr.T(set.Description, "Site", name(lang)), lang))
		}
		for _, k := range set.Keywords {
			each(ds, "dcat:keyword", k)
		}
		g.Add(ds, "dcat:theme", rdf.IRI(themeGov))
		g.Add(ds, "dct:publisher", rdf.IRI(publisher))
		g.Add(ds, "dcat:contactPoint", rdf.IRI(contact))
		g.Add(ds, "dct:modified", modified)
		g.Add(ds, "dct:accrualPeriodicity", rdf.IRI(frequencyIrr))
		g.AddAll(ds, "dct:language", languages...)
		g.AddAll(ds, "dct:spatial", spatial...)
		g.Add(ds, "dcat:landingPage", rdf.IRI(base+layout.Href(site.DefaultLang, "/")))
		if set.ID == partnerships.ID {
			g.Add(ds, "foaf:page", rdf.IRI(base+layout.DataPackage))
		}
		for _, f := range set.Files {
			g.Add(ds, "dcat:distribution", rdf.IRI(doc+"#"+resourceName(f.Path)))
		}
		for _, f := range set.Files {
			d := doc + "#" + resourceName(f.Path)
			g.Add(d, "a", rdf.IRI("dcat:Distribution"))
			each(d, "dct:title", f.Title)
			g.Add(d, "dcat:accessURL", rdf.IRI(base+f.Path))
			g.Add(d, "dcat:downloadURL", rdf.IRI(base+f.Path))
			g.Add(d, "dct:format", rdf.IRI(euAuthority+"file-type/"+f.Format))
			g.Add(d, "dcat:mediaType", rdf.IRI(ianaMedia+f.MediaType))
			g.Add(d, "dct:license", rdf.IRI(licence.EU))
			g.Add(d, "dct:modified", modified)
			if f.Tabular {
				g.Add(d, "dct:conformsTo", rdf.IRI(base+layout.DataPackage))
			}
		}
	}

	g.Add(publisher, "a", rdf.IRI("foaf:Organization"))
	g.Add(publisher, "a", rdf.IRI("foaf:Agent"))
	for _, lang := range site.Languages {
		g.Add(publisher, "foaf:name", rdf.LangString(name(lang), lang))
	}
	g.Add(publisher, "dct:type", rdf.IRI(localAuthority))
	g.Add(publisher, "foaf:homepage", rdf.IRI(home))
	if code := site.OfficialCode; code != "" {
		scheme, agency := twinning.CodeScheme(site.Country)
		g.Add(publisher, "dct:identifier", rdf.Literal(code))
		id := publisher + "-code"
		g.Add(publisher, "adms:identifier", rdf.IRI(id))
		g.Add(id, "a", rdf.IRI("adms:Identifier"))
		g.Add(id, "skos:notation", rdf.Literal(code))
		if scheme != "" {
			g.Add(id, "adms:schemaAgency", rdf.Literal(agency))
		}
	}

	g.Add(contact, "a", rdf.IRI("vcard:Organization"))
	g.Add(contact, "a", rdf.IRI("vcard:Kind"))
	g.Add(contact, "vcard:fn", rdf.Literal(name(site.DefaultLang)))
	if e := site.DataContact.Email; e != "" {
		g.Add(contact, "vcard:hasEmail", rdf.IRI("mailto:"+e))
	}
	switch {
	case site.DataContact.URL != "":
		g.Add(contact, "vcard:hasURL", rdf.IRI(site.DataContact.URL))
	case site.DataContact.Email == "":
		g.Add(contact, "vcard:hasURL", rdf.IRI(home)) // nothing set: the site itself
	}
	return g
}

package web

import (
	"context"
	"encoding/xml"
	"io"
	"net/http"

	"github.com/a-h/templ"

	"twintowns/internal/twinning"
	"twintowns/templates/layout"
)

type sitemapURL struct {
	Loc   string        `xml:"loc"`
	Links []sitemapLink `xml:"xhtml:link"`
}

type sitemapLink struct {
	Rel      string `xml:"rel,attr"`
	Hreflang string `xml:"hreflang,attr"`
	Href     string `xml:"href,attr"`
}

type urlset struct {
	XMLName xml.Name     `xml:"urlset"`
	NS      string       `xml:"xmlns,attr"`
	XHTML   string       `xml:"xmlns:xhtml,attr"`
	URLs    []sitemapURL `xml:"url"`
}

// sitemapDoc is the sitemap as a component, so that the page cache serves it too.
type sitemapDoc struct{ set urlset }

func (d sitemapDoc) Render(_ context.Context, w io.Writer) error {
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", " ")
	return enc.Encode(d.set)
}

func (sitemapDoc) ContentType() string { return "application/xml; charset=utf-8" }

// sitemap lists every public page of the site in every language, each with its alternates.
func (s *Server) sitemap(r *http.Request) (templ.Component, error) {
	c, err := s.siteContent(r)
	if err != nil {
		return nil, err
	}
	site := c.Site
	paths := []string{"/"}
	if site.HasHistory() {
		paths = append(paths, "/history")
	}
	for _, city := range c.Cities {
		paths = append(paths, "/cities/"+city.Slug)
	}
	for _, t := range twinning.Types.Public() {
		if len(c.Entries[t]) > 0 {
			paths = append(paths, "/"+t.Public.Path)
		}
		for _, e := range c.Entries[t] {
			paths = append(paths, entryPath(t, e.Text("slug")))
		}
	}
	paths = append(paths, "/accessibility", "/accessibility/feedback")
	set := urlset{NS: "http://www.sitemaps.org/schemas/sitemap/0.9", XHTML: "http://www.w3.org/1999/xhtml"}
	base := s.baseURL(r)
	for _, path := range paths {
		p := layout.Page{Path: path, BaseURL: base, DefaultLang: site.DefaultLang}
		var links []sitemapLink
		for _, l := range site.Languages {
			links = append(links, sitemapLink{Rel: "alternate", Hreflang: l, Href: p.URL(l)})
		}
		links = append(links, sitemapLink{Rel: "alternate", Hreflang: "x-default", Href: p.XDefault()})
		for _, l := range site.Languages {
			set.URLs = append(set.URLs, sitemapURL{Loc: p.URL(l), Links: links})
		}
	}
	return sitemapDoc{set}, nil
}

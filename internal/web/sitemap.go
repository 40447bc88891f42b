package web

import (
	"context"
	"encoding/xml"
	"io"
	"net/http"
	"time"

	"github.com/a-h/templ"

	"twintowns/internal/twinning"
	"twintowns/templates/layout"
)

type sitemapURL struct {
	Loc     string        `xml:"loc"`
	Lastmod string        `xml:"lastmod,omitempty"` // when the page's content last changed (W3C datetime)
	Links   []sitemapLink `xml:"xhtml:link"`
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
	// each page, and when its content last changed: a city's or entry's page when it did,
	// the pages that show the whole site when the site did
	type page struct {
		path     string
		modified time.Time
	}
	pages := []page{{"/", site.Modified}}
	if site.HasHistory() {
		pages = append(pages, page{"/history", site.Modified})
	}
	for _, city := range c.Cities {
		pages = append(pages, page{"/cities/" + city.Slug, city.UpdatedAt})
	}
	for _, t := range twinning.Types.Public() {
		if len(c.Entries[t]) > 0 {
			pages = append(pages, page{"/" + t.Public.Path, site.Modified})
		}
		for _, e := range c.Entries[t] {
			pages = append(pages, page{entryPath(t, e.Text("slug")), e.UpdatedAt})
		}
	}
	pages = append(pages, page{"/accessibility", site.Modified}, page{"/accessibility/feedback", site.Modified})
	set := urlset{NS: "http://www.sitemaps.org/schemas/sitemap/0.9", XHTML: "http://www.w3.org/1999/xhtml"}
	base := s.baseURL(r)
	for _, pg := range pages {
		p := layout.Page{Path: pg.path, BaseURL: base, DefaultLang: site.DefaultLang}
		lastmod := ""
		if !pg.modified.IsZero() {
			lastmod = pg.modified.UTC().Format(time.RFC3339)
		}
		var links []sitemapLink
		for _, l := range site.Languages {
			links = append(links, sitemapLink{Rel: "alternate", Hreflang: l, Href: p.URL(l)})
		}
		links = append(links, sitemapLink{Rel: "alternate", Hreflang: "x-default", Href: p.XDefault()})
		for _, l := range site.Languages {
			set.URLs = append(set.URLs, sitemapURL{Loc: p.URL(l), Lastmod: lastmod, Links: links})
		}
	}
	return sitemapDoc{set}, nil
}

package web

import (
	"bytes"
	"context"
	"io"
	"net/http"

	"github.com/a-h/templ"

	"twintowns/internal/geo"
	"twintowns/internal/locale"
	"twintowns/templates/components"
	"twintowns/templates/pages"
)

// shareImage is a page's share image (Open Graph): its title over its map, as PNG. It goes
// through the page cache like a page, dropped with it on every content change.
type shareImage struct {
	title, credit string
	m             components.MapView
}

func (i shareImage) Render(_ context.Context, w io.Writer) error {
	var b bytes.Buffer // nothing is written when drawing fails
	if err := geo.SharePNG(&b, i.title, i.credit, i.m.Frame, i.m.GeoMarkers()); err != nil {
		return err
	}
	_, err := w.Write(b.Bytes())
	return err
}

func (shareImage) ContentType() string { return "image/png" }

// homeShare is the share image of the home page: the site's name over its map.
func (s *Server) homeShare(r *http.Request) (templ.Component, error) {
	p, c, err := s.pageFrame(r, "/")
	if err != nil {
		return nil, err
	}
	tr := locale.From(r.Context())
	h := homeView(c.Site, c, tr.Lang)
	return shareImage{title: p.SiteName, credit: tr.T("map.credit"), m: pages.HomeMap(p, h)}, nil
}

// cityShare is the share image of a city's page: its name over its locator map, or over the
// site's map when the city's place is not known.
func (s *Server) cityShare(r *http.Request) (templ.Component, error) {
	p, c, v, err := s.cityFrame(r)
	if err != nil {
		return nil, err
	}
	tr := locale.From(r.Context())
	m := pages.CityMap(p, v)
	if len(m.Markers) == 0 {
		m = pages.HomeMap(p, homeView(c.Site, c, tr.Lang))
	}
	return shareImage{title: v.Text.Title(), credit: tr.T("map.credit"), m: m}, nil
}

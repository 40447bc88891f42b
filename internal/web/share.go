package web

import (
	"bytes"
	"context"
	"crypto/sha256"
	"fmt"
	"io"
	"net/http"

	"github.com/a-h/templ"

	"twintowns/internal/geo"
	"twintowns/internal/locale"
	"twintowns/internal/twinning"
	"twintowns/templates/components"
	"twintowns/templates/pages"
)

// ShareStore keeps share images, drawn once for every instance and kept over restarts.
type ShareStore interface {
	ShareImage(ctx context.Context, t *twinning.Type, id int64, lang string, inputs []byte) ([]byte, error)
	SaveShareImage(ctx context.Context, siteID int64, t *twinning.Type, id int64, lang string, inputs, png []byte) error
}

// shareImage is a page's share image (Open Graph): its title over its map, as PNG. Drawing
// one takes 100-200 ms, so it is drawn once and stored (ShareStore) with a hash of what it
// shows; the page cache keeps it like a page, dropped with it on every content change.
type shareImage struct {
	s             *Server
	siteID        int64
	entry         *twinning.Type // the entry whose page it is: the site or a city
	id            int64
	lang          string
	title, credit string
	m             components.MapView
}

// shareInputsVersion changes when the drawing changes: every stored image is drawn again.
const shareInputsVersion = "share-1"

// inputs is a hash of everything the image shows.
func (i shareImage) inputs() []byte {
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%s\x00%s\x00%v\x00%v", shareInputsVersion, i.title, i.credit, i.m.Frame, i.m.GeoMarkers())
	return h.Sum(nil)
}

func (i shareImage) Render(ctx context.Context, w io.Writer) error {
	inputs := i.inputs()
	png, err := i.s.shares.ShareImage(ctx, i.entry, i.id, i.lang, inputs)
	if twinning.ErrorCode(err) == twinning.ENOTFOUND {
		var b bytes.Buffer // nothing is written when drawing fails
		if err := geo.SharePNG(&b, i.title, i.credit, i.m.Frame, i.m.GeoMarkers()); err != nil {
			return err
		}
		png = b.Bytes()
		i.s.sharesDrawn.Add(1)
		if err := i.s.shares.SaveShareImage(ctx, i.siteID, i.entry, i.id, i.lang, inputs, png); err != nil {
			i.s.log.WarnContext(ctx, "share image not stored", "err", err) // drawn again next time
		}
	} else if err != nil {
		return err
	}
	_, err = w.Write(png)
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
	return shareImage{s: s, siteID: c.Site.ID, entry: twinning.SiteType, id: c.Site.ID, lang: tr.Lang,
		title: p.SiteName, credit: tr.T("map.credit"), m: pages.HomeMap(p, h)}, nil
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
	return shareImage{s: s, siteID: c.Site.ID, entry: twinning.CityType, id: v.City.ID, lang: tr.Lang,
		title: v.Text.Title(), credit: tr.T("map.credit"), m: m}, nil
}

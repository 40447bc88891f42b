package components

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/a-h/templ"

	"twintowns/internal/geo"
	"twintowns/internal/twinning"
)

// MapPlace is a place to show on a map: a city, linked to its page, or the municipality.
type MapPlace struct {
	Place twinning.Place
	Kind  geo.MarkerKind
	Name  string
	Lang  string // the language of Name
	Href  string // "" for the municipality
}

// MapView is a framed map ready to draw: the land, the markers that fall inside the frame, and
// what the caption says.
type MapView struct {
	Frame    geo.Frame
	Scope    geo.Scope
	ViewBox  string
	Land     string // path data of the country outlines
	Markers  []MapMarker
	Missing  []MapPlace // places without coordinates, named under the map
	Twins    bool       // the legend shows twin towns
	Partners bool       // the legend shows cooperation cities
	Home     string     // the municipality's name, when it is on the map
}

// MapMarker is a place placed on the map, with its symbol's path data.
type MapMarker struct {
	MapPlace
	D string
	// Label is where the name is written beside the marker (locator maps only).
	Label *[2]string
}

// HomeMap frames places: a region around them, or the world when they lie far apart.
func HomeMap(places []MapPlace) MapView {
	var pts []geo.Point
	for _, p := range places {
		if p.Place.Located() {
			pts = append(pts, point(p.Place))
		}
	}
	f := geo.Fit(pts)
	size := 1.0
	if f.Scope == geo.ScopeWorld {
		size = 1.3 // the world is drawn small: its markers must still be seen
	}
	return newMap(f, places, size)
}

// LocatorMap frames one place, centred, with the other places that fall inside the frame;
// the zero MapView when the place has no coordinates.
func LocatorMap(at MapPlace, others ...MapPlace) MapView {
	if !at.Place.Located() {
		return MapView{}
	}
	var near []MapPlace
	for _, o := range others {
		if o.Place.Located() {
			near = append(near, o)
		}
	}
	v := newMap(geo.Locator(point(at.Place)), append(near, at), 1.6)
	// The place itself is last and in the middle: its name goes to the right of it.
	if n := len(v.Markers); n > 0 {
		x, y := v.Frame.XY(point(at.Place))
		v.Markers[n-1].Label = &[2]string{geo.Num(x + 32), geo.Num(y + 13)}
	}
	return v
}

// FormLocatorMap is the preview of the edit form: a locator map of the typed coordinates,
// when they are numbers on Earth.
func FormLocatorMap(lat, lon string, kind twinning.Kind, name string) MapView {
	la, err1 := strconv.ParseFloat(strings.Replace(strings.TrimSpace(lat), ",", ".", 1), 64)
	lo, err2 := strconv.ParseFloat(strings.Replace(strings.TrimSpace(lon), ",", ".", 1), 64)
	if err1 != nil || err2 != nil || la < -90 || la > 90 || lo < -180 || lo > 180 {
		return MapView{}
	}
	if name == "" {
		name = geo.Num(la) + ", " + geo.Num(lo)
	}
	return LocatorMap(MapPlace{Place: twinning.Place{Latitude: &la, Longitude: &lo}, Kind: MarkerKind(kind), Name: name})
}

// MarkerKind is the marker of a city of kind k.
func MarkerKind(k twinning.Kind) geo.MarkerKind {
	if k == twinning.KindTwin {
		return geo.MarkerTwin
	}
	return geo.MarkerPartner
}

func point(p twinning.Place) geo.Point { return geo.Point{Lon: *p.Longitude, Lat: *p.Latitude} }

// newMap places the markers of places in frame f; size scales the symbols (small maps
// need larger ones to stay visible).
func newMap(f geo.Frame, places []MapPlace, size float64) MapView {
	v := MapView{Frame: f, Scope: f.Scope, ViewBox: "0 0 " + geo.Num(geo.Width) + " " + geo.Num(f.Height),
		Land: geo.LandPath(f)}
	// The municipality goes first, under the cities it may overlap.
	for _, home := range []bool{true, false} {
		for _, p := range places {
			if (p.Kind == geo.MarkerHome) != home {
				continue
			}
			if !p.Place.Located() {
				if !home {
					v.Missing = append(v.Missing, p)
				}
				continue
			}
			pt := point(p.Place)
			if !f.Contains(pt) {
				continue
			}
			x, y := f.XY(pt)
			v.Markers = append(v.Markers, MapMarker{MapPlace: p, D: symbol(p.Kind, x, y, size)})
			switch p.Kind {
			case geo.MarkerHome:
				v.Home = p.Name
			case geo.MarkerTwin:
				v.Twins = true
			default:
				v.Partners = true
			}
		}
	}
	return v
}

// symbol is the path data of a marker: a star for the municipality, a circle for a twin
// town, a square for a cooperation city.
func symbol(k geo.MarkerKind, x, y, size float64) string {
	n := geo.Num
	switch k {
	case geo.MarkerHome:
		var b strings.Builder
		for i, p := range geo.StarPoints(x, y, 22*size) {
			if i == 0 {
				b.WriteString("M")
			} else {
				b.WriteString(" ")
			}
			b.WriteString(n(p[0]) + " " + n(p[1]))
		}
		return b.String() + "Z"
	case geo.MarkerTwin:
		r := 12 * size
		return fmt.Sprintf("M%s %sa%s %s 0 1 0 %s 0a%s %s 0 1 0 -%s 0Z", n(x-r), n(y), n(r), n(r), n(2*r), n(r), n(r), n(2*r))
	}
	r := 11 * size
	return fmt.Sprintf("M%s %sh%sv%sh-%sZ", n(x-r), n(y-r), n(2*r), n(2*r), n(2*r))
}

// KeySymbol is the path data of a marker in the legend's 24x24 box.
func KeySymbol(k geo.MarkerKind) string { return symbol(k, 12, 12, 0.5) }

// GeoMarkers are the markers of v for drawing it as an image.
func (v MapView) GeoMarkers() []geo.Marker {
	out := make([]geo.Marker, len(v.Markers))
	for i, m := range v.Markers {
		out[i] = geo.Marker{Point: point(m.Place), Kind: m.Kind}
	}
	return out
}

// landPath writes the land outlines of a map as they are: tens of kilobytes of path data that
// an attribute expression would copy and escape at every rendering, and that hold nothing to
// escape (geo writes letters, digits, spaces and minus signs).
func landPath(d string) templ.Component {
	return templ.ComponentFunc(func(_ context.Context, w io.Writer) error {
		if strings.ContainsAny(d, `"'<>&`) {
			d = templ.EscapeString(d)
		}
		for _, s := range []string{`<path class="land" d="`, d, `" aria-hidden="true"></path>`} {
			if _, err := io.WriteString(w, s); err != nil {
				return err
			}
		}
		return nil
	})
}

package components

import (
	"context"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/a-h/templ"

	"twintowns/internal/geo"
	"twintowns/internal/twinning"
)

// MapPlace is a place to show on a map: a city, linked to its page, or the municipality.
type MapPlace struct {
	Place   twinning.Place
	Kind    geo.MarkerKind
	Name    string
	Lang    string // the language of Name
	Href    string // "" for the municipality
	Country string // ISO 3166-1 alpha-2
	// Number is the place's number in the page's list of partners, drawn on its marker; 0
	// for none (the municipality, a locator map).
	Number int
}

// MapView is a framed map ready to draw: the land and lakes, the markers that fall inside
// the frame, and what the caption says.
type MapView struct {
	Frame    geo.Frame
	Scope    geo.Scope
	ViewBox  string
	Land     string // path data of the land
	Borders  string // path data of the borders between countries
	Lakes    string // path data of the lakes
	Markers  []MapMarker
	Missing  []MapPlace // places without coordinates, named under the map
	Twins    bool       // the legend shows twin towns
	Partners bool       // the legend shows cooperation cities
	Approx   bool       // a marker stands for a district at its seat: the legend says so
	Home     string     // the municipality's name, when it is on the map
	// Away is the municipality off a locator map: an arrow at the edge toward it.
	Away *MapAway
	// Areas are the parts of the map where markers crowd, drawn again larger as Details.
	Areas   []MapArea
	Details []MapView
	// Countries are the countries of the places of a detail map, to name its region.
	Countries []string
}

// MapMarker is a place placed on the map, with its symbol's path data.
type MapMarker struct {
	MapPlace
	D string
	// X, Y are the marker's centre; Number is the number drawn on it ("" for none).
	X, Y, Number string
	// Label is where the name is written beside the marker, End when it ends there.
	Label *MapLabel
	// Dot: the marker lies in a crowded area and is drawn as a dot, the area linking to its
	// enlarged map.
	Dot bool
	// Leader is the line from the place to a marker moved aside so as not to hide another.
	Leader string
}

// MapLabel is a name written on the map.
type MapLabel struct {
	X, Y string
	End  bool // the text ends at X (it lies left of its marker)
}

// MapArea is a crowded part of a map; Index is that of its enlarged map among the details.
type MapArea struct {
	Index      int
	X, Y, W, H string
	Numbers    []int // the numbers of the places in it
}

// MapAway is the municipality when it lies off a locator map: a star and an arrow at the
// edge of the map toward it, with its distance.
type MapAway struct {
	MapPlace
	D, Arrow string
	Label    MapLabel
	KM       int64
}

// Marker geometry, in map units (a map is geo.Width = 1000 units wide). A map is at least
// about 358 CSS pixels wide (a 390-pixel phone less the page's margins), so a marker of 70
// units is 24.5 pixels there, the smallest target WCAG 2.2 (2.5.8) accepts; wider screens
// draw markers smaller in CSS, never under 24 pixels.
const (
	pinRadius  = 35.0 // a twin town's circle
	pinHalf    = 34.0 // half the side of a cooperation city's square
	starRadius = 36.0
	dotRadius  = 9.0
	// crowd: markers whose centres are closer than this hide each other.
	crowd = 76.0
	// edge is how far inside the frame a marker's centre stays.
	edge = 40.0
)

// HomeMap frames places: a region around them, or the world when they lie far apart. Where
// markers crowd, the map draws dots and an outline linking to a detail map of that area.
func HomeMap(places []MapPlace) MapView {
	var pts []geo.Point
	for _, p := range places {
		if p.Place.Located() {
			pts = append(pts, point(p.Place))
		}
	}
	f := geo.Fit(pts)
	v := newMap(f, places)
	var xy [][2]float64
	for _, m := range v.Markers {
		x, y := f.XY(point(m.Place))
		xy = append(xy, [2]float64{x, y})
	}
	for _, g := range geo.Crowded(xy, crowd) {
		var group []MapPlace
		minX, minY, maxX, maxY := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
		area := MapArea{Index: len(v.Details)}
		for _, i := range g {
			m := &v.Markers[i]
			m.Dot, m.Number, m.Label = true, "", nil
			m.D = circle(xy[i][0], xy[i][1], dotRadius)
			group = append(group, m.MapPlace)
			if m.MapPlace.Number > 0 {
				area.Numbers = append(area.Numbers, m.MapPlace.Number)
			}
			minX, maxX = min(minX, xy[i][0]), max(maxX, xy[i][0])
			minY, maxY = min(minY, xy[i][1]), max(maxY, xy[i][1])
		}
		// The outline is a target of its own: at least a marker wide.
		pad := func(lo, hi, limit float64) (float64, float64) {
			lo, hi = lo-dotRadius-8, hi+dotRadius+8
			if d := 2*pinRadius - (hi - lo); d > 0 {
				lo, hi = lo-d/2, hi+d/2
			}
			return max(1, lo), min(limit-1, hi)
		}
		minX, maxX = pad(minX, maxX, geo.Width)
		minY, maxY = pad(minY, maxY, f.Height)
		area.X, area.Y, area.W, area.H = geo.Num(minX), geo.Num(minY), geo.Num(maxX-minX), geo.Num(maxY-minY)
		v.Areas = append(v.Areas, area)
		v.Details = append(v.Details, detailMap(group))
	}
	return v
}

// detailMap is the map of a crowded area: the places framed closely, those that would still
// hide each other moved apart with a leader line to their place.
func detailMap(places []MapPlace) MapView {
	var pts []geo.Point
	var countries []string
	for _, p := range places {
		pts = append(pts, point(p.Place))
		if p.Country != "" && !slices.Contains(countries, p.Country) {
			countries = append(countries, p.Country)
		}
	}
	f := geo.Fit(pts)
	v := newMap(f, places)
	v.Countries = countries
	xy := make([][2]float64, len(v.Markers))
	for i, m := range v.Markers {
		xy[i][0], xy[i][1] = f.XY(point(m.Place))
	}
	moved := f.Spread(xy, crowd, edge)
	for i := range v.Markers {
		m := &v.Markers[i]
		x, y := moved[i][0], moved[i][1]
		if math.Hypot(x-xy[i][0], y-xy[i][1]) > 1 {
			m.Leader = "M" + geo.Num(xy[i][0]) + " " + geo.Num(xy[i][1]) + "L" + geo.Num(x) + " " + geo.Num(y)
			m.X, m.Y, m.D = geo.Num(x), geo.Num(y), symbol(m.Kind, x, y)
			if m.Label != nil {
				m.Label = label(x, y)
			}
		}
	}
	return v
}

// LocatorMap frames one place with the municipality: both, when they lie near each other,
// else the place centred and an arrow toward the municipality at the edge. It is the zero
// MapView when the place has no coordinates.
func LocatorMap(at MapPlace, home MapPlace) MapView {
	if !at.Place.Located() {
		return MapView{}
	}
	at.Number = 0
	p := point(at.Place)
	f := geo.Locator(p)
	near := home.Place.Located() && geo.Distance(p, point(home.Place)) <= nearKM
	places := []MapPlace{at}
	if near {
		f = geo.LocatorPair(p, point(home.Place))
		places = append(places, home)
	}
	v := newMap(f, places)
	for i := range v.Markers {
		m := &v.Markers[i]
		x, y := f.XY(point(m.Place))
		m.Label = label(x, y)
	}
	if home.Place.Located() && !near {
		h := point(home.Place)
		x, y := f.Toward(h, starRadius+awayArrow+8)
		cx, cy := geo.Width/2.0, f.Height/2
		dx, dy := x-cx, y-cy
		d := math.Hypot(dx, dy)
		ux, uy := dx/d, dy/d
		// the arrowhead just beyond the star, pointing away from the centre
		tipX, tipY := x+ux*(starRadius+awayArrow), y+uy*(starRadius+awayArrow)
		baseX, baseY := x+ux*(starRadius+8), y+uy*(starRadius+8)
		n := geo.Num
		arrow := "M" + n(tipX) + " " + n(tipY) + "L" + n(baseX-uy*16) + " " + n(baseY+ux*16) + "L" + n(baseX+uy*16) + " " + n(baseY-ux*16) + "Z"
		l := label(x, y)
		if uy < -0.5 { // toward the top: the name below the star
			l = &MapLabel{X: n(x), Y: n(y + starRadius + 44), End: false}
		} else if uy > 0.5 {
			l = &MapLabel{X: n(x), Y: n(y - starRadius - 16), End: false}
		}
		v.Away = &MapAway{MapPlace: home, D: symbol(geo.MarkerHome, x, y), Arrow: arrow, Label: *l,
			KM: int64(math.Round(geo.Distance(p, h)/10) * 10)}
		v.Home = home.Name
	}
	return v
}

// awayArrow is the length of the arrow beyond the star of a municipality off the map.
const awayArrow = 30

// nearKM is the distance within which a locator map shows both the place and the
// municipality.
const nearKM = 1600

// label places a name beside a marker at x, y: to its right, or to its left near the right
// edge.
func label(x, y float64) *MapLabel {
	if x > geo.Width*0.62 {
		return &MapLabel{X: geo.Num(x - pinRadius - 10), Y: geo.Num(y + 14), End: true}
	}
	return &MapLabel{X: geo.Num(x + pinRadius + 10), Y: geo.Num(y + 14)}
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
	return LocatorMap(MapPlace{Place: twinning.Place{Latitude: &la, Longitude: &lo}, Kind: MarkerKind(kind), Name: name}, MapPlace{})
}

// MarkerKind is the marker of a city of kind k.
func MarkerKind(k twinning.Kind) geo.MarkerKind {
	if k == twinning.KindTwin {
		return geo.MarkerTwin
	}
	return geo.MarkerPartner
}

func point(p twinning.Place) geo.Point { return geo.Point{Lon: *p.Longitude, Lat: *p.Latitude} }

// newMap places the markers of places in frame f.
func newMap(f geo.Frame, places []MapPlace) MapView {
	paths := geo.FramePaths(f)
	v := MapView{Frame: f, Scope: f.Scope, ViewBox: "0 0 " + geo.Num(geo.Width) + " " + geo.Num(f.Height),
		Land: paths.Land, Borders: paths.Borders, Lakes: paths.Lakes}
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
			m := MapMarker{MapPlace: p, D: symbol(p.Kind, x, y), X: geo.Num(x), Y: geo.Num(y)}
			if p.Number > 0 {
				m.Number = strconv.Itoa(p.Number)
			}
			switch p.Kind {
			case geo.MarkerHome:
				v.Home = p.Name
				m.Label = label(x, y)
			case geo.MarkerTwin:
				v.Twins = true
			default:
				v.Partners = true
			}
			v.Approx = v.Approx || p.Place.Seat
			v.Markers = append(v.Markers, m)
		}
	}
	return v
}

// symbol is the path data of a marker: a star for the municipality, a circle for a twin
// town, a square for a cooperation city.
func symbol(k geo.MarkerKind, x, y float64) string {
	switch k {
	case geo.MarkerHome:
		return star(x, y, starRadius)
	case geo.MarkerTwin:
		return circle(x, y, pinRadius)
	}
	return square(x, y, pinHalf)
}

func star(x, y, r float64) string {
	var b strings.Builder
	for i, p := range geo.StarPoints(x, y, r) {
		if i == 0 {
			b.WriteString("M")
		} else {
			b.WriteString(" ")
		}
		b.WriteString(geo.Num(p[0]) + " " + geo.Num(p[1]))
	}
	return b.String() + "Z"
}

func circle(x, y, r float64) string {
	n := geo.Num
	return fmt.Sprintf("M%s %sa%s %s 0 1 0 %s 0a%s %s 0 1 0 -%s 0Z", n(x-r), n(y), n(r), n(r), n(2*r), n(r), n(r), n(2*r))
}

func square(x, y, r float64) string {
	n := geo.Num
	return fmt.Sprintf("M%s %sh%sv%sh-%sZ", n(x-r), n(y-r), n(2*r), n(2*r), n(2*r))
}

// KeySymbol is the path data of a marker in the legend's 24x24 box.
func KeySymbol(k geo.MarkerKind) string {
	switch k {
	case geo.MarkerHome:
		return star(12, 12, 11)
	case geo.MarkerTwin:
		return circle(12, 12, 9)
	}
	return square(12, 12, 8)
}

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

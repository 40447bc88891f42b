package geo

import (
	"math"
	"slices"
	"strconv"
	"strings"
)

// Width is the width of every framed map in its own units (the SVG viewBox, the PNG pixels
// before scaling); the height follows from what is shown.
const Width = 1000

// Scope tells what a frame shows.
type Scope string

const (
	ScopeWorld   Scope = "world"   // places too far apart for a region: the whole world
	ScopeRegion  Scope = "region"  // the box around the places, with a margin
	ScopeLocator Scope = "locator" // one place and its surroundings
)

// Frame is a map projection fitted to a rectangle of Width x Height units, y downwards.
type Frame struct {
	Scope  Scope
	Height float64
	world  bool    // Equal Earth; else equirectangular with a standard parallel
	lon0   float64 // central meridian (equirectangular)
	cos0   float64 // cosine of the standard parallel (equirectangular)
	scale  float64 // units per projected unit
	x0, y0 float64 // projected top-left corner
}

// world bounds of the world frame: Antarctica is left out.
const worldSouth, worldNorth = -58.0, 84.0

// Fit frames points: a region with a margin when they lie within a continent's reach, else
// the world. No points gives the world.
func Fit(points []Point) Frame {
	if len(points) == 0 {
		return worldFrame(-180, 180, worldSouth, worldNorth)
	}
	w, e, s, n := bounds(points)
	if e-w > 70 || n-s > 45 {
		return worldFrame(w-25, e+25, s-15, n+12)
	}
	padLon, padLat := max((e-w)*0.15, 3), max((n-s)*0.15, 2)
	return regionFrame(ScopeRegion, w-padLon, e+padLon, s-padLat, n+padLat, 0.55, 0.85)
}

// Locator frames one place in the middle of about 28 degrees of longitude: enough to
// recognise the region.
func Locator(p Point) Frame {
	return regionFrame(ScopeLocator, p.Lon-14, p.Lon+14, p.Lat-5, p.Lat+5, 0.6, 0.6)
}

func bounds(points []Point) (w, e, s, n float64) {
	w, e, s, n = 180, -180, 90, -90
	for _, p := range points {
		w, e = min(w, p.Lon), max(e, p.Lon)
		s, n = min(s, p.Lat), max(n, p.Lat)
	}
	return
}

// worldFrame is the Equal Earth map of the band of the world from w to e and s to n, widened
// to at least 0.4 of the width high.
func worldFrame(w, e, s, n float64) Frame {
	w, e = max(w, -180), min(e, 180)
	s, n = max(s, worldSouth), min(n, worldNorth)
	f := Frame{Scope: ScopeWorld, world: true}
	for {
		minX, maxX := math.Inf(1), math.Inf(-1)
		minY, maxY := math.Inf(1), math.Inf(-1)
		for i := 0.0; i <= 1; i += 1.0 / 64 {
			for _, p := range []Point{{w + (e-w)*i, s}, {w + (e-w)*i, n}, {w, s + (n-s)*i}, {e, s + (n-s)*i}} {
				x, y := equalEarth(p)
				minX, maxX = min(minX, x), max(maxX, x)
				minY, maxY = min(minY, y), max(maxY, y)
			}
		}
		f.scale = Width / (maxX - minX)
		f.x0, f.y0 = minX, maxY
		f.Height = math.Round((maxY - minY) * f.scale)
		if f.Height >= 0.4*Width || (s <= worldSouth && n >= worldNorth) {
			return f
		}
		s, n = max(s-2, worldSouth), min(n+2, worldNorth)
	}
}

// regionFrame fits the box w..e, s..n into Width, widening the box to keep the height
// between minAspect and maxAspect of the width.
func regionFrame(scope Scope, w, e, s, n, minAspect, maxAspect float64) Frame {
	s, n = max(s, -85), min(n, 85)
	mid := (s + n) / 2
	f := Frame{Scope: scope, lon0: (w + e) / 2, cos0: math.Cos(mid * math.Pi / 180)}
	pw, ph := (e-w)*f.cos0, n-s
	if ph/pw < minAspect {
		ph = pw * minAspect
	}
	if ph/pw > maxAspect {
		pw = ph / maxAspect
	}
	f.scale = Width / pw
	f.x0, f.y0 = -pw/2, mid+ph/2
	f.Height = math.Round(ph * f.scale)
	return f
}

// project maps p to projected units, y upwards.
func (f Frame) project(p Point) (x, y float64) {
	if f.world {
		return equalEarth(p)
	}
	dl := p.Lon - f.lon0
	if dl > 180 {
		dl -= 360
	} else if dl < -180 {
		dl += 360
	}
	return dl * f.cos0, p.Lat
}

// XY is where p lies in the frame, in units from the top-left corner.
func (f Frame) XY(p Point) (x, y float64) {
	px, py := f.project(p)
	return (px - f.x0) * f.scale, (f.y0 - py) * f.scale
}

// xyLinear is XY without bringing longitudes into the half-world around the frame's centre.
func (f Frame) xyLinear(p Point) (x, y float64) {
	if f.world {
		return f.XY(p)
	}
	return ((p.Lon-f.lon0)*f.cos0 - f.x0) * f.scale, (f.y0 - p.Lat) * f.scale
}

// Contains reports whether p lies inside the frame.
func (f Frame) Contains(p Point) bool {
	x, y := f.XY(p)
	return x >= 0 && x <= Width && y >= 0 && y <= f.Height
}

// equalEarth is the Equal Earth projection (Šavrič, Patterson, Jenny 2018), in radians.
func equalEarth(p Point) (x, y float64) {
	const a1, a2, a3, a4 = 1.340264, -0.081106, 0.000893, 0.003796
	lam, phi := p.Lon*math.Pi/180, p.Lat*math.Pi/180
	t := math.Asin(math.Sqrt(3) / 2 * math.Sin(phi))
	t2 := t * t
	t6 := t2 * t2 * t2
	x = 2 * math.Sqrt(3) * lam * math.Cos(t) / (3 * (9*a4*t6*t2 + 7*a3*t6 + 3*a2*t2 + a1))
	y = t * (a4*t6*t2 + a3*t6 + a2*t2 + a1)
	return x, y
}

// Rings returns the outlines of shapes as they appear in the frame, in units, simplified to
// what shows at the frame's size; rings outside the frame or too small to see are left out.
func (f Frame) Rings(shapes []Shape) [][][2]float64 { return f.outlines(shapes, true) }

// Lines returns the lines of shapes (open, such as borders) as they appear in the frame,
// simplified like Rings.
func (f Frame) Lines(shapes []Shape) [][][2]float64 { return f.outlines(shapes, false) }

// tolerance is how far, in units, a simplified outline may stray from the data: about half
// a pixel on a phone, under one on a wide screen.
const tolerance = 1.2

func (f Frame) outlines(shapes []Shape, closed bool) [][][2]float64 {
	var out [][][2]float64
	for _, s := range shapes {
		for _, r := range s.Rings {
			pts := make([]Point, len(r))
			minX, minY, maxX, maxY := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
			prevLon := f.lon0
			for i, p := range r {
				if !f.world {
					// Keep the ring in one piece where it crosses the frame's back meridian.
					for p.Lon-prevLon > 180 {
						p.Lon -= 360
					}
					for p.Lon-prevLon < -180 {
						p.Lon += 360
					}
					prevLon = p.Lon
				}
				x, y := f.xyLinear(p)
				pts[i] = Point{x, y}
				minX, maxX = min(minX, x), max(maxX, x)
				minY, maxY = min(minY, y), max(maxY, y)
			}
			if maxX < 0 || minX > Width || maxY < 0 || minY > f.Height || (closed && maxX-minX < 1.5 && maxY-minY < 1.5) {
				continue
			}
			// What lies well outside the frame is cut off: a continent around a city is
			// drawn for the part the frame shows.
			box := [4]float64{-clipMargin, -clipMargin, Width + clipMargin, f.Height + clipMargin}
			var parts [][]Point
			if closed {
				parts = [][]Point{clipRing(pts, box)}
			} else {
				parts = clipLine(pts, box)
			}
			for _, part := range parts {
				part = Simplify(part, tolerance)
				if len(part) < 3 && (closed || len(part) < 2) {
					continue
				}
				ring := make([][2]float64, len(part))
				for i, p := range part {
					ring[i] = [2]float64{p.Lon, p.Lat}
				}
				out = append(out, ring)
			}
		}
	}
	return out
}

// clipMargin is how far outside the frame outlines are kept, in units: enough that no cut
// shows.
const clipMargin = 20

// clipRing cuts a closed ring of frame units to the box (x0, y0, x1, y1)
// (Sutherland-Hodgman, one edge of the box after the other).
func clipRing(ring []Point, box [4]float64) []Point {
	edges := []struct {
		in  func(Point) bool
		cut func(a, b Point) Point
	}{
		{func(p Point) bool { return p.Lon >= box[0] }, func(a, b Point) Point { return atX(a, b, box[0]) }},
		{func(p Point) bool { return p.Lon <= box[2] }, func(a, b Point) Point { return atX(a, b, box[2]) }},
		{func(p Point) bool { return p.Lat >= box[1] }, func(a, b Point) Point { return atY(a, b, box[1]) }},
		{func(p Point) bool { return p.Lat <= box[3] }, func(a, b Point) Point { return atY(a, b, box[3]) }},
	}
	out := ring
	for _, e := range edges {
		in := out
		out = nil
		for i := range in {
			a, b := in[i], in[(i+1)%len(in)]
			if e.in(a) {
				out = append(out, a)
			}
			if e.in(a) != e.in(b) {
				out = append(out, e.cut(a, b))
			}
		}
		if len(out) == 0 {
			return nil
		}
	}
	return out
}

func atX(a, b Point, x float64) Point {
	return Point{x, a.Lat + (b.Lat-a.Lat)*(x-a.Lon)/(b.Lon-a.Lon)}
}

func atY(a, b Point, y float64) Point {
	return Point{a.Lon + (b.Lon-a.Lon)*(y-a.Lat)/(b.Lat-a.Lat), y}
}

// clipLine keeps the parts of a line of frame units whose segments reach into the box: the
// points just outside stay, so the line runs on to the edge.
func clipLine(line []Point, box [4]float64) [][]Point {
	var parts [][]Point
	var cur []Point
	for i := 1; i < len(line); i++ {
		a, b := line[i-1], line[i]
		if max(a.Lon, b.Lon) < box[0] || min(a.Lon, b.Lon) > box[2] || max(a.Lat, b.Lat) < box[1] || min(a.Lat, b.Lat) > box[3] {
			if len(cur) > 0 {
				parts, cur = append(parts, cur), nil
			}
			continue
		}
		if len(cur) == 0 {
			cur = append(cur, a)
		}
		cur = append(cur, b)
	}
	if len(cur) > 0 {
		parts = append(parts, cur)
	}
	return parts
}

// SVGPath is the path data ("d") of rings, in whole units (a frame is 1000 units wide, no
// more than a screen shows) as relative moves, which keeps a world map small.
func SVGPath(rings [][][2]float64) string { return svgPath(rings, true) }

// SVGLines is the path data of open lines, like SVGPath.
func SVGLines(lines [][][2]float64) string { return svgPath(lines, false) }

func svgPath(rings [][][2]float64, closed bool) string {
	var b strings.Builder
	var px, py int64 // the current point, rounded
	for _, r := range rings {
		var sx, sy int64
		for i, p := range r {
			x, y := int64(math.Round(p[0])), int64(math.Round(p[1]))
			dx, dy := x-px, y-py
			switch {
			case i == 0:
				b.WriteByte('m') // the pairs after it are relative lines
				sx, sy = x, y
			case dx == 0 && dy == 0:
				continue
			case dx >= 0:
				b.WriteByte(' ')
			}
			b.WriteString(strconv.FormatInt(dx, 10))
			if dy >= 0 {
				b.WriteByte(' ')
			}
			b.WriteString(strconv.FormatInt(dy, 10))
			px, py = x, y
		}
		if closed {
			b.WriteByte('z')
			px, py = sx, sy // a closed path continues from its start
		}
	}
	return b.String()
}

// num formats a coordinate with at most one decimal.
func num(v float64) string {
	return strconv.FormatFloat(math.Round(v*10)/10, 'f', -1, 64)
}

// Num formats a coordinate of the frame for SVG attributes.
func Num(v float64) string { return num(v) }

// LocatorPair frames two places that lie near each other (a city and its municipality), both
// well inside the frame: a locator map that shows the way from one to the other.
func LocatorPair(a, b Point) Frame {
	w, e, s, n := bounds([]Point{a, b})
	padLon, padLat := max((e-w)*0.3, 4), max((n-s)*0.3, 2.5)
	return regionFrame(ScopeLocator, w-padLon, e+padLon, s-padLat, n+padLat, 0.6, 0.8)
}

// earthRadius is the mean radius of the Earth in kilometres.
const earthRadius = 6371.0

// Distance is the great-circle distance between a and b in kilometres.
func Distance(a, b Point) float64 {
	rad := math.Pi / 180
	dLat, dLon := (b.Lat-a.Lat)*rad, (b.Lon-a.Lon)*rad
	h := math.Sin(dLat/2)*math.Sin(dLat/2) + math.Cos(a.Lat*rad)*math.Cos(b.Lat*rad)*math.Sin(dLon/2)*math.Sin(dLon/2)
	return 2 * earthRadius * math.Asin(math.Min(1, math.Sqrt(h)))
}

// Toward is where, on the edge of the frame inset by margin, a place outside the frame lies
// as seen from the frame's centre.
func (f Frame) Toward(p Point, margin float64) (x, y float64) {
	px, py := f.XY(p)
	cx, cy := Width/2.0, f.Height/2
	dx, dy := px-cx, py-cy
	if dx == 0 && dy == 0 {
		return cx, cy
	}
	hw, hh := cx-margin, cy-margin
	t := math.Inf(1)
	if dx != 0 {
		t = min(t, hw/math.Abs(dx))
	}
	if dy != 0 {
		t = min(t, hh/math.Abs(dy))
	}
	return cx + dx*t, cy + dy*t
}

// Crowded groups the points (in frame units) that lie closer than dist to another, directly
// or through others; points alone are left out. Groups and their members keep the order of
// the points.
func Crowded(xy [][2]float64, dist float64) [][]int {
	group := make([]int, len(xy))
	for i := range group {
		group[i] = i
	}
	find := func(i int) int {
		for group[i] != i {
			i = group[i]
		}
		return i
	}
	for i := range xy {
		for j := i + 1; j < len(xy); j++ {
			if math.Hypot(xy[i][0]-xy[j][0], xy[i][1]-xy[j][1]) < dist {
				a, b := find(i), find(j)
				group[max(a, b)] = min(a, b)
			}
		}
	}
	var out [][]int
	at := map[int]int{}
	for i := range xy {
		r := find(i)
		k, ok := at[r]
		if !ok {
			k = len(out)
			at[r] = k
			out = append(out, nil)
		}
		out[k] = append(out[k], i)
	}
	return slices.DeleteFunc(out, func(g []int) bool { return len(g) < 2 })
}

// Spread moves points (in frame units) apart until none is closer than dist to another,
// keeping them inside the frame less margin: markers that would hide each other are drawn
// side by side, each with a leader line to its place.
func (f Frame) Spread(xy [][2]float64, dist, margin float64) [][2]float64 {
	out := slices.Clone(xy)
	for range 100 {
		moved := false
		for i := range out {
			for j := i + 1; j < len(out); j++ {
				dx, dy := out[j][0]-out[i][0], out[j][1]-out[i][1]
				d := math.Hypot(dx, dy)
				if d >= dist {
					continue
				}
				moved = true
				if d < 1e-6 {
					dx, dy, d = 1, 0, 1
				}
				push := (dist - d) / 2 * 1.01
				ux, uy := dx/d*push, dy/d*push
				out[i][0], out[i][1] = out[i][0]-ux, out[i][1]-uy
				out[j][0], out[j][1] = out[j][0]+ux, out[j][1]+uy
			}
		}
		for i := range out {
			out[i][0] = max(margin, min(Width-margin, out[i][0]))
			out[i][1] = max(margin, min(f.Height-margin, out[i][1]))
		}
		if !moved {
			break
		}
	}
	return out
}

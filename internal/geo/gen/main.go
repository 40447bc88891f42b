// Command gen turns Natural Earth country outlines, as TopoJSON from the npm package
// world-atlas, into the product's compact map data (geo.Encode): run by `make geodata`.
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"twintowns/internal/geo"
)

func main() {
	in := flag.String("in", "", "TopoJSON file (world-atlas countries-50m.json)")
	out := flag.String("out", "countries.bin.gz", "output file")
	tol := flag.Float64("tolerance", 0.02, "simplification tolerance in degrees")
	flag.Parse()
	if err := run(*in, *out, *tol); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func run(in, out string, tol float64) error {
	f, err := os.Open(in)
	if err != nil {
		return err
	}
	defer f.Close()
	shapes, err := convert(f, tol)
	if err != nil {
		return fmt.Errorf("%s: %w", in, err)
	}
	var b bytes.Buffer
	if err := geo.Encode(&b, shapes); err != nil {
		return err
	}
	return os.WriteFile(out, b.Bytes(), 0o644)
}

// topology is the part of a TopoJSON document the generator reads.
type topology struct {
	Type      string
	Transform *struct{ Scale, Translate [2]float64 }
	Arcs      [][][2]float64
	Objects   map[string]struct {
		Geometries []struct {
			Type string
			ID   string
			Arcs json.RawMessage
		}
	}
}

// convert decodes the "countries" object of a TopoJSON topology into simplified shapes.
// Each arc is simplified once, so neighbours keep a common border.
func convert(r io.Reader, tol float64) ([]geo.Shape, error) {
	var t topology
	if err := json.NewDecoder(r).Decode(&t); err != nil {
		return nil, err
	}
	if t.Type != "Topology" {
		return nil, errors.New("not a TopoJSON topology")
	}
	arcs := make([][]geo.Point, len(t.Arcs))
	for i, a := range t.Arcs {
		pts := make([]geo.Point, len(a))
		var x, y float64
		for j, p := range a {
			if t.Transform != nil {
				x, y = x+p[0], y+p[1]
				pts[j] = geo.Point{Lon: x*t.Transform.Scale[0] + t.Transform.Translate[0], Lat: y*t.Transform.Scale[1] + t.Transform.Translate[1]}
			} else {
				pts[j] = geo.Point{Lon: p[0], Lat: p[1]}
			}
		}
		arcs[i] = geo.Simplify(pts, tol)
	}
	countries, ok := t.Objects["countries"]
	if !ok {
		return nil, errors.New(`no "countries" object`)
	}
	var shapes []geo.Shape
	for _, g := range countries.Geometries {
		var polys [][][]int
		switch g.Type {
		case "Polygon":
			var p [][]int
			if err := json.Unmarshal(g.Arcs, &p); err != nil {
				return nil, fmt.Errorf("country %s: %w", g.ID, err)
			}
			polys = [][][]int{p}
		case "MultiPolygon":
			if err := json.Unmarshal(g.Arcs, &polys); err != nil {
				return nil, fmt.Errorf("country %s: %w", g.ID, err)
			}
		default:
			continue
		}
		s := geo.Shape{ID: g.ID}
		for _, poly := range polys {
			for _, ringArcs := range poly {
				ring, err := stitch(arcs, ringArcs)
				if err != nil {
					return nil, fmt.Errorf("country %s: %w", g.ID, err)
				}
				for _, r := range splitAntimeridian(ring) {
					if len(r) >= 4 {
						s.Rings = append(s.Rings, r)
					}
				}
			}
		}
		if len(s.Rings) > 0 {
			shapes = append(shapes, s)
		}
	}
	return shapes, nil
}

// stitch joins the arcs of a ring; a negative index ~i is arc i reversed.
func stitch(arcs [][]geo.Point, idx []int) ([]geo.Point, error) {
	var ring []geo.Point
	for _, i := range idx {
		rev := i < 0
		if rev {
			i = ^i
		}
		if i >= len(arcs) {
			return nil, fmt.Errorf("arc %d out of range", i)
		}
		a := arcs[i]
		pts := make([]geo.Point, len(a))
		copy(pts, a)
		if rev {
			for l, r := 0, len(pts)-1; l < r; l, r = l+1, r-1 {
				pts[l], pts[r] = pts[r], pts[l]
			}
		}
		if len(ring) > 0 {
			pts = pts[1:] // the first point repeats the last of the previous arc
		}
		ring = append(ring, pts...)
	}
	return ring, nil
}

// splitAntimeridian cuts a ring that crosses the 180th meridian (Russia, Fiji) into the part
// west and the part east of it, so that no edge runs across the whole map.
func splitAntimeridian(ring []geo.Point) [][]geo.Point {
	crosses := false
	u := make([]geo.Point, len(ring))
	copy(u, ring)
	for i := 1; i < len(u); i++ {
		d := u[i].Lon - u[i-1].Lon
		if d > 180 || d < -180 {
			crosses = true
		}
		for d > 180 {
			u[i].Lon -= 360
			d -= 360
		}
		for d < -180 {
			u[i].Lon += 360
			d += 360
		}
	}
	if !crosses {
		return [][]geo.Point{ring}
	}
	var out [][]geo.Point
	for _, cut := range []float64{-180, 180} {
		// The unwrapped ring spans one of the two meridians ±180.
		west := clip(u, cut, true)
		east := clip(u, cut, false)
		if len(west) == 0 || len(east) == 0 {
			continue
		}
		shift := func(r []geo.Point, by float64) []geo.Point {
			for i := range r {
				r[i].Lon += by
			}
			return r
		}
		if cut == 180 {
			return [][]geo.Point{west, shift(east, -360)}
		}
		return [][]geo.Point{shift(west, 360), east}
	}
	return append(out, ring)
}

// clip keeps the part of a closed ring west (or east) of the meridian at lon
// (Sutherland-Hodgman against one half-plane).
func clip(ring []geo.Point, lon float64, west bool) []geo.Point {
	in := func(p geo.Point) bool { return (p.Lon <= lon) == west || p.Lon == lon }
	var out []geo.Point
	for i := range ring {
		a, b := ring[i], ring[(i+1)%len(ring)]
		if in(a) {
			out = append(out, a)
		}
		if in(a) != in(b) {
			t := (lon - a.Lon) / (b.Lon - a.Lon)
			out = append(out, geo.Point{Lon: lon, Lat: a.Lat + t*(b.Lat-a.Lat)})
		}
	}
	return out
}

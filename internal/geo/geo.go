// Package geo is the product's own map data and the drawing of it: country outlines from
// Natural Earth (public domain, generated into countries.bin.gz by ./gen), a projection that
// frames a set of places, and the output of the framed map as SVG path data or a PNG.
package geo

import (
	"bufio"
	"bytes"
	"compress/gzip"
	_ "embed"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"sync"
)

// Point is a place on Earth in degrees.
type Point struct{ Lon, Lat float64 }

// Shape is a named outline: one country, as rings of points (outer rings and holes alike).
type Shape struct {
	ID    string
	Rings [][]Point
}

// The embedded map data, written by ./gen from Natural Earth: for regional maps the land,
// the borders between countries (each drawn once) and the lakes at 1:50m; for world maps
// the land and the large lakes at 1:110m, where 1:50m would be several times the bytes for
// nothing a reader could see.
var (
	//go:embed region.bin.gz
	regionData []byte
	//go:embed world.bin.gz
	worldData []byte
)

// IDs of the shapes in the map data.
const (
	LandID   = "land"
	LakeID   = "lake"
	BorderID = "border" // open lines: each border between two countries
)

// Layers are outlines by what they show.
type Layers struct{ Land, Borders, Lakes []Shape }

func decodeLayers(name string, b []byte) Layers {
	shapes, err := Decode(bytes.NewReader(b))
	if err != nil {
		panic("geo: embedded " + name + ": " + err.Error())
	}
	var l Layers
	for _, s := range shapes {
		switch s.ID {
		case LakeID:
			l.Lakes = append(l.Lakes, s)
		case BorderID:
			l.Borders = append(l.Borders, s)
		default:
			l.Land = append(l.Land, s)
		}
	}
	return l
}

var (
	regionLayers = sync.OnceValue(func() Layers { return decodeLayers("region", regionData) })
	worldLayers  = sync.OnceValue(func() Layers { return decodeLayers("world", worldData) })
)

// Layers are the outlines a frame shows, at the detail that suits its scale: a world map
// shows no borders.
func (f Frame) Layers() Layers {
	if f.Scope == ScopeWorld {
		return worldLayers()
	}
	return regionLayers()
}

const magic = "twintowns-geo-1\n"

// unit is the resolution of the stored coordinates: 1/100 degree (about 1 km).
const unit = 100

// Encode writes shapes in the product's compact format: gzip over varint deltas of
// coordinates in hundredths of a degree.
func Encode(w io.Writer, shapes []Shape) error {
	zw, err := gzip.NewWriterLevel(w, gzip.BestCompression)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(zw)
	buf := make([]byte, binary.MaxVarintLen64)
	uv := func(v uint64) { bw.Write(buf[:binary.PutUvarint(buf, v)]) }
	sv := func(v int64) { bw.Write(buf[:binary.PutVarint(buf, v)]) }
	bw.WriteString(magic)
	uv(uint64(len(shapes)))
	for _, s := range shapes {
		uv(uint64(len(s.ID)))
		bw.WriteString(s.ID)
		uv(uint64(len(s.Rings)))
		for _, r := range s.Rings {
			uv(uint64(len(r)))
			var px, py int64
			for _, p := range r {
				x, y := toUnits(p.Lon), toUnits(p.Lat)
				sv(x - px)
				sv(y - py)
				px, py = x, y
			}
		}
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	return zw.Close()
}

func toUnits(deg float64) int64 {
	if deg < 0 {
		return int64(deg*unit - 0.5)
	}
	return int64(deg*unit + 0.5)
}

// Decode reads shapes written by Encode.
func Decode(r io.Reader) ([]Shape, error) {
	zr, err := gzip.NewReader(r)
	if err != nil {
		return nil, err
	}
	br := bufio.NewReader(zr)
	head := make([]byte, len(magic))
	if _, err := io.ReadFull(br, head); err != nil || string(head) != magic {
		return nil, errors.New("not twintowns map data")
	}
	var rerr error
	uv := func() int {
		v, err := binary.ReadUvarint(br)
		if err != nil && rerr == nil {
			rerr = err
		}
		if v > 1<<24 && rerr == nil {
			rerr = fmt.Errorf("count %d out of range", v)
		}
		return int(v)
	}
	sv := func() int64 {
		v, err := binary.ReadVarint(br)
		if err != nil && rerr == nil {
			rerr = err
		}
		return v
	}
	n := uv()
	var shapes []Shape
	for i := 0; i < n && rerr == nil; i++ {
		id := make([]byte, uv())
		if _, err := io.ReadFull(br, id); err != nil {
			return nil, err
		}
		s := Shape{ID: string(id)}
		nr := uv()
		for j := 0; j < nr && rerr == nil; j++ {
			np := uv()
			ring := make([]Point, 0, min(np, 1<<16))
			var x, y int64
			for k := 0; k < np && rerr == nil; k++ {
				x += sv()
				y += sv()
				ring = append(ring, Point{float64(x) / unit, float64(y) / unit})
			}
			s.Rings = append(s.Rings, ring)
		}
		shapes = append(shapes, s)
	}
	if rerr != nil {
		return nil, fmt.Errorf("map data: %w", rerr)
	}
	return shapes, nil
}

// Simplify drops the points of a line that lie within tol of the line through their
// neighbours (Douglas-Peucker); the ends stay.
func Simplify(pts []Point, tol float64) []Point {
	if len(pts) < 3 {
		return pts
	}
	keep := make([]bool, len(pts))
	keep[0], keep[len(pts)-1] = true, true
	type span struct{ a, b int }
	stack := []span{{0, len(pts) - 1}}
	for len(stack) > 0 {
		s := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		far, at := 0.0, -1
		for i := s.a + 1; i < s.b; i++ {
			if d := segDist(pts[i], pts[s.a], pts[s.b]); d > far {
				far, at = d, i
			}
		}
		if at >= 0 && far > tol {
			keep[at] = true
			stack = append(stack, span{s.a, at}, span{at, s.b})
		}
	}
	out := make([]Point, 0, len(pts)/2)
	for i, p := range pts {
		if keep[i] {
			out = append(out, p)
		}
	}
	return out
}

// segDist is the distance from p to the segment a-b, in the plane of the coordinates.
func segDist(p, a, b Point) float64 {
	dx, dy := b.Lon-a.Lon, b.Lat-a.Lat
	t := 0.0
	if l := dx*dx + dy*dy; l > 0 {
		t = ((p.Lon-a.Lon)*dx + (p.Lat-a.Lat)*dy) / l
		t = max(0, min(1, t))
	}
	x, y := a.Lon+t*dx-p.Lon, a.Lat+t*dy-p.Lat
	return math.Hypot(x, y)
}

package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"twintowns/internal/geo"
)

// fixture is a tiny topology: two squares sharing a border (arc 0), quantized, and an island
// across the 180th meridian (arc 3).
const fixture = `{"type":"Topology",
 "transform":{"scale":[0.5,0.5],"translate":[10,50]},
 "arcs":[
  [[4,0],[0,4]],
  [[4,4],[-4,0],[0,-4],[4,0]],
  [[4,0],[4,0],[0,4],[-4,0]],
  [[336,-132],[-712,0],[0,-4],[712,0],[0,4]]
 ],
 "objects":{"countries":{"type":"GeometryCollection","geometries":[
  {"type":"Polygon","id":"001","arcs":[[0,1]]},
  {"type":"Polygon","id":"002","arcs":[[-1,2]]},
  {"type":"MultiPolygon","id":"242","arcs":[[[3]]]},
  {"type":"Point","id":"999","coordinates":[0,0]}
 ]},
 "land":{"type":"GeometryCollection","geometries":[
  {"type":"MultiPolygon","arcs":[[[0,1]],[[-1,2]],[[3]]]}
 ]}}}`

func TestConvert(t *testing.T) {
	shapes, err := convert(strings.NewReader(fixture), "land", 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(shapes) != 1 || shapes[0].ID != geo.LandID || len(shapes[0].Rings) != 4 {
		t.Fatalf("land: %+v", shapes)
	}
	west := shapes[0].Rings[0]
	// Arc 0 decoded with the transform: from (12, 50) to (12, 52); then arc 1 back round.
	want := []geo.Point{{Lon: 12, Lat: 50}, {Lon: 12, Lat: 52}, {Lon: 10, Lat: 52}, {Lon: 10, Lat: 50}, {Lon: 12, Lat: 50}}
	if !equal(west, want) {
		t.Errorf("west square = %v, want %v", west, want)
	}
	east := shapes[0].Rings[1]
	if east[0] != (geo.Point{Lon: 12, Lat: 52}) || east[1] != (geo.Point{Lon: 12, Lat: 50}) {
		t.Errorf("east square does not start with the shared border reversed: %v", east)
	}
	// The island crossing 180° is cut in two rings, one each side, none spanning the map.
	for _, r := range shapes[0].Rings[2:] {
		lo, hi := 180.0, -180.0
		for _, p := range r {
			lo, hi = min(lo, p.Lon), max(hi, p.Lon)
		}
		if hi-lo > 10 || lo < -180 || hi > 180 {
			t.Errorf("ring spans %v..%v", lo, hi)
		}
	}
	// The countries give their borders: the one arc two of them share, once.
	borders, err := convert(strings.NewReader(fixture), "countries", 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(borders) != 1 || borders[0].ID != geo.BorderID || len(borders[0].Rings) != 1 ||
		!equal(borders[0].Rings[0], []geo.Point{{Lon: 12, Lat: 50}, {Lon: 12, Lat: 52}}) {
		t.Errorf("borders = %+v", borders)
	}
}

func TestRunWritesMapData(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "in.json")
	if err := os.WriteFile(in, []byte(fixture), 0o644); err != nil {
		t.Fatal(err)
	}
	layers := []layer{{"out.bin.gz", []source{{in, "land"}, {in, "countries"}}}}
	if err := run(layers, dir, 0.01); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(filepath.Join(dir, "out.bin.gz"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	shapes, err := geo.Decode(f)
	if err != nil || len(shapes) != 2 || shapes[0].ID != geo.LandID || shapes[1].ID != geo.BorderID {
		t.Fatalf("decoded %+v, %v", shapes, err)
	}
	if err := run([]layer{{"x.bin.gz", []source{{filepath.Join(dir, "missing.json"), "land"}}}}, dir, 0); err == nil {
		t.Error("no error for a missing input")
	}
	if _, err := convert(strings.NewReader(`{"type":"FeatureCollection"}`), "land", 0); err == nil {
		t.Error("GeoJSON taken for TopoJSON")
	}
	if _, err := convert(strings.NewReader(fixture), "lakes", 0); err == nil {
		t.Error("a missing object converted")
	}
}

func equal(a, b []geo.Point) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

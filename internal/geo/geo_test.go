package geo

import (
	"bytes"
	"image/png"
	"math"
	"strings"
	"sync"
	"testing"
)

func TestEncodeDecode(t *testing.T) {
	in := []Shape{
		{ID: "246", Rings: [][]Point{{{20.5, 60.1}, {31.58, 62.9}, {28.01, 70.09}, {20.5, 60.1}}}},
		{ID: "", Rings: [][]Point{{{-179.99, -16.5}, {179.99, -16.6}, {0, 0}}, {}}},
	}
	var b bytes.Buffer
	if err := Encode(&b, in); err != nil {
		t.Fatal(err)
	}
	out, err := Decode(&b)
	if err != nil {
		t.Fatal(err)
	}
	if len(out) != len(in) {
		t.Fatalf("%d shapes, want %d", len(out), len(in))
	}
	for i := range in {
		if out[i].ID != in[i].ID || len(out[i].Rings) != len(in[i].Rings) {
			t.Fatalf("shape %d = %+v", i, out[i])
		}
		for j, r := range in[i].Rings {
			for k, p := range r {
				q := out[i].Rings[j][k]
				if math.Abs(q.Lon-p.Lon) > 0.005 || math.Abs(q.Lat-p.Lat) > 0.005 {
					t.Errorf("point %d/%d/%d = %v, want %v", i, j, k, q, p)
				}
			}
		}
	}
	if _, err := Decode(strings.NewReader("not gzip")); err == nil {
		t.Error("garbage decoded")
	}
}

func TestEmbeddedCountries(t *testing.T) {
	cs := Countries()
	if len(cs) < 200 {
		t.Fatalf("%d countries", len(cs))
	}
	ids := map[string]bool{}
	for _, c := range cs {
		ids[c.ID] = true
	}
	for _, id := range []string{"246", "616", "156", "124"} { // Finland, Poland, China, Canada
		if !ids[id] {
			t.Errorf("no country %s", id)
		}
	}
}

func TestFit(t *testing.T) {
	seinajoki, siedlce := Point{22.83, 62.79}, Point{22.29, 52.17}
	tests := []struct {
		name   string
		points []Point
		want   Scope
	}{
		{"nothing", nil, ScopeWorld},
		{"Seinäjoki: Thunder Bay and Qingdao", []Point{seinajoki, {10.22, 50.05}, {-89.25, 48.38}, {120.38, 36.06}}, ScopeWorld},
		{"Siedlce: Europe", []Point{siedlce, {11.05, 48.38}, {10.87, 45.49}, {21.1, 49.1}, {28.6, 49.9}}, ScopeRegion},
		{"one place", []Point{siedlce}, ScopeRegion},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := Fit(tc.points)
			if f.Scope != tc.want {
				t.Fatalf("scope %s, want %s", f.Scope, tc.want)
			}
			if f.Height <= 0 || f.Height > Width {
				t.Errorf("height %v", f.Height)
			}
			for _, p := range tc.points {
				if !f.Contains(p) {
					t.Errorf("%v is outside the frame", p)
				}
			}
		})
	}
	// The region of Siedlce is Central Europe: Lisbon and Qingdao stay outside, Warsaw inside.
	f := Fit(tests[2].points)
	if f.Contains(Point{-9.14, 38.72}) || f.Contains(Point{120.38, 36.06}) || !f.Contains(Point{21.01, 52.23}) {
		t.Error("the Siedlce frame is not Central Europe")
	}
}

func TestLocator(t *testing.T) {
	p := Point{120.38, 36.06}
	f := Locator(p)
	x, y := f.XY(p)
	if f.Scope != ScopeLocator || math.Abs(x-Width/2) > 0.5 || math.Abs(y-f.Height/2) > 0.5 {
		t.Fatalf("Qingdao at %v,%v of %v x %v", x, y, Width, f.Height)
	}
	// China lies around Qingdao: its outline must be drawn even though it is far wider than
	// the frame.
	var china []Shape
	for _, c := range Countries() {
		if c.ID == "156" {
			china = append(china, c)
		}
	}
	if len(f.Rings(china)) == 0 {
		t.Error("China is not on the map of Qingdao")
	}
	// Across the date line: Fiji is drawn whole around 180°.
	fiji := Locator(Point{178.44, -18.14})
	for _, r := range fiji.Rings(Countries()) {
		for _, q := range r {
			if q[0] < -Width || q[0] > 2*Width {
				t.Fatalf("ring torn across the date line: x = %v", q[0])
			}
		}
	}
}

func TestSimplifyAndPath(t *testing.T) {
	line := []Point{{0, 0}, {1, 0.01}, {2, 0}, {3, 5}, {4, 0}}
	got := Simplify(line, 0.1)
	if len(got) != 4 || got[1] != (Point{2, 0}) {
		t.Errorf("Simplify = %v", got)
	}
	// Whole units, relative; a second ring starts from where the first began.
	d := SVGPath([][][2]float64{{{10.4, 20}, {13.25, 14.5}, {13.4, 14.6}, {5, 26}}, {{12, 21}, {15, 21}, {12, 24}}})
	if d != "m10 20 3-5-8 11zm2 1 3 0-3 3z" {
		t.Errorf("SVGPath = %q", d)
	}
}

func TestSharePNG(t *testing.T) {
	var b bytes.Buffer
	f := Fit([]Point{{22.29, 52.17}, {11.05, 48.38}})
	err := SharePNG(&b, "Siedlce – Wołkowysk, Seinäjoki, città gemellate", "Natural Earth · GeoNames, CC BY 4.0", f,
		[]Marker{{Point{22.29, 52.17}, MarkerHome}, {Point{11.05, 48.38}, MarkerPartner}, {Point{100, 0}, MarkerTwin}})
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(&b)
	if err != nil {
		t.Fatal(err)
	}
	if s := img.Bounds().Size(); s.X != ShareWidth || s.Y != ShareHeight {
		t.Fatalf("size %v", s)
	}
	// The marker of Siedlce is drawn: its centre is the ink of the star, not land or sea.
	x, y := f.XY(Point{22.29, 52.17})
	const top, bottom, margin = 130, 40, 40
	areaW, areaH := float64(ShareWidth-2*margin), float64(ShareHeight-top-bottom)
	s := min(areaW/Width, areaH/f.Height)
	px := int(margin + (areaW-Width*s)/2 + x*s)
	py := int(top + (areaH-f.Height*s)/2 + y*s)
	r, g, bl, _ := img.At(px, py).RGBA()
	if r>>8 != uint32(colInk.R) || g>>8 != uint32(colInk.G) || bl>>8 != uint32(colInk.B) {
		t.Errorf("colour at Siedlce = %v %v %v", r>>8, g>>8, bl>>8)
	}
}

func BenchmarkSharePNG(b *testing.B) {
	f := Fit([]Point{{22.83, 62.79}, {-89.25, 48.38}, {120.38, 36.06}})
	for b.Loop() {
		var w bytes.Buffer
		if err := SharePNG(&w, "Seinäjoki", "Natural Earth · GeoNames, CC BY 4.0", f, nil); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkWorldSVGPath(b *testing.B) {
	f := Fit([]Point{{22.83, 62.79}, {-89.25, 48.38}, {120.38, 36.06}})
	for b.Loop() {
		SVGPath(f.Rings(Countries()))
	}
}

// A frame's land path is prepared once and kept within the cache's bound; it is the path
// SVGPath makes.
func TestLandPathPreparedOncePerFrame(t *testing.T) {
	SetPathCacheBytes(DefaultPathCacheBytes)
	defer SetPathCacheBytes(DefaultPathCacheBytes)
	f := Locator(Point{Lon: 22.84, Lat: 62.79})
	_, _, before := PathCacheStats()
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			if got := LandPath(f); got != SVGPath(f.Rings(Countries())) {
				t.Error("LandPath differs from SVGPath")
			}
		})
	}
	wg.Wait()
	if _, _, after := PathCacheStats(); after-before != 1 {
		t.Errorf("prepared %d times for one frame", after-before)
	}
	SetPathCacheBytes(int64(len(LandPath(f))) + 10)
	LandPath(Locator(Point{Lon: 10, Lat: 50}))
	if n, bytes, _ := PathCacheStats(); n != 1 || bytes > int64(len(LandPath(f)))+10 {
		t.Errorf("%d paths in %d bytes over a bound of one", n, bytes)
	}
}

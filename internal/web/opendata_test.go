package web_test

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"regexp"
	"slices"
	"strings"
	"testing"

	"twintowns/internal/twinning"
)

type openData struct {
	Site struct {
		Slug, Country string
		Names         map[string]string
	}
	Licence      struct{ ID, Name, URL string }
	Partnerships []struct {
		Slug, Kind, Country, Status string
		Names                       map[string]string
		Agreement                   struct {
			Precision string
			Date      *string
			Year      *int
			OverYears *int `json:"over_years"`
		}
		SinceYear           *int `json:"since_year"`
		Latitude, Longitude *float64
		Links               []struct{ Kind, Lang, URL, Label string }
		Pages               map[string]string
	}
}

// addDraftAndTrash gives Seinäjoki a city that is only a draft and one in the trash.
func addDraftAndTrash(t *testing.T, e *env) {
	t.Helper()
	ctx := context.Background()
	sites, err := e.db.Sites(ctx)
	if err != nil {
		t.Fatal(err)
	}
	by := twinning.Actor{Email: "test@example.org"}
	city := twinning.City{Kind: twinning.KindPartner, Country: "EE", Status: twinning.StatusActive,
		Agreement: twinning.Agreement{Precision: twinning.PrecisionUnknown}}
	city.Slug, city.Texts = "draftburg", map[string]twinning.CityText{"fi": {Lang: "fi", Name: "Draftburg"}}
	if _, err := e.db.CreateEntry(ctx, sites[0].ID, city.Entry(), false, by); err != nil {
		t.Fatal(err)
	}
	city.Slug, city.Texts = "trashburg", map[string]twinning.CityText{"fi": {Lang: "fi", Name: "Trashburg"}}
	id, err := e.db.CreateEntry(ctx, sites[0].ID, city.Entry(), true, by)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.db.TrashEntry(ctx, twinning.CityType, sites[0].ID, id, true, by); err != nil {
		t.Fatal(err)
	}
	e.srv.Invalidate()
}

// publishedSlugs are the slugs of the cities the site of host shows.
func publishedSlugs(t *testing.T, e *env, host string) []string {
	t.Helper()
	sites, err := e.db.Sites(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	site := sites[0]
	if host == siedlce {
		site = sites[1]
	}
	c, err := e.db.Content(context.Background(), site)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, city := range c.Cities {
		out = append(out, city.Slug)
	}
	return out
}

func TestOpenDataJSON(t *testing.T) {
	e := newEnv(t)
	addDraftAndTrash(t, e)
	for _, host := range []string{seinajoki, siedlce} {
		res := e.get(t, host, "/data/partnerships.json")
		if res.StatusCode != 200 || res.Header.Get("Content-Type") != "application/json" {
			t.Fatalf("%s: %d %s", host, res.StatusCode, res.Header.Get("Content-Type"))
		}
		var d openData
		if err := json.Unmarshal([]byte(res.body), &d); err != nil {
			t.Fatalf("%s: %v", host, err)
		}
		if d.Licence.ID != "CC-BY-4.0" || d.Licence.Name != "CC BY 4.0" || !strings.HasPrefix(d.Licence.URL, "https://creativecommons.org/") {
			t.Errorf("%s: licence %+v", host, d.Licence)
		}
		var got []string
		for _, p := range d.Partnerships {
			got = append(got, p.Slug)
			if len(p.Names) != 4 || p.Names["fi"] == "" || len(p.Country) != 2 || p.Pages["pl"] != origin(host)+"/pl/cities/"+p.Slug {
				t.Errorf("%s/%s: %+v", host, p.Slug, p)
			}
		}
		if want := publishedSlugs(t, e, host); !slices.Equal(got, want) || slices.Contains(got, "draftburg") || slices.Contains(got, "trashburg") {
			t.Errorf("%s: partnerships %v, want %v", host, got, want)
		}
	}
	// "vänort sedan 1974" dates the partnership: no agreement is published for it
	var sj openData
	json.Unmarshal([]byte(e.get(t, seinajoki, "/data/partnerships.json").body), &sj)
	for _, p := range sj.Partnerships {
		a := p.Agreement
		switch p.Slug {
		case "thunder-bay", "schweinfurt":
			if a.Precision != "unknown" || a.Date != nil || a.Year != nil || a.OverYears != nil || p.SinceYear == nil || *p.SinceYear != 1974 {
				t.Errorf("%s: agreement %+v, since %v; want no agreement, since 1974", p.Slug, a, p.SinceYear)
			}
		case "koszalin":
			if a.Precision != "year" || a.Year == nil || *a.Year != 1987 || p.SinceYear != nil {
				t.Errorf("koszalin: agreement %+v, since %v", a, p.SinceYear)
			}
		}
	}
	var d openData
	json.Unmarshal([]byte(e.get(t, siedlce, "/data/partnerships.json").body), &d)
	for _, p := range d.Partnerships {
		if p.Slug == "dasing" {
			if p.Agreement.Precision != "day" || *p.Agreement.Date != "1998-07-26" || *p.Agreement.Year != 1998 || p.Latitude == nil || *p.Latitude != 48.38482 {
				t.Errorf("dasing: %+v", p)
			}
			if p.Names["pl"] != "Dasing" || p.Kind != "twin" || p.Country != "DE" {
				t.Errorf("dasing: %+v", p)
			}
		}
	}
}

func TestOpenDataCSV(t *testing.T) {
	e := newEnv(t)
	addDraftAndTrash(t, e)
	for _, host := range []string{seinajoki, siedlce} {
		res := e.get(t, host, "/data/partnerships.csv")
		if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/csv; charset=utf-8") {
			t.Fatalf("%s: %d %s", host, res.StatusCode, res.Header.Get("Content-Type"))
		}
		rows, err := csv.NewReader(strings.NewReader(res.body)).ReadAll()
		if err != nil {
			t.Fatalf("%s: %v", host, err)
		}
		col := map[string]int{}
		for i, name := range rows[0] {
			col[name] = i
		}
		for _, name := range []string{"slug", "kind", "country", "name_sv", "name_it", "name_pl", "name_fi",
			"agreement_precision", "agreement_date", "agreement_year", "status", "latitude", "longitude", "links", "licence", "since_year"} {
			if _, ok := col[name]; !ok {
				t.Errorf("%s: no column %s in %v", host, name, rows[0])
			}
		}
		var got []string
		for _, row := range rows[1:] {
			got = append(got, row[col["slug"]])
			// Coordinates come in pairs, where GeoNames knows the place (places.toml).
			if row[col["name_fi"]] == "" || (row[col["latitude"]] == "") != (row[col["longitude"]] == "") ||
				(row[col["slug"]] == "schweinfurt") != (row[col["latitude"]] == "50.04937") ||
				row[col["licence"]] != "https://creativecommons.org/licenses/by/4.0/" {
				t.Errorf("%s: row %v", host, row)
			}
		}
		if want := publishedSlugs(t, e, host); !slices.Equal(got, want) || slices.Contains(got, "draftburg") || slices.Contains(got, "trashburg") {
			t.Errorf("%s: rows %v, want %v", host, got, want)
		}
		if host == seinajoki {
			for _, row := range rows[1:] {
				if row[col["slug"]] == "veliki-novgorod" && (row[col["name_sv"]] == "" || row[col["agreement_precision"]] == "") {
					t.Errorf("novgorod row %v", row)
				}
				if row[col["slug"]] == "changsha" && (row[col["agreement_precision"]] != "unknown" || row[col["agreement_year"]] != "" || row[col["since_year"]] != "2017") {
					t.Errorf("changsha row %v: want no agreement, since 2017", row)
				}
			}
		}
	}
}

// The home page links its open data, its feed, and the footer states the licence; every link
// answers.
func TestHomeLinksDataAndFeed(t *testing.T) {
	e := shared(t)
	link := regexp.MustCompile(`<link rel="alternate" type="([^"]+)" href="([^"]+)"`)
	for _, host := range []string{seinajoki, siedlce} {
		home := e.get(t, host, "/pl/")
		types := map[string]string{}
		for _, m := range link.FindAllStringSubmatch(home.body, -1) {
			types[m[1]] = m[2]
		}
		for typ, want := range map[string]string{"application/json": "application/json",
			"text/csv": "text/csv; charset=utf-8; header=present", "application/atom+xml": "application/atom+xml; charset=utf-8"} {
			href, ok := types[typ]
			if !ok {
				t.Errorf("%s: no <link rel=alternate type=%s>", host, typ)
				continue
			}
			res := e.get(t, host, strings.TrimPrefix(href, origin(host)))
			if res.StatusCode != 200 || res.Header.Get("Content-Type") != want {
				t.Errorf("%s %s: %d %s", host, href, res.StatusCode, res.Header.Get("Content-Type"))
			}
		}
		for _, s := range []string{`href="/data/partnerships.json" type="application/json">Otwarte dane (JSON)</a>`,
			`href="/data/partnerships.csv" type="text/csv">Otwarte dane (CSV)</a>`,
			`Licencja danych: <a rel="license" href="https://creativecommons.org/licenses/by/4.0/">CC BY 4.0</a>`} {
			if !strings.Contains(home.body, s) {
				t.Errorf("%s: footer lacks %s", host, s)
			}
		}
		if city := e.get(t, host, "/pl/accessibility"); strings.Contains(city.body, `type="application/json" href=`) ||
			!strings.Contains(city.body, `type="application/atom+xml"`) {
			t.Errorf("%s: other pages link the feed, not the data", host)
		}
	}
}

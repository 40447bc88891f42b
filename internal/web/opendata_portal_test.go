package web_test

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// A portal's page may read the open data from another origin (CORS, CORP), and revalidate it
// by ETag or by date; the date is when the site's published content last changed.
func TestOpenDataHeaders(t *testing.T) {
	e := newEnv(t)
	paths := []string{"/data/partnerships.json", "/data/partnerships.csv", "/data/partnerships-spreadsheet.csv",
		"/data/datapackage.json", "/data/catalog.jsonld", "/data/catalog.ttl", "/data/events.json", "/data/events.csv"}
	var lastMod string
	for _, path := range paths {
		res := e.get(t, siedlce, path, "Origin", "https://dane.gov.pl")
		if res.StatusCode != 200 {
			t.Fatalf("%s: %d", path, res.StatusCode)
		}
		h := res.Header
		if h.Get("Access-Control-Allow-Origin") != "*" || h.Get("Cross-Origin-Resource-Policy") != "cross-origin" ||
			!strings.Contains(h.Get("Access-Control-Expose-Headers"), "ETag") {
			t.Errorf("%s: CORS %q, CORP %q, exposed %q", path, h.Get("Access-Control-Allow-Origin"),
				h.Get("Cross-Origin-Resource-Policy"), h.Get("Access-Control-Expose-Headers"))
		}
		lm, err := http.ParseTime(h.Get("Last-Modified"))
		if err != nil || h.Get("Etag") == "" {
			t.Fatalf("%s: Last-Modified %q, ETag %q", path, h.Get("Last-Modified"), h.Get("Etag"))
		}
		if lastMod != "" && h.Get("Last-Modified") != lastMod {
			t.Errorf("%s: Last-Modified %s, the others %s", path, h.Get("Last-Modified"), lastMod)
		}
		lastMod = h.Get("Last-Modified")
		if since := time.Since(lm); since < 0 || since > time.Hour {
			t.Errorf("%s: Last-Modified %v", path, lm)
		}
		if r := e.get(t, siedlce, path, "If-Modified-Since", lastMod); r.StatusCode != http.StatusNotModified {
			t.Errorf("%s: If-Modified-Since its own date: %d", path, r.StatusCode)
		}
		if r := e.get(t, siedlce, path, "If-Modified-Since", lm.Add(-time.Second).Format(http.TimeFormat)); r.StatusCode != 200 {
			t.Errorf("%s: If-Modified-Since a second before: %d", path, r.StatusCode)
		}
		if r := e.get(t, siedlce, path, "If-None-Match", h.Get("Etag")); r.StatusCode != http.StatusNotModified {
			t.Errorf("%s: If-None-Match: %d", path, r.StatusCode)
		}
		// an ETag that does not match wins over a date that does
		if r := e.get(t, siedlce, path, "If-None-Match", `"other"`, "If-Modified-Since", lastMod); r.StatusCode != 200 {
			t.Errorf("%s: stale ETag with a current date: %d", path, r.StatusCode)
		}
	}
	pre := e.do(t, http.MethodOptions, siedlce, "/data/partnerships.json", "Origin", "https://dane.gov.pl",
		"Access-Control-Request-Method", "GET", "Access-Control-Request-Headers", "if-none-match")
	if pre.StatusCode != http.StatusNoContent || pre.Header.Get("Access-Control-Allow-Origin") != "*" ||
		!strings.Contains(pre.Header.Get("Access-Control-Allow-Headers"), "If-None-Match") {
		t.Errorf("preflight: %d %v", pre.StatusCode, pre.Header)
	}
	// Pages are not shared with other origins.
	if h := e.get(t, siedlce, "/pl/").Header; h.Get("Access-Control-Allow-Origin") != "" {
		t.Errorf("a page allows %q", h.Get("Access-Control-Allow-Origin"))
	}

	// A change to the content moves the date forward.
	time.Sleep(1100 * time.Millisecond)
	if _, err := e.db.Pool.Exec(context.Background(), `UPDATE city_texts SET name = 'Dasing (Bayern)'
		WHERE lang = 'pl' AND city_id = (SELECT id FROM cities WHERE slug = 'dasing')`); err != nil {
		t.Fatal(err)
	}
	e.srv.Invalidate()
	res := e.get(t, siedlce, "/data/partnerships.json")
	if res.Header.Get("Last-Modified") == lastMod || !strings.Contains(res.body, "Dasing (Bayern)") {
		t.Errorf("after a change: Last-Modified %s (was %s)", res.Header.Get("Last-Modified"), lastMod)
	}
	if r := e.get(t, siedlce, "/data/partnerships.json", "If-Modified-Since", lastMod); r.StatusCode != 200 {
		t.Errorf("after a change, the old date: %d", r.StatusCode)
	}
}

// The CSV for spreadsheets opens as UTF-8 in a Polish or Finnish Excel: a byte order mark,
// semicolons, decimal commas; the same rows as the RFC 4180 file.
func TestSpreadsheetCSV(t *testing.T) {
	e := shared(t)
	for _, host := range []string{siedlce, seinajoki} {
		res := e.get(t, host, "/data/partnerships-spreadsheet.csv")
		if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/csv; charset=utf-8") {
			t.Fatalf("%s: %d %s", host, res.StatusCode, res.Header.Get("Content-Type"))
		}
		body, ok := strings.CutPrefix(res.body, "\uFEFF")
		if !ok || !utf8.ValidString(body) {
			t.Fatalf("%s: no UTF-8 byte order mark, or not UTF-8", host)
		}
		r := csv.NewReader(strings.NewReader(body))
		r.Comma = ';'
		sheet, err := r.ReadAll()
		if err != nil {
			t.Fatalf("%s: %v", host, err)
		}
		plain, err := csv.NewReader(strings.NewReader(e.get(t, host, "/data/partnerships.csv").body)).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if len(sheet) != len(plain) || !slices.Equal(sheet[0], plain[0]) || !strings.HasSuffix(body, "\r\n") {
			t.Fatalf("%s: %d rows, header %v; RFC 4180: %d rows, %v", host, len(sheet), sheet[0], len(plain), plain[0])
		}
		col := slices.Index(sheet[0], "latitude")
		for i := 1; i < len(sheet); i++ {
			want := strings.Replace(plain[i][col], ".", ",", 1)
			if sheet[i][col] != want || (want != "" && !strings.Contains(want, ",")) {
				t.Errorf("%s: latitude %q, want %q", host, sheet[i][col], want)
			}
			sheet[i][col], sheet[i][col+1] = plain[i][col], plain[i][col+1]
			if !slices.Equal(sheet[i], plain[i]) {
				t.Errorf("%s: row %v, want %v", host, sheet[i], plain[i])
			}
		}
		if host == siedlce && !strings.Contains(body, ";Wołkowysk;") {
			t.Errorf("%s: Polish letters lost", host)
		}
	}
}

// datapackage.json describes every column of each CSV file, in order, with its type.
func TestDataPackage(t *testing.T) {
	e := shared(t)
	var pkg struct {
		Profile, Name string
		Licenses      []struct{ Name, Path string }
		Resources     []struct {
			Name, Path, Format, Mediatype, Encoding string
			Dialect                                 *struct{ Delimiter string }
			Schema                                  *struct {
				Fields []struct {
					Name, Type, DecimalChar string
				}
				PrimaryKey []string
			}
		}
	}
	res := e.get(t, seinajoki, "/data/datapackage.json")
	if err := json.Unmarshal([]byte(res.body), &pkg); err != nil || res.Header.Get("Content-Type") != "application/json" {
		t.Fatalf("%v %s", err, res.Header.Get("Content-Type"))
	}
	if pkg.Profile != "data-package" || pkg.Name != "twintowns-seinajoki-partnerships" || len(pkg.Licenses) != 1 ||
		pkg.Licenses[0].Name != "CC-BY-4.0" || len(pkg.Resources) != 3 {
		t.Fatalf("package %+v", pkg)
	}
	for _, r := range pkg.Resources {
		path := strings.TrimPrefix(r.Path, origin(seinajoki))
		file := e.get(t, seinajoki, path)
		if file.StatusCode != 200 || !strings.HasPrefix(file.Header.Get("Content-Type"), r.Mediatype) {
			t.Errorf("%s: %d %s", r.Path, file.StatusCode, file.Header.Get("Content-Type"))
		}
		if r.Schema == nil {
			continue
		}
		cr := csv.NewReader(strings.NewReader(strings.TrimPrefix(file.body, "\uFEFF")))
		cr.Comma = []rune(r.Dialect.Delimiter)[0]
		header, err := cr.Read()
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, f := range r.Schema.Fields {
			names = append(names, f.Name)
			if f.Name == "latitude" && (f.Type != "number" || (f.DecimalChar == ",") != (r.Name == "partnerships-spreadsheet-csv")) {
				t.Errorf("%s: latitude %+v", r.Name, f)
			}
			if f.Name == "agreement_date" && f.Type != "date" {
				t.Errorf("%s: agreement_date %+v", r.Name, f)
			}
		}
		if !slices.Equal(names, header) {
			t.Errorf("%s: fields %v, header %v", r.Name, names, header)
		}
	}
}

// The JSON data name the municipality's official code, each city's GeoNames id and whether
// its point is a district's seat.
func TestOpenDataCodesAndPlaces(t *testing.T) {
	e := shared(t)
	var d struct {
		Site struct {
			OfficialCode struct{ Scheme, Value string } `json:"official_code"`
			GeoNamesID   int64                          `json:"geonames_id"`
		}
		Modified     string
		Partnerships []struct {
			Slug              string
			GeoNamesID        *int64  `json:"geonames_id"`
			LocationPrecision *string `json:"location_precision"`
		}
	}
	for host, want := range map[string]struct {
		scheme, code string
		site         int64
		seat         string
	}{seinajoki: {"kuntanumero", "743", 637219, "jiangjin"}, siedlce: {"TERYT", "1464011", 759412, "vilnius-district"}} {
		if err := json.Unmarshal([]byte(e.get(t, host, "/data/partnerships.json").body), &d); err != nil {
			t.Fatal(err)
		}
		if d.Site.OfficialCode.Scheme != want.scheme || d.Site.OfficialCode.Value != want.code || d.Site.GeoNamesID != want.site {
			t.Errorf("%s: site %+v", host, d.Site)
		}
		if _, err := time.Parse(time.RFC3339, d.Modified); err != nil {
			t.Errorf("%s: modified %q", host, d.Modified)
		}
		for _, p := range d.Partnerships {
			if p.GeoNamesID == nil || p.LocationPrecision == nil {
				t.Errorf("%s/%s: GeoNames %v, precision %v", host, p.Slug, p.GeoNamesID, p.LocationPrecision)
				continue
			}
			if (*p.LocationPrecision == "district_seat") != (p.Slug == want.seat || p.Slug == "rudong") {
				t.Errorf("%s/%s: location %s", host, p.Slug, *p.LocationPrecision)
			}
		}
	}
}

// Administrators set the official code and the contact point of the open data; bad input
// comes back with a message and what was typed; the catalogue names the contact.
func TestSettingsOpenDataContact(t *testing.T) {
	e := newEnv(t)
	root := e.staff(t, "admin@example.org", "", true)
	root.login("admin@example.org")
	form := formOf(t, root.get("/admin/sites/siedlce/settings").body)
	if form.Get("official_code") != "1464011" {
		t.Fatalf("official code in the form: %q", form.Get("official_code"))
	}
	form.Set("official_code", "14 64")
	form.Set("contact_email", "not an address")
	form.Set("contact_url", "javascript:alert(1)")
	res := root.post("/admin/sites/siedlce/settings", form)
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("bad contact: %d", res.StatusCode)
	}
	for _, want := range []string{`id="official_code-error"`, `id="contact_email-error"`, `id="contact_url-error"`,
		`value="not an address"`, `value="14 64"`} {
		if !strings.Contains(res.body, want) {
			t.Errorf("no %s", want)
		}
	}
	form.Set("official_code", "1464011")
	form.Set("contact_email", "dane@um.siedlce.pl")
	form.Set("contact_url", "https://www.siedlce.pl/kontakt")
	if res := root.post("/admin/sites/siedlce/settings", form); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("save: %d\n%s", res.StatusCode, res.body)
	}
	ttl := e.get(t, siedlce, "/data/catalog.ttl").body
	for _, want := range []string{"vcard:hasEmail <mailto:dane@um.siedlce.pl>", "vcard:hasURL <https://www.siedlce.pl/kontakt>"} {
		if !strings.Contains(ttl, want) {
			t.Errorf("catalogue lacks %s", want)
		}
	}
	if r := validateCatalogue(t, ttl, e.get(t, siedlce, "/data/catalog.jsonld").body); !r.Conforms {
		t.Errorf("with a contact the catalogue does not conform: %+v", r.Results)
	}
}

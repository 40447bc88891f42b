package web_test

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// nodeModules is where make test installs the npm validators (var/node_modules).
func nodeModules(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("NODE_MODULES")
	if dir == "" {
		dir, _ = filepath.Abs(filepath.Join("..", "..", "var", "node_modules"))
	}
	for _, p := range []string{"n3", "jsonld", "rdf-validate-shacl"} {
		if _, err := os.Stat(filepath.Join(dir, p, "package.json")); err != nil {
			t.Fatalf("npm package %s not installed under %s (make test installs it)", p, dir)
		}
	}
	return dir
}

type shaclReport struct {
	Turtle, JSONLD         int
	OnlyTurtle, OnlyJSONLD []string
	Conforms               bool
	Results                []struct{ Focus, Path, Message string }
}

// validateCatalogue runs testdata/validate-dcat.mjs on a catalogue's two serialisations.
func validateCatalogue(t *testing.T, turtle, jsonld string) shaclReport {
	t.Helper()
	dir := t.TempDir()
	ttl, js := filepath.Join(dir, "catalog.ttl"), filepath.Join(dir, "catalog.jsonld")
	os.WriteFile(ttl, []byte(turtle), 0o644)
	os.WriteFile(js, []byte(jsonld), 0o644)
	out, err := exec.Command("node", filepath.Join("testdata", "validate-dcat.mjs"), nodeModules(t),
		filepath.Join("testdata", "dcat-ap-3.shapes.ttl"), ttl, js).Output()
	if err != nil {
		t.Fatalf("validator: %v\n%s", err, out)
	}
	var r shaclReport
	if err := json.Unmarshal(out, &r); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	return r
}

// The DCAT-AP catalogue of each site: its Turtle and JSON-LD are the same graph as parsed by
// n3 and jsonld, it conforms to the shapes of DCAT-AP 3's mandatory and recommended
// properties (rdf-validate-shacl), names the publisher with its official code, and every
// file it lists answers in its media type.
func TestCatalogueDCATAP(t *testing.T) {
	e := shared(t)
	for host, want := range map[string]struct {
		code  string
		files int
	}{seinajoki: {"743", 3}, siedlce: {"1464011", 5}} { // Siedlce's joint events: two more files
		code := want.code
		ttl := e.get(t, host, "/data/catalog.ttl")
		js := e.get(t, host, "/data/catalog.jsonld")
		if ttl.Header.Get("Content-Type") != "text/turtle; charset=utf-8" || js.Header.Get("Content-Type") != "application/ld+json" {
			t.Fatalf("%s: %s, %s", host, ttl.Header.Get("Content-Type"), js.Header.Get("Content-Type"))
		}
		r := validateCatalogue(t, ttl.body, js.body)
		if r.Turtle < 80 || r.Turtle != r.JSONLD || len(r.OnlyTurtle)+len(r.OnlyJSONLD) > 0 {
			t.Errorf("%s: %d statements in Turtle, %d in JSON-LD; only in one: %v %v", host, r.Turtle, r.JSONLD, r.OnlyTurtle, r.OnlyJSONLD)
		}
		if !r.Conforms {
			t.Errorf("%s: does not conform: %+v", host, r.Results)
		}
		for _, want := range []string{`dct:identifier "` + code + `"`, "dct:type <http://purl.org/adms/publishertype/LocalAuthority>",
			"dcat:contactPoint", `"Otwarte dane`, "<http://publications.europa.eu/resource/authority/licence/CC_BY_4_0>"} {
			if !strings.Contains(ttl.body, want) {
				t.Errorf("%s: no %s", host, want)
			}
		}
		var doc struct {
			Graph []map[string]any `json:"@graph"`
		}
		if err := json.Unmarshal([]byte(js.body), &doc); err != nil {
			t.Fatal(err)
		}
		files := 0
		for _, n := range doc.Graph {
			urls, _ := n["dcat:accessURL"].([]any)
			for _, u := range urls {
				files++
				url := u.(map[string]any)["@id"].(string)
				res := e.get(t, host, strings.TrimPrefix(url, origin(host)))
				media := strings.TrimPrefix(n["dcat:mediaType"].([]any)[0].(map[string]any)["@id"].(string), "http://www.iana.org/assignments/media-types/")
				if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), media) {
					t.Errorf("%s: %s answers %d %s, want %s", host, url, res.StatusCode, res.Header.Get("Content-Type"), media)
				}
			}
		}
		if files != want.files {
			t.Errorf("%s: %d distributions, want %d", host, files, want.files)
		}
	}
	// The validator can fail: a catalogue without its publisher does not conform.
	ttl := e.get(t, seinajoki, "/data/catalog.ttl").body
	var kept []string
	for _, l := range strings.Split(ttl, "\n") {
		if !strings.Contains(l, "dct:publisher") {
			kept = append(kept, l)
		}
	}
	if r := validateCatalogue(t, strings.Join(kept, "\n"), e.get(t, seinajoki, "/data/catalog.jsonld").body); r.Conforms {
		t.Error("a catalogue without a publisher conforms")
	}
}

// Every public page links the catalogue, in its head and its footer.
func TestPagesLinkCatalogue(t *testing.T) {
	e := shared(t)
	for _, path := range []string{"/fi/", "/fi/cities/koszalin", "/fi/accessibility"} {
		body := e.get(t, seinajoki, path).body
		if !strings.Contains(body, `<link rel="alternate" type="application/ld+json" href="/data/catalog.jsonld"`) ||
			!strings.Contains(body, `<a href="/data/catalog.jsonld" type="application/ld+json">Avoimen datan kuvaus (DCAT-AP)</a>`) ||
			!strings.Contains(body, `<a href="/data/partnerships-spreadsheet.csv" type="text/csv">`) {
			t.Errorf("%s does not link the catalogue and the spreadsheet file", path)
		}
	}
}

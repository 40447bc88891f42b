package rdf

import (
	"encoding/json"
	"strings"
	"testing"
)

func sample() *Graph {
	g := &Graph{Prefixes: []Prefix{{"dcat", "http://www.w3.org/ns/dcat#"}, {"dct", "http://purl.org/dc/terms/"},
		{"xsd", "http://www.w3.org/2001/XMLSchema#"}}}
	g.Add("https://example.org/c", "a", IRI("dcat:Catalog"))
	g.AddAll("https://example.org/c", "dct:title", LangString(`Avoin "data"`, "fi"), LangString("Öppna data", "sv"))
	g.Add("https://example.org/c", "dct:modified", Typed("2026-11-23T10:00:00Z", "xsd:dateTime"))
	g.Add("https://example.org/c", "dcat:dataset", IRI("https://example.org/d#1"))
	g.Add("https://example.org/d#1", "a", IRI("dcat:Dataset"))
	g.Add("https://example.org/d#1", "dct:description", Literal("line\nbreak \\ done"))
	g.Add("https://example.org/d#1", "dct:publisher", IRI("_:p"))
	g.Add("_:p", "dct:identifier", Literal("743"))
	return g
}

func TestTurtle(t *testing.T) {
	var b strings.Builder
	if err := sample().WriteTurtle(&b); err != nil {
		t.Fatal(err)
	}
	want := `@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

<https://example.org/c> a dcat:Catalog ;
    dct:title "Avoin \"data\""@fi, "Öppna data"@sv ;
    dct:modified "2026-11-23T10:00:00Z"^^xsd:dateTime ;
    dcat:dataset <https://example.org/d#1> .

<https://example.org/d#1> a dcat:Dataset ;
    dct:description "line\nbreak \\ done" ;
    dct:publisher _:p .

_:p dct:identifier "743" .
`
	if b.String() != want {
		t.Errorf("turtle:\n%s\nwant:\n%s", b.String(), want)
	}
	if g := sample(); g.Len() != 9 {
		t.Errorf("%d statements", g.Len())
	}
}

func TestJSONLD(t *testing.T) {
	var b strings.Builder
	if err := sample().WriteJSONLD(&b); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Context map[string]string `json:"@context"`
		Graph   []map[string]any  `json:"@graph"`
	}
	if err := json.Unmarshal([]byte(b.String()), &doc); err != nil {
		t.Fatalf("%v\n%s", err, b.String())
	}
	if doc.Context["dcat"] != "http://www.w3.org/ns/dcat#" || len(doc.Graph) != 3 {
		t.Fatalf("document:\n%s", b.String())
	}
	c := doc.Graph[0]
	if c["@id"] != "https://example.org/c" || c["@type"].([]any)[0] != "dcat:Catalog" {
		t.Errorf("catalog node: %v", c)
	}
	title := c["dct:title"].([]any)[1].(map[string]any)
	if title["@value"] != "Öppna data" || title["@language"] != "sv" {
		t.Errorf("title: %v", title)
	}
	if !strings.HasPrefix(b.String(), `{"@context":`) && !strings.HasPrefix(b.String(), "{\n  \"@context\"") {
		t.Errorf("context not first:\n%s", b.String())
	}
}

func TestEscapeIRI(t *testing.T) {
	if got := escapeIRI("https://x.org/a b<c>"); got != "https://x.org/a%20b%3Cc%3E" {
		t.Errorf("escapeIRI = %q", got)
	}
}

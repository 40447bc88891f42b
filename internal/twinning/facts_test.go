package twinning

import (
	"regexp"
	"strings"
	"testing"
)

// kindsType has a fact of every kind.
func kindsType() *Type {
	return &Type{Name: "kinds", Fields: []TextField{{Key: "name", Kind: FieldLine, Max: 10, Names: true}},
		Facts: []FactField{
			{Key: "text", Kind: FactText, MaxLen: 5, Pattern: regexp.MustCompile(`^[a-z]*$`), Invalid: "validation.x"},
			{Key: "slug", Kind: FactSlug, Required: true},
			{Key: "choice", Kind: FactChoice, Choices: []string{"a", "b"}},
			{Key: "date", Kind: FactDate, Precisions: []DatePrecision{DateDay, DateMonth, DateYear, DateSchoolYear}},
			{Key: "day", Kind: FactDate},
			{Key: "number", Kind: FactNumber, Min: 1, Max: 1000},
			{Key: "decimal", Kind: FactNumber, Min: -1, Max: 1, Decimals: true},
			{Key: "boolean", Kind: FactBoolean},
			{Key: "coordinates", Kind: FactCoordinates},
			{Key: "url", Kind: FactURL},
			{Key: "refs", Kind: FactReference, Ref: CityType, Many: true},
			{Key: "ref", Kind: FactReference, Ref: CityType},
		}}
}

// Every kind parses what people type into its canonical form, and refuses what it cannot
// mean with the message of what is wrong.
func TestFactKinds(t *testing.T) {
	typ := kindsType()
	lat, lon := FieldKey{Field: "coordinates", Part: PartLatitude}, FieldKey{Field: "coordinates", Part: PartLongitude}
	place := FieldKey{Field: "coordinates", Part: PartGeoNames}
	tests := []struct {
		name  string
		in    map[FieldKey]string
		key   FieldKey
		want  string // the canonical value, when msg is ""
		msg   string
		value func(Entry) bool
	}{
		{"text", map[FieldKey]string{Fact("text"): " abc "}, Fact("text"), "abc", "", nil},
		{"text too long", map[FieldKey]string{Fact("text"): "abcdef"}, Fact("text"), "", "validation.too_long", nil},
		{"text pattern", map[FieldKey]string{Fact("text"): "ABC"}, Fact("text"), "", "validation.x", nil},
		{"slug required", map[FieldKey]string{Fact("slug"): ""}, Fact("slug"), "", "validation.required", nil},
		{"slug", map[FieldKey]string{Fact("slug"): "Bad Slug"}, Fact("slug"), "", "validation.slug", nil},
		{"choice", map[FieldKey]string{Fact("choice"): "b"}, Fact("choice"), "b", "", nil},
		{"bad choice", map[FieldKey]string{Fact("choice"): "c"}, Fact("choice"), "", "validation.choice", nil},
		{"day", map[FieldKey]string{Fact("date"): "2001-06-24"}, Fact("date"), "2001-06-24", "",
			func(e Entry) bool { d, _ := e.Date("date"); return d.Precision == DateDay && d.Day == 24 }},
		{"month", map[FieldKey]string{Fact("date"): "2000-10"}, Fact("date"), "2000-10", "",
			func(e Entry) bool {
				d, _ := e.Date("date")
				return d.Precision == DateMonth && d.Datetime() == "2000-10"
			}},
		{"year", map[FieldKey]string{Fact("date"): "1996"}, Fact("date"), "1996", "", nil},
		{"school year", map[FieldKey]string{Fact("date"): "1999 / 2000"}, Fact("date"), "1999/2000", "",
			func(e Entry) bool {
				d, _ := e.Date("date")
				return d.Precision == DateSchoolYear && d.Datetime() == "1999"
			}},
		{"not a school year", map[FieldKey]string{Fact("date"): "1999/2001"}, Fact("date"), "", "validation.date_format", nil},
		{"no such day", map[FieldKey]string{Fact("date"): "2001-02-30"}, Fact("date"), "", "validation.date_format", nil},
		{"a day only", map[FieldKey]string{Fact("day"): "2001"}, Fact("day"), "", "validation.date_precision", nil},
		{"year out of range", map[FieldKey]string{Fact("date"): "0700"}, Fact("date"), "", "validation.date", nil},
		{"number with spaces", map[FieldKey]string{Fact("number"): "1 000"}, Fact("number"), "1000", "", nil},
		{"number out of range", map[FieldKey]string{Fact("number"): "1001"}, Fact("number"), "", "validation.number", nil},
		{"no fraction in a whole number", map[FieldKey]string{Fact("number"): "1e400"}, Fact("number"), "", "validation.number", nil},
		{"decimal comma", map[FieldKey]string{Fact("decimal"): "0,5"}, Fact("decimal"), "0.5", "", nil},
		{"NaN", map[FieldKey]string{Fact("decimal"): "NaN"}, Fact("decimal"), "", "validation.number", nil},
		{"boolean", map[FieldKey]string{Fact("boolean"): "on"}, Fact("boolean"), "on", "",
			func(e Entry) bool { return e.Bool("boolean") }},
		{"coordinates", map[FieldKey]string{lat: "62,79", lon: "22.84"}, lat, "62.79", "",
			func(e Entry) bool { v, _ := e.Value("coordinates"); return *v.Place.Longitude == 22.84 }},
		{"latitude alone", map[FieldKey]string{lat: "62"}, lon, "", "validation.coordinates", nil},
		{"coordinates of a GeoNames place", map[FieldKey]string{lat: "28.19874", lon: "112.97087", place: " 1815577 "}, place, "1815577", "",
			func(e Entry) bool { v, _ := e.Value("coordinates"); return v.Place.GeoNamesID == 1815577 }},
		{"not a GeoNames id", map[FieldKey]string{lat: "28.2", lon: "113", place: "Q123"}, place, "", "validation.geonames", nil},
		{"a GeoNames id without coordinates", map[FieldKey]string{place: "1815577"}, place, "", "validation.geonames_alone", nil},
		{"latitude out of range", map[FieldKey]string{lat: "91", lon: "0"}, lat, "", "validation.latitude", nil},
		{"url", map[FieldKey]string{Fact("url"): "https://example.org/x"}, Fact("url"), "https://example.org/x", "", nil},
		{"not a url", map[FieldKey]string{Fact("url"): "javascript:alert(1)"}, Fact("url"), "", "validation.url", nil},
		{"references", map[FieldKey]string{Fact("refs"): "3 1 3"}, Fact("refs"), "3 1", "",
			func(e Entry) bool { return len(e.Refs("refs")) == 2 }},
		{"one reference", map[FieldKey]string{Fact("ref"): "3 1"}, Fact("ref"), "", "validation.choice", nil},
		{"bad reference", map[FieldKey]string{Fact("refs"): "x"}, Fact("refs"), "", "validation.choice", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := map[FieldKey]string{Fact("slug"): "s"}
			for k, v := range tc.in {
				in[k] = v
			}
			e, errs := typ.CheckFacts(Entry{Type: typ, Facts: in})
			if errs[tc.key] != tc.msg {
				t.Fatalf("error %q, want %q (all %v)", errs[tc.key], tc.msg, errs)
			}
			if tc.msg == "" && e.Facts[tc.key] != tc.want {
				t.Errorf("canonical %q, want %q", e.Facts[tc.key], tc.want)
			}
			if tc.msg != "" && tc.in[tc.key] != "" && e.Facts[tc.key] != tc.in[tc.key] {
				t.Errorf("what was typed is lost: %q", e.Facts[tc.key])
			}
			if tc.value != nil && !tc.value(e) {
				t.Errorf("typed value wrong: %v", e.Facts)
			}
		})
	}
}

// A fact that applies only for some values of another is cleared elsewhere, and required
// where it applies; rows count by their facts, not by their position.
func TestConditionsAndRows(t *testing.T) {
	c := City{Slug: "x", Kind: KindTwin, Country: "de", Status: StatusUnknown, Agreement: Agreement{Precision: PrecisionYear, Year: 1990}}
	e := c.Entry()
	e.Facts[Fact("agreement_date")] = "garbage"
	e.Facts[RowKey("link_kind", 0)] = "wikipedia" // a choice alone is no row
	e.Facts[RowKey("link_kind", 1)] = "official"
	e.Facts[RowKey("link_url", 1)] = "https://x.example"
	got, errs := CityType.CheckFacts(e)
	if len(errs) != 0 || got.Facts[Fact("agreement_date")] != "" || got.Facts[Fact("country")] != "DE" {
		t.Fatalf("facts %v, errors %v", got.Facts, errs)
	}
	if rows := got.Rows("links"); len(rows) != 1 || rows[0]["link_kind"].Text != "official" || got.Facts[RowKey("link_url", 0)] == "" {
		t.Errorf("rows %v", got.Facts)
	}
	e.Facts[Fact("agreement_precision")] = "day"
	if _, errs := CityType.CheckFacts(e); errs[Fact("agreement_date")] != "validation.date_format" {
		t.Errorf("date where it applies: %v", errs)
	}
	delete(e.Facts, Fact("agreement_date"))
	if _, errs := CityType.CheckFacts(e); errs[Fact("agreement_date")] != "validation.required" {
		t.Errorf("missing date where it applies: %v", errs)
	}
}

// The registry refuses declarations that would fail at run time, and names the messages a
// type needs, the ones built from its name included.
func TestRegistry(t *testing.T) {
	ok := func() *Type {
		return &Type{Name: "thing", Fields: []TextField{{Key: "name", Kind: FieldLine, Max: 10, Names: true}},
			Facts: []FactField{{Key: "slug", Kind: FactSlug}}}
	}
	for name, change := range map[string]func(*Type){
		"no name field":       func(t *Type) { t.Fields[0].Names = false },
		"fact twice":          func(t *Type) { t.Facts = append(t.Facts, FactField{Key: "slug", Kind: FactSlug}) },
		"fact without kind":   func(t *Type) { t.Facts = append(t.Facts, FactField{Key: "x"}) },
		"choice without list": func(t *Type) { t.Facts = append(t.Facts, FactField{Key: "x", Kind: FactChoice}) },
		"unregistered ref": func(t *Type) {
			t.Facts = append(t.Facts, FactField{Key: "x", Kind: FactReference, Ref: &Type{Name: "other"}})
		},
		"column no fact":   func(t *Type) { t.Staff.Columns = []string{"nothing"} },
		"filter on a slug": func(t *Type) { t.Staff.Filters = []string{"slug"} },
		"date no date":     func(t *Type) { t.Public.Date = "slug" },
		"bad when":         func(t *Type) { t.Facts[0].When = &Condition{Fact: "nothing"} },
		"create, no list":  func(t *Type) { t.Staff.Create = true },
	} {
		typ := ok()
		change(typ)
		if err := MustRegistry(CityType).Register(typ); err == nil {
			t.Errorf("%s: registered", name)
		}
	}
	r := MustRegistry(CityType)
	if err := r.Register(ok()); err != nil {
		t.Fatal(err)
	}
	if err := r.Register(ok()); err == nil {
		t.Error("registered twice")
	}
	msgs := strings.Join(EventType.Messages(), " ")
	for _, id := range []string{"admin.exchange.where.event", "admin.type.event", "admin.nav.event", "admin.new.event", "admin.field.held_in"} {
		if !strings.Contains(msgs, id) {
			t.Errorf("event messages lack %s", id)
		}
	}
	if refs := Types.Referring(CityType); len(refs) != 2 || refs[0].Type != EventType {
		t.Errorf("references to cities: %v", refs)
	}
}

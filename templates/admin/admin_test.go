package admin

import (
	"context"
	"strings"
	"testing"

	"twintowns/internal/locale"
	"twintowns/internal/twinning"
)

func TestFormHelpers(t *testing.T) {
	a := twinning.Fact("a")
	f := Form{Errors: twinning.FieldErrors{a: "validation.required"}}
	if got := describedBy(f, a, true); got != "a-hint a-error" {
		t.Errorf("describedBy = %q", got)
	}
	if got := describedBy(f, twinning.Fact("b"), false); got != "" {
		t.Errorf("describedBy without hint or error = %q", got)
	}
	if r := withRows(nil); r["rows"] != "6" {
		t.Error("default rows")
	}
	if r := withRows(map[string]any{"rows": "2"}); r["rows"] != "2" {
		t.Error("rows override")
	}
	f.Errors[twinning.TextKey("name", "sv")] = "x"
	f.Errors[twinning.RowKey("link_url", 1)] = "x"
	if keys := errorKeys(f); len(keys) != 3 || keys[0] != a || keys[2].Lang != "sv" {
		t.Errorf("errorKeys = %v", keys)
	}
}

func TestFieldNames(t *testing.T) {
	b, err := locale.Load()
	if err != nil {
		t.Fatal(err)
	}
	ctx := locale.WithTranslator(context.Background(), b.For("fi"))
	if got := fieldName(ctx, twinning.TextKey("name", "sv")); got != "Nimi (kieli: ruotsi)" {
		t.Errorf("fieldName(name_sv) = %q", got)
	}
	if got := fieldName(ctx, twinning.RowKey("link_url", 3)); got != b.For("fi").T("admin.field.link_url") {
		t.Errorf("fieldName(link_url_3) = %q", got)
	}
	langs := []LangState{{Lang: "sv"}, {Lang: "it"}, {Lang: "pl"}, {Lang: "fi"}}
	opts := translatedFrom(ctx, langs, "fi")
	if len(opts) != 4 || opts[0].Value != "" {
		t.Errorf("translatedFrom = %v", opts)
	}
}

// The facts form renders every kind of fact as its input: text inputs with the right input
// mode, a select of choices, a tick box, two inputs for coordinates, a drop-down of entries
// for a reference and tick boxes for a reference to several, each with its value kept.
func TestFactInputsByKind(t *testing.T) {
	b, err := locale.Load()
	if err != nil {
		t.Fatal(err)
	}
	ctx := locale.WithTranslator(context.Background(), b.For("fi"))
	fact := func(f twinning.FactField, opts ...Option) FactInput {
		return FactInput{Fact: f, Keys: f.Keys(0), Options: opts}
	}
	ref := []Option{{"7", "Pescantina"}, {"8", "Dasing"}}
	v := FactsView{Groups: []FactGroup{{LegendID: "admin.group.facts", Inputs: []FactInput{
		fact(twinning.FactField{Key: "slug", Kind: twinning.FactSlug}),
		fact(twinning.FactField{Key: "date", Kind: twinning.FactDate}),
		fact(twinning.FactField{Key: "population", Kind: twinning.FactNumber}),
		fact(twinning.FactField{Key: "link_url", Kind: twinning.FactURL}),
		fact(twinning.FactField{Key: "wikidata_id", Kind: twinning.FactText}),
		fact(twinning.FactField{Key: "kind", Kind: twinning.FactChoice, Choices: []string{"twin", "partner"}}, Option{"twin", "Ystävyyskaupunki"}, Option{"partner", "Yhteistyökaupunki"}),
		fact(twinning.FactField{Key: "population_approx", Kind: twinning.FactBoolean}),
		fact(twinning.FactField{Key: "coordinates", Kind: twinning.FactCoordinates}),
		fact(twinning.FactField{Key: "held_in", Kind: twinning.FactReference}, append([]Option{{"", "(ei mikään)"}}, ref...)...),
		fact(twinning.FactField{Key: "cities", Kind: twinning.FactReference, Many: true}, ref...),
	}}}}
	form := Form{Values: map[twinning.FieldKey]string{twinning.Fact("slug"): "juhla", twinning.Fact("date"): "1999/2000",
		twinning.Fact("kind"): "twin", twinning.Fact("population_approx"): "on", twinning.Fact("held_in"): "8",
		twinning.Fact("cities"): "7 8", {Field: "coordinates", Part: twinning.PartLatitude}: "52.17"}}
	var buf strings.Builder
	if err := Facts(form, v).Render(ctx, &buf); err != nil {
		t.Fatal(err)
	}
	html := buf.String()
	for _, want := range []string{
		`name="slug" value="juhla"`, `autocomplete="off"`,
		`name="date" value="1999/2000" inputmode="numeric"`,
		`name="population" value="" inputmode="numeric"`,
		`name="link_url" value="" inputmode="url"`,
		`<select id="kind" name="kind"><option value="twin" selected>Ystävyyskaupunki</option>`,
		`type="checkbox" id="population_approx" name="population_approx" checked`,
		`name="coordinates_latitude" value="52.17" inputmode="decimal"`,
		`name="coordinates_longitude" value="" inputmode="decimal"`,
		`<option value="8" selected>Dasing</option>`,
		`name="cities" value="7" checked`, `name="cities" value="8" checked`,
	} {
		if !strings.Contains(html, want) {
			t.Errorf("no %s in\n%s", want, html)
		}
	}
}

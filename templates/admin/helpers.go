package admin

import (
	"cmp"
	"context"
	"slices"
	"strconv"
	"strings"

	"github.com/a-h/templ"

	"twintowns/internal/geo"
	"twintowns/internal/locale"
	"twintowns/internal/twinning"
	"twintowns/templates/components"
)

// errorKeys lists the fields with errors in a stable order: facts, rows, then texts by
// language.
func errorKeys(f Form) []twinning.FieldKey {
	keys := make([]twinning.FieldKey, 0, len(f.Errors))
	for k := range f.Errors {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b twinning.FieldKey) int {
		return cmp.Or(cmp.Compare(a.Lang, b.Lang), cmp.Compare(a.Row, b.Row), cmp.Compare(a.Field, b.Field))
	})
	return keys
}

// fieldName is the label of a field, with its language for translatable ones.
func fieldName(ctx context.Context, k twinning.FieldKey) string {
	return FieldLabel(locale.From(ctx), k)
}

// FieldLabel is the label of a field in t's language: "Nimi (kieli: ruotsi)", "Linkin osoite".
func FieldLabel(t *locale.Translator, k twinning.FieldKey) string {
	label := t.T("admin.field." + cmp.Or(k.Part, k.Field)) // a part of a fact: "Latitude"
	if k.Lang != "" {
		return t.T("admin.field.in_language", "Field", label, "Language", t.Language(k.Lang))
	}
	return label
}

func isRequired(required []string, lang string) bool { return slices.Contains(required, lang) }

// translatedFrom offers the languages a text in lang can be a translation of.
func translatedFrom(ctx context.Context, langs []LangState, lang string) []Option {
	t := locale.From(ctx)
	opts := []Option{{"", t.T("admin.translated_from.original")}}
	for _, l := range langs {
		if l.Lang != lang {
			opts = append(opts, Option{l.Lang, t.Language(l.Lang)})
		}
	}
	return opts
}

// KindOptions are the kinds of partnership, named in the staff's language.
func KindOptions(ctx context.Context) []Option {
	t := locale.From(ctx)
	return []Option{{"twin", t.T("city.kind.twin")}, {"partner", t.T("city.kind.partner")}}
}

// StatusOptions are the states of a partnership, named in the staff's language.
func StatusOptions(ctx context.Context) []Option {
	t := locale.From(ctx)
	return []Option{{"unknown", t.T("city.status.unknown")}, {"active", t.T("city.status.active")},
		{"suspended", t.T("city.status.suspended")}, {"ended", t.T("city.status.ended")}}
}

// withRows gives a text area six rows unless attrs say otherwise.
func withRows(attrs templ.Attributes) templ.Attributes {
	out := templ.Attributes{"rows": "6"}
	for k, v := range attrs {
		out[k] = v
	}
	return out
}

// rowsOf is the height of a field's text area.
func rowsOf(f twinning.TextField) string {
	if f.Rows == 0 {
		return "6"
	}
	return strconv.Itoa(f.Rows)
}

// langOptions names languages in the staff's language.
func langOptions(ctx context.Context, langs []string) []Option {
	t := locale.From(ctx)
	out := make([]Option, len(langs))
	for i, l := range langs {
		out[i] = Option{l, t.Language(l)}
	}
	return out
}

// langList is a list of language names: "suomi, ruotsi".
func langList(ctx context.Context, langs []string) string {
	names := make([]string, len(langs))
	for i, o := range langOptions(ctx, langs) {
		names[i] = o.Label
	}
	return strings.Join(names, ", ")
}

// stateOptions are the translation states, for a filter.
func stateOptions(ctx context.Context) []Option {
	t := locale.From(ctx)
	var out []Option
	for _, s := range States() {
		out = append(out, Option{string(s), t.T("admin.translation." + string(s))})
	}
	return out
}

func itoa(i int) string { return strconv.Itoa(i) }

// inputAttrs are the attributes of a text input of a fact's kind.
func inputAttrs(f twinning.FactField) templ.Attributes {
	a := templ.Attributes{}
	switch f.Kind {
	case twinning.FactNumber:
		a["inputmode"] = "decimal"
		if !f.Decimals {
			a["inputmode"] = "numeric"
		}
	case twinning.FactDate:
		a["inputmode"] = "numeric"
	case twinning.FactURL:
		a["inputmode"] = "url"
	case twinning.FactSlug:
		a["required"], a["autocomplete"] = true, "off"
	}
	if f.MaxLen > 0 && f.MaxLen <= 10 {
		a["size"] = strconv.Itoa(f.MaxLen + 1)
	}
	return a
}

// docMeta is what the list of a city's documents says of one in brackets: its format and
// size, or that its file is not stored ("DOC, file not stored").
func docMeta(ctx context.Context, d DocumentRow) string {
	t := locale.From(ctx)
	if !d.Present {
		return components.FormatName(d.Format) + ", " + t.T("admin.doc.no_file")
	}
	return components.FormatName(d.Format) + ", " + components.SizeText(t, d.Size)
}

// hasRef reports whether a reference fact's value (ids separated by spaces) holds id.
func hasRef(value, id string) bool { return slices.Contains(strings.Fields(value), id) }

// rowLabel names an entry with what tells it apart from others of its name, where there is
// something: "Tekst umowy o współpracy, Dasing".
func rowLabel(name, detail string) string {
	if detail == "" {
		return name
	}
	return name + ", " + detail
}

// placeDetail tells a place of the gazetteer from its namesakes: its region, population and
// coordinates.
func placeDetail(ctx context.Context, p geo.Place) string {
	t := locale.From(ctx)
	coords := strconv.FormatFloat(p.Lat, 'f', -1, 64) + ", " + strconv.FormatFloat(p.Lon, 'f', -1, 64)
	if p.Population > 0 {
		return t.T("admin.place.detail", "Region", cmp.Or(p.Region, "–"), "Population", t.N("admin.place.population", p.Population), "Coordinates", coords)
	}
	return t.T("admin.place.detail", "Region", cmp.Or(p.Region, "–"), "Population", t.T("admin.place.population_unknown"), "Coordinates", coords)
}

// placeLabel names a place of the gazetteer with its region.
func placeLabel(ctx context.Context, p geo.Place) string {
	if p.Region == "" {
		return p.Name
	}
	return locale.From(ctx).T("admin.place.label", "Name", p.Name, "Region", p.Region)
}

package admin

import (
	"strconv"

	"context"
	"github.com/a-h/templ"
	"slices"
	"strings"

	"twintowns/internal/locale"
	"twintowns/internal/twinning"
)

// errorNames lists the fields with errors in the order of the form.
func errorNames(f Form) []string {
	var names []string
	for n := range f.Errors {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// fieldName is the label of a form field, with its language for per-language fields.
func fieldName(ctx context.Context, name string) string {
	t := locale.From(ctx)
	for _, l := range twinning.Languages {
		if base, ok := strings.CutSuffix(name, "_"+l); ok {
			return t.T("admin.field."+base) + " (" + t.Language(l) + ")"
		}
	}
	for _, f := range []string{"kind", "lang", "url", "label"} {
		if strings.HasPrefix(name, "link_"+f+"_") {
			return t.T("admin.field.link_" + f)
		}
	}
	return t.T("admin.field." + name)
}

func isRequired(required []string, lang string) bool { return slices.Contains(required, lang) }

// translatedFrom offers the languages a text in lang can be a translation of.
func translatedFrom(ctx context.Context, lang string) []Option {
	t := locale.From(ctx)
	opts := []Option{{"", t.T("admin.translated_from.original")}}
	for _, l := range twinning.Languages {
		if l != lang {
			opts = append(opts, Option{l, t.Language(l)})
		}
	}
	return opts
}

func firstTitle(a twinning.Attachment) string {
	for _, l := range twinning.Languages {
		if a.Titles[l] != "" {
			return a.Titles[l]
		}
	}
	return a.Slug
}

// withRows gives a text area six rows unless attrs say otherwise.
func withRows(attrs templ.Attributes) templ.Attributes {
	out := templ.Attributes{"rows": "6"}
	for k, v := range attrs {
		out[k] = v
	}
	return out
}

// plusOne is a row index counted from one, for people.
func plusOne(i string) string {
	n, _ := strconv.Atoi(i)
	return strconv.Itoa(n + 1)
}

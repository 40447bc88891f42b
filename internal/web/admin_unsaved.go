package web

import (
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"twintowns/internal/locale"
	"twintowns/internal/twinning"
	"twintowns/templates/admin"
)

// A form posted while the database does not answer cannot even be checked against the
// person's session. It is not saved, and not lost either: the page says so and holds every
// value the person typed in a form that sends them again, unchanged, when they try again.

// controlFields are the inputs the person did not type: they travel hidden.
var controlFields = []string{"version", "rows", "action", "from", "data", "name"}

var rowInput = regexp.MustCompile(`^(.+)_([0-9]+)$`)

// unsavedForm answers a POST the database could not take with the form's values.
func (s *Server) unsavedForm(w http.ResponseWriter, r *http.Request) {
	tr, ok := locale.Lookup(r.Context())
	if !ok {
		tr = s.locales.For(requestLang(r, s.locales.Languages(), s.locales.Languages()[0]))
	}
	names := make([]string, 0, len(r.PostForm))
	for name := range r.PostForm {
		names = append(names, name)
	}
	slices.Sort(names)
	var fields []admin.UnsavedField
	for _, name := range names {
		if strings.HasPrefix(name, "password") {
			continue // never echo a password
		}
		for _, v := range r.PostForm[name] {
			hidden := slices.Contains(controlFields, name) || strings.HasPrefix(name, "rows_")
			fields = append(fields, admin.UnsavedField{Name: name, Value: v, Hidden: hidden,
				Label: admin.FieldLabel(tr, s.inputKey(name))})
		}
	}
	ctx := locale.WithTranslator(r.Context(), tr)
	f := admin.Frame{Lang: tr.Lang, Languages: s.locales.Languages(), Title: tr.T("admin.save_failed.title"),
		Stylesheet: s.assets.url("css/site.css"), Path: r.URL.RequestURI()}
	w.Header().Set("Retry-After", retryAfter)
	s.page(w, r.WithContext(ctx), http.StatusServiceUnavailable, admin.UnsavedPage(f, r.URL.RequestURI(), fields))
}

// inputKey reads an input's name back into the field it stands for, for its label.
func (s *Server) inputKey(name string) twinning.FieldKey {
	for _, l := range s.locales.Languages() {
		if field, ok := strings.CutSuffix(name, "_"+l); ok {
			return twinning.TextKey(field, l)
		}
	}
	if m := rowInput.FindStringSubmatch(name); m != nil {
		i, _ := strconv.Atoi(m[2])
		return twinning.RowKey(m[1], i)
	}
	for _, part := range twinning.CoordinateParts {
		if field, ok := strings.CutSuffix(name, "_"+part); ok {
			return twinning.FieldKey{Field: field, Part: part}
		}
	}
	return twinning.Fact(name)
}

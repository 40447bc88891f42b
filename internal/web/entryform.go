package web

import (
	"cmp"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"twintowns/internal/locale"
	"twintowns/internal/twinning"
	"twintowns/templates/admin"
)

// The edit form of any entry: facts by the type's fact names, rows of its list, and per
// language of the site each translatable field with translated_from and the "checked" marks.
// Field keys become input names only through twinning.FieldKey.String.

// maxRows bounds the rows of a list a form can send.
const maxRows = 100

// blankRows is how many empty rows the form offers for new ones.
const blankRows = 2

// readEntry reads a posted form into the form as typed and the entry it describes: every
// declared fact by its keys (the ticked boxes of a reference to several entries together),
// every row of a list that holds something, the texts of every language of the site.
func readEntry(t *twinning.Type, site twinning.Site, form url.Values) (admin.Form, twinning.Entry) {
	f := admin.Form{Values: map[twinning.FieldKey]string{}, Rows: map[string]int{}}
	keep := func(k twinning.FieldKey) {
		if v := form.Get(k.String()); v != "" {
			f.Values[k] = v
		}
	}
	fact := func(fd twinning.FactField, from, to int) {
		for i, k := range fd.Keys(from) {
			v := form.Get(k.String())
			if fd.Kind == twinning.FactReference {
				v = strings.Join(form[k.String()], " ")
			}
			if v != "" {
				f.Values[fd.Keys(to)[i]] = v
			}
		}
	}
	keep(twinning.Fact("version"))
	for _, fd := range t.Facts {
		fact(fd, 0, 0)
	}
	for _, l := range t.Lists {
		rows, _ := strconv.Atoi(form.Get(rowsKey(l).String()))
		rows = min(max(rows, 0), maxRows)
		for i := range rows + blankRows {
			empty := true // a choice always has a value: a row counts by its other facts
			for _, fd := range l.Facts {
				for _, k := range fd.Keys(i + 1) {
					empty = empty && (fd.Kind == twinning.FactChoice || strings.TrimSpace(form.Get(k.String())) == "")
				}
			}
			if empty {
				continue // an empty row, or one the person cleared
			}
			f.Rows[l.Key]++
			for _, fd := range l.Facts {
				fact(fd, i+1, f.Rows[l.Key])
			}
		}
	}
	for _, lang := range site.Languages {
		for _, fd := range t.Fields {
			keep(twinning.TextKey(fd.Key, lang))
			keep(twinning.TextKey("checked_"+fd.Key, lang))
		}
		keep(twinning.TextKey("translated_from", lang))
		keep(twinning.TextKey("reviewed", lang))
	}
	return f, entryOf(t, site, f)
}

// rowsKey is the hidden input that tells how many rows of a list the form holds.
func rowsKey(l twinning.List) twinning.FieldKey { return twinning.FieldKey{Field: "rows", Part: l.Key} }

// entryOf is the entry a form describes.
func entryOf(t *twinning.Type, site twinning.Site, f admin.Form) twinning.Entry {
	e := twinning.Entry{Type: t, Facts: map[twinning.FieldKey]string{}, Texts: map[string]twinning.Text{}}
	e.Version, _ = strconv.Atoi(f.V(twinning.Fact("version")))
	for k, v := range f.Values {
		if k.Lang == "" && k.Field != "version" {
			e.Facts[k] = v
		}
	}
	for _, lang := range site.Languages {
		x := twinning.Text{Lang: lang, Fields: map[string]string{}, TranslatedFrom: f.V(twinning.TextKey("translated_from", lang))}
		for _, fd := range t.Fields {
			v := f.V(twinning.TextKey(fd.Key, lang))
			if fd.Kind == twinning.FieldLine {
				v = strings.TrimSpace(v)
			}
			x.Fields[fd.Key] = v
		}
		if !x.Empty() {
			e.Texts[lang] = x
		}
	}
	return e
}

// formOf is the form of a stored entry.
func formOf(e twinning.Entry) admin.Form {
	f := admin.Form{Values: fieldsOf(e), Rows: map[string]int{}}
	f.Values[twinning.Fact("version")] = strconv.Itoa(e.Version)
	for _, l := range e.Type.Lists {
		f.Rows[l.Key] = len(e.Rows(l.Key))
	}
	return f
}

// fieldsOf flattens an entry into the values of its form: what a conflict and a revision
// compare.
func fieldsOf(e twinning.Entry) map[twinning.FieldKey]string {
	v := map[twinning.FieldKey]string{}
	for k, x := range e.Facts {
		if x != "" {
			v[k] = x
		}
	}
	for lang, t := range e.Texts {
		for k, x := range t.Fields {
			if x != "" {
				v[twinning.TextKey(k, lang)] = x
			}
		}
		if t.TranslatedFrom != "" {
			v[twinning.TextKey("translated_from", lang)] = t.TranslatedFrom
		}
	}
	return v
}

// formDiff returns, for every field whose value differs between two forms, the value in
// theirs: what the conflict page shows beside the person's own value.
func formDiff(mine, theirs map[twinning.FieldKey]string) map[twinning.FieldKey]string {
	d := map[twinning.FieldKey]string{}
	for k, t := range theirs {
		if mine[k] != t {
			d[k] = t
		}
	}
	for k := range mine {
		if _, ok := theirs[k]; !ok {
			d[k] = ""
		}
	}
	return d
}

// changesOf lists the fields that differ between two states of an entry, with word diffs,
// in the order of the form; references show the names of the entries (refs, by id).
func changesOf(tr *locale.Translator, t *twinning.Type, site twinning.Site, old, now twinning.Entry, refs map[string]string) []admin.Change {
	o, n := fieldsOf(old), fieldsOf(now)
	for _, f := range t.Facts {
		if f.Kind == twinning.FactReference {
			k := twinning.Fact(f.Key)
			o[k], n[k] = refText(o[k], refs), refText(n[k], refs)
		}
	}
	keys := make([]twinning.FieldKey, 0)
	for k := range formDiff(n, o) {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b twinning.FieldKey) int {
		return cmp.Or(cmp.Compare(fieldOrder(t, site, a), fieldOrder(t, site, b)), cmp.Compare(a.Row, b.Row),
			cmp.Compare(a.Field, b.Field), cmp.Compare(a.Lang, b.Lang))
	})
	var changes []admin.Change
	for _, k := range keys {
		label := admin.FieldLabel(tr, k)
		if l, ok := listOf(t, k.Field); ok {
			label = tr.T("admin.row."+l.Key, "N", strconv.Itoa(k.Row)) + ": " + label
		}
		before, after := wordDiff(o[k], n[k])
		changes = append(changes, admin.Change{Field: label, Old: before, New: after})
	}
	return changes
}

// fieldOrder is where a field stands in the form: facts, rows, then texts by language.
func fieldOrder(t *twinning.Type, site twinning.Site, k twinning.FieldKey) int {
	switch {
	case k.Lang != "":
		li := slices.Index(site.Languages, k.Lang)
		if li < 0 {
			li = len(site.Languages)
		}
		fi := slices.IndexFunc(t.Fields, func(f twinning.TextField) bool { return f.Key == k.Field })
		if fi < 0 {
			fi = len(t.Fields)
		}
		return 10_000 + li*100 + fi
	case k.Row > 0:
		l, _ := listOf(t, k.Field)
		return 5_000 + slices.IndexFunc(l.Facts, func(f twinning.FactField) bool { return f.Key == k.Field })
	}
	return slices.IndexFunc(t.Facts, func(f twinning.FactField) bool { return f.Key == k.Field })
}

// listOf returns the list a row's fact belongs to.
func listOf(t *twinning.Type, field string) (twinning.List, bool) {
	for _, l := range t.Lists {
		if slices.ContainsFunc(l.Facts, func(f twinning.FactField) bool { return f.Key == field }) {
			return l, true
		}
	}
	return twinning.List{}, false
}

// refText is a reference's value (ids) as the names of the entries it points to.
func refText(ids string, refs map[string]string) string {
	var names []string
	for _, id := range strings.Fields(ids) {
		names = append(names, cmp.Or(refs[id], id))
	}
	return strings.Join(names, ", ")
}

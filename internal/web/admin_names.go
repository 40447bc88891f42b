package web

import (
	"strings"

	"twintowns/internal/locale"
	"twintowns/internal/twinning"
	"twintowns/templates/components"
)

// entryNames names a site's entries as people know them: by their name in the staff's
// language, and beside it what tells entries of one name apart: the entry they belong to (a
// document's city) and the facts their type describes them by (an event's date).
type entryNames struct {
	tr    *locale.Translator
	site  twinning.Site
	byRef map[entryRef]twinning.Entry
}

// entryRef is an entry of any type: its type's name and its id.
type entryRef struct {
	typ string
	id  int64
}

func newEntryNames(tr *locale.Translator, site twinning.Site, entries []siteEntry) entryNames {
	n := entryNames{tr: tr, site: site, byRef: make(map[entryRef]twinning.Entry, len(entries))}
	for _, x := range entries {
		n.byRef[entryRef{x.ct.Name, x.e.ID}] = x.e
	}
	return n
}

// name is the entry's name in the staff's language, else in the first of the site's
// languages that has one.
func (n entryNames) name(e twinning.Entry) string {
	return e.Name(n.tr.Lang, n.site.Languages)
}

// detail is what tells the entry apart from others of its name: "Dasing" for a document of
// Dasing, "10 czerwca 1999" for an event of that day; "" for a type that declares nothing.
func (n entryNames) detail(e twinning.Entry) string {
	var parts []string
	if p := e.Type.Parent; p != nil {
		if parent, ok := n.byRef[entryRef{p.Name, e.Parent}]; ok {
			parts = append(parts, n.name(parent))
		}
	}
	for _, k := range e.Type.Staff.Describe {
		fd, _ := e.Type.FactField(k)
		v, ok := e.Value(k)
		switch {
		case !ok:
		case fd.Kind == twinning.FactDate:
			parts = append(parts, components.DateText(n.tr, v.Date))
		default:
			parts = append(parts, cellText(n.tr, e, k, nil))
		}
	}
	return strings.Join(parts, ", ")
}

// entry returns a site's entry by its type and id.
func (n entryNames) entry(typ string, id int64) (twinning.Entry, bool) {
	e, ok := n.byRef[entryRef{typ, id}]
	return e, ok
}

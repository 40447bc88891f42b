package web

import (
	"net/http"
	"slices"
	"strings"

	"github.com/a-h/templ"
	"github.com/go-chi/chi/v5"

	"twintowns/internal/locale"
	"twintowns/internal/twinning"
	"twintowns/templates/components"
	"twintowns/templates/layout"
	"twintowns/templates/pages"
)

// The public pages of every type with generic pages (twinning.Public): a list by date and a
// page per entry, made from the declaration; the product's own pages (home, cities) list the
// entries that refer to them.

// entryPath is the site-relative path (after the language) of an entry's public page.
func entryPath(t *twinning.Type, slug string) string { return "/" + t.Public.Path + "/" + slug }

// entryListPage lists the published entries of t.
func (s *Server) entryListPage(t *twinning.Type) build {
	return func(r *http.Request) (templ.Component, error) {
		p, c, err := s.pageFrame(r, "/"+t.Public.Path)
		if err != nil {
			return nil, err
		}
		tr := locale.From(r.Context())
		p.Title = tr.T("entry.title", "Name", tr.T(t.Name+".list.title"), "Site", p.SiteName)
		p.Description = p.Title
		return pages.EntryListPage(p, pages.EntryList{Type: t, Items: entryItems(p.Lang, c, c.Entries[t])}), nil
	}
}

// entryPage shows one published entry of t.
func (s *Server) entryPage(t *twinning.Type) build {
	return func(r *http.Request) (templ.Component, error) {
		slug := chi.URLParam(r, "slug")
		p, c, err := s.pageFrame(r, entryPath(t, slug))
		if err != nil {
			return nil, err
		}
		e, err := c.Entry(t, slug)
		if err != nil {
			return nil, err
		}
		return s.entryPageOf(r, p, c, e), nil
	}
}

// entryPageOf is the page of e (published, or a working copy in a preview).
func (s *Server) entryPageOf(r *http.Request, p layout.Page, c twinning.Content, e twinning.Entry) templ.Component {
	tr := locale.From(r.Context())
	v := entryView(p.Lang, c, e)
	p.Path = entryPath(e.Type, e.Text("slug"))
	p.Title = tr.T("entry.title", "Name", v.Name, "Site", p.SiteName)
	p.Description = components.Summary(strings.Join(v.Body, " "), 160)
	if e.Type.Public.Schema == "Event" {
		p.MainEntity = eventLD(p, c, e, v, tr)
	}
	return pages.EntryPage(p, v)
}

// entryView is what the page of e shows in lang: the date, every other filled fact (references
// as links to the pages of the entries they point to), short texts as facts, long texts.
func entryView(lang string, c twinning.Content, e twinning.Entry) pages.EntryView {
	text, ok := e.TextIn(lang, c.Site)
	v := pages.EntryView{Type: e.Type, Name: text.Fields[e.Type.NameField()], Lang: text.Lang, TextOK: ok,
		From: text.TranslatedFrom}
	if d, ok := e.Date(e.Type.Public.Date); ok {
		v.Date = &d
	}
	for _, f := range e.Type.Facts {
		if f.Kind == twinning.FactSlug || f.Key == e.Type.Public.Date {
			continue
		}
		fv := pages.FactView{LabelID: e.Type.Name + ".fact." + f.Key}
		for _, id := range e.Refs(f.Key) {
			if x, ok := refValue(lang, c, f.Ref, id); ok {
				fv.Values = append(fv.Values, x)
			}
		}
		if f.Kind != twinning.FactReference && e.Facts[twinning.Fact(f.Key)] != "" {
			fv.Values = append(fv.Values, pages.ValueView{Text: e.Facts[twinning.Fact(f.Key)]})
		}
		if len(fv.Values) > 0 {
			v.Facts = append(v.Facts, fv)
		}
	}
	for _, f := range e.Type.Fields {
		x := strings.TrimSpace(text.Fields[f.Key])
		switch {
		case f.Names || x == "":
		case f.Kind == twinning.FieldLine:
			v.Facts = append(v.Facts, pages.FactView{LabelID: e.Type.Name + ".fact." + f.Key, Values: []pages.ValueView{{Text: x}}})
		default:
			v.Body = append(v.Body, x)
		}
	}
	return v
}

// refValue is a published entry of type t (a city, or an entry of a type with pages) as a
// link named in lang; false when it is not published.
func refValue(lang string, c twinning.Content, t *twinning.Type, id int64) (pages.ValueView, bool) {
	if t == twinning.CityType {
		city, ok := c.CityByID(id)
		if !ok {
			return pages.ValueView{}, false
		}
		text, _ := city.Text(lang, c.Site)
		return pages.ValueView{Text: text.Name, Lang: text.Lang, Href: layout.Href(lang, "/cities/"+city.Slug)}, true
	}
	i := slices.IndexFunc(c.Entries[t], func(e twinning.Entry) bool { return e.ID == id })
	if i < 0 {
		return pages.ValueView{}, false
	}
	e := c.Entries[t][i]
	text, _ := e.TextIn(lang, c.Site)
	return pages.ValueView{Text: text.Fields[t.NameField()], Lang: text.Lang, Href: layout.Href(lang, entryPath(t, e.Text("slug")))}, true
}

// entryItems are entries as items of a list in lang.
func entryItems(lang string, c twinning.Content, es []twinning.Entry) []pages.EntryItem {
	out := make([]pages.EntryItem, len(es))
	for i, e := range es {
		text, _ := e.TextIn(lang, c.Site)
		out[i] = pages.EntryItem{Name: text.Fields[e.Type.NameField()], Lang: text.Lang,
			Href: layout.Href(lang, entryPath(e.Type, e.Text("slug")))}
		if d, ok := e.Date(e.Type.Public.Date); ok {
			out[i].Date = &d
		}
	}
	return out
}

// related are the published entries that refer to the city, by type, by date.
func related(lang string, c twinning.Content, city twinning.City) []pages.EntryList {
	var out []pages.EntryList
	for _, ref := range twinning.Types.Referring(twinning.CityType) {
		es := c.Referring(ref, city.ID)
		i := slices.IndexFunc(out, func(l pages.EntryList) bool { return l.Type == ref.Type })
		if i < 0 {
			out = append(out, pages.EntryList{Type: ref.Type})
			i = len(out) - 1
		}
		for _, item := range entryItems(lang, c, es) {
			if !slices.ContainsFunc(out[i].Items, func(x pages.EntryItem) bool { return x.Href == item.Href }) {
				out[i].Items = append(out[i].Items, item)
			}
		}
	}
	out = slices.DeleteFunc(out, func(l pages.EntryList) bool { return len(l.Items) == 0 })
	for _, l := range out {
		slices.SortStableFunc(l.Items, func(a, b pages.EntryItem) int {
			if a.Date == nil || b.Date == nil {
				return 0
			}
			return a.Date.Compare(*b.Date)
		})
	}
	return out
}

// datedEntries are the published entries of every type with a public date, as entries of the
// home page's timeline.
func datedEntries(lang string, c twinning.Content) []components.TimelineEntry {
	var out []components.TimelineEntry
	for _, t := range twinning.Types.Public() {
		if t.Public.Date == "" {
			continue
		}
		for _, it := range entryItems(lang, c, c.Entries[t]) {
			if it.Date != nil {
				out = append(out, components.EventEntry(it.Name, it.Lang, it.Href, t.Name, *it.Date))
			}
		}
	}
	return out
}

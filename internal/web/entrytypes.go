package web

import (
	"cmp"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/a-h/templ"

	"twintowns/internal/locale"
	"twintowns/internal/twinning"
	"twintowns/templates/admin"
	"twintowns/templates/layout"
	"twintowns/templates/pages"
)

// The staff screens of every type (list, edit, preview, history, revision, restore, trash,
// conflict) are written once, in admin_entry.go, and made from the type's declaration in
// twinning.Types: its facts form, list columns, filters, menu entry and titles. What the
// staff area adds here is only what its own pages are: the previews of the product's own
// public pages (cities, the site's texts) and the documents of an entry.

// factsForm is the facts part of the form of an entry of t: every fact an input of its kind;
// references offer the site's entries of the type they point to.
func (s *Server) factsForm(r *http.Request, t *twinning.Type, f admin.Form, picker admin.PlacePicker) (templ.Component, error) {
	if len(t.Facts)+len(t.Lists) == 0 {
		return nil, nil
	}
	v := admin.FactsView{NameField: t.NameField(), Picker: picker}
	for _, fd := range t.Facts {
		in, err := s.factInput(r, fd, 0)
		if err != nil {
			return nil, err
		}
		group := "admin.group." + cmp.Or(fd.Group, "facts")
		i := slices.IndexFunc(v.Groups, func(g admin.FactGroup) bool { return g.LegendID == group })
		if i < 0 {
			v.Groups = append(v.Groups, admin.FactGroup{LegendID: group})
			i = len(v.Groups) - 1
		}
		v.Groups[i].Inputs = append(v.Groups[i].Inputs, in)
		v.Groups[i].Open = v.Groups[i].Open || hasError(f, in.Keys...) ||
			fd.Kind == twinning.FactCoordinates && (picker.Searched || picker.Chosen != nil)
	}
	for _, l := range t.Lists {
		fl := admin.FactList{Key: l.Key, CountKey: rowsKey(l)}
		for i := range f.Rows[l.Key] + blankRows {
			var row []admin.FactInput
			for _, fd := range l.Facts {
				in, err := s.factInput(r, fd, i+1)
				if err != nil {
					return nil, err
				}
				row = append(row, in)
				fl.Open = fl.Open || hasError(f, in.Keys...)
			}
			fl.Rows = append(fl.Rows, row)
		}
		v.Lists = append(v.Lists, fl)
	}
	return admin.Facts(f, v), nil
}

// hasError reports whether any of the keys has an error in the form.
func hasError(f admin.Form, keys ...twinning.FieldKey) bool {
	for _, k := range keys {
		if f.Err(k) != "" {
			return true
		}
	}
	return false
}

// factInput is the input of a fact of row (0: of the entry), with its options.
func (s *Server) factInput(r *http.Request, fd twinning.FactField, row int) (admin.FactInput, error) {
	in := admin.FactInput{Fact: fd, Keys: fd.Keys(row)}
	tr := locale.From(r.Context())
	switch {
	case fd.Kind == twinning.FactChoice:
		in.Options = choiceOptions(tr, fd)
	case fd.Options == twinning.OptionsCountries:
		in.Options = []admin.Option{{Value: "", Label: tr.T("admin.choose")}}
		for _, c := range tr.Countries() {
			in.Options = append(in.Options, admin.Option{Value: c.Code, Label: c.Name})
		}
	case fd.Kind == twinning.FactReference:
		opts, err := s.refOptions(r, fd)
		if err != nil {
			return in, err
		}
		in.Options = opts
		if !fd.Many {
			in.Options = append([]admin.Option{{Value: "", Label: tr.T("admin.reference.none")}}, opts...)
		}
	}
	return in, nil
}

// choiceOptions are a choice's values named in the staff's language.
func choiceOptions(tr *locale.Translator, fd twinning.FactField) []admin.Option {
	out := make([]admin.Option, len(fd.Choices))
	for i, c := range fd.Choices {
		out[i] = admin.Option{Value: c, Label: choiceLabel(tr, fd, c)}
	}
	return out
}

func choiceLabel(tr *locale.Translator, fd twinning.FactField, value string) string {
	if fd.Labels == "" {
		return value
	}
	return tr.T(fd.Labels + value)
}

// refOptions are the site's entries a reference can point to (not those in the trash), by
// name in the staff's language.
func (s *Server) refOptions(r *http.Request, fd twinning.FactField) ([]admin.Option, error) {
	es, err := s.admin.Entries(r.Context(), fd.Ref, adminSite(r).ID, false)
	if err != nil {
		return nil, err
	}
	tr := locale.From(r.Context())
	out := make([]admin.Option, len(es))
	for i, e := range es {
		out[i] = admin.Option{Value: strconv.FormatInt(e.ID, 10), Label: e.Name(tr.Lang, adminSite(r).Languages)}
	}
	return out, nil
}

// cellText is a fact as a cell of a list: by its kind, references by the names of the
// entries they point to (refs names them).
func cellText(tr *locale.Translator, e twinning.Entry, key string, refs map[string]string) string {
	fd, _ := e.Type.FactField(key)
	v, ok := e.Value(key)
	if !ok {
		return ""
	}
	switch fd.Kind {
	case twinning.FactChoice:
		return choiceLabel(tr, fd, v.Text)
	case twinning.FactReference:
		var names []string
		for _, id := range v.Refs {
			names = append(names, refs[strconv.FormatInt(id, 10)])
		}
		return strings.Join(names, ", ")
	}
	return e.Facts[twinning.Fact(key)]
}

// previews are the public pages an entry of t can be previewed as: the product's own pages
// of cities and of the site's texts, the generic page of a type with public pages.
func previews(t *twinning.Type) []admin.Link {
	switch {
	case t == twinning.CityType:
		return []admin.Link{{Href: "/preview", LabelID: "admin.preview.public"}}
	case t == twinning.SiteType:
		return []admin.Link{{Href: "/preview", LabelID: "admin.site.preview_home"},
			{Href: "/preview?page=history", LabelID: "admin.site.preview_history"}}
	case t.Public.Path != "" && !t.Public.Own:
		return []admin.Link{{Href: "/preview", LabelID: "admin.preview.public"}}
	}
	return nil
}

// preview renders the working copy e as its public page (page names one of several).
func (s *Server) preview(r *http.Request, site twinning.Site, e twinning.Entry, page string, p layout.Page) (templ.Component, error) {
	switch t := e.Type; {
	case t == twinning.CityType:
		c := twinning.CityOf(e)
		text, ok := c.Text(p.Lang, site)
		p.Title, p.Path = text.Name, "/cities/"+c.Slug
		published, err := s.content(r.Context(), site)
		if err != nil {
			return nil, err
		}
		return pages.CityPage(p, pages.CityView{City: c, Site: site, Text: text, TextOK: ok,
			Related: related(p.Lang, published, c)}), nil
	case t == twinning.SiteType:
		working := site.WithTexts(e)
		st, ok := working.Text(p.Lang)
		p.SiteName = st.Name
		if page == "history" {
			if !working.HasHistory() {
				return nil, twinning.Errorf(twinning.ENOTFOUND, "site %s has no history", site.Slug)
			}
			p.Path, p.Title = "/history", st.HistoryTitle+" – "+st.Name
			return pages.HistoryPage(p, st, ok), nil
		}
		c, err := s.content(r.Context(), site)
		if err != nil {
			return nil, err
		}
		h := homeView(working, c, p.Lang)
		p.Path, p.Title = "/", locale.From(r.Context()).T(h.HeadingID(), "Site", st.Name)
		return pages.HomePage(p, h), nil
	case t.Public.Path != "" && !t.Public.Own:
		c, err := s.content(r.Context(), site)
		if err != nil {
			return nil, err
		}
		return s.entryPageOf(r, p, c, e), nil
	}
	return nil, twinning.Errorf(twinning.ENOTFOUND, "%s entries have no public page", e.Type.Name)
}

// childrenPage shows an entry's page of the entries of type c that belong to it (a city's
// documents), with what the person typed and why it was refused (errID) after a failed
// upload.
func (s *Server) childrenPage(w http.ResponseWriter, r *http.Request, ct, c *twinning.Type, status int, errID string) error {
	st, err := s.workingEntry(r, ct)
	if err != nil {
		return err
	}
	var body templ.Component
	switch c {
	case twinning.DocumentType:
		body, err = s.cityDocuments(r, st, errID)
	case twinning.PhotoType:
		return s.photosPage(w, r, ct, status, st, nil)
	default:
		err = twinning.Errorf(twinning.ENOTFOUND, "no page of %s entries", c.Name)
	}
	if err != nil {
		return err
	}
	return s.entrySubpage(w, r, ct, status, st, c.Staff.Path, body)
}

// photosPage is an entry's page of its photos (a city's), with the upload form as typed after
// a refused upload (f; nil for none).
func (s *Server) photosPage(w http.ResponseWriter, r *http.Request, ct *twinning.Type, status int, st twinning.Entry, f *admin.Form) error {
	body, err := s.cityPhotos(r, st, f)
	if err != nil {
		return err
	}
	if body == nil {
		body = admin.NoDocumentsYet()
	}
	return s.entrySubpage(w, r, ct, status, st, "photos", body)
}

// entrySubpage renders one of an entry's pages beside its form (page: "documents", "photos"),
// under the entry's header and breadcrumb.
func (s *Server) entrySubpage(w http.ResponseWriter, r *http.Request, ct *twinning.Type, status int, st twinning.Entry, page string, body templ.Component) error {
	tr, site := locale.From(r.Context()), adminSite(r)
	name := st.Name(tr.Lang, site.Languages)
	f := s.frame(r, "admin.entry.title."+page, "Name", name)
	crumbs, err := s.entryCrumbs(r, ct, st, false)
	if err != nil {
		return err
	}
	f.Crumbs = append(f.Crumbs, crumbs...)
	f.Crumbs = append(f.Crumbs, admin.Crumb{Href: s.urls(r).entry(ct, st.ID), Label: name})
	s.page(w, r, status, admin.ChildrenPage(f, s.entryHeader(r, ct, st, name, page), body))
	return nil
}

// handleChildren shows an entry's page of its entries of type c.
func (s *Server) handleChildren(ct, c *twinning.Type) http.HandlerFunc {
	return s.handle(func(w http.ResponseWriter, r *http.Request) error {
		return s.childrenPage(w, r, ct, c, http.StatusOK, "")
	})
}

// cityDocuments lists a city's documents with the upload form; a city never published takes
// documents once it is.
func (s *Server) cityDocuments(r *http.Request, e twinning.Entry, docError string) (templ.Component, error) {
	if e.PublishedAt == nil {
		return admin.NoDocumentsYet(), nil
	}
	docs, err := s.admin.Documents(r.Context(), adminSite(r).ID, e.ID)
	if err != nil {
		return nil, err
	}
	u := s.urls(r)
	tr := locale.From(r.Context())
	rows := make([]admin.DocumentRow, len(docs))
	for i, d := range docs {
		title, _ := d.Title(tr.Lang, adminSite(r))
		if title == "" {
			title = d.Slug
		}
		nested := u.entry(e.Type, e.ID) + "/documents/" + strconv.FormatInt(d.ID, 10)
		action := nested + "/delete"
		if d.DeletedAt != nil {
			action = nested + "/restore"
		}
		rows[i] = admin.DocumentRow{Title: title, Format: d.Format, Size: d.Size, Present: d.Present,
			InTrash: d.DeletedAt != nil, EditURL: u.entry(twinning.DocumentType, d.ID), ActionURL: action}
	}
	return admin.Documents(rows, u.entry(e.Type, e.ID)+"/documents", docError, adminSite(r).Languages), nil
}

// adminURLs builds the staff URLs of a site: the one place that knows their shape.
type adminURLs struct{ site string }

func (s *Server) urls(r *http.Request) adminURLs { return adminURLs{site: adminSite(r).Slug} }

// base is the prefix of the site's staff URLs.
func (u adminURLs) base() string { return "/admin/sites/" + u.site }

// home is the site's staff home: the work waiting on the site.
func (u adminURLs) home() string { return u.base() }

// list is the list of a type's entries.
func (u adminURLs) list(t *twinning.Type) string { return u.base() + "/" + t.Staff.Path }

// entry is the edit form of an entry (of the single entry, for a type with one per site).
func (u adminURLs) entry(t *twinning.Type, id int64) string {
	if t.Single {
		return u.list(t)
	}
	return u.list(t) + "/" + strconv.FormatInt(id, 10)
}

// newEntry is the form of a new entry of a type.
func (u adminURLs) newEntry(t *twinning.Type) string { return u.list(t) + "/new" }

// translations is the site's translation overview; its exports and imports are below it.
func (u adminURLs) translations() string { return u.base() + "/translations" }

// jobs are the site's translation jobs: exports sent to agencies, and imports of their files.
func (u adminURLs) jobs() string { return u.translations() + "/jobs" }

// glossary is the site's glossary, for translations.
func (u adminURLs) glossary() string { return u.translations() + "/glossary" }

// feedback is the site's accessibility feedback.
func (u adminURLs) feedback() string { return u.base() + "/feedback" }

// trash is the site's trash.
func (u adminURLs) trash() string { return u.base() + "/trash" }

// settings are the site's settings: languages, open-data licence, place on the map.
func (u adminURLs) settings() string { return u.base() + "/settings" }

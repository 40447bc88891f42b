package web

import (
	"net/http"
	"strconv"

	"github.com/a-h/templ"

	"twintowns/internal/locale"
	"twintowns/internal/twinning"
	"twintowns/templates/admin"
	"twintowns/templates/components"
	"twintowns/templates/layout"
	"twintowns/templates/pages"
)

// contentType is how the staff area shows one content type. The screens (list, edit,
// preview, history, revision, restore, trash, conflict) are written once, in admin_entry.go;
// this is all a type declares.
type contentType struct {
	t *twinning.Type
	// path is the URL segment of the type under a site; single is set for a type with one
	// entry per site (the site's own texts), whose id is the site's.
	path   string
	single bool
	// creatable types have a list and a form for new entries (documents come by upload).
	creatable bool
	// Message IDs of the titles of its pages.
	newTitle, editTitle, historyTitle string
	// defaults are the facts of a new entry.
	defaults map[twinning.FieldKey]string
	// facts renders the language-neutral part of the form; nil for a type without facts.
	facts func(r *http.Request, f admin.Form) templ.Component
	// after renders what comes below the form (a city's documents); nil for nothing.
	after func(s *Server, r *http.Request, e twinning.Entry, docError string) (templ.Component, error)
	// columns and cells are the type's own columns of the list, filters its filters.
	columns []string
	cells   func(tr *locale.Translator, e twinning.Entry) []string
	filters []filterSpec
	// previews are the public pages the working copy can be previewed as; preview renders
	// one (page is "" for the first).
	previews []admin.Link
	preview  func(s *Server, r *http.Request, site twinning.Site, e twinning.Entry, page string, p layout.Page) (templ.Component, error)
}

// filterSpec narrows a list by the value of a fact.
type filterSpec struct {
	fact    string
	labelID string
	options func(r *http.Request) []admin.Option
}

var (
	cityContent = &contentType{
		t: twinning.CityType, path: "cities", creatable: true,
		newTitle: "admin.city.new", editTitle: "admin.city.edit", historyTitle: "admin.history.title",
		defaults: map[twinning.FieldKey]string{twinning.Fact("kind"): "partner", twinning.Fact("status"): string(twinning.StatusUnknown),
			twinning.Fact("agreement_precision"): "unknown"},
		facts: func(r *http.Request, f admin.Form) templ.Component {
			tr := locale.From(r.Context())
			var countries []admin.Option
			if f.V(twinning.Fact("country")) == "" {
				countries = append(countries, admin.Option{Value: "", Label: tr.T("admin.choose")})
			}
			for _, c := range tr.Countries() {
				countries = append(countries, admin.Option{Value: c.Code, Label: c.Name})
			}
			return admin.CityFacts(f, countries)
		},
		columns: []string{"admin.field.kind", "admin.field.status"},
		cells: func(tr *locale.Translator, e twinning.Entry) []string {
			c, _ := twinning.CityFromEntry(e)
			return []string{components.KindText(tr, c.Kind), components.StatusText(tr, c)}
		},
		filters: []filterSpec{
			{"kind", "admin.field.kind", func(r *http.Request) []admin.Option { return admin.KindOptions(r.Context()) }},
			{"status", "admin.field.status", func(r *http.Request) []admin.Option { return admin.StatusOptions(r.Context()) }},
		},
		previews: []admin.Link{{Href: "/preview", LabelID: "admin.city.preview_public"}},
		preview: func(s *Server, r *http.Request, site twinning.Site, e twinning.Entry, _ string, p layout.Page) (templ.Component, error) {
			c, _ := twinning.CityFromEntry(e)
			text, ok := c.Text(p.Lang, site)
			p.Title, p.Path = text.Name, "/cities/"+c.Slug
			return pages.CityPage(p, pages.CityView{City: c, Site: site, Text: text, TextOK: ok}), nil
		},
	}

	siteContent = &contentType{
		t: twinning.SiteType, path: "texts", single: true,
		newTitle: "admin.site.title", editTitle: "admin.site.title", historyTitle: "admin.site.history",
		previews: []admin.Link{{Href: "/preview", LabelID: "admin.site.preview_home"},
			{Href: "/preview?page=history", LabelID: "admin.site.preview_history"}},
		preview: func(s *Server, r *http.Request, site twinning.Site, e twinning.Entry, page string, p layout.Page) (templ.Component, error) {
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
			h := homeView(working, c.Cities, p.Lang)
			p.Path, p.Title = "/", locale.From(r.Context()).T(h.HeadingID(), "Site", st.Name)
			return pages.HomePage(p, h), nil
		},
	}

	documentContent = &contentType{
		t: twinning.DocumentType, path: "documents",
		newTitle: "admin.doc.edit", editTitle: "admin.doc.edit", historyTitle: "admin.history.title",
	}

	// contentTypes are every type of the staff area, for the trash.
	contentTypes = []*contentType{cityContent, siteContent, documentContent}
)

// The documents of a city hang below its form; set here, since they link to both types.
func init() { cityContent.after = cityDocuments }

// cityDocuments lists a city's documents below its form, with the upload form.
func cityDocuments(s *Server, r *http.Request, e twinning.Entry, docError string) (templ.Component, error) {
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
		nested := u.entry(cityContent, e.ID) + "/documents/" + strconv.FormatInt(d.ID, 10)
		action := nested + "/delete"
		if d.DeletedAt != nil {
			action = nested + "/restore"
		}
		rows[i] = admin.DocumentRow{Title: title, Format: d.Format, Size: d.Size, Present: d.Present,
			InTrash: d.DeletedAt != nil, EditURL: u.entry(documentContent, d.ID), ActionURL: action}
	}
	return admin.Documents(rows, u.entry(cityContent, e.ID)+"/documents", docError, adminSite(r).Languages), nil
}

// adminURLs builds the staff URLs of a site: the one place that knows their shape.
type adminURLs struct{ site string }

func (s *Server) urls(r *http.Request) adminURLs { return adminURLs{site: adminSite(r).Slug} }

// base is the prefix of the site's staff URLs.
func (u adminURLs) base() string { return "/admin/sites/" + u.site }

// list is the list of a type's entries.
func (u adminURLs) list(ct *contentType) string { return u.base() + "/" + ct.path }

// entry is the edit form of an entry (of the single entry, for a type with one per site).
func (u adminURLs) entry(ct *contentType, id int64) string {
	if ct.single {
		return u.list(ct)
	}
	return u.list(ct) + "/" + strconv.FormatInt(id, 10)
}

// newEntry is the form of a new entry of a type.
func (u adminURLs) newEntry(ct *contentType) string { return u.list(ct) + "/new" }

// translations is the site's translation overview; its exports and imports are below it.
func (u adminURLs) translations() string { return u.base() + "/translations" }

// glossary is the site's glossary, for translations.
func (u adminURLs) glossary() string { return u.translations() + "/glossary" }

// feedback is the site's accessibility feedback.
func (u adminURLs) feedback() string { return u.base() + "/feedback" }

// trash is the site's trash.
func (u adminURLs) trash() string { return u.base() + "/trash" }

// settings is the site's language settings.
func (u adminURLs) settings() string { return u.base() + "/settings" }

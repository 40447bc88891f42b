package web

import (
	"context"
	"errors"
	"maps"
	"net/http"
	"slices"
	"strings"

	"github.com/go-chi/chi/v5"

	"twintowns/internal/locale"
	"twintowns/internal/twinning"
	"twintowns/templates/admin"
	"twintowns/templates/layout"
)

// The staff screens of every content type: list, new, create, edit, update, preview,
// delete, restore, history, revision, revision restore, trash. Each returns its error to the
// one error path (s.handle).

// handle adapts a handler that returns an error to the one error path.
func (s *Server) handle(h func(w http.ResponseWriter, r *http.Request) error) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := h(w, r); err != nil && !(errors.Is(err, context.Canceled) && r.Context().Err() != nil) {
			s.renderError(w, r, err) // unless the client went away: nobody reads the answer
		}
	}
}

// forbid returns the error for an action the signed-in person may not take.
func forbid(r *http.Request, what string) error {
	return twinning.Errorf(twinning.EFORBIDDEN, "%s may not %s in site %s", currentUser(r).Email, what, adminSite(r).Slug)
}

// mayEditFacts refuses people who may not change facts, create, delete or restore entries.
func mayEditFacts(r *http.Request) error {
	if !currentUser(r).CanEditFacts(adminSite(r).ID) {
		return forbid(r, "change facts or entries")
	}
	return nil
}

// mayChange refuses an edit of e (nil for a new entry) to edited that the person may not
// make: facts without the right to change them, a text or a review mark ("checked, still
// correct") in a language not theirs, publishing without the right to publish. Every form of
// every type goes through it.
func mayChange(r *http.Request, stored *twinning.Entry, edited twinning.Entry, publish bool) error {
	u, site := currentUser(r), adminSite(r)
	if publish && !u.CanPublish(site.ID) {
		return forbid(r, "publish")
	}
	if u.CanEditFacts(site.ID) {
		return nil
	}
	if stored == nil {
		return forbid(r, "create entries")
	}
	before, after := fieldsOf(*stored), fieldsOf(edited)
	for k := range formDiff(after, before) {
		if k.Lang == "" {
			return forbid(r, "change the fact "+k.Field)
		}
		if !u.CanEditText(site.ID, k.Lang) {
			return forbid(r, "change texts in "+k.Lang)
		}
	}
	for lang, t := range edited.Texts {
		if !maps.Equal(t.Reviewed, stored.Texts[lang].Reviewed) && !u.CanEditText(site.ID, lang) {
			return forbid(r, "mark texts in "+lang+" as checked")
		}
	}
	return nil
}

// entryID is the id of the request's entry: {id} in the URL, or the site for a type with
// one entry per site.
func entryID(r *http.Request, ct *twinning.Type) (int64, error) {
	if ct.Single {
		return adminSite(r).ID, nil
	}
	name := "id"
	if chi.URLParam(r, "doc") != "" {
		name = "doc"
	}
	return idParam(r, name)
}

// workingEntry is the working copy of the request's entry, never one in the trash.
func (s *Server) workingEntry(r *http.Request, ct *twinning.Type) (twinning.Entry, error) {
	id, err := entryID(r, ct)
	if err != nil {
		return twinning.Entry{}, err
	}
	e, err := s.admin.Entry(r.Context(), ct, adminSite(r).ID, id)
	if err == nil && e.DeletedAt != nil {
		err = twinning.Errorf(twinning.ENOTFOUND, "%s %d is in the trash", ct.Name, id)
	}
	return e, err
}

// handleEntryList lists a site's entries of a type, filtered by the type's filters.
func (s *Server) handleEntryList(ct *twinning.Type) http.HandlerFunc {
	return s.handle(func(w http.ResponseWriter, r *http.Request) error {
		entries, err := s.admin.Entries(r.Context(), ct, adminSite(r).ID, false)
		if err != nil {
			return err
		}
		l := admin.EntryList{}
		for _, k := range ct.Staff.Columns {
			l.Columns = append(l.Columns, "admin.field."+k)
		}
		for _, k := range ct.Staff.Filters {
			in, err := s.factInput(r, must(ct.FactField(k)), 0)
			if err != nil {
				return err
			}
			f := admin.Filter{Key: twinning.Fact(k), LabelID: "admin.field." + k, Options: in.Options}
			f.Options = slices.DeleteFunc(f.Options, func(o admin.Option) bool { return o.Value == "" })
			for _, o := range f.Options {
				if o.Value == r.URL.Query().Get(k) {
					f.Value = o.Value
				}
			}
			l.Filters = append(l.Filters, f)
		}
		var columns []twinning.FactField
		for _, k := range ct.Staff.Columns {
			columns = append(columns, must(ct.FactField(k)))
		}
		refs, err := s.refNames(r, ct, columns)
		if err != nil {
			return err
		}
		if ct.Staff.Create && currentUser(r).CanEditFacts(adminSite(r).ID) {
			l.NewURL, l.NewID = s.urls(r).newEntry(ct), "admin.new."+ct.Name
		}
		noted := map[string]bool{}
	entries:
		for _, e := range entries {
			for _, f := range l.Filters {
				if f.Value != "" && e.Facts[f.Key] != f.Value && !slices.Contains(strings.Fields(e.Facts[f.Key]), f.Value) {
					continue entries
				}
			}
			l.Rows = append(l.Rows, s.entryRow(r, ct, e, refs))
			for _, fd := range columns {
				if fd.Hint != "" && fd.Default != "" && e.Fact(fd.Key) == fd.Default && !noted[fd.Key] {
					noted[fd.Key] = true
					l.Notes = append(l.Notes, fd.Hint)
				}
			}
		}
		s.page(w, r, http.StatusOK, admin.EntryListPage(s.frame(r, "admin.list."+ct.Name), l))
		return nil
	})
}

// refNames names, by id, the entries the reference facts among facts point to.
func (s *Server) refNames(r *http.Request, t *twinning.Type, facts []twinning.FactField) (map[string]string, error) {
	names := map[string]string{}
	for _, fd := range facts {
		if fd.Kind == twinning.FactReference {
			opts, err := s.refOptions(r, fd)
			if err != nil {
				return nil, err
			}
			for _, o := range opts {
				names[o.Value] = o.Label
			}
		}
	}
	return names, nil
}

func (s *Server) entryRow(r *http.Request, ct *twinning.Type, e twinning.Entry, refs map[string]string) admin.EntryRow {
	tr := locale.From(r.Context())
	site := adminSite(r)
	row := admin.EntryRow{Name: e.Name(tr.Lang, site.Languages), URL: s.urls(r).entry(ct, e.ID),
		StateID: publishState(e), Langs: langStates(site, e)}
	for _, k := range ct.Staff.Columns {
		row.Cells = append(row.Cells, cellText(tr, e, k, refs))
	}
	return row
}

// must returns a declaration the registry checked exists.
func must(f twinning.FactField, ok bool) twinning.FactField {
	if !ok {
		panic("web: undeclared fact " + f.Key)
	}
	return f
}

func publishState(e twinning.Entry) string {
	switch {
	case e.PublishedAt == nil:
		return "admin.state.draft"
	case e.HasDraft:
		return "admin.state.published_draft"
	}
	return "admin.state.published"
}

// langStates is the state of each language the site publishes, and of each field in it.
func langStates(site twinning.Site, e twinning.Entry) []admin.LangState {
	out := make([]admin.LangState, len(site.Languages))
	for i, l := range site.Languages {
		st := admin.LangState{Lang: l, State: e.Translation(l), Fields: map[string]twinning.TranslationState{}}
		if _, ok := e.Texts[l]; ok {
			for _, f := range e.Type.Fields {
				st.Fields[f.Key] = e.FieldState(l, f.Key)
			}
		}
		out[i] = st
	}
	return out
}

// handleTrash lists the deleted entries of every type that has a trash.
func (s *Server) handleTrash(w http.ResponseWriter, r *http.Request) error {
	l := admin.EntryList{Trash: true}
	for _, ct := range twinning.Types.All() {
		if !ct.Trashable {
			continue
		}
		entries, err := s.admin.Entries(r.Context(), ct, adminSite(r).ID, true)
		if err != nil {
			return err
		}
		for _, e := range entries {
			row := s.entryRow(r, ct, e, nil)
			row.URL, row.Cells, row.RestoreURL = "", nil, s.urls(r).entry(ct, e.ID)+"/restore"
			l.Rows = append(l.Rows, row)
		}
	}
	s.page(w, r, http.StatusOK, admin.EntryListPage(s.frame(r, "admin.trash.title"), l))
	return nil
}

// handleEntryNew shows the empty form of a new entry.
func (s *Server) handleEntryNew(ct *twinning.Type) http.HandlerFunc {
	return s.handle(func(w http.ResponseWriter, r *http.Request) error {
		if err := mayEditFacts(r); err != nil {
			return err
		}
		e := twinning.Entry{Type: ct, Facts: map[twinning.FieldKey]string{}, Texts: map[string]twinning.Text{}}
		for _, f := range ct.Facts {
			if f.Default != "" {
				e.Facts[twinning.Fact(f.Key)] = f.Default
			}
		}
		return s.entryForm(w, r, ct, http.StatusOK, editView{form: formOf(e)}, e)
	})
}

// handleEntryEdit shows the form of an entry's working copy.
func (s *Server) handleEntryEdit(ct *twinning.Type) http.HandlerFunc {
	return s.handle(func(w http.ResponseWriter, r *http.Request) error {
		e, err := s.workingEntry(r, ct)
		if err != nil {
			return err
		}
		if u := currentUser(r); !u.CanEditFacts(adminSite(r).ID) {
			// a translator works on the translator's screen, in a language of theirs
			for _, l := range adminSite(r).Languages {
				if u.CanEditText(adminSite(r).ID, l) {
					http.Redirect(w, r, s.urls(r).entry(ct, e.ID)+"/translate?to="+l, http.StatusSeeOther)
					return nil
				}
			}
			return forbid(r, "edit")
		}
		return s.entryForm(w, r, ct, http.StatusOK, editView{stored: &e, form: formOf(e)}, e)
	})
}

// editView is an edit form being shown: the stored entry (nil for a new one), the form as
// the person typed it, and what the page says about the last attempt to save.
type editView struct {
	stored *twinning.Entry
	form   admin.Form
	edit   admin.EntryEdit // Preview, Conflict, ConflictBy, SaveFailed
	picker admin.PlacePicker
	// docError is the message ID of a failed upload of a photo's file
	docError string
	// photoForm is a city's photo upload form as typed, after it was refused
	photoForm *admin.Form
}

// entryForm renders the edit form of an entry; shown is the entry as the form holds it, for
// the translation states.
func (s *Server) entryForm(w http.ResponseWriter, r *http.Request, ct *twinning.Type, status int, v editView, shown twinning.Entry) error {
	if v.photoForm != nil && v.stored != nil { // a refused upload: the photos page again
		return s.photosPage(w, r, ct, status, *v.stored, v.photoForm)
	}
	site := adminSite(r)
	tr := locale.From(r.Context())
	u := s.urls(r)
	e := v.edit
	e.Type, e.Form, e.Required = ct, v.form, site.RequiredLangs
	e.CanPublish = currentUser(r).CanPublish(site.ID)
	e.Langs = langStates(site, shown)
	e.Open = openLanguage(r, site, v.form)
	facts, err := s.factsForm(r, ct, e.Form, v.picker)
	if err != nil {
		return err
	}
	e.Facts = facts
	titleID, titleArgs := "admin.new."+ct.Name, []any{}
	e.Header.New = v.stored == nil
	if st := v.stored; st != nil {
		name := shown.Name(tr.Lang, site.Languages)
		e.Header = s.entryHeader(r, ct, *st, name, "")
		base := u.entry(ct, st.ID)
		if ct.Trashable && currentUser(r).CanEditFacts(site.ID) {
			e.DeleteURL = base + "/delete"
		}
		e.Translate = map[string]string{}
		for _, l := range site.Languages {
			e.Translate[l] = base + "/translate?to=" + l
		}
		if ct == twinning.PhotoType {
			if e.Before, err = s.photoFile(r, *st, v.docError); err != nil {
				return err
			}
		}
		titleID, titleArgs = "admin.entry.edit", []any{"Name", name}
		if ct.Single {
			titleID = "admin.nav." + ct.Name
		}
	}
	f := s.frame(r, titleID, titleArgs...)
	crumbs, err := s.entryCrumbs(r, ct, shown, v.stored == nil)
	if err != nil {
		return err
	}
	f.Crumbs = append(f.Crumbs, crumbs...)
	s.page(w, r, status, admin.EntryForm(f, e))
	return nil
}

// openLanguage is the language whose texts the form shows unfolded: the one asked for
// (?lang), else the first with an error, else the staff member's own, else the site's
// default.
func openLanguage(r *http.Request, site twinning.Site, f admin.Form) string {
	if l := r.URL.Query().Get("lang"); site.Publishes(l) {
		return l
	}
	for _, l := range site.Languages {
		for k := range f.Errors {
			if k.Lang == l {
				return l
			}
		}
	}
	if l := locale.From(r.Context()).Lang; site.Publishes(l) {
		return l
	}
	return site.DefaultLang
}

// entryHeader is the top of an entry's pages: its state, its other views and its pages (its
// form, and a page of the entries of each type that belongs to it: a city's documents),
// page ("" for the form, "documents") marked as the one shown.
func (s *Server) entryHeader(r *http.Request, ct *twinning.Type, st twinning.Entry, name, page string) admin.EntryHeader {
	base := s.urls(r).entry(ct, st.ID)
	h := admin.EntryHeader{Name: name, Published: st.PublishedAt != nil, HasDraft: st.HasDraft}
	for _, p := range previews(ct) {
		h.Links = append(h.Links, admin.Link{Href: base + p.Href, LabelID: p.LabelID})
	}
	h.Links = append(h.Links, admin.Link{Href: base + "/history", LabelID: "admin.entry.history"})
	h.Pages = []admin.NavLink{{Href: base, LabelID: "admin.entry.page.form"}}
	for _, c := range twinning.Types.Children(ct) {
		h.Pages = append(h.Pages, admin.NavLink{Href: base + "/" + c.Staff.Path, LabelID: "admin.entry.page." + c.Staff.Path})
	}
	for i, p := range h.Pages {
		if p.Href == base+page || (page != "" && p.Href == base+"/"+page) {
			h.Pages[i].Current = "page"
		}
	}
	return h
}

// entryCrumbs are the breadcrumb's steps from the site to an entry's page: the list of its
// type, or for an entry that belongs to another (a document) that entry and its page of them.
func (s *Server) entryCrumbs(r *http.Request, ct *twinning.Type, e twinning.Entry, isNew bool) ([]admin.Crumb, error) {
	u, tr, site := s.urls(r), locale.From(r.Context()), adminSite(r)
	if p := ct.Parent; p != nil && !isNew {
		parent, err := s.admin.Entry(r.Context(), p, site.ID, e.Parent)
		if err != nil {
			return nil, err
		}
		return []admin.Crumb{{Href: u.list(p), Label: tr.T("admin.list." + p.Name)},
			{Href: u.entry(p, parent.ID), Label: parent.Name(tr.Lang, site.Languages)},
			{Href: u.entry(p, parent.ID) + "/" + ct.Staff.Path, Label: tr.T("admin.entry.page." + ct.Staff.Path)}}, nil
	}
	if ct.Staff.List && !ct.Single {
		return []admin.Crumb{{Href: u.list(ct), Label: tr.T("admin.list." + ct.Name)}}, nil
	}
	return nil, nil
}

// handleEntryCreate creates an entry from the form of a new one.
func (s *Server) handleEntryCreate(ct *twinning.Type) http.HandlerFunc {
	return s.handle(func(w http.ResponseWriter, r *http.Request) error {
		return s.saveEntry(w, r, ct, nil)
	})
}

// handleEntryUpdate saves the form of an existing entry.
func (s *Server) handleEntryUpdate(ct *twinning.Type) http.HandlerFunc {
	return s.handle(func(w http.ResponseWriter, r *http.Request) error {
		stored, err := s.workingEntry(r, ct)
		if err != nil {
			return err
		}
		return s.saveEntry(w, r, ct, &stored)
	})
}

// saveEntry previews (nothing stored), saves as a draft or publishes an entry from its form.
// Bad input, conflicts and a failed save bring the form back with everything typed.
func (s *Server) saveEntry(w http.ResponseWriter, r *http.Request, ct *twinning.Type, stored *twinning.Entry) error {
	site := adminSite(r)
	if err := r.ParseForm(); err != nil {
		return twinning.Errorf(twinning.EINVALID, "bad form: %v", err)
	}
	f, e := readEntry(ct, site, r.PostForm)
	if stored != nil {
		e.Parent = stored.Parent // a document or photo stays its city's
	}
	e.KeepReviews(stored, func(lang, field string) bool {
		return f.Checked(twinning.TextKey("reviewed", lang)) || f.Checked(twinning.TextKey("checked_"+field, lang))
	})
	for _, k := range e.ForgetMovedPlaces(stored) { // coordinates typed by hand: no longer the place's
		delete(f.Values, k)
	}
	v := editView{stored: stored, form: f}
	action := r.PostForm.Get("action")
	if action == "preview" {
		v.edit.Preview = true
		return s.entryForm(w, r, ct, http.StatusOK, v, e)
	}
	if action == "place" || r.PostForm.Has("place") { // the place picker: nothing stored
		v.picker = pickPlace(ct, r.PostForm, v.form)
		return s.entryForm(w, r, ct, http.StatusOK, v, e)
	}
	publish := action == "publish"
	if err := mayChange(r, stored, e, publish); err != nil {
		return err
	}
	errs := e.Validate(site)
	if publish {
		errs.Merge(e.ValidatePublish(site))
	}
	if len(errs) > 0 {
		v.form.Errors = errs
		return s.entryForm(w, r, ct, http.StatusUnprocessableEntity, v, e)
	}
	var err error
	id := int64(0)
	if stored == nil {
		id, err = s.admin.CreateEntry(r.Context(), site.ID, e, publish, s.actor(r))
	} else {
		e.ID, id = stored.ID, stored.ID
		_, err = s.admin.SaveEntry(r.Context(), site.ID, e, publish, map[bool]string{true: "publish", false: "draft"}[publish], s.actor(r))
	}
	switch code := twinning.ErrorCode(err); {
	case code == "":
		flash(r, map[bool]string{true: "admin.flash.published", false: "admin.flash.draft"}[publish])
		http.Redirect(w, r, s.urls(r).entry(ct, id), http.StatusSeeOther)
		return nil
	case code == twinning.EINVALID:
		v.form.Errors = validationFields(err)
		return s.entryForm(w, r, ct, http.StatusUnprocessableEntity, v, e)
	case code == twinning.ECONFLICT:
		return s.conflict(w, r, ct, v, e)
	case statusOf(err) >= 500:
		s.log.ErrorContext(r.Context(), "save failed", "type", ct.Name, "err", err)
		v.edit.SaveFailed = true
		return s.entryForm(w, r, ct, statusOf(err), v, e)
	}
	return err
}

// conflict brings the form back after someone else saved the entry: the person's values stay,
// the other version is shown under every field that differs, and the form now carries the
// current version, so saving again stores the merge.
func (s *Server) conflict(w http.ResponseWriter, r *http.Request, ct *twinning.Type, v editView, mine twinning.Entry) error {
	current, err := s.workingEntry(r, ct)
	if err != nil {
		return err
	}
	v.form.Theirs = formDiff(fieldsOf(mine), fieldsOf(current))
	v.form.Values[twinning.Fact("version")] = formOf(current).Values[twinning.Fact("version")]
	v.edit.Conflict = true
	if revs, err := s.admin.Revisions(r.Context(), ct, adminSite(r).ID, current.ID); err == nil && len(revs) > 0 {
		v.edit.ConflictBy = revs[0].AuthorEmail
	}
	return s.entryForm(w, r, ct, http.StatusConflict, v, mine)
}

func validationFields(err error) twinning.FieldErrors {
	if v, ok := err.(*twinning.ValidationError); ok {
		return v.Fields
	}
	return twinning.FieldErrors{}
}

// handleEntryPreview shows the working copy as the public page would, in ?lang.
func (s *Server) handleEntryPreview(ct *twinning.Type) http.HandlerFunc {
	return s.handle(func(w http.ResponseWriter, r *http.Request) error {
		e, err := s.workingEntry(r, ct)
		if err != nil {
			return err
		}
		site := adminSite(r)
		lang := r.URL.Query().Get("lang")
		if !site.Publishes(lang) || !s.locales.Has(lang) {
			lang = locale.From(r.Context()).Lang
			if !site.Publishes(lang) {
				lang = site.DefaultLang
			}
		}
		r = r.WithContext(locale.WithTranslator(r.Context(), s.locales.For(lang)))
		st, _ := site.Text(lang)
		p := layout.Page{Lang: lang, Languages: site.Languages, SiteName: st.Name, BaseURL: s.baseURL(r),
			Stylesheet: s.assets.url("css/site.css"), DefaultLang: site.DefaultLang, Preview: s.urls(r).entry(ct, e.ID)}
		c, err := s.preview(r, site, e, r.URL.Query().Get("page"), p)
		if err != nil {
			return err
		}
		s.page(w, r, http.StatusOK, c)
		return nil
	})
}

// handleEntryTrash moves an entry to the trash (del) or takes it out.
func (s *Server) handleEntryTrash(ct *twinning.Type, del bool) http.HandlerFunc {
	return s.handle(func(w http.ResponseWriter, r *http.Request) error {
		if err := mayEditFacts(r); err != nil {
			return err
		}
		id, err := entryID(r, ct)
		if err != nil {
			return err
		}
		u := s.urls(r)
		next := map[bool]string{true: u.trash(), false: u.list(ct)}[del]
		if !del && !ct.Staff.List {
			next = u.entry(ct, id) // a type listed only on another's form (photos): back to its own
		}
		if chi.URLParam(r, "doc") != "" {
			// a document of a city: it must be that city's, and the city's page comes next
			city, err := s.cityOfDocument(r, id)
			if err != nil {
				return err
			}
			next = u.entry(twinning.CityType, city) + "/" + ct.Staff.Path
		}
		if err := s.admin.TrashEntry(r.Context(), ct, adminSite(r).ID, id, del, s.actor(r)); err != nil {
			return err
		}
		flash(r, map[bool]string{true: "admin.flash.deleted", false: "admin.flash.restored"}[del])
		http.Redirect(w, r, next, http.StatusSeeOther)
		return nil
	})
}

// cityOfDocument checks that document doc belongs to the city {id} of the URL and returns
// the city's id.
func (s *Server) cityOfDocument(r *http.Request, doc int64) (int64, error) {
	city, err := idParam(r, "id")
	if err != nil {
		return 0, err
	}
	docs, err := s.admin.Documents(r.Context(), adminSite(r).ID, city)
	if err != nil {
		return 0, err
	}
	for _, d := range docs {
		if d.ID == doc {
			return city, nil
		}
	}
	return 0, twinning.Errorf(twinning.ENOTFOUND, "document %d is not of city %d", doc, city)
}

package web

import (
	"bytes"
	"encoding/base64"
	"errors"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"twintowns/internal/exchange"
	"twintowns/internal/locale"
	"twintowns/internal/twinning"
	"twintowns/templates/admin"
)

// Exchange with translation agencies: XLIFF 1.2 and PO files of a site's texts for one
// target language, exported from the overview and imported back through a preview.

// maxExchangeFile bounds an imported file.
const maxExchangeFile = 8 << 20

// unitID is the stable id of a field of an entry in an exchange file: "city/12/description".
func unitID(x siteEntry, field string) string { return x.key() + "/" + field }

// parseUnitID resolves a unit id to its type, entry id and field.
func parseUnitID(id string) (*twinning.Type, int64, twinning.TextField, bool) {
	parts := strings.Split(id, "/")
	if len(parts) != 3 {
		return nil, 0, twinning.TextField{}, false
	}
	ct, ok := twinning.Types.Type(parts[0])
	if !ok {
		return nil, 0, twinning.TextField{}, false
	}
	n, err := strconv.ParseInt(parts[1], 10, 64)
	f, ok := ct.Field(parts[2])
	return ct, n, f, err == nil && n > 0 && ok
}

// exportScopes are what an export can hold.
var exportScopes = []string{"missing-outdated", "all", "chosen"}

// handleExport writes the units of the site for one target language as XLIFF 1.2 or PO.
func (s *Server) handleExport(w http.ResponseWriter, r *http.Request) error {
	site := adminSite(r)
	tr := locale.From(r.Context())
	q := r.URL.Query()
	to, from, scope := q.Get("to"), q.Get("from"), q.Get("scope")
	if !site.Publishes(to) {
		return twinning.Errorf(twinning.EINVALID, "export to %q", to)
	}
	if !currentUser(r).CanEditText(site.ID, to) {
		return forbid(r, "export for "+to)
	}
	for _, l := range append([]string{site.SourceLang, site.DefaultLang}, site.Languages...) {
		if site.Publishes(from) && from != to {
			break
		}
		from = l
	}
	if from == to {
		return twinning.Errorf(twinning.EINVALID, "export from %s to itself", to)
	}
	if !slices.Contains(exportScopes, scope) {
		scope = exportScopes[0]
	}
	format := exchange.FormatXLIFF
	if q.Get("format") == "po" {
		format = exchange.FormatPO
	}
	chosen := map[string]bool{}
	for _, k := range q["entry"] {
		chosen[k] = true
	}
	entries, err := s.siteEntries(r)
	if err != nil {
		return err
	}
	f := exchange.File{SourceLang: from, TargetLang: to, Original: "twintowns:" + site.Slug,
		Tool: "twintowns", Date: time.Now().UTC()}
	for _, x := range entries {
		if scope == "chosen" && !chosen[x.key()] {
			continue
		}
		name := x.e.Name(tr.Lang, site.Languages)
		for _, fd := range x.ct.Fields {
			src := x.e.Texts[from].Fields[fd.Key]
			if strings.TrimSpace(src) == "" {
				continue
			}
			st := x.e.FieldState(to, fd.Key)
			if scope == "missing-outdated" && st == twinning.TranslationComplete && x.e.Texts[to].Fields[fd.Key] != "" {
				continue
			}
			u := exchange.Unit{ID: unitID(x, fd.Key), Resname: name + ": " + tr.T("admin.field."+fd.Key), Source: src,
				Note: tr.T("admin.exchange.note", "Type", tr.T("admin.type."+x.ct.Name), "Entry", name,
					"Field", tr.T("admin.field."+fd.Key), "Where", tr.T("admin.exchange.where."+x.ct.Name))}
			if fd.Kind == twinning.FieldMarkdown {
				u.Datatype = exchange.DatatypeMarkdown
			}
			if t := x.e.Texts[to].Fields[fd.Key]; t != "" {
				u.Target, u.HasTarget = t, true
				u.State = exchange.StateTranslated
				if st == twinning.TranslationOutdated {
					u.State = exchange.StateNeedsReviewTranslation
				}
			}
			f.Units = append(f.Units, u)
		}
	}
	var buf bytes.Buffer
	write, ctype := exchange.WriteXLIFF, "application/x-xliff+xml"
	if format == exchange.FormatPO {
		write, ctype = exchange.WritePO, "text/x-gettext-translation"
	}
	if err := write(&buf, exchange.Clean(f)); err != nil { // text stored before it was cleaned
		return twinning.Errorf(twinning.EINVALID, "export: %v", err)
	}
	w.Header().Set("Content-Type", ctype+"; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+exchange.FileName(site.Slug, from, to, scope, f.Date, format)+`"`)
	w.Write(buf.Bytes())
	return nil
}

// importedFile reads an uploaded exchange file (the "file" part of a multipart form, or the
// "data" field of the preview's confirmation) and checks it belongs to this site.
func (s *Server) importedFile(r *http.Request) (exchange.File, []byte, string) {
	site := adminSite(r)
	var data []byte
	var name string
	if enc := r.PostFormValue("data"); enc != "" {
		b, err := base64.StdEncoding.DecodeString(enc)
		if err != nil {
			return exchange.File{}, nil, "admin.import.error.malformed"
		}
		data, name = b, r.PostFormValue("name")
	} else {
		file, header, err := r.FormFile("file")
		if err != nil {
			return exchange.File{}, nil, "admin.import.error.missing"
		}
		defer file.Close()
		data, err = io.ReadAll(io.LimitReader(file, maxExchangeFile+1))
		if err != nil {
			return exchange.File{}, nil, "admin.import.error.missing"
		}
		name = header.Filename
	}
	if len(data) > maxExchangeFile {
		return exchange.File{}, nil, "admin.import.error.too_large"
	}
	read := exchange.ReadXLIFF
	if strings.HasSuffix(strings.ToLower(name), ".po") || bytes.HasPrefix(bytes.TrimSpace(data), []byte("msgid")) || bytes.HasPrefix(bytes.TrimSpace(data), []byte("#")) {
		read = exchange.ReadPO
	}
	f, err := read(bytes.NewReader(data), maxExchangeFile)
	if err != nil {
		code := exchange.CodeOf(err)
		if code == "" {
			code = exchange.CodeMalformed
		}
		return f, nil, "admin.import.error." + string(code)
	}
	if f.Original != "" && f.Original != "twintowns:"+site.Slug {
		return f, nil, "admin.import.error.site"
	}
	to := ""
	for _, l := range site.Languages {
		if exchange.SameLanguage(l, f.TargetLang) {
			to = l
		}
	}
	if to == "" {
		return f, nil, "admin.import.error.language"
	}
	f.TargetLang = to
	for _, l := range site.Languages {
		if exchange.SameLanguage(l, f.SourceLang) {
			f.SourceLang = l
		}
	}
	return f, data, ""
}

// importPlan is what an import would change: per unit, the entry, the field, the current
// translation and the imported one, and whether the source changed since the export.
func (s *Server) importPlan(r *http.Request, f exchange.File) ([]admin.ImportUnit, map[string]siteEntry, error) {
	entries, err := s.siteEntries(r)
	if err != nil {
		return nil, nil, err
	}
	byKey := map[string]siteEntry{}
	for _, x := range entries {
		byKey[x.key()] = x
	}
	site := adminSite(r)
	tr := locale.From(r.Context())
	var units []admin.ImportUnit
	for _, u := range f.Units {
		ct, id, fd, ok := parseUnitID(u.ID)
		x, found := byKey[typeName(ct)+"/"+strconv.FormatInt(id, 10)]
		if !ok || !found {
			return nil, nil, errUnknownUnit
		}
		if !u.HasTarget || strings.TrimSpace(u.Target) == "" {
			continue // not translated: nothing to import
		}
		current := x.e.Texts[f.TargetLang].Fields[fd.Key]
		source := x.e.Texts[f.SourceLang].Fields[fd.Key]
		iu := admin.ImportUnit{ID: u.ID, Entry: x.e.Name(tr.Lang, site.Languages), Field: tr.T("admin.field." + fd.Key),
			Target: u.Target, Changed: strings.TrimSpace(current) != strings.TrimSpace(u.Target),
			SourceChanged: strings.TrimSpace(source) != strings.TrimSpace(u.Source), OldSource: u.Source, NewSource: source}
		iu.Before, iu.After = wordDiff(current, u.Target)
		if iu.Changed || iu.SourceChanged {
			units = append(units, iu)
		}
	}
	return units, byKey, nil
}

// errUnknownUnit refuses a file with a unit of no entry of this site.
var errUnknownUnit = errors.New("unknown unit")

// typeName is the type's name, nil-safe for unknown unit ids.
func typeName(ct *twinning.Type) string {
	if ct == nil {
		return ""
	}
	return ct.Name
}

// handleImport reads an uploaded file and shows the preview of what it changes.
func (s *Server) handleImport(w http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(w, r.Body, maxExchangeFile+64<<10)
	if err := r.ParseMultipartForm(1 << 20); err != nil && !errors.Is(err, http.ErrNotMultipart) {
		return s.importError(w, r, "admin.import.error.too_large")
	}
	f, data, units, _, msg, err := s.readImport(r)
	if msg != "" || err != nil {
		return s.importFailed(w, r, msg, err)
	}
	if !currentUser(r).CanEditText(adminSite(r).ID, f.TargetLang) {
		return forbid(r, "import "+f.TargetLang)
	}
	v := admin.ImportView{From: f.SourceLang, To: f.TargetLang, Units: units, Data: base64.StdEncoding.EncodeToString(data),
		Action: s.urls(r).base() + "/translations/import/confirm", CanPublish: currentUser(r).CanPublish(adminSite(r).ID)}
	s.page(w, r, http.StatusOK, admin.ImportPage(s.frame(r, "admin.import.title"), v))
	return nil
}

// readImport reads the request's exchange file and plans what it changes; msg is the
// message ID of why the file is refused.
func (s *Server) readImport(r *http.Request) (f exchange.File, data []byte, units []admin.ImportUnit, byKey map[string]siteEntry, msg string, err error) {
	if f, data, msg = s.importedFile(r); msg != "" {
		return
	}
	units, byKey, err = s.importPlan(r, f)
	if errors.Is(err, errUnknownUnit) {
		msg, err = "admin.import.error.unknown_unit", nil
	}
	return
}

// importFailed answers a refused file with the form again, and any other error with the
// error path.
func (s *Server) importFailed(w http.ResponseWriter, r *http.Request, msg string, err error) error {
	if err != nil {
		return err
	}
	return s.importError(w, r, msg)
}

// importError shows the overview's import form again with a message; nothing is stored.
func (s *Server) importError(w http.ResponseWriter, r *http.Request, messageID string) error {
	v := admin.ImportView{Error: messageID, Action: s.urls(r).base() + "/translations/import"}
	s.page(w, r, http.StatusUnprocessableEntity, admin.ImportPage(s.frame(r, "admin.import.title"), v))
	return nil
}

// handleImportConfirm saves the units the person accepted, entry by entry, as drafts or
// published; each save is a revision and is audited.
func (s *Server) handleImportConfirm(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return twinning.Errorf(twinning.EINVALID, "bad form: %v", err)
	}
	f, _, units, byKey, msg, err := s.readImport(r)
	if msg != "" || err != nil {
		return s.importFailed(w, r, msg, err)
	}
	accepted := map[string]bool{}
	for _, id := range r.PostForm["accept"] {
		accepted[id] = true
	}
	edits := map[string]twinning.Entry{}
	var order []string
	for _, u := range units {
		if !accepted[u.ID] {
			continue
		}
		ct, id, fd, _ := parseUnitID(u.ID)
		key := ct.Name + "/" + strconv.FormatInt(id, 10)
		e, ok := edits[key]
		if !ok {
			e = byKey[key].e.Clone()
			order = append(order, key)
		}
		t := e.Texts[f.TargetLang]
		if t.Fields == nil {
			t = twinning.Text{Lang: f.TargetLang, Fields: map[string]string{}, TranslatedFrom: f.SourceLang}
		}
		t.Fields[fd.Key] = u.Target
		e.Texts[f.TargetLang] = t
		if !u.SourceChanged {
			e.MarkReviewed(f.TargetLang, fd.Key)
		}
		edits[key] = e
	}
	site := adminSite(r)
	publish := r.PostForm.Get("action") == "publish"
	for _, key := range order {
		e := edits[key]
		if errs := e.Validate(site); len(errs) > 0 {
			return s.importError(w, r, "admin.import.error.invalid")
		}
		stored := byKey[key].e
		if err := mayChange(r, &stored, e, publish); err != nil {
			return err
		}
		pub := publish && len(e.ValidatePublish(site)) == 0
		if _, err := s.admin.SaveEntry(r.Context(), site.ID, e, pub, map[bool]string{true: "publish", false: "translation_import"}[pub], s.actor(r)); err != nil {
			if twinning.ErrorCode(err) == twinning.ECONFLICT {
				return s.importError(w, r, "admin.import.error.conflict")
			}
			return err
		}
	}
	flash(r, "admin.flash.imported")
	http.Redirect(w, r, s.urls(r).base()+"/translations?lang="+f.TargetLang, http.StatusSeeOther)
	return nil
}

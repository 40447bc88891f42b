package web

import (
	"cmp"
	"errors"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"twintowns/internal/auth"
	"twintowns/internal/exchange"
	"twintowns/internal/locale"
	"twintowns/internal/twinning"
	"twintowns/templates/admin"
)

// Importing a returned file: the upload is read, kept in the database under a random token
// and previewed; confirm reads it again from there, checks that nothing the preview showed has
// changed since, and saves the accepted units of every entry in one transaction, or nothing.
//
// Per unit the rules are (twinning.ImportCheck): a target the file leaves as exported is not
// applied; a target changed in the product since the export is a conflict, shown with the
// exported, current and file's texts side by side and not accepted unless ticked; a unit
// whose source changed is flagged; a unit that would make its entry invalid is shown with the
// reason and cannot be accepted.

// importPlan is what a file would change.
type importPlan struct {
	file  exchange.File
	job   *twinning.Job // nil when the file names no job of the site
	units []plannedUnit // the units that change something, in file order
	// entries are the working copies of the site's entries by key, as the plan read them.
	entries map[string]siteEntry
	skipped admin.ImportSkipped
}

// plannedUnit is a unit of the file that changes a field.
type plannedUnit struct {
	view     admin.ImportUnit
	key      string // the entry's key, "city/12"
	field    twinning.TextField
	target   string // the file's text, to save
	decision twinning.ImportDecision
	state    twinning.PlanUnit // the product's field when planned
}

// errUnknownUnit refuses a file with a unit of no entry of this site.
var errUnknownUnit = errors.New("unknown unit")

// planImport works out what f changes in the site's entries as they are now.
func (s *Server) planImport(r *http.Request, f exchange.File, job *twinning.Job) (importPlan, error) {
	p := importPlan{file: f, job: job, entries: map[string]siteEntry{}}
	entries, err := s.siteEntries(r)
	if err != nil {
		return p, err
	}
	for _, x := range entries {
		p.entries[x.key()] = x
	}
	site := adminSite(r)
	tr := locale.From(r.Context())
	from, to := f.SourceLang, f.TargetLang
	exported := map[string]twinning.JobUnit{}
	if job != nil {
		from = job.SourceLang
		for _, u := range job.Units {
			exported[u.ID] = u
		}
	}
	terms, err := s.glossaryTerms(r, from, to)
	if err != nil {
		return p, err
	}
	for _, u := range f.Units {
		ct, id, fd, ok := parseUnitID(u.ID)
		key := typeName(ct) + "/" + strconv.FormatInt(id, 10)
		x, found := p.entries[key]
		if !ok || !found {
			return p, errUnknownUnit
		}
		if !u.HasTarget || strings.TrimSpace(u.Target) == "" || u.State.Unfinished() {
			p.skipped.Untranslated++ // new or needs-translation: no translation yet
			continue
		}
		current := x.e.Texts[to].Fields[fd.Key]
		source := x.e.Texts[from].Fields[fd.Key]
		exportSource := u.Source
		ju, inJob := exported[u.ID]
		if inJob {
			exportSource = ju.Source
		} else if restored, err := exchange.Restore(u.Source, source); err == nil {
			exportSource = restored // a PO source's placeholders, from the source as it is
		}
		// the marks a tool kept as codes or placeholders come back as exported
		target := u.Target
		var codeErr error
		if u.Problem != nil {
			codeErr = u.Problem
		} else {
			target, codeErr = exchange.Restore(u.Target, exportSource)
		}
		check := twinning.ImportCheck{Base: u.Base, Current: current, File: target, ExportSource: exportSource, Source: source}
		if inJob {
			check.Base = twinning.TextHash(ju.Target)
		}
		d := check.Decide()
		if codeErr != nil {
			d.Skip = twinning.SkipNone // broken codes are shown, whatever else
		}
		switch d.Skip {
		case twinning.SkipSame:
			p.skipped.Same++
			continue
		case twinning.SkipUntouched:
			p.skipped.Untouched++
			continue
		}
		pu := plannedUnit{key: key, field: fd, target: target, decision: d,
			state: twinning.PlanUnit{Target: twinning.TextHash(current), Source: twinning.TextHash(source)}}
		// a translation the file marks for review (needs-review-*, PO fuzzy) waits for a tick
		review := u.State != exchange.StateNone && !u.State.Done()
		pu.view = admin.ImportUnit{ID: u.ID, Entry: x.e.Name(tr.Lang, site.Languages), Field: tr.T("admin.field." + fd.Key),
			Ticked: d.Ticked() && !review, Conflict: d.Conflict, BaseUnknown: d.BaseUnknown, SourceChanged: d.SourceChanged,
			NeedsReview: review, Current: current, File: target, OldSource: check.ExportSource, NewSource: source}
		if inJob {
			pu.view.Base, pu.view.HasBase = ju.Target, true
		}
		// what the checks find waits for the person's tick
		if pu.view.Warnings = qualityWarnings(fd, exportSource, target, terms); len(pu.view.Warnings) > 0 {
			pu.view.Ticked = false
		}
		var ce *exchange.CodeError
		if errors.As(codeErr, &ce) {
			pu.view.File = u.Target
			pu.invalid("admin.import.code." + string(ce.Problem))
			pu.view.InvalidCode = ce.Code
		}
		pu.view.Before, pu.view.After = wordDiff(current, pu.view.File)
		p.units = append(p.units, pu)
	}
	p.validate(site, to, from)
	return p, nil
}

// validate marks the units that would make their entry invalid, with the reason: each entry
// is checked with every unit of the file applied, and an error of a field is its unit's (an
// error of the entry as a whole, such as a text without a name, is every unit's of it).
func (p *importPlan) validate(site twinning.Site, to, from string) {
	byEntry := map[string][]int{}
	for i, u := range p.units {
		byEntry[u.key] = append(byEntry[u.key], i)
	}
	for key, idx := range byEntry {
		stored := p.entries[key].e
		before := stored.Validate(site)
		e := stored.Clone()
		for _, i := range idx {
			applyUnit(&e, to, from, p.units[i])
		}
		errs := e.Validate(site)
		for k, msg := range errs {
			if before[k] == msg {
				continue // wrong before the import: not the file's doing
			}
			for _, i := range idx {
				// a text without a name is every unit's fault; any other error its field's
				if k.Lang == to && (k.Field == p.units[i].field.Key || k.Field == e.Type.NameField() && msg == "validation.name_needed") {
					p.units[i].invalid(msg)
				}
			}
		}
	}
}

// invalid marks a unit as one that cannot be imported, for the reason msg (a message ID).
func (u *plannedUnit) invalid(msg string) {
	if u.view.Invalid == "" {
		u.view.Invalid, u.view.Ticked = msg, false
	}
}

// applyUnit puts a unit's text into the entry's target language; the field counts as
// checked against its source unless the source changed since the export.
func applyUnit(e *twinning.Entry, to, from string, u plannedUnit) {
	t := e.Texts[to]
	if t.Fields == nil {
		t = twinning.Text{Lang: to, Fields: map[string]string{}, TranslatedFrom: from}
	}
	t.Fields[u.field.Key] = u.target
	e.Texts[to] = t
	if !u.decision.SourceChanged {
		e.MarkReviewed(to, u.field.Key)
	}
}

// plan is what a preview shows of each unit, for confirm to re-check.
func (p importPlan) plan() map[string]twinning.PlanUnit {
	out := make(map[string]twinning.PlanUnit, len(p.units))
	for _, u := range p.units {
		out[u.view.ID] = u.state
	}
	return out
}

// readUpload reads the request's uploaded file (the "file" part of a multipart form).
func readUpload(w http.ResponseWriter, r *http.Request) (name string, data []byte, msg string) {
	r.Body = http.MaxBytesReader(w, r.Body, maxExchangeFile+64<<10)
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return "", nil, "admin.import.error.too_large"
		}
		return "", nil, "admin.import.error.missing"
	}
	file, header, err := r.FormFile("file")
	if err != nil {
		return "", nil, "admin.import.error.missing"
	}
	defer file.Close()
	data, err = io.ReadAll(io.LimitReader(file, maxExchangeFile+1))
	if err != nil {
		return "", nil, "admin.import.error.missing"
	}
	if len(data) > maxExchangeFile {
		return "", nil, "admin.import.error.too_large"
	}
	return header.Filename, data, ""
}

// fileJob is the job of the site a file names, nil for none. A job of the site in another
// target language refuses the file.
func (s *Server) fileJob(r *http.Request, f exchange.File) (*twinning.Job, string, error) {
	id, err := strconv.ParseInt(f.Job, 10, 64)
	if err != nil || id <= 0 {
		return nil, "", nil
	}
	j, err := s.admin.Job(r.Context(), adminSite(r).ID, id)
	switch {
	case twinning.ErrorCode(err) == twinning.ENOTFOUND:
		return nil, "", nil
	case err != nil:
		return nil, "", err
	case j.TargetLang != f.TargetLang:
		return nil, "admin.import.error.job", nil
	}
	return &j, "", nil
}

// handleImport reads an uploaded file, keeps it, and shows the preview of what it changes.
func (s *Server) handleImport(w http.ResponseWriter, r *http.Request) error {
	name, data, msg := readUpload(w, r)
	if msg != "" {
		return s.importError(w, r, msg)
	}
	p, msg, err := s.readImport(r, name, data)
	if msg != "" || err != nil {
		return s.importFailed(w, r, msg, err)
	}
	token, hash := auth.NewToken()
	up := twinning.Upload{SiteID: adminSite(r).ID, UserID: currentUser(r).ID, Name: name, Data: data, Plan: p.plan()}
	if p.job != nil {
		up.JobID = p.job.ID
	}
	if err := s.admin.SaveUpload(r.Context(), hash, up); err != nil {
		return err
	}
	return s.importPreview(w, r, http.StatusOK, p, token, "")
}

// importPreview shows what a file changes, with the token of its upload; notice is the
// message ID of what the page says first ("" for nothing).
func (s *Server) importPreview(w http.ResponseWriter, r *http.Request, status int, p importPlan, token, notice string) error {
	v := admin.ImportView{From: p.file.SourceLang, To: p.file.TargetLang, Token: token, Notice: notice,
		Skipped: p.skipped, Action: s.urls(r).translations() + "/import/confirm",
		CanPublish: currentUser(r).CanPublish(adminSite(r).ID)}
	if p.job != nil {
		v.From = p.job.SourceLang
		v.Job = &admin.JobLine{ID: p.job.ID, Created: p.job.CreatedAt, SentTo: p.job.SentTo, Status: p.job.Status}
		newer, err := s.admin.NewerJobs(r.Context(), p.job.SiteID, p.job.ID)
		if err != nil {
			return err
		}
		v.Job.Newer = newer
	}
	for _, u := range p.units {
		v.Units = append(v.Units, u.view)
	}
	s.page(w, r, status, admin.ImportPage(s.frame(r, "admin.import.title"), v))
	return nil
}

// readImport reads an exchange file the person may import and plans, against its job, what
// it changes on the entries as they are now: the preview and its confirmation both start
// here. A file the person can mend comes back as a message ID with a nil error.
func (s *Server) readImport(r *http.Request, name string, data []byte) (importPlan, string, error) {
	site := adminSite(r)
	f, msg := readExchange(site, name, data)
	if msg != "" {
		return importPlan{}, msg, nil
	}
	if !currentUser(r).CanEditText(site.ID, f.TargetLang) {
		return importPlan{}, "", forbid(r, "import "+f.TargetLang)
	}
	job, msg, err := s.fileJob(r, f)
	if msg != "" || err != nil {
		return importPlan{}, msg, err
	}
	p, err := s.planImport(r, f, job)
	if errors.Is(err, errUnknownUnit) {
		return p, "admin.import.error.unknown_unit", nil
	}
	return p, "", err
}

// importFailed answers a refused file with the form again, and any other error with the
// error path.
func (s *Server) importFailed(w http.ResponseWriter, r *http.Request, msg string, err error) error {
	if err != nil {
		return err
	}
	return s.importError(w, r, msg)
}

// importError shows the import form again with a message; nothing is stored.
func (s *Server) importError(w http.ResponseWriter, r *http.Request, messageID string) error {
	v := admin.ImportView{Error: messageID, Action: s.urls(r).translations() + "/import"}
	s.page(w, r, http.StatusUnprocessableEntity, admin.ImportPage(s.frame(r, "admin.import.title"), v))
	return nil
}

// handleImportConfirm saves the units the person accepted. It reads the upload again, plans
// again on the entries as they are now, and when anything the preview showed of an accepted
// unit has changed since, shows the preview again with those units as conflicts and saves
// nothing. Otherwise every accepted unit is saved, entry by entry, in one transaction;
// "publish" publishes each entry that may be published and saves the others as drafts,
// saying why.
func (s *Server) handleImportConfirm(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return twinning.Errorf(twinning.EINVALID, "bad form: %v", err)
	}
	site := adminSite(r)
	token := r.PostForm.Get("token")
	hash := auth.TokenHash(token)
	up, err := s.admin.Upload(r.Context(), hash, site.ID, currentUser(r).ID)
	if twinning.ErrorCode(err) == twinning.ENOTFOUND {
		return s.importError(w, r, "admin.import.error.expired")
	}
	if err != nil {
		return err
	}
	p, msg, err := s.readImport(r, up.Name, up.Data)
	if msg != "" || err != nil {
		return s.importFailed(w, r, msg, err)
	}
	f, job := p.file, p.job
	accepted := map[string]bool{}
	for _, id := range r.PostForm["accept"] {
		accepted[id] = true
	}
	// what the person decided on must be what is there now
	changed := false
	for i := range p.units {
		u := &p.units[i]
		seen, shown := up.Plan[u.view.ID]
		if !shown || seen != u.state {
			// new since the preview, or changed: the person has not seen it as it is
			changed = changed || accepted[u.view.ID]
			accepted[u.view.ID] = false
			u.view.ChangedSincePreview, u.view.Conflict, u.view.Ticked = true, true, false
			continue
		}
		u.view.Ticked = accepted[u.view.ID] && u.view.Invalid == ""
	}
	if changed {
		if err := s.admin.SetUploadPlan(r.Context(), hash, p.plan()); err != nil {
			return err
		}
		return s.importPreview(w, r, http.StatusConflict, p, token, "admin.import.changed_since_preview")
	}
	for _, u := range p.units {
		if accepted[u.view.ID] && u.view.Invalid != "" {
			return s.importPreview(w, r, http.StatusUnprocessableEntity, p, token, "admin.import.invalid_accepted")
		}
	}
	saves, result, err := s.importSaves(r, p, accepted, r.PostForm.Get("action") == "publish")
	if err != nil {
		return err
	}
	jobID := int64(0)
	if job != nil {
		jobID = job.ID
	}
	err = s.admin.SaveImport(r.Context(), site.ID, saves, hash, jobID, s.actor(r))
	if twinning.ErrorCode(err) == twinning.ECONFLICT {
		// someone saved one of the entries between the checks above and the save
		if p, err = s.planImport(r, f, job); err != nil {
			return err
		}
		for i := range p.units {
			p.units[i].view.Ticked = false
		}
		if err := s.admin.SetUploadPlan(r.Context(), hash, p.plan()); err != nil {
			return err
		}
		return s.importPreview(w, r, http.StatusConflict, p, token, "admin.import.changed_since_preview")
	}
	if err != nil {
		return err
	}
	result.Back = s.urls(r).translations() + "?lang=" + f.TargetLang
	s.page(w, r, http.StatusOK, admin.ImportResultPage(s.frame(r, "admin.import.done"), result))
	return nil
}

// importSaves turns the accepted units into one save per entry. With publish, an entry is
// published when it may be (its required languages complete), else saved as a draft with
// the reasons in the result.
func (s *Server) importSaves(r *http.Request, p importPlan, accepted map[string]bool, publish bool) ([]twinning.EntrySave, admin.ImportResult, error) {
	site := adminSite(r)
	tr := locale.From(r.Context())
	from, to := p.file.SourceLang, p.file.TargetLang
	if p.job != nil {
		from = p.job.SourceLang
	}
	edits := map[string]twinning.Entry{}
	counts := map[string]int{}
	var order []string
	for _, u := range p.units {
		if !accepted[u.view.ID] {
			continue
		}
		e, ok := edits[u.key]
		if !ok {
			e = p.entries[u.key].e.Clone()
			order = append(order, u.key)
		}
		applyUnit(&e, to, from, u)
		edits[u.key] = e
		counts[u.key]++
	}
	var saves []twinning.EntrySave
	var result admin.ImportResult
	for _, key := range order {
		e := edits[key]
		stored := p.entries[key].e
		if err := mayChange(r, &stored, e, publish); err != nil {
			return nil, result, err
		}
		sv := twinning.EntrySave{Entry: e, Publish: publish, Action: "publish"}
		row := admin.ImportedEntry{Name: e.Name(tr.Lang, site.Languages), Type: tr.T("admin.type." + e.Type.Name),
			URL: s.urls(r).entry(p.entries[key].ct, e.ID), Units: counts[key], Published: publish}
		if publish {
			row.Reasons = publishReasons(e.ValidatePublish(site))
		}
		if !publish || len(row.Reasons) > 0 {
			sv.Publish, sv.Action, row.Published = false, "translation_import", false
		}
		row.Requested = publish
		saves = append(saves, sv)
		result.Entries = append(result.Entries, row)
	}
	return saves, result, nil
}

// publishReasons are the required languages that keep an entry from being published (the
// errors of ValidatePublish), by language.
func publishReasons(errs twinning.FieldErrors) []admin.PublishReason {
	var out []admin.PublishReason
	for k, msg := range errs {
		out = append(out, admin.PublishReason{Lang: k.Lang, Outdated: msg == "validation.outdated_language"})
	}
	slices.SortFunc(out, func(a, b admin.PublishReason) int { return cmp.Compare(a.Lang, b.Lang) })
	return out
}

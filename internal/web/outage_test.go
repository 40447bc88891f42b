package web_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"strings"
	"testing"

	"twintowns/internal/pgtest"
)

// outageEnv is a server on a PostgreSQL of its own, which the test can stop and start.
func outageEnv(t *testing.T) (*env, *pgtest.Server) {
	t.Helper()
	pg, err := pgtest.Start()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pg.Stop)
	e := envOn(t, pg.SeededDB(t))
	e.ts = httptest.NewServer(e.srv)
	t.Cleanup(e.ts.Close)
	return e, pg
}

// fetch gets a public page through real HTTP.
func (e *env) fetch(t *testing.T, host, path, lang string) response {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, e.ts.URL+path, nil)
	req.Host = host
	req.Header.Set("Accept-Language", lang)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return response{res, string(b)}
}

// While PostgreSQL is down, staff get a translated 503 page that says nothing was saved,
// public pages not in the cache a translated 503, both with Retry-After; cached pages are
// still served; everything works again once the database is back.
func TestDatabaseOutage(t *testing.T) {
	e, pg := outageEnv(t)
	s := e.staff(t, "anna@seinajoki.fi", "seinajoki", false)
	s.login("anna@seinajoki.fi")
	edit := fmt.Sprintf("/admin/sites/seinajoki/cities/%d", cityID(t, e, "seinajoki", "koszalin"))
	form := formOf(t, s.get(edit).body)
	form.Set("action", "draft")
	form.Set("description_fi", form.Get("description_fi")+"\nKirjoitettu katkon aikana & säilynyt.")
	if res := e.fetch(t, seinajoki, "/fi/", "fi"); res.StatusCode != 200 {
		t.Fatalf("home before the outage: %d", res.StatusCode)
	}

	if err := pg.Pause(); err != nil {
		t.Fatal(err)
	}
	unavailable := func(what string, res response, texts ...string) {
		t.Helper()
		if res.StatusCode != http.StatusServiceUnavailable || res.Header.Get("Retry-After") == "" ||
			!strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
			t.Errorf("%s: %d, Retry-After %q, %s\n%s", what, res.StatusCode, res.Header.Get("Retry-After"), res.Header.Get("Content-Type"), res.body)
		}
		for _, text := range texts {
			if !strings.Contains(res.body, text) {
				t.Errorf("%s lacks %q:\n%s", what, text, res.body)
			}
		}
	}
	for _, lang := range []string{"fi", "sv", "it", "pl"} {
		s.lang = lang
		unavailable("staff save in "+lang, s.post(edit, form), `<html lang="`+lang+`"`)
		unavailable("staff page in "+lang, s.get(edit), `<html lang="`+lang+`"`)
		unavailable("uncached public page in "+lang, e.fetch(t, siedlce, "/"+lang+"/history", lang), `<html lang="`+lang+`"`)
	}
	s.lang = "fi"
	kept := s.post(edit, form)
	unavailable("staff save", kept, "Mitään ei tallennettu", "Kirjoitettu katkon aikana &amp; säilynyt.", `action="`+edit+`"`)
	if strings.Contains(kept.body, "admin.") {
		t.Error("the kept form labels a field with a message ID") // a row count, a part of coordinates
	}
	unavailable("uncached public page", e.fetch(t, siedlce, "/pl/", "pl"), "Nie można teraz")
	if res := e.fetch(t, seinajoki, "/fi/", "fi"); res.StatusCode != 200 {
		t.Errorf("cached page during the outage: %d", res.StatusCode)
	}
	fresh := &staff{t: t, base: s.base, lang: "sv", c: &http.Client{Jar: mustJar(),
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	unavailable("sign-in", fresh.post("/admin/login", map[string][]string{"email": {"anna@seinajoki.fi"}, "password": {password}}), `<html lang="sv"`)

	if err := pg.Resume(); err != nil {
		t.Fatal(err)
	}
	again := formOf(t, kept.body) // what the outage page sends again
	if res := s.post(edit, again); res.StatusCode != http.StatusSeeOther {
		t.Errorf("save after the outage: %d\n%s", res.StatusCode, res.body)
	}
	if after := formOf(t, s.get(edit).body); !strings.Contains(after.Get("description_fi"), "Kirjoitettu katkon aikana & säilynyt.") ||
		after.Get("name_sv") != form.Get("name_sv") {
		t.Errorf("the values kept during the outage were not saved: %q", after.Get("description_fi"))
	}
	if res := e.fetch(t, siedlce, "/pl/history", "pl"); res.StatusCode != 200 {
		t.Errorf("public page after the outage: %d", res.StatusCode)
	}
}

func mustJar() http.CookieJar { j, _ := cookiejar.New(nil); return j }

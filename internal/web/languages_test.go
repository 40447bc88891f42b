package web_test

import (
	"io/fs"
	"log/slog"
	"net/http"
	"os"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/alexedwards/scs/pgxstore"

	"twintowns/internal/locale"
	"twintowns/internal/pgtest"
	"twintowns/internal/web"
	"twintowns/locales"
)

// A fifth language is a message file and a setting: English, from a message file in test
// data, added to Seinäjoki by an administrator in the staff area, works on every page, in
// the switcher, the alternates, the sitemap, the fallback notices, plurals, dates and in staff
// editing; Siedlce is untouched.
func TestFifthLanguage(t *testing.T) {
	db := pgtest.SeededDB(t)
	fsys := fstest.MapFS{}
	files, err := fs.ReadDir(locales.FS, ".")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		b, _ := fs.ReadFile(locales.FS, f.Name())
		fsys[f.Name()] = &fstest.MapFile{Data: b}
	}
	en, err := os.ReadFile("testdata/locales/en.toml")
	if err != nil {
		t.Fatal(err)
	}
	fsys["en.toml"] = &fstest.MapFile{Data: en}
	bundle, err := locale.LoadFS(fsys)
	if err != nil {
		t.Fatal(err)
	}
	srv, err := web.NewServer(slog.New(slog.DiscardHandler), db, bundle, web.Options{Sessions: pgxstore.NewWithCleanupInterval(db.Pool, 0), ContentChanges: db})
	if err != nil {
		t.Fatal(err)
	}
	e := &env{db: db, srv: srv}
	if res := e.get(t, seinajoki, "/en/"); res.StatusCode != http.StatusNotFound {
		t.Fatalf("English before the setting: %d", res.StatusCode)
	}

	root := e.staff(t, "admin@example.org", "", true)
	root.login("admin@example.org")
	settings := formOf(t, root.get("/admin/sites/seinajoki/settings").body)
	if settings.Get("language_fi") != "on" || settings.Get("default_lang") != "fi" {
		t.Fatalf("settings form: %v", settings)
	}
	settings.Set("language_en", "on")
	settings.Set("default_lang", "xx")
	if res := root.post("/admin/sites/seinajoki/settings", settings); res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("a default language the site does not publish: %d", res.StatusCode)
	}
	settings.Set("default_lang", "fi")
	settings.Set("latitude", "NaN")
	if res := root.post("/admin/sites/seinajoki/settings", settings); res.StatusCode != http.StatusUnprocessableEntity ||
		!strings.Contains(res.body, `id="latitude-error"`) {
		t.Errorf("a latitude that is no number: %d", res.StatusCode)
	}
	settings.Set("latitude", "62,7903")
	settings.Set("longitude", "22.8403")
	settings.Set("licence", "CC0-1.0")
	if res := root.post("/admin/sites/seinajoki/settings", settings); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("save settings: %d\n%s", res.StatusCode, res.body)
	}
	if data := e.get(t, seinajoki, "/data/partnerships.json"); !strings.Contains(data.body, "CC0-1.0") {
		t.Error("the open data does not carry the licence the administrator set")
	}
	if sites, _ := e.db.Sites(t.Context()); sites[0].Place.Latitude == nil || *sites[0].Place.Latitude != 62.7903 {
		t.Errorf("the municipality's coordinates were not stored: %+v", sites[0].Place)
	}

	// staff translate a city into English in the edit form
	path := "/admin/sites/seinajoki/cities/" + strconv.FormatInt(cityID(t, e, "seinajoki", "jiangjin"), 10)
	edit := root.get(path)
	if !strings.Contains(edit.body, `id="texts-en"`) {
		t.Fatal("the edit form has no English section")
	}
	form := formOf(t, edit.body)
	form.Set("name_en", "Jiangjin District")
	form.Set("description_en", "A district of Chongqing.")
	form.Set("translated_from_en", "sv")
	form.Set("action", "publish")
	if res := root.post(path, form); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("publish English: %d\n%s", res.StatusCode, res.body)
	}

	home := e.get(t, seinajoki, "/en/")
	for _, want := range []string{`<html lang="en"`, "6 twin towns", "4 partner cities", `hreflang="en"`, ">English<", "Jiangjin District"} {
		if !strings.Contains(home.body, want) {
			t.Errorf("English home page lacks %q", want)
		}
	}
	city := e.get(t, seinajoki, "/en/cities/jiangjin")
	for _, want := range []string{"A district of Chongqing.", "June 15, 2017", "Translation. Original language: Swedish."} {
		if !strings.Contains(city.body, want) {
			t.Errorf("English city page lacks %q", want)
		}
	}
	fallback := e.get(t, seinajoki, "/en/cities/koszalin")
	if !strings.Contains(fallback.body, "This text is not yet available in English") || !strings.Contains(fallback.body, `<h1 lang="fi">`) {
		t.Errorf("no visible fallback on an untranslated page:\n%s", fallback.body)
	}
	if fi := e.get(t, seinajoki, "/fi/cities/koszalin"); !strings.Contains(fi.body, `hreflang="en" href="`+origin(seinajoki)+`/en/cities/koszalin"`) {
		t.Error("the Finnish page has no English alternate")
	}
	if sm := e.get(t, seinajoki, "/sitemap.xml"); !strings.Contains(sm.body, `hreflang="en"`) {
		t.Error("the sitemap lacks English")
	}
	if res := e.get(t, seinajoki, "/", "Accept-Language", "en-GB,en;q=0.9"); res.Header.Get("Location") != "/en/" {
		t.Errorf("negotiation of English: %s", res.Header.Get("Location"))
	}

	// the other site does not publish English
	if res := e.get(t, siedlce, "/en/"); res.StatusCode != http.StatusNotFound {
		t.Errorf("Siedlce in English: %d", res.StatusCode)
	}
	if sm := e.get(t, siedlce, "/sitemap.xml"); strings.Contains(sm.body, `hreflang="en"`) {
		t.Error("Siedlce's sitemap has English")
	}
	if res := e.get(t, siedlce, "/", "Accept-Language", "en"); res.Header.Get("Location") != "/pl/" {
		t.Errorf("Siedlce negotiates %s", res.Header.Get("Location"))
	}
	if edit := root.get("/admin/sites/siedlce/texts"); strings.Contains(edit.body, `id="texts-en"`) {
		t.Error("Siedlce's form has an English section")
	}
}

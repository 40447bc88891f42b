package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/BurntSushi/toml"

	"twintowns/internal/photo/phototest"
	"twintowns/internal/postgres"
	"twintowns/internal/twinning"
	"twintowns/locales"
)

// Every registered type is whole: the store keeps it, every message it needs (those whose
// IDs are built from its name, fields, facts and choices at run time included) is in every
// language, the staff menu reaches it, its staff screens answer (a new entry made through
// its form from the declaration alone), and its public pages, open data, sitemap and feed
// carry it. A type missing any of these fails here, not as a 500 of the overview or an
// XLIFF note that prints a message ID to an agency.
func TestRegistryIsComplete(t *testing.T) {
	messages := map[string]map[string]bool{}
	for _, lang := range []string{"sv", "it", "pl", "fi"} {
		messages[lang] = map[string]bool{}
		for _, name := range []string{lang + ".toml", "admin." + lang + ".toml"} {
			var m map[string]any
			if _, err := toml.DecodeFS(locales.FS, name, &m); err != nil {
				t.Fatal(err)
			}
			for k := range m {
				messages[lang][k] = true
			}
		}
	}
	e := newEnv(t)
	s := e.staff(t, "admin@example.org", "", true)
	s.login("admin@example.org")
	s.lang = "pl"
	const site = "siedlce"
	base := "/admin/sites/" + site
	nav := s.get(base + "/translations").body
	// photos come by upload to a city, not from a form of their own
	s.uploadPhoto(fmt.Sprintf("%s/cities/%d/photos", base, cityID(t, e, site, "sabinov")), phototest.JPEG(640, 480, 0),
		"alt_pl", "Rynek", "credit", "Urząd Miasta", "action", "publish")

	for _, typ := range twinning.Types.All() {
		t.Run(typ.Name, func(t *testing.T) {
			if !postgres.HasStore(typ) {
				t.Error("no store mapping")
			}
			for lang, ids := range messages {
				for _, id := range append(typ.Messages(), typ.PublicMessages()...) {
					if !ids[id] {
						t.Errorf("no message %s in %s", id, lang)
					}
				}
			}
			if typ.Staff.List && !strings.Contains(nav, `href="`+base+"/"+typ.Staff.Path+`"`) {
				t.Error("no menu entry")
			}
			if typ.Staff.Create && !strings.Contains(s.get(base+"/"+typ.Staff.Path).body, `href="`+base+"/"+typ.Staff.Path+`/new"`) {
				t.Error("no link to a new entry on the list")
			}
			if typ.Staff.List && !typ.Single {
				if res := s.get(base + "/" + typ.Staff.Path); res.StatusCode != http.StatusOK {
					t.Errorf("list: %d", res.StatusCode)
				}
			}
			var entry string
			switch {
			case typ.Staff.Create:
				entry = createThroughForm(t, s, base, typ)
			case typ.Single:
				entry = base + "/" + typ.Staff.Path
			default:
				es, err := e.db.Entries(t.Context(), typ, siteID(t, e, site), false)
				if err != nil || len(es) == 0 {
					t.Fatalf("no entry to try: %v", err)
				}
				entry = base + "/" + typ.Staff.Path + "/" + idOf(es[0])
			}
			for _, path := range []string{entry, entry + "/history", entry + "/translate?to=fi"} {
				if res := s.get(path); res.StatusCode != http.StatusOK || strings.Contains(res.body, "admin.") {
					t.Errorf("%s: %d, or a message ID shown", path, res.StatusCode)
				}
			}
			if typ.Public.Path == "" || typ.Public.Own {
				return
			}
			slug := "registry-" + typ.Name
			for _, path := range []string{"/pl/" + typ.Public.Path, "/pl/" + typ.Public.Path + "/" + slug,
				"/data/" + typ.Public.Path + ".json", "/data/" + typ.Public.Path + ".csv", "/sitemap.xml", "/pl/feed.atom"} {
				res := e.get(t, siedlce, path)
				if res.StatusCode != http.StatusOK || !strings.Contains(res.body, slug) && !strings.HasSuffix(path, typ.Public.Path) {
					t.Errorf("%s: %d, or no %s", path, res.StatusCode, slug)
				}
			}
		})
	}
	for _, path := range []string{"/translations", "/trash", "/translations/export?to=fi&from=pl&scope=all&format=xliff",
		"/translations/export?to=fi&from=pl&scope=all&format=po"} {
		res := s.get(base + path)
		if p, q, ok := strings.Cut(path, "?"); ok { // an export is a POST: it makes a translation job
			form, _ := url.ParseQuery(q)
			res = s.post(base+p, form)
		}
		if res.StatusCode != http.StatusOK || strings.Contains(res.body, "admin.") {
			t.Errorf("%s: %d, or a message ID shown", path, res.StatusCode)
		}
		for _, typ := range twinning.Types.All() {
			if strings.Contains(path, "export") && typ.Staff.List && !strings.Contains(res.body, typ.Name+"/") {
				t.Errorf("%s has no units of %s entries", path, typ.Name)
			}
		}
	}
	if postgres.HasStore(&twinning.Type{Name: "x", Store: "nowhere"}) {
		t.Error("a type with no store passes")
	}
}

// createThroughForm makes a published entry of typ from its empty form, filling only what the
// declaration requires, and returns its URL.
func createThroughForm(t *testing.T, s *staff, base string, typ *twinning.Type) string {
	t.Helper()
	page := s.get(base + "/" + typ.Staff.Path + "/new")
	if page.StatusCode != http.StatusOK {
		t.Fatalf("new: %d", page.StatusCode)
	}
	form := formOf(t, page.body)
	for _, f := range typ.Facts {
		if !f.Required || form.Get(f.Key) != "" {
			continue
		}
		switch {
		case f.Kind == twinning.FactSlug:
			form.Set(f.Key, "registry-"+typ.Name)
		case f.Kind == twinning.FactDate:
			form.Set(f.Key, "2001-06-24")
		case f.Options == twinning.OptionsCountries:
			form.Set(f.Key, "DE")
		case f.Kind == twinning.FactNumber:
			form.Set(f.Key, "2001")
		default:
			form.Set(f.Key, "x")
		}
	}
	form.Set(typ.NameField()+"_pl", "Rejestr "+typ.Name)
	form.Set("action", "publish")
	res := s.post(base+"/"+typ.Staff.Path+"/new", form)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("create from the declaration: %d\n%s", res.StatusCode, res.body)
	}
	return res.Header.Get("Location")
}

func idOf(e twinning.Entry) string { return strconv.FormatInt(e.ID, 10) }

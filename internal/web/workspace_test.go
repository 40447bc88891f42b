package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"twintowns/internal/twinning"
)

// outdatedOnHome is the count of fields out of date in lang that a site's section of the staff
// home links to (0 when it links none).
func outdatedOnHome(t *testing.T, home, site, lang string) int {
	t.Helper()
	re := regexp.MustCompile(`href="/admin/sites/` + site + `/translations\?lang=` + lang + `&amp;state=outdated">(\d+)</a>`)
	m := re.FindStringSubmatch(home)
	if m == nil {
		return 0
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

// The staff home shows the work: a source change makes the translations out of date and a
// draft, counted for its author and for others; a translator sees only their languages; an
// administrator sees the accounts never taken up.
func TestStaffHomeShowsTheWork(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	anna := e.staff(t, "anna@seinajoki.fi", "seinajoki", false)
	anna.login("anna@seinajoki.fi")
	bo := e.staff(t, "bo@seinajoki.fi", "seinajoki", false)
	bo.login("bo@seinajoki.fi")
	tove := e.staff(t, "tove@seinajoki.fi", "seinajoki", false)
	toveUser, _, err := e.db.UserByEmail(ctx, "tove@seinajoki.fi")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.db.UpdateUser(ctx, toveUser.ID, twinning.RoleTranslator, []int64{siteID(t, e, "seinajoki")}, []string{"sv"},
		twinning.Actor{Email: "test"}); err != nil {
		t.Fatal(err)
	}
	tove.login("tove@seinajoki.fi")

	home := anna.get("/admin/")
	if home.StatusCode != http.StatusOK || !strings.Contains(home.body, "Ei julkaisemattomia luonnoksia") {
		t.Fatalf("home before: %d\n%s", home.StatusCode, home.body)
	}
	before := outdatedOnHome(t, home.body, "seinajoki", "fi")

	// the Swedish source of Koszalin's description changes; its Finnish translation is not
	// checked against it
	path := "/admin/sites/seinajoki/cities/" + strconv.FormatInt(cityID(t, e, "seinajoki", "koszalin"), 10)
	form := formOf(t, anna.get(path).body)
	form.Set("description_sv", form.Get("description_sv")+" Ny mening om hamnen.")
	form.Set("reviewed_fi", "")
	form.Set("action", "draft")
	if res := anna.post(path, form); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("draft: %d\n%s", res.StatusCode, res.body)
	}

	home = anna.get("/admin/")
	if got := outdatedOnHome(t, home.body, "seinajoki", "fi"); got != before+1 {
		t.Errorf("Finnish fields out of date: %d, want %d", got, before+1)
	}
	mine := regexp.MustCompile(`(?s)<h4>Omasi \(1\)</h4>\s*<ul class="work-items">\s*<li>\s*<a href="` + path + `">Koszalin</a>`)
	if !mine.MatchString(home.body) {
		t.Errorf("anna's draft not among hers:\n%s", home.body)
	}
	if !strings.Contains(home.body, path+"/translate?to=fi#description_fi") {
		t.Error("the out-of-date field is not linked to the translator's screen")
	}
	other := bo.get("/admin/")
	theirs := regexp.MustCompile(`(?s)<h4>Muiden \(1\)</h4>\s*<ul class="work-items">\s*<li>\s*<a href="` + path + `">Koszalin</a>.*?anna@seinajoki\.fi`)
	if !theirs.MatchString(other.body) || strings.Contains(other.body, "<h4>Omasi") {
		t.Errorf("bo does not see anna's draft as another's:\n%s", other.body)
	}

	// a translator of Swedish: only Swedish, no feedback (it holds the public's addresses)
	tr := tove.get("/admin/")
	if tr.StatusCode != http.StatusOK || strings.Contains(tr.body, `<th scope="row">suomi`) || !strings.Contains(tr.body, `<th scope="row">ruotsi`) ||
		strings.Contains(tr.body, "/feedback") {
		t.Errorf("translator's home: %d\n%s", tr.StatusCode, tr.body)
	}

	// new feedback is counted until the person opens the list
	if _, err := e.db.AddFeedback(ctx, twinning.Feedback{SiteID: siteID(t, e, "seinajoki"), Lang: "fi", Page: "/fi/",
		Message: "Kontrasti on heikko.", Address: "192.0.2.1"}, time.Now().Add(-time.Hour), 100); err != nil {
		t.Fatal(err)
	}
	if home := anna.get("/admin/"); !strings.Contains(home.body, "1 uusi saavutettavuuspalaute") {
		t.Errorf("new feedback not counted:\n%s", home.body)
	}
	anna.get("/admin/sites/seinajoki/feedback")
	if home := anna.get("/admin/"); !strings.Contains(home.body, "0 uutta saavutettavuuspalautetta") {
		t.Error("seen feedback still counted as new")
	}

	// an administrator sees the invitation not taken up
	if _, err := e.db.CreateUser(ctx, "kutsuttu@seinajoki.fi", "seinajoki", false, ""); err != nil {
		t.Fatal(err)
	}
	root := e.staff(t, "admin@example.org", "", true)
	root.login("admin@example.org")
	if home := root.get("/admin/"); !strings.Contains(home.body, "kutsuttu@seinajoki.fi") || !strings.Contains(home.body, `id="site-siedlce"`) {
		t.Errorf("administrator's home:\n%s", home.body)
	}
}

// The staff menu is grouped by task and lists only what the person may use; the page shown
// is marked, and the breadcrumb names the site and the entry.
func TestStaffNavigationByTask(t *testing.T) {
	e := newEnv(t)
	jan := e.staff(t, "jan@siedlce.pl", "siedlce", false)
	jan.lang = "pl"
	jan.login("jan@siedlce.pl")
	base := "/admin/sites/siedlce"
	list := jan.get(base + "/cities")
	menu := regexp.MustCompile(`(?s)<nav class="admin-nav".*?</nav>`)
	nav := menu.FindString(list.body)
	for _, want := range []string{`id="nav-content"`, `id="nav-translation"`, `id="nav-feedback"`,
		`<a href="` + base + `/cities" aria-current="page">`, `href="` + base + `/translations/jobs"`, `href="` + base + `/trash"`} {
		if !strings.Contains(nav, want) {
			t.Errorf("editor's menu lacks %s:\n%s", want, nav)
		}
	}
	for _, not := range []string{`id="nav-admin"`, `/admin/users`, `/settings`, `/cities/new`} {
		if strings.Contains(nav, not) {
			t.Errorf("editor's menu offers %s", not)
		}
	}
	if !strings.Contains(list.body, `href="`+base+`/cities/new"`) {
		t.Error("the list does not offer a new city")
	}
	path := base + "/cities/" + strconv.FormatInt(cityID(t, e, "siedlce", "dasing"), 10)
	edit := jan.get(path)
	if nav := menu.FindString(edit.body); !strings.Contains(nav, `<a href="`+base+`/cities" aria-current="true">`) {
		t.Errorf("the entry's list is not marked in the menu:\n%s", nav)
	}
	crumb := regexp.MustCompile(`(?s)<nav class="breadcrumb"[^>]*>\s*<ol>\s*<li><a href="/admin/">[^<]+</a></li>\s*<li><a href="` + base + `">Siedlce</a></li>\s*<li><a href="` + base + `/cities">[^<]+</a></li>\s*<li aria-current="page">[^<]*Dasing[^<]*</li>`)
	if !crumb.MatchString(edit.body) {
		t.Errorf("breadcrumb:\n%s", regexp.MustCompile(`(?s)<nav class="breadcrumb".*?</nav>`).FindString(edit.body))
	}
	docs := jan.get(path + "/documents")
	if docs.StatusCode != http.StatusOK || !strings.Contains(docs.body, `<a href="`+path+`/documents" aria-current="page">`) ||
		!strings.Contains(docs.body, `<li><a href="`+path+`">Dasing</a></li>`) {
		t.Errorf("documents page: %d", docs.StatusCode)
	}

	// an administrator also has the site's settings and the global things
	root := e.staff(t, "admin@example.org", "", true)
	root.lang = "pl"
	root.login("admin@example.org")
	nav = menu.FindString(root.get(base + "/settings").body)
	for _, want := range []string{`<a href="` + base + `/settings" aria-current="page">`, `id="nav-admin"`, `href="/admin/users"`, `href="/admin/audit"`, `href="/admin/sites"`} {
		if !strings.Contains(nav, want) {
			t.Errorf("administrator's menu lacks %s:\n%s", want, nav)
		}
	}
}

// The edit form shows the facts, then one language at a time, each with its state; the
// action bar holds Preview, Save draft and Publish; what is typed in every language is
// saved together, whichever is unfolded.
func TestEditFormOneLanguageAtATime(t *testing.T) {
	e := newEnv(t)
	jan := e.staff(t, "jan@siedlce.pl", "siedlce", false)
	jan.lang = "pl"
	jan.login("jan@siedlce.pl")
	path := "/admin/sites/siedlce/cities/" + strconv.FormatInt(cityID(t, e, "siedlce", "dasing"), 10)
	page := jan.get(path)
	open := regexp.MustCompile(`<details name="texts" id="texts-([a-z]+)" class="lang-section"( open)?>`).FindAllStringSubmatch(page.body, -1)
	var unfolded []string
	for _, m := range open {
		if m[2] != "" {
			unfolded = append(unfolded, m[1])
		}
	}
	if len(open) != 4 || len(unfolded) != 1 || unfolded[0] != "pl" {
		t.Errorf("languages %v, unfolded %v", open, unfolded)
	}
	if !regexp.MustCompile(`(?s)<div class="action-bar">.*value="preview".*value="draft".*value="publish"`).MatchString(page.body) {
		t.Error("no action bar with preview, draft and publish")
	}
	if !regexp.MustCompile(`<span class="lang-state state-(complete|missing|outdated)">`).MatchString(page.body) {
		t.Error("a language does not show its state")
	}
	if strings.Contains(page.body, `action="`+path+`/documents"`) {
		t.Error("the document upload is still on the edit form")
	}
	if fi := jan.get(path + "?lang=fi"); !strings.Contains(fi.body, `id="texts-fi" class="lang-section" open>`) {
		t.Error("?lang=fi does not unfold Finnish")
	}

	form := formOf(t, page.body)
	form.Set("summary_pl", "Poprawione streszczenie.")
	form.Set("summary_it", "Riassunto nuovo.")
	form.Set("action", "draft")
	if res := jan.post(path+"?lang=it", form); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("draft: %d\n%s", res.StatusCode, res.body)
	}
	after := formOf(t, jan.get(path).body)
	if after.Get("summary_pl") != "Poprawione streszczenie." || after.Get("summary_it") != "Riassunto nuovo." {
		t.Errorf("saved: pl %q it %q", after.Get("summary_pl"), after.Get("summary_it"))
	}
	// a form with an error in Italian comes back with Italian unfolded and nothing lost
	form.Set("name_it", strings.Repeat("x", twinning.MaxNameLen+1))
	res := jan.post(path, form)
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.body, `id="texts-it" class="lang-section" open>`) ||
		!strings.Contains(res.body, "Poprawione streszczenie.") {
		t.Errorf("error in Italian: %d", res.StatusCode)
	}
}

// The translation overview names a document by its title and its city, shows the field
// states only where some are pending, and its ids hold no "/".
func TestOverviewNamesThings(t *testing.T) {
	e := newEnv(t)
	jan := e.staff(t, "jan@siedlce.pl", "siedlce", false)
	jan.lang = "pl"
	jan.login("jan@siedlce.pl")
	page := jan.get("/admin/sites/siedlce/translations?type=document")
	if page.StatusCode != http.StatusOK {
		t.Fatalf("overview: %d", page.StatusCode)
	}
	rows := regexp.MustCompile(`(?s)<th scope="row">\s*<a href="[^"]+">([^<]+)</a>\s*(?:<span class="hint">\(([^)]*)\)</span>)?`).FindAllStringSubmatch(page.body, -1)
	if len(rows) < 2 {
		t.Fatalf("%d document rows", len(rows))
	}
	seen := map[string]bool{}
	for _, r := range rows {
		if r[2] == "" {
			t.Errorf("document %q without its city", r[1])
		}
		if seen[r[1]+r[2]] {
			t.Errorf("two rows named %q (%s)", r[1], r[2])
		}
		seen[r[1]+r[2]] = true
	}
	if !seen["Tekst umowy o współpracy"+"Dasing"] {
		t.Errorf("no agreement of Dasing among %v", seen)
	}
	if regexp.MustCompile(`id="entry-[a-z]+/`).MatchString(page.body) {
		t.Error("an id holds a /")
	}
	empty := regexp.MustCompile(`(?s)<details>\s*<summary>[^<]*<span class="visually-hidden">[^<]*</span></summary>\s*<ul class="lang-states">\s*</ul>`)
	if empty.MatchString(jan.get("/admin/sites/siedlce/translations").body) {
		t.Error("a disclosure opens on an empty list")
	}
}

// The staff language follows the person: the browser's language among the staff languages,
// else the default language of the person's first site, not the default site's.
func TestStaffLanguageFollowsThePerson(t *testing.T) {
	e := newEnv(t)
	jan := e.staff(t, "jan@siedlce.pl", "siedlce", false)
	jan.lang = "en-US,en;q=0.9"
	jan.login("jan@siedlce.pl")
	if res := jan.get("/admin/sites/siedlce/cities"); !strings.Contains(res.body, `<html lang="pl"`) {
		t.Errorf("an English browser on Siedlce: %s", regexp.MustCompile(`<html lang="[a-z]+"`).FindString(res.body))
	}
	jan.lang = "it-IT,it;q=0.9"
	if res := jan.get("/admin/sites/siedlce/cities"); !strings.Contains(res.body, `<html lang="it"`) {
		t.Errorf("an Italian browser: %s", regexp.MustCompile(`<html lang="[a-z]+"`).FindString(res.body))
	}
}

// The place picker finds Changsha among its namesakes by region and population, and fills in
// the coordinates and the GeoNames id of the prefecture-level city, with everything typed
// kept; the id is saved with the draft, published and in the open data. Coordinates typed by
// hand drop the id they no longer come from.
func TestPlacePickerSetsChangsha(t *testing.T) {
	e := newEnv(t)
	anna := e.staff(t, "anna@seinajoki.fi", "seinajoki", false)
	anna.login("anna@seinajoki.fi")
	ctx := context.Background()
	id := cityID(t, e, "seinajoki", "changsha")
	geonamesID := func() (id *int64) {
		t.Helper()
		if err := e.db.Pool.QueryRow(ctx, `SELECT geonames_id FROM cities WHERE id = $1`, cityID(t, e, "seinajoki", "changsha")).Scan(&id); err != nil {
			t.Fatal(err)
		}
		return id
	}
	path := "/admin/sites/seinajoki/cities/" + strconv.FormatInt(id, 10)
	form := formOf(t, anna.get(path).body)
	if form.Get("coordinates_geonames_id") != "1815577" {
		t.Fatalf("the form does not show the demo's GeoNames id: %q", form.Get("coordinates_geonames_id"))
	}

	// coordinates typed by hand are no longer GeoNames': the id goes, in the form and published
	form.Set("coordinates_latitude", "28.2")
	form.Set("action", "publish")
	if res := anna.post(path, form); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("publish by hand: %d\n%s", res.StatusCode, res.body)
	}
	if got := geonamesID(); got != nil {
		t.Errorf("coordinates typed by hand keep GeoNames id %d", *got)
	}
	form = formOf(t, anna.get(path).body)
	if form.Get("coordinates_latitude") != "28.2" || form.Get("coordinates_geonames_id") != "" {
		t.Errorf("after typing by hand: %q, GeoNames id %q", form.Get("coordinates_latitude"), form.Get("coordinates_geonames_id"))
	}

	form.Set("summary_fi", "Kirjoitettu mutta ei tallennettu.")
	form.Set("place_query", "changsha")
	form.Set("action", "place")
	found := anna.post(path, form)
	results := regexp.MustCompile(`<button type="submit" name="place" value="(\d+)" class="link-button">Changsha</button> <span class="hint">([^<]+)</span>`).FindAllStringSubmatch(found.body, -1)
	if found.StatusCode != http.StatusOK || len(results) != 3 || results[0][1] != "1815577" || !regexp.MustCompile(`^Hunan · 3\D093\D980 asukasta`).MatchString(results[0][2]) ||
		!strings.Contains(found.body, "Kirjoitettu mutta ei tallennettu.") {
		t.Fatalf("search: %d %v", found.StatusCode, results)
	}
	form = formOf(t, found.body)
	form.Del("action")
	form.Set("place", "1815577")
	chosen := anna.post(path, form)
	got := formOf(t, chosen.body)
	if got.Get("coordinates_latitude") != "28.19874" || got.Get("coordinates_longitude") != "112.97087" || got.Get("coordinates_geonames_id") != "1815577" ||
		got.Get("summary_fi") != "Kirjoitettu mutta ei tallennettu." || !strings.Contains(chosen.body, `class="coordinates-preview"`) {
		t.Fatalf("chosen: %d %q %q %q", chosen.StatusCode, got.Get("coordinates_latitude"), got.Get("coordinates_longitude"), got.Get("coordinates_geonames_id"))
	}
	got.Set("action", "draft")
	if res := anna.post(path, got); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("save: %d\n%s", res.StatusCode, res.body)
	}
	saved := formOf(t, anna.get(path).body)
	if saved.Get("coordinates_latitude") != "28.19874" || saved.Get("coordinates_geonames_id") != "1815577" {
		t.Errorf("saved draft: latitude %q, GeoNames id %q", saved.Get("coordinates_latitude"), saved.Get("coordinates_geonames_id"))
	}
	saved.Set("action", "publish")
	if res := anna.post(path, saved); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("publish: %d\n%s", res.StatusCode, res.body)
	}
	if got := geonamesID(); got == nil || *got != 1815577 {
		t.Errorf("published GeoNames id %v", got)
	}
	type partnership struct {
		Slug              string
		GeoNamesID        *int64  `json:"geonames_id"`
		LocationPrecision *string `json:"location_precision"`
	}
	var data struct{ Partnerships []partnership }
	if err := json.Unmarshal([]byte(e.get(t, seinajoki, "/data/partnerships.json").body), &data); err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(data.Partnerships, func(p partnership) bool { return p.Slug == "changsha" })
	if p := data.Partnerships[max(i, 0)]; i < 0 || p.GeoNamesID == nil || *p.GeoNamesID != 1815577 || p.LocationPrecision == nil || *p.LocationPrecision != "place" {
		t.Errorf("open data of Changsha (%d): GeoNames %v, precision %v", i, p.GeoNamesID, p.LocationPrecision)
	}

	// no country, no search; a query that matches nothing says so
	form.Set("country", "")
	form.Del("place")
	form.Set("action", "place")
	if res := anna.post(path, form); res.StatusCode != http.StatusOK || !strings.Contains(res.body, `<p class="field-error" role="alert">`) {
		t.Errorf("no country: %d", res.StatusCode)
	}
}

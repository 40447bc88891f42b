package e2e

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/go-chi/chi/v5"

	"twintowns/internal/auth"
	"twintowns/internal/photo/phototest"
	"twintowns/internal/twinning"
)

// notWalked are the staff GET routes the walk of every staff page does not open, each with
// why: what answers with no page, and the page only a sign-in with a second factor shows.
var notWalked = map[string]string{
	"/admin/login/verify":                              "the second step of a sign-in with a second factor: TestTOTPEnrolmentSignInAndRecoveryCode checks it with axe and screenshots at both widths",
	"/admin/oidc/{provider}":                           "sends the browser to an OpenID provider (none is configured here): no page",
	"/admin/oidc/{provider}/callback":                  "the provider's answer, redirected on: no page",
	"/admin/lang/{lang}":                               "sets the staff language and redirects: no page",
	"/admin/sites/{site}/photos/files/{file}":          "a photo's image file",
	"/admin/sites/{site}/translations/parity.csv":      "a CSV file",
	"/admin/sites/{site}/translations/jobs/{job}/file": "an XLIFF or PO file",
}

// staffPageName names a staff route's screenshots: "/admin/sites/{site}/cities/{id}/history"
// is admin-cities-id-history-1280.png.
func staffPageName(route string) string {
	name := strings.Trim(strings.TrimPrefix(route, "/admin"), "/")
	name = strings.NewReplacer("{", "", "}", "", "/", "-").Replace(name)
	switch name = strings.TrimPrefix(name, "sites-site-"); name {
	case "":
		return "home"
	case "sites-site":
		return "site"
	}
	return name
}

// An administrator opens every staff page of routes.go on the demo's Siedlce (an entry of
// each type for the routes of one, with a revision, a photo and a one-time link made first):
// axe finds nothing with the WCAG 2.2 AA rules at 1280 and at 390 px, nothing overflows on
// the phone, and each width is saved as var/screenshots/admin-PAGE-WIDTH.png. A staff GET
// route is either walked or in notWalked with a reason. Then, with JavaScript off in
// Chromium, the everyday jobs by visible labels: the Polish description of Dasing edited and
// published, a field translated on the translator's screen and published, a place picked
// with the place picker, and the language sections switched without losing what was typed.
func TestEveryStaffPage(t *testing.T) {
	s := startSite(t)
	addAdministrator(t, s, adminEmail)
	src := axeSource(t)
	ctx := tab(t, browser(t))
	pl := s.locales.For("pl")
	const host = "siedlce.localhost"
	bg := context.Background()

	var routes []string
	if err := chi.Walk(s.srv.Routes(), func(method, route string, _ http.Handler, _ ...func(http.Handler) http.Handler) error {
		if method == http.MethodGet && strings.HasPrefix(route, "/admin/") {
			routes = append(routes, route)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	for route := range notWalked {
		if !slices.Contains(routes, route) {
			t.Errorf("notWalked lists %s, which routes.go no longer has", route)
		}
	}
	pages := t.TempDir() // each page's HTML as served, for the Nu checker
	visit := func(route, path string) {
		t.Helper()
		c, cancel := context.WithTimeout(ctx, 30*time.Second)
		defer cancel()
		res, err := chromedp.Run(c, chromedp.NavigateResponse(s.url(host, path)))
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		if res.Status != http.StatusOK {
			t.Errorf("%s (%s): %d", path, route, res.Status)
		}
		checkWidths(t, ctx, src, path, "admin-"+staffPageName(route))
		if err := os.WriteFile(filepath.Join(pages, staffPageName(route)+".html"), served(t, ctx, s, host, path), 0o600); err != nil {
			t.Fatal(err)
		}
	}

	// the sign-in page, before signing in
	do(t, ctx, chromedp.Navigate(s.url(host, "/admin/lang/pl?next=/admin/login")))
	visit("/admin/login", "/admin/login")
	signInWith(t, ctx, s, host, pl, adminEmail)

	// what the routes of one thing need: an entry of each type with a revision (a photo
	// uploaded first: the demo has none), the administrator, a one-time link
	siteID := siteIDOf(t, s, "siedlce")
	dasing := cityIDOf(t, s, "siedlce/dasing")
	file := filepath.Join(t.TempDir(), "IMG_0001.JPG")
	if err := os.WriteFile(file, phototest.JPEG(1200, 800, 0), 0o600); err != nil {
		t.Fatal(err)
	}
	do(t, ctx, chromedp.Navigate(s.url(host, fmt.Sprintf("/admin/sites/siedlce/cities/%d/photos", dasing))),
		chromedp.SetUploadFiles(`#photo`, []string{file}))
	fill(t, ctx, pl.T("admin.photo.alt_in_required", "Language", pl.Language("pl")), "Rynek w Dasing")
	fill(t, ctx, pl.T("admin.field.credit"), "Jan Testowy")
	follow(t, ctx, button(pl.T("admin.photo.upload_publish")))
	ids, revs := map[string]string{}, map[string]string{}
	for _, typ := range twinning.Types.All() {
		es, err := s.db.Entries(bg, typ, siteID, false)
		if err != nil || len(es) == 0 {
			t.Fatalf("%s entries of Siedlce: %d, %v", typ.Name, len(es), err)
		}
		e := es[0]
		if i := slices.IndexFunc(es, func(e twinning.Entry) bool { return e.ID == dasing }); typ == twinning.CityType && i >= 0 {
			e = es[i]
		}
		if _, err := s.db.SaveEntry(bg, siteID, e, false, "draft", twinning.Actor{Email: adminEmail}); err != nil {
			t.Fatalf("a revision of %s %d: %v", typ.Name, e.ID, err)
		}
		rs, err := s.db.Revisions(bg, typ, siteID, e.ID)
		if err != nil || len(rs) == 0 {
			t.Fatalf("revisions of %s %d: %v", typ.Name, e.ID, err)
		}
		ids[typ.Staff.Path], revs[typ.Staff.Path] = itoa(e.ID), itoa(rs[0].ID)
	}
	admin, _, err := s.db.UserByEmail(bg, adminEmail)
	if err != nil {
		t.Fatal(err)
	}
	anna, _, err := s.db.UserByEmail(bg, staffEmail)
	if err != nil {
		t.Fatal(err)
	}
	token, hash := auth.NewToken()
	if err := s.db.IssueLink(bg, anna.ID, hash, auth.LinkValidity, twinning.Actor{Email: adminEmail}); err != nil {
		t.Fatal(err)
	}

	// every other staff page, its parameters filled in
	for _, route := range routes {
		if _, ok := notWalked[route]; ok || route == "/admin/login" {
			continue
		}
		segs := strings.Split(route, "/")
		typ := "" // the type path of /admin/sites/{site}/TYPE/...
		if len(segs) > 4 && segs[2] == "sites" {
			typ = segs[4]
		}
		var missing []string
		for i, seg := range segs {
			switch v := ""; seg {
			case "{site}":
				segs[i] = "siedlce"
			case "{id}", "{rev}":
				if segs[2] == "users" {
					v = itoa(admin.ID)
				} else if seg == "{id}" {
					v = ids[typ]
				} else {
					v = revs[typ]
				}
				segs[i] = cmp.Or(v, seg)
				if v == "" {
					missing = append(missing, seg)
				}
			case "{token}":
				segs[i] = token
			default:
				if strings.HasPrefix(seg, "{") {
					missing = append(missing, seg)
				}
			}
		}
		if len(missing) > 0 {
			t.Errorf("%s: no value for %v: walk it, or add it to notWalked with the reason", route, missing)
			continue
		}
		path := strings.Join(segs, "/")
		if strings.HasSuffix(route, "/translate") {
			path += "?to=it" // the translator's screen is of a language
		}
		visit(route, path)
	}

	checkNu(t, pages)

	// Without JavaScript, the everyday jobs by visible labels.
	if _, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
		t.Fatal(err)
	}
	lang := func(l string) string { // a language's section of the edit form
		return `//details[summary/span[normalize-space(.)=` + xq(pl.Language(l)) + `]]`
	}
	form := func() {
		t.Helper()
		do(t, ctx, chromedp.Navigate(s.url(host, "/admin/sites/siedlce")))
		follow(t, ctx, link(pl.T("admin.nav.city")))
		follow(t, ctx, link("Dasing"))
	}
	published := func(job string) {
		t.Helper()
		if text := bodyText(t, ctx); !strings.Contains(text, pl.T("admin.flash.published")) {
			t.Fatalf("%s: not published:\n%s", job, text)
		}
	}

	// the Polish description of Dasing, edited and published
	form()
	desc := fieldIn(lang("pl"), pl.T("admin.field.description"))
	typeAtEnd(t, ctx, desc, " Poprawka bez JavaScriptu.")
	follow(t, ctx, button(pl.T("admin.action.publish")))
	published("the Polish description")
	if v := valueOf(t, ctx, desc); !strings.HasSuffix(v, " Poprawka bez JavaScriptu.") {
		t.Errorf("the Polish description after publishing: %q", v)
	}

	// the Italian summary on the translator's screen, published
	do(t, ctx, chromedp.Click(lang("it")+`/summary`))
	follow(t, ctx, link(pl.T("admin.translate.link", "Language", pl.Language("it"))))
	fill(t, ctx, pl.T("admin.field.summary"), "Dasing, comune della Baviera.")
	follow(t, ctx, button(pl.T("admin.action.publish")))
	published("the Italian summary")
	if v := valueOf(t, ctx, field(pl.T("admin.field.summary"))); v != "Dasing, comune della Baviera." {
		t.Errorf("the Italian summary after publishing: %q", v)
	}

	// a place from the place picker: its coordinates and GeoNames id, published
	form()
	do(t, ctx, chromedp.Click(`//summary[normalize-space(.)=`+xq(pl.T("admin.group.place"))+`]`))
	fill(t, ctx, pl.T("admin.place.search_label"), "Dasing")
	follow(t, ctx, button(pl.T("admin.place.search")))
	follow(t, ctx, button("Dasing"))
	if lat, id := valueOf(t, ctx, field(pl.T("admin.field.latitude"))), valueOf(t, ctx, field(pl.T("admin.field.geonames_id"))); lat == "" || id != "2938837" {
		t.Errorf("the place picked: latitude %q, GeoNames id %q", lat, id)
	}
	follow(t, ctx, button(pl.T("admin.action.publish")))
	published("the place")
	var geonames *int64
	if err := s.db.Pool.QueryRow(bg, `SELECT geonames_id FROM cities WHERE id = $1`, dasing).Scan(&geonames); err != nil || geonames == nil || *geonames != 2938837 {
		t.Errorf("the place published: GeoNames id %v, %v", geonames, err)
	}

	// the language sections switched by their names: what was typed in each stays
	summary := func(l string) string { return fieldIn(lang(l), pl.T("admin.field.summary")) }
	fillField(t, ctx, summary("pl"), "Dasing w Bawarii.")
	do(t, ctx, chromedp.Click(lang("it")+`/summary`))
	if eval[bool](t, ctx, visible(summary("pl"))) || !eval[bool](t, ctx, visible(summary("it"))) {
		t.Error("opening Italian does not fold Polish away")
	}
	fillField(t, ctx, summary("it"), "Dasing in Baviera.")
	do(t, ctx, chromedp.Click(lang("pl")+`/summary`))
	if v := valueOf(t, ctx, summary("pl")); v != "Dasing w Bawarii." {
		t.Errorf("the Polish summary after switching languages: %q", v)
	}
	follow(t, ctx, button(pl.T("admin.action.draft")))
	if pl, it := valueOf(t, ctx, summary("pl")), valueOf(t, ctx, summary("it")); pl != "Dasing w Bawarii." || it != "Dasing in Baviera." {
		t.Errorf("saved after switching languages: %q, %q", pl, it)
	}
}

// typeAtEnd types text at the end of the field of the XPath, as a person adding to it.
func typeAtEnd(t *testing.T, ctx context.Context, xpath, text string) {
	t.Helper()
	js := fmt.Sprintf(`(() => {
		const el = document.evaluate(%q, document, null, XPathResult.FIRST_ORDERED_NODE_TYPE, null).singleNodeValue;
		if (!el) return false;
		el.focus(); el.setSelectionRange(el.value.length, el.value.length);
		return document.activeElement === el;
	})()`, xpath)
	if !eval[bool](t, ctx, js) {
		t.Fatalf("no field %s on %s", xpath, location(t, ctx))
	}
	do(t, ctx, chromedp.KeyEvent(text))
}

// served is the page at path of host as the server sends it to the browser of ctx (with its
// cookies).
func served(t *testing.T, ctx context.Context, s *site, host, path string) []byte {
	t.Helper()
	cookies, err := chromedp.Call(ctx, network.GetCookies, network.GetCookiesParams{URLs: []string{s.url(host, path)}})
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest(http.MethodGet, "http://127.0.0.1:"+s.port+path, nil)
	req.Host = host + ":" + s.port
	for _, c := range cookies.Cookies {
		req.AddCookie(&http.Cookie{Name: c.Name, Value: c.Value})
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("%s%s: %d, %v", host, path, res.StatusCode, err)
	}
	return b
}

// valueOf is the value of the form control of the XPath.
func valueOf(t *testing.T, ctx context.Context, xpath string) string {
	t.Helper()
	return eval[string](t, ctx, fmt.Sprintf(`document.evaluate(%q, document, null, XPathResult.FIRST_ORDERED_NODE_TYPE, null).singleNodeValue?.value ?? ""`, xpath))
}

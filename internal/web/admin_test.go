package web_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"twintowns/internal/auth"
)

const password = "a long enough password"

// staff is a browser of the staff area: its own cookies, no automatic redirects.
type staff struct {
	t    *testing.T
	base string
	c    *http.Client
	lang string
}

func (e *env) staff(t *testing.T, email, site string, isAdmin bool) *staff {
	t.Helper()
	if email != "" {
		hash, err := auth.HashPassword(password)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.db.CreateUser(context.Background(), email, site, isAdmin, hash); err != nil {
			t.Fatal(err)
		}
	}
	ts := e.httpServer(t)
	jar, _ := cookiejar.New(nil)
	return &staff{t: t, base: ts.URL, lang: "fi", c: &http.Client{Jar: jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

func (e *env) httpServer(t *testing.T) *httptest.Server {
	if e.ts == nil {
		e.ts = httptest.NewServer(e.srv)
		t.Cleanup(e.ts.Close)
	}
	return e.ts
}

func (s *staff) do(method, path string, form url.Values, header ...string) response {
	s.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, s.base+path, body)
	if err != nil {
		s.t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	req.Header.Set("Accept-Language", s.lang)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	res, err := s.c.Do(req)
	if err != nil {
		s.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return response{res, string(b)}
}

func (s *staff) get(path string) response { s.t.Helper(); return s.do(http.MethodGet, path, nil) }
func (s *staff) post(path string, f url.Values) response {
	s.t.Helper()
	return s.do(http.MethodPost, path, f)
}

func (s *staff) login(email string) {
	s.t.Helper()
	res := s.post("/admin/login", url.Values{"email": {email}, "password": {password}})
	if res.StatusCode != http.StatusSeeOther {
		s.t.Fatalf("sign-in of %s: %d\n%s", email, res.StatusCode, res.body)
	}
}

// form reads the values of an edit form page back, as the browser would send them.
func formOf(t *testing.T, page string) url.Values {
	t.Helper()
	v := url.Values{}
	for _, m := range regexp.MustCompile(`<input type="(?:hidden|text)" (?:id="[^"]*" )?name="([^"]+)" value="([^"]*)"`).FindAllStringSubmatch(page, -1) {
		v.Set(m[1], html(m[2]))
	}
	for _, m := range regexp.MustCompile(`(?s)<textarea id="[^"]*" name="([^"]+)"[^>]*>(.*?)</textarea>`).FindAllStringSubmatch(page, -1) {
		v.Set(m[1], html(m[2]))
	}
	for _, m := range regexp.MustCompile(`(?s)<select id="[^"]*" name="([^"]+)"[^>]*>(.*?)</select>`).FindAllStringSubmatch(page, -1) {
		if sel := regexp.MustCompile(`<option value="([^"]*)" selected>`).FindStringSubmatch(m[2]); sel != nil {
			v.Set(m[1], sel[1])
		}
	}
	for _, m := range regexp.MustCompile(`<input type="checkbox" id="[^"]*" name="([^"]+)" checked>`).FindAllStringSubmatch(page, -1) {
		v.Set(m[1], "on")
	}
	return v
}

func html(s string) string {
	return strings.NewReplacer("&amp;", "&", "&lt;", "<", "&gt;", ">", "&#34;", `"`, "&#39;", "'", "&quot;", `"`).Replace(s)
}

func cityID(t *testing.T, e *env, site, slug string) int64 {
	t.Helper()
	var id int64
	if err := e.db.Pool.QueryRow(context.Background(),
		`SELECT c.id FROM cities c JOIN sites s ON s.id = c.site_id WHERE s.slug = $1 AND c.slug = $2`, site, slug).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}

func TestSignInSessionAndSignOut(t *testing.T) {
	e := newEnv(t)
	s := e.staff(t, "anna@seinajoki.fi", "seinajoki", false)
	if res := s.get("/admin/sites/seinajoki/cities"); res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/admin/login" {
		t.Fatalf("not signed in: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	wrong := s.post("/admin/login", url.Values{"email": {"anna@seinajoki.fi"}, "password": {"wrong password!"}})
	if wrong.StatusCode != http.StatusUnauthorized || !strings.Contains(wrong.body, "Sähköpostiosoite tai salasana on väärä") &&
		!strings.Contains(wrong.body, `role="alert"`) || !strings.Contains(wrong.body, `value="anna@seinajoki.fi"`) {
		t.Errorf("wrong password: %d\n%s", wrong.StatusCode, wrong.body)
	}
	if res := s.post("/admin/login", url.Values{"email": {"\xff\x00@x"}, "password": {"\x00"}}); res.StatusCode >= 500 {
		t.Errorf("invalid UTF-8 sign-in: %d", res.StatusCode)
	}
	res := s.post("/admin/login", url.Values{"email": {"Anna@Seinajoki.fi "}, "password": {password}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign-in: %d\n%s", res.StatusCode, res.body)
	}
	var cookie *http.Cookie
	for _, c := range res.Cookies() {
		if c.Name == "twintowns_session" {
			cookie = c
		}
	}
	if cookie == nil || !cookie.HttpOnly || cookie.SameSite != http.SameSiteLaxMode || cookie.Secure {
		t.Fatalf("session cookie = %+v", cookie)
	}
	var sessions int
	e.db.Pool.QueryRow(context.Background(), `SELECT count(*) FROM sessions`).Scan(&sessions)
	if sessions != 1 {
		t.Errorf("%d sessions in PostgreSQL", sessions)
	}
	if res := s.get("/admin/"); res.StatusCode != 200 || !strings.Contains(res.body, `id="site-seinajoki"`) {
		t.Errorf("/admin/: %d, not the work of the person's site", res.StatusCode)
	}
	list := s.get("/admin/sites/seinajoki/cities")
	if list.StatusCode != 200 || !strings.Contains(list.body, "Koszalin") || !strings.Contains(list.body, "Thunder Bay") {
		t.Fatalf("list: %d", list.StatusCode)
	}
	if res := s.post("/admin/logout", url.Values{}); res.StatusCode != http.StatusSeeOther {
		t.Errorf("sign-out: %d", res.StatusCode)
	}
	if res := s.get("/admin/sites/seinajoki/cities"); res.StatusCode != http.StatusSeeOther {
		t.Errorf("after sign-out: %d", res.StatusCode)
	}
	var actions []string
	rows, _ := e.db.Pool.Query(context.Background(), `SELECT action FROM audit_log WHERE action LIKE 'sign%' ORDER BY id`)
	for rows.Next() {
		var a string
		rows.Scan(&a)
		actions = append(actions, a)
	}
	if strings.Join(actions, ",") != "sign_in_failed,sign_in,sign_out" {
		t.Errorf("audit log = %v", actions)
	}
	// A disabled account cannot sign in, and loses its session.
	s.login("anna@seinajoki.fi")
	if err := e.db.DisableUser(context.Background(), "anna@seinajoki.fi"); err != nil {
		t.Fatal(err)
	}
	if res := s.get("/admin/sites/seinajoki/cities"); res.StatusCode != http.StatusSeeOther {
		t.Errorf("disabled user still in: %d", res.StatusCode)
	}
	if res := s.post("/admin/login", url.Values{"email": {"anna@seinajoki.fi"}, "password": {password}}); res.StatusCode != http.StatusUnauthorized {
		t.Errorf("disabled user signs in: %d", res.StatusCode)
	}
}

func TestSignInThrottling(t *testing.T) {
	e := newEnv(t)
	s := e.staff(t, "olli@seinajoki.fi", "seinajoki", false)
	for i := range 5 {
		res := s.post("/admin/login", url.Values{"email": {"olli@seinajoki.fi"}, "password": {fmt.Sprintf("guess number %d", i)}})
		if res.StatusCode != http.StatusUnauthorized {
			t.Fatalf("attempt %d: %d", i, res.StatusCode)
		}
	}
	// Even the right password is refused now, with a clear message.
	s.lang = "sv"
	res := s.post("/admin/login", url.Values{"email": {"olli@seinajoki.fi"}, "password": {password}})
	if res.StatusCode != http.StatusTooManyRequests || !strings.Contains(res.body, "15 minuter") {
		t.Errorf("locked account: %d\n%s", res.StatusCode, res.body)
	}
	var refused int
	e.db.Pool.QueryRow(context.Background(), `SELECT count(*) FROM audit_log WHERE action = 'sign_in_refused'`).Scan(&refused)
	if refused != 1 {
		t.Errorf("refusal audited %d times", refused)
	}
	// Another account from another address is not affected.
	other := e.staff(t, "eeva@seinajoki.fi", "seinajoki", false)
	other.login("eeva@seinajoki.fi")
}

func TestCrossSiteRequestsAreRefused(t *testing.T) {
	e := newEnv(t)
	s := e.staff(t, "anna@seinajoki.fi", "seinajoki", false)
	s.login("anna@seinajoki.fi")
	id := cityID(t, e, "seinajoki", "sopron")
	for _, h := range [][]string{{"Sec-Fetch-Site", "cross-site"}, {"Origin", "https://evil.example"}} {
		res := s.do(http.MethodPost, fmt.Sprintf("/admin/sites/seinajoki/cities/%d/delete", id), url.Values{}, h...)
		if res.StatusCode != http.StatusForbidden {
			t.Errorf("%v: %d", h, res.StatusCode)
		}
		res = s.do(http.MethodPost, "/admin/login", url.Values{"email": {"anna@seinajoki.fi"}, "password": {password}}, h...)
		if res.StatusCode != http.StatusForbidden {
			t.Errorf("login %v: %d", h, res.StatusCode)
		}
	}
	var deleted bool
	e.db.Pool.QueryRow(context.Background(), `SELECT deleted_at IS NOT NULL FROM cities WHERE id = $1`, id).Scan(&deleted)
	if deleted {
		t.Error("a cross-site request deleted an entry")
	}
	// the same request from the site itself works
	res := s.do(http.MethodPost, fmt.Sprintf("/admin/sites/seinajoki/cities/%d/delete", id), url.Values{}, "Sec-Fetch-Site", "same-origin")
	if res.StatusCode != http.StatusSeeOther {
		t.Errorf("same-origin delete: %d", res.StatusCode)
	}
}

func TestStaffCannotReachAnotherSite(t *testing.T) {
	e := newEnv(t)
	s := e.staff(t, "jan@siedlce.pl", "siedlce", false)
	s.login("jan@siedlce.pl")
	foreign := cityID(t, e, "seinajoki", "koszalin")
	own := cityID(t, e, "siedlce", "dasing")
	tests := []struct {
		method, path string
		status       int
	}{
		{"GET", "/admin/sites/seinajoki/cities", 403},
		{"GET", fmt.Sprintf("/admin/sites/seinajoki/cities/%d", foreign), 403},
		{"POST", fmt.Sprintf("/admin/sites/seinajoki/cities/%d/delete", foreign), 403},
		{"GET", fmt.Sprintf("/admin/sites/siedlce/cities/%d", foreign), 404},
		{"POST", fmt.Sprintf("/admin/sites/siedlce/cities/%d", foreign), 404},
		{"POST", fmt.Sprintf("/admin/sites/siedlce/cities/%d/delete", foreign), 404},
		{"GET", fmt.Sprintf("/admin/sites/siedlce/cities/%d/history", foreign), 404},
		{"GET", fmt.Sprintf("/admin/sites/siedlce/cities/%d/preview", foreign), 404},
		{"POST", fmt.Sprintf("/admin/sites/siedlce/cities/%d/documents/1/delete", foreign), 404},
		{"GET", "/admin/sites/nowhere/cities", 404},
		{"GET", "/admin/audit", 403},
		{"GET", "/admin/sites/siedlce/cities/abc", 404},
		{"GET", fmt.Sprintf("/admin/sites/siedlce/cities/%d", own), 200},
	}
	for _, tc := range tests {
		var res response
		if tc.method == "GET" {
			res = s.get(tc.path)
		} else {
			res = s.post(tc.path, url.Values{"version": {"1"}, "slug": {"hijack"}, "kind": {"twin"},
				"country": {"DE"}, "status": {"active"}, "agreement_precision": {"unknown"}, "name_pl": {"X"}, "action": {"publish"}})
		}
		if res.StatusCode != tc.status {
			t.Errorf("%s %s: %d, want %d", tc.method, tc.path, res.StatusCode, tc.status)
		}
	}
	var slug string
	var deleted bool
	e.db.Pool.QueryRow(context.Background(), `SELECT slug, deleted_at IS NOT NULL FROM cities WHERE id = $1`, foreign).Scan(&slug, &deleted)
	if slug != "koszalin" || deleted {
		t.Errorf("another site's city changed: %s deleted=%v", slug, deleted)
	}
	if res := s.get("/admin/sites/siedlce/cities"); strings.Contains(res.body, "Koszalin") {
		t.Error("the list shows another site's cities")
	}
}

// The newcomer's path: a new partner city with only a Finnish text, published, shown in
// Finnish and with the visible fallback elsewhere.
func TestCreateAndPublishWithOnlyFinnish(t *testing.T) {
	e := newEnv(t)
	s := e.staff(t, "anna@seinajoki.fi", "seinajoki", false)
	s.login("anna@seinajoki.fi")
	form := formOf(t, s.get("/admin/sites/seinajoki/cities/new").body)
	form.Set("slug", "tartto")
	form.Set("kind", "partner")
	form.Set("country", "EE")
	form.Set("agreement_precision", "year")
	form.Set("agreement_year", "2020")
	form.Set("name_fi", "Tartto")
	form.Set("description_fi", "Tartto on yliopistokaupunki.")
	form.Set("link_kind_0", "wikipedia")
	form.Set("link_lang_0", "fi")
	form.Set("link_url_0", "https://fi.wikipedia.org/wiki/Tartto")
	form.Set("action", "publish")
	res := s.post("/admin/sites/seinajoki/cities/new", form)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("create: %d\n%s", res.StatusCode, res.body)
	}
	edit := s.get(res.Header.Get("Location"))
	if !strings.Contains(edit.body, "Julkaistu.") {
		t.Errorf("no published notice on the edit page")
	}
	e.srv.Invalidate()
	fi := e.get(t, seinajoki, "/fi/cities/tartto")
	if fi.StatusCode != 200 || !strings.Contains(fi.body, "Tartto on yliopistokaupunki.") || strings.Contains(fi.body, `class="notice"`) {
		t.Errorf("fi page: %d", fi.StatusCode)
	}
	if home := e.get(t, seinajoki, "/fi/"); !strings.Contains(home.body, "5 yhteistyökaupunkia") || !strings.Contains(home.body, "Viro") {
		t.Errorf("fi home does not list the new city")
	}
	if strings.Contains(fi.body, "<dt>Tila</dt>") {
		t.Errorf("a new city has a status before anyone recorded one")
	}
	sv := e.get(t, seinajoki, "/sv/cities/tartto")
	if !strings.Contains(sv.body, "Den här texten finns ännu inte på svenska") || !strings.Contains(sv.body, `<h1 lang="fi">Tartto</h1>`) {
		t.Errorf("sv page lacks the visible fallback:\n%s", sv.body)
	}
}

// Siedlce's sources record no status: staff see "Ei tiedossa", can filter by it and keep it
// when saving, and the public page shows none.
func TestUnknownStatusInTheStaffArea(t *testing.T) {
	e := newEnv(t)
	s := e.staff(t, "ewa@siedlce.pl", "siedlce", false)
	s.login("ewa@siedlce.pl")
	list := s.get("/admin/sites/siedlce/cities?status=unknown")
	if !strings.Contains(list.body, `<option value="unknown" selected>`) || !strings.Contains(list.body, ">Kirov</a>") || !strings.Contains(list.body, "<td>Ei tiedossa</td>") {
		t.Fatalf("list filtered by unknown status:\n%s", list.body)
	}
	if active := s.get("/admin/sites/siedlce/cities?status=active"); strings.Contains(active.body, ">Kirov</a>") {
		t.Errorf("Kirov listed as active")
	}
	path := fmt.Sprintf("/admin/sites/siedlce/cities/%d", cityID(t, e, "siedlce", "kirov"))
	form := formOf(t, s.get(path).body)
	if form.Get("status") != "unknown" {
		t.Fatalf("form status %q, want unknown", form.Get("status"))
	}
	form.Set("action", "publish")
	if res := s.post(path, form); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("save: %d\n%s", res.StatusCode, res.body)
	}
	e.srv.Invalidate()
	if page := e.get(t, siedlce, "/pl/cities/kirov"); page.StatusCode != 200 || strings.Contains(page.body, "<dt>Status</dt>") {
		t.Errorf("public page after saving: %d, status shown = %v", page.StatusCode, strings.Contains(page.body, "<dt>Status</dt>"))
	}
}

// Staff date a partnership "since YEAR" in the form: the edit form shows Thunder Bay that way,
// and a city set so is published as "since", not as an agreement.
func TestStaffSetSince(t *testing.T) {
	e := newEnv(t)
	s := e.staff(t, "anna@seinajoki.fi", "seinajoki", false)
	s.login("anna@seinajoki.fi")
	if form := formOf(t, s.get(fmt.Sprintf("/admin/sites/seinajoki/cities/%d", cityID(t, e, "seinajoki", "thunder-bay"))).body); form.Get("agreement_precision") != "since" ||
		form.Get("since_year") != "1974" || form.Get("agreement_year") != "" {
		t.Errorf("thunder bay's form: precision %q, since %q, agreement year %q", form.Get("agreement_precision"), form.Get("since_year"), form.Get("agreement_year"))
	}
	path := fmt.Sprintf("/admin/sites/seinajoki/cities/%d", cityID(t, e, "seinajoki", "koszalin"))
	page := s.get(path).body
	if !strings.Contains(page, `<option value="since">Vain ”vuodesta N” (kumppanuuden alku, ei sopimusta)</option>`) {
		t.Errorf("the form does not offer \"since\"")
	}
	form := formOf(t, page)
	form.Set("agreement_precision", "since")
	form.Set("since_year", "74")
	form.Set("action", "publish")
	if res := s.post(path, form); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.body, `value="74"`) {
		t.Fatalf("since 74: %d", res.StatusCode)
	}
	form.Set("since_year", "1987")
	if res := s.post(path, form); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("save: %d\n%s", res.StatusCode, res.body)
	}
	e.srv.Invalidate()
	if pub := e.get(t, seinajoki, "/fi/cities/koszalin").body; !strings.Contains(pub, "<dt>Kumppanuus</dt><dd>vuodesta 1987</dd>") {
		t.Errorf("public page does not say vuodesta 1987")
	}
}

func TestValidationKeepsEverythingTyped(t *testing.T) {
	e := newEnv(t)
	s := e.staff(t, "jan@siedlce.pl", "siedlce", false)
	s.lang = "pl"
	s.login("jan@siedlce.pl")
	id := cityID(t, e, "siedlce", "dasing")
	path := fmt.Sprintf("/admin/sites/siedlce/cities/%d", id)
	form := formOf(t, s.get(path).body)
	if form.Get("name_pl") != "Dasing" || form.Get("agreement_date") != "1998-07-26" || !strings.Contains(form.Get("aims_it"), "Lo scopo dell'accordo") {
		t.Fatalf("edit form lacks the stored values: %v", form)
	}
	form.Set("population", "dużo")
	form.Set("agreement_date", "26.07.1998")
	form.Set("link_url_0", "javascript:alert(1)")
	form.Set("aims_pl", "Nowy tekst <b>celów</b> & więcej")
	form.Set("summary_pl", "zły \xff bajt \x00")
	form.Set("action", "draft")
	res := s.post(path, form)
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("bad input: %d", res.StatusCode)
	}
	for _, want := range []string{
		`value="dużo"`, `value="26.07.1998"`, "Nowy tekst &lt;b&gt;celów&lt;/b&gt; &amp; więcej",
		`<p class="field-error" id="population-error">`, `aria-describedby="population-hint population-error"`,
		`aria-invalid="true"`, "Wpisz datę w formacie RRRR-MM-DD",
	} {
		if !strings.Contains(res.body, want) {
			t.Errorf("form lacks %q", want)
		}
	}
	var aims string
	e.db.Pool.QueryRow(context.Background(), `SELECT aims FROM city_texts WHERE city_id = $1 AND lang = 'pl'`, id).Scan(&aims)
	if strings.Contains(aims, "Nowy tekst") {
		t.Error("invalid input was stored")
	}
}

func TestConflictKeepsBothVersions(t *testing.T) {
	e := newEnv(t)
	a := e.staff(t, "anna@seinajoki.fi", "seinajoki", false)
	b := e.staff(t, "bertil@seinajoki.fi", "seinajoki", false)
	a.login("anna@seinajoki.fi")
	b.login("bertil@seinajoki.fi")
	path := fmt.Sprintf("/admin/sites/seinajoki/cities/%d", cityID(t, e, "seinajoki", "sopron"))
	fa := formOf(t, a.get(path).body)
	fb := formOf(t, b.get(path).body)
	fa.Set("summary_fi", "Annan yhteenveto.")
	fa.Set("action", "draft")
	if res := a.post(path, fa); res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != path {
		t.Fatalf("first save: %d, to %q", res.StatusCode, res.Header.Get("Location"))
	}
	fb.Set("summary_fi", "Bertilin yhteenveto.")
	fb.Set("action", "draft")
	res := b.post(path, fb)
	if res.StatusCode != http.StatusConflict {
		t.Fatalf("second save: %d", res.StatusCode)
	}
	if !strings.Contains(res.body, "Bertilin yhteenveto.") || !strings.Contains(res.body, "<pre>Annan yhteenveto.</pre>") ||
		!strings.Contains(res.body, "anna@seinajoki.fi") {
		t.Fatalf("conflict page does not show both versions:\n%s", res.body)
	}
	merged := formOf(t, res.body)
	merged.Set("summary_fi", "Annan ja Bertilin yhteenveto.")
	merged.Set("action", "draft")
	if res := b.post(path, merged); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("merged save: %d\n%s", res.StatusCode, res.body)
	}
	if again := formOf(t, a.get(path).body); again.Get("summary_fi") != "Annan ja Bertilin yhteenveto." || again.Get("name_sv") != "Sopron" {
		t.Errorf("merged entry = %q", again.Get("summary_fi"))
	}
}

func TestDraftPreviewPublishHistoryRestoreTrash(t *testing.T) {
	e := newEnv(t)
	s := e.staff(t, "anna@seinajoki.fi", "seinajoki", false)
	s.login("anna@seinajoki.fi")
	id := cityID(t, e, "seinajoki", "qingdao")
	path := fmt.Sprintf("/admin/sites/seinajoki/cities/%d", id)
	form := formOf(t, s.get(path).body)
	oldText := form.Get("description_fi")
	form.Set("description_fi", "Luonnos: **uusi** kuvaus.")
	form.Set("action", "preview")
	if res := s.post(path, form); res.StatusCode != 200 || !strings.Contains(res.body, "<strong>uusi</strong>") {
		t.Fatalf("Markdown preview: %d", res.StatusCode)
	}
	form.Set("action", "draft")
	if res := s.post(path, form); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("draft: %d", res.StatusCode)
	}
	e.srv.Invalidate()
	if pub := e.get(t, seinajoki, "/fi/cities/qingdao"); strings.Contains(pub.body, "Luonnos") {
		t.Error("the public site shows a draft")
	}
	if pre := s.get(path + "/preview?lang=fi"); !strings.Contains(pre.body, "<strong>uusi</strong>") || !strings.Contains(pre.body, "preview-banner") {
		t.Error("the preview does not show the draft")
	}
	if list := s.get("/admin/sites/seinajoki/cities"); !strings.Contains(list.body, "julkaisemattomia muutoksia") {
		t.Error("the list does not say there are unpublished changes")
	}
	form = formOf(t, s.get(path).body)
	form.Set("action", "publish")
	if res := s.post(path, form); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("publish: %d\n%s", res.StatusCode, res.body)
	}
	e.srv.Invalidate()
	if pub := e.get(t, seinajoki, "/fi/cities/qingdao"); !strings.Contains(pub.body, "<strong>uusi</strong>") {
		t.Error("the published change is not public")
	}

	// History: the state before the first edit, then each save, with a diff; restore the first.
	hist := s.get(path + "/history")
	revs := regexp.MustCompile(`/history/(\d+)"`).FindAllStringSubmatch(hist.body, -1)
	if len(revs) != 3 {
		t.Fatalf("%d revisions listed, want import, draft, publish", len(revs))
	}
	diff := s.get(path + "/history/" + revs[1][1])
	if !strings.Contains(diff.body, "<ins>Luonnos: **uusi** kuvaus.</ins>") {
		t.Errorf("the draft's revision page shows no diff:\n%s", diff.body)
	}
	if res := s.post(path+"/history/"+revs[2][1]+"/restore", url.Values{}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("restore: %d\n%s", res.StatusCode, res.body)
	}
	if n := len(regexp.MustCompile(`/history/(\d+)"`).FindAllString(s.get(path+"/history").body, -1)); n != 4 {
		t.Errorf("restore added no revision: %d", n)
	}
	if f := formOf(t, s.get(path).body); f.Get("description_fi") != oldText {
		t.Errorf("restored text = %q, want the original", f.Get("description_fi"))
	}

	// Trash: deleted entries leave the public site and come back.
	if res := s.post(path+"/delete", url.Values{}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("delete: %d", res.StatusCode)
	}
	e.srv.Invalidate()
	if pub := e.get(t, seinajoki, "/fi/cities/qingdao"); pub.StatusCode != 404 {
		t.Errorf("deleted entry still public: %d", pub.StatusCode)
	}
	if trash := s.get("/admin/sites/seinajoki/trash"); !strings.Contains(trash.body, "Qingdao") {
		t.Error("trash does not list the entry")
	}
	if res := s.get(path); res.StatusCode != 404 {
		t.Errorf("editing a deleted entry: %d", res.StatusCode)
	}
	if res := s.post(path+"/restore", url.Values{}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("restore from trash: %d", res.StatusCode)
	}
	e.srv.Invalidate()
	if pub := e.get(t, seinajoki, "/fi/cities/qingdao"); pub.StatusCode != 200 {
		t.Errorf("restored entry not public: %d", pub.StatusCode)
	}
}

func TestRequiredAndOutdatedLanguages(t *testing.T) {
	e := newEnv(t)
	if _, err := e.db.Pool.Exec(context.Background(), `UPDATE sites SET required_langs = '{fi,sv}' WHERE slug = 'seinajoki'`); err != nil {
		t.Fatal(err)
	}
	s := e.staff(t, "anna@seinajoki.fi", "seinajoki", false)
	s.login("anna@seinajoki.fi")
	form := formOf(t, s.get("/admin/sites/seinajoki/cities/new").body)
	form.Set("slug", "parnu")
	form.Set("country", "EE")
	form.Set("name_fi", "Pärnu")
	form.Set("action", "publish")
	res := s.post("/admin/sites/seinajoki/cities/new", form)
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.body, `id="name_sv-error"`) {
		t.Fatalf("publishing without the required Swedish: %d", res.StatusCode)
	}
	form.Set("action", "draft")
	if res := s.post("/admin/sites/seinajoki/cities/new", form); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("draft without Swedish: %d", res.StatusCode)
	}

	// Koszalin's Finnish text is a translation of the Swedish: change the Swedish, and the
	// Finnish is out of date until someone reviews it.
	path := fmt.Sprintf("/admin/sites/seinajoki/cities/%d", cityID(t, e, "seinajoki", "koszalin"))
	f := formOf(t, s.get(path).body)
	if f.Get("translated_from_fi") != "sv" {
		t.Fatalf("fi translated_from = %q", f.Get("translated_from_fi"))
	}
	f.Set("description_sv", f.Get("description_sv")+" Ny mening.")
	f.Set("action", "publish")
	res = s.post(path, f)
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.body, `id="reviewed_fi-error"`) {
		t.Fatalf("publishing with an outdated required translation: %d", res.StatusCode)
	}
	f.Set("action", "draft")
	if res := s.post(path, f); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("draft: %d", res.StatusCode)
	}
	if list := s.get("/admin/sites/seinajoki/cities"); !strings.Contains(list.body, "state-outdated") {
		t.Error("the list does not mark the outdated translation")
	}
	f = formOf(t, s.get(path).body)
	f.Set("reviewed_fi", "on")
	f.Set("reviewed_it", "on")
	f.Set("reviewed_pl", "on")
	f.Set("action", "publish")
	if res := s.post(path, f); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("publish after review: %d\n%s", res.StatusCode, res.body)
	}
}

func TestDocumentUpload(t *testing.T) {
	e := newEnv(t)
	s := e.staff(t, "jan@siedlce.pl", "siedlce", false)
	s.lang = "pl"
	s.login("jan@siedlce.pl")
	path := fmt.Sprintf("/admin/sites/siedlce/cities/%d/documents", cityID(t, e, "siedlce", "sabinov"))
	upload := func(name string, content []byte, title string) response {
		return s.upload(path, name, content, "title_pl", title)
	}
	pdf := append([]byte("%PDF-1.4\n"), bytes.Repeat([]byte("x"), 20_000)...)
	if res := upload("umowa.pdf", pdf, "Umowa z Sabinovem (skan)"); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("upload: %d\n%s", res.StatusCode, res.body)
	}
	if res := upload("umowa.pdf", []byte("just text pretending"), "x"); res.StatusCode != http.StatusUnsupportedMediaType ||
		!strings.Contains(res.body, `id="file-error"`) {
		t.Errorf("text named .pdf: %d", res.StatusCode)
	}
	if res := upload("big.pdf", append([]byte("%PDF-"), make([]byte, 11<<20)...), "x"); res.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("oversized: %d", res.StatusCode)
	}
	e.srv.Invalidate()
	page := e.get(t, siedlce, "/pl/cities/sabinov")
	link := regexp.MustCompile(`href="(/pl/cities/sabinov/documents/[a-z0-9-]+)"[^>]*>Umowa z Sabinovem \(skan\)</a>`).FindStringSubmatch(page.body)
	if link == nil || !strings.Contains(page.body, "PDF, 20 kB") {
		t.Fatalf("public page lacks the document:\n%s", page.body)
	}
	doc := e.get(t, siedlce, link[1])
	if doc.StatusCode != 200 || doc.Header.Get("Content-Type") != "application/pdf" || doc.body != string(pdf) {
		t.Errorf("document: %d %s", doc.StatusCode, doc.Header.Get("Content-Type"))
	}
	// Deleting a document moves it to the trash: gone from the public page, restorable.
	edit := s.get(path) // the city's documents have a page of their own
	del := regexp.MustCompile(`action="(/admin/sites/siedlce/cities/\d+/documents/\d+)/delete"`).FindAllStringSubmatch(edit.body, -1)
	if len(del) != 2 { // the modelled agreement and the upload
		t.Fatalf("%d documents offered for deletion", len(del))
	}
	docPath := del[len(del)-1][1]
	if res := s.post(docPath+"/delete", url.Values{}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("delete document: %d", res.StatusCode)
	}
	e.srv.Invalidate()
	if res := e.get(t, siedlce, link[1]); res.StatusCode != 404 {
		t.Errorf("deleted document still served: %d", res.StatusCode)
	}
	if page := e.get(t, siedlce, "/pl/cities/sabinov"); strings.Contains(page.body, "Umowa z Sabinovem (skan)") {
		t.Error("deleted document still listed")
	}
	if res := s.post(docPath+"/restore", url.Values{}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("restore document: %d", res.StatusCode)
	}
	e.srv.Invalidate()
	if res := e.get(t, siedlce, link[1]); res.StatusCode != 200 {
		t.Errorf("restored document: %d", res.StatusCode)
	}
}

func TestAdministratorsAndSiteTexts(t *testing.T) {
	e := newEnv(t)
	root := e.staff(t, "admin@example.org", "", true)
	root.login("admin@example.org")
	if res := root.get("/admin/"); res.StatusCode != 200 || !strings.Contains(res.body, `href="/admin/sites/siedlce"`) {
		t.Errorf("administrator's home: %d", res.StatusCode)
	}
	if res := root.get("/admin/audit"); res.StatusCode != 200 || !strings.Contains(res.body, "admin@example.org") {
		t.Errorf("audit log: %d", res.StatusCode)
	}
	texts := root.get("/admin/sites/siedlce/texts")
	form := formOf(t, texts.body)
	if !strings.Contains(form.Get("history_pl"), "Współpraca z gminą Dasing") {
		t.Fatalf("site texts form lacks the history")
	}
	form.Set("events_pl", form.Get("events_pl")+"\n- nowe wydarzenie 2026")
	form.Set("action", "preview")
	newEvent := regexp.MustCompile(`<li>\s*(<p>)?nowe wydarzenie 2026`)
	if res := root.post("/admin/sites/siedlce/texts", form); res.StatusCode != 200 || !newEvent.MatchString(res.body) {
		t.Fatalf("preview of site texts: %d", res.StatusCode)
	}
	form.Set("action", "draft")
	if res := root.post("/admin/sites/siedlce/texts", form); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("draft of site texts: %d\n%s", res.StatusCode, res.body)
	}
	e.srv.Invalidate()
	if pub := e.get(t, siedlce, "/pl/history"); strings.Contains(pub.body, "nowe wydarzenie 2026") {
		t.Error("the public history shows a draft")
	}
	if pre := root.get("/admin/sites/siedlce/texts/preview?page=history&lang=pl"); !newEvent.MatchString(pre.body) || !strings.Contains(pre.body, "preview-banner") {
		t.Error("the preview of the history page does not show the draft")
	}
	if pre := root.get("/admin/sites/siedlce/texts/preview?lang=it"); pre.StatusCode != 200 || !strings.Contains(pre.body, "7 città gemellate") {
		t.Errorf("preview of the home page: %d", pre.StatusCode)
	}
	form = formOf(t, root.get("/admin/sites/siedlce/texts").body)
	if !strings.Contains(form.Get("events_pl"), "nowe wydarzenie 2026") {
		t.Fatal("the form does not show the draft")
	}
	form.Set("action", "publish")
	if res := root.post("/admin/sites/siedlce/texts", form); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("publish site texts: %d\n%s", res.StatusCode, res.body)
	}
	e.srv.Invalidate()
	if pub := e.get(t, siedlce, "/pl/history"); !strings.Contains(pub.body, "nowe wydarzenie 2026") {
		t.Error("public history lacks the new event")
	}
	// a stale form is a conflict, not an overwrite
	if res := root.post("/admin/sites/siedlce/texts", form); res.StatusCode != http.StatusConflict {
		t.Errorf("stale site texts: %d", res.StatusCode)
	}
	// the site texts have a history too: the state before the edit, the draft, the publish;
	// restoring the first makes it the draft, publishing brings it back
	hist := root.get("/admin/sites/siedlce/texts/history")
	revs := regexp.MustCompile(`/texts/history/(\d+)"`).FindAllStringSubmatch(hist.body, -1)
	if len(revs) != 3 {
		t.Fatalf("%d site revisions", len(revs))
	}
	if diff := root.get("/admin/sites/siedlce/texts/history/" + revs[1][1]); !strings.Contains(diff.body, "<ins>\n- nowe wydarzenie 2026</ins>") {
		t.Errorf("site revision diff lacks the new event:\n%s", diff.body)
	}
	if res := root.post("/admin/sites/siedlce/texts/history/"+revs[2][1]+"/restore", url.Values{}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("restore site texts: %d\n%s", res.StatusCode, res.body)
	}
	form = formOf(t, root.get("/admin/sites/siedlce/texts").body)
	form.Set("action", "publish")
	if res := root.post("/admin/sites/siedlce/texts", form); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("publish restored texts: %d", res.StatusCode)
	}
	e.srv.Invalidate()
	if pub := e.get(t, siedlce, "/pl/history"); strings.Contains(pub.body, "nowe wydarzenie 2026") || !strings.Contains(pub.body, "Tomasza Nowaka") {
		t.Error("restoring the site texts did not bring the earlier events back")
	}
}

// No value a person can type makes a server error.
func TestNoInputMakesAServerError(t *testing.T) {
	e := newEnv(t)
	root := e.staff(t, "admin@example.org", "", true)
	root.login("admin@example.org")
	id := cityID(t, e, "seinajoki", "koszalin")
	nasty := []string{"", " ", "\xff\xfe", "\x00", strings.Repeat("ä", 30000), "-1", "0", "99999999999999999999",
		"1e308", "NaN", "2020-02-30", "1998-07-26T00:00", "<script>alert(1)</script>", "../../etc/passwd",
		"javascript:alert(1)", "'; DROP TABLE cities; --", "Q", "xx", "https://", "🦀"}
	fields := append([]string{"version", "rows", "action", "kind", "status", "country", "agreement_precision"}, factFields...)
	for _, l := range []string{"sv", "it", "pl", "fi", "en", "xx"} {
		for _, f := range append(textFields, "reviewed") {
			fields = append(fields, f+"_"+l)
		}
		for _, f := range siteTextFieldsForTest {
			fields = append(fields, f+"_"+l)
		}
	}
	fields = append(fields, "link_kind_0", "link_lang_0", "link_url_0", "link_label_0")
	paths := []string{
		fmt.Sprintf("/admin/sites/seinajoki/cities/%d", id), "/admin/sites/seinajoki/cities/new",
		"/admin/sites/seinajoki/texts", fmt.Sprintf("/admin/sites/seinajoki/cities/%d/history/abc/restore", id),
	}
	for _, path := range paths {
		for _, v := range nasty {
			form := url.Values{}
			for _, f := range fields {
				form.Set(f, v)
			}
			for _, action := range []string{"preview", "draft", "publish"} {
				form.Set("action", action)
				if res := root.post(path, form); res.StatusCode >= 500 {
					t.Fatalf("POST %s with %q (%s): %d\n%s", path, v, action, res.StatusCode, res.body)
				}
			}
		}
	}
	for _, v := range nasty {
		if res := root.post("/admin/login", url.Values{"email": {v}, "password": {v}}); res.StatusCode >= 500 {
			t.Errorf("login with %q: %d", v, res.StatusCode)
		}
	}
	// malformed bodies
	for _, body := range []string{"%zz=%", "a=%ff%00", strings.Repeat("a=b&", 10000)} {
		req, _ := http.NewRequest(http.MethodPost, root.base+fmt.Sprintf("/admin/sites/seinajoki/cities/%d", id), strings.NewReader(body))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		res, err := root.c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode >= 500 {
			t.Errorf("body %.20q: %d", body, res.StatusCode)
		}
	}
	req, _ := http.NewRequest(http.MethodPost, root.base+fmt.Sprintf("/admin/sites/seinajoki/cities/%d/documents", id), strings.NewReader("--x\r\nnot multipart"))
	req.Header.Set("Content-Type", "multipart/form-data; boundary=x")
	if res, err := root.c.Do(req); err != nil || res.StatusCode >= 500 {
		t.Errorf("broken multipart: %v %v", res, err)
	}
}

var (
	factFields            = []string{"slug", "population", "population_year", "population_approx", "population_millions", "population_area", "agreement_date", "agreement_year", "since_year", "agreement_over_years", "status_since", "status_until", "coordinates_latitude", "coordinates_longitude", "wikidata_id"}
	textFields            = []string{"name", "full_name", "summary", "description", "aims", "association", "translated_from"}
	siteTextFieldsForTest = []string{"intro", "partners_intro", "history_title", "history", "events_title", "events", "required", "checked_name", "checked_intro"}
)

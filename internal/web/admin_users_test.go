package web_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/alexedwards/scs/pgxstore"

	"twintowns/internal/auth"
	"twintowns/internal/locale"
	"twintowns/internal/twinning"
	"twintowns/internal/web"
)

var linkRE = regexp.MustCompile(`id="one-time-link" value="(http://[^"]+/admin/password/([A-Za-z0-9_-]+))"`)

func siteID(t *testing.T, e *env, slug string) int64 {
	t.Helper()
	s, err := e.db.SiteBySlug(context.Background(), slug)
	if err != nil {
		t.Fatal(err)
	}
	return s.ID
}

func userID(t *testing.T, e *env, email string) int64 {
	t.Helper()
	u, _, err := e.db.UserByEmail(context.Background(), email)
	if err != nil {
		t.Fatal(err)
	}
	return u.ID
}

// addUser makes an account with a role and signs it in with its own browser.
func (e *env) addUser(t *testing.T, u twinning.User) *staff {
	t.Helper()
	hash, _ := auth.HashPassword(password)
	if _, err := e.db.AddUser(context.Background(), u, hash, twinning.Actor{}); err != nil {
		t.Fatal(err)
	}
	s := e.staff(t, "", "", false)
	s.login(u.Email)
	return s
}

func auditActions(t *testing.T, e *env) string {
	t.Helper()
	rows, _ := e.db.Pool.Query(context.Background(), `SELECT action FROM audit_log ORDER BY id`)
	var out []string
	for rows.Next() {
		var a string
		rows.Scan(&a)
		out = append(out, a)
	}
	return strings.Join(out, ",")
}

// An administrator invites a translator; the invitee opens the one-time link, chooses a
// password and is signed in; the link then works no more.
func TestInviteWithOneTimeLink(t *testing.T) {
	e := newEnv(t)
	root := e.staff(t, "root@example.org", "", true)
	root.login("root@example.org")
	if res := root.get("/admin/users"); res.StatusCode != 200 || !strings.Contains(res.body, "root@example.org") ||
		!strings.Contains(res.body, "Pääkäyttäjä") {
		t.Fatalf("list of users: %d", res.StatusCode)
	}
	if res := root.get("/admin/"); !strings.Contains(res.body, `href="/admin/users"`) {
		t.Error("the administrator's menu lacks the users")
	}
	sd := fmt.Sprint(siteID(t, e, "siedlce"))
	form := url.Values{"email": {"Tove@Example.org"}, "role": {"translator"}, "sites": {sd}, "langs": {"sv", "it"}}
	res := root.post("/admin/users/new", form)
	m := linkRE.FindStringSubmatch(res.body)
	if res.StatusCode != 200 || m == nil {
		t.Fatalf("invite: %d\n%s", res.StatusCode, res.body)
	}
	if !strings.Contains(res.body, "Kutsulinkki luotiin") || !strings.Contains(res.body, `value="translator" checked`) {
		t.Error("the invitation page does not show the link and the role")
	}
	link, token := m[1], m[2]
	var stored int
	e.db.Pool.QueryRow(context.Background(), `SELECT (SELECT count(*) FROM user_tokens WHERE position($1 in hash) > 0)
		+ (SELECT count(*) FROM sessions WHERE position($1 in data) > 0)`, []byte(token)).Scan(&stored)
	if stored != 0 {
		t.Error("the token is stored in the database")
	}
	if list := root.get("/admin/users"); !strings.Contains(list.body, "tove@example.org") || !strings.Contains(list.body, "Kutsuttu") {
		t.Error("the list does not show the invited account")
	}
	// the same email again is an error next to the field, with everything typed kept
	again := root.post("/admin/users/new", form)
	if again.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(again.body, `id="email-error"`) ||
		!strings.Contains(again.body, `value="Tove@Example.org"`) || !strings.Contains(again.body, `value="it" checked`) {
		t.Errorf("invite twice: %d\n%s", again.StatusCode, again.body)
	}
	// an invited account cannot sign in without a password
	if res := root.post("/admin/login", url.Values{"email": {"tove@example.org"}, "password": {"anything at all"}}); res.StatusCode != http.StatusUnauthorized {
		t.Errorf("invited account signs in: %d", res.StatusCode)
	}

	invitee := e.staff(t, "", "", false)
	invitee.lang = "sv"
	path := pathOf(t, link)
	if res := invitee.get(path); res.StatusCode != 200 || !strings.Contains(res.body, `value="tove@example.org"`) ||
		!strings.Contains(res.body, "Välkommen") || !strings.Contains(res.body, "Minst 12 tecken.") {
		t.Fatalf("the link's page: %d\n%s", res.StatusCode, res.body)
	}
	for _, bad := range []struct{ pw, pw2, field, message string }{
		{"short", "short", "password", "Lösenordet är för kort."},
		{"a long enough password", "a long enough passwort", "password2", "Lösenorden är inte lika."},
	} {
		res := invitee.post(path, url.Values{"password": {bad.pw}, "password2": {bad.pw2}})
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.body, `id="`+bad.field+`-error"`) ||
			!strings.Contains(res.body, bad.message) {
			t.Errorf("password %q/%q: %d", bad.pw, bad.pw2, res.StatusCode)
		}
	}
	res = invitee.post(path, url.Values{"password": {"the invitee's password"}, "password2": {"the invitee's password"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("set password: %d\n%s", res.StatusCode, res.body)
	}
	if res := invitee.get("/admin/sites/siedlce/cities"); res.StatusCode != 200 || !strings.Contains(res.body, "Lösenordet har sparats") {
		t.Errorf("the invitee is not signed in: %d", res.StatusCode)
	}
	if res := invitee.get("/admin/sites/seinajoki/cities"); res.StatusCode != http.StatusForbidden {
		t.Errorf("the translator of Siedlce reaches Seinäjoki: %d", res.StatusCode)
	}
	// single use
	other := e.staff(t, "", "", false)
	if res := other.get(path); res.StatusCode != http.StatusNotFound || !strings.Contains(res.body, "Linkki ei toimi") {
		t.Errorf("used link: %d", res.StatusCode)
	}
	if res := other.post(path, url.Values{"password": {"an attacker's password"}, "password2": {"an attacker's password"}}); res.StatusCode != http.StatusNotFound {
		t.Errorf("used link posted: %d", res.StatusCode)
	}
	other.login2("tove@example.org", "the invitee's password")
	if got := auditActions(t, e); !strings.Contains(got, "user_add,user_link_invite,sign_in_failed,password_set,sign_in") {
		t.Errorf("audit log = %s", got)
	}
}

func (s *staff) login2(email, pw string) {
	s.t.Helper()
	if res := s.post("/admin/login", url.Values{"email": {email}, "password": {pw}}); res.StatusCode != http.StatusSeeOther {
		s.t.Fatalf("sign-in of %s: %d", email, res.StatusCode)
	}
}

// Role, sites and languages are changed on the account's page; bad choices come back next
// to their fields with what was ticked.
func TestChangeRoleSitesAndLanguages(t *testing.T) {
	e := newEnv(t)
	root := e.staff(t, "root@example.org", "", true)
	root.lang = "pl"
	root.login("root@example.org")
	anna := e.staff(t, "anna@seinajoki.fi", "seinajoki", false)
	anna.login("anna@seinajoki.fi")
	id, sj, sd := userID(t, e, "anna@seinajoki.fi"), fmt.Sprint(siteID(t, e, "seinajoki")), fmt.Sprint(siteID(t, e, "siedlce"))
	path := fmt.Sprintf("/admin/users/%d", id)
	page := root.get(path)
	if page.StatusCode != 200 || !strings.Contains(page.body, `value="editor" checked`) || !strings.Contains(page.body, `value="`+sj+`" checked`) {
		t.Fatalf("account page: %d\n%s", page.StatusCode, page.body)
	}
	res := root.post(path, url.Values{"role": {"translator"}, "sites": {sj, sd}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.body, `id="langs-error"`) ||
		!strings.Contains(res.body, "Wybierz co najmniej jeden język") || !strings.Contains(res.body, `value="`+sd+`" checked`) ||
		!strings.Contains(res.body, `value="translator" checked`) {
		t.Fatalf("translator without languages: %d\n%s", res.StatusCode, res.body)
	}
	if res := root.post(path, url.Values{"role": {"translator"}, "sites": {sj, sd}, "langs": {"sv"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("save: %d\n%s", res.StatusCode, res.body)
	}
	u, _ := e.db.UserByID(context.Background(), id)
	if u.Role != twinning.RoleTranslator || len(u.Sites) != 2 || strings.Join(u.Langs, ",") != "sv" {
		t.Errorf("stored = %+v", u)
	}
	// the change applies to Anna's open session at once
	if res := anna.get("/admin/sites/siedlce/cities"); res.StatusCode != 200 {
		t.Errorf("Anna on her new site: %d", res.StatusCode)
	}
	if res := root.get(path); !strings.Contains(res.body, "Zapisano dane użytkownika.") {
		t.Error("no notice after saving")
	}
	if !strings.Contains(auditActions(t, e), "user_update") {
		t.Error("the change is not audited")
	}
}

// Changing a password, with the command line or a link, or disabling an account ends that
// person's other sessions; enabling it again does not bring them back.
func TestPasswordChangeAndDisablingEndSessions(t *testing.T) {
	e := newEnv(t)
	root := e.staff(t, "root@example.org", "", true)
	root.login("root@example.org")
	laptop := e.staff(t, "anna@seinajoki.fi", "seinajoki", false)
	laptop.login("anna@seinajoki.fi")
	phone := e.staff(t, "", "", false)
	phone.login("anna@seinajoki.fi")
	in := func(s *staff) bool { return s.get("/admin/sites/seinajoki/cities").StatusCode == 200 }
	if !in(laptop) || !in(phone) {
		t.Fatal("not signed in")
	}

	// a reset link used on the laptop: the laptop is signed in anew, the phone is out
	id := userID(t, e, "anna@seinajoki.fi")
	m := linkRE.FindStringSubmatch(root.post(fmt.Sprintf("/admin/users/%d/link", id), url.Values{}).body)
	if m == nil {
		t.Fatal("no reset link shown")
	}
	path := pathOf(t, m[1])
	if res := laptop.post(path, url.Values{"password": {"Anna's brand new passphrase"}, "password2": {"Anna's brand new passphrase"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("reset: %d", res.StatusCode)
	}
	if !in(laptop) {
		t.Error("the laptop is not signed in after the reset")
	}
	if in(phone) {
		t.Error("the phone's session outlived the password change")
	}
	if !in(root) {
		t.Error("another person's session ended")
	}

	// the command line's password change
	phone.login2("anna@seinajoki.fi", "Anna's brand new passphrase")
	hash, _ := auth.HashPassword(password)
	if err := e.db.SetPassword(context.Background(), "anna@seinajoki.fi", hash); err != nil {
		t.Fatal(err)
	}
	if in(laptop) || in(phone) {
		t.Error("sessions outlived the command line's password change")
	}

	// disabling ends the sessions, and enabling again does not bring them back
	laptop.login("anna@seinajoki.fi")
	phone.login("anna@seinajoki.fi")
	if res := root.post(fmt.Sprintf("/admin/users/%d/disable", id), url.Values{}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("disable: %d", res.StatusCode)
	}
	if in(laptop) {
		t.Error("the session outlived disabling")
	}
	if res := root.post(fmt.Sprintf("/admin/users/%d/enable", id), url.Values{}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("enable: %d", res.StatusCode)
	}
	if in(phone) {
		t.Error("enabling brought an old session back")
	}
	laptop.login("anna@seinajoki.fi")
	if got := auditActions(t, e); !strings.Contains(got, "user_disable") || !strings.Contains(got, "user_enable") ||
		!strings.Contains(got, "user_link_reset") {
		t.Errorf("audit log = %s", got)
	}
}

// Only administrators reach the accounts, whatever route or form field anyone else sends.
func TestUserPagesAreForAdministratorsOnly(t *testing.T) {
	e := newEnv(t)
	sj := siteID(t, e, "seinajoki")
	root := e.staff(t, "root@example.org", "", true)
	rootID := userID(t, e, "root@example.org")
	editor := e.addUser(t, twinning.User{Email: "ed@example.org", Role: twinning.RoleEditor, Sites: []int64{sj}})
	translator := e.addUser(t, twinning.User{Email: "tr@example.org", Role: twinning.RoleTranslator, Sites: []int64{sj}, Langs: []string{"sv"}})
	edID := userID(t, e, "ed@example.org")
	hostile := url.Values{"email": {"mallory@example.org"}, "role": {"administrator"}, "sites": {fmt.Sprint(sj)},
		"langs": {"fi"}, "id": {fmt.Sprint(rootID)}, "disabled": {"on"}}
	for name, s := range map[string]*staff{"editor": editor, "translator": translator} {
		if res := s.get("/admin/"); strings.Contains(res.body, `href="/admin/users"`) {
			t.Errorf("%s's menu offers the users", name)
		}
		for _, id := range []int64{rootID, edID} {
			for _, tc := range []struct{ method, path string }{
				{"GET", "/admin/users"}, {"GET", "/admin/users/"}, {"GET", "/admin/users/new"}, {"POST", "/admin/users/new"},
				{"GET", fmt.Sprintf("/admin/users/%d", id)}, {"POST", fmt.Sprintf("/admin/users/%d", id)},
				{"POST", fmt.Sprintf("/admin/users/%d/disable", id)}, {"POST", fmt.Sprintf("/admin/users/%d/enable", id)},
				{"POST", fmt.Sprintf("/admin/users/%d/link", id)}, {"GET", "/admin/audit"},
			} {
				var res response
				if tc.method == "GET" {
					res = s.get(tc.path)
				} else {
					res = s.post(tc.path, hostile)
				}
				if res.StatusCode != http.StatusForbidden {
					t.Errorf("%s: %s %s: %d", name, tc.method, tc.path, res.StatusCode)
				}
			}
		}
	}
	var n int
	e.db.Pool.QueryRow(context.Background(), `SELECT count(*) FROM users WHERE email = 'mallory@example.org' OR role = 'administrator' AND email <> 'root@example.org' OR disabled_at IS NOT NULL`).Scan(&n)
	var links int
	e.db.Pool.QueryRow(context.Background(), `SELECT count(*) FROM user_tokens`).Scan(&links)
	if n != 0 || links != 0 {
		t.Errorf("a non-administrator changed accounts: %d accounts, %d links", n, links)
	}
	_ = root
}

// The last enabled administrator can be neither demoted nor disabled, and nobody disables
// their own account.
func TestAdministratorCannotLockThemselvesOut(t *testing.T) {
	e := newEnv(t)
	root := e.staff(t, "root@example.org", "", true)
	root.lang = "it"
	root.login("root@example.org")
	id := userID(t, e, "root@example.org")
	sj := fmt.Sprint(siteID(t, e, "seinajoki"))
	res := root.post(fmt.Sprintf("/admin/users/%d", id), url.Values{"role": {"editor"}, "sites": {sj}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.body, "unico amministratore attivo") ||
		!strings.Contains(res.body, `id="role-error"`) || !strings.Contains(res.body, `value="editor" checked`) {
		t.Errorf("demoting the last administrator: %d\n%s", res.StatusCode, res.body)
	}
	if page := root.get(fmt.Sprintf("/admin/users/%d", id)); strings.Contains(page.body, "/disable") {
		t.Error("the administrator's own page offers to disable the account")
	}
	res = root.post(fmt.Sprintf("/admin/users/%d/disable", id), url.Values{})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.body, "Non puoi disattivare il tuo account.") {
		t.Errorf("disabling oneself: %d", res.StatusCode)
	}
	u, _ := e.db.UserByID(context.Background(), id)
	if !u.CanManageUsers() {
		t.Fatalf("the administrator locked themselves out: %+v", u)
	}
	// with a second administrator, the first may step down
	e.staff(t, "second@example.org", "", true)
	if res := root.post(fmt.Sprintf("/admin/users/%d", id), url.Values{"role": {"editor"}, "sites": {sj}}); res.StatusCode != http.StatusSeeOther {
		t.Errorf("stepping down with another administrator: %d", res.StatusCode)
	}
	if res := root.get("/admin/users"); res.StatusCode != http.StatusForbidden {
		t.Errorf("the former administrator still manages users: %d", res.StatusCode)
	}
}

// No value anyone can send to the pages of accounts and links makes a server error.
func TestUserPagesTakeAnyInput(t *testing.T) {
	e := newEnv(t)
	root := e.staff(t, "root@example.org", "", true)
	root.login("root@example.org")
	e.staff(t, "anna@seinajoki.fi", "seinajoki", false)
	id := userID(t, e, "anna@seinajoki.fi")
	nasty := []string{"", " ", "\xff\xfe", "\x00", strings.Repeat("ä", 30000), "-1", "0", "99999999999999999999",
		"1e308", "NaN", "<script>alert(1)</script>", "../../etc/passwd", "'; DROP TABLE users; --", "administrator", "🦀"}
	paths := []string{"/admin/users/new", fmt.Sprintf("/admin/users/%d", id), fmt.Sprintf("/admin/users/%d/link", id),
		fmt.Sprintf("/admin/users/%d/disable", id), fmt.Sprintf("/admin/users/%d/enable", id),
		"/admin/users/abc", "/admin/users/99999999999999999999", "/admin/users/-1/disable", "/admin/users/424242/link"}
	for _, v := range nasty {
		form := url.Values{"email": {v}, "role": {v}, "sites": {v, v, "1"}, "langs": {v, "sv"}}
		for _, p := range paths {
			if res := root.post(p, form); res.StatusCode >= 500 {
				t.Fatalf("POST %s with %q: %d\n%s", p, v, res.StatusCode, res.body)
			}
		}
		anon := e.staff(t, "", "", false)
		for _, p := range []string{"/admin/password/" + url.PathEscape(v), "/admin/password/x" + url.PathEscape(v)} {
			if res := anon.get(p); res.StatusCode >= 500 {
				t.Errorf("GET %s: %d", p, res.StatusCode)
			}
			if res := anon.post(p, url.Values{"password": {v}, "password2": {v}}); res.StatusCode >= 500 {
				t.Errorf("POST %s: %d", p, res.StatusCode)
			}
		}
	}
	// a valid link with hostile passwords
	m := linkRE.FindStringSubmatch(root.post(fmt.Sprintf("/admin/users/%d/link", id), url.Values{}).body)
	if m == nil {
		t.Fatal("no link")
	}
	anon := e.staff(t, "", "", false)
	path := pathOf(t, m[1])
	for _, v := range append(nasty, strings.Repeat("x", 3000)) {
		form := url.Values{"password": {v}, "password2": {v + "!"}}
		want := http.StatusUnprocessableEntity
		if len(form.Encode()) > 8<<10 {
			want = http.StatusRequestEntityTooLarge // beyond what the form's route reads
		}
		if res := anon.post(path, form); res.StatusCode != want {
			t.Errorf("password %.20q: %d, want %d", v, res.StatusCode, want)
		}
	}
	if u, _ := e.db.UserByID(context.Background(), id); u.Role != twinning.RoleEditor {
		t.Errorf("hostile input changed the account: %+v", u)
	}
}

// The request log names the page of a one-time link without its token.
func TestOneTimeLinksStayOutOfTheLogs(t *testing.T) {
	e := newEnv(t)
	var logs bytes.Buffer
	bundle, _ := locale.Load()
	srv, err := web.NewServer(slog.New(slog.NewJSONHandler(&logs, nil)), e.db, bundle,
		web.Options{Sessions: pgxstore.NewWithCleanupInterval(e.db.Pool, 0)})
	if err != nil {
		t.Fatal(err)
	}
	e.staff(t, "anna@seinajoki.fi", "seinajoki", false)
	token, hash := auth.NewToken()
	if err := e.db.IssueLink(context.Background(), userID(t, e, "anna@seinajoki.fi"), hash, auth.LinkValidity, twinning.Actor{}); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"/admin/password/" + token, "/admin/password/" + token + "x"} {
		w := httptest.NewRecorder()
		srv.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "http://localhost"+path, nil))
		if w.Code != 200 && w.Code != 404 {
			t.Errorf("%s: %d", path, w.Code)
		}
	}
	if strings.Contains(logs.String(), token) || !strings.Contains(logs.String(), `"path":"/admin/password/…"`) {
		t.Errorf("logs:\n%s", logs.String())
	}
}

package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"twintowns/internal/auth"
	"twintowns/internal/twinning"
)

// withTOTP gives the account of email an authenticator app and recovery codes, as if set up
// from the profile; it returns the app's secret and the codes.
func withTOTP(t *testing.T, e *env, email string) (string, []string) {
	t.Helper()
	ctx := context.Background()
	u, _, err := e.db.UserByEmail(ctx, email)
	if err != nil {
		t.Fatal(err)
	}
	secret, _, err := auth.NewTOTP("test", email)
	if err != nil {
		t.Fatal(err)
	}
	codes, hashes := auth.NewRecoveryCodes()
	if _, err := e.db.EnableTOTP(ctx, u.ID, secret, 0, hashes, "", twinning.Actor{Email: email}); err != nil {
		t.Fatal(err)
	}
	return secret, codes
}

// passwordStep signs in with the password and expects to be asked for a second factor.
func (s *staff) passwordStep(email string) {
	s.t.Helper()
	res := s.post("/admin/login", url.Values{"email": {email}, "password": {password}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/admin/login/verify" {
		s.t.Fatalf("password of %s: %d %s", email, res.StatusCode, res.Header.Get("Location"))
	}
}

// Codes are throttled like passwords, through the same attempts: five wrong codes from one
// address refuse that address codes for the account; one sign-in's second step allows five
// tries, then the password is asked again; a code works once.
func TestCodesAreThrottledLikePasswords(t *testing.T) {
	e := newEnv(t, trustProxy)
	e.staff(t, "olli@seinajoki.fi", "seinajoki", false)
	secret, _ := withTOTP(t, e, "olli@seinajoki.fi")
	from := func(addr string) *staff { return e.staff(t, "", "", false) }
	verify := func(s *staff, addr, code string) response {
		return s.do(http.MethodPost, "/admin/login/verify", url.Values{"code": {code}}, "X-Forwarded-For", addr)
	}
	login := func(s *staff, addr string) {
		t.Helper()
		res := s.do(http.MethodPost, "/admin/login", url.Values{"email": {"olli@seinajoki.fi"}, "password": {password}}, "X-Forwarded-For", addr)
		if res.Header.Get("Location") != "/admin/login/verify" {
			t.Fatalf("password: %d %s", res.StatusCode, res.Header.Get("Location"))
		}
	}
	// not signed in before the second step
	a := from("198.51.100.1")
	login(a, "198.51.100.1")
	if res := a.get("/admin/sites/seinajoki/cities"); res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/admin/login" {
		t.Fatalf("signed in after the password alone: %d", res.StatusCode)
	}
	// five wrong codes in one second step, then the password again
	for i := range 5 {
		res := verify(a, "198.51.100.1", "000000")
		if i < 4 && res.StatusCode != http.StatusUnauthorized {
			t.Fatalf("wrong code %d: %d", i+1, res.StatusCode)
		}
		if i == 4 && (res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/admin/login") {
			t.Fatalf("fifth wrong code: %d %s", res.StatusCode, res.Header.Get("Location"))
		}
	}
	// the address is refused codes for the account now, even the right one
	login(a, "198.51.100.1")
	good, _ := totp.GenerateCode(secret, time.Now())
	if res := verify(a, "198.51.100.1", good); res.StatusCode != http.StatusTooManyRequests || res.Header.Get("Retry-After") != "900" {
		t.Fatalf("right code from a refused address: %d %q", res.StatusCode, res.Header.Get("Retry-After"))
	}
	// the owner, from elsewhere, gets in (slowed: the account has failures)
	b := from("192.0.2.7")
	login(b, "192.0.2.7")
	if res := verify(b, "192.0.2.7", good); res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/admin/" {
		t.Fatalf("owner's code: %d %s\n%s", res.StatusCode, res.Header.Get("Location"), res.body)
	}
	if res := b.get("/admin/sites/seinajoki/cities"); res.StatusCode != http.StatusOK {
		t.Fatalf("owner's session: %d", res.StatusCode)
	}
	// the same code does not work twice
	c := from("192.0.2.8")
	login(c, "192.0.2.8")
	if res := verify(c, "192.0.2.8", good); res.StatusCode != http.StatusUnauthorized {
		t.Errorf("a code used twice: %d", res.StatusCode)
	}
	var failed, refused int
	e.db.Pool.QueryRow(context.Background(), `SELECT count(*) FILTER (WHERE action = 'sign_in_failed' AND detail = 'code'),
		count(*) FILTER (WHERE action = 'sign_in_refused' AND detail LIKE 'code%') FROM audit_log`).Scan(&failed, &refused)
	if failed != 6 || refused != 1 {
		t.Errorf("audited %d failed and %d refused codes", failed, refused)
	}
}

var sessionRowRE = regexp.MustCompile(`(?s)<tbody>.*?</tbody>`)

// Setting up, removing and renewing second factors, and a recovery, end the person's other
// sessions and are audited; "sign out everywhere" ends the others and keeps this one.
func TestSecondFactorChangesEndOtherSessions(t *testing.T) {
	e := newEnv(t)
	here := e.staff(t, "olli@seinajoki.fi", "seinajoki", false)
	here.login("olli@seinajoki.fi")
	there := e.staff(t, "", "", false)
	there.login("olli@seinajoki.fi")
	profile := here.get("/admin/profile")
	if n := strings.Count(sessionRowRE.FindString(profile.body[strings.Index(profile.body, `id="sessions"`):]), "<tr>"); n != 2 {
		t.Fatalf("%d sessions listed, want 2", n)
	}
	// sign out everywhere else
	if res := here.post("/admin/profile/sessions/end", url.Values{}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign out everywhere: %d", res.StatusCode)
	}
	if res := there.get("/admin/sites/seinajoki/cities"); res.StatusCode != http.StatusSeeOther {
		t.Errorf("the other session goes on: %d", res.StatusCode)
	}
	if res := here.get("/admin/sites/seinajoki/cities"); res.StatusCode != http.StatusOK {
		t.Fatalf("this session ended too: %d", res.StatusCode)
	}
	// set up the app through the profile
	there.login("olli@seinajoki.fi")
	setup := here.get("/admin/profile/totp")
	m := regexp.MustCompile(`id="totp-secret" class="secret">([A-Z2-7 ]+)<`).FindStringSubmatch(setup.body)
	if m == nil {
		t.Fatalf("no secret on the setup page:\n%s", setup.body)
	}
	secret := strings.ReplaceAll(m[1], " ", "")
	code, _ := totp.GenerateCode(secret, time.Now())
	codes := here.post("/admin/profile/totp", url.Values{"code": {code}})
	if codes.StatusCode != http.StatusOK || strings.Count(codes.body, "<li><code>") != auth.RecoveryCodeCount {
		t.Fatalf("recovery codes: %d\n%s", codes.StatusCode, codes.body)
	}
	if res := there.get("/admin/sites/seinajoki/cities"); res.StatusCode != http.StatusSeeOther {
		t.Errorf("the other session survives the new app: %d", res.StatusCode)
	}
	if res := here.get("/admin/sites/seinajoki/cities"); res.StatusCode != http.StatusOK {
		t.Fatalf("the session that set up the app ended: %d", res.StatusCode)
	}
	var stored string
	e.db.Pool.QueryRow(context.Background(), `SELECT encode(hash, 'hex') FROM user_recovery_codes LIMIT 1`).Scan(&stored)
	if len(stored) != 64 || strings.Contains(codes.body, stored) {
		t.Errorf("recovery codes are not stored as hashes: %q", stored)
	}
	// new recovery codes, then removing the app
	there.passwordStep("olli@seinajoki.fi")
	if res := here.post("/admin/profile/recovery-codes", url.Values{}); res.StatusCode != http.StatusOK {
		t.Fatalf("new recovery codes: %d", res.StatusCode)
	}
	if res := here.post("/admin/profile/totp/delete", url.Values{}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("remove the app: %d", res.StatusCode)
	}
	got := strings.Join(auditActionsLike(t, e, "totp_%", "recovery_%", "sessions_end"), ",")
	if got != "sessions_end,totp_add,recovery_codes_new,totp_remove" {
		t.Errorf("audit: %s", got)
	}
}

func auditActionsLike(t *testing.T, e *env, patterns ...string) []string {
	t.Helper()
	rows, err := e.db.Pool.Query(context.Background(), `SELECT action FROM audit_log WHERE action LIKE ANY($1) ORDER BY id`, patterns)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for rows.Next() {
		var a string
		rows.Scan(&a)
		out = append(out, a)
	}
	return out
}

// The person's staff language is a stored preference the staff area follows, whatever the
// browser says; the switcher changes it.
func TestStaffLanguagePreference(t *testing.T) {
	e := newEnv(t)
	s := e.staff(t, "olli@seinajoki.fi", "seinajoki", false)
	s.login("olli@seinajoki.fi")
	if res := s.post("/admin/profile", url.Values{"name": {"Olli Ojala"}, "staff_lang": {"pl"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("save profile: %d", res.StatusCode)
	}
	res := s.get("/admin/sites/seinajoki/cities")
	if res.Header.Get("Content-Language") != "pl" || !strings.Contains(res.body, `<html lang="pl"`) {
		t.Errorf("a Finnish browser with Polish chosen gets %q", res.Header.Get("Content-Language"))
	}
	u, _, _ := e.db.UserByEmail(context.Background(), "olli@seinajoki.fi")
	if u.Name != "Olli Ojala" || u.Lang() != "pl" {
		t.Errorf("stored: %q %q", u.Name, u.Lang())
	}
	s.get("/admin/lang/sv?next=/admin/profile")
	if u, _, _ := e.db.UserByEmail(context.Background(), "olli@seinajoki.fi"); u.Lang() != "sv" {
		t.Errorf("the switcher left the preference %q", u.Lang())
	}
	if res := s.post("/admin/profile", url.Values{"staff_lang": {"xx"}}); res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("an unknown language: %d", res.StatusCode)
	}
}

// A password changed on the profile: the current one is checked, a weak new one refused
// with the reason, and the person's other sessions end.
func TestPasswordChangeOnProfile(t *testing.T) {
	e := newEnv(t)
	s := e.staff(t, "olli@seinajoki.fi", "seinajoki", false)
	s.login("olli@seinajoki.fi")
	other := e.staff(t, "", "", false)
	other.login("olli@seinajoki.fi")
	if res := s.post("/admin/profile/password", url.Values{"current_password": {"not it at all"}, "new_password": {"kolme vihreää kirahvia"},
		"new_password2": {"kolme vihreää kirahvia"}}); res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("wrong current password: %d", res.StatusCode)
	}
	if res := s.post("/admin/profile/password", url.Values{"current_password": {password}, "new_password": {"password1234"},
		"new_password2": {"password1234"}}); res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("weak new password: %d", res.StatusCode)
	}
	if res := s.post("/admin/profile/password", url.Values{"current_password": {password}, "new_password": {"kolme vihreää kirahvia"},
		"new_password2": {"kolme vihreää kirahvia"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("change: %d", res.StatusCode)
	}
	if res := other.get("/admin/sites/seinajoki/cities"); res.StatusCode != http.StatusSeeOther {
		t.Errorf("the other session survives the new password: %d", res.StatusCode)
	}
	if res := s.get("/admin/sites/seinajoki/cities"); res.StatusCode != http.StatusOK {
		t.Errorf("this session ended: %d", res.StatusCode)
	}
	fresh := e.staff(t, "", "", false)
	if res := fresh.post("/admin/login", url.Values{"email": {"olli@seinajoki.fi"}, "password": {"kolme vihreää kirahvia"}}); res.StatusCode != http.StatusSeeOther {
		t.Errorf("sign-in with the new password: %d", res.StatusCode)
	}
}

// The policy applies where it says: to administrators, then to editors and administrators,
// then to everyone; a person asked for a second factor can only set one up, and an
// administrator can remove a person's second factors.
func TestSecondFactorPolicy(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	adm := e.staff(t, "root@seinajoki.fi", "", true)
	editor := e.staff(t, "olli@seinajoki.fi", "seinajoki", false)
	editor.login("olli@seinajoki.fi")
	translator := e.addUser(t, twinning.User{Email: "tl@seinajoki.fi", Role: twinning.RoleTranslator,
		Sites: []int64{siteID(t, e, "seinajoki")}, Langs: []string{"sv"}})
	withTOTP(t, e, "root@seinajoki.fi")
	secret, _, _ := e.db.TOTPSecret(ctx, userID(t, e, "root@seinajoki.fi"))
	adm.passwordStep("root@seinajoki.fi")
	code, _ := totp.GenerateCode(secret, time.Now())
	if res := adm.post("/admin/login/verify", url.Values{"code": {code}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("administrator's code: %d\n%s", res.StatusCode, res.body)
	}
	asked := func(s *staff) bool {
		t.Helper()
		res := s.get("/admin/sites/seinajoki/cities")
		return res.StatusCode == http.StatusSeeOther && strings.HasPrefix(res.Header.Get("Location"), "/admin/profile")
	}
	for _, tc := range []struct {
		policy                string
		editor, translatorToo bool
	}{
		{"none", false, false},
		{"administrators", false, false},
		{"editors", true, false},
		{"everyone", true, true},
	} {
		if res := adm.post("/admin/identity/policy", url.Values{"second_factor": {tc.policy}}); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("policy %s: %d", tc.policy, res.StatusCode)
		}
		if asked(editor) != tc.editor || asked(translator) != tc.translatorToo {
			t.Errorf("policy %s: editor asked %t, translator asked %t", tc.policy, asked(editor), asked(translator))
		}
		if asked(adm) {
			t.Errorf("policy %s: the administrator with an app is asked", tc.policy)
		}
	}
	// asked to enrol, the editor may open the profile and the app's setup, nothing else
	for path, want := range map[string]int{"/admin/profile": 200, "/admin/profile/totp": 200, "/admin/users": 303, "/admin/sites/seinajoki/translations": 303} {
		if res := editor.get(path); res.StatusCode != want {
			t.Errorf("editor asked to enrol, %s: %d, want %d", path, res.StatusCode, want)
		}
	}
	if res := adm.post("/admin/identity/policy", url.Values{"second_factor": {"strict"}}); res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("an unknown policy: %d", res.StatusCode)
	}
	// the administrator removes the editor's second factors: the editor's sessions end
	withTOTP(t, e, "olli@seinajoki.fi")
	editor.passwordStep("olli@seinajoki.fi")
	id := userID(t, e, "olli@seinajoki.fi")
	if res := adm.post("/admin/users/"+itoa(id)+"/second-factors/delete", url.Values{}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("remove second factors: %d", res.StatusCode)
	}
	if f, _ := e.db.SecondFactors(ctx, id); f.Any() || f.RecoveryCodes != 0 {
		t.Errorf("second factors left: %+v", f)
	}
	if res := editor.get("/admin/login/verify"); res.StatusCode != http.StatusSeeOther {
		t.Errorf("the editor's second step survives: %d", res.StatusCode)
	}
	if got := auditActionsLike(t, e, "second_factor%"); strings.Join(got, ",") != "second_factor_policy,second_factor_policy,second_factor_policy,second_factor_policy,second_factors_reset" {
		t.Errorf("audit: %v", got)
	}
}

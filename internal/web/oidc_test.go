package web_test

import (
	"context"
	htmlstd "html"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"twintowns/internal/auth"
	"twintowns/internal/locale"
	"twintowns/internal/oidc"
	"twintowns/internal/oidctest"
	"twintowns/internal/twinning"
	"twintowns/internal/web"
)

// provider is a real OpenID provider (zitadel/oidc's example OP) and a server whose staff
// sign in with it, as the provider "city", plus the misbehaving clients "expired" (its ID
// tokens are born expired) and "elsewhere" (its tokens are for another audience), and "down"
// (nobody answers there).
type provider struct {
	*env
	op *oidctest.Provider
}

var cityPeople = []oidctest.User{
	{ID: "sub-anna", Username: "anna", Password: "anna-secret", Email: "anna@seinajoki.fi", EmailVerified: true, GivenName: "Anna", FamilyName: "Aalto"},
	{ID: "sub-eero", Username: "eero", Password: "eero-secret", Email: "eero@seinajoki.fi", EmailVerified: true, GivenName: "Eero", FamilyName: "Ek",
		Groups: []string{"staff", "twintowns-editors"}},
	{ID: "sub-ville", Username: "ville", Password: "ville-secret", Email: "ville@seinajoki.fi", EmailVerified: false, GivenName: "Ville", FamilyName: "Vaara"},
}

func withProvider(t *testing.T) *provider {
	t.Helper()
	op := oidctest.Start(t, cityPeople)
	closed, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	down := "http://" + closed.Addr().String()
	closed.Close()
	providers, err := oidc.New([]oidc.Config{
		{ID: "city", Name: "Seinäjoen kaupunki", Issuer: op.Issuer, ClientID: "twintowns", ClientSecret: "s3cret"},
		{ID: "expired", Name: "Expired", Issuer: op.Issuer, ClientID: "expired", ClientSecret: "s3cret"},
		{ID: "elsewhere", Name: "Elsewhere", Issuer: op.Issuer, ClientID: "elsewhere", ClientSecret: "s3cret"},
		{ID: "down", Name: "Down", Issuer: down, ClientID: "twintowns", ClientSecret: "s3cret"},
	})
	if err != nil {
		t.Fatal(err)
	}
	e := newEnv(t, func(o *web.Options) { o.Providers = providers })
	ts := e.httpServer(t)
	callback := func(id string) []string { return []string{ts.URL + "/admin/oidc/" + id + "/callback"} }
	op.AddClient(oidctest.Client{ID: "twintowns", Secret: "s3cret", RedirectURIs: callback("city")})
	op.AddClient(oidctest.Client{ID: "expired", Secret: "s3cret", RedirectURIs: callback("expired"), IDTokenLifetime: -time.Minute})
	op.AddClient(oidctest.Client{ID: "elsewhere", Secret: "s3cret", RedirectURIs: callback("elsewhere"), OtherAudience: "another-app"})
	return &provider{env: e, op: op}
}

// signInAt goes through provider id as username: the redirect to the provider, its form,
// and the callback (changed by tamper, if given). It returns the callback's response.
func (p *provider) signInAt(t *testing.T, s *staff, id, username, password string, tamper ...func(authURL, callback *url.URL)) response {
	t.Helper()
	start := s.get("/admin/oidc/" + id)
	if start.StatusCode != http.StatusSeeOther {
		t.Fatalf("start at %s: %d\n%s", id, start.StatusCode, start.body)
	}
	authURL, _ := url.Parse(start.Header.Get("Location"))
	for _, f := range tamper {
		f(authURL, nil)
	}
	back, err := p.op.SignIn(s.c, authURL.String(), username, password)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range tamper {
		f(nil, back)
	}
	if !strings.HasPrefix(back.String(), s.base+"/admin/oidc/"+id+"/callback?") {
		t.Fatalf("the provider sent the browser to %s", back)
	}
	return s.get(strings.TrimPrefix(back.String(), s.base))
}

func auditDetails(t *testing.T, e *env, prefix string) []string {
	t.Helper()
	rows, err := e.db.Pool.Query(context.Background(), `SELECT action || ':' || detail FROM audit_log WHERE action LIKE $1 ORDER BY id`, prefix+"%")
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for rows.Next() {
		var a string
		rows.Scan(&a)
		actions = append(actions, a)
	}
	return actions
}

// An invited person signs in through the provider: the first time their account is linked by
// their verified address, afterwards by the provider's subject, even when their address there
// changes. Signing out offers the provider's end-session endpoint.
func TestSignInThroughProviderLinksTheInvitation(t *testing.T) {
	p := withProvider(t)
	ctx := context.Background()
	if _, err := p.db.InviteUser(ctx, twinning.User{Email: "anna@seinajoki.fi", Role: twinning.RoleEditor, Sites: []int64{siteID(t, p.env, "seinajoki")}},
		auth.TokenHash("unused"), time.Hour, twinning.Actor{Address: "test"}); err != nil {
		t.Fatal(err)
	}
	s := p.staff(t, "", "", false)
	login := s.get("/admin/login")
	if !strings.Contains(login.body, `href="/admin/oidc/city"`) || !strings.Contains(login.body, "Seinäjoen kaupunki") {
		t.Fatalf("no provider on the sign-in page:\n%s", login.body)
	}
	res := p.signInAt(t, s, "city", "anna", "anna-secret")
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/admin/" {
		t.Fatalf("callback: %d %s\n%s", res.StatusCode, res.Header.Get("Location"), res.body)
	}
	if list := s.get("/admin/sites/seinajoki/cities"); list.StatusCode != http.StatusOK {
		t.Fatalf("signed in through the provider, the list answers %d", list.StatusCode)
	}
	var subject, email string
	if err := p.db.Pool.QueryRow(ctx, `SELECT i.subject, u.email FROM user_identities i JOIN users u ON u.id = i.user_id WHERE i.provider = 'city'`).
		Scan(&subject, &email); err != nil || subject != "sub-anna" || email != "anna@seinajoki.fi" {
		t.Fatalf("link: %q %q %v", subject, email, err)
	}
	if got := auditDetails(t, p.env, "identity_link"); len(got) != 1 || got[0] != "identity_link:anna@seinajoki.fi city" {
		t.Errorf("audit: %v", got)
	}
	profile := s.get("/admin/profile")
	if !strings.Contains(profile.body, "Seinäjoen kaupunki") || !strings.Contains(profile.body, p.tr("fi", "admin.profile.method.provider")) {
		t.Errorf("the profile shows no linked account or method:\n%s", profile.body)
	}

	// sign-out: the session ends here, and the provider's end-session endpoint is offered
	out := s.post("/admin/logout", url.Values{})
	if out.StatusCode != http.StatusOK || !strings.Contains(out.body, p.op.Issuer+"/end_session?") || !strings.Contains(out.body, "id_token_hint=") {
		t.Fatalf("sign-out: %d\n%s", out.StatusCode, out.body)
	}
	if res := s.get("/admin/sites/seinajoki/cities"); res.StatusCode != http.StatusSeeOther {
		t.Errorf("after sign-out: %d", res.StatusCode)
	}

	// the address at the provider changes: the subject still finds the account
	p.op.SetUser(oidctest.User{ID: "sub-anna", Username: "anna", Password: "anna-secret", Email: "anna.aalto@example.org", EmailVerified: true})
	s2 := p.staff(t, "", "", false)
	if res := p.signInAt(t, s2, "city", "anna", "anna-secret"); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("second sign-in: %d\n%s", res.StatusCode, res.body)
	}
	if res := s2.get("/admin/sites/seinajoki/cities"); res.StatusCode != http.StatusOK {
		t.Errorf("second sign-in by subject: %d", res.StatusCode)
	}
}

// Nobody gets in through the provider without an account, an unverified address links
// nothing, and a disabled account stays out.
func TestProviderWithoutAccountIsRefused(t *testing.T) {
	p := withProvider(t)
	ctx := context.Background()
	if _, err := p.db.InviteUser(ctx, twinning.User{Email: "ville@seinajoki.fi", Role: twinning.RoleEditor, Sites: []int64{siteID(t, p.env, "seinajoki")}},
		auth.TokenHash("unused-ville"), time.Hour, twinning.Actor{Address: "test"}); err != nil {
		t.Fatal(err)
	}
	for _, who := range []struct{ name, password string }{{"eero", "eero-secret"}, {"ville", "ville-secret"}} {
		s := p.staff(t, "", "", false)
		res := p.signInAt(t, s, "city", who.name, who.password)
		if res.StatusCode != http.StatusForbidden || !strings.Contains(res.body, p.tr("fi", "admin.oidc.no_account")) {
			t.Errorf("%s: %d\n%s", who.name, res.StatusCode, res.body)
		}
		if res := s.get("/admin/"); res.StatusCode != http.StatusSeeOther {
			t.Errorf("%s is signed in", who.name)
		}
	}
	var links int
	p.db.Pool.QueryRow(ctx, `SELECT count(*) FROM user_identities`).Scan(&links)
	if links != 0 {
		t.Errorf("%d links made", links)
	}
}

// Administrators let the provider make accounts from its group claim: the person gets the
// role, sites and languages of their group, and loses them with the group.
func TestProviderMakesAnAccountFromAGroupClaim(t *testing.T) {
	p := withProvider(t)
	adm := p.staff(t, "root@seinajoki.fi", "", true)
	adm.login("root@seinajoki.fi")
	site := siteID(t, p.env, "seinajoki")
	page := adm.get("/admin/identity")
	if page.StatusCode != http.StatusOK || !strings.Contains(page.body, "/admin/oidc/city/callback") || !strings.Contains(page.body, p.op.Issuer) {
		t.Fatalf("sign-in settings: %d\n%s", page.StatusCode, page.body)
	}
	if res := adm.post("/admin/identity/providers/city/rules", url.Values{"claim": {"twintowns-editors"}, "role": {"editor"},
		"sites": {itoa(site)}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("add rule: %d\n%s", res.StatusCode, res.body)
	}
	// without automatic accounts, the rule gives nobody an account
	s := p.staff(t, "", "", false)
	if res := p.signInAt(t, s, "city", "eero", "eero-secret"); res.StatusCode != http.StatusForbidden {
		t.Fatalf("automatic accounts off: %d", res.StatusCode)
	}
	if res := adm.post("/admin/identity/providers/city", url.Values{"auto_accounts": {"on"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("automatic accounts: %d", res.StatusCode)
	}
	res := p.signInAt(t, s, "city", "eero", "eero-secret")
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("automatic account: %d\n%s", res.StatusCode, res.body)
	}
	u, _, err := p.db.UserByEmail(context.Background(), "eero@seinajoki.fi")
	if err != nil || u.Role != twinning.RoleEditor || len(u.Sites) != 1 || u.Sites[0] != site || u.Name != "Eero Ek" || u.ManagedBy != "city" {
		t.Fatalf("account made: %+v %v", u, err)
	}
	if res := s.get("/admin/sites/seinajoki/cities"); res.StatusCode != http.StatusOK {
		t.Errorf("the new editor's list: %d", res.StatusCode)
	}
	if res := s.get("/admin/users"); res.StatusCode != http.StatusForbidden {
		t.Errorf("the new editor manages accounts: %d", res.StatusCode)
	}
	if got := auditDetails(t, p.env, "user_add"); len(got) != 2 || !strings.Contains(got[1], "eero@seinajoki.fi editor") {
		t.Errorf("audit: %v", got)
	}
	// out of the group at the provider: out of the staff area
	p.op.SetUser(oidctest.User{ID: "sub-eero", Username: "eero", Password: "eero-secret", Email: "eero@seinajoki.fi", EmailVerified: true, Groups: []string{"staff"}})
	s2 := p.staff(t, "", "", false)
	if res := p.signInAt(t, s2, "city", "eero", "eero-secret"); res.StatusCode != http.StatusForbidden {
		t.Errorf("out of the group: %d", res.StatusCode)
	}
}

// The answers a relying party must refuse: another sign-in's state, a nonce changed on the
// way, a token for another audience, an expired token, a callback used twice.
func TestProviderAnswersThatAreRefused(t *testing.T) {
	p := withProvider(t)
	ctx := context.Background()
	if _, err := p.db.InviteUser(ctx, twinning.User{Email: "anna@seinajoki.fi", Role: twinning.RoleAdministrator},
		auth.TokenHash("unused"), time.Hour, twinning.Actor{Address: "test"}); err != nil {
		t.Fatal(err)
	}
	setParam := func(u *url.URL, k, v string) {
		q := u.Query()
		q.Set(k, v)
		u.RawQuery = q.Encode()
	}
	tests := []struct {
		name, provider string
		tamper         func(authURL, callback *url.URL)
	}{
		{"state of another sign-in", "city", func(_, cb *url.URL) {
			if cb != nil {
				setParam(cb, "state", "c3RhdGUgb2YgYW5vdGhlciBzaWduLWlu")
			}
		}},
		{"nonce changed on the way", "city", func(a, _ *url.URL) {
			if a != nil {
				setParam(a, "nonce", "bm9uY2UgY2hhbmdlZA")
			}
		}},
		{"token for another audience", "elsewhere", nil},
		{"expired token", "expired", nil},
		{"provider says no", "city", func(_, cb *url.URL) {
			if cb != nil {
				cb.RawQuery = url.Values{"error": {"access_denied"}, "state": {cb.Query().Get("state")}}.Encode()
			}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := p.staff(t, "", "", false)
			var tamper []func(a, cb *url.URL)
			if tc.tamper != nil {
				tamper = append(tamper, tc.tamper)
			}
			res := p.signInAt(t, s, tc.provider, "anna", "anna-secret", tamper...)
			if res.StatusCode != http.StatusBadRequest || !strings.Contains(res.body, p.tr("fi", "admin.oidc.refused")) {
				t.Fatalf("%d\n%s", res.StatusCode, res.body)
			}
			if res := s.get("/admin/"); res.StatusCode != http.StatusSeeOther {
				t.Errorf("signed in all the same: %d", res.StatusCode)
			}
		})
	}
	t.Run("callback used twice", func(t *testing.T) {
		s := p.staff(t, "", "", false)
		var callback string
		res := p.signInAt(t, s, "city", "anna", "anna-secret", func(_, cb *url.URL) {
			if cb != nil {
				callback = strings.TrimPrefix(cb.String(), s.base)
			}
		})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("first: %d\n%s", res.StatusCode, res.body)
		}
		thief := p.staff(t, "", "", false)
		if res := thief.get(callback); res.StatusCode != http.StatusBadRequest {
			t.Errorf("the callback in another browser: %d", res.StatusCode)
		}
		if res := s.get(callback); res.StatusCode != http.StatusBadRequest {
			t.Errorf("the callback again: %d", res.StatusCode)
		}
	})
	var linked int
	p.db.Pool.QueryRow(ctx, `SELECT count(*) FROM user_identities`).Scan(&linked)
	if linked != 1 {
		t.Errorf("%d identities linked, want the one of the good sign-in", linked)
	}
}

// A provider that does not answer: a translated page, and the password still works.
func TestProviderDownLeavesPasswordsWorking(t *testing.T) {
	p := withProvider(t)
	s := p.staff(t, "olli@seinajoki.fi", "seinajoki", false)
	for _, lang := range []string{"fi", "sv", "it", "pl"} {
		s.lang = lang
		res := s.get("/admin/oidc/down")
		if res.StatusCode != http.StatusServiceUnavailable || !strings.Contains(res.body, p.tr(lang, "admin.oidc.unavailable")) ||
			!strings.Contains(res.body, `name="password"`) || res.Header.Get("Retry-After") == "" {
			t.Fatalf("%s: %d\n%s", lang, res.StatusCode, res.body)
		}
	}
	s.login("olli@seinajoki.fi")
	if res := s.get("/admin/sites/seinajoki/cities"); res.StatusCode != http.StatusOK {
		t.Errorf("password sign-in while the provider is down: %d", res.StatusCode)
	}
	// the provider that answered goes down after discovery: the callback says so too
	p.op.Stop()
	if res := s.get("/admin/oidc/city"); res.StatusCode != http.StatusSeeOther && res.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("start at a provider gone down: %d", res.StatusCode)
	}
}

// With local passwords off, the sign-in page shows only the providers and a password is
// refused.
func TestPasswordsTurnedOff(t *testing.T) {
	op := oidctest.Start(t, cityPeople)
	providers, _ := oidc.New([]oidc.Config{{ID: "city", Name: "Seinäjoen kaupunki", Issuer: op.Issuer, ClientID: "twintowns"}})
	e := newEnv(t, func(o *web.Options) { o.Providers, o.NoPasswords = providers, true })
	s := e.staff(t, "olli@seinajoki.fi", "seinajoki", false)
	if page := s.get("/admin/login"); strings.Contains(page.body, `name="password"`) || !strings.Contains(page.body, "/admin/oidc/city") {
		t.Errorf("sign-in page:\n%s", page.body)
	}
	res := s.post("/admin/login", url.Values{"email": {"olli@seinajoki.fi"}, "password": {password}})
	if res.StatusCode != http.StatusForbidden {
		t.Errorf("password sign-in with passwords off: %d", res.StatusCode)
	}
}

// tr is a message in a language, as the pages write it (HTML-escaped).
func (e *env) tr(lang, id string, kv ...any) string {
	bundle, err := locale.Load()
	if err != nil {
		panic(err)
	}
	return htmlstd.EscapeString(bundle.For(lang).T(id, kv...))
}

package e2e

import (
	"context"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/webauthn"
	"github.com/chromedp/chromedp"
	"github.com/pquerna/otp/totp"

	"twintowns/internal/auth"
	"twintowns/internal/locale"
	"twintowns/internal/oidc"
	"twintowns/internal/oidctest"
	"twintowns/internal/web"
)

// signInWith signs in on the staff sign-in form of host in lang, with the password.
func signInWith(t *testing.T, ctx context.Context, s *site, host string, tr *locale.Translator, email string) {
	t.Helper()
	do(t, ctx, chromedp.Navigate(s.url(host, "/admin/lang/"+tr.Lang+"?next=/admin/login")))
	fill(t, ctx, tr.T("admin.login.email"), email)
	fill(t, ctx, tr.T("admin.login.password"), staffPassword)
	follow(t, ctx, button(tr.T("admin.login.submit")))
}

// signOut signs out through the navigation's button.
func signOut(t *testing.T, ctx context.Context) {
	t.Helper()
	follow(t, ctx, `//form[@action="/admin/logout"]//button`)
}

// checkAxeWidths runs axe-core on the page at 1280 and 390 px, and checks that nothing
// overflows sideways at 390 px.
func checkAxeWidths(t *testing.T, ctx context.Context, src, name string) {
	t.Helper()
	checkWidths(t, ctx, src, name, "")
}

// checkWidths is checkAxeWidths that also saves a screenshot of the whole page at each width
// as var/screenshots/SHOT-WIDTH.png (none when shot is "").
func checkWidths(t *testing.T, ctx context.Context, src, name, shot string) {
	t.Helper()
	for _, width := range []int64{1280, 390} {
		opts := []chromedp.EmulateViewportOption{}
		if width < 500 {
			opts = append(opts, chromedp.EmulateMobile)
		}
		do(t, ctx, chromedp.EmulateViewport(width, 844, opts...))
		checkAxe(t, ctx, src, name+" at "+itoa(width))
		if width < 500 && eval[bool](t, ctx, `document.documentElement.scrollWidth > document.documentElement.clientWidth`) {
			t.Errorf("%s at 390 px overflows horizontally", name)
		}
		if hidden := eval[[]string](t, ctx, focusHiddenJS); len(hidden) > 0 {
			t.Errorf("%s at %d px: focused, %d controls are hidden under the sticky action bar (WCAG 2.2 SC 2.4.11): %q",
				name, width, len(hidden), hidden)
		}
		if shot != "" {
			screenshot(t, ctx, shot+"-"+itoa(width))
		}
	}
	do(t, ctx, chromedp.EmulateViewport(1280, 900))
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// focusHiddenJS focuses every control of the page outside its sticky action bar, as the Tab
// key would (the browser scrolls it into view, minding scroll-padding), and returns those
// the bar then covers entirely (WCAG 2.2 SC 2.4.11, Focus Not Obscured: axe does not test it).
const focusHiddenJS = `(() => {
	const bar = document.querySelector(".action-bar");
	if (!bar) return [];
	const hidden = [];
	for (const el of document.querySelectorAll("a[href], button, input:not([type=hidden]), select, textarea, summary")) {
		if (bar.contains(el) || el.disabled || el.closest("details:not([open])") && el.tagName !== "SUMMARY" || !el.getClientRects().length) continue;
		el.focus();
		if (document.activeElement !== el) continue;
		const r = el.getBoundingClientRect(), b = bar.getBoundingClientRect();
		if (r.top >= b.top && r.bottom <= b.bottom) hidden.push(el.name || el.id || el.textContent.trim().slice(0, 40));
	}
	document.activeElement && document.activeElement.blur();
	window.scrollTo(0, 0);
	return hidden;
})()`

// secretOnPage is the TOTP secret the setup page shows for typing.
func secretOnPage(t *testing.T, ctx context.Context) string {
	t.Helper()
	return strings.ReplaceAll(eval[string](t, ctx, `document.getElementById("totp-secret").textContent`), " ", "")
}

var codeRE = regexp.MustCompile(`^[2-9a-z]{4}-[2-9a-z]{4}-[2-9a-z]{4}-[2-9a-z]{4}$`)

// An editor sets up an authenticator app from their profile (the QR code's secret read from
// the page, the code computed here), signs in with a code of the app, then with a recovery
// code, which works once. axe checks each new page at 1280 and 390 px.
func TestTOTPEnrolmentSignInAndRecoveryCode(t *testing.T) {
	s := startSite(t)
	src := axeSource(t)
	ctx := tab(t, browser(t))
	tr := s.locales.For("fi")
	host := "seinajoki.localhost"
	signInWith(t, ctx, s, host, tr, staffEmail)
	follow(t, ctx, link(staffEmail))
	if !strings.HasSuffix(location(t, ctx), "/admin/profile") {
		t.Fatalf("the address in the navigation leads to %s", location(t, ctx))
	}
	checkAxeWidths(t, ctx, src, "profile")
	screenshot(t, ctx, "admin-profile")
	follow(t, ctx, link(tr.T("admin.totp.setup")))
	checkAxeWidths(t, ctx, src, "TOTP setup")
	if !eval[bool](t, ctx, `document.querySelector("img.qr").naturalWidth >= 200`) {
		t.Error("no QR code image")
	}
	secret := secretOnPage(t, ctx)
	fill(t, ctx, tr.T("admin.totp.code"), "000000")
	follow(t, ctx, button(tr.T("admin.totp.submit")))
	if text := bodyText(t, ctx); !strings.Contains(text, tr.T("admin.totp.wrong")) || secretOnPage(t, ctx) != secret {
		t.Fatalf("a wrong code: the error and the same secret are expected:\n%s", text)
	}
	checkAxeWidths(t, ctx, src, "TOTP setup with an error")
	code, _ := totp.GenerateCode(secret, time.Now())
	fill(t, ctx, tr.T("admin.totp.code"), code)
	follow(t, ctx, button(tr.T("admin.totp.submit")))
	checkAxeWidths(t, ctx, src, "recovery codes")
	codes := strings.Fields(eval[string](t, ctx, `document.getElementById("recovery-codes").innerText`))
	if len(codes) != auth.RecoveryCodeCount || !codeRE.MatchString(codes[0]) {
		t.Fatalf("recovery codes shown: %q", codes)
	}
	follow(t, ctx, link(tr.T("admin.recovery.done")))
	if text := bodyText(t, ctx); !strings.Contains(text, tr.T("admin.totp.on")) {
		t.Fatalf("the profile does not show the app:\n%s", text)
	}

	t.Run("sign in with a code of the app", func(t *testing.T) {
		signOut(t, ctx)
		signInWith(t, ctx, s, host, tr, staffEmail)
		if !strings.HasSuffix(location(t, ctx), "/admin/login/verify") {
			t.Fatalf("after the password: %s", location(t, ctx))
		}
		checkWidths(t, ctx, src, "second step", "admin-login-verify")
		// the code of the enrolment was spent: the next one of the app
		code, _ := totp.GenerateCode(secret, time.Now().Add(30*time.Second))
		fill(t, ctx, tr.T("admin.verify.code"), code)
		follow(t, ctx, button(tr.T("admin.verify.submit")))
		if !strings.HasSuffix(location(t, ctx), "/admin/") {
			t.Fatalf("signed in with the app's code: %s\n%s", location(t, ctx), bodyText(t, ctx))
		}
	})

	t.Run("recovery code", func(t *testing.T) {
		signOut(t, ctx)
		signInWith(t, ctx, s, host, tr, staffEmail)
		do(t, ctx, chromedp.Click(`//summary`))
		fill(t, ctx, tr.T("admin.verify.recovery"), strings.ToUpper(codes[3]))
		follow(t, ctx, button(tr.T("admin.verify.recovery_submit")))
		if text := bodyText(t, ctx); !strings.HasSuffix(location(t, ctx), "/admin/") || !strings.Contains(text, tr.T("admin.verify.recovery_used")) {
			t.Fatalf("signed in with a recovery code: %s\n%s", location(t, ctx), text)
		}
		do(t, ctx, chromedp.Navigate(s.url(host, "/admin/profile")))
		if text := bodyText(t, ctx); !strings.Contains(text, tr.N("admin.recovery.left", 9)) {
			t.Errorf("the profile does not count 9 codes left:\n%s", text)
		}
		// the same code again: refused
		signOut(t, ctx)
		signInWith(t, ctx, s, host, tr, staffEmail)
		do(t, ctx, chromedp.Click(`//summary`))
		fill(t, ctx, tr.T("admin.verify.recovery"), codes[3])
		follow(t, ctx, button(tr.T("admin.verify.recovery_submit")))
		if text := bodyText(t, ctx); !strings.Contains(text, tr.T("admin.verify.wrong")) {
			t.Fatalf("a used recovery code: %s\n%s", location(t, ctx), text)
		}
		checkAxeWidths(t, ctx, src, "second step with an error")
	})
	var actions string
	if err := s.db.Pool.QueryRow(context.Background(), `SELECT string_agg(action, ',' ORDER BY id) FROM audit_log
		WHERE action IN ('totp_add', 'recovery_code_use')`).Scan(&actions); err != nil || actions != "totp_add,recovery_code_use" {
		t.Errorf("audit: %q %v", actions, err)
	}
}

// An editor registers a passkey on their profile through Chromium's virtual authenticator
// (the CDP WebAuthn domain), then signs in with it after their password.
func TestPasskeyRegisteredAndUsed(t *testing.T) {
	s := startSite(t)
	src := axeSource(t)
	ctx := tab(t, browser(t))
	if _, err := chromedp.Call(ctx, webauthn.Enable, webauthn.EnableParams{}); err != nil {
		t.Fatal(err)
	}
	authenticator, err := chromedp.Call(ctx, webauthn.AddVirtualAuthenticator, webauthn.AddVirtualAuthenticatorParams{
		Options: &webauthn.VirtualAuthenticatorOptions{Protocol: webauthn.AuthenticatorProtocolCtap2, Ctap2version: webauthn.Ctap2versionCtap21,
			Transport: webauthn.AuthenticatorTransportInternal, HasResidentKey: true, HasUserVerification: true, IsUserVerified: true,
			AutomaticPresenceSimulation: true}})
	if err != nil {
		t.Fatal(err)
	}
	tr := s.locales.For("sv")
	host := "seinajoki.localhost"
	signInWith(t, ctx, s, host, tr, staffEmail)
	do(t, ctx, chromedp.Navigate(s.url(host, "/admin/profile")))
	if eval[bool](t, ctx, `document.getElementById("passkey-add").hidden`) {
		t.Fatal("the passkey form stays hidden: passkey.js did not run")
	}
	fill(t, ctx, tr.T("admin.users.field.passkey_name"), "Virtuell nyckel")
	follow(t, ctx, button(tr.T("admin.passkey.add")))
	if text := bodyText(t, ctx); !strings.Contains(text, tr.T("admin.passkey.registered")) {
		t.Fatalf("no passkey registered:\n%s", text)
	}
	creds, err := chromedp.Call(ctx, webauthn.GetCredentials, webauthn.GetCredentialsParams(authenticator))
	if err != nil || len(creds.Credentials) != 1 || creds.Credentials[0].RpID != host {
		t.Fatalf("the authenticator holds %+v, %v", creds, err)
	}
	follow(t, ctx, link(tr.T("admin.recovery.done")))
	if text := bodyText(t, ctx); !strings.Contains(text, "Virtuell nyckel") {
		t.Fatalf("the profile does not list the passkey:\n%s", text)
	}
	checkAxeWidths(t, ctx, src, "profile with a passkey")

	signOut(t, ctx)
	signInWith(t, ctx, s, host, tr, staffEmail)
	if !strings.HasSuffix(location(t, ctx), "/admin/login/verify") {
		t.Fatalf("after the password: %s", location(t, ctx))
	}
	checkAxeWidths(t, ctx, src, "second step with a passkey")
	follow(t, ctx, button(tr.T("admin.verify.passkey_submit")))
	if !strings.HasSuffix(location(t, ctx), "/admin/") {
		t.Fatalf("signed in with the passkey: %s\n%s", location(t, ctx), bodyText(t, ctx))
	}
	creds, _ = chromedp.Call(ctx, webauthn.GetCredentials, webauthn.GetCredentialsParams(authenticator))
	var used *time.Time
	var count int64
	if err := s.db.Pool.QueryRow(context.Background(), `SELECT last_used_at, sign_count FROM user_passkeys`).Scan(&used, &count); err != nil ||
		used == nil || len(creds.Credentials) != 1 || count != int64(creds.Credentials[0].SignCount) {
		t.Errorf("the passkey's use is not recorded: %v %d %v", used, count, err)
	}
}

// An administrator requires a second factor for editors: an editor signing in is led to
// their profile to set one up, and can work once they have. The administrators' sign-in
// page, with a provider, its callback URLs and a rule, is checked by axe too.
func TestRequiringASecondFactorLeadsEditorsToEnrol(t *testing.T) {
	op := oidctest.Start(t, nil)
	providers, err := oidc.New([]oidc.Config{{ID: "city", Name: "Seinäjoen kaupunki", Issuer: op.Issuer, ClientID: "twintowns", ClientSecret: "s"}})
	if err != nil {
		t.Fatal(err)
	}
	s := startSite(t, func(o *web.Options) { o.Providers = providers })
	src := axeSource(t)
	addAdministrator(t, s, "root@example.org")
	browserCtx := browser(t)
	ctx := tab(t, browserCtx)
	tr := s.locales.For("it")
	host := "seinajoki.localhost"
	do(t, ctx, chromedp.Navigate(s.url(host, "/admin/lang/it?next=/admin/login")))
	checkAxeWidths(t, ctx, src, "sign-in with a provider")
	signInWith(t, ctx, s, host, tr, "root@example.org")
	follow(t, ctx, link(tr.T("admin.nav.identity")))
	checkAxeWidths(t, ctx, src, "sign-in settings")
	screenshot(t, ctx, "admin-identity")
	fill(t, ctx, tr.T("admin.users.field.claim"), "redazione")
	do(t, ctx, chromedp.Click(`//input[@id="city-role-editor"]`), chromedp.Click(`//input[@id="city-site-`+itoa(siteIDOf(t, s, "seinajoki"))+`"]`))
	follow(t, ctx, button(tr.T("admin.signin.rule_submit")))
	if text := bodyText(t, ctx); !strings.Contains(text, "redazione") {
		t.Fatalf("the rule is not listed:\n%s", text)
	}
	checkAxeWidths(t, ctx, src, "sign-in settings with a rule")
	do(t, ctx, chromedp.Click(field(tr.T("admin.signin.policy.editors"))))
	follow(t, ctx, button(tr.T("admin.signin.policy_submit")))

	other := ownBrowser(t, browserCtx) // the editor's
	fi := s.locales.For("fi")
	signInWith(t, other, s, host, fi, staffEmail)
	if text := bodyText(t, other); !strings.Contains(location(t, other), "/admin/profile") || !strings.Contains(text, fi.T("admin.profile.required_text")) {
		t.Fatalf("the editor is not led to enrol: %s\n%s", location(t, other), text)
	}
	checkAxeWidths(t, other, src, "profile asking for a second factor")
	do(t, other, chromedp.Navigate(s.url(host, "/admin/sites/seinajoki/cities")))
	if !strings.Contains(location(t, other), "/admin/profile") {
		t.Fatalf("the editor works without a second factor: %s", location(t, other))
	}
	follow(t, other, link(fi.T("admin.totp.setup")))
	code, _ := totp.GenerateCode(secretOnPage(t, other), time.Now())
	fill(t, other, fi.T("admin.totp.code"), code)
	follow(t, other, button(fi.T("admin.totp.submit")))
	follow(t, other, link(fi.T("admin.recovery.done")))
	do(t, other, chromedp.Navigate(s.url(host, "/admin/sites/seinajoki/cities")))
	if !strings.HasSuffix(location(t, other), "/admin/sites/seinajoki/cities") {
		t.Fatalf("with a second factor the editor still cannot work: %s\n%s", location(t, other), bodyText(t, other))
	}
}

func siteIDOf(t *testing.T, s *site, slug string) int64 {
	t.Helper()
	site, err := s.db.SiteBySlug(context.Background(), slug)
	if err != nil {
		t.Fatal(err)
	}
	return site.ID
}

// ownBrowser is a tab in a browser context of its own (its own cookies), as another person's.
func ownBrowser(t *testing.T, browserCtx context.Context) context.Context {
	t.Helper()
	ctx, cancel := chromedp.NewContext(browserCtx, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	if err := chromedp.Do(ctx, chromedp.Navigate("about:blank")); err != nil { // the tab lives as long as ctx
		t.Fatal(err)
	}
	return ctx
}

// addAdministrator makes an administrator with the staff password.
func addAdministrator(t *testing.T, s *site, email string) {
	t.Helper()
	hash, _ := auth.HashPassword(staffPassword)
	if _, err := s.db.CreateUser(context.Background(), email, "", true, hash); err != nil {
		t.Fatal(err)
	}
}

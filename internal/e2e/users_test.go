package e2e

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// An administrator invites a translator; the invitee opens the one-time link in a browser
// of their own, chooses a password and is signed in. axe checks every page on the way.
func TestAdministratorInvitesATranslator(t *testing.T) {
	s := startSite(t)
	src := axeSource(t)
	addAdministrator(t, s, "root@example.org")
	browserCtx := browser(t)
	ctx := tab(t, browserCtx)
	tr := s.locales.For("pl")
	do(t, ctx, chromedp.Navigate(s.url("siedlce.localhost", "/admin/lang/pl?next=/admin/login")))
	fill(t, ctx, tr.T("admin.login.email"), "root@example.org")
	fill(t, ctx, tr.T("admin.login.password"), staffPassword)
	follow(t, ctx, button(tr.T("admin.login.submit")))
	follow(t, ctx, link(tr.T("admin.nav.users")))
	checkAxe(t, ctx, src, "users")
	follow(t, ctx, link(tr.T("admin.users.invite")))
	checkAxe(t, ctx, src, "invitation form")

	// a translator without a language: the error is next to the field, the rest is kept
	fill(t, ctx, tr.T("admin.users.email"), "tlumacz@siedlce.pl")
	do(t, ctx, chromedp.Click(field(tr.T("admin.role.translator"))), chromedp.Click(field("Siedlce")))
	follow(t, ctx, button(tr.T("admin.users.invite_submit")))
	if text := bodyText(t, ctx); !strings.Contains(text, tr.T("validation.user_langs")) {
		t.Fatalf("no error for a translator without a language:\n%s", text)
	}
	if !eval[bool](t, ctx, `document.getElementById("role-translator").checked && document.getElementById("email").value === "tlumacz@siedlce.pl"`) {
		t.Error("the typed values were lost")
	}
	checkAxe(t, ctx, src, "invitation form with errors")
	do(t, ctx, chromedp.Click(field(tr.Language("it"))))
	follow(t, ctx, button(tr.T("admin.users.invite_submit")))
	checkAxe(t, ctx, src, "account with its link")
	screenshot(t, ctx, "admin-invitation")
	invite := eval[string](t, ctx, `document.getElementById("one-time-link").value`)
	if !strings.Contains(invite, "/admin/password/") {
		t.Fatalf("no link shown:\n%s", bodyText(t, ctx))
	}

	// the invitee, in a browser of their own
	other := ownBrowser(t, browserCtx)
	do(t, other, chromedp.Navigate(s.url("siedlce.localhost", "/admin/lang/it?next=/admin/login")))
	do(t, other, chromedp.Navigate(invite))
	it := s.locales.For("it")
	checkAxe(t, other, src, "password form")
	fill(t, other, it.T("admin.users.field.password"), "il mio lungo segreto")
	fill(t, other, it.T("admin.users.field.password2"), "il mio lungo segreto!")
	follow(t, other, button(it.T("admin.users.password_submit")))
	if text := bodyText(t, other); !strings.Contains(text, it.T("validation.password_mismatch")) {
		t.Fatalf("no error for different passwords:\n%s", text)
	}
	checkAxe(t, other, src, "password form with errors")
	fill(t, other, it.T("admin.users.field.password"), "il mio lungo segreto")
	fill(t, other, it.T("admin.users.field.password2"), "il mio lungo segreto")
	follow(t, other, button(it.T("admin.users.password_submit")))
	if text := bodyText(t, other); !strings.Contains(text, it.T("admin.flash.password_set")) || !strings.HasSuffix(location(t, other), "/admin/") {
		t.Fatalf("the invitee is not signed in: %s\n%s", location(t, other), text)
	}
	// the link works once
	do(t, other, chromedp.Navigate(invite))
	if text := bodyText(t, other); !strings.Contains(text, it.T("admin.password.gone_title")) {
		t.Errorf("the link works twice:\n%s", text)
	}
	checkAxe(t, other, src, "used link")
	// and the invitee signs in with the new password
	do(t, other, chromedp.Navigate(s.url("siedlce.localhost", "/admin/login")))
	follow(t, other, `//form[@action="/admin/logout"]//button`)
	fill(t, other, it.T("admin.login.email"), "tlumacz@siedlce.pl")
	fill(t, other, it.T("admin.login.password"), "il mio lungo segreto")
	follow(t, other, button(it.T("admin.login.submit")))
	if !strings.HasSuffix(location(t, other), "/admin/") {
		t.Errorf("sign-in with the new password: %s", location(t, other))
	}
}

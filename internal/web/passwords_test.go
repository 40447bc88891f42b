package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"twintowns/internal/auth"
	"twintowns/internal/locale"
)

// Weak passwords are refused on the one-time link's page with the reason in the person's
// language, and the link still works for a good one.
func TestWeakPasswordsAreRefused(t *testing.T) {
	e := newEnv(t)
	root := e.staff(t, "root@example.org", "", true)
	root.login("root@example.org")
	form := url.Values{"email": {"tove@example.org"}, "role": {"translator"}, "sites": {fmt.Sprint(siteID(t, e, "siedlce"))}, "langs": {"sv"}}
	m := linkRE.FindStringSubmatch(root.post("/admin/users/new", form).body)
	if m == nil {
		t.Fatal("no invitation link")
	}
	invitee := e.staff(t, "", "", false)
	invitee.lang = "sv"
	path := pathOf(t, m[1])
	bundle, _ := locale.Load()
	sv := bundle.For("sv")
	for _, weak := range []struct {
		password string
		why      auth.Weakness
	}{
		{"            ", auth.WeakRepeat}, {"aaaaaaaaaaaa", auth.WeakRepeat}, {"password1234", auth.WeakCommon},
		{"tove@example.org", auth.WeakPersonal}, {"Siedlce-1234", auth.WeakPersonal}, {"123456789012", auth.WeakSequence},
	} {
		res := invitee.post(path, url.Values{"password": {weak.password}, "password2": {weak.password}})
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.body, `id="password-error"`) ||
			!strings.Contains(res.body, html(sv.T("validation.password_"+string(weak.why)))) {
			t.Errorf("%q: %d, want the message %q", weak.password, res.StatusCode, sv.T("validation.password_"+string(weak.why)))
		}
	}
	if u, _, _ := e.db.UserByEmail(context.Background(), "tove@example.org"); u.HasPassword {
		t.Fatal("a weak password was stored")
	}
	if res := invitee.post(path, url.Values{"password": {"tuulinen kesäpäivä Vaasassa"}, "password2": {"tuulinen kesäpäivä Vaasassa"}}); res.StatusCode != http.StatusSeeOther {
		t.Errorf("a good password: %d", res.StatusCode)
	}
}

// Every reason a password is refused has its message in every language.
func TestEveryWeaknessHasAMessage(t *testing.T) {
	bundle, err := locale.Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, lang := range bundle.Languages() {
		for _, w := range auth.Weaknesses {
			id := "validation.password_" + string(w)
			if got := bundle.For(lang).T(id); got == id || got == "" {
				t.Errorf("%s: no message %s", lang, id)
			}
		}
	}
}

package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"testing"

	"twintowns/internal/auth"
)

// Disabling an account, changing its role or its password ends every link made for it
// before: enabling it again does not bring them back.
func TestLinksDieWithDisableRoleAndPasswordChanges(t *testing.T) {
	e := newEnv(t)
	root := e.staff(t, "root@example.org", "", true)
	root.login("root@example.org")
	sd := fmt.Sprint(siteID(t, e, "siedlce"))
	m := linkRE.FindStringSubmatch(root.post("/admin/users/new", url.Values{"email": {"tove@example.org"}, "role": {"editor"}, "sites": {sd}}).body)
	if m == nil {
		t.Fatal("no invitation link")
	}
	id := userID(t, e, "tove@example.org")
	newLink := func() string {
		t.Helper()
		m := linkRE.FindStringSubmatch(root.post(fmt.Sprintf("/admin/users/%d/link", id), url.Values{}).body)
		if m == nil {
			t.Fatal("no link")
		}
		return pathOf(t, m[1])
	}
	anon := e.staff(t, "", "", false)
	works := func(path string) bool {
		t.Helper()
		return anon.get(path).StatusCode == http.StatusOK
	}
	tests := []struct {
		name   string
		change func()
	}{
		{"disable and enable", func() {
			for _, action := range []string{"disable", "enable"} {
				if res := root.post(fmt.Sprintf("/admin/users/%d/%s", id, action), url.Values{}); res.StatusCode != http.StatusSeeOther {
					t.Fatalf("%s: %d", action, res.StatusCode)
				}
			}
		}},
		{"role change", func() {
			if res := root.post(fmt.Sprintf("/admin/users/%d", id), url.Values{"role": {"translator"}, "sites": {sd}, "langs": {"sv"}}); res.StatusCode != http.StatusSeeOther {
				t.Fatalf("role change: %d", res.StatusCode)
			}
		}},
		{"password change", func() {
			hash, _ := auth.HashPassword("a long enough password")
			if err := e.db.SetPassword(context.Background(), "tove@example.org", hash); err != nil {
				t.Fatal(err)
			}
		}},
	}
	path := pathOf(t, m[1])
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if !works(path) {
				t.Fatal("the link does not work before the change")
			}
			tc.change()
			if works(path) {
				t.Errorf("the link still works after the %s", tc.name)
			}
			path = newLink()
		})
	}
	// changes that do not touch the role leave the link alone
	if res := root.post(fmt.Sprintf("/admin/users/%d", id), url.Values{"role": {"translator"}, "sites": {sd}, "langs": {"sv", "it"}}); res.StatusCode != http.StatusSeeOther || !works(path) {
		t.Errorf("a change of languages voided the link: %d", res.StatusCode)
	}
}

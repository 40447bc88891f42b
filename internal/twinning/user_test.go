package twinning

import (
	"slices"
	"testing"
	"time"
)

func TestUserPermissions(t *testing.T) {
	const own, other = 1, 2
	now := time.Now()
	admin := User{Role: RoleAdministrator}
	editor := User{Role: RoleEditor, Sites: []int64{own}}
	translator := User{Role: RoleTranslator, Sites: []int64{own}, Langs: []string{"sv", "it"}}
	disabled := func(u User) User { u.DisabledAt = &now; return u }
	tests := []struct {
		name                                 string
		u                                    User
		edit, publish, facts, svText, fiText bool
		otherEdit, otherPublish, otherSvText bool
		manageUsers, settings                bool
	}{
		{"administrator", admin, true, true, true, true, true, true, true, true, true, true},
		{"editor", editor, true, true, true, true, true, false, false, false, false, false},
		{"translator", translator, true, false, false, true, false, false, false, false, false, false},
		{"disabled administrator", disabled(admin), false, false, false, false, false, false, false, false, false, false},
		{"disabled editor", disabled(editor), false, false, false, false, false, false, false, false, false, false},
		{"disabled translator", disabled(translator), false, false, false, false, false, false, false, false, false, false},
		{"no role", User{Sites: []int64{own}, Langs: []string{"sv"}}, false, false, false, false, false, false, false, false, false, false},
		{"IsAdmin alone is not a role", User{IsAdmin: true}, false, false, false, false, false, false, false, false, false, false},
		{"editor without sites", User{Role: RoleEditor}, false, false, false, false, false, false, false, false, false, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := []bool{tc.u.CanEdit(own), tc.u.CanPublish(own), tc.u.CanEditFacts(own), tc.u.CanEditText(own, "sv"),
				tc.u.CanEditText(own, "fi"), tc.u.CanEdit(other), tc.u.CanPublish(other), tc.u.CanEditText(other, "sv"),
				tc.u.CanManageUsers(), tc.u.CanChangeSettings()}
			want := []bool{tc.edit, tc.publish, tc.facts, tc.svText, tc.fiText, tc.otherEdit, tc.otherPublish, tc.otherSvText,
				tc.manageUsers, tc.settings}
			if !slices.Equal(got, want) {
				t.Errorf("edit, publish, facts, sv, fi, other edit, other publish, other sv, users, settings =\n %v, want\n %v", got, want)
			}
		})
	}
}

func TestUserNormalizeAndValidate(t *testing.T) {
	sites := []int64{1, 2}
	tests := []struct {
		name string
		u    User
		want FieldErrors
	}{
		{"administrator", User{Email: "a@example.org", Role: RoleAdministrator}, FieldErrors{}},
		{"administrator's sites are dropped", User{Email: "a@example.org", Role: RoleAdministrator, Sites: []int64{99}}, FieldErrors{}},
		{"editor", User{Email: "e@example.org", Role: RoleEditor, Sites: []int64{2, 1, 2}}, FieldErrors{}},
		{"editor without site", User{Email: "e@example.org", Role: RoleEditor}, FieldErrors{Fact("sites"): "validation.user_sites"}},
		{"unknown site", User{Email: "e@example.org", Role: RoleEditor, Sites: []int64{3}}, FieldErrors{Fact("sites"): "validation.choice"}},
		{"translator", User{Email: "t@example.org", Role: RoleTranslator, Sites: []int64{1}, Langs: []string{"sv"}}, FieldErrors{}},
		{"translator without language", User{Email: "t@example.org", Role: RoleTranslator, Sites: []int64{1}}, FieldErrors{Fact("langs"): "validation.user_langs"}},
		{"unknown language", User{Email: "t@example.org", Role: RoleTranslator, Sites: []int64{1}, Langs: []string{"xx"}}, FieldErrors{Fact("langs"): "validation.choice"}},
		{"bad role", User{Email: "t@example.org", Role: "owner"}, FieldErrors{Fact("role"): "validation.choice"}},
		{"bad email", User{Email: "nobody", Role: RoleAdministrator}, FieldErrors{Fact("email"): "validation.email"}},
		{"upper-case email is lowered", User{Email: " Anna@Example.ORG ", Role: RoleAdministrator}, FieldErrors{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			u := tc.u.Normalize()
			got := u.Validate(sites, []string{"sv", "it", "pl", "fi"})
			if len(got) != len(tc.want) {
				t.Fatalf("errors = %v, want %v", got, tc.want)
			}
			for k, v := range tc.want {
				if got[k] != v {
					t.Errorf("errors = %v, want %v", got, tc.want)
				}
			}
		})
	}
	u := User{Email: " Anna@Example.ORG", Role: RoleEditor, Sites: []int64{2, 1, 2}, Langs: []string{"sv"}}.Normalize()
	if u.Email != "anna@example.org" || !slices.Equal(u.Sites, []int64{1, 2}) || u.Langs != nil || u.IsAdmin {
		t.Errorf("normalized editor = %+v", u)
	}
	if a := (User{Role: RoleAdministrator, Sites: []int64{1}, Langs: []string{"sv"}}).Normalize(); a.Sites != nil || a.Langs != nil || !a.IsAdmin {
		t.Errorf("normalized administrator = %+v", a)
	}
}

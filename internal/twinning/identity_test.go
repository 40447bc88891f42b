package twinning

import (
	"slices"
	"testing"
)

func TestSecondFactorPolicyRequires(t *testing.T) {
	admin, editor, translator := User{Role: RoleAdministrator}, User{Role: RoleEditor}, User{Role: RoleTranslator}
	tests := []struct {
		p    SecondFactorPolicy
		want [3]bool
	}{
		{SecondFactorNone, [3]bool{false, false, false}},
		{SecondFactorAdministrators, [3]bool{true, false, false}},
		{SecondFactorEditors, [3]bool{true, true, false}},
		{SecondFactorEveryone, [3]bool{true, true, true}},
		{"strict", [3]bool{false, false, false}},
	}
	for _, tc := range tests {
		t.Run(string(tc.p), func(t *testing.T) {
			got := [3]bool{tc.p.Requires(admin), tc.p.Requires(editor), tc.p.Requires(translator)}
			if got != tc.want {
				t.Errorf("Requires = %v, want %v", got, tc.want)
			}
			if tc.p.Valid() == (tc.p == "strict") {
				t.Errorf("Valid = %t", tc.p.Valid())
			}
		})
	}
}

func TestProviderRulesGiveTheMostPowerfulAccess(t *testing.T) {
	s := ProviderSettings{Rules: []ProviderRule{
		{Claim: "translators-sv", Role: RoleTranslator, Sites: []int64{1}, Langs: []string{"sv"}},
		{Claim: "translators-it", Role: RoleTranslator, Sites: []int64{2}, Langs: []string{"it", "sv"}},
		{Claim: "editors-1", Role: RoleEditor, Sites: []int64{1}, Langs: []string{"fi"}},
		{Claim: "editors-2", Role: RoleEditor, Sites: []int64{2}},
		{Claim: "it", Role: RoleAdministrator},
	}}
	tests := []struct {
		name   string
		groups []string
		ok     bool
		want   User
	}{
		{"no group", nil, false, User{}},
		{"no matching group", []string{"staff"}, false, User{}},
		{"one translator group", []string{"translators-sv"}, true, User{Role: RoleTranslator, Sites: []int64{1}, Langs: []string{"sv"}}},
		{"translator groups add up", []string{"translators-it", "translators-sv"}, true,
			User{Role: RoleTranslator, Sites: []int64{1, 2}, Langs: []string{"it", "sv"}}},
		{"an editor group outranks translators", []string{"translators-sv", "editors-2"}, true, User{Role: RoleEditor, Sites: []int64{2}}},
		{"editor groups add up, no languages", []string{"editors-1", "editors-2"}, true, User{Role: RoleEditor, Sites: []int64{1, 2}}},
		{"administrators have every site", []string{"editors-1", "it"}, true, User{Role: RoleAdministrator, IsAdmin: true}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := s.Access(tc.groups)
			if ok != tc.ok || got.Role != tc.want.Role || !slices.Equal(got.Sites, tc.want.Sites) || !slices.Equal(got.Langs, tc.want.Langs) {
				t.Errorf("Access(%v) = %+v, %t; want %+v, %t", tc.groups, got, ok, tc.want, tc.ok)
			}
		})
	}
}

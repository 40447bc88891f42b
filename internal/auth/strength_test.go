package auth

import (
	"strings"
	"testing"
)

// The passwords the penetration test got accepted, and their kin, are refused with a reason;
// long passphrases and random strings pass.
func TestCheckStrength(t *testing.T) {
	tests := []struct {
		password string
		want     Weakness
	}{
		{"            ", WeakRepeat},
		{"aaaaaaaaaaaa", WeakRepeat},
		{"password1234", WeakCommon},
		{"qwerty123456", WeakCommon},
		{"1qaz2wsx3edc", WeakCommon},
		{"P@ssw0rd2024!", WeakCommon},
		{"iloveyou1234", WeakCommon},
		{"salasana1234", WeakCommon},
		{"Salasana!2024", WeakCommon},
		{"ylläpito-2024!", WeakPersonal},
		{"hasło12345678", WeakSequence},
		{"hasłohasłohasło", WeakRepeat},
		{"Seinajoki2024", WeakPersonal},
		{"anna@seinajoki.fi", WeakPersonal},
		{"abcdefghijklmnop", WeakSequence},
		{"zxcvbnmlkjhgfds", WeakKeyboard},
		{"26.07.19981987", WeakDate},
		{"drowssap12345", WeakCommon},
		{"123456789012", WeakSequence},
		{"Password Password", WeakPersonal},
		{"abcabcabcabc", WeakRepeat},
		{"short", WeakShort},
		{strings.Repeat("x9", 600), WeakLong},
		{"a long enough password", ""},
		{"correct horse battery staple", ""},
		{"Kesäkuun sade 1987 kasteli", ""},
		{"7fK#q2!vL9zR", ""},
	}
	for _, tc := range tests {
		t.Run(tc.password, func(t *testing.T) {
			if got := CheckStrength(tc.password, "anna@seinajoki.fi", "Seinäjoki"); got != tc.want {
				t.Errorf("CheckStrength(%q) = %q, want %q", tc.password, got, tc.want)
			}
		})
	}
	for _, w := range Weaknesses {
		if explanations[w] == "" {
			t.Errorf("no explanation of %q", w)
		}
	}
}

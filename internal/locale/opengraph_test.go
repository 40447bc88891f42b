package locale

import "testing"

func TestOpenGraphLocale(t *testing.T) {
	tests := []struct{ lang, country, want string }{
		{"fi", "FI", "fi_FI"},
		{"sv", "FI", "sv_SE"},
		{"it", "FI", "it_IT"},
		{"pl", "FI", "pl_PL"},
		{"pl", "PL", "pl_PL"},
		{"fi", "PL", "fi_FI"},
		{"sv", "SE", "sv_SE"},
		{"it", "CH", "it_IT"},
		{"fi", "", "fi_FI"},
	}
	for _, tc := range tests {
		if got := OpenGraphLocale(tc.lang, tc.country); got != tc.want {
			t.Errorf("OpenGraphLocale(%q, %q) = %q, want %q", tc.lang, tc.country, got, tc.want)
		}
	}
}

package clean

import "testing"

func TestText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Seinäjoki", "Seinäjoki"},
		{"Seina\u0308joki", "Seinäjoki"}, // decomposed: NFC
		{"tab\tand\r\nlines\n", "tab\tand\r\nlines\n"},
		{"a\x00b\x01c\x0bd\x1fe\x7ff", "abcdef"},
		{"C1\u0085\u009f here", "C1 here"},
		{"not XML\uFFFE\uFFFF", "not XML"},
		{"bad \xff bytes", "bad \uFFFD bytes"},
		{"", ""},
		{"emoji 🦀 and ł", "emoji 🦀 and ł"},
	}
	for _, tc := range tests {
		if got := Text(tc.in); got != tc.want {
			t.Errorf("Text(%q) = %q, want %q", tc.in, got, tc.want)
		}
		if got := Text(Text(tc.in)); got != Text(tc.in) {
			t.Errorf("Text is not idempotent on %q", tc.in)
		}
	}
	v := map[string][]string{"a": {"x\x01", "y"}}
	Values(v)
	if v["a"][0] != "x" || v["a"][1] != "y" {
		t.Errorf("Values: %v", v)
	}
}

func BenchmarkTextClean(b *testing.B) {
	s := "Seinäjoki on kaupunki Etelä-Pohjanmaalla, ystävyyskaupunkeja on useita."
	for b.Loop() {
		Text(s)
	}
}

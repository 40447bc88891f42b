// Package clean makes text that people type or tools send safe to store and to write
// anywhere the product writes it: pages, SVG, XML, PO, CSV and JSON. Every form value and
// every imported unit goes through Text once, on the way in.
package clean

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Text returns s as valid UTF-8 (invalid bytes become U+FFFD), without control characters
// (C0, DEL, C1) other than tab, line feed and carriage return (the line break of forms), and
// without U+FFFE and U+FFFF, which XML cannot carry; in Unicode normalization form C, so
// that "ä" typed as a + combining diaeresis is the "ä" of every other text.
func Text(s string) string {
	if clean(s) {
		return s // the common case: nothing to do, nothing allocated
	}
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.Map(func(r rune) rune {
		if unwanted(r) {
			return -1
		}
		return r
	}, s)
	return norm.NFC.String(s)
}

// clean reports whether Text would return s unchanged.
func clean(s string) bool {
	for i := 0; i < len(s); {
		if b := s[i]; b < utf8.RuneSelf {
			if b < 0x20 && b != '\t' && b != '\n' && b != '\r' || b == 0x7f {
				return false
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 || unwanted(r) {
			return false
		}
		i += size
	}
	return norm.NFC.IsNormalString(s)
}

func unwanted(r rune) bool {
	return unicode.IsControl(r) && r != '\t' && r != '\n' && r != '\r' || r == 0xFFFE || r == 0xFFFF
}

// Values cleans every value of a form in place.
func Values(v map[string][]string) {
	for _, vs := range v {
		for i, s := range vs {
			vs[i] = Text(s)
		}
	}
}

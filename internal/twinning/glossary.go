package twinning

import "strings"

// GlossaryEntry is one concept of a site's glossary: the term agreed for it per language.
type GlossaryEntry struct {
	ID    int64
	Terms map[string]string // language -> term
}

// MaxTermLen bounds a glossary term, in runes.
const MaxTermLen = 200

// KindGlossary is the glossary every site starts with: one term per kind of partnership and
// language, as the interface and the demo texts use them (README, "the two kinds of
// partnership").
var KindGlossary = []GlossaryEntry{
	{Terms: map[string]string{"sv": "vänort", "fi": "ystävyyskaupunki", "pl": "miasto partnerskie", "it": "città gemellata"}},
	{Terms: map[string]string{"sv": "samarbetsstad", "fi": "yhteistyökaupunki", "pl": "miasto współpracujące", "it": "città partner"}},
}

// Pairs are the glossary's terms from one language into another: [source, target] for each
// entry with both.
func Pairs(g []GlossaryEntry, from, to string) [][2]string {
	var out [][2]string
	for _, e := range g {
		if s, t := e.Terms[from], e.Terms[to]; s != "" && t != "" {
			out = append(out, [2]string{s, t})
		}
	}
	return out
}

// ValidateGlossary checks a glossary as administrators save it: terms of the site's languages,
// not too long. Errors are keyed by the entry's row and language.
func ValidateGlossary(site Site, g []GlossaryEntry) FieldErrors {
	errs := FieldErrors{}
	for i, e := range g {
		for lang, term := range e.Terms {
			k := GlossaryKey(i, lang)
			switch {
			case !site.Publishes(lang):
				errs[k] = "validation.language"
			case len([]rune(strings.TrimSpace(term))) > MaxTermLen:
				errs[k] = "validation.too_long"
			}
		}
	}
	return errs
}

// GlossaryKey is the key of the term of the i-th entry (from 0) in lang.
func GlossaryKey(i int, lang string) FieldKey { return FieldKey{Field: "term", Lang: lang, Row: i + 1} }

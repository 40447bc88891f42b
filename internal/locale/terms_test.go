package locale

import (
	"io/fs"
	"regexp"
	"strings"
	"testing"

	"github.com/BurntSushi/toml"

	"twintowns/locales"
)

// messages are the message templates of one message file, plural ones as their "other" form.
func messages(t *testing.T, name string) map[string]string {
	t.Helper()
	raw, err := fs.ReadFile(locales.FS, name)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := toml.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for id, v := range m {
		switch x := v.(type) {
		case string:
			out[id] = x
		case map[string]any:
			out[id], _ = x["other"].(string)
		}
	}
	return out
}

// The terms a professional reviser fixed in the staff area and the status stay as fixed.
func TestReviewedTerms(t *testing.T) {
	b := load(t)
	tests := []struct {
		lang, id, want string // want: the message, or a part of it after "…"
	}{
		{"fi", "city.status.active", "Aktiivinen"}, // "Voimassa" (in force) said more than the sources
		{"pl", "admin.translate.link", "…Przetłumacz obok oryginału"},
		{"pl", "admin.field.reviewed", "Potwierdzam, że to tłumaczenie zostało porównane z aktualną wersją tekstu źródłowego"},
		{"pl", "admin.import.accept", "Zaakceptuj tę zmianę"},
		// the file is filled in by the translation agency, in every language
		{"sv", "admin.import.hint", "…översättningsbyrån"},
		{"pl", "admin.import.hint", "…biuro tłumaczeń"},
		{"it", "admin.import.hint", "…agenzia di traduzione"},
		{"fi", "admin.import.hint", "…käännöstoimiston"},
		// Italian as Trados and memoQ say it
		{"it", "admin.translate.from", "Lingua di origine"},
		{"it", "admin.translate.to", "Lingua di destinazione"},
		{"it", "admin.translation.outdated", "da aggiornare"},
		{"it", "admin.translate.choose", "Seleziona le lingue"},
		{"it", "admin.translations.choose", "Seleziona per l'esportazione"},
		{"it", "admin.export.scope.chosen", "Le voci selezionate"},
	}
	for _, tc := range tests {
		t.Run(tc.lang+"/"+tc.id, func(t *testing.T) {
			got := b.For(tc.lang).T(tc.id)
			if part, ok := strings.CutPrefix(tc.want, "…"); ok && !strings.Contains(got, part) || !ok && got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}

	// Italian interfaces select ("Seleziona"), not choose; only a password is chosen.
	banned := regexp.MustCompile(`(?i)\bscegli\b|\bscelt[aeio]\b|partenza|\barrivo\b|non aggiornat`)
	for id, msg := range messages(t, "admin.it.toml") {
		if banned.MatchString(msg) && !strings.Contains(msg, "password") {
			t.Errorf("admin.it.toml %s = %q", id, msg)
		}
	}
}

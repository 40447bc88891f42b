package locale

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/BurntSushi/toml"

	"twintowns/internal/twinning"
	"twintowns/locales"
)

func load(t *testing.T) *Bundle {
	t.Helper()
	b, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// messageIDs returns the IDs of a message file and which of them have plural forms.
func messageIDs(t *testing.T, lang string) map[string]bool {
	t.Helper()
	ids := map[string]bool{}
	for _, name := range MessageFiles(lang) {
		raw, err := fs.ReadFile(locales.FS, name)
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]any
		if err := toml.Unmarshal(raw, &m); err != nil {
			t.Fatal(err)
		}
		for id, v := range m {
			if _, dup := ids[id]; dup {
				t.Errorf("%s: message %s defined twice", name, id)
			}
			_, plural := v.(map[string]any)
			ids[id] = plural
		}
	}
	return ids
}

func TestEveryLanguageHasEveryMessage(t *testing.T) {
	want := messageIDs(t, "fi")
	for _, lang := range load(t).Languages() {
		got := messageIDs(t, lang)
		for id, plural := range want {
			if p, ok := got[id]; !ok {
				t.Errorf("%s: message %s missing", lang, id)
			} else if p != plural {
				t.Errorf("%s: message %s plural = %v, fi has %v", lang, id, p, plural)
			}
		}
		for id := range got {
			if _, ok := want[id]; !ok {
				t.Errorf("%s: message %s is not in fi", lang, id)
			}
		}
	}
}

// Every plural message must render for every number, which go-i18n refuses to do when the
// form CLDR gives that number in that language is missing (Polish few/many, Italian many).
func TestEveryPluralFormIsPresent(t *testing.T) {
	b := load(t)
	numbers := []any{"1.5", "0.5", "2.25"}
	for n := int64(0); n <= 200; n++ {
		numbers = append(numbers, n)
	}
	numbers = append(numbers, int64(1000), int64(1000000), int64(2000000))
	for _, lang := range b.Languages() {
		tr := b.For(lang)
		for id, plural := range messageIDs(t, lang) {
			if !plural {
				continue
			}
			for _, n := range numbers {
				if _, err := tr.Localize(id, n, "Count", n); err != nil {
					t.Errorf("%s: %s with %v: %v", lang, id, n, err)
				}
			}
		}
	}
}

func TestPlurals(t *testing.T) {
	b := load(t)
	tests := []struct {
		lang, id string
		n        int64
		want     string
	}{
		{"pl", "home.twins.count", 1, "1 miasto partnerskie"},
		{"pl", "home.twins.count", 4, "4 miasta partnerskie"},
		{"pl", "home.twins.count", 5, "5 miast partnerskich"},
		{"pl", "home.twins.count", 7, "7 miast partnerskich"},
		{"pl", "home.twins.count", 22, "22 miasta partnerskie"},
		{"pl", "home.partners.count", 1, "1 miasto współpracujące"},
		{"pl", "home.partners.count", 3, "3 miasta współpracujące"},
		{"pl", "home.partners.count", 12, "12 miast współpracujących"},
		{"it", "home.partners.count", 4, "4 città partner"},
		{"fi", "home.twins.count", 6, "6 ystävyyskaupunkia"},
		{"fi", "home.twins.count", 1, "1 ystävyyskaupunki"},
		{"sv", "home.twins.count", 6, "6 vänorter"},
		{"sv", "home.partners.count", 1, "1 samarbetsstad"},
		{"it", "home.twins.count", 1, "1 città gemellata"},
		{"it", "home.twins.count", 6, "6 città gemellate"},
		{"it", "home.twins.count", 1000000, "1.000.000 di città gemellate"},
	}
	for _, tc := range tests {
		t.Run(tc.lang+"/"+tc.id, func(t *testing.T) {
			if got := b.For(tc.lang).N(tc.id, tc.n); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

// The kind labels follow the glossary in README.md: one term per kind and language, in the
// singular label, the headings and every plural form of the counts.
func TestKindLabelsFollowTheGlossary(t *testing.T) {
	b := load(t)
	glossary := map[string][2]string{ // lang -> twin, partner
		"sv": {"Vänort", "Samarbetsstad"},
		"fi": {"Ystävyyskaupunki", "Yhteistyökaupunki"},
		"pl": {"Miasto partnerskie", "Miasto współpracujące"},
		"it": {"Città gemellata", "Città partner"},
	}
	plural := map[string][2]string{
		"sv": {"Vänorter", "Samarbetsstäder"},
		"fi": {"Ystävyyskaupungit", "Yhteistyökaupungit"},
		"pl": {"Miasta partnerskie", "Miasta współpracujące"},
		"it": {"Città gemellate", "Città partner"},
	}
	counts := map[string][2]string{ // the stem every plural form of the count contains
		"sv": {"vänort", "samarbetsst"},
		"fi": {"ystävyyskaupunki", "yhteistyökaupunki"},
		"pl": {"partnersk", "współpracując"},
		"it": {"città gemellat", "città partner"},
	}
	for _, lang := range b.Languages() {
		tr := b.For(lang)
		for i, k := range twinning.Kinds {
			if got := tr.T("city.kind." + string(k)); got != glossary[lang][i] {
				t.Errorf("%s city.kind.%s = %q, want %q", lang, k, got, glossary[lang][i])
			}
			id := map[twinning.Kind]string{twinning.KindTwin: "home.twins", twinning.KindPartner: "home.partners"}[k]
			if got := tr.T(id + ".heading"); got != plural[lang][i] {
				t.Errorf("%s %s.heading = %q, want %q", lang, id, got, plural[lang][i])
			}
			for _, n := range []int64{0, 1, 2, 5, 22, 1000000} {
				if got := tr.N(id+".count", n); !strings.Contains(strings.ToLower(got), counts[lang][i]) || strings.Contains(strings.ToLower(got), counts[lang][1-i]) {
					t.Errorf("%s %s.count(%d) = %q, want the term %q", lang, id, n, got, counts[lang][i])
				}
			}
		}
	}
	// "miasto bliźniacze" is not the Polish term: no Polish message may use it.
	for _, name := range MessageFiles("pl") {
		raw, err := fs.ReadFile(locales.FS, name)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(raw), "bliźniacz") {
			t.Errorf("%s uses \"bliźniacz-\", which the glossary does not", name)
		}
	}
}

func TestDatesNumbersCountries(t *testing.T) {
	b := load(t)
	d := time.Date(1998, 7, 26, 0, 0, 0, 0, time.UTC)
	nbsp := "\u00a0"
	tests := []struct {
		lang, date, number, de, by string
	}{
		{"pl", "26 lipca 1998", "106" + nbsp + "000", "Niemcy", "Białoruś"},
		{"it", "26 luglio 1998", "106.000", "Germania", "Bielorussia"},
		{"sv", "26 juli 1998", "106" + nbsp + "000", "Tyskland", "Vitryssland"},
		{"fi", "26. heinäkuuta 1998", "106" + nbsp + "000", "Saksa", "Valko-Venäjä"},
	}
	for _, tc := range tests {
		t.Run(tc.lang, func(t *testing.T) {
			tr := b.For(tc.lang)
			if got := tr.Date(d); got != tc.date {
				t.Errorf("Date = %q, want %q", got, tc.date)
			}
			if got := tr.Number(106000); got != tc.number {
				t.Errorf("Number = %q, want %q", got, tc.number)
			}
			if got := tr.Country("DE"); got != tc.de {
				t.Errorf("Country(DE) = %q, want %q", got, tc.de)
			}
			if got := tr.Country("BY"); got != tc.by {
				t.Errorf("Country(BY) = %q, want %q", got, tc.by)
			}
		})
	}
	if got := b.For("fi").Language("sv"); got != "ruotsi" {
		t.Errorf("fi Language(sv) = %q", got)
	}
	if got := b.For("fi").Country("??"); got != "??" {
		t.Errorf("bad region code = %q", got)
	}
}

func TestAutonym(t *testing.T) {
	want := map[string]string{"sv": "Svenska", "it": "Italiano", "pl": "Polski", "fi": "Suomi"}
	for lang, name := range want {
		if got := Autonym(lang); got != name {
			t.Errorf("Autonym(%s) = %q, want %q", lang, got, name)
		}
	}
}

// The languages come from the message files: a fifth file is a fifth language, with its CLDR
// formatter and plural rules.
func TestLanguagesAreTheMessageFiles(t *testing.T) {
	if got := load(t).Languages(); !slices.Equal(got, []string{"fi", "it", "pl", "sv"}) {
		t.Errorf("Languages() = %v", got)
	}
	fsys := fstest.MapFS{}
	for _, lang := range []string{"fi", "sv"} {
		b, err := fs.ReadFile(locales.FS, lang+".toml")
		if err != nil {
			t.Fatal(err)
		}
		fsys[lang+".toml"] = &fstest.MapFile{Data: b}
	}
	fsys["en.toml"] = &fstest.MapFile{Data: []byte(`"home.twins.count" = { one = "{{.Count}} twin town", other = "{{.Count}} twin towns" }` + "\n")}
	b, err := LoadFS(fsys)
	if err != nil {
		t.Fatal(err)
	}
	if got := b.Languages(); !slices.Equal(got, []string{"en", "fi", "sv"}) || !b.Has("en") || b.Has("it") {
		t.Fatalf("Languages() = %v", got)
	}
	en := b.For("en")
	if got := en.N("home.twins.count", 1000); got != "1,000 twin towns" {
		t.Errorf("en plural = %q", got)
	}
	if got := en.Date(time.Date(1998, 7, 26, 0, 0, 0, 0, time.UTC)); got != "July 26, 1998" {
		t.Errorf("en date = %q", got)
	}
	fsys["xx.toml"] = &fstest.MapFile{Data: []byte("")}
	if _, err := LoadFS(fsys); err == nil {
		t.Error("a language without a CLDR formatter loaded")
	}
}

func TestNegotiate(t *testing.T) {
	tests := []struct {
		name, cookie, accept, def, want string
	}{
		{"cookie wins", "it", "sv-FI,sv;q=0.9", "fi", "it"},
		{"bad cookie ignored", "xx", "pl", "fi", "pl"},
		{"sv-FI is sv", "", "sv-FI", "fi", "sv"},
		{"it-CH is it", "", "it-CH,de;q=0.8", "pl", "it"},
		{"q-values", "", "fi;q=0.2,pl;q=0.9", "sv", "pl"},
		{"unsupported gives default", "", "en-US,en;q=0.9", "fi", "fi"},
		{"unsupported gives site default", "", "de", "pl", "pl"},
		{"empty", "", "", "pl", "pl"},
		{"malformed", "", ";;q=abc,,", "fi", "fi"},
		{"garbage", "", strings.Repeat("x-", 500), "fi", "fi"},
		{"wildcard", "", "*", "pl", "pl"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := Negotiate(tc.cookie, tc.accept, []string{"sv", "it", "pl", "fi"}, tc.def); got != tc.want {
				t.Errorf("Negotiate(%q, %q, %q) = %q, want %q", tc.cookie, tc.accept, tc.def, got, tc.want)
			}
		})
	}
}

// Every message ID used in the templates and the web code exists, and so does every ID the
// code builds from a prefix.
func TestCodeUsesKnownMessages(t *testing.T) {
	ids := messageIDs(t, "fi")
	inTemplates := regexp.MustCompile(`\.(?:T|N)\("([a-z0-9_.]+)"`)
	inCode := regexp.MustCompile(`"((?:admin|validation|error|city|home|nav)\.[a-z0-9_.]*[a-z0-9_])"`)
	var missing []string
	for _, dir := range []string{"../../templates", "../web", "../twinning"} {
		err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || strings.HasSuffix(path, "_templ.go") || strings.HasSuffix(path, "_test.go") {
				return err
			}
			re := inCode
			if strings.HasSuffix(path, ".templ") {
				re = inTemplates
			} else if !strings.HasSuffix(path, ".go") {
				return nil
			}
			src, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			for _, m := range re.FindAllStringSubmatch(string(src), -1) {
				if strings.HasSuffix(m[1], ".") || strings.HasSuffix(m[1], "_") {
					continue // a prefix completed at run time: checked below
				}
				if _, ok := ids[m[1]]; !ok {
					missing = append(missing, path+": "+m[1])
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	for _, state := range []twinning.TranslationState{twinning.TranslationComplete, twinning.TranslationMissing, twinning.TranslationOutdated} {
		if _, ok := ids["admin.translation."+string(state)]; !ok {
			missing = append(missing, "admin.translation."+string(state))
		}
	}
	for _, a := range []string{"create", "create_publish", "draft", "publish", "restore", "delete", "sign_in",
		"sign_in_failed", "sign_in_refused", "sign_out", "upload", "delete_document", "restore_document", "site_texts", "site_draft", "import",
		"user_add", "user_update", "user_disable", "user_enable", "user_link_invite", "user_link_reset", "password_set",
		"totp_add", "totp_remove", "passkey_add", "passkey_remove", "recovery_codes_new", "recovery_code_use", "second_factors_reset",
		"sessions_end", "identity_link", "identity_unlink", "profile_update", "second_factor_policy", "provider_settings",
		"provider_rule_add", "provider_rule_remove"} {
		if _, ok := ids["admin.action_name."+a]; !ok {
			missing = append(missing, "admin.action_name."+a)
		}
	}
	for _, r := range twinning.Roles {
		for _, prefix := range []string{"admin.role.", "admin.role_hint."} {
			if _, ok := ids[prefix+string(r)]; !ok {
				missing = append(missing, prefix+string(r))
			}
		}
	}
	for _, f := range []string{"email", "role", "sites", "langs", "disable", "password", "password2"} {
		if _, ok := ids["admin.users.field."+f]; !ok {
			missing = append(missing, "admin.users.field."+f)
		}
	}
	for _, p := range twinning.SecondFactorPolicies {
		if _, ok := ids["admin.signin.policy."+string(p)]; !ok {
			missing = append(missing, "admin.signin.policy."+string(p))
		}
	}
	for _, m := range []string{"password", "link", "password_totp", "password_passkey", "password_recovery", "provider"} {
		if _, ok := ids["admin.profile.method."+m]; !ok {
			missing = append(missing, "admin.profile.method."+m)
		}
	}
	for _, kind := range []string{"notfound", "forbidden", "invalid", "internal", "unavailable", "unavailable_staff", "toolarge"} {
		for _, part := range []string{"title", "text"} {
			if _, ok := ids["error."+kind+"."+part]; !ok {
				missing = append(missing, "error."+kind+"."+part)
			}
		}
	}
	sort.Strings(missing)
	for _, m := range missing {
		t.Errorf("unknown message %s", m)
	}
}

func TestCountries(t *testing.T) {
	b := load(t)
	cs := b.For("pl").Countries()
	if len(cs) < 190 {
		t.Fatalf("%d countries", len(cs))
	}
	pos := map[string]int{}
	for i, c := range cs {
		pos[c.Code] = i
	}
	// Polish collation: "Łotwa" sorts after "Litwa" and before "Macedonia"... and after "Luksemburg"
	if !(pos["LT"] < pos["LV"]) || cs[pos["DE"]].Name != "Niemcy" {
		t.Errorf("order or names wrong: LT %d LV %d", pos["LT"], pos["LV"])
	}
	if _, ok := pos["EU"]; ok {
		t.Error("EU is not a country")
	}
}

func BenchmarkNegotiate(b *testing.B) {
	for b.Loop() {
		Negotiate("", "sv-FI,sv;q=0.9,en-US;q=0.8,en;q=0.7", []string{"sv", "it", "pl", "fi"}, "fi")
	}
}

package demo

import (
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"twintowns/internal/twinning"
)

func TestLoadHasEveryCityInEveryLanguage(t *testing.T) {
	sites, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	if len(sites) != 2 {
		t.Fatalf("got %d sites, want 2", len(sites))
	}
	want := map[string]int{"seinajoki": 10, "siedlce": 7}
	for _, c := range sites {
		if got := len(c.Cities); got != want[c.Site.Slug] {
			t.Errorf("%s: %d cities, want %d", c.Site.Slug, got, want[c.Site.Slug])
		}
		for _, lang := range c.Site.Languages {
			st, ok := c.Site.Texts[lang]
			if !ok || st.Name == "" || st.Intro == "" {
				t.Errorf("%s: site text in %s missing", c.Site.Slug, lang)
			}
			if (st.History == "") != (c.Site.Slug == "seinajoki") {
				t.Errorf("%s/%s: history present = %v", c.Site.Slug, lang, st.History != "")
			}
			for _, city := range c.Cities {
				ct, ok := city.Texts[lang]
				if !ok || ct.Name == "" || ct.Description+ct.Aims == "" {
					t.Errorf("%s/%s: text in %s missing", c.Site.Slug, city.Slug, lang)
				}
				for _, a := range city.Attachments {
					if a.Titles[lang] == "" {
						t.Errorf("%s/%s: attachment %s has no title in %s", c.Site.Slug, city.Slug, a.Slug, lang)
					}
				}
			}
		}
	}
}

// The source language of each page is on the site verbatim: every sentence of the source
// files (ignoring the link targets, which the sources do not hold, and the date lines shown
// from facts) is found in the demo text of that language.
func TestSourcesAreVerbatim(t *testing.T) {
	sites, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	all := map[string]string{} // lang of the source file -> every text of its site in that language
	for _, c := range sites {
		var b strings.Builder
		lang := map[string][]string{"seinajoki": {"sv"}, "siedlce": {"pl", "it"}}[c.Site.Slug]
		for _, l := range lang {
			b.Reset()
			st := c.Site.Texts[l]
			b.WriteString(st.Intro + st.PartnersIntro + st.HistoryTitle + st.History + st.EventsTitle + st.Events)
			for _, city := range c.Cities {
				ct := city.Texts[l]
				b.WriteString(ct.Name + ct.FullName + ct.Description + ct.Aims + ct.Association)
			}
			all[c.Site.Slug+"/"+l] = stripLinks(b.String())
		}
	}
	files := map[string]string{
		"seinajoki/sv": "000_98147ede0aba7987.txt",
		"siedlce/it":   "001_c47f34d3a0231bb9.txt",
		"siedlce/pl":   "002_b383594a697c154c.txt",
	}
	for key, f := range files {
		for _, s := range sentences(sourceText(t, f)) {
			if !strings.Contains(normalize(all[key]), normalize(s)) {
				t.Errorf("%s: source sentence not on the site: %q", key, s)
			}
		}
	}
}

// sourceFiles are the source pages of each site that its facts come from: the Swedish page
// of Seinäjoki and the Polish original of Siedlce.
var sourceFiles = map[string]string{"seinajoki": "000_98147ede0aba7987.txt", "siedlce": "002_b383594a697c154c.txt"}

// sourceText is a source page of shared/seeds, as copied to testdata/seeds so that the tests
// run in any checkout; where shared/seeds is beside the repo, the copy must be identical.
func sourceText(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "seeds", name))
	if err != nil {
		t.Fatal(err)
	}
	if orig, err := os.ReadFile(filepath.Join("..", "..", "..", "shared", "seeds", name)); err == nil && string(orig) != string(b) {
		t.Fatalf("testdata/seeds/%s differs from shared/seeds/%s", name, name)
	}
	return string(b)
}

var linkRE = regexp.MustCompile(`\[([^\]]*)\]\([^)]*\)`)

func stripLinks(s string) string { return linkRE.ReplaceAllString(s, "$1") }

// Sentences the demo deliberately does not carry as text: headings shown as facts (country,
// date) and the bare labels of links whose target the source does not give ("Kontaktuppgifter
// här", "Staden Koszalins webbplats").
var skipped = regexp.MustCompile(`^(\(la data|\(data podpisania|Tekst umowy|Kontaktuppgifter här|Samarbetsstäder|.*, (Tyskland|Polen|Ryssland|Ungern|Kanada|Kina)$|.* (in|z|na|w|ze) (Germania|Italia|Lituania|Bielorussia|Slovacchia|Ucraina|Russia|Niemiec|Włoch|Litwy|Białorusi|Słowacji|Ukrainie|Rosji)$)`)

func sentences(src string) []string {
	var out []string
	src = strings.NewReplacer("Kontaktuppgifter här.", "", "Staden Koszalins webbplats", "").Replace(src)
	for _, line := range strings.Split(src, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || skipped.MatchString(line) {
			continue
		}
		out = append(out, line)
	}
	return out
}

var fixes = strings.NewReplacer("Novgorov", "Novgorod", "Jiangjiins", "Jiangjins", "Berdyczow", "Berdyczów", "Kirów", "Kirov", "Kirow", "Kirov")

// normalize drops what the Markdown form changes: punctuation around list items, bullets,
// line breaks and non-breaking spaces.
func normalize(s string) string {
	s = fixes.Replace(s)
	s = strings.Map(func(r rune) rune {
		switch r {
		case ',', '.', ';', ':', '!', '?', '•', '-':
			return -1
		case '\u00a0':
			return ' '
		}
		return r
	}, s)
	return strings.Join(strings.Fields(s), " ")
}

// The corrections of the professional review stay made.
func TestReviewCorrections(t *testing.T) {
	sites, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	bySlug := map[string]twinning.Content{}
	for _, c := range sites {
		bySlug[c.Site.Slug] = c
	}
	texts := func(c twinning.Content, lang string) string {
		st := c.Site.Texts[lang]
		all := st.Name + st.Intro + st.PartnersIntro + st.HistoryTitle + st.History + st.EventsTitle + st.Events
		for _, city := range c.Cities {
			ct := city.Texts[lang]
			all += ct.Name + ct.FullName + ct.Summary + ct.Description + ct.Aims + ct.Association
			for _, a := range city.Attachments {
				all += a.Titles[lang]
			}
		}
		return all
	}

	t.Run("Kirow is spelt Kirow", func(t *testing.T) {
		for _, c := range sites {
			for _, lang := range c.Site.Languages {
				if strings.Contains(texts(c, lang), "Kirów") {
					t.Errorf("%s/%s: still says Kirów", c.Site.Slug, lang)
				}
			}
		}
		kirov, err := bySlug["siedlce"].City("kirov")
		if err != nil {
			t.Fatal(err)
		}
		if got := kirov.Texts["pl"]; got.Name != "Kirow" || got.FullName != "Miasto Kirow" {
			t.Errorf("pl name %q, full name %q", got.Name, got.FullName)
		}
	})

	t.Run("Siedlce's cities are twin towns without a recorded status", func(t *testing.T) {
		for _, city := range bySlug["siedlce"].Cities {
			if city.Kind != twinning.KindTwin || city.Status != twinning.StatusUnknown {
				t.Errorf("%s: kind %s, status %s; want twin, unknown", city.Slug, city.Kind, city.Status)
			}
		}
		for _, city := range bySlug["seinajoki"].Cities {
			if city.Status != twinning.StatusActive {
				t.Errorf("seinajoki/%s: status %s, want active (för närvarande)", city.Slug, city.Status)
			}
		}
	})

	t.Run("Siedlce links only to the cities' own articles", func(t *testing.T) {
		for _, city := range bySlug["siedlce"].Cities {
			for _, l := range city.Links {
				if strings.HasSuffix(l.URL, "/wiki/Kirov") {
					t.Errorf("%s: %s is a disambiguation page, not the city's article", city.Slug, l.URL)
				}
			}
		}
	})

	t.Run("Finnish Novgorod links the Finnish article", func(t *testing.T) {
		novgorod, err := bySlug["seinajoki"].City("veliki-novgorod")
		if err != nil {
			t.Fatal(err)
		}
		const fi = "https://fi.wikipedia.org/wiki/Novgorod"
		var wiki []twinning.Link
		for _, l := range novgorod.LinksFor("fi", bySlug["seinajoki"].Site) {
			if l.Kind == twinning.LinkWikipedia {
				wiki = append(wiki, l)
			}
		}
		if len(wiki) != 1 || wiki[0].URL != fi || wiki[0].Lang != "fi" {
			t.Errorf("fi Wikipedia links %+v", wiki)
		}
		if d := novgorod.Texts["fi"].Description; !strings.Contains(d, "("+fi+")") || strings.Contains(d, "sv.wikipedia") {
			t.Errorf("fi description links %q", d)
		}
	})

	t.Run("texts use the glossary's terms", func(t *testing.T) {
		for _, tc := range []struct{ site, lang, banned string }{
			{"seinajoki", "pl", "bliźniacz"},
			{"siedlce", "sv", "vänskapsstäd"},
			{"siedlce", "it", "città partner"},                 // Siedlce's seven are città gemellate
			{"seinajoki", "it", "cooperazione di gemellaggio"}, // a calque of "vänortssamarbete"
			{"seinajoki", "it", "splendid"},                    // "vackra" is "bello"
			{"seinajoki", "it", "figurano"},                    // "har hört till" is a perfect
			{"seinajoki", "fi", "Suomi-yhteys ("},              // a count belongs to people, not to a connection
			{"siedlce", "it", "città amic"},                    // "miasta zaprzyjaźnione" are città gemellate
			{"seinajoki", "it", "bel Land"},                    // "den vackra delstaten Bayern": nella bella Baviera
			{"seinajoki", "it", "vanta"},                       // "har en historia": ha una storia
			{"seinajoki", "fi", "Jangtse-joen"},                // Jangtsejoki is one word
			{"seinajoki", "pl", "w liczbach bezwzględnych"},    // "näst största i antal": drugie miejsce
			{"siedlce", "fi", "paikallishallintoihin"},         // "z samorządami krajów": maiden kuntiin
			{"siedlce", "fi", "kumppanuussuhteita"},            // "partnerskie stosunki" between twin towns
			{"siedlce", "fi", "puolalaisten tovereidensa"},     // "z polskimi kolegami": koulutovereidensa
			{"siedlce", "fi", "koulutusleir"},                  // "obozy szkoleniowe" among sports: training camps
			{"siedlce", "fi", "ystävyysjoukkue"},               // "zaprzyjaźnione drużyny": teams of the twin towns
			{"siedlce", "sv", "utbildningsläger"},              // "obozy szkoleniowe" among sports: träningsläger
			{"siedlce", "sv", "vänskapslag"},                   // "zaprzyjaźnione drużyny": lag från vänorterna
		} {
			if strings.Contains(texts(bySlug[tc.site], tc.lang), tc.banned) {
				t.Errorf("%s/%s contains %q", tc.site, tc.lang, tc.banned)
			}
		}
		if !strings.Contains(bySlug["seinajoki"].Site.Texts["it"].Intro, "La collaborazione di Seinäjoki con le città gemellate") {
			t.Error("it intro does not open with the collaboration with the twin towns")
		}
	})
	t.Run("Italian headings give the short name of another form in brackets", func(t *testing.T) {
		for slug, want := range map[string]string{
			"vilnius-district": "Regione amministrativa di Vilnius (Distretto di Vilnius)",
			"vawkavysk":        "Città Wolkowysk (Vawkavysk)",
			"berdychiv":        "Città Berdyczów (Berdyčiv)",
			"kirov":            "Città Kirow (Kirov)",
		} {
			city, err := bySlug["siedlce"].City(slug)
			if err != nil {
				t.Fatal(err)
			}
			if got := city.Texts["it"]; got.FullName != want || !strings.Contains(got.FullName, "("+got.Name+")") {
				t.Errorf("%s: it full name %q, name %q; want %q", slug, got.FullName, got.Name, want)
			}
		}
	})
}

// Every link of the demo, as a city's link or inside a text, is a Wikipedia article or a target
// the source gives: no official site is guessed.
func TestLinksOnlyWhereTheSourcesGiveThem(t *testing.T) {
	sites, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	source := map[string]string{}
	for site, f := range sourceFiles {
		source[site] = sourceText(t, f)
	}
	target := regexp.MustCompile(`\]\(([^)]*)\)`)
	for _, c := range sites {
		given := func(url string) bool {
			host, _, _ := strings.Cut(strings.TrimPrefix(strings.TrimPrefix(url, "https://"), "http://"), "/")
			return strings.HasSuffix(host, ".wikipedia.org") ||
				strings.Contains(source[c.Site.Slug], strings.TrimPrefix(url, "https://"))
		}
		for _, city := range c.Cities {
			for _, l := range city.Links {
				if !given(l.URL) {
					t.Errorf("%s/%s: link %s (%s) is not in the source", c.Site.Slug, city.Slug, l.URL, l.Kind)
				}
			}
			for lang, ct := range city.Texts {
				for _, m := range target.FindAllStringSubmatch(ct.Description+ct.Aims+ct.Association, -1) {
					if !given(m[1]) {
						t.Errorf("%s/%s/%s: text links %s, which is not in the source", c.Site.Slug, city.Slug, lang, m[1])
					}
				}
			}
		}
	}
}

// No city shows a date, or an agreement, that its source does not give: every dated city
// records the source's sentence (agreement_source in site.toml), which must be in the source
// page and hold the date's numbers; a date shown as an agreement's ("day", "year") must come
// from a sentence that names an agreement, and one that names none is "since" or "over_years".
func TestAgreementDatesAreTheSources(t *testing.T) {
	agreement := regexp.MustCompile(`(?i)avtal|umow`) // the sources' words for an agreement
	number := regexp.MustCompile(`\d+`)
	for _, site := range Sites {
		var sf siteFile
		if err := decode(path.Join("data", site, "site.toml"), &sf); err != nil {
			t.Fatal(err)
		}
		src := strings.Join(strings.Fields(sourceText(t, sourceFiles[site])), " ")
		for _, f := range sf.Cities {
			c, err := f.city()
			if err != nil {
				t.Fatal(err)
			}
			a, sentence := c.Agreement, f.AgreementSource
			var want []int
			switch a.Precision {
			case twinning.PrecisionDay:
				want = []int{a.Date.Year(), a.Date.Day()}
			case twinning.PrecisionYear, twinning.PrecisionSince:
				want = []int{a.Year}
			case twinning.PrecisionOverYears:
				want = []int{a.OverYears}
			}
			if len(want) == 0 {
				if sentence != "" {
					t.Errorf("%s/%s: a source sentence but no date (%s)", site, f.Slug, a.Precision)
				}
				continue
			}
			if sentence == "" || !strings.Contains(src, strings.Join(strings.Fields(sentence), " ")) {
				t.Errorf("%s/%s: dated %s, but its source sentence %q is not in the source", site, f.Slug, a.Precision, sentence)
				continue
			}
			numbers := number.FindAllString(sentence, -1)
			for _, n := range want {
				if !slices.Contains(numbers, strconv.Itoa(n)) {
					t.Errorf("%s/%s: %d is not in the source sentence %q", site, f.Slug, n, sentence)
				}
			}
			isAgreement := a.Precision == twinning.PrecisionDay || a.Precision == twinning.PrecisionYear
			if names := agreement.MatchString(sentence); isAgreement != names {
				t.Errorf("%s/%s: precision %s, but the source sentence %q names an agreement: %v", site, f.Slug, a.Precision, sentence, names)
			}
		}
	}
}

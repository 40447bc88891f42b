package demo

import (
	"strings"
	"testing"

	"twintowns/internal/twinning"
)

// Siedlce's joint events follow the source: each Polish text is the Polish page's own words
// (whole sentences or the part of one about the event), dated no more precisely than the text
// says (its year, or school year, is in it), every language of the site has a title and a text
// translated from Polish, and the partner cities named are Siedlce's own. The history the
// events come from stays on the site as it was.
func TestEventsFollowTheSource(t *testing.T) {
	sites, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	src := sourceText(t, "002_b383594a697c154c.txt")
	source := strings.ToLower(normalize(strings.ReplaceAll(src, "W spólnie", "Wspólnie")))
	for _, c := range sites {
		events := c.Entries[twinning.EventType]
		if want := map[string]int{"seinajoki": 0, "siedlce": 13}[c.Site.Slug]; len(events) != want {
			t.Errorf("%s: %d events, want %d", c.Site.Slug, len(events), want)
		}
		for _, e := range events {
			slug := e.Text("slug")
			checked, errs := twinning.EventType.CheckFacts(withIDs(e))
			if len(errs) > 0 {
				t.Errorf("%s: %v", slug, errs)
			}
			d, _ := checked.Date("date")
			pl := e.Texts["pl"].Fields["text"]
			for _, s := range strings.Split(pl, ". ") {
				if !strings.Contains(source, strings.ToLower(normalize(s))) {
					t.Errorf("%s: not the source's words: %q", slug, s)
				}
			}
			year := d.String()[:4]
			if d.Precision == twinning.DateSchoolYear {
				year = d.String()
			}
			if !strings.Contains(pl, year) {
				t.Errorf("%s: dated %s, which its text does not say", slug, d)
			}
			for _, lang := range c.Site.Languages {
				x := e.Texts[lang]
				if x.Fields["title"] == "" || x.Fields["text"] == "" || (lang != "pl") != (x.TranslatedFrom == "pl") {
					t.Errorf("%s: %s text %+v", slug, lang, x)
				}
				if lang != "pl" && !strings.Contains(x.Fields["text"], year) {
					t.Errorf("%s: the %s text lacks the date", slug, lang)
				}
			}
			for _, s := range strings.Fields(e.Facts[twinning.Fact("cities")] + " " + e.Facts[twinning.Fact("held_in")]) {
				if city, err := c.City(s); err != nil || city.Kind != twinning.KindTwin {
					t.Errorf("%s: %q is not a twin town of %s", slug, s, c.Site.Slug)
				}
			}
		}
	}
	for _, c := range sites {
		if c.Site.Slug == "siedlce" && !strings.Contains(c.Site.Texts["pl"].History, "W 1996 r. gościliśmy na koncertach w Siedlcach włoski chór kameralny.") {
			t.Error("the history lost what the events repeat")
		}
	}
}

// withIDs stands ids in for the slugs the demo's references name cities by, for CheckFacts.
func withIDs(e twinning.Entry) twinning.Entry {
	e = e.Clone()
	for _, k := range []string{"cities", "held_in"} {
		if e.Facts[twinning.Fact(k)] != "" {
			e.Facts[twinning.Fact(k)] = "1"
		}
	}
	return e
}

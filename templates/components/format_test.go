package components

import (
	"strings"
	"testing"
	"time"

	"twintowns/internal/locale"
	"twintowns/internal/twinning"
)

func TestFormatting(t *testing.T) {
	b, err := locale.Load()
	if err != nil {
		t.Fatal(err)
	}
	nb := "\u00a0"
	since1974 := twinning.Agreement{Precision: twinning.PrecisionSince, Year: 1974}
	tests := []struct {
		name, lang, got, want string
	}{
		{"day", "it", AgreementText(b.For("it"), twinning.Agreement{Precision: twinning.PrecisionDay, Date: time.Date(1998, 7, 26, 0, 0, 0, 0, time.UTC)}), "26 luglio 1998"},
		{"year", "pl", AgreementText(b.For("pl"), twinning.Agreement{Precision: twinning.PrecisionYear, Year: 1987}), "1987"},
		{"over", "sv", AgreementText(b.For("sv"), twinning.Agreement{Precision: twinning.PrecisionOverYears, OverYears: 30}), "i över 30 år"},
		{"unknown", "fi", AgreementText(b.For("fi"), twinning.Agreement{Precision: twinning.PrecisionUnknown}), ""},
		// "since 1974" dates the partnership, not an agreement: in the list too, and under its
		// own label on the city page
		{"since fi", "fi", AgreementText(b.For("fi"), since1974), "vuodesta 1974"},
		{"since sv", "sv", ListAgreement(b.For("sv"), since1974), "sedan 1974"},
		{"since pl", "pl", ListAgreement(b.For("pl"), since1974), "od 1974 r."},
		{"since it", "it", ListAgreement(b.For("it"), since1974), "dal 1974"},
		{"label since", "fi", AgreementLabel(b.For("fi"), since1974), "Kumppanuus"},
		{"label over", "pl", AgreementLabel(b.For("pl"), twinning.Agreement{Precision: twinning.PrecisionOverYears, OverYears: 30}), "Partnerstwo"},
		{"label year", "it", AgreementLabel(b.For("it"), twinning.Agreement{Precision: twinning.PrecisionYear, Year: 1987}), "Accordo"},
		{"label day", "sv", AgreementLabel(b.For("sv"), twinning.Agreement{Precision: twinning.PrecisionDay, Date: time.Date(1998, 7, 26, 0, 0, 0, 0, time.UTC)}), "Avtal"},
		{"list year of a date", "pl", ListAgreement(b.For("pl"), twinning.Agreement{Precision: twinning.PrecisionDay, Date: time.Date(1993, 11, 10, 0, 0, 0, 0, time.UTC)}), "umowa z 1993 r."},
		{"population", "it", PopulationText(b.For("it"), twinning.Population{Count: 54000}), "54.000"},
		{"population pl", "pl", PopulationText(b.For("pl"), twinning.Population{Count: 220000}), "220" + nb + "000"},
		{"millions", "pl", PopulationText(b.For("pl"), twinning.Population{Count: 1500000, Millions: true}), "1,5 miliona"},
		{"5 millions pl", "pl", PopulationText(b.For("pl"), twinning.Population{Count: 5000000, Millions: true}), "5 milionów"},
		{"approx with year", "sv", PopulationText(b.For("sv"), twinning.Population{Count: 1800000, Millions: true, Approx: true, Year: 2018}), "ca 1,8 miljoner (2018)"},
		{"area", "fi", PopulationText(b.For("fi"), twinning.Population{Count: 9000000, Millions: true, Area: true}), "9 miljoonaa (kaupunkialue)"},
		{"status ended", "fi", StatusText(b.For("fi"), twinning.City{Status: twinning.StatusEnded, StatusUntil: ptr(time.Date(2022, 3, 1, 0, 0, 0, 0, time.UTC))}), "Päättynyt 1. maaliskuuta 2022"},
		{"status suspended", "pl", StatusText(b.For("pl"), twinning.City{Status: twinning.StatusSuspended, StatusSince: ptr(time.Date(2022, 3, 1, 0, 0, 0, 0, time.UTC))}), "Zawieszona od 1 marca 2022"},
		{"status active", "it", StatusText(b.For("it"), twinning.City{Status: twinning.StatusActive}), "Attivo"},
		{"status unknown", "sv", StatusText(b.For("sv"), twinning.City{Status: twinning.StatusUnknown}), "Uppgift saknas"},
		{"size kb", "fi", SizeText(b.For("fi"), 48_200), "48 kt"},
		{"size mb", "it", SizeText(b.For("it"), 2_500_000), "2,5 MB"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tc.got != tc.want {
				t.Errorf("got %q, want %q", tc.got, tc.want)
			}
		})
	}
}

func ptr[T any](v T) *T { return &v }

func TestSummaryAndMarkdown(t *testing.T) {
	s := Summary("Läs mer i [Wikipedia](https://sv.wikipedia.org/wiki/X).\n\n- one\n- two", 200)
	if s != "Läs mer i Wikipedia. one two" {
		t.Errorf("Summary = %q", s)
	}
	long := Summary(strings.Repeat("ord ", 100), 20)
	if len([]rune(long)) > 21 || !strings.HasSuffix(long, "…") {
		t.Errorf("long Summary = %q", long)
	}
	html := MarkdownHTML("<script>alert(1)</script>\n\n**bold** [x](https://example.org)")
	if strings.Contains(html, "<script>") || !strings.Contains(html, "<strong>bold</strong>") {
		t.Errorf("MarkdownHTML = %q", html)
	}
}

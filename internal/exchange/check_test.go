package exchange

import (
	"reflect"
	"testing"
)

func TestCheck(t *testing.T) {
	terms := []Term{{"vänort", "ystävyyskaupunki"}, {"miasto partnerskie", "città gemellata"}}
	tests := []struct {
		name, source, target string
		o                    CheckOptions
		want                 []Warning
	}{
		{"equal", "Staden har 106 000 invånare sedan 1987.", "Kaupungissa on 106 000 asukasta vuodesta 1987.", CheckOptions{}, nil},
		{"numbers written otherwise", "1,5 mln, 2 000 000 i 1987, 2016", "1.5 mln, 2000000 e 1987 e 2016", CheckOptions{}, nil},
		{"a number changed", "Vänskapsavtalet slöts 1987.", "Sopimus solmittiin 1978.", CheckOptions{}, []Warning{{WarnNumbers, "1978, 1987"}}},
		{"an address dropped", "Läs [mer](https://www.koszalin.pl/).", "Lue lisää.", CheckOptions{}, []Warning{{WarnURLs, "https://www.koszalin.pl/"}}},
		{"Wikipedia in another language", "[W](https://sv.wikipedia.org/wiki/Novgorod)", "[W](https://fi.wikipedia.org/wiki/Veliki_Novgorod)", CheckOptions{}, nil},
		{"markdown", "**A** och [b](https://x.y)\n\n- c", "A ja [b](https://x.y)\n\n- c", CheckOptions{Markdown: true}, []Warning{{WarnMarkdown, "bold"}}},
		{"too long", "abc", "abcdef", CheckOptions{Max: 5}, []Warning{{WarnLength, ""}}},
		{"glossary followed, inflected", "Seinäjokis vänorter", "Seinäjoen ystävyyskaupungit", CheckOptions{Terms: terms}, nil},
		{"glossary not followed", "Seinäjokis vänort", "Seinäjoen sisarkaupunki", CheckOptions{Terms: terms}, []Warning{{WarnGlossary, "vänort → ystävyyskaupunki"}}},
		{"glossary of several words", "Siedlce ma 7 miast partnerskich.", "Siedlce ha 7 città gemellate.", CheckOptions{Terms: terms}, nil},
		{"spaces", "Text ", " Teksti", CheckOptions{}, []Warning{{WarnNumbers, ""}, {WarnSpaces, ""}}[1:]},
		{"line ends do not count", "Text\n", "Teksti", CheckOptions{}, nil},
		{"empty target", "1987", "", CheckOptions{}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := Check(tc.source, tc.target, tc.o); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}

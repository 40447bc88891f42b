package twinning

import "testing"

func TestImportDecide(t *testing.T) {
	exported := TextHash("Dasing")
	tests := []struct {
		name string
		c    ImportCheck
		want ImportDecision
	}{
		{"the file changes what was exported", ImportCheck{Base: exported, Current: "Dasing", File: "Dasing (BY)", ExportSource: "a", Source: "a"},
			ImportDecision{}},
		{"the file leaves it as exported, the site changed it", ImportCheck{Base: exported, Current: "Dasing (Baviera)", File: "Dasing", ExportSource: "a", Source: "a"},
			ImportDecision{Skip: SkipUntouched}},
		{"spaces at the ends do not count", ImportCheck{Base: exported, Current: "x", File: "  Dasing\n", ExportSource: "a", Source: "a"},
			ImportDecision{Skip: SkipUntouched}},
		{"both changed it", ImportCheck{Base: exported, Current: "Dasing (Baviera)", File: "Dasing (BY)", ExportSource: "a", Source: "a"},
			ImportDecision{Conflict: true}},
		{"both changed it alike", ImportCheck{Base: exported, Current: "Dasing (BY)", File: "Dasing (BY) ", ExportSource: "a", Source: "a"},
			ImportDecision{Skip: SkipSame}},
		{"no base: a conflict", ImportCheck{Current: "Dasing", File: "Dasing (BY)", ExportSource: "a", Source: "a"},
			ImportDecision{Conflict: true, BaseUnknown: true}},
		{"the source changed", ImportCheck{Base: exported, Current: "Dasing", File: "Dasing (BY)", ExportSource: "a", Source: "b"},
			ImportDecision{SourceChanged: true}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := tc.c.Decide()
			if got != tc.want {
				t.Errorf("got %+v, want %+v", got, tc.want)
			}
			if got.Ticked() != (tc.want == ImportDecision{}) {
				t.Errorf("ticked %v", got.Ticked())
			}
		})
	}
}

func TestWordCounts(t *testing.T) {
	var w WordCounts
	w.Add(TranslationMissing, 3)
	w.Add(TranslationOutdated, 2)
	w.Add(TranslationComplete, 5)
	if w != (WordCounts{New: 3, Outdated: 2, Translated: 5}) || w.Total() != 10 {
		t.Errorf("%+v", w)
	}
}

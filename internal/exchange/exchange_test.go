package exchange

import (
	"errors"
	"fmt"
	"testing"
	"time"
)

func TestFileName(t *testing.T) {
	day := time.Date(2026, 11, 23, 23, 59, 0, 0, time.UTC)
	tests := []struct {
		site, src, tgt, scope string
		f                     Format
		want                  string
	}{
		{"siedlce", "pl", "it", "missing-outdated", FormatXLIFF, "siedlce_pl-it_missing-outdated_2026-11-23.xlf"},
		{"seinajoki", "fi", "sv", "all", FormatPO, "seinajoki_fi-sv_all_2026-11-23.po"},
		{"Seinäjoki", "fi-FI", "pt_BR", "chosen entries", FormatXLIFF, "sein-joki_fi-fi-pt-br_chosen-entries_2026-11-23.xlf"},
		{`../../etc/"x"`, "pl", "it", "", FormatPO, "etc-x_pl-it_x_2026-11-23.po"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			if got := FileName(tt.site, tt.src, tt.tgt, tt.scope, day, tt.f); got != tt.want {
				t.Errorf("got %q", got)
			}
		})
	}
}

func TestSameLanguage(t *testing.T) {
	tests := []struct {
		a, b string
		want bool
	}{
		{"pl", "pl", true},
		{"pl", "pl-PL", true},
		{"fi_FI", "fi", true},
		{"FI-fi", "fi-FI", true},
		{"pt-BR", "pt-PT", false},
		{"pl", "it", false},
		{"", "", false},
		{"sv", "sv-FI", true},
	}
	for _, tt := range tests {
		if got := SameLanguage(tt.a, tt.b); got != tt.want {
			t.Errorf("SameLanguage(%q, %q) = %v", tt.a, tt.b, got)
		}
	}
}

func TestState(t *testing.T) {
	for _, s := range States {
		if !s.Valid() {
			t.Errorf("%q not valid", s)
		}
	}
	tests := []struct {
		s           State
		valid, done bool
	}{
		{StateNone, true, false},
		{StateTranslated, true, true},
		{StateSignedOff, true, true},
		{StateFinal, true, true},
		{StateNeedsReviewTranslation, true, false},
		{"x-approved", true, false},
		{"x-", false, false},
		{"x-with space", false, false},
		{"approved", false, false},
	}
	for _, tt := range tests {
		if tt.s.Valid() != tt.valid || tt.s.Done() != tt.done {
			t.Errorf("%q: valid %v done %v", tt.s, tt.s.Valid(), tt.s.Done())
		}
	}
}

func TestError(t *testing.T) {
	err := fmt.Errorf("importing: %w", &Error{Code: CodeDuplicateID, Unit: "city/1/name", Line: 7})
	if !errors.Is(err, ErrDuplicateID) || errors.Is(err, ErrEmptyID) {
		t.Error("errors.Is does not compare codes")
	}
	if CodeOf(err) != CodeDuplicateID || CodeOf(errors.New("x")) != "" || CodeOf(nil) != "" {
		t.Error("CodeOf")
	}
	if got, want := err.Error(), `importing: exchange: duplicate_id at line 7 in unit "city/1/name"`; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if errors.Is(ErrDuplicateID, err) {
		t.Error("a sentinel matched a detailed error")
	}
}

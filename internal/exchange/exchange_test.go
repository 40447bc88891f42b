package exchange

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"
)

func TestFileName(t *testing.T) {
	day := time.Date(2026, 11, 23, 23, 59, 0, 0, time.UTC)
	tests := []struct {
		site, src, tgt, scope, job string
		f                          Format
		want                       string
	}{
		{"siedlce", "pl", "it", "missing-outdated", "12", FormatXLIFF, "siedlce_pl-it_missing-outdated_2026-11-23_job-12.xlf"},
		{"seinajoki", "fi", "sv", "all", "", FormatPO, "seinajoki_fi-sv_all_2026-11-23.po"},
		{"Seinäjoki", "fi-FI", "pt_BR", "chosen entries", "", FormatXLIFF, "sein-joki_fi-fi-pt-br_chosen-entries_2026-11-23.xlf"},
		{`../../etc/"x"`, "pl", "it", "", "../1", FormatPO, "etc-x_pl-it_x_2026-11-23_job-1.po"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			if got := FileName(tt.site, tt.src, tt.tgt, tt.scope, tt.job, day, tt.f); got != tt.want {
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

// The job and each unit's base travel in the file and come back, in XLIFF (extradata and a
// phase of the tool) and PO (a header field and an extracted comment), and from a note,
// where a conversion from PO puts the comment.
func TestJobAndBaseRoundTrip(t *testing.T) {
	f := File{SourceLang: "pl", TargetLang: "it", Original: "twintowns:siedlce", Tool: "twintowns", Job: "12",
		Units: []Unit{{ID: "city/1/name", Source: "Dasing", Target: "Dasing", HasTarget: true, State: StateTranslated,
			Base: "abc123", Note: "Miasto: Dasing"}}}
	for name, rw := range map[string]struct {
		write func(io.Writer, File) error
		read  func(io.Reader, int64) (File, error)
	}{"xliff": {WriteXLIFF, ReadXLIFF}, "po": {WritePO, ReadPO}} {
		t.Run(name, func(t *testing.T) {
			var b bytes.Buffer
			if err := rw.write(&b, f); err != nil {
				t.Fatal(err)
			}
			got, err := rw.read(&b, 1<<20)
			if err != nil {
				t.Fatal(err)
			}
			if got.Job != "12" || got.Units[0].Base != "abc123" || got.Units[0].Note != "Miasto: Dasing" {
				t.Errorf("job %q base %q note %q", got.Job, got.Units[0].Base, got.Units[0].Note)
			}
		})
	}
	xlf := `<xliff xmlns="urn:oasis:names:tc:xliff:document:1.2" version="1.2"><file original="x" source-language="pl" target-language="it" datatype="plaintext"><body>
		<trans-unit id="a"><source>A</source><target>B</target><note from="developer">Miasto
twintowns:job=7;base=ff00</note></trans-unit></body></file></xliff>`
	got, err := ReadXLIFF(strings.NewReader(xlf), 1<<20)
	if err != nil || got.Job != "7" || got.Units[0].Base != "ff00" || got.Units[0].Note != "Miasto" {
		t.Errorf("from a note: %+v %v", got, err)
	}
	f.Job = "12;base=x"
	if err := WriteXLIFF(io.Discard, f); CodeOf(err) != CodeInvalid {
		t.Errorf("a job that is no id: %v", err)
	}
}

func TestWords(t *testing.T) {
	tests := map[string]int{
		"":                                0,
		"Dasing":                          1,
		"l'accordo di gemellaggio, 1998.": 4,
		"e-mail: 1,5 mln (2024) — Łódź":   5,
		"Siedlce i Dasing":                3,
	}
	for s, want := range tests {
		if got := Words(s); got != want {
			t.Errorf("Words(%q) = %d, want %d", s, got, want)
		}
	}
}

package exchange

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

// poExpect is what a PO round trip keeps of f: no resname, datatype or file datatype; an
// empty target reads as none; a target reads as translated, or as needing review when it
// was written fuzzy.
func poExpect(f File) File {
	f.Tool = strings.TrimSpace(f.Tool + " " + f.ToolVersion)
	f.Datatype, f.ToolVersion, f.Date = "", "", f.Date.Truncate(time.Minute)
	if len(f.Units) == 0 {
		return f
	}
	units := make([]Unit, len(f.Units))
	for i, u := range f.Units {
		if src := splitMarkdown(u.Source); u.Datatype == DatatypeMarkdown && hasCodes(src) {
			// Markdown marks are placeholders, which Restore fills again (checked below)
			u.Source, u.Target = placeholders(src), placeholders(alike(src, splitMarkdown(u.Target)))
		}
		u.Resname, u.Datatype = "", ""
		switch {
		case !u.HasTarget || u.Target == "":
			u.Target, u.HasTarget, u.State = "", false, StateNone
		case u.State.Done() || u.State == StateNone:
			u.State = StateTranslated
		default:
			u.State = StateNeedsReviewTranslation
		}
		units[i] = u
	}
	f.Units = units
	return f
}

func TestPORoundTrip(t *testing.T) {
	tests := []struct {
		name string
		file File
	}{
		{"sample", sample()},
		{"no units", File{SourceLang: "fi", TargetLang: "sv", Original: "twintowns:seinajoki", Tool: "twintowns"}},
		{"quotes at the ends", File{SourceLang: "pl", TargetLang: "it", Original: "s", Tool: "twintowns", Units: []Unit{
			{ID: `"q"`, Source: `"a""b"`, Target: `\"x\\`, HasTarget: true, State: StateTranslated},
			{ID: "n", Source: "\n\nlines\n\n", Target: "\n", HasTarget: true},
			{ID: "del", Source: "a\x7fb", Note: "#. not a comment\n\n  indented"},
		}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := WritePO(&buf, tt.file); err != nil {
				t.Fatal(err)
			}
			got, err := ReadPO(bytes.NewReader(buf.Bytes()), testLimit)
			if err != nil {
				t.Fatalf("%v\n%s", err, buf.String())
			}
			want := Clean(poExpect(tt.file)) // what is read is cleaned
			if !reflect.DeepEqual(got, want) {
				t.Errorf("round trip\n got %#v\nwant %#v\n%s", got, want, buf.String())
			}
			for i, u := range tt.file.Units {
				if got, err := Restore(got.Units[i].Target, u.Source); err != nil || got != u.Target && u.HasTarget {
					t.Errorf("unit %s restored as %q, %v; want %q", u.ID, got, err, u.Target)
				}
			}
		})
	}
}

// TestPOMsgfmt checks GNU gettext accepts a written file, when msgfmt is installed.
func TestPOMsgfmt(t *testing.T) {
	msgfmt, err := exec.LookPath("msgfmt")
	if err != nil {
		t.Skip("msgfmt is not installed")
	}
	var buf bytes.Buffer
	if err := WritePO(&buf, sample()); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "sample.po")
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(msgfmt, "--check", "--statistics", "-o", os.DevNull, path).CombinedOutput()
	if err != nil {
		t.Fatalf("msgfmt: %v\n%s\n%s", err, out, buf.String())
	}
	// Fuzzy: the unit needing review and the one in a user-defined state; untranslated:
	// the empty target and the missing one.
	if !strings.Contains(string(out), "1 translated message, 2 fuzzy translations, 2 untranslated messages") {
		t.Errorf("msgfmt statistics: %s", out)
	}
}

// TestReadPOWeblate reads a file as Weblate writes it back: its own header fields, a
// translator's comment, a fuzzy entry, an obsolete one, wrapped lines.
func TestReadPOWeblate(t *testing.T) {
	f, err := os.Open("testdata/weblate.po")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	got, err := ReadPO(f, testLimit)
	if err != nil {
		t.Fatal(err)
	}
	want := File{
		SourceLang: "pl", TargetLang: "it", Original: "twintowns:siedlce", Tool: "Weblate 5.8",
		Date: time.Date(2026, 11, 23, 18, 4, 0, 0, time.UTC),
		Units: []Unit{
			{ID: "city/12/name", Source: "Siedlce", Target: "Siedlce", HasTarget: true, State: StateTranslated,
				Note: "Entry Siedlce, field name\nChecked with the city office."},
			{ID: "city/12/description", Source: "**Siedlce** leży na Mazowszu.\n\nMiasto partnerskie.",
				Target: "**Siedlce** si trova in Masovia.\n\nCittà gemellata.", HasTarget: true,
				State: StateNeedsReviewTranslation, Note: "Markdown"},
			{ID: "city/12/summary", Source: "Stolica powiatu \"siedleckiego\"."},
		},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("\n got %#v\nwant %#v", got, want)
	}
}

// TestReadPOHeaderCase checks header field names are read without case, as gettext does.
func TestReadPOHeaderCase(t *testing.T) {
	in := "msgid \"\"\nmsgstr \"\"\n\"language: it\\n\"\n\"project-id-version: twintowns:siedlce\\n\"\n\"x-source-language: pl\\n\"\n\"content-type: text/plain; charset=utf-8\\n\"\n"
	f, err := ReadPO(strings.NewReader(in), testLimit)
	if err != nil {
		t.Fatal(err)
	}
	if f.TargetLang != "it" || f.SourceLang != "pl" || f.Original != "twintowns:siedlce" || len(f.Units) != 0 {
		t.Errorf("got %#v", f)
	}
}

func TestReadPORefuses(t *testing.T) {
	const header = "msgid \"\"\nmsgstr \"\"\n\"Language: it\\n\"\n\"Content-Type: text/plain; charset=UTF-8\\n\"\n\n"
	entry := func(ctx string) string {
		return fmt.Sprintf("msgctxt %q\nmsgid \"s\"\nmsgstr \"t\"\n\n", ctx)
	}
	var many strings.Builder
	many.WriteString(header)
	for i := 0; i <= MaxUnits; i++ {
		many.WriteString(entry(fmt.Sprint("u", i)))
	}
	tests := []refusal{
		{"empty", "", 0, ErrMalformed},
		{"text", "hello world\n", 0, ErrMalformed},
		{"XLIFF", `<xliff version="1.2"/>`, 0, ErrMalformed},
		{"unterminated string", header + "msgctxt \"a\nmsgid \"s\"\nmsgstr \"t\"\n", 0, ErrMalformed},
		{"text after the string", header + "msgctxt \"a\" x\nmsgid \"s\"\nmsgstr \"t\"\n", 0, ErrMalformed},
		{"bad escape", header + "msgctxt \"a\"\nmsgid \"s\\q\"\nmsgstr \"t\"\n", 0, ErrMalformed},
		{"msgstr without msgid", header + "msgctxt \"a\"\nmsgstr \"t\"\n", 0, ErrMalformed},
		{"entry without msgstr", header + "msgctxt \"a\"\nmsgid \"s\"\n\n" + entry("b"), 0, ErrMalformed},
		{"last entry without msgstr", header + "msgctxt \"a\"\nmsgid \"s\"\n", 0, ErrMalformed},
		{"string outside an entry", header + "\"stray\"\n" + entry("a"), 0, ErrMalformed},
		{"unknown keyword", header + "msgctx \"a\"\nmsgid \"s\"\nmsgstr \"t\"\n", 0, ErrMalformed},
		{"two headers", header + header, 0, ErrMalformed},
		{"no msgctxt", header + "msgid \"s\"\nmsgstr \"t\"\n", 0, ErrEmptyID},
		{"empty msgctxt", header + entry(""), 0, ErrEmptyID},
		{"duplicate msgctxt", header + entry("city/1/name") + entry("city/1/name"), 0, ErrDuplicateID},
		{"empty msgid", header + "msgctxt \"a\"\nmsgid \"\"\nmsgstr \"t\"\n", 0, ErrInvalid},
		{"plural", header + "msgctxt \"a\"\nmsgid \"s\"\nmsgid_plural \"ss\"\nmsgstr[0] \"t\"\n", 0, ErrInvalid},
		{"too many units", many.String(), int64(many.Len()), ErrTooManyUnits},
		{"too large", header + entry("a"), 50, ErrTooLarge},
		{"Latin-1 header", strings.Replace(header, "UTF-8", "ISO-8859-2", 1) + entry("a"), 0, ErrEncoding},
		{"invalid UTF-8", header + "msgctxt \"a\"\nmsgid \"\xff\"\nmsgstr \"t\"\n", 0, ErrEncoding},
		{"UTF-16", "\xff\xfem\x00s\x00g\x00", 0, ErrEncoding},
	}
	checkRefusals(t, ReadPO, tests)
}

func TestSameEnds(t *testing.T) {
	tests := []struct{ source, target, want string }{
		{"a\n", "b", "b\n"},
		{"a", "b\n\n", "b"},
		{"\na", "b", "\nb"},
		{"a", "\n\nb", "b"},
		{"a\n", "b\n", "b\n"},
		{"a", "", ""},
	}
	for _, tc := range tests {
		if got := sameEnds(tc.source, tc.target); got != tc.want {
			t.Errorf("sameEnds(%q, %q) = %q, want %q", tc.source, tc.target, got, tc.want)
		}
	}
}

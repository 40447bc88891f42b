// Package exchange reads and writes the files a site exchanges with translation agencies and
// their tools: XLIFF 1.2 for CAT tools (memoQ, Trados, Phrase, Okapi) and gettext PO for
// open-source tools such as Weblate. It knows nothing of sites or entries: the caller turns
// its translatable fields into Units and back.
package exchange

import (
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// MaxUnits is the most units a file read may hold; more is refused with CodeTooManyUnits.
// A whole demo site has a few hundred translatable fields.
const MaxUnits = 20000

// File is one exchange file: the units of one site from one language into another.
type File struct {
	SourceLang string // BCP 47, as the site knows it: "pl"
	TargetLang string
	Original   string // which site the units belong to: "twintowns:siedlce"
	// Datatype is the XLIFF datatype of the file; "" writes DatatypePlaintext. Units whose
	// text is Markdown say so in Unit.Datatype.
	Datatype    string
	Tool        string // the program that wrote the file, e.g. "twintowns"
	ToolVersion string
	Date        time.Time // when the file was written; zero when the file does not say
	// Job is the translation job the file belongs to, "" for none: in XLIFF the job-id of a
	// <phase> of the tool (and each unit's extradata), in PO a header field (and each entry's
	// metadata comment).
	Job string
	// CodesNote is, in PO, a note for the units whose Markdown marks are placeholders: how to
	// keep them, in the translator's language. XLIFF needs none: tools show inline codes.
	CodesNote string
	Units     []Unit
}

// Unit is one translatable field.
type Unit struct {
	ID string // stable key the caller can resolve, e.g. "city/12/description"
	// Resname is a readable key CAT tools show beside the text, e.g. "Siedlce: Description".
	Resname string
	// Datatype overrides File.Datatype for this unit, e.g. DatatypeMarkdown.
	Datatype string
	Source   string
	Target   string
	// HasTarget tells an empty translation (<target/>) from none. PO cannot tell them
	// apart: an empty msgstr reads as no target.
	HasTarget bool
	State     State // of the target; not written without one
	// Approved is XLIFF's approved="yes": the target is a finished translation, whatever its
	// state says (translate-toolkit, pocount and CAT tools count only approved units as done).
	// PO has no such mark: a translated entry that is not fuzzy reads as StateTranslated.
	Approved bool
	// Note is context for the translator: which entry, which field, where it shows.
	Note string
	// Previous is, for a target out of date, the source it was translated from: XLIFF
	// <alt-trans alttranstype="previous-version">, PO "#| msgid". Written only.
	Previous string
	// Matches are translations of the same or a similar source from the site's memory: XLIFF
	// <alt-trans> proposals with their match-quality. Written only, in XLIFF only.
	Matches []Match
	// MaxWidth is the most characters the target may have: XLIFF maxwidth with
	// size-unit="char", PO the flag max-length (Weblate's). 0 for no limit. Written only.
	MaxWidth int
	// Problem, when reading, is what keeps the target's inline codes from being put back
	// (a code the source lacks, written twice, half a pair): the unit is read, its target is
	// not to be imported.
	Problem *CodeError
	// Base identifies the target the unit was exported with (a hash the caller makes), so an
	// import can tell what the file changed from what changed in the product since. It travels
	// with the job id as the unit's metadata: XLIFF extradata, a PO extracted comment.
	Base string
}

// Match is a proposal of a translation memory: a source, its translation, and how much the
// source is like the unit's, in percent.
type Match struct {
	Source, Target string
	Quality        int
}

// metaPrefix starts the metadata of a unit (see Unit.Base): "twintowns:job=12;base=1a2b".
const metaPrefix = "twintowns:"

// meta is the metadata of a unit of a file of job, "" when there is none.
func meta(job, base string) string {
	if job == "" && base == "" {
		return ""
	}
	return metaPrefix + "job=" + job + ";base=" + base
}

// parseMeta reads what meta wrote; ok is false for anything else.
func parseMeta(s string) (job, base string, ok bool) {
	rest, ok := strings.CutPrefix(strings.TrimSpace(s), metaPrefix)
	if !ok {
		return "", "", false
	}
	for _, kv := range strings.Split(rest, ";") {
		k, v, _ := strings.Cut(kv, "=")
		switch k {
		case "job":
			job = v
		case "base":
			base = v
		}
	}
	return job, base, true
}

// Datatype values for XLIFF 1.2 <file> and <trans-unit>. The specification lists the
// values it knows and allows others prefixed "x-"; Markdown is not among those it knows.
const (
	DatatypePlaintext = "plaintext"  // text with no markup (names, short fields)
	DatatypeMarkdown  = "x-markdown" // text whose Markdown marks the translator keeps
)

// State is the XLIFF 1.2 state of a target.
type State string

// The values of the XLIFF 1.2 state attribute (specification, section 4.3 "state").
const (
	StateNone                   State = "" // no state given
	StateNew                    State = "new"
	StateNeedsTranslation       State = "needs-translation"
	StateNeedsAdaptation        State = "needs-adaptation"
	StateNeedsL10n              State = "needs-l10n"
	StateNeedsReviewTranslation State = "needs-review-translation"
	StateNeedsReviewAdaptation  State = "needs-review-adaptation"
	StateNeedsReviewL10n        State = "needs-review-l10n"
	StateTranslated             State = "translated"
	StateSignedOff              State = "signed-off"
	StateFinal                  State = "final"
)

// States is the list of values the XLIFF 1.2 specification defines for state.
var States = []State{
	StateNew, StateNeedsTranslation, StateNeedsAdaptation, StateNeedsL10n,
	StateNeedsReviewTranslation, StateNeedsReviewAdaptation, StateNeedsReviewL10n,
	StateTranslated, StateSignedOff, StateFinal,
}

// Valid reports whether s may be written: none, one of States, or a user-defined "x-" value.
func (s State) Valid() bool {
	if s == StateNone {
		return true
	}
	for _, v := range States {
		if s == v {
			return true
		}
	}
	return isXTend(string(s))
}

// Unfinished reports whether a target in state s is no translation yet (new, needs
// translation): it is never imported as one.
func (s State) Unfinished() bool { return s == StateNew || s == StateNeedsTranslation }

// Done reports whether a target in state s is a finished translation, one a person
// would import without asking.
func (s State) Done() bool {
	return s == StateTranslated || s == StateSignedOff || s == StateFinal
}

// isXTend reports whether v is an XLIFF 1.2 user-defined value: "x-" and no spaces.
func isXTend(v string) bool {
	return len(v) > 2 && strings.HasPrefix(v, "x-") && !strings.ContainsAny(v, " \t\r\n")
}

// Code says what is wrong with a file, so the caller can show a translated message.
type Code string

// Codes of Error.
const (
	CodeMalformed    Code = "malformed"      // not well-formed XML, or a PO file that does not parse
	CodeDoctype      Code = "doctype"        // a DOCTYPE or entity declaration (entity bombs, external entities)
	CodeEncoding     Code = "encoding"       // not UTF-8
	CodeNotXLIFF     Code = "not_xliff"      // the root element is not <xliff>
	CodeVersion      Code = "version"        // XLIFF, but not version 1.2
	CodeInvalid      Code = "invalid"        // against the format's rules: no <file>, a unit without source, plurals in PO
	CodeTooLarge     Code = "too_large"      // more bytes than the limit
	CodeTooManyUnits Code = "too_many_units" // more than MaxUnits units
	CodeEmptyID      Code = "empty_id"       // a unit without id (PO: an entry without msgctxt)
	CodeDuplicateID  Code = "duplicate_id"   // two units with one id
	CodeInlineCode   Code = "inline_code"    // an inline element whose text cannot be rebuilt (<x/>, <bx/>, <ex/>, foreign)
	CodeMixedFiles   Code = "mixed_files"    // several <file> elements for different sites or languages
	CodeInvalidChar  Code = "invalid_char"   // writing: a character XML 1.0 cannot carry, or invalid UTF-8
	CodeEmptySource  Code = "empty_source"   // writing: a unit without source text
)

// Codes lists every Code, so the caller can test it has a message for each.
var Codes = []Code{
	CodeMalformed, CodeDoctype, CodeEncoding, CodeNotXLIFF, CodeVersion, CodeInvalid,
	CodeTooLarge, CodeTooManyUnits, CodeEmptyID, CodeDuplicateID, CodeInlineCode,
	CodeMixedFiles, CodeInvalidChar, CodeEmptySource,
}

// Error is a refused file. Compare with errors.Is against the Err* values, or read Code.
type Error struct {
	Code   Code
	Unit   string // the id of the unit at fault, when there is one
	Line   int    // the line of the file, when known
	Detail string // for the log, in English
	Err    error  // the underlying error, if any
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("exchange: ")
	b.WriteString(string(e.Code))
	if e.Line > 0 {
		fmt.Fprintf(&b, " at line %d", e.Line)
	}
	if e.Unit != "" {
		fmt.Fprintf(&b, " in unit %q", e.Unit)
	}
	if e.Detail != "" {
		b.WriteString(": ")
		b.WriteString(e.Detail)
	}
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// Is makes errors.Is(err, ErrDuplicateID) true for every Error with that code.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Code == e.Code && t.Unit == "" && t.Line == 0 && t.Detail == "" && t.Err == nil
}

// Sentinels for errors.Is, one per Code.
var (
	ErrMalformed    = &Error{Code: CodeMalformed}
	ErrDoctype      = &Error{Code: CodeDoctype}
	ErrEncoding     = &Error{Code: CodeEncoding}
	ErrNotXLIFF     = &Error{Code: CodeNotXLIFF}
	ErrVersion      = &Error{Code: CodeVersion}
	ErrInvalid      = &Error{Code: CodeInvalid}
	ErrTooLarge     = &Error{Code: CodeTooLarge}
	ErrTooManyUnits = &Error{Code: CodeTooManyUnits}
	ErrEmptyID      = &Error{Code: CodeEmptyID}
	ErrDuplicateID  = &Error{Code: CodeDuplicateID}
	ErrInlineCode   = &Error{Code: CodeInlineCode}
	ErrMixedFiles   = &Error{Code: CodeMixedFiles}
	ErrInvalidChar  = &Error{Code: CodeInvalidChar}
	ErrEmptySource  = &Error{Code: CodeEmptySource}
)

// CodeOf returns the Code of the first Error in err's chain, or "" when there is none.
func CodeOf(err error) Code {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return ""
}

// check refuses what neither format can carry faithfully, before a byte is written.
func (f File) check() error {
	if f.SourceLang == "" || f.TargetLang == "" || f.Original == "" {
		return &Error{Code: CodeInvalid, Detail: "source language, target language and original are required"}
	}
	if f.Datatype != "" && !validDatatype(f.Datatype) {
		return &Error{Code: CodeInvalid, Detail: fmt.Sprintf("datatype %q", f.Datatype)}
	}
	for _, s := range []string{f.SourceLang, f.TargetLang, f.Original, f.Tool, f.ToolVersion, f.Job} {
		if !xmlText(s) {
			return &Error{Code: CodeInvalidChar, Detail: "in the file's attributes"}
		}
	}
	if !metaSafe(f.Job) {
		return &Error{Code: CodeInvalid, Detail: fmt.Sprintf("job %q", f.Job)}
	}
	seen := make(map[string]bool, len(f.Units))
	for _, u := range f.Units {
		switch {
		case u.ID == "":
			return &Error{Code: CodeEmptyID}
		case seen[u.ID]:
			return &Error{Code: CodeDuplicateID, Unit: u.ID}
		case u.Source == "":
			return &Error{Code: CodeEmptySource, Unit: u.ID}
		case !u.State.Valid():
			return &Error{Code: CodeInvalid, Unit: u.ID, Detail: fmt.Sprintf("state %q", u.State)}
		case u.Datatype != "" && !validDatatype(u.Datatype):
			return &Error{Code: CodeInvalid, Unit: u.ID, Detail: fmt.Sprintf("datatype %q", u.Datatype)}
		case !metaSafe(u.Base):
			return &Error{Code: CodeInvalid, Unit: u.ID, Detail: fmt.Sprintf("base %q", u.Base)}
		}
		seen[u.ID] = true
		texts := []string{u.ID, u.Resname, u.Source, u.Target, u.Note, u.Base, u.Previous}
		for _, m := range u.Matches {
			texts = append(texts, m.Source, m.Target)
		}
		for _, s := range texts {
			if !xmlText(s) {
				return &Error{Code: CodeInvalidChar, Unit: u.ID}
			}
		}
	}
	return nil
}

// xmlText reports whether s is valid UTF-8 made only of characters XML 1.0 allows (its
// production Char). Others cannot be written even as character references, and
// encoding/xml would silently turn them into U+FFFD.
func xmlText(s string) bool {
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			return false
		}
		if !(r == 0x09 || r == 0x0A || r == 0x0D || r >= 0x20 && r <= 0xD7FF ||
			r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= 0x10FFFF) {
			return false
		}
		i += size
	}
	return true
}

// metaSafe reports whether a job id or base can be written as metadata: ASCII letters,
// digits and hyphens.
func metaSafe(s string) bool {
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-') {
			return false
		}
	}
	return true
}

// utf8Label reports whether a charset label names UTF-8 or its subset ASCII.
func utf8Label(label string) bool {
	switch strings.ToLower(strings.TrimSpace(label)) {
	case "utf-8", "utf8", "us-ascii", "ascii":
		return true
	}
	return false
}

// datatypes are the values the XLIFF 1.2 specification lists for datatype.
var datatypes = strings.Fields(`asp c cdf cfm cpp csharp cstring csv database documentfooter
	documentheader filedialog form html htmlbody ini interleaf javaclass javapropertyresourcebundle
	javalistresourcebundle javascript jscript layout lisp margin menufile messagefile mif mimetype
	mo msglib pagefooter pageheader parameters pascal php plaintext po report resources resx rtf
	sgml sgmldtd svg vbscript warning winres xhtml xml xmlschema xsd xul`)

func validDatatype(v string) bool {
	for _, d := range datatypes {
		if v == d {
			return true
		}
	}
	return isXTend(v)
}

// SameLanguage reports whether two language tags name one language as far as an import
// is concerned: tools write "pl-PL" or "pl_PL" for a site's "pl". Tags are compared
// without case; a bare language matches any region of it, two regions must agree.
func SameLanguage(a, b string) bool {
	norm := func(s string) string { return strings.ToLower(strings.ReplaceAll(strings.TrimSpace(s), "_", "-")) }
	a, b = norm(a), norm(b)
	if a == "" || b == "" {
		return false
	}
	if a == b {
		return true
	}
	pa, _, hasA := strings.Cut(a, "-")
	pb, _, hasB := strings.Cut(b, "-")
	return pa == pb && (!hasA || !hasB)
}

// Format is a file format the package writes.
type Format string

// Formats, named by their usual file extension.
const (
	FormatXLIFF Format = "xlf"
	FormatPO    Format = "po"
)

// FileName names an export so a person can tell what it holds, e.g.
// FileName("siedlce", "pl", "it", "missing-outdated", "12", day, FormatXLIFF) is
// "siedlce_pl-it_missing-outdated_2026-11-23_job-12.xlf" (without a job, no "_job-"). Parts
// are reduced to ASCII letters, digits and hyphens so the name is safe in a
// Content-Disposition header and on any disk: pass the site's slug, not its display name.
func FileName(site, sourceLang, targetLang, scope, job string, day time.Time, f Format) string {
	name := fmt.Sprintf("%s_%s-%s_%s_%s", slug(site), slug(sourceLang), slug(targetLang),
		slug(scope), day.Format(time.DateOnly))
	if job != "" {
		name += "_job-" + slug(job)
	}
	return name + "." + slug(string(f))
}

// slug keeps ASCII letters and digits, lower-cased, and turns every other run into one hyphen.
func slug(s string) string {
	var b strings.Builder
	hyphen := false
	for _, r := range strings.ToLower(s) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
			hyphen = false
			continue
		}
		if !hyphen && b.Len() > 0 {
			b.WriteByte('-')
			hyphen = true
		}
	}
	out := strings.TrimSuffix(b.String(), "-")
	if out == "" {
		return "x"
	}
	return out
}

// Words counts the words of a text as translation agencies quote them: runs of letters and
// digits, joined by an apostrophe, a hyphen, or a point or comma between digits ("l'accordo",
// "e-mail", "1,5" are one word each); each ideograph is a word of its own.
func Words(s string) int {
	n := 0
	in := false
	rs := []rune(s)
	for i, r := range rs {
		switch {
		case unicode.Is(unicode.Han, r) || unicode.In(r, unicode.Hiragana, unicode.Katakana):
			n++
			in = false
		case unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r):
			if !in {
				n++
			}
			in = true
		case in && i+1 < len(rs) && joins(rs[i-1], r, rs[i+1]):
			// inside a word
		default:
			in = false
		}
	}
	return n
}

// joins reports whether r between prev and next keeps them one word.
func joins(prev, r, next rune) bool {
	switch r {
	case '\'', '’', '-', '‐':
		return unicode.IsLetter(prev) && unicode.IsLetter(next) || unicode.IsDigit(prev) && unicode.IsDigit(next)
	case '.', ',':
		return unicode.IsDigit(prev) && unicode.IsDigit(next)
	}
	return false
}

package exchange

import (
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Quality checks of a translation against its source, as CAT tools run them: each finding is
// a warning a person may accept, not a refusal.

// WarningKind is what a check found.
type WarningKind string

const (
	WarnNumbers  WarningKind = "numbers"  // numbers of the source missing, or others added
	WarnURLs     WarningKind = "urls"     // addresses of the source missing, or others added
	WarnMarkdown WarningKind = "markdown" // links, emphasis, lists, headings: not as many
	WarnLength   WarningKind = "length"   // longer than the field allows
	WarnGlossary WarningKind = "glossary" // a term of the glossary not translated as agreed
	WarnSpaces   WarningKind = "spaces"   // spaces at the start or end unlike the source's
)

// WarningKinds lists every kind, for messages.
var WarningKinds = []WarningKind{WarnNumbers, WarnURLs, WarnMarkdown, WarnLength, WarnGlossary, WarnSpaces}

// Warning is one finding; Detail names what differs ("1987", "https://…", a term).
type Warning struct {
	Kind   WarningKind
	Detail string
}

// Term is an entry of a glossary for one pair of languages: the source's term and the
// translation agreed for it.
type Term struct{ Source, Target string }

// CheckOptions say what a text is: Markdown or plain, its limit in characters (0 none), the
// glossary of its languages.
type CheckOptions struct {
	Markdown bool
	Max      int
	Terms    []Term
}

// Check compares a translation with its source. An empty translation is not checked.
func Check(source, target string, o CheckOptions) []Warning {
	if strings.TrimSpace(target) == "" {
		return nil
	}
	var out []Warning
	if d := differ(numbers(source), numbers(target)); d != "" {
		out = append(out, Warning{WarnNumbers, d})
	}
	if d := differ(urls(source), urls(target)); d != "" {
		out = append(out, Warning{WarnURLs, d})
	}
	if o.Markdown {
		if d := differ(structure(source), structure(target)); d != "" {
			out = append(out, Warning{WarnMarkdown, d})
		}
	}
	if o.Max > 0 && utf8.RuneCountInString(target) > o.Max {
		out = append(out, Warning{WarnLength, ""})
	}
	for _, t := range o.Terms {
		if t.Source != "" && t.Target != "" && termIn(t.Source, source) && !termIn(t.Target, target) {
			out = append(out, Warning{WarnGlossary, t.Source + " → " + t.Target})
		}
	}
	if ends(source) != ends(target) {
		out = append(out, Warning{WarnSpaces, ""})
	}
	return out
}

// number is a number as written: digits, groups of three after a space, point or comma,
// and decimals.
var number = regexp.MustCompile(`\d+(?:[.,\x{a0}\x{202f} ]\d{3})*(?:[.,]\d+)?`)

// numbers are the numbers of s without their separators, so "106 000" is "106000" and "1,5"
// is "15": languages write them differently.
func numbers(s string) []string {
	var out []string
	for _, n := range number.FindAllString(s, -1) {
		out = append(out, strings.Map(func(r rune) rune {
			if unicode.IsDigit(r) {
				return r
			}
			return -1
		}, n))
	}
	return out
}

var url = regexp.MustCompile(`https?://[^\s<>()\[\]"']+`)

// urls are the web addresses of s. Wikipedia's count as one: a translation links the
// article in its own language, under another name.
func urls(s string) []string {
	var out []string
	for _, u := range url.FindAllString(s, -1) {
		u = strings.TrimRight(u, ".,;:!?")
		if host, _, _ := strings.Cut(strings.SplitN(u, "/", 4)[2], ":"); strings.HasSuffix(strings.ToLower(host), ".wikipedia.org") {
			u = "Wikipedia"
		}
		out = append(out, u)
	}
	return out
}

// structure names the Markdown marks of s: one name per link, image, emphasis and mark alone
// (by its kind: a list item, a heading, a quote, code).
func structure(s string) []string {
	var out []string
	for _, p := range splitMarkdown(s) {
		switch p.kind {
		case pieceOpen:
			out = append(out, p.ctype)
		case pieceAlone:
			m := strings.TrimSpace(p.text)
			switch {
			case strings.HasPrefix(m, "#"):
				out = append(out, "heading")
			case strings.HasPrefix(m, ">"):
				out = append(out, "quote")
			case strings.HasPrefix(m, "`"):
				out = append(out, "code")
			case strings.HasPrefix(m, "<"):
				out = append(out, "autolink")
			default:
				out = append(out, "list")
			}
		}
	}
	return out
}

// differ says what one list has that the other has not, as many times as it occurs: ""
// when they hold the same.
func differ(a, b []string) string {
	count := map[string]int{}
	for _, x := range a {
		count[x]++
	}
	for _, x := range b {
		count[x]--
	}
	var d []string
	for x, n := range count {
		if n != 0 {
			d = append(d, x)
		}
	}
	slices.Sort(d)
	return strings.Join(d, ", ")
}

// termIn reports whether a term occurs in s, in any inflection: each word of the term as the
// start of a word of s (its last two letters free), the words in order.
func termIn(term, s string) bool {
	var parts []string
	for _, w := range strings.Fields(term) {
		r := []rune(strings.ToLower(w))
		if n := len(r) - 2; n >= 3 {
			r = r[:n]
		}
		parts = append(parts, regexp.QuoteMeta(string(r))+`\pL*`)
	}
	if len(parts) == 0 {
		return false
	}
	re, err := regexp.Compile(`(?i)(^|[^\pL])` + strings.Join(parts, `\s+`))
	return err == nil && re.MatchString(s)
}

// ends are the spaces and tabs s starts and ends with (line ends aside).
func ends(s string) [2]bool {
	s = strings.Trim(s, "\r\n")
	return [2]bool{strings.HasPrefix(s, " ") || strings.HasPrefix(s, "\t"), strings.HasSuffix(s, " ") || strings.HasSuffix(s, "\t")}
}

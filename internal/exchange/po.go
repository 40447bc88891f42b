package exchange

import (
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/leonelquinteros/gotext"
)

// PO header fields that carry the File's identity.
const (
	poProject        = "Project-Id-Version" // File.Original
	poLanguage       = "Language"           // File.TargetLang
	poSourceLanguage = "X-Source-Language"  // File.SourceLang, as Poedit writes it
	poGenerator      = "X-Generator"        // File.Tool
	poCreated        = "POT-Creation-Date"  // File.Date, to the minute
	poJob            = "X-Twintowns-Job"    // File.Job
	poDate           = "2006-01-02 15:04-0700"
)

// WritePO writes f as a gettext PO file, one entry per unit: msgctxt is the unit's id,
// msgid its source, msgstr its target, and the note an extracted comment ("#."), the
// comment gettext reserves for context given to translators. A target in a state that is
// not done is marked "#, fuzzy". Resname and Datatype are not written; an empty target
// cannot be told from none.
//
// It is written here rather than with gotext's Po.MarshalText, which sorts entries, drops
// comments and flags, and does not escape backslashes, tabs or a leading quote; ReadPO
// parses with gotext and the tests read every written file back through it.
func WritePO(w io.Writer, f File) error {
	if err := f.check(); err != nil {
		return err
	}
	header := [][2]string{
		{poProject, f.Original},
		{poCreated, ""},
		{poLanguage, f.TargetLang},
		{"MIME-Version", "1.0"},
		{"Content-Type", "text/plain; charset=UTF-8"},
		{"Content-Transfer-Encoding", "8bit"},
		{poSourceLanguage, f.SourceLang},
		{poGenerator, strings.TrimSpace(f.Tool + " " + f.ToolVersion)},
		{poJob, f.Job},
	}
	if !f.Date.IsZero() {
		header[1][1] = f.Date.UTC().Format(poDate)
	}
	var b bytes.Buffer
	b.WriteString("msgid \"\"\nmsgstr \"\"\n")
	for _, h := range header {
		if h[1] == "" {
			continue
		}
		if strings.ContainsAny(h[1], "\r\n") {
			return &Error{Code: CodeInvalid, Detail: "a line break in the PO header field " + h[0]}
		}
		b.WriteString(poQuote(h[0] + ": " + h[1] + "\n"))
		b.WriteByte('\n')
	}
	for _, u := range f.Units {
		b.WriteByte('\n')
		source, target, previous := u.Source, u.Target, u.Previous
		var codes []string
		if u.Datatype == DatatypeMarkdown {
			src := splitMarkdown(u.Source)
			if hasCodes(src) {
				source = placeholders(src)
				target = placeholders(alike(src, splitMarkdown(u.Target)))
				if previous != "" {
					previous = placeholders(alike(src, splitMarkdown(previous)))
				}
				codes = placeholderList(src)
			}
		}
		note := u.Note
		if len(codes) > 0 && f.CodesNote != "" {
			note = strings.TrimSpace(note + "\n" + f.CodesNote)
		}
		if note != "" {
			for _, l := range strings.Split(strings.ReplaceAll(note, "\r\n", "\n"), "\n") {
				b.WriteString(strings.TrimRight("#. "+strings.ReplaceAll(l, "\r", " "), " "))
				b.WriteByte('\n')
			}
		}
		if m := meta(f.Job, u.Base); m != "" {
			b.WriteString("#. " + m + "\n")
		}
		var flags []string
		if u.HasTarget && u.Target != "" && !u.State.Done() && u.State != StateNone {
			flags = append(flags, "fuzzy")
		}
		if u.MaxWidth > 0 {
			flags = append(flags, "max-length:"+strconv.Itoa(u.MaxWidth))
		}
		if len(codes) > 0 {
			flags = append(flags, "placeholders:"+strings.Join(codes, ":"))
		}
		if len(flags) > 0 {
			b.WriteString("#, " + strings.Join(flags, ", ") + "\n")
		}
		if previous != "" && u.HasTarget && u.Target != "" {
			poField(&b, "#| msgid", previous)
		}
		poField(&b, "msgctxt", u.ID)
		poField(&b, "msgid", source)
		if !u.HasTarget {
			target = ""
		}
		poField(&b, "msgstr", sameEnds(source, target))
	}
	_, err := b.WriteTo(w)
	return err
}

// sameEnds gives a translation the line breaks its source begins and ends with, as gettext
// requires of msgid and msgstr (msgfmt --check refuses a file otherwise); an import does not
// count line breaks at the ends as a change.
func sameEnds(source, target string) string {
	if target == "" {
		return ""
	}
	if strings.HasPrefix(source, "\n") != strings.HasPrefix(target, "\n") {
		if strings.HasPrefix(source, "\n") {
			target = "\n" + target
		} else {
			target = strings.TrimLeft(target, "\n")
		}
	}
	if strings.HasSuffix(source, "\n") != strings.HasSuffix(target, "\n") {
		if strings.HasSuffix(source, "\n") {
			target += "\n"
		} else {
			target = strings.TrimRight(target, "\n")
		}
	}
	return target
}

// placeholderList is the PO flag value that declares the placeholders of a text to Weblate:
// "{1}":"{/1}":"{2}".
func placeholderList(ps []piece) []string {
	var out []string
	for _, p := range ps {
		switch p.kind {
		case pieceClose:
			out = append(out, fmt.Sprintf(`"{/%d}"`, p.id))
		case pieceOpen, pieceAlone:
			out = append(out, fmt.Sprintf(`"{%d}"`, p.id))
		}
	}
	return out
}

// poField writes `keyword "value"`, splitting a value of several lines after each line
// break as gettext's tools do; a previous value ("#| msgid") has the prefix on every line.
func poField(b *bytes.Buffer, keyword, value string) {
	prefix := ""
	if p, k, ok := strings.Cut(keyword, " "); ok {
		prefix, keyword = p+" ", k
	}
	lines := strings.SplitAfter(value, "\n")
	if lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	b.WriteString(prefix + keyword + " ")
	if len(lines) > 1 {
		b.WriteString("\"\"\n")
	}
	if len(lines) == 0 {
		lines = []string{""}
	}
	for i, l := range lines {
		if i > 0 || len(lines) > 1 {
			b.WriteString(prefix)
		}
		b.WriteString(poQuote(l))
		b.WriteByte('\n')
	}
}

// poQuote quotes s with the escapes C and gettext share, so that both msgfmt and
// strconv.Unquote, which gotext uses, read it back unchanged.
func poQuote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch r {
		case '\\':
			b.WriteString(`\\`)
		case '"':
			b.WriteString(`\"`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// ReadPO reads a PO file as Weblate, Poedit or gettext's tools write it, reading at most
// limit bytes. The values are parsed by gotext; before that, every line is checked,
// because gotext skips what it does not understand, and the translator comments ("# ")
// extracted comments ("#.") and the fuzzy flag, which gotext drops, are collected.
//
// Each entry is a unit: msgctxt is its id, msgid its source, msgstr its target. A fuzzy
// entry reads as StateNeedsReviewTranslation, another with a msgstr as StateTranslated.
// Obsolete entries ("#~") are ignored. Entries without msgctxt (CodeEmptyID), with
// plural forms (CodeInvalid), repeated contexts (CodeDuplicateID), other charsets than
// UTF-8 (CodeEncoding) and lines that are not PO (CodeMalformed) are refused.
func ReadPO(r io.Reader, limit int64) (File, error) {
	lr := &limitReader{r: r, left: limit}
	data, err := io.ReadAll(lr)
	if lr.exceeded {
		return File{}, &Error{Code: CodeTooLarge}
	}
	if err != nil {
		return File{}, fmt.Errorf("exchange: reading PO: %w", err)
	}
	data = bytes.TrimPrefix(data, []byte{0xEF, 0xBB, 0xBF})
	if !utf8.Valid(data) || bytes.IndexByte(data, 0) >= 0 {
		return File{}, &Error{Code: CodeEncoding, Detail: "not UTF-8"}
	}
	data = bytes.ReplaceAll(data, []byte("\r\n"), []byte("\n"))
	entries, err := lintPO(data)
	if err != nil {
		return File{}, err
	}

	po := gotext.NewPo()
	po.Parse(data)
	f := File{
		TargetLang: po.Language,
		SourceLang: poHeader(po.Headers, poSourceLanguage),
		Original:   poHeader(po.Headers, poProject),
		Tool:       poHeader(po.Headers, poGenerator),
		Job:        poHeader(po.Headers, poJob),
	}
	if d, err := time.Parse(poDate, poHeader(po.Headers, poCreated)); err == nil {
		f.Date = d.UTC()
	}
	if ct := poHeader(po.Headers, "Content-Type"); ct != "" {
		// "CHARSET" is the placeholder of a template nobody filled in.
		if _, cs, ok := strings.Cut(strings.ToLower(ct), "charset="); ok && !utf8Label(cs) && strings.TrimSpace(cs) != "charset" {
			return File{}, &Error{Code: CodeEncoding, Detail: ct}
		}
	}
	contexts := po.GetDomain().GetCtxTranslations()
	for _, e := range entries {
		// gotext v1.7.2 also files an empty msgid under each context; lintPO refused
		// empty msgids, so the entry is the one other.
		var tr *gotext.Translation
		for id, t := range contexts[e.ctx] {
			if id == "" {
				continue
			}
			if tr != nil {
				return File{}, &Error{Code: CodeMalformed, Unit: e.ctx, Line: e.line, Detail: "entry not understood"}
			}
			tr = t
		}
		if tr == nil {
			return File{}, &Error{Code: CodeMalformed, Unit: e.ctx, Line: e.line, Detail: "entry not understood"}
		}
		u := Unit{ID: e.ctx, Source: tr.ID}
		var notes []string
		for _, n := range e.notes {
			if job, base, ok := parseMeta(n); ok {
				u.Base = base
				if f.Job == "" {
					f.Job = job
				}
				continue
			}
			notes = append(notes, n)
		}
		u.Note = strings.Join(notes, "\n")
		if tr.IsTranslated() { // Get would return the msgid of an untranslated entry
			u.Target, u.HasTarget, u.State = tr.Get(), true, StateTranslated
			if e.fuzzy {
				u.State = StateNeedsReviewTranslation
			}
		}
		f.Units = append(f.Units, u)
	}
	return Clean(f), nil
}

// poHeader returns the header field key, whose name gettext compares without case.
func poHeader(h gotext.HeaderMap, key string) string {
	for k, v := range h {
		if strings.EqualFold(k, key) && len(v) > 0 {
			return v[0]
		}
	}
	return ""
}

// poNote is the text of a comment line; a carriage return, which only a broken line end
// leaves there, becomes a space as WritePO writes it.
func poNote(s string) string {
	return strings.ReplaceAll(strings.TrimPrefix(s, " "), "\r", " ")
}

// poEntry is what lintPO learns of one entry that gotext does not keep.
type poEntry struct {
	line  int
	ctx   string
	notes []string
	fuzzy bool
}

// lintPO checks the grammar of a PO file line by line and returns its entries but the
// header. It decodes strings as gotext does (strconv.Unquote), so a string it accepts is
// one gotext reads.
func lintPO(data []byte) ([]poEntry, error) {
	const (
		idle  = iota // between entries, or in comments before one
		inCtx        // after msgctxt
		inID         // after msgid
		inStr        // after msgstr
	)
	var (
		entries []poEntry
		cur     poEntry
		hasCtx  bool
		idEmpty bool
		state   = idle
		seen    = make(map[string]bool)
		header  = false
		field   string // the field continuation lines add to
	)
	finish := func(line int) error {
		if state != inStr {
			return nil
		}
		switch {
		case !hasCtx && idEmpty:
			if header {
				return &Error{Code: CodeMalformed, Line: cur.line, Detail: "a second header"}
			}
			header = true
		case !hasCtx:
			return &Error{Code: CodeEmptyID, Line: cur.line}
		case cur.ctx == "":
			return &Error{Code: CodeEmptyID, Line: cur.line}
		case idEmpty:
			return &Error{Code: CodeInvalid, Unit: cur.ctx, Line: cur.line, Detail: "empty msgid"}
		case seen[cur.ctx]:
			return &Error{Code: CodeDuplicateID, Unit: cur.ctx, Line: cur.line}
		case len(entries) >= MaxUnits:
			return &Error{Code: CodeTooManyUnits, Line: line}
		default:
			seen[cur.ctx] = true
			entries = append(entries, cur)
		}
		cur, hasCtx, idEmpty, state = poEntry{}, false, false, idle
		return nil
	}
	malformed := func(n int, detail string) error {
		return &Error{Code: CodeMalformed, Line: n, Detail: detail}
	}
	for i, raw := range strings.Split(string(data), "\n") {
		n := i + 1
		l := strings.TrimSpace(raw)
		if l == "" {
			if state == inCtx || state == inID {
				return nil, malformed(n, "entry without msgstr")
			}
			if err := finish(n); err != nil {
				return nil, err
			}
			continue
		}
		if l[0] == '#' {
			if state == inCtx || state == inID {
				return nil, malformed(n, "comment inside an entry")
			}
			if err := finish(n); err != nil {
				return nil, err
			}
			switch {
			case strings.HasPrefix(l, "#~"), strings.HasPrefix(l, "#|"), strings.HasPrefix(l, "#:"):
			case strings.HasPrefix(l, "#,"):
				for _, flag := range strings.Split(l[2:], ",") {
					if strings.TrimSpace(flag) == "fuzzy" {
						cur.fuzzy = true
					}
				}
			case strings.HasPrefix(l, "#."):
				cur.notes = append(cur.notes, poNote(l[2:]))
			default:
				cur.notes = append(cur.notes, poNote(l[1:]))
			}
			continue
		}
		if l[0] == '"' {
			s, err := strconv.Unquote(l)
			if err != nil {
				return nil, malformed(n, "bad string")
			}
			switch {
			case state == idle:
				return nil, malformed(n, "string outside an entry")
			case field == "msgctxt":
				cur.ctx += s
			case field == "msgid" && s != "":
				idEmpty = false
			}
			continue
		}
		keyword, rest, _ := strings.Cut(l, "\"")
		keyword = strings.TrimSpace(keyword)
		s, err := strconv.Unquote("\"" + rest)
		if err != nil {
			return nil, malformed(n, "bad string after "+keyword)
		}
		switch keyword {
		case "msgctxt":
			if err := finish(n); err != nil {
				return nil, err
			}
			if state != idle {
				return nil, malformed(n, "msgctxt out of place")
			}
			if cur.line == 0 {
				cur.line = n
			}
			cur.ctx, hasCtx, state = s, true, inCtx
		case "msgid":
			if err := finish(n); err != nil {
				return nil, err
			}
			if state != idle && state != inCtx {
				return nil, malformed(n, "msgid out of place")
			}
			if cur.line == 0 {
				cur.line = n
			}
			idEmpty, state = s == "", inID
		case "msgstr":
			if state != inID {
				return nil, malformed(n, "msgstr out of place")
			}
			state = inStr
		case "msgid_plural":
			return nil, &Error{Code: CodeInvalid, Line: n, Unit: cur.ctx, Detail: "plural forms"}
		default:
			if strings.HasPrefix(keyword, "msgstr[") {
				return nil, &Error{Code: CodeInvalid, Line: n, Unit: cur.ctx, Detail: "plural forms"}
			}
			return nil, malformed(n, "unknown keyword")
		}
		field = keyword
	}
	if state == inCtx || state == inID {
		return nil, malformed(0, "the last entry has no msgstr")
	}
	if err := finish(0); err != nil {
		return nil, err
	}
	if !header && len(entries) == 0 {
		return nil, &Error{Code: CodeMalformed, Detail: "no entries"}
	}
	return entries, nil
}

package exchange

import (
	"bufio"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// Namespaces an XLIFF 1.2 file uses or CAT tools add.
const (
	NamespaceXLIFF = "urn:oasis:names:tc:xliff:document:1.2"
	namespaceXML   = "http://www.w3.org/XML/1998/namespace"
	namespaceSDL   = "http://sdl.com/FileTypes/SdlXliff/1.0" // Trados Studio
	namespaceMemoQ = "MQXliff"                               // memoQ
)

// The document written by WriteXLIFF. encoding/xml writes the xml: prefix for namespaceXML.
type (
	xliffDoc struct {
		XMLName xml.Name  `xml:"urn:oasis:names:tc:xliff:document:1.2 xliff"`
		Version string    `xml:"version,attr"`
		File    xliffFile `xml:"file"`
	}
	xliffFile struct {
		Original   string      `xml:"original,attr"`
		SourceLang string      `xml:"source-language,attr"`
		TargetLang string      `xml:"target-language,attr"`
		Datatype   string      `xml:"datatype,attr"`
		Date       string      `xml:"date,attr,omitempty"`
		ToolID     string      `xml:"tool-id,attr,omitempty"`
		Header     xliffHeader `xml:"header"`
		Body       xliffBody   `xml:"body"`
	}
	xliffBody struct {
		Units []xliffUnit `xml:"trans-unit"`
	}
	xliffHeader struct {
		Phases *xliffPhaseGroup `xml:"phase-group"`
		Tool   *xliffTool       `xml:"tool"`
	}
	xliffPhaseGroup struct {
		Phase xliffPhase `xml:"phase"`
	}
	xliffPhase struct {
		Name    string `xml:"phase-name,attr"`
		Process string `xml:"process-name,attr"`
		ToolID  string `xml:"tool-id,attr,omitempty"`
		JobID   string `xml:"job-id,attr"`
	}
	xliffTool struct {
		ID      string `xml:"tool-id,attr"`
		Name    string `xml:"tool-name,attr"`
		Version string `xml:"tool-version,attr,omitempty"`
	}
	xliffUnit struct {
		ID       string       `xml:"id,attr"`
		Resname  string       `xml:"resname,attr,omitempty"`
		Datatype string       `xml:"datatype,attr,omitempty"`
		Extra    string       `xml:"extradata,attr,omitempty"`
		Approved string       `xml:"approved,attr,omitempty"`
		MaxWidth string       `xml:"maxwidth,attr,omitempty"`
		SizeUnit string       `xml:"size-unit,attr,omitempty"`
		Space    string       `xml:"http://www.w3.org/XML/1998/namespace space,attr"`
		Source   xliffText    `xml:"source"`
		Target   *xliffTarget `xml:"target"`
		Alts     []xliffAlt   `xml:"alt-trans"`
		Note     *xliffNote   `xml:"note"`
	}
	xliffText struct {
		Lang  string `xml:"http://www.w3.org/XML/1998/namespace lang,attr"`
		Space string `xml:"http://www.w3.org/XML/1998/namespace space,attr"`
		Text  string `xml:",innerxml"` // escaped by escapeText
	}
	xliffTarget struct {
		State string `xml:"state,attr,omitempty"`
		xliffText
	}
	xliffAlt struct {
		MatchQuality string    `xml:"match-quality,attr,omitempty"`
		Origin       string    `xml:"origin,attr,omitempty"`
		Type         string    `xml:"alttranstype,attr,omitempty"`
		Source       xliffText `xml:"source"`
		Target       xliffText `xml:"target"`
	}
	xliffNote struct {
		From string `xml:"from,attr,omitempty"`
		Text string `xml:",innerxml"` // escaped by escapeText
	}
)

// WriteXLIFF writes f as one XLIFF 1.2 <file>. Every unit keeps its text exactly
// (xml:space="preserve": line breaks, leading and trailing spaces, Markdown); text XML 1.0
// cannot carry is refused with CodeInvalidChar rather than altered. Nothing is written when
// f is refused.
func WriteXLIFF(w io.Writer, f File) error {
	if err := f.check(); err != nil {
		return err
	}
	doc := xliffDoc{Version: "1.2", File: xliffFile{
		Original:   f.Original,
		SourceLang: f.SourceLang,
		TargetLang: f.TargetLang,
		Datatype:   f.Datatype,
	}}
	if doc.File.Datatype == "" {
		doc.File.Datatype = DatatypePlaintext
	}
	if !f.Date.IsZero() {
		doc.File.Date = f.Date.UTC().Format(time.RFC3339)
	}
	if f.Tool != "" {
		doc.File.ToolID = f.Tool
		doc.File.Header.Tool = &xliffTool{ID: f.Tool, Name: f.Tool, Version: f.ToolVersion}
	}
	if f.Job != "" {
		doc.File.Header.Phases = &xliffPhaseGroup{Phase: xliffPhase{Name: "job-" + f.Job, Process: "translation",
			ToolID: f.Tool, JobID: f.Job}}
	}
	doc.File.Body.Units = make([]xliffUnit, len(f.Units))
	for i, u := range f.Units {
		source, target := escapeText(u.Source), escapeText(u.Target)
		if u.Datatype == DatatypeMarkdown || u.Datatype == "" && f.Datatype == DatatypeMarkdown {
			src := splitMarkdown(u.Source)
			source, target = inlineCodes(src), inlineCodes(alike(src, splitMarkdown(u.Target)))
		}
		x := xliffUnit{
			ID: u.ID, Resname: u.Resname, Datatype: u.Datatype, Space: "preserve", Extra: meta(f.Job, u.Base),
			Source: xliffText{Lang: f.SourceLang, Space: "preserve", Text: source},
		}
		if u.MaxWidth > 0 {
			x.MaxWidth, x.SizeUnit = strconv.Itoa(u.MaxWidth), "char"
		}
		if u.Approved && u.HasTarget {
			x.Approved = "yes"
		}
		if u.HasTarget {
			x.Target = &xliffTarget{State: string(u.State),
				xliffText: xliffText{Lang: f.TargetLang, Space: "preserve", Text: target}}
		}
		if u.Previous != "" && u.HasTarget {
			x.Alts = append(x.Alts, xliffAlt{Type: "previous-version", Origin: f.Tool,
				Source: xliffText{Lang: f.SourceLang, Space: "preserve", Text: escapeText(u.Previous)},
				Target: xliffText{Lang: f.TargetLang, Space: "preserve", Text: escapeText(u.Target)}})
		}
		for _, m := range u.Matches {
			x.Alts = append(x.Alts, xliffAlt{MatchQuality: strconv.Itoa(m.Quality), Origin: "translation-memory",
				Source: xliffText{Lang: f.SourceLang, Space: "preserve", Text: escapeText(m.Source)},
				Target: xliffText{Lang: f.TargetLang, Space: "preserve", Text: escapeText(m.Target)}})
		}
		if u.Note != "" {
			x.Note = &xliffNote{From: f.Tool, Text: escapeText(u.Note)}
		}
		doc.File.Body.Units[i] = x
	}
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	enc := xml.NewEncoder(&buf)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("exchange: encoding XLIFF: %w", err)
	}
	buf.WriteByte('\n')
	_, err := buf.WriteTo(w)
	return err
}

// textEscaper escapes element content. Unlike xml.EscapeText it leaves line breaks, tabs
// and quotes as they are, so a translator reading the file sees the text's lines; only a
// carriage return needs a reference, as XML parsers turn a literal one into a line feed.
var textEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", "\r", "&#xD;")

// inlineCodes writes Markdown pieces as XLIFF content: text escaped, a pair as <bpt>/<ept>
// and a mark alone as <ph>, each holding its mark.
func inlineCodes(ps []piece) string {
	var b strings.Builder
	for _, p := range ps {
		switch p.kind {
		case pieceText:
			b.WriteString(escapeText(p.text))
		case pieceOpen:
			fmt.Fprintf(&b, `<bpt id="%d" ctype="%s">%s</bpt>`, p.id, p.ctype, escapeText(p.text))
		case pieceClose:
			fmt.Fprintf(&b, `<ept id="%d">%s</ept>`, p.id, escapeText(p.text))
		case pieceAlone:
			fmt.Fprintf(&b, `<ph id="%d" ctype="x-markdown">%s</ph>`, p.id, escapeText(p.text))
		}
	}
	return b.String()
}

// escapeText escapes s, which File.check found to be made of XML characters only.
func escapeText(s string) string { return textEscaper.Replace(s) }

// ReadXLIFF reads an XLIFF 1.2 file as CAT tools write it back, reading at most limit bytes.
//
// It accepts other namespaces and their elements and attributes (sdl:, mq:, okp:, its:),
// <group> nesting, a UTF-8 byte order mark, CRLF line ends, and several <file> elements
// when they agree on original and languages (their units are merged). It ignores <header>,
// <alt-trans> (proposals, not the translation) and <seg-source>.
//
// Text is the text content of <source> and <target>. Inside them:
//   - <mrk> (Trados segmentation, mtype="seg", and other marks) and <g> keep their text;
//     the text between segments is kept too, so segments join as they were split;
//     Trados' tracked changes are accepted: <mrk mtype="x-sdl-deleted"> is dropped;
//   - <ph>, <bpt>, <ept>, <it> hold the original code a tool protected; it is put back;
//   - <sub> keeps its text, as part of its code;
//   - <x/>, <bx/>, <ex/> and elements of other namespaces carry no text to put back and
//     are refused with CodeInlineCode.
//
// Where xml:space="preserve" holds (on the element or inherited) text is kept exactly;
// otherwise whitespace at both ends is trimmed, as tools that pretty-print add it.
// A target's state is its state attribute; without one, Trados' sdl:seg conf or memoQ's
// mq:status is mapped to the nearest XLIFF state. The unit's approved="yes" is read into
// Unit.Approved (and written for finished targets, for tools that count by it).
//
// A DOCTYPE is refused outright (CodeDoctype), before any entity could be expanded.
func ReadXLIFF(r io.Reader, limit int64) (File, error) {
	lr := &limitReader{r: r, left: limit}
	br := bufio.NewReader(lr)
	if err := skipBOM(br); err != nil {
		return File{}, err
	}
	p := xliffReader{
		dec:   xml.NewDecoder(br),
		ids:   make(map[string]bool),
		limit: lr,
	}
	p.dec.CharsetReader = func(label string, in io.Reader) (io.Reader, error) {
		if utf8Label(label) {
			return in, nil
		}
		p.badCharset = label
		return nil, errors.New("not UTF-8")
	}
	f, err := p.read()
	if err != nil {
		return File{}, p.classify(err)
	}
	return Clean(f), nil
}

// limitReader fails once more than left bytes were read, so a large upload is refused
// while it is read, not after.
type limitReader struct {
	r        io.Reader
	left     int64
	exceeded bool
}

var errLimit = errors.New("limit exceeded")

func (l *limitReader) Read(p []byte) (int, error) {
	if l.left < 0 {
		l.exceeded = true
		return 0, errLimit
	}
	// Read one byte past the limit, to know it was passed; mind left+1 overflowing.
	if most := l.left + 1; most > 0 && int64(len(p)) > most {
		p = p[:most]
	}
	n, err := l.r.Read(p)
	l.left -= int64(n)
	if l.left < 0 {
		l.exceeded = true
		return n, errLimit
	}
	return n, err
}

// skipBOM drops a UTF-8 byte order mark and refuses UTF-16 and UTF-32 ones.
func skipBOM(br *bufio.Reader) error {
	b, _ := br.Peek(3)
	switch {
	case bytes.HasPrefix(b, []byte{0xEF, 0xBB, 0xBF}):
		_, _ = br.Discard(3)
	case bytes.HasPrefix(b, []byte{0xFE, 0xFF}), bytes.HasPrefix(b, []byte{0xFF, 0xFE}),
		bytes.HasPrefix(b, []byte{0, 0}):
		return &Error{Code: CodeEncoding, Detail: "UTF-16 or UTF-32"}
	}
	return nil
}

// xliffReader walks the tokens of one document without recursion, so nesting depth
// costs no stack.
type xliffReader struct {
	dec        *xml.Decoder
	limit      *limitReader
	badCharset string
	rooted     bool
	ns         string // the namespace of the document's XLIFF elements
	ids        map[string]bool
	stack      []frame
	file       File
	files      int
	unit       *unitState
}

// frame is one open element.
type frame struct {
	name     xml.Name
	preserve bool // xml:space="preserve" holds here
	skip     bool // inside an element whose content is ignored
	// an inline code: in a source, the code whose text this element holds ("open", "close" or
	// "alone", and its id); in a target, the placeholder its end writes (<g>).
	codeRole, codeID, endText string
	codeText                  string
}

// unitState collects one <trans-unit>.
type unitState struct {
	Unit
	depth      int // stack depth of the <trans-unit>
	hasSource  bool
	textDepth  int    // stack depth of the <source> or <target> being read, 0 if none
	textField  string // "source" or "target"
	text       strings.Builder
	preserve   bool
	notes      []string
	noteDepth  int
	note       strings.Builder
	sdlState   State
	memoQState State
	job        string // from the unit's metadata
	// codes are the inline codes of the source by id, whose text a target's codes get back
	codes map[string]code
}

func (p *xliffReader) classify(err error) error {
	var e *Error
	switch {
	case p.limit.exceeded:
		return &Error{Code: CodeTooLarge}
	case p.badCharset != "":
		return &Error{Code: CodeEncoding, Detail: p.badCharset}
	case errors.As(err, &e):
		return err
	}
	return &Error{Code: CodeMalformed, Line: p.line(), Err: err}
}

func (p *xliffReader) read() (File, error) {
	for {
		tok, err := p.dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return File{}, err
		}
		switch t := tok.(type) {
		case xml.Directive: // <!DOCTYPE …>, with any entity declarations inside it
			return File{}, &Error{Code: CodeDoctype, Line: p.line()}
		case xml.StartElement:
			if err := p.start(t); err != nil {
				return File{}, err
			}
		case xml.EndElement:
			if err := p.end(); err != nil {
				return File{}, err
			}
		case xml.CharData:
			p.chars(t)
		}
	}
	if !p.rooted {
		return File{}, &Error{Code: CodeNotXLIFF, Detail: "no root element"}
	}
	if p.files == 0 {
		return File{}, &Error{Code: CodeInvalid, Detail: "no <file> element"}
	}
	return p.file, nil
}

// attr returns the attribute {space}local of se.
func attr(se xml.StartElement, space, local string) (string, bool) {
	for _, a := range se.Attr {
		if a.Name.Local == local && a.Name.Space == space {
			return a.Value, true
		}
	}
	return "", false
}

// line is where the decoder is, for error messages.
func (p *xliffReader) line() int {
	l, _ := p.dec.InputPos()
	return l
}

func (p *xliffReader) start(se xml.StartElement) error {
	parent := frame{}
	if n := len(p.stack); n > 0 {
		parent = p.stack[n-1]
	}
	fr := frame{name: se.Name, preserve: parent.preserve, skip: parent.skip}
	if v, ok := attr(se, namespaceXML, "space"); ok {
		fr.preserve = v == "preserve"
	}
	depth := len(p.stack) + 1
	p.stack = append(p.stack, fr)
	if fr.skip {
		return nil
	}
	if depth == 1 {
		if p.rooted {
			return &Error{Code: CodeMalformed, Line: p.line(), Detail: "a second root element"}
		}
		return p.root(se)
	}
	u := p.unit
	if u != nil && u.textDepth > 0 {
		return p.inline(se)
	}
	if se.Name.Space != p.ns {
		if u != nil && se.Name.Space == namespaceSDL && se.Name.Local == "seg" {
			u.sdlState = weaker(u.sdlState, sdlConf(se))
		}
		return nil // other namespaces: extensions, ignored with their content but for the above
	}
	parentName := parent.name.Local
	switch se.Name.Local {
	case "file":
		if parentName != "xliff" {
			break
		}
		return p.startFile(se)
	case "skl", "glossary", "reference", "tool", "alt-trans", "seg-source", "context-group", "count-group", "prop-group", "bin-unit":
		p.stack[len(p.stack)-1].skip = true
	case "phase":
		if id, _ := attr(se, "", "job-id"); id != "" && u == nil && p.file.Job == "" {
			if tool, _ := attr(se, "", "tool-id"); tool == "" || tool == p.file.Tool {
				p.file.Job = id
			}
		}
	case "trans-unit":
		return p.startUnit(se, depth)
	case "source", "target":
		if u == nil || depth != u.depth+1 {
			break
		}
		if se.Name.Local == "source" && u.hasSource || se.Name.Local == "target" && u.HasTarget {
			return &Error{Code: CodeInvalid, Unit: u.ID, Line: p.line(), Detail: "two <" + se.Name.Local + "> elements"}
		}
		if se.Name.Local == "target" {
			if !u.hasSource {
				return &Error{Code: CodeInvalid, Unit: u.ID, Line: p.line(), Detail: "<target> before <source>"}
			}
			u.HasTarget = true
			if v, ok := attr(se, "", "state"); ok {
				u.State = State(v)
			}
		} else {
			u.hasSource = true
		}
		u.textDepth, u.textField, u.preserve = depth, se.Name.Local, fr.preserve
		u.text.Reset()
	case "note":
		if u != nil && depth == u.depth+1 {
			u.noteDepth = depth
			u.note.Reset()
		}
	}
	return nil
}

func (p *xliffReader) root(se xml.StartElement) error {
	if se.Name.Local != "xliff" || se.Name.Space != NamespaceXLIFF && se.Name.Space != "" &&
		!strings.HasPrefix(se.Name.Space, "urn:oasis:names:tc:xliff:document:") {
		return &Error{Code: CodeNotXLIFF, Detail: fmt.Sprintf("root element {%s}%s", se.Name.Space, se.Name.Local)}
	}
	v, _ := attr(se, "", "version")
	if v != "1.2" || se.Name.Space != NamespaceXLIFF && se.Name.Space != "" {
		return &Error{Code: CodeVersion, Detail: fmt.Sprintf("version %q in %q", v, se.Name.Space)}
	}
	p.ns, p.rooted = se.Name.Space, true
	return nil
}

func (p *xliffReader) startFile(se xml.StartElement) error {
	original, _ := attr(se, "", "original")
	src, _ := attr(se, "", "source-language")
	tgt, _ := attr(se, "", "target-language")
	datatype, _ := attr(se, "", "datatype")
	if src == "" {
		return &Error{Code: CodeInvalid, Line: p.line(), Detail: "<file> without source-language"}
	}
	p.files++
	if p.files > 1 {
		if original != p.file.Original || src != p.file.SourceLang || tgt != p.file.TargetLang {
			return &Error{Code: CodeMixedFiles, Line: p.line(),
				Detail: fmt.Sprintf("%q %s-%s after %q %s-%s", original, src, tgt,
					p.file.Original, p.file.SourceLang, p.file.TargetLang)}
		}
		return nil
	}
	p.file.Original, p.file.SourceLang, p.file.TargetLang, p.file.Datatype = original, src, tgt, datatype
	if d, ok := attr(se, "", "date"); ok {
		if t, err := time.Parse(time.RFC3339, d); err == nil {
			p.file.Date = t
		}
	}
	p.file.Tool, _ = attr(se, "", "tool-id")
	return nil
}

func (p *xliffReader) startUnit(se xml.StartElement, depth int) error {
	if p.unit != nil || p.files == 0 {
		return &Error{Code: CodeInvalid, Line: p.line(), Detail: "<trans-unit> out of place"}
	}
	id, _ := attr(se, "", "id")
	switch {
	case id == "":
		return &Error{Code: CodeEmptyID, Line: p.line()}
	case p.ids[id]:
		return &Error{Code: CodeDuplicateID, Unit: id, Line: p.line()}
	case len(p.ids) >= MaxUnits:
		return &Error{Code: CodeTooManyUnits, Line: p.line()}
	}
	p.ids[id] = true
	p.unit = &unitState{depth: depth}
	p.unit.ID = id
	p.unit.Resname, _ = attr(se, "", "resname")
	p.unit.Datatype, _ = attr(se, "", "datatype")
	if v, _ := attr(se, "", "approved"); v == "yes" {
		p.unit.Approved = true
	}
	if extra, ok := attr(se, "", "extradata"); ok {
		p.unit.job, p.unit.Base, _ = parseMeta(extra)
	}
	if v, ok := attr(se, namespaceMemoQ, "status"); ok {
		p.unit.memoQState = memoQStatus(v)
	}
	return nil
}

// inline handles an element inside <source> or <target>. In a source, a code's text is kept
// and remembered by its id; in a target, a code with a numeric id (the ones WriteXLIFF
// writes) becomes its placeholder, {1} or {/1}, which the unit's end fills with the source's
// code of that id: the marks come back as exported, whatever the tool kept of their text.
func (p *xliffReader) inline(se xml.StartElement) error {
	fr := &p.stack[len(p.stack)-1]
	u := p.unit
	if se.Name.Space == p.ns {
		id, _ := attr(se, "", "id")
		role := ""
		switch se.Name.Local {
		case "mrk":
			if v, _ := attr(se, "", "mtype"); v == "x-sdl-deleted" {
				fr.skip = true // Trados' tracked deletion: accepted
			}
			return nil
		case "sub":
			return nil
		case "ph", "x":
			role = "alone"
		case "bpt", "bx", "g":
			role = "open"
		case "ept", "ex":
			role = "close"
		case "it":
			switch pos, _ := attr(se, "", "pos"); pos {
			case "open":
				role = "open"
			case "close":
				role = "close"
			default:
				role = "alone"
			}
		}
		empty := se.Name.Local == "x" || se.Name.Local == "bx" || se.Name.Local == "ex"
		switch {
		case role == "":
		case u.textField == "source" && !empty && se.Name.Local != "g":
			fr.codeRole, fr.codeID = role, id
			return nil
		case u.textField == "target" && placeholderID(id):
			ph := "{" + id + "}"
			if role == "close" {
				ph = "{/" + id + "}"
			}
			u.text.WriteString(ph)
			if se.Name.Local == "g" {
				fr.endText = "{/" + id + "}"
			} else {
				fr.skip = true // the tool's copy of the code: the source's comes back
			}
			return nil
		case !empty:
			return nil // a code of another tool: its text is kept
		}
	}
	return &Error{Code: CodeInlineCode, Unit: u.ID, Line: p.line(),
		Detail: fmt.Sprintf("<%s> in <%s>", se.Name.Local, u.textField)}
}

func (p *xliffReader) chars(c xml.CharData) {
	u := p.unit
	if u == nil || len(p.stack) > 0 && p.stack[len(p.stack)-1].skip {
		return
	}
	switch {
	case u.textDepth > 0:
		u.text.Write(c)
		for i := len(p.stack) - 1; i >= 0 && len(p.stack)-i <= 8; i-- {
			if p.stack[i].codeRole != "" {
				p.stack[i].codeText += string(c)
				break
			}
		}
	case u.noteDepth > 0:
		u.note.Write(c)
	}
}

func (p *xliffReader) end() error {
	depth := len(p.stack)
	fr := p.stack[depth-1]
	p.stack = p.stack[:depth-1]
	u := p.unit
	if u == nil {
		return nil
	}
	if fr.endText != "" {
		u.text.WriteString(fr.endText)
	}
	if fr.codeRole != "" {
		if u.codes == nil {
			u.codes = map[string]code{}
		}
		c := u.codes[fr.codeID]
		switch fr.codeRole {
		case "open":
			c.open, c.pair = fr.codeText, true
		case "close":
			c.close, c.pair = fr.codeText, true
		default:
			c.alone = fr.codeText
		}
		u.codes[fr.codeID] = c
	}
	switch depth {
	case u.textDepth:
		text := u.text.String()
		if !u.preserve {
			text = strings.TrimSpace(text)
		}
		if u.textField == "source" {
			u.Source = text
		} else {
			u.Target = text
		}
		u.textDepth = 0
	case u.noteDepth:
		u.notes = append(u.notes, strings.TrimSpace(u.note.String()))
		u.noteDepth = 0
	case u.depth:
		if !u.hasSource {
			return &Error{Code: CodeInvalid, Unit: u.ID, Line: p.line(), Detail: "<trans-unit> without <source>"}
		}
		u.Note = strings.Join(u.readMeta(u.notes), "\n")
		if u.HasTarget && len(u.codes) > 0 {
			t, err := fill(u.Target, u.codes, false)
			if ce, ok := err.(*CodeError); ok {
				u.Problem = ce
			} else {
				u.Target = t
			}
		}
		if p.file.Job == "" {
			p.file.Job = u.job
		}
		if u.State == StateNone && u.HasTarget {
			u.State = u.sdlState
			if u.State == StateNone {
				u.State = u.memoQState
			}
		}
		p.file.Units = append(p.file.Units, u.Unit)
		p.unit = nil
	}
	return nil
}

// readMeta takes the unit's metadata out of its notes, where a conversion from PO (the
// extracted comment) puts it, unless its extradata held it; it returns the other lines.
func (u *unitState) readMeta(notes []string) []string {
	var out []string
	for _, n := range notes {
		var rest []string
		for _, l := range strings.Split(n, "\n") {
			if job, base, ok := parseMeta(l); ok {
				if u.Base == "" && u.job == "" {
					u.job, u.Base = job, base
				}
				continue
			}
			rest = append(rest, l)
		}
		if len(rest) > 0 {
			out = append(out, strings.Join(rest, "\n"))
		}
	}
	return out
}

// sdlConf maps a Trados segment confirmation level to an XLIFF state.
func sdlConf(se xml.StartElement) State {
	v, _ := attr(se, "", "conf")
	switch v {
	case "Translated":
		return StateTranslated
	case "ApprovedTranslation":
		return StateSignedOff
	case "ApprovedSignOff":
		return StateFinal
	case "Draft", "RejectedSignOff":
		return StateNeedsReviewTranslation
	case "RejectedTranslation":
		return StateNeedsTranslation
	}
	return StateNew // no conf: the segment was not confirmed
}

// memoQStatus maps memoQ's mq:status to an XLIFF state.
func memoQStatus(v string) State {
	switch v {
	case "ManuallyConfirmed", "Confirmed", "ConfirmedTranslator":
		return StateTranslated
	case "Reviewer1Confirmed", "Proofread":
		return StateSignedOff
	case "Reviewer2Confirmed":
		return StateFinal
	case "PartiallyEdited", "Pretranslated", "MachineTranslated", "AssembledFromFragments", "Edited":
		return StateNeedsReviewTranslation
	case "Rejected":
		return StateNeedsTranslation
	case "NotStarted":
		return StateNew
	}
	return StateNone
}

// weaker returns the less finished of two states, for a unit of several segments: the
// unit is only as done as its least done segment. StateNone means "not seen yet".
func weaker(a, b State) State {
	if a == StateNone {
		return b
	}
	rank := func(s State) int {
		switch s {
		case StateFinal:
			return 3
		case StateSignedOff:
			return 2
		case StateTranslated:
			return 1
		}
		return 0
	}
	if rank(b) < rank(a) {
		return b
	}
	return a
}

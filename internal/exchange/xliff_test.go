package exchange

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"os"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"
)

const testLimit = 1 << 20

// sample is a file with the texts a round trip must keep: Markdown, line breaks, quotes,
// markup characters, emoji, Polish and Finnish letters, spaces at both ends, a carriage
// return, an empty target and none.
func sample() File {
	return File{
		SourceLang: "pl", TargetLang: "fi", Original: "twintowns:siedlce",
		Tool: "twintowns", ToolVersion: "1.0",
		Date: time.Date(2026, 11, 23, 18, 4, 5, 0, time.UTC),
		Units: []Unit{
			{ID: "city/12/name", Resname: "Siedlce: nazwa", Source: "Siedlce", Target: "Siedlce",
				HasTarget: true, State: StateTranslated, Note: "Entry Siedlce, field name, shown as the page title"},
			{ID: "city/12/description", Datatype: DatatypeMarkdown,
				Source:    "## Historia\n\n**Siedlce** leżą nad _Muchawką_.\n\n- Zażółć gęślą jaźń\n- [mapa](https://example.org/?a=1&b=2)\n",
				Target:    "## Historia\n\n**Siedlce** sijaitsee _Muchawka_-joen varrella.\n\n- Äiti, öljy, Å\n- [kartta](https://example.org/?a=1&b=2)\n",
				HasTarget: true, State: StateNeedsReviewTranslation, Note: "Markdown.\nTwo lines of note."},
			{ID: "city/12/summary", Source: `  "Cudzysłów" <b>nie tag</b> & ]]> 'apostrof' 🙂🇵🇱  `,
				Target: "", HasTarget: true, State: StateNeedsTranslation},
			{ID: "city/12/aims", Source: "Wymiana\r\nmłodzieży\tz tabulatorem \\ ukośnik"},
			{ID: "page/3/body", Source: "x", Target: "y", HasTarget: true, State: "x-custom"},
		},
	}
}

func TestXLIFFRoundTrip(t *testing.T) {
	tests := []struct {
		name string
		file File
	}{
		{"sample", sample()},
		{"no units", File{SourceLang: "fi", TargetLang: "sv", Original: "twintowns:seinajoki"}},
		{"markdown file", func() File { f := sample(); f.Datatype = DatatypeMarkdown; f.Tool = ""; return f }()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := WriteXLIFF(&buf, tt.file); err != nil {
				t.Fatal(err)
			}
			got, err := ReadXLIFF(&buf, testLimit)
			if err != nil {
				t.Fatalf("%v\n%s", err, buf.String())
			}
			want := tt.file
			if want.Datatype == "" {
				want.Datatype = DatatypePlaintext
			}
			want.ToolVersion = "" // read back as tool-id only
			if !reflect.DeepEqual(got, want) {
				t.Errorf("round trip\n got %#v\nwant %#v", got, want)
			}
		})
	}
}

// node is a parsed element, for checking the written document against the specification.
type node struct {
	name     xml.Name
	attr     map[xml.Name]string
	children []*node
	text     string
}

func parseTree(t *testing.T, data []byte) *node {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(data))
	var stack []*node
	var root *node
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		switch tk := tok.(type) {
		case xml.StartElement:
			n := &node{name: tk.Name, attr: map[xml.Name]string{}}
			for _, a := range tk.Attr {
				if a.Name.Space != "xmlns" && a.Name.Local != "xmlns" {
					n.attr[a.Name] = a.Value
				}
			}
			if len(stack) > 0 {
				p := stack[len(stack)-1]
				p.children = append(p.children, n)
			} else {
				root = n
			}
			stack = append(stack, n)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) > 0 {
				stack[len(stack)-1].text += string(tk)
			}
		case xml.Directive:
			t.Fatal("the written file has a DOCTYPE")
		}
	}
	return root
}

func names(ns []*node) []string {
	var out []string
	for _, n := range ns {
		out = append(out, n.name.Local)
	}
	return out
}

func a(local string) xml.Name { return xml.Name{Local: local} }

// TestXLIFFSpecification checks the rules of XLIFF 1.2 (OASIS Standard, 1 February 2008, and
// its strict schema) that a written file must follow.
func TestXLIFFSpecification(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteXLIFF(&buf, sample()); err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(buf.Bytes(), []byte(`<?xml version="1.0" encoding="UTF-8"?>`)) {
		t.Error("no XML declaration with UTF-8")
	}
	root := parseTree(t, buf.Bytes())
	xmlSpace := xml.Name{Space: namespaceXML, Local: "space"}
	inNS := func(n *node) {
		if n.name.Space != NamespaceXLIFF {
			t.Errorf("<%s> is in namespace %q", n.name.Local, n.name.Space)
		}
		if v, ok := n.attr[xmlSpace]; ok && v != "preserve" && v != "default" {
			t.Errorf("<%s> xml:space=%q", n.name.Local, v)
		}
		for name := range n.attr {
			if name.Space != "" && name.Space != namespaceXML {
				t.Errorf("<%s> has an attribute of namespace %q", n.name.Local, name.Space)
			}
		}
	}
	inNS(root)
	if root.name.Local != "xliff" || root.attr[a("version")] != "1.2" {
		t.Fatalf("root <%s version=%q>", root.name.Local, root.attr[a("version")])
	}
	if got := names(root.children); !reflect.DeepEqual(got, []string{"file"}) {
		t.Fatalf("<xliff> holds %v", got)
	}
	file := root.children[0]
	inNS(file)
	for _, req := range []string{"original", "source-language", "datatype"} {
		if file.attr[a(req)] == "" {
			t.Errorf("<file> lacks the required %s", req)
		}
	}
	if !validDatatype(file.attr[a("datatype")]) {
		t.Errorf("datatype %q", file.attr[a("datatype")])
	}
	if d := file.attr[a("date")]; d != "" {
		if _, err := time.Parse(time.RFC3339, d); err != nil {
			t.Errorf("date %q is not an xsd:dateTime: %v", d, err)
		}
	}
	if got := names(file.children); !reflect.DeepEqual(got, []string{"header", "body"}) {
		t.Fatalf("<file> holds %v, want header?, body", got)
	}
	tools := map[string]bool{}
	for _, tool := range file.children[0].children {
		inNS(tool)
		if tool.name.Local != "tool" || tool.attr[a("tool-id")] == "" || tool.attr[a("tool-name")] == "" {
			t.Errorf("header child <%s> %v", tool.name.Local, tool.attr)
		}
		tools[tool.attr[a("tool-id")]] = true
	}
	if id := file.attr[a("tool-id")]; id != "" && !tools[id] {
		t.Errorf("<file tool-id=%q> names no <tool> in the header", id)
	}
	ids := map[string]bool{}
	body := file.children[1]
	for _, tu := range body.children {
		inNS(tu)
		if tu.name.Local != "trans-unit" {
			t.Errorf("<body> holds <%s>", tu.name.Local)
			continue
		}
		id := tu.attr[a("id")]
		if id == "" || ids[id] {
			t.Errorf("trans-unit id %q is empty or repeated", id)
		}
		ids[id] = true
		if dt, ok := tu.attr[a("datatype")]; ok && !validDatatype(dt) {
			t.Errorf("unit %s: datatype %q", id, dt)
		}
		// Content model: source, target?, then alternatives and notes.
		order := strings.Join(names(tu.children), " ")
		if !regexp.MustCompile(`^source( target)?( alt-trans)*( note)?$`).MatchString(order) {
			t.Errorf("unit %s holds %q", id, order)
		}
		for _, c := range tu.children {
			inNS(c)
			for name := range c.attr {
				allowed := map[string][]string{
					"source": {"lang", "space"},
					"target": {"lang", "space", "state"},
					"note":   {"from"},
				}[c.name.Local]
				if !contains(allowed, name.Local) {
					t.Errorf("unit %s: <%s> has attribute %v", id, c.name.Local, name)
				}
			}
			if c.name.Local == "target" {
				if s, ok := c.attr[a("state")]; ok && !State(s).Valid() {
					t.Errorf("unit %s: state %q is not in the specification's list", id, s)
				}
			}
			for _, code := range c.children {
				// Markdown marks as inline codes: a pair <bpt>/<ept>, a mark alone <ph>
				inNS(code)
				if !contains([]string{"bpt", "ept", "ph"}, code.name.Local) || code.attr[a("id")] == "" || len(code.children) > 0 {
					t.Errorf("unit %s: <%s> holds <%s>", id, c.name.Local, code.name.Local)
				}
			}
		}
	}
	if len(ids) != len(sample().Units) {
		t.Errorf("%d units written, want %d", len(ids), len(sample().Units))
	}
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// TestWriteXLIFFKeepsLines checks the text is written as lines a person can read, not as
// character references, and a carriage return survives as one.
func TestWriteXLIFFKeepsLines(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteXLIFF(&buf, sample()); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{"Historia\n\n<bpt id=\"2\" ctype=\"bold\">**</bpt>Siedlce", "Wymiana&#xD;\nmłodzieży\tz", `"Cudzysłów" &lt;b&gt;nie tag&lt;/b&gt; &amp; ]]&gt;`} {
		if !strings.Contains(out, want) {
			t.Errorf("written file lacks %q", want)
		}
	}
}

func TestWriteRefuses(t *testing.T) {
	unit := func(mod func(*Unit)) File {
		f := sample()
		mod(&f.Units[0])
		return f
	}
	tests := []struct {
		name string
		file File
		want *Error
	}{
		{"empty id", unit(func(u *Unit) { u.ID = "" }), ErrEmptyID},
		{"duplicate id", unit(func(u *Unit) { u.ID = "city/12/aims" }), ErrDuplicateID},
		{"empty source", unit(func(u *Unit) { u.Source = "" }), ErrEmptySource},
		{"control character", unit(func(u *Unit) { u.Target = "bell\a" }), ErrInvalidChar},
		{"NUL", unit(func(u *Unit) { u.Source = "a\x00b" }), ErrInvalidChar},
		{"invalid UTF-8", unit(func(u *Unit) { u.Note = "\xff" }), ErrInvalidChar},
		{"U+FFFE", unit(func(u *Unit) { u.Source = "\uFFFE" }), ErrInvalidChar},
		{"state not in the specification", unit(func(u *Unit) { u.State = "done" }), ErrInvalid},
		{"datatype not in the specification", unit(func(u *Unit) { u.Datatype = "markdown" }), ErrInvalid},
		{"no original", func() File { f := sample(); f.Original = ""; return f }(), ErrInvalid},
		{"no target language", func() File { f := sample(); f.TargetLang = ""; return f }(), ErrInvalid},
	}
	for _, tt := range tests {
		for _, w := range []struct {
			format string
			write  func(io.Writer, File) error
		}{{"xliff", WriteXLIFF}, {"po", WritePO}} {
			t.Run(w.format+"/"+tt.name, func(t *testing.T) {
				var buf bytes.Buffer
				err := w.write(&buf, tt.file)
				if !errors.Is(err, tt.want) {
					t.Fatalf("got %v, want %v", err, tt.want)
				}
				if buf.Len() != 0 {
					t.Errorf("%d bytes written for a refused file", buf.Len())
				}
			})
		}
	}
}

func readFixture(t *testing.T, name string) File {
	t.Helper()
	fh, err := os.Open("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	f, err := ReadXLIFF(fh, testLimit)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return f
}

// TestReadCATTools reads files shaped as memoQ, Trados Studio and Okapi write them.
func TestReadCATTools(t *testing.T) {
	tests := []struct {
		fixture string
		file    File
	}{
		{"memoq.xlf", File{
			SourceLang: "pl", TargetLang: "it", Original: "twintowns:siedlce", Datatype: "plaintext",
			Tool: "twintowns", Date: time.Date(2026, 11, 23, 18, 0, 0, 0, time.UTC),
			Units: []Unit{
				{ID: "city/12/name", Source: "Siedlce", Target: "Siedlce", HasTarget: true,
					State: StateTranslated, Note: "Siedlce: nazwa miasta"},
				{ID: "city/12/description", Datatype: "x-markdown",
					Source:    "**Siedlce** leży na Mazowszu.\n\nMiasto partnerskie od 1998 r. & „Łódź” <3",
					Target:    "**Siedlce** si trova in Masovia.\n\nCittà gemellata dal 1998 & «Łódź» <3",
					HasTarget: true, State: StateNeedsReviewTranslation},
				{ID: "city/12/summary", Source: "Stolica powiatu.", HasTarget: true, State: StateNew},
				{ID: "city/12/aims", Source: "Wymiana młodzieży", Target: "Scambi giovanili",
					HasTarget: true, State: StateSignedOff},
			},
		}},
		{"trados.xlf", File{
			SourceLang: "pl-PL", TargetLang: "fi-FI", Original: "twintowns:siedlce", Datatype: "x-sdlfilterframework2",
			Units: []Unit{
				{ID: "city/12/description",
					Source:    "Siedlce leży na Mazowszu. Miasto liczy 77 tys. mieszkańców.",
					Target:    "Siedlce sijaitsee Masoviassa. Kaupungissa on 77 000 asukasta.",
					HasTarget: true, State: StateTranslated},
				{ID: "city/12/summary", Source: "Stolica powiatu.", Target: "Piirikunnan pääkaupunki.",
					HasTarget: true, State: StateNeedsReviewTranslation},
			},
		}},
		{"okapi.xlf", File{
			SourceLang: "fi", TargetLang: "sv", Original: "twintowns:seinajoki", Datatype: "x-markdown",
			Units: []Unit{
				{ID: "city/7/description", Resname: "Seinäjoki: Kuvaus",
					Source:    "Seinäjoki on **Etelä-Pohjanmaan** keskus. Katso [kartta](https://example.org/kartta).",
					Target:    "Seinäjoki är centrum i **Södra Österbotten**. Se [kartan](https://example.org/kartta).",
					HasTarget: true, State: StateTranslated,
					Note: "Seinäjoki, field description, shown on the city page\nKeep the Markdown."},
				{ID: "city/7/name", Source: "Seinäjoki", Target: "Östermyra", HasTarget: true,
					State: StateNeedsReviewTranslation},
				{ID: "city/7/summary", Source: "Kaupunki Etelä-Pohjanmaalla.", Target: "En stad i Södra Österbotten.",
					HasTarget: true, State: StateTranslated},
			},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.fixture, func(t *testing.T) {
			got := readFixture(t, tt.fixture)
			if !reflect.DeepEqual(got, tt.file) {
				t.Errorf("\n got %#v\nwant %#v", got, tt.file)
			}
		})
	}
}

// TestReadFilledExport is the agency's round trip: export, a CAT tool fills the targets
// (and adds its namespace, states and pretty-printing), the file is read back.
func TestReadFilledExport(t *testing.T) {
	f := sample()
	f.Units = f.Units[:3]
	f.Units[1].HasTarget = false
	var buf bytes.Buffer
	if err := WriteXLIFF(&buf, f); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	out = strings.Replace(out, `<xliff xmlns=`, `<xliff xmlns:okp="okapi-framework:xliff-extensions" xmlns=`, 1)
	out = strings.Replace(out, `<trans-unit id="city/12/description"`, `<trans-unit okp:engine="x" id="city/12/description"`, 1)
	out = strings.Replace(out, "b=2)</ept>\n</source>", "b=2)</ept>\n</source>\n        <target state=\"translated\" xml:lang=\"fi\" xml:space=\"preserve\">Historia, käännetty\n</target>", 1)
	got, err := ReadXLIFF(strings.NewReader(out), testLimit)
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	u := got.Units[1]
	if u.ID != "city/12/description" || !u.HasTarget || u.Target != "Historia, käännetty\n" || u.State != StateTranslated {
		t.Errorf("filled unit read as %#v", u)
	}
	if u.Source != f.Units[1].Source {
		t.Errorf("source changed: %q", u.Source)
	}
}

func TestReadXLIFFRefuses(t *testing.T) {
	const head = `<?xml version="1.0" encoding="UTF-8"?>` + "\n"
	doc := func(units string) string {
		return head + `<xliff xmlns="urn:oasis:names:tc:xliff:document:1.2" version="1.2">
<file original="twintowns:siedlce" source-language="pl" target-language="it" datatype="plaintext"><body>` +
			units + `</body></file></xliff>`
	}
	unit := func(id string) string {
		return fmt.Sprintf(`<trans-unit id=%q><source>s</source><target>t</target></trans-unit>`, id)
	}
	var units strings.Builder
	for i := 0; i <= MaxUnits; i++ {
		fmt.Fprintf(&units, `<trans-unit id="u%d"><source>s</source></trans-unit>`, i)
	}
	many := doc(units.String())
	tests := []refusal{
		{"empty", "", 0, ErrNotXLIFF},
		{"text", "hello", 0, ErrNotXLIFF},
		{"two roots", doc(unit("a")) + "<xliff/>", 0, ErrMalformed},
		{"unclosed", doc(`<trans-unit id="a"><source>s</source>`), 0, ErrMalformed},
		{"mismatched tags", doc(`<trans-unit id="a"><source>s</target></trans-unit>`), 0, ErrMalformed},
		{"unknown entity", doc(`<trans-unit id="a"><source>&nbsp;</source></trans-unit>`), 0, ErrMalformed},
		{"bare ampersand", doc(`<trans-unit id="a"><source>a & b</source></trans-unit>`), 0, ErrMalformed},
		{"doctype", head + `<!DOCTYPE xliff SYSTEM "xliff.dtd">` + doc(unit("a"))[len(head):], 0, ErrDoctype},
		{"html", head + `<html><body>hi</body></html>`, 0, ErrNotXLIFF},
		{"xliff in other namespace", head + `<xliff xmlns="urn:example" version="1.2"/>`, 0, ErrNotXLIFF},
		{"XLIFF 2.0", head + `<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="pl"><file id="f"/></xliff>`, 0, ErrVersion},
		{"XLIFF 1.1", head + `<xliff xmlns="urn:oasis:names:tc:xliff:document:1.1" version="1.1"/>`, 0, ErrVersion},
		{"no version", head + `<xliff xmlns="urn:oasis:names:tc:xliff:document:1.2"/>`, 0, ErrVersion},
		{"no file", head + `<xliff xmlns="urn:oasis:names:tc:xliff:document:1.2" version="1.2"/>`, 0, ErrInvalid},
		{"file without source-language", strings.Replace(doc(unit("a")), ` source-language="pl"`, "", 1), 0, ErrInvalid},
		{"unit without source", doc(`<trans-unit id="a"><target>t</target></trans-unit>`), 0, ErrInvalid},
		{"two targets", doc(`<trans-unit id="a"><source>s</source><target>t</target><target>u</target></trans-unit>`), 0, ErrInvalid},
		{"empty id", doc(unit("")), 0, ErrEmptyID},
		{"missing id", doc(`<trans-unit><source>s</source></trans-unit>`), 0, ErrEmptyID},
		{"duplicate id", doc(unit("city/1/name") + unit("city/1/name")), 0, ErrDuplicateID},
		{"duplicate id in a group", doc(unit("a") + `<group id="g">` + unit("a") + `</group>`), 0, ErrDuplicateID},
		{"too many units", many, int64(len(many)), ErrTooManyUnits},
		{"too large", doc(unit("a")), 100, ErrTooLarge},
		{"another tool's placeholder without text", doc(`<trans-unit id="a"><source>s</source><target>a<x id="pt1"/>b</target></trans-unit>`), 0, ErrInlineCode},
		{"another tool's bx", doc(`<trans-unit id="a"><source>s</source><target>a<bx id="b1"/>b</target></trans-unit>`), 0, ErrInlineCode},
		{"foreign element in target", doc(`<trans-unit id="a"><source>s</source><target xmlns:h="urn:h">a<h:b>b</h:b></target></trans-unit>`), 0, ErrInlineCode},
		{"files of two sites", strings.Replace(doc(unit("a")), "</file>", `</file><file original="twintowns:seinajoki" source-language="pl" target-language="it" datatype="plaintext"><body/></file>`, 1), 0, ErrMixedFiles},
		{"files of two languages", strings.Replace(doc(unit("a")), "</file>", `</file><file original="twintowns:siedlce" source-language="pl" target-language="fi" datatype="plaintext"><body/></file>`, 1), 0, ErrMixedFiles},
		{"Latin-1", strings.Replace(doc(unit("a")), "UTF-8", "ISO-8859-1", 1), 0, ErrEncoding},
		{"UTF-16 BOM", "\xff\xfe<\x00x\x00", 0, ErrEncoding},
	}
	checkRefusals(t, ReadXLIFF, tests)
}

// refusal is a file a reader must refuse with want; limit 0 means testLimit.
type refusal struct {
	name  string
	in    string
	limit int64
	want  *Error
}

func checkRefusals(t *testing.T, read func(io.Reader, int64) (File, error), tests []refusal) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			limit := tt.limit
			if limit == 0 {
				limit = testLimit
			}
			if _, err := read(strings.NewReader(tt.in), limit); !errors.Is(err, tt.want) {
				t.Fatalf("got %v, want %v", err, tt.want)
			}
		})
	}
}

// TestReadXLIFFMerge checks several <file> elements of one site and language are merged.
func TestReadXLIFFMerge(t *testing.T) {
	in := `<xliff xmlns="urn:oasis:names:tc:xliff:document:1.2" version="1.2">
<file original="s" source-language="pl" target-language="it" datatype="plaintext"><body><trans-unit id="a"><source>1</source></trans-unit></body></file>
<file original="s" source-language="pl" target-language="it" datatype="plaintext"><body><trans-unit id="b"><source>2</source></trans-unit></body></file>
</xliff>`
	f, err := ReadXLIFF(strings.NewReader(in), testLimit)
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Units) != 2 || f.Units[0].ID != "a" || f.Units[1].ID != "b" {
		t.Errorf("units %#v", f.Units)
	}
}

// TestReadXLIFFEntities checks entity bombs and external entities are refused before
// anything is expanded or fetched: the decoder stops at the DOCTYPE.
func TestReadXLIFFEntities(t *testing.T) {
	var laughs strings.Builder
	laughs.WriteString(`<?xml version="1.0"?>` + "\n" + `<!DOCTYPE xliff [` + "\n" + `<!ENTITY lol0 "lol">` + "\n")
	for i := 1; i <= 9; i++ {
		fmt.Fprintf(&laughs, `<!ENTITY lol%d "%s">`+"\n", i, strings.Repeat(fmt.Sprintf("&lol%d;", i-1), 10))
	}
	laughs.WriteString(`]>` + "\n" + `<xliff xmlns="urn:oasis:names:tc:xliff:document:1.2" version="1.2"><file original="s" source-language="pl" target-language="it" datatype="plaintext"><body><trans-unit id="a"><source>&lol9;</source></trans-unit></body></file></xliff>`)
	tests := []struct{ name, in string }{
		{"billion laughs", laughs.String()},
		{"external entity", `<?xml version="1.0"?>
<!DOCTYPE xliff [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<xliff xmlns="urn:oasis:names:tc:xliff:document:1.2" version="1.2"><file original="s" source-language="pl" target-language="it" datatype="plaintext"><body><trans-unit id="a"><source>&xxe;</source></trans-unit></body></file></xliff>`},
		{"parameter entity", `<?xml version="1.0"?>
<!DOCTYPE xliff [<!ENTITY % remote SYSTEM "http://127.0.0.1:1/evil.dtd"> %remote;]>
<xliff xmlns="urn:oasis:names:tc:xliff:document:1.2" version="1.2"/>`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start := time.Now()
			f, err := ReadXLIFF(strings.NewReader(tt.in), testLimit)
			if !errors.Is(err, ErrDoctype) {
				t.Fatalf("got %v, %#v; want %v", err, f, ErrDoctype)
			}
			if d := time.Since(start); d > time.Second {
				t.Errorf("refusing took %v", d)
			}
		})
	}
}

// TestReadXLIFFLimitWhileReading checks an endless upload is refused after limit bytes.
func TestReadXLIFFLimitWhileReading(t *testing.T) {
	head := `<xliff xmlns="urn:oasis:names:tc:xliff:document:1.2" version="1.2"><file original="s" source-language="pl" datatype="plaintext"><body><trans-unit id="a"><source>`
	r := &countingReader{r: io.MultiReader(strings.NewReader(head), endless{})}
	_, err := ReadXLIFF(r, 1<<16)
	if !errors.Is(err, ErrTooLarge) {
		t.Fatalf("got %v", err)
	}
	if r.n > 1<<17 {
		t.Errorf("read %d bytes for a limit of %d", r.n, 1<<16)
	}
}

// TestReadLimits checks the limit is exact for both formats, and that the largest limit
// does not overflow.
func TestReadLimits(t *testing.T) {
	var x, p bytes.Buffer
	if err := WriteXLIFF(&x, sample()); err != nil {
		t.Fatal(err)
	}
	if err := WritePO(&p, sample()); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name string
		data []byte
		read func(io.Reader, int64) (File, error)
	}{{"xliff", x.Bytes(), ReadXLIFF}, {"po", p.Bytes(), ReadPO}} {
		t.Run(tt.name, func(t *testing.T) {
			n := int64(len(tt.data))
			for _, limit := range []int64{n, n + 1, 1<<63 - 1} {
				if _, err := tt.read(bytes.NewReader(tt.data), limit); err != nil {
					t.Errorf("limit %d for %d bytes: %v", limit, n, err)
				}
			}
			for _, limit := range []int64{n - 1, 0} {
				if _, err := tt.read(bytes.NewReader(tt.data), limit); !errors.Is(err, ErrTooLarge) {
					t.Errorf("limit %d for %d bytes: %v", limit, n, err)
				}
			}
		})
	}
}

type endless struct{}

func (endless) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = 'a'
	}
	return len(p), nil
}

type countingReader struct {
	r io.Reader
	n int
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += n
	return n, err
}

// TestReadXLIFFVariants reads forms of XLIFF 1.2 tools write that the fixtures do not show.
func TestReadXLIFFVariants(t *testing.T) {
	const body = `<file original="s" source-language="pl" target-language="it" datatype="plaintext"><body><trans-unit id="a"><source>zażółć</source><target>ok</target></trans-unit></body></file>`
	tests := []struct{ name, in string }{
		{"ASCII declared", `<?xml version="1.0" encoding="US-ASCII"?><xliff xmlns="urn:oasis:names:tc:xliff:document:1.2" version="1.2">` + body + `</xliff>`},
		{"no namespace", `<xliff version="1.2">` + body + `</xliff>`},
		{"prefixed namespace", `<x:xliff xmlns:x="urn:oasis:names:tc:xliff:document:1.2" version="1.2">` + strings.NewReplacer("</", "</x:", "<", "<x:").Replace(body) + `</x:xliff>`},
		{"comments and processing instructions", `<?xml version="1.0"?><!-- exported --><?tool x?><xliff xmlns="urn:oasis:names:tc:xliff:document:1.2" version="1.2"><!-- c -->` + body + `</xliff>`},
		{"CDATA", `<xliff xmlns="urn:oasis:names:tc:xliff:document:1.2" version="1.2">` + strings.Replace(body, "<target>ok</target>", "<target><![CDATA[ok]]></target>", 1) + `</xliff>`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := ReadXLIFF(strings.NewReader(tt.in), testLimit)
			if err != nil {
				t.Fatal(err)
			}
			want := []Unit{{ID: "a", Source: "zażółć", Target: "ok", HasTarget: true}}
			if !reflect.DeepEqual(f.Units, want) || f.Original != "s" || f.TargetLang != "it" {
				t.Errorf("got %#v", f)
			}
		})
	}
}

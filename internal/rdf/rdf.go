// Package rdf is a small RDF graph written as Turtle and as JSON-LD from the same triples, so
// that the two serialisations of a description (the DCAT-AP catalogue of a site) always say
// the same thing. Standard library only.
package rdf

import (
	"encoding/json"
	"io"
	"slices"
	"strings"
)

// Term is an IRI, a blank node ("_:name") or a literal with an optional language or
// datatype (a prefixed name such as "xsd:date").
type Term struct {
	IRI      string
	Value    string
	Lang     string
	Datatype string
}

// IRI is the term of an IRI (absolute, or a prefixed name of the graph's prefixes), or of a
// blank node when it starts with "_:".
func IRI(s string) Term { return Term{IRI: s} }

// Literal is a plain string literal.
func Literal(s string) Term { return Term{Value: s} }

// LangString is a literal in a language.
func LangString(s, lang string) Term { return Term{Value: s, Lang: lang} }

// Typed is a literal of a datatype given as a prefixed name ("xsd:dateTime").
func Typed(s, datatype string) Term { return Term{Value: s, Datatype: datatype} }

// Prefix is a namespace and the short name it goes by.
type Prefix struct{ Name, IRI string }

// Graph is a set of statements about subjects, kept in the order they were made: each
// subject's statements are written together, in that order.
type Graph struct {
	Prefixes []Prefix
	subjects []string
	props    map[string][]prop
}

type prop struct {
	pred string // a prefixed name, or "a" for rdf:type
	obj  Term
}

// Add states subject pred object; pred is a prefixed name or "a".
func (g *Graph) Add(subject, pred string, object Term) {
	if g.props == nil {
		g.props = map[string][]prop{}
	}
	if _, ok := g.props[subject]; !ok {
		g.subjects = append(g.subjects, subject)
	}
	g.props[subject] = append(g.props[subject], prop{pred, object})
}

// AddAll states subject pred for each of objects.
func (g *Graph) AddAll(subject, pred string, objects ...Term) {
	for _, o := range objects {
		g.Add(subject, pred, o)
	}
}

// Len is the number of statements.
func (g *Graph) Len() int {
	n := 0
	for _, ps := range g.props {
		n += len(ps)
	}
	return n
}

// WriteTurtle writes the graph as Turtle (RDF 1.1).
func (g *Graph) WriteTurtle(w io.Writer) error {
	var b strings.Builder
	for _, p := range g.Prefixes {
		b.WriteString("@prefix " + p.Name + ": <" + escapeIRI(p.IRI) + "> .\n")
	}
	for _, s := range g.subjects {
		b.WriteString("\n" + g.node(s))
		preds := g.predicates(s)
		for i, pred := range preds {
			sep := " ;\n    "
			if i == 0 {
				sep = " "
			}
			b.WriteString(sep + pred + " ")
			for j, o := range g.objects(s, pred) {
				if j > 0 {
					b.WriteString(", ")
				}
				b.WriteString(g.turtleTerm(o))
			}
		}
		b.WriteString(" .\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// predicates are the predicates of s in the order first used.
func (g *Graph) predicates(s string) []string {
	var out []string
	for _, p := range g.props[s] {
		if !slices.Contains(out, p.pred) {
			out = append(out, p.pred)
		}
	}
	return out
}

func (g *Graph) objects(s, pred string) []Term {
	var out []Term
	for _, p := range g.props[s] {
		if p.pred == pred {
			out = append(out, p.obj)
		}
	}
	return out
}

// node is an IRI or blank node in Turtle: an IRI given as a prefixed name ("dcat:Dataset")
// stays one.
func (g *Graph) node(iri string) string {
	if strings.HasPrefix(iri, "_:") || g.prefixed(iri) {
		return iri
	}
	return "<" + escapeIRI(iri) + ">"
}

// prefixed reports whether iri is a prefixed name of one of the graph's prefixes.
func (g *Graph) prefixed(iri string) bool {
	name, local, ok := strings.Cut(iri, ":")
	if !ok || local == "" || !slices.ContainsFunc(g.Prefixes, func(p Prefix) bool { return p.Name == name }) {
		return false
	}
	for _, c := range local {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

func (g *Graph) turtleTerm(t Term) string {
	if t.IRI != "" {
		return g.node(t.IRI)
	}
	s := `"` + escapeString(t.Value) + `"`
	switch {
	case t.Lang != "":
		s += "@" + t.Lang
	case t.Datatype != "":
		s += "^^" + t.Datatype
	}
	return s
}

// escapeString escapes a Turtle string literal (STRING_LITERAL_QUOTE).
func escapeString(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`, "\r", `\r`, "\t", `\t`)
	return r.Replace(s)
}

// escapeIRI percent-encodes what Turtle does not allow in an IRI reference.
func escapeIRI(s string) string {
	var b strings.Builder
	for _, c := range []byte(s) {
		if c <= 0x20 || strings.IndexByte(`<>"{}|^`+"`\\", c) >= 0 {
			b.WriteString("%" + strings.ToUpper(hex(c)))
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

func hex(c byte) string {
	const digits = "0123456789abcdef"
	return string([]byte{digits[c>>4], digits[c&15]})
}

// WriteJSONLD writes the graph as JSON-LD 1.1: a context of the prefixes and a @graph of
// node objects, every value an object ({"@id"} or {"@value", "@language" or "@type"}).
func (g *Graph) WriteJSONLD(w io.Writer) error {
	ctx := map[string]string{}
	for _, p := range g.Prefixes {
		ctx[p.Name] = p.IRI
	}
	nodes := make([]orderedNode, 0, len(g.subjects))
	for _, s := range g.subjects {
		n := orderedNode{{"@id", s}}
		var types []string
		for _, p := range g.props[s] {
			if p.pred == "a" {
				types = append(types, p.obj.IRI)
			}
		}
		if len(types) > 0 {
			n = append(n, field{"@type", types})
		}
		for _, pred := range g.predicates(s) {
			if pred == "a" {
				continue
			}
			var vals []any
			for _, o := range g.objects(s, pred) {
				vals = append(vals, jsonTerm(o))
			}
			n = append(n, field{pred, vals})
		}
		nodes = append(nodes, n)
	}
	doc := orderedNode{{"@context", ctx}, {"@graph", nodes}}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(doc)
}

func jsonTerm(t Term) any {
	if t.IRI != "" {
		return map[string]string{"@id": t.IRI}
	}
	v := map[string]string{"@value": t.Value}
	switch {
	case t.Lang != "":
		v["@language"] = t.Lang
	case t.Datatype != "":
		v["@type"] = t.Datatype
	}
	return v
}

// orderedNode is a JSON object whose keys keep their order, for a readable document.
type orderedNode []field

type field struct {
	key string
	val any
}

func (n orderedNode) MarshalJSON() ([]byte, error) {
	var b strings.Builder
	b.WriteByte('{')
	for i, f := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		k, err := json.Marshal(f.key)
		if err != nil {
			return nil, err
		}
		v, err := json.Marshal(f.val)
		if err != nil {
			return nil, err
		}
		b.Write(k)
		b.WriteByte(':')
		b.Write(v)
	}
	b.WriteByte('}')
	return []byte(b.String()), nil
}

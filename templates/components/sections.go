package components

import (
	"bytes"
	"strconv"
	"strings"

	"github.com/gosimple/slug"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/text"
)

// Heading is a section heading of a Markdown text, for its table of contents.
type Heading struct{ ID, Text string }

// Sections is a Markdown text rendered to HTML with the headings of its sections.
type Sections struct {
	HTML     string
	Headings []Heading
}

// MarkdownSections renders Markdown as MarkdownHTML does, giving each second-level heading
// ("## Dasing") an id made of prefix and its words in ASCII ("history-dasing"), and returns
// those headings in order, for a table of contents.
func MarkdownSections(src, prefix string) Sections {
	source := []byte(src)
	doc := md.Parser().Parse(text.NewReader(source))
	var headings []Heading
	seen := map[string]int{}
	ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		h, ok := n.(*ast.Heading)
		if !entering || !ok || h.Level != 2 {
			return ast.WalkContinue, nil
		}
		words := headingText(h, source)
		id := prefix + "-" + slug.Make(words)
		if seen[id]++; seen[id] > 1 {
			id += "-" + strconv.Itoa(seen[id])
		}
		h.SetAttributeString("id", []byte(id))
		headings = append(headings, Heading{ID: id, Text: words})
		return ast.WalkSkipChildren, nil
	})
	var b bytes.Buffer
	if err := md.Renderer().Render(&b, source, doc); err != nil {
		return Sections{}
	}
	return Sections{b.String(), headings}
}

// headingText is the plain text of a heading: its text segments, without markup.
func headingText(n ast.Node, source []byte) string {
	var b strings.Builder
	ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if t, ok := c.(*ast.Text); ok && entering {
			b.Write(t.Segment.Value(source))
			if t.SoftLineBreak() {
				b.WriteByte(' ')
			}
		}
		return ast.WalkContinue, nil
	})
	return strings.TrimSpace(b.String())
}

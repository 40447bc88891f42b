package exchange

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/text"
)

// Markdown marks as inline codes. A Markdown text is cut into the words a translator
// translates and the marks they must keep: the start and end of a link, an image or an
// emphasis (a pair sharing an id), and what stands alone: list markers, heading and quote
// marks, code spans, autolinks. The text is parsed as the site renders it (goldmark,
// CommonMark), so what counts as a mark is what the page shows as one, and the pieces
// always join back to the exact text.
//
// In XLIFF the marks are <bpt>/<ept> pairs (ctype link, image, italic, bold) and <ph>, each
// holding the mark itself, which CAT tools protect. In PO, which has no inline codes, they
// are placeholders: {1} starts pair 1 and {/1} ends it, {2} is mark 2 alone; the translator
// keeps them, and an import puts the marks back from the source the unit was exported with
// (Restore).

// pieceKind is what a piece of a Markdown text is.
type pieceKind int

const (
	pieceText  pieceKind = iota // words to translate
	pieceOpen                   // the start of a pair: "[", "**"
	pieceClose                  // the end of a pair: "](https://…)", "**"
	pieceAlone                  // a mark on its own: "- ", "## ", "`code`"
)

// piece is a run of a Markdown text; codes have an id, shared by the two ends of a pair.
type piece struct {
	kind  pieceKind
	text  string
	id    int
	ctype string // of a pair: link, image, italic, bold
}

var markdown = goldmark.New()

// splitMarkdown cuts src into text and codes. Anything it cannot place with certainty stays
// text, so the pieces always join to src.
func splitMarkdown(src string) []piece {
	source := []byte(src)
	doc := markdown.Parser().Parse(text.NewReader(source))
	type span struct{ start, stop int }
	var texts []span
	type pair struct {
		open, close span
		ctype       string
	}
	var pairs []pair
	// extent is where an inline node starts and stops in src, its marks included.
	var extent func(n ast.Node) (span, bool)
	extent = func(n ast.Node) (span, bool) {
		switch v := n.(type) {
		case *ast.Text:
			return span{v.Segment.Start, v.Segment.Stop}, true
		case *ast.Emphasis, *ast.Link, *ast.Image:
			first, ok1 := extent(n.FirstChild())
			last, ok2 := extent(n.LastChild())
			if n.FirstChild() == nil || !ok1 || !ok2 {
				return span{}, false
			}
			p, ok := marks(source, n, first.start, last.stop)
			if !ok {
				return span{}, false
			}
			return span{p.open.start, p.close.stop}, true
		}
		return span{}, false
	}
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch v := n.(type) {
		case *ast.CodeSpan, *ast.AutoLink, *ast.RawHTML:
			return ast.WalkSkipChildren, nil // a mark as a whole
		case *ast.Text:
			texts = append(texts, span{v.Segment.Start, v.Segment.Stop})
		case *ast.Emphasis, *ast.Link, *ast.Image:
			if n.FirstChild() == nil {
				break
			}
			first, ok1 := extent(n.FirstChild())
			last, ok2 := extent(n.LastChild())
			if p, ok := marks(source, n, first.start, last.stop); ok && ok1 && ok2 {
				pairs = append(pairs, pair{span{p.open.start, p.open.stop}, span{p.close.start, p.close.stop}, p.ctype})
			}
		}
		return ast.WalkContinue, nil
	})
	// what starts where: text, the start or end of a pair
	type mark struct {
		stop  int
		kind  pieceKind
		pair  int
		ctype string
	}
	at := map[int]mark{}
	for _, t := range texts {
		if t.stop > t.start {
			at[t.start] = mark{stop: t.stop, kind: pieceText}
		}
	}
	for i, p := range pairs {
		if _, taken := at[p.open.start]; taken {
			return []piece{{kind: pieceText, text: src}}
		}
		at[p.open.start] = mark{stop: p.open.stop, kind: pieceOpen, pair: i, ctype: p.ctype}
		if _, taken := at[p.close.start]; taken && p.close.stop > p.close.start {
			return []piece{{kind: pieceText, text: src}}
		}
		at[p.close.start] = mark{stop: p.close.stop, kind: pieceClose, pair: i}
	}
	var out []piece
	ids := map[int]int{} // pair -> id
	next := 0
	for pos := 0; pos < len(src); {
		m, ok := at[pos]
		if ok && m.stop > pos {
			switch m.kind {
			case pieceText:
				out = append(out, piece{kind: pieceText, text: src[pos:m.stop]})
			case pieceOpen:
				next++
				ids[m.pair] = next
				out = append(out, piece{kind: pieceOpen, text: src[pos:m.stop], id: next, ctype: m.ctype})
			case pieceClose:
				id, opened := ids[m.pair]
				if !opened {
					return []piece{{kind: pieceText, text: src}}
				}
				out = append(out, piece{kind: pieceClose, text: src[pos:m.stop], id: id})
			}
			pos = m.stop
			continue
		}
		// a gap up to the next known piece: line ends and blank runs are text, the rest of each
		// line a mark of its own (a list marker with its indent, a heading mark, a code span)
		end := pos + 1
		for end < len(src) {
			if m, ok := at[end]; ok && m.stop > end {
				break
			}
			end++
		}
		for _, part := range splitLines(src[pos:end]) {
			if strings.TrimSpace(part) == "" || part == `\` {
				out = append(out, piece{kind: pieceText, text: part})
			} else {
				next++
				out = append(out, piece{kind: pieceAlone, text: part, id: next})
			}
		}
		pos = end
	}
	if joined(out) != src {
		return []piece{{kind: pieceText, text: src}}
	}
	return merge(out)
}

// marks finds the marks of an emphasis, link or image whose content runs from start to stop.
func marks(src []byte, n ast.Node, start, stop int) (struct {
	open, close struct{ start, stop int }
	ctype       string
}, bool) {
	var p struct {
		open, close struct{ start, stop int }
		ctype       string
	}
	switch v := n.(type) {
	case *ast.Emphasis:
		l := v.Level
		if start-l < 0 || stop+l > len(src) {
			return p, false
		}
		o, c := string(src[start-l:start]), string(src[stop:stop+l])
		if o != c || strings.Trim(o, "*_") != "" || o == "" {
			return p, false
		}
		p.open.start, p.open.stop, p.close.start, p.close.stop = start-l, start, stop, stop+l
		p.ctype = map[int]string{1: "italic", 2: "bold"}[l]
		if p.ctype == "" {
			return p, false
		}
	case *ast.Link, *ast.Image:
		open := "["
		p.ctype = "link"
		if _, ok := n.(*ast.Image); ok {
			open, p.ctype = "![", "image"
		}
		if start-len(open) < 0 || string(src[start-len(open):start]) != open {
			return p, false
		}
		end, ok := linkEnd(src, stop)
		if !ok {
			return p, false
		}
		p.open.start, p.open.stop, p.close.start, p.close.stop = start-len(open), start, stop, end
	default:
		return p, false
	}
	return p, true
}

// linkEnd finds the end of a link's closing mark starting at i ("](url "title")", "][ref]", "]").
func linkEnd(src []byte, i int) (int, bool) {
	if i >= len(src) || src[i] != ']' {
		return 0, false
	}
	i++
	if i >= len(src) {
		return i, true
	}
	switch src[i] {
	case '(':
		depth := 0
		for ; i < len(src); i++ {
			switch src[i] {
			case '\\':
				i++
			case '<':
				for i < len(src) && src[i] != '>' {
					i++
				}
			case '"', '\'':
				q := src[i]
				for i++; i < len(src) && src[i] != q; i++ {
					if src[i] == '\\' {
						i++
					}
				}
			case '(':
				depth++
			case ')':
				depth--
				if depth == 0 {
					return i + 1, true
				}
			}
		}
		return 0, false
	case '[':
		for j := i; j < len(src); j++ {
			if src[j] == ']' {
				return j + 1, true
			}
		}
		return 0, false
	}
	return i, true
}

// splitLines cuts s into line ends and what lies between them.
func splitLines(s string) []string {
	var out []string
	for s != "" {
		i := strings.IndexByte(s, '\n')
		switch {
		case i < 0:
			out, s = append(out, s), ""
		case i == 0:
			j := 0
			for j < len(s) && (s[j] == '\n' || s[j] == '\r') {
				j++
			}
			out, s = append(out, s[:j]), s[j:]
		default:
			out, s = append(out, s[:i]), s[i:]
		}
	}
	return out
}

// merge joins neighbouring text pieces.
func merge(ps []piece) []piece {
	var out []piece
	for _, p := range ps {
		if n := len(out); n > 0 && p.kind == pieceText && out[n-1].kind == pieceText {
			out[n-1].text += p.text
			continue
		}
		out = append(out, p)
	}
	return out
}

func joined(ps []piece) string {
	var b strings.Builder
	for _, p := range ps {
		b.WriteString(p.text)
	}
	return b.String()
}

// hasCodes reports whether any piece is a code.
func hasCodes(ps []piece) bool {
	for _, p := range ps {
		if p.kind != pieceText {
			return true
		}
	}
	return false
}

// alike gives a translation's codes the ids of the same codes of its source: a pair with the
// same marks (a link to the same address), a mark alone with the same text, in order. A code
// the source does not have stays text, so a tool shows it as the translator wrote it.
func alike(source, target []piece) []piece {
	type key struct {
		kind        pieceKind
		text, close string
	}
	closeOf := func(ps []piece, id int) string {
		for _, p := range ps {
			if p.kind == pieceClose && p.id == id {
				return p.text
			}
		}
		return ""
	}
	free := map[key][]int{}
	for _, p := range source {
		switch p.kind {
		case pieceOpen:
			k := key{pieceOpen, p.text, closeOf(source, p.id)}
			free[k] = append(free[k], p.id)
		case pieceAlone:
			k := key{pieceAlone, p.text, ""}
			free[k] = append(free[k], p.id)
		}
	}
	ids := map[int]int{} // target id -> source id
	out := make([]piece, 0, len(target))
	for _, p := range target {
		switch p.kind {
		case pieceOpen, pieceAlone:
			k := key{p.kind, p.text, ""}
			if p.kind == pieceOpen {
				k.close = closeOf(target, p.id)
			}
			if l := free[k]; len(l) > 0 {
				ids[p.id], free[k] = l[0], l[1:]
				p.id = ids[p.id]
				out = append(out, p)
				continue
			}
		case pieceClose:
			if id, ok := ids[p.id]; ok {
				p.id = id
				out = append(out, p)
				continue
			}
		}
		out = append(out, piece{kind: pieceText, text: p.text})
	}
	return merge(out)
}

// placeholders writes pieces with the PO convention: {1} and {/1} for a pair, {2} alone.
func placeholders(ps []piece) string {
	var b strings.Builder
	for _, p := range ps {
		switch p.kind {
		case pieceText:
			b.WriteString(p.text)
		case pieceClose:
			fmt.Fprintf(&b, "{/%d}", p.id)
		default:
			fmt.Fprintf(&b, "{%d}", p.id)
		}
	}
	return b.String()
}

// PlainText is a Markdown text without its marks, each replaced by a space: what a
// translator translates, for counting words.
func PlainText(src string) string {
	var b strings.Builder
	for _, p := range splitMarkdown(src) {
		if p.kind == pieceText {
			b.WriteString(p.text)
		} else {
			b.WriteByte(' ')
		}
	}
	return b.String()
}

// CodeProblem says what is wrong with the codes of a translation.
type CodeProblem string

const (
	CodeUnknown  CodeProblem = "unknown"  // a code the source does not have
	CodeTwice    CodeProblem = "twice"    // a code written twice
	CodeUnpaired CodeProblem = "unpaired" // the start of a pair without its end, or the reverse
	CodeCrossed  CodeProblem = "crossed"  // an end before its start, or pairs that cross
)

// CodeProblems lists every CodeProblem, for messages.
var CodeProblems = []CodeProblem{CodeUnknown, CodeTwice, CodeUnpaired, CodeCrossed}

// CodeError is a translation whose codes cannot be put back: Code is the code at fault as
// the translator sees it ("{2}", "{/1}").
type CodeError struct {
	Problem CodeProblem
	Code    string
}

func (e *CodeError) Error() string { return fmt.Sprintf("exchange: code %s: %s", e.Code, e.Problem) }

// code is a mark a placeholder stands for.
type code struct {
	open, close, alone string
	pair               bool
}

// codesOf are the codes of a text's pieces by id.
func codesOf(ps []piece) map[string]code {
	out := map[string]code{}
	for _, p := range ps {
		id := strconv.Itoa(p.id)
		c := out[id]
		switch p.kind {
		case pieceOpen:
			c.open, c.pair = p.text, true
		case pieceClose:
			c.close, c.pair = p.text, true
		case pieceAlone:
			c.alone = p.text
		default:
			continue
		}
		out[id] = c
	}
	return out
}

// Restore puts the marks back into a translation whose codes are placeholders ({1}, {/1},
// {2}, as PO files carry them and XLIFF inline codes read), from the Markdown source the
// unit was exported with. Each code must be the source's, at most once, a pair with both
// ends in order and not crossing another; a code may be left out. A translation without
// placeholders comes back as it is.
func Restore(target, source string) (string, error) {
	if !strings.Contains(target, "{") {
		return target, nil
	}
	return fill(target, codesOf(splitMarkdown(source)), true)
}

// fill replaces the placeholders of s by the codes; with strict, a placeholder of no code is
// an error, else it stays as it is.
func fill(s string, codes map[string]code, strict bool) (string, error) {
	var b strings.Builder
	used := map[string]bool{}
	var open []string // the pairs started and not ended, innermost last
	for s != "" {
		i := strings.IndexByte(s, '{')
		if i < 0 {
			b.WriteString(s)
			break
		}
		b.WriteString(s[:i])
		s = s[i:]
		j := strings.IndexByte(s, '}')
		if j < 0 {
			b.WriteString(s)
			break
		}
		token := s[:j+1]
		id, closing := strings.CutPrefix(token[1:j], "/")
		c, known := codes[id]
		if !known || !placeholderID(id) {
			if strict && placeholderID(id) {
				return "", &CodeError{CodeUnknown, token}
			}
			b.WriteByte('{')
			s = s[1:]
			continue
		}
		s = s[j+1:]
		key := token
		if used[key] {
			return "", &CodeError{CodeTwice, token}
		}
		used[key] = true
		switch {
		case closing && !c.pair, !closing && c.pair && c.open == "":
			return "", &CodeError{CodeUnknown, token}
		case closing:
			if len(open) == 0 || open[len(open)-1] != id {
				if slices.Contains(open, id) {
					return "", &CodeError{CodeCrossed, token}
				}
				if !used["{"+id+"}"] {
					return "", &CodeError{CodeCrossed, token}
				}
				return "", &CodeError{CodeUnpaired, token}
			}
			open = open[:len(open)-1]
			b.WriteString(c.close)
		case c.pair:
			open = append(open, id)
			b.WriteString(c.open)
		default:
			b.WriteString(c.alone)
		}
	}
	if len(open) > 0 {
		return "", &CodeError{CodeUnpaired, "{" + open[len(open)-1] + "}"}
	}
	return b.String(), nil
}

// placeholderID reports whether id is a code's number.
func placeholderID(id string) bool {
	if id == "" || len(id) > 6 {
		return false
	}
	for _, r := range id {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

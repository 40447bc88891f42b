package web

import (
	"strings"
	"unicode"

	"twintowns/templates/admin"
)

// Bounds of a word diff's cost. Texts longer than maxDiffBytes (more than any text field
// takes: twinning.MaxTextLen runes) are compared as wholes; the
// words both texts share at their start and end are matched first, and the longest common
// subsequence is computed only for the rest, when its table has at most maxDiffCells cells
// (2 bytes each: 2 MiB, a few milliseconds), else that rest is shown as replaced.
const (
	maxDiffBytes = 128 << 10
	maxDiffCells = 1 << 20
)

// wordDiff marks the words removed from a and added in b.
func wordDiff(a, b string) (old, new []admin.DiffPart) {
	if len(a) > maxDiffBytes || len(b) > maxDiffBytes {
		return []admin.DiffPart{{Text: a, Changed: true}}, []admin.DiffPart{{Text: b, Changed: true}}
	}
	wa, wb := tokens(a), tokens(b)
	pre := 0
	for pre < len(wa) && pre < len(wb) && wa[pre] == wb[pre] {
		pre++
	}
	suf := 0
	for suf < len(wa)-pre && suf < len(wb)-pre && wa[len(wa)-1-suf] == wb[len(wb)-1-suf] {
		suf++
	}
	var d differ
	for _, w := range wa[:pre] {
		d.same(w, w)
	}
	d.middle(wa[pre:len(wa)-suf], wb[pre:len(wb)-suf])
	for i := range suf {
		d.same(wa[len(wa)-suf+i], wb[len(wb)-suf+i])
	}
	return d.old.done(), d.new.done()
}

// differ collects both sides of a diff.
type differ struct{ old, new side }

func (d *differ) same(a, b string) { d.old.add(a, false); d.new.add(b, false) }

// middle diffs the words between the common start and end by their longest common
// subsequence, or marks them all changed when its table would be too big.
func (d *differ) middle(wa, wb []string) {
	n, m := len(wa), len(wb)
	if (n+1)*(m+1) > maxDiffCells {
		for _, w := range wa {
			d.old.add(w, true)
		}
		for _, w := range wb {
			d.new.add(w, true)
		}
		return
	}
	// lcs[i*(m+1)+j] is the length of the LCS of wa[i:] and wb[j:]; it is at most
	// min(n, m) <= sqrt(maxDiffCells), which fits 16 bits
	lcs := make([]uint16, (n+1)*(m+1))
	at := func(i, j int) uint16 { return lcs[i*(m+1)+j] }
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			if wa[i] == wb[j] {
				lcs[i*(m+1)+j] = at(i+1, j+1) + 1
			} else {
				lcs[i*(m+1)+j] = max(at(i+1, j), at(i, j+1))
			}
		}
	}
	i, j := 0, 0
	for i < n || j < m {
		switch {
		case i < n && j < m && wa[i] == wb[j]:
			d.same(wa[i], wb[j])
			i, j = i+1, j+1
		case j < m && (i == n || at(i, j+1) >= at(i+1, j)):
			d.new.add(wb[j], true)
			j++
		default:
			d.old.add(wa[i], true)
			i++
		}
	}
}

// side is one text of a diff: runs of unchanged and changed words, each written once into a
// builder (joining strings word by word would copy a long text once per word).
type side struct {
	parts   []admin.DiffPart
	run     strings.Builder
	changed bool // the state of run
	started bool
	lastNL  bool // the last word was a line break
}

// add appends a word, separated by a space unless it is or follows a line break.
func (s *side) add(w string, changed bool) {
	if s.started && changed != s.changed {
		s.flush()
	}
	if s.started && w != "\n" && !s.lastNL {
		s.run.WriteByte(' ')
	}
	s.run.WriteString(w)
	s.started, s.changed, s.lastNL = true, changed, w == "\n"
}

func (s *side) flush() {
	if s.run.Len() > 0 {
		s.parts = append(s.parts, admin.DiffPart{Text: s.run.String(), Changed: s.changed})
		s.run = strings.Builder{}
	}
}

func (s *side) done() []admin.DiffPart {
	s.flush()
	return s.parts
}

// tokens are the words of s, with its line breaks as tokens of their own; the words are
// counted first so that the slice is allocated once.
func tokens(s string) []string {
	n := 0
	eachToken(s, func(string) { n++ })
	out := make([]string, 0, n)
	eachToken(s, func(w string) { out = append(out, w) })
	return out
}

// eachToken calls f with every word of s (split at white space, as strings.Fields does) and
// every line break, in order.
func eachToken(s string, f func(string)) {
	start := -1
	for i, r := range s {
		switch {
		case r == '\n' || unicode.IsSpace(r):
			if start >= 0 {
				f(s[start:i])
				start = -1
			}
			if r == '\n' {
				f("\n")
			}
		case start < 0:
			start = i
		}
	}
	if start >= 0 {
		f(s[start:])
	}
}

package web

import (
	"strings"

	"twintowns/templates/admin"
)

// maxDiffWords bounds the word diff's table; longer texts are compared as wholes.
const maxDiffWords = 3000

// wordDiff marks the words removed from a and added in b (longest common subsequence).
func wordDiff(a, b string) (old, new []admin.DiffPart) {
	wa, wb := tokens(a), tokens(b)
	if len(wa) > maxDiffWords || len(wb) > maxDiffWords {
		return []admin.DiffPart{{Text: a, Changed: true}}, []admin.DiffPart{{Text: b, Changed: true}}
	}
	// lcs[i][j] is the length of the LCS of wa[i:] and wb[j:]
	lcs := make([][]int32, len(wa)+1)
	for i := range lcs {
		lcs[i] = make([]int32, len(wb)+1)
	}
	for i := len(wa) - 1; i >= 0; i-- {
		for j := len(wb) - 1; j >= 0; j-- {
			if wa[i] == wb[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	add := func(parts []admin.DiffPart, w string, changed bool) []admin.DiffPart {
		n := len(parts)
		if n > 0 && w != "\n" && !strings.HasSuffix(parts[n-1].Text, "\n") {
			w = " " + w
		}
		if n > 0 && parts[n-1].Changed == changed {
			parts[n-1].Text += w
			return parts
		}
		return append(parts, admin.DiffPart{Text: w, Changed: changed})
	}
	i, j := 0, 0
	for i < len(wa) || j < len(wb) {
		switch {
		case i < len(wa) && j < len(wb) && wa[i] == wb[j]:
			old, new = add(old, wa[i], false), add(new, wb[j], false)
			i, j = i+1, j+1
		case j < len(wb) && (i == len(wa) || lcs[i][j+1] >= lcs[i+1][j]):
			new = add(new, wb[j], true)
			j++
		default:
			old = add(old, wa[i], true)
			i++
		}
	}
	return old, new
}

// tokens are the words of s, with its line breaks as tokens of their own.
func tokens(s string) []string {
	var out []string
	for i, line := range strings.Split(s, "\n") {
		if i > 0 {
			out = append(out, "\n")
		}
		out = append(out, strings.Fields(line)...)
	}
	return out
}

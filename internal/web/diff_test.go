package web

import (
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"

	"twintowns/templates/admin"
)

func joined(parts []admin.DiffPart) (all, changed string) {
	for _, p := range parts {
		all += p.Text
		if p.Changed {
			changed += p.Text
		}
	}
	return all, changed
}

func words(n int, prefix string) string {
	w := make([]string, n)
	for i := range w {
		w[i] = fmt.Sprintf("%s%d", prefix, i)
		if i%12 == 11 {
			w[i] += "\n"
		}
	}
	return strings.Join(w, " ")
}

// Long texts cost a bounded amount of memory and time, and still show what changed.
func TestWordDiffCost(t *testing.T) {
	long := words(2700, "sana") // 2925 tokens
	edited := strings.Replace(long, "sana1500 ", "muutettu ", 1)
	big := strings.Repeat("ä ", maxDiffBytes/3+1)
	short := strings.Repeat("a ", maxDiffBytes)
	tests := []struct {
		name               string
		a, b               string
		oldWant, newWant   string
		maxBytes, maxParts int
	}{
		{"one word changed in a long text", long, edited, "sana1500", "muutettu", 1 << 20, 3},
		{"two long different texts", long, words(2700, "ord"), "sana0", "ord2699", 4 << 20, 2},
		{"nine hundred words each, all different", words(900, "a"), words(900, "b"), "a0", "b899", 4 << 20, 2000},
		{"texts at the byte bound", big[:maxDiffBytes-1] + "x", big[:maxDiffBytes-1] + "y", "x", "y", 6 << 20, 2},
		{"texts at the byte bound, all words", short[:maxDiffBytes], short[:maxDiffBytes-1] + "y", "a", "y", 6 << 20, 2},
		{"texts over the byte bound", big + "x", big + "y", "x", "y", 1 << 20, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			start := time.Now()
			old, new := wordDiff(tc.a, tc.b)
			took := time.Since(start)
			runtime.ReadMemStats(&after)
			if got := after.TotalAlloc - before.TotalAlloc; got > uint64(tc.maxBytes) {
				t.Errorf("allocated %d bytes, want at most %d", got, tc.maxBytes)
			}
			t.Logf("%d parts, %d kB allocated, %v", len(old)+len(new), (after.TotalAlloc-before.TotalAlloc)>>10, took)
			if all, changed := joined(old); all != strings.Join(strings.Fields(tc.a), " ") && !strings.Contains(tc.a, "\n") ||
				!strings.Contains(changed, tc.oldWant) {
				t.Errorf("old side changed %.60q, want it to hold %q", changed, tc.oldWant)
			}
			if _, changed := joined(new); !strings.Contains(changed, tc.newWant) {
				t.Errorf("new side changed %.60q, want it to hold %q", changed, tc.newWant)
			}
			if len(old) > tc.maxParts || len(new) > tc.maxParts {
				t.Errorf("%d and %d parts", len(old), len(new))
			}
		})
	}
}

// The words both texts share at their start and end are unchanged; the rest is diffed.
func TestWordDiffPrefixAndSuffix(t *testing.T) {
	old, new := wordDiff("a b c d e\nf g", "a b x d e\nf g h")
	if len(old) != 3 || old[0].Text != "a b" || old[1].Text != " c" || !old[1].Changed || old[2].Text != " d e\nf g" {
		t.Errorf("old = %+v", old)
	}
	if len(new) != 4 || new[1].Text != " x" || new[3].Text != " h" || !new[3].Changed {
		t.Errorf("new = %+v", new)
	}
}

package web

import (
	"slices"
	"strings"
)

func sortBy(s []string, key func(string) string) {
	slices.SortFunc(s, func(a, b string) int { return strings.Compare(key(a), key(b)) })
}

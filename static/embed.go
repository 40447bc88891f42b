// Package static holds the stylesheet and other assets, embedded and served under
// fingerprinted names.
package static

import "embed"

// FS holds the assets under css/.
//
//go:embed css
var FS embed.FS

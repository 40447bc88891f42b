// Package static holds the stylesheet and other assets, embedded and served under
// fingerprinted names.
package static

import "embed"

// FS holds the assets under css/ and js/.
//
//go:embed css js
var FS embed.FS

// Package static holds the stylesheet and other assets, embedded and served under
// fingerprinted names.
package static

import "embed"

// FS holds the assets under css/ and js/ and the site's icon (favicon.svg; the server draws
// the favicon.ico of old browsers from the same design).
//
//go:embed css js favicon.svg
var FS embed.FS

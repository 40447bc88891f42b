// Package locales holds the interface messages, one go-i18n TOML file per language, with
// dot-namespaced message IDs and the CLDR plural forms of each language.
package locales

import "embed"

// FS holds sv.toml, it.toml, pl.toml and fi.toml.
//
//go:embed *.toml
var FS embed.FS

// Package migrations holds the numbered, forward-only SQL migrations, embedded
// so that the binary alone can bring a database up to date.
package migrations

import "embed"

// FS holds every NNN_name.sql file of this folder.
//
//go:embed *.sql
var FS embed.FS

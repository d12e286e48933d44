// Package migrations embeds the numbered SQL migrations of the hub's database.
// They are applied with goose by `prasan migrate` and at server start.
package migrations

import "embed"

// FS holds the migration files.
//
//go:embed *.sql
var FS embed.FS

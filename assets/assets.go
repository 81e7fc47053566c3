// Package assets embeds what the program carries inside its one file: the
// Chinese font, the icon and the default department catalog.
package assets

import _ "embed"

// Font is Droid Sans Fallback (Apache-2.0), a TrueType font with the CJK
// glyphs that Fyne's and gofpdf's built-in fonts lack.
//
//go:embed DroidSansFallbackFull.ttf
var Font []byte

// Icon is the application icon.
//
//go:embed icon.png
var Icon []byte

// Catalog is the default department catalog (DESIGN.md §3) as JSON.
//
//go:embed catalog.json
var Catalog []byte

// Calendar is the official holidays and make-up working days (调休) for the
// current and next year, as far as published.
//
//go:embed calendar.json
var Calendar []byte

package bib

import (
	"go/token"

	"github.com/nickng/bibtex"
)

// File is what the reader found in one .bib file.
type File struct {
	// Name is the file name given to [Parse]; it is used only for positions.
	Name string
	// Entries are the entries in source order, duplicates included.
	Entries []*Entry
	// Strings are the @string definitions in source order.
	Strings []*StringDef
	// Preambles are the @preamble values in source order.
	Preambles []*Preamble
	// Problems are the errors and warnings found while reading, sorted.
	Problems ErrorList
	// Size is the number of bytes read.
	Size int

	// expanded is how much of the file's expansion budget its values
	// using macros have taken (see limitExpansion).
	expanded int
}

// StringDef is one `@string{name = value}` definition.
type StringDef struct {
	// Name is the macro name as written; lookups are case-insensitive.
	Name  string
	Value bibtex.BibString
	Pos   token.Position
	Raw   string
}

// Preamble is one `@preamble{...}`.
type Preamble struct {
	Value bibtex.BibString
	Pos   token.Position
	Raw   string
}

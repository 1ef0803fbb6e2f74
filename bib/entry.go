package bib

import (
	"go/token"
	"strings"

	"github.com/nickng/bibtex"
)

// Entry is one BibTeX entry (not @string, @preamble or @comment) as read from a file.
type Entry struct {
	// Type is the entry type lower-cased, without the '@': "article", "inproceedings".
	Type string
	// Key is the cite key exactly as written. It may be empty in broken input.
	Key string
	// Fields are the fields in source order. Names are lower-cased.
	Fields []Field
	// Pos is the position of the '@' that starts the entry; Pos.Filename is the file.
	Pos token.Position
	// KeyPos is the position of the first character of the key.
	KeyPos token.Position
	// Raw is the entry's exact source bytes, from '@' through the closing
	// delimiter (or through the end of what was recovered for a broken entry).
	Raw string
}

// Field is one `name = value` pair of an [Entry].
type Field struct {
	// Name is the field name lower-cased.
	Name string
	// Value is the value in nickng's model: a [bibtex.BibConst] holding the text
	// between the outer braces or quotes verbatim (inner braces kept), or the
	// digits of a bare number; a *[bibtex.BibVar] for a macro, whose Value is the
	// expansion (or a BibConst of the macro's own name when it is undefined);
	// a *[bibtex.BibComposite] for `#` concatenation.
	Value bibtex.BibString
	// Offset, Line and Col are where the field name starts: its byte offset
	// and its line and rune column, from 1. [Field.Pos] makes a
	// token.Position of them. Not a token.Position, which is 40 bytes with
	// its file name: fields are most of a library's memory, and a 59 MB
	// library has 740,000 of them.
	Offset, Line, Col int32
}

// Pos returns the position of the first character of the field name, in
// the file named file (the Filename of its entry's Pos).
func (f *Field) Pos(file string) token.Position {
	return token.Position{Filename: file, Offset: int(f.Offset), Line: int(f.Line), Column: int(f.Col)}
}

// fieldAt returns the compact form of p for a [Field].
func fieldAt(p token.Position) (off, line, col int32) {
	return int32(p.Offset), int32(p.Line), int32(p.Column)
}

// Field returns the field called name (case-insensitive) and whether it exists.
func (e *Entry) Field(name string) (Field, bool) {
	for _, f := range e.Fields {
		if f.Name == name || strings.EqualFold(f.Name, name) {
			return f, true
		}
	}
	return Field{}, false
}

// Has reports whether the entry has a field called name (case-insensitive).
func (e *Entry) Has(name string) bool {
	_, ok := e.Field(name)
	return ok
}

// Get returns the field's value with macros expanded and LaTeX as written
// (for example "The {GPU} era"), or "" when the field is absent.
func (e *Entry) Get(name string) string {
	f, ok := e.Field(name)
	if !ok || f.Value == nil {
		return ""
	}
	return Expand(f.Value)
}

// Expand returns v with macros expanded and concatenations joined. A nil v
// or an undefined macro never panics: an undefined macro expands to its name.
func Expand(v bibtex.BibString) string {
	switch v := v.(type) {
	case nil:
		return ""
	case bibtex.BibConst:
		return string(v)
	case *bibtex.BibConst:
		if v == nil {
			return ""
		}
		return string(*v)
	case *bibtex.BibVar:
		if v == nil {
			return ""
		}
		if v.Value == nil {
			return v.Key
		}
		return Expand(v.Value)
	case *bibtex.BibComposite:
		if v == nil {
			return ""
		}
		var b strings.Builder
		for _, part := range *v {
			b.WriteString(Expand(part))
		}
		return b.String()
	default:
		return v.String()
	}
}

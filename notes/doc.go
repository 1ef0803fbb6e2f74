// Package notes parses reading notes (YAML front matter plus markdown) into
// [Note] values with canonical sections and citations, and renders them to
// HTML with goldmark. It owns papernotes' goldmark extensions, such as the
// `[@key]` citation syntax.
//
// notes never imports package bib: citation lookups go through [CiteResolver].
// Columns in positions count bytes.
package notes

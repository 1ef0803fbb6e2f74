// Package bib reads BibTeX files into papernotes' own [Entry], [File] and
// [Library] types, with a position for every entry, field and problem.
//
// The reader is papernotes' own (modelled on go/scanner and go/parser): it
// never calls bibtex.Parse from github.com/nickng/bibtex, which can end the
// process on an undefined macro. Values use nickng's value model
// ([bibtex.BibConst], [bibtex.BibVar], [bibtex.BibComposite]) so that macros and
// concatenation survive to export.
//
// Columns in positions count runes, as BibTeX tools do; lines and columns start at 1.
package bib

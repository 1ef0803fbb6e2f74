package latex

import (
	"go/token"

	"github.com/nickng/bibtex"
)

func posAt(file string, line, col int) token.Position {
	return token.Position{Filename: file, Line: line, Column: col}
}

func bibConst(s string) bibtex.BibString { return bibtex.BibConst(s) }

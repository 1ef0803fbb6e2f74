package latex

import (
	"errors"
	"go/token"
	"sort"
	"strings"
)

// Sentinels that classify every [Error]. Test with errors.Is.
var (
	// ErrMissingKey: a cited key is not in the library.
	ErrMissingKey = errors.New("cited key not in the library")
	// ErrKeyCase: a cited key is in the library only with different case.
	ErrKeyCase = errors.New("cited key matches only when case is ignored")
	// ErrMissingParent: a crossref or xdata parent is not in the library.
	ErrMissingParent = errors.New("parent entry not in the library")
	// ErrMissingFile: an \input, \include, \subfile or \@input file does not exist.
	ErrMissingFile = errors.New("included file not found")
	// ErrSyntax: a citation command or file is malformed (an unclosed brace, bad XML).
	ErrSyntax = errors.New("syntax error")
	// ErrRead: a file could not be read.
	ErrRead = errors.New("cannot read file")
)

// Error is one positioned problem. Err wraps one of the package's sentinels.
type Error struct {
	// Pos is where the problem is: for a cited key, the key inside the
	// \cite command (file:line:col, column in runes).
	Pos token.Position
	Err error
	// Key is the cite key concerned, when there is one.
	Key string
	// Suggest is the library's key for an [ErrKeyCase] problem.
	Suggest string
}

// Error returns "file:line:col: message".
func (e *Error) Error() string {
	if e.Pos.Filename != "" || e.Pos.IsValid() {
		return e.Pos.String() + ": " + e.Err.Error()
	}
	return e.Err.Error()
}

// Unwrap returns the underlying error, so errors.Is finds the sentinel.
func (e *Error) Unwrap() error { return e.Err }

// ErrorList is a list of problems. The zero value is an empty list ready to use.
type ErrorList []*Error

// Add appends a problem.
func (l *ErrorList) Add(pos token.Position, key string, err error) {
	*l = append(*l, &Error{Pos: pos, Key: key, Err: err})
}

// Sort sorts the list by file, line, column and message, stably.
func (l ErrorList) Sort() {
	sort.SliceStable(l, func(i, j int) bool {
		a, b := l[i].Pos, l[j].Pos
		if a.Filename != b.Filename {
			return a.Filename < b.Filename
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		if a.Column != b.Column {
			return a.Column < b.Column
		}
		return l[i].Err.Error() < l[j].Err.Error()
	})
}

// Error prints one problem per line.
func (l ErrorList) Error() string {
	var b strings.Builder
	for i, e := range l {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(e.Error())
	}
	return b.String()
}

// Err returns l as an error, or nil when l is empty.
func (l ErrorList) Err() error {
	if len(l) == 0 {
		return nil
	}
	return l
}

// Unwrap returns the problems, so errors.Is and errors.As look into each.
func (l ErrorList) Unwrap() []error {
	out := make([]error, len(l))
	for i, e := range l {
		out[i] = e
	}
	return out
}

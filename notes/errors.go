package notes

import (
	"errors"
	"go/token"
	"sort"
	"strings"
)

// Sentinels that classify every [Error]. Test with errors.Is.
var (
	// ErrBadFrontMatter marks YAML front matter that does not parse, or a
	// field of the wrong shape.
	ErrBadFrontMatter = errors.New("bad front matter")
	// ErrMissingKey marks a note whose front matter has no `key`.
	ErrMissingKey = errors.New("missing key in front matter")
	// ErrBadStatus marks a `status` other than toread, reading or read.
	ErrBadStatus = errors.New("bad status")
	// ErrBadDate marks a `read` or `added` value that is not a date.
	ErrBadDate = errors.New("bad date")
	// ErrUnknownCite marks a citation of a key the resolver does not know.
	ErrUnknownCite = errors.New("unknown cite key")
	// ErrUnknownKey marks a note whose own key is not in the library.
	ErrUnknownKey = errors.New("note key not in library")
	// ErrEmptySection marks a required section that is missing or empty.
	ErrEmptySection = errors.New("empty required section")
	// ErrDuplicateNote marks a second note claiming a key.
	ErrDuplicateNote = errors.New("two notes claim one key")
	// ErrReadStatus marks a note whose read date and status disagree: read:
	// is set exactly when the status is read.
	ErrReadStatus = errors.New("read date and status disagree")
	// ErrIO marks a note file that cannot be read.
	ErrIO = errors.New("cannot read note")
	// ErrReport marks a weekly report that cannot be split into papers.
	ErrReport = errors.New("bad report")
)

// Error is one positioned problem in a note. Err wraps one of the package's
// sentinels. Columns in Pos count runes (1-based); a zero Column means the column is
// unknown (YAML syntax errors carry only a line).
type Error struct {
	Pos token.Position
	Err error
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

// Add appends a problem at pos wrapping err.
func (l *ErrorList) Add(pos token.Position, err error) {
	*l = append(*l, &Error{Pos: pos, Err: err})
}

// Len implements sort.Interface.
func (l ErrorList) Len() int { return len(l) }

// Swap implements sort.Interface.
func (l ErrorList) Swap(i, j int) { l[i], l[j] = l[j], l[i] }

// Less orders by file, line, column, then message.
func (l ErrorList) Less(i, j int) bool {
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
}

// Sort sorts the list by file, line, column and message.
func (l ErrorList) Sort() { sort.Stable(l) }

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

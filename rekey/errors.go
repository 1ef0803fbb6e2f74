package rekey

import (
	"errors"
	"go/token"
)

// Sentinels classify the errors of [Plan] and [Apply]; test with errors.Is.
var (
	// ErrSameKey: the new key is the old one.
	ErrSameKey = errors.New("the new key is the old key")
	// ErrUnknownKey: the old key is not in the library.
	ErrUnknownKey = errors.New("key is not in the library")
	// ErrDuplicateKey: the old key is defined more than once, so which
	// entry to rename is ambiguous.
	ErrDuplicateKey = errors.New("key is defined more than once")
	// ErrTaken: an entry, a note or a note file already has the new key or
	// its file name.
	ErrTaken = errors.New("new key is taken")
	// ErrUnsafeKey: the new key is not a safe cite key (bib.UnsafeKey), or
	// the citation scanners of notes or LaTeX would not read it back whole.
	ErrUnsafeKey = errors.New("new key is unsafe")
	// ErrConflict: a file to change holds an unresolved merge conflict
	// marker (<<<<<<<, ||||||| or >>>>>>> at the start of a line).
	ErrConflict = errors.New("unresolved merge conflict marker; resolve the conflict first")
	// ErrStale: a file does not hold the key where the library says it is
	// (the library was read from older bytes).
	ErrStale = errors.New("file does not match the library; reload and plan again")
	// ErrChanged: [Apply] found a file different from the bytes it was
	// planned on; nothing was written.
	ErrChanged = errors.New("file changed since the rename was planned; nothing was written, run it again")
)

// Error is one problem at a position (Filename alone when the problem is
// the whole file). Columns are runes.
type Error struct {
	Pos token.Position
	Err error
}

var _ error = (*Error)(nil)

// Error returns "file:line:col: message".
func (e *Error) Error() string {
	if e.Pos.Filename == "" && !e.Pos.IsValid() {
		return e.Err.Error()
	}
	return e.Pos.String() + ": " + e.Err.Error()
}

// Unwrap returns Err.
func (e *Error) Unwrap() error { return e.Err }

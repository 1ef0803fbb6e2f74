package index

import (
	"bytes"
	"errors"
	"fmt"
	"go/token"
	"unicode/utf8"
)

// Limits on what one file puts in the index. Past them the index holds a
// prefix, and the sync reports a problem wrapping [ErrTruncated] at the
// file, section or entry: nothing in a workspace can make a sync or a
// search cost more than linear time and bounded memory per file.
const (
	// maxNoteBytes is the size of a note from which only its first
	// maxNoteBytes (cut at a line end) are parsed and indexed.
	maxNoteBytes = 8 << 20
	// maxRowText is the size of a section's or a bib field's text from
	// which only its first maxRowText bytes (cut at a rune boundary) are
	// indexed.
	maxRowText = 1 << 20
)

// ErrTruncated is wrapped by the problem of a file, section or field
// indexed in part because it is over a limit.
var ErrTruncated = errors.New("only the first part is indexed")

// truncated is the problem of something over a limit of size bytes.
func truncated(file string, line int, what string, size int) error {
	return &Error{
		Pos: token.Position{Filename: file, Line: max(line, 1), Column: 1},
		Err: &truncError{what: what, size: size},
	}
}

// truncError says what was cut; it unwraps to [ErrTruncated].
type truncError struct {
	what string
	size int
}

func (e *truncError) Error() string {
	return fmt.Sprintf("%s is over %s; only its first %s is indexed", e.what, mib(e.size), mib(e.size))
}

func (e *truncError) Unwrap() error { return ErrTruncated }

func mib(n int) string { return fmt.Sprintf("%d MiB", n>>20) }

// cutText returns s cut to at most n bytes at a rune boundary.
func cutText(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// cutNote returns src cut to at most n bytes at a line end, or at a rune
// boundary when the last line end leaves out more than half of them (a
// huge line).
func cutNote(src []byte, n int) []byte {
	if len(src) <= n {
		return src
	}
	if i := bytes.LastIndexByte(src[:n], '\n'); i >= n/2 {
		return src[:i+1]
	}
	return []byte(cutText(string(src[:n+1]), n))
}

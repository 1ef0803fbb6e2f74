package bib

import (
	"go/token"
	"strings"
	"unicode/utf8"
)

// Character classes of the reader, as read-only tables indexed by byte.
const (
	classSpace = 1 << iota // BibTeX white space
	classIdent             // may appear in an entry type, field name or macro name
	classDigit
	classDelim // matters inside a delimited value: { } " and newline
)

// classes follows BibTeX's id_class: an identifier is any run of characters
// other than white space and `"#%'(),={}`. We also stop at '@' so that a
// line starting with '@' can never be mistaken for a field name. Bytes >= 0x80
// are identifier characters, so Chinese field names and macros read as one word.
var classes = func() (t [256]uint8) {
	for c := 0; c < 256; c++ {
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v':
			t[c] = classSpace
		case strings.IndexByte("\"#%'(),={}@", byte(c)) >= 0:
		case c < 0x20 || c == 0x7f:
		default:
			t[c] = classIdent
			if c >= '0' && c <= '9' {
				t[c] |= classDigit
			}
		}
	}
	for _, c := range "{}\"\n" {
		t[c] |= classDelim
	}
	return t
}()

func isSpace(c byte) bool { return classes[c]&classSpace != 0 }
func isIdent(c byte) bool { return classes[c]&classIdent != 0 }

// cursor turns byte offsets into token.Positions with rune columns. It is
// cheapest when asked for offsets in increasing order (each call only looks
// at the bytes since the previous one), but any order is correct.
type cursor struct {
	src  string
	name string
	// off is the offset of the last position computed; line is its line,
	// lineStart the offset where that line starts. colOff is an offset on
	// that line whose rune column col is known.
	off, line, lineStart int
	colOff, col          int
	// bom is the length of a UTF-8 byte-order mark at the start of src (0
	// or 3); it is not counted in line 1's columns.
	bom int
}

// newCursor returns a cursor for src where offset start is on the given
// line; bom is the length of src's UTF-8 byte-order mark (0 or 3).
func newCursor(name, src string, bom, start, line int) cursor {
	ls := max(strings.LastIndexByte(src[:start], '\n')+1, bom)
	col := 1 + utf8.RuneCountInString(src[ls:start])
	return cursor{src: src, name: name, off: start, line: line, lineStart: ls, colOff: start, col: col, bom: bom}
}

// pos returns the position of offset off (0 <= off <= len(src)).
func (c *cursor) pos(off int) token.Position {
	if off >= c.off {
		seg := c.src[c.off:off]
		if n := strings.Count(seg, "\n"); n > 0 {
			c.line += n
			c.lineStart = c.off + strings.LastIndexByte(seg, '\n') + 1
			c.colOff, c.col = c.lineStart, 1
		}
	} else {
		if n := strings.Count(c.src[off:c.off], "\n"); n > 0 {
			c.line -= n
			c.lineStart = max(strings.LastIndexByte(c.src[:off], '\n')+1, c.bom)
			c.colOff, c.col = c.lineStart, 1
		}
		if off < c.colOff {
			c.colOff, c.col = c.lineStart, 1
		}
	}
	c.off = off
	c.col += utf8.RuneCountInString(c.src[c.colOff:off])
	c.colOff = off
	return token.Position{Filename: c.name, Offset: off, Line: c.line, Column: c.col}
}

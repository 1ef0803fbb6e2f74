package rekey

import (
	"bytes"
	"unicode/utf8"
)

// Position is a place in a file in every unit a caller may need.
type Position struct {
	// Offset is the byte offset from the start of the file.
	Offset int `json:"offset"`
	// Line is the 1-based line.
	Line int `json:"line"`
	// Column is the 1-based column in runes, as bib's positions count.
	Column int `json:"column"`
	// Character is the 0-based column in UTF-16 code units, as the Language
	// Server Protocol counts by default.
	Character int `json:"character"`
}

// cursor computes positions for offsets in increasing order, counting
// only the bytes since the previous one, so that a few edits in a big
// .bib file cost one pass over it.
type cursor struct {
	src             []byte
	off, line, from int // from: offset where line starts
}

// pos returns the position of off; off must not be less than the
// previous call's and must be in [0, len(src)].
func (c *cursor) pos(off int) Position {
	if off < c.off {
		*c = cursor{src: c.src, line: 1}
	}
	seg := c.src[c.off:off]
	if n := bytes.Count(seg, []byte{'\n'}); n > 0 {
		c.line += n
		c.from = c.off + bytes.LastIndexByte(seg, '\n') + 1
	}
	c.off = off
	col, char := columns(c.src[c.from:off])
	return Position{Offset: off, Line: c.line, Column: col, Character: char}
}

// columns returns the 1-based rune column and 0-based UTF-16 character
// after the bytes of a line's start.
func columns(seg []byte) (col, char int) {
	col = 1
	for len(seg) > 0 {
		r, size := utf8.DecodeRune(seg)
		seg = seg[size:]
		col++
		if r >= 0x10000 {
			char += 2
		} else {
			char++
		}
	}
	return col, char
}

package rekey

import (
	"sort"
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

// lineIndex maps byte offsets of one source to positions.
type lineIndex struct {
	src    []byte
	starts []int // offset of the first byte of each line
}

func newLineIndex(src []byte) *lineIndex {
	starts := []int{0}
	for i, c := range src {
		if c == '\n' {
			starts = append(starts, i+1)
		}
	}
	return &lineIndex{src: src, starts: starts}
}

// pos returns the position of off, which must be in [0, len(src)].
func (x *lineIndex) pos(off int) Position {
	line := sort.Search(len(x.starts), func(i int) bool { return x.starts[i] > off }) - 1
	ls := x.starts[line]
	seg := x.src[ls:off]
	col, char := 1, 0
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
	return Position{Offset: off, Line: line + 1, Column: col, Character: char}
}

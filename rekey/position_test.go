package rekey

import (
	"sort"
	"testing"
)

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
	col, char := columns(x.src[ls:off])
	return Position{Offset: off, Line: line + 1, Column: col, Character: char}
}

func TestCursor(t *testing.T) {
	t.Parallel()
	src := []byte("a\n😀b\r\n李c\n\nend")
	x := newLineIndex(src)
	c := &cursor{src: src, line: 1}
	for off := 0; off <= len(src); off++ {
		if got, want := c.pos(off), x.pos(off); got != want {
			t.Errorf("offset %d: cursor %+v, index %+v", off, got, want)
		}
	}
	if got, want := c.pos(3), x.pos(3); got != want {
		t.Errorf("going back: cursor %+v, index %+v", got, want)
	}
}

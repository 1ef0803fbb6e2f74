package lsp

import (
	"sort"
	"unicode/utf8"
)

// text is a document's content with its line starts. LSP positions are
// zero-based lines and UTF-16 code units; Go positions (token.Position) are
// one-based lines with rune columns (bib, notes, latex).
// Every conversion goes through the line's text, so CJK (one rune, three
// bytes, one UTF-16 unit) and emoji (one rune, four bytes, two units) come
// out right. Out-of-range positions are clamped, never a panic.
type text struct {
	s     string
	lines []int // byte offset of each line start
}

func newText(s string) *text {
	t := &text{s: s, lines: []int{0}}
	for i := 0; i < len(s); i++ {
		if s[i] == '\n' {
			t.lines = append(t.lines, i+1)
		}
	}
	return t
}

// lineBounds returns the byte range of line i (0-based) without its newline.
func (t *text) lineBounds(i int) (start, end int) {
	if i < 0 {
		i = 0
	}
	if i >= len(t.lines) {
		return len(t.s), len(t.s)
	}
	start = t.lines[i]
	end = len(t.s)
	if i+1 < len(t.lines) {
		end = t.lines[i+1] - 1
	}
	if end > start && t.s[end-1] == '\r' {
		end--
	}
	return start, end
}

// offset converts an LSP position to a byte offset, clamped to the line.
func (t *text) offset(p Position) int {
	if p.Line >= len(t.lines) {
		return len(t.s)
	}
	start, end := t.lineBounds(p.Line)
	units := 0
	i := start
	for i < end && units < p.Character {
		r, size := utf8.DecodeRuneInString(t.s[i:end])
		if r >= 0x10000 {
			units += 2
		} else {
			units++
		}
		if units > p.Character { // inside a surrogate pair: stay before it
			break
		}
		i += size
	}
	return i
}

// position converts a byte offset to an LSP position.
func (t *text) position(off int) Position {
	if off < 0 {
		off = 0
	}
	if off > len(t.s) {
		off = len(t.s)
	}
	line := sort.Search(len(t.lines), func(i int) bool { return t.lines[i] > off }) - 1
	if line < 0 {
		line = 0
	}
	return Position{Line: line, Character: utf16Len(t.s[t.lines[line]:off])}
}

// fromRuneCol converts a one-based line and rune column to a byte offset.
func (t *text) fromRuneCol(line, col int) int {
	if line-1 >= len(t.lines) {
		return len(t.s)
	}
	start, end := t.lineBounds(line - 1)
	i := start
	for n := 1; n < col && i < end; n++ {
		_, size := utf8.DecodeRuneInString(t.s[i:end])
		i += size
	}
	return i
}

func (t *text) rangeOf(from, to int) Range {
	return Range{Start: t.position(from), End: t.position(to)}
}

func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		if r >= 0x10000 {
			n += 2
		} else {
			n++
		}
	}
	return n
}

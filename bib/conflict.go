package bib

import (
	"fmt"
	"go/token"
	"slices"
	"strings"
)

// conflictScan finds the blocks of git conflict markers in a file and adds
// an [ErrConflictMarker] error for each, at its `<<<<<<<` line, naming the
// entries that start inside it. BibTeX reads marker lines as text between
// entries, so without this both sides of a conflict would load silently (a
// duplicate key at best). A marker starts a line: seven or more '<' (or
// '>') then a space or the end of the line; `=======` only counts inside a
// block. This is the rule of package conflict, which bib may not import
// (STYLE §2).
//
// The file is given to lines in consecutive ranges that start lines, and
// after each range, the entries that start in it to entries: [Parse] gives
// the whole file at once, [CheckFiles] a window at a time.
type conflictScan struct {
	blocks []conflictBlock
	open   bool // the last block has no closing marker yet
	line   int  // lines seen
}

type conflictBlock struct {
	start, off, end, size int
	keys                  []string
}

// lines scans the lines of text[from:to]; from starts a line, and a text
// that does not end at to ends a line there.
func (c *conflictScan) lines(text string, from, to, bom int) {
	if !strings.Contains(text[from:to], "<<<<<<<") && !c.open {
		c.line += strings.Count(text[from:to], "\n")
		if to == len(text) && (to == 0 || text[to-1] != '\n') {
			c.line++
		}
		return
	}
	for off := from; off < to; {
		c.line++
		end := to
		if i := strings.IndexByte(text[off:to], '\n'); i >= 0 {
			end = off + i
		}
		l := strings.TrimSuffix(text[off:end], "\r")
		if off == 0 {
			l = l[min(bom, len(l)):]
		}
		if !c.open {
			if n := markerRun(l, '<'); n > 0 {
				c.blocks = append(c.blocks, conflictBlock{start: c.line, off: off, size: n})
				c.open = true
			}
		} else if b := &c.blocks[len(c.blocks)-1]; markerRun(l, '>') == b.size {
			b.end = c.line
			c.open = false
		}
		off = end + 1
	}
}

// entries notes the keys of the entries that start inside a block or that
// a block starts in (a conflict between two versions of some fields); the
// lines they are in have been scanned.
func (c *conflictScan) entries(es []*Entry) {
	if len(c.blocks) == 0 {
		return
	}
	for i := range c.blocks {
		b := &c.blocks[i]
		for _, e := range es {
			// A block still open ends after every line scanned.
			in := e.Pos.Line > b.start && (b.end == 0 || e.Pos.Line < b.end)
			around := e.Pos.Offset < b.off && e.Pos.Offset+len(e.Raw) > b.off
			if (in || around) && e.Key != "" && !slices.Contains(b.keys, e.Key) {
				b.keys = append(b.keys, strings.Clone(e.Key))
			}
		}
	}
}

// add adds the blocks found to f's Conflicts and Problems.
func (c *conflictScan) add(f *File) {
	if len(c.blocks) == 0 {
		return
	}
	for _, b := range c.blocks {
		keys := b.keys
		var msg string
		if b.end == 0 {
			msg = fmt.Sprintf("unresolved merge (line %d to the end, no closing %s)", b.start, strings.Repeat(">", b.size))
		} else {
			msg = fmt.Sprintf("unresolved merge (lines %d-%d)", b.start, b.end)
		}
		key := ""
		if len(keys) > 0 {
			if len(keys) == 1 {
				msg += ", entry " + keys[0]
			} else {
				msg += ", entries " + strings.Join(keys, ", ")
			}
			key = keys[0]
		}
		msg += ": keep what should stay and delete the marker lines"
		// Column 1: a byte-order mark is not counted.
		pos := token.Position{Filename: f.Name, Offset: b.off, Line: b.start, Column: 1}
		f.Conflicts = append(f.Conflicts, Conflict{Pos: pos, End: b.end, Keys: keys})
		f.Problems.Addf(pos, SeverityError, key, ErrConflictMarker, "%s", msg)
	}
	f.Problems.Sort()
}

// markerRun returns n >= 7 when l is n times c followed by nothing or by a
// space or tab, else 0.
func markerRun(l string, c byte) int {
	n := 0
	for n < len(l) && l[n] == c {
		n++
	}
	if n < 7 || (n < len(l) && l[n] != ' ' && l[n] != '\t') {
		return 0
	}
	return n
}

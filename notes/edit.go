package notes

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// FieldEdit is one change to a note's front matter for [EditFrontMatter].
type FieldEdit struct {
	// Key is the top-level front-matter key ("status").
	Key string
	// Value is the new value as YAML text (a plain scalar or a quoted
	// string); ignored when Delete is set.
	Value string
	// Delete removes the key (nothing happens when it is absent).
	Delete bool
	// After names the key that a new line is inserted after when Key is
	// absent; "" (or an absent After) appends at the end of the block.
	After string
}

// EditFrontMatter applies edits to the front matter of the note src and
// returns the new source. Only the lines of the keys edited change: a key's
// line (with any indented continuation lines) is replaced or removed, a new
// key gets a line of its own; every other byte, the body included, is kept,
// as are the BOM and the block's line ending (LF or CRLF). A note without
// front matter gets a new block at the top when an edit sets a key. The
// result is not validated: the caller passes YAML values. A front matter
// block that is never closed is an error wrapping [ErrBadFrontMatter].
func EditFrontMatter(src []byte, edits []FieldEdit) ([]byte, error) {
	ys, ye, body, ok, closed := splitFrontMatter(src)
	eol := "\n"
	if i := bytes.IndexByte(src, '\n'); i > 0 && src[i-1] == '\r' {
		eol = "\r\n"
	}
	if !ok {
		var add []string
		for _, e := range edits {
			if !e.Delete {
				add = append(add, e.Key+": "+e.Value+eol)
			}
		}
		if len(add) == 0 {
			return src, nil
		}
		start := body // after a BOM
		var b bytes.Buffer
		b.Write(src[:start])
		b.WriteString("---" + eol + strings.Join(add, "") + "---" + eol)
		if start < len(src) {
			b.WriteString(eol)
		}
		b.Write(src[start:])
		return b.Bytes(), nil
	}
	if !closed {
		return nil, fmt.Errorf("%w: the block opened by --- is never closed", ErrBadFrontMatter)
	}
	lines := splitKeepEOL(src[ys:ye])
	// YAML reads the first document of the block only: a line that starts
	// another ("--- x", "... x") ends what the edits may touch, so that a
	// key is neither found nor added where the reader would not see it.
	var rest []string
	for i, l := range lines {
		if docMarker(l) {
			lines, rest = lines[:i:i], lines[i:]
			break
		}
	}
	for _, e := range edits {
		from, to := keyLines(lines, e.Key)
		switch {
		case e.Delete && from >= 0:
			lines = append(lines[:from], lines[to:]...)
		case e.Delete:
		case from >= 0:
			l := e.Key + ": " + e.Value + lineEOL(lines[from], eol)
			lines = append(lines[:from], append([]string{l}, lines[to:]...)...)
		default:
			at := len(lines)
			if e.After != "" {
				if _, t := keyLines(lines, e.After); t >= 0 {
					at = t
				}
			}
			if at > 0 && !strings.HasSuffix(lines[at-1], "\n") {
				lines[at-1] += eol
			}
			l := e.Key + ": " + e.Value + eol
			lines = append(lines[:at], append([]string{l}, lines[at:]...)...)
		}
	}
	var b bytes.Buffer
	b.Write(src[:ys])
	for _, l := range lines {
		b.WriteString(l)
	}
	for _, l := range rest {
		b.WriteString(l)
	}
	b.Write(src[ye:])
	return b.Bytes(), nil
}

// docMarker reports whether the line l starts a YAML document ("---") or
// ends one ("..."): the marker followed by white space or the line's end.
func docMarker(l string) bool {
	if !strings.HasPrefix(l, "---") && !strings.HasPrefix(l, "...") {
		return false
	}
	return len(l) == 3 || strings.ContainsRune(" \t\r\n", rune(l[3]))
}

// splitKeepEOL splits b into lines that keep their line endings.
func splitKeepEOL(b []byte) []string {
	var out []string
	for len(b) > 0 {
		i := bytes.IndexByte(b, '\n')
		if i < 0 {
			out = append(out, string(b))
			break
		}
		out = append(out, string(b[:i+1]))
		b = b[i+1:]
	}
	return out
}

func lineEOL(l, def string) string {
	switch {
	case strings.HasSuffix(l, "\r\n"):
		return "\r\n"
	case strings.HasSuffix(l, "\n"):
		return "\n"
	}
	return def
}

// keyLines finds the top-level key's lines: its own line and the indented
// (or, for a block list, "- ") lines after it. from is -1 when absent.
func keyLines(lines []string, key string) (from, to int) {
	for i, l := range lines {
		rest, ok := strings.CutPrefix(l, key)
		if !ok {
			continue
		}
		if !strings.HasPrefix(rest, ":") {
			if k := strings.TrimLeft(rest, " \t"); !strings.HasPrefix(k, ":") {
				continue
			}
		}
		j := i + 1
		for j < len(lines) {
			n := lines[j]
			if strings.HasPrefix(n, " ") || strings.HasPrefix(n, "\t") || strings.HasPrefix(n, "- ") || strings.TrimRight(n, "\r\n") == "-" {
				j++
				continue
			}
			break
		}
		return i, j
	}
	return -1, -1
}

// SetStatus returns src with the front matter's status set to status
// ("toread", "reading" or "read") under the rule that `read:` is set
// exactly when the status is read: for "read" the read date becomes read
// (written as YYYY-MM-DD; the caller decides whether to keep an earlier
// date); for the other
// statuses the `read:` and `read_order:` lines are removed. Everything else
// is kept byte for byte (see [EditFrontMatter]). An unknown status wraps
// [ErrBadStatus]; "read" with a zero read wraps [ErrBadDate].
func SetStatus(src []byte, status string, read time.Time) ([]byte, error) {
	switch status {
	case "toread", "reading", "read":
	default:
		return nil, fmt.Errorf("%w: %q (want toread, reading or read)", ErrBadStatus, status)
	}
	edits := []FieldEdit{{Key: "status", Value: status, After: "tags"}}
	if status == "read" {
		if read.IsZero() {
			return nil, fmt.Errorf("%w: no read date given", ErrBadDate)
		}
		edits = append(edits, FieldEdit{Key: "read", Value: read.Format(time.DateOnly), After: "status"})
	} else {
		edits = append(edits, FieldEdit{Key: "read", Delete: true}, FieldEdit{Key: "read_order", Delete: true})
	}
	return EditFrontMatter(src, edits)
}

// SetReadOrder returns src with `read_order: n` in its front matter (see
// [Meta.ReadOrder]); n <= 0 removes it.
func SetReadOrder(src []byte, n int) ([]byte, error) {
	if n <= 0 {
		return EditFrontMatter(src, []FieldEdit{{Key: "read_order", Delete: true}})
	}
	return EditFrontMatter(src, []FieldEdit{{Key: "read_order", Value: strconv.Itoa(n), After: "read"}})
}

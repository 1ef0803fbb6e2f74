package index

import (
	"bufio"
	"bytes"
	"io"
	"os"
	"strings"
	"unicode/utf8"
)

// Limits of [locate]: a hit's line is looked for in at most this many
// bytes of its file after the section starts, and lines longer than
// locateLine are not searched (the hit then points at the section).
const (
	locateBytes = 4 << 20
	locateLine  = 64 << 10
)

// locate finds the first match of pats in the file at path, on the lines
// from..to-1 (to 0: to the end of the file), and returns its line and rune
// column. It reads the file's lines, not the plain text the index holds, so
// a match that markdown splits (a word half in bold, a phrase broken over
// two lines) is not found there: ok is false and the caller points at the
// section instead.
func locate(path string, from, to int, pats []pattern) (line, col int, ok bool) {
	if len(pats) == 0 || from < 1 {
		return 0, 0, false
	}
	f, err := os.Open(path)
	if err != nil {
		return 0, 0, false
	}
	defer f.Close()
	if fi, err := f.Stat(); err != nil || !fi.Mode().IsRegular() {
		return 0, 0, false
	}
	r := bufio.NewReaderSize(f, 64<<10)
	read := 0
	for n := 1; to == 0 || n < to; n++ {
		l, size, long, err := readLine(r)
		if err != nil && len(l) == 0 && !long {
			return 0, 0, false
		}
		if n < from {
			if err != nil {
				return 0, 0, false
			}
			continue
		}
		read += size
		if read > locateBytes {
			return 0, 0, false
		}
		if !long && len(l) > 0 {
			s := string(l)
			if spans := find(s, pats); len(spans) > 0 {
				return n, utf8.RuneCountInString(s[:spans[0].Start]) + 1, true
			}
		}
		if err != nil {
			return 0, 0, false
		}
	}
	return 0, 0, false
}

// readLine returns the next line without its line ending, and the number
// of bytes read. A line longer than locateLine is read to its end (or to
// locateBytes) and reported as long, with no bytes.
func readLine(r *bufio.Reader) (line []byte, size int, long bool, err error) {
	var buf []byte
	for {
		chunk, err := r.ReadSlice('\n')
		size += len(chunk)
		if size > locateBytes {
			return nil, size, true, err
		}
		if !long {
			if len(buf)+len(chunk) > locateLine {
				long, buf = true, nil
			} else {
				buf = append(buf, chunk...)
			}
		}
		if err == bufio.ErrBufferFull {
			continue
		}
		if long {
			return nil, size, true, err
		}
		buf = bytes.TrimSuffix(buf, []byte{'\n'})
		buf = bytes.TrimSuffix(buf, []byte{'\r'})
		if err == io.EOF && len(buf) == 0 {
			return nil, size, false, io.EOF
		}
		return buf, size, false, err
	}
}

// hitStart returns the line to start looking for a hit in its section's
// row: the line after the heading for a note section (the heading itself
// is looked at last: a canonical heading is not indexed), the row's own
// line for a title, a preamble or a bib field.
func hitStart(section, file string, line int) (start int, heading bool) {
	if strings.HasSuffix(file, ".bib") || section == sectionTitle || section == sectionPreamble {
		return line, false
	}
	return line + 1, true
}

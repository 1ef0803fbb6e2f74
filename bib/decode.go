package bib

import (
	"fmt"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
	"unsafe"
)

// maxEncodingProblems caps the invalid-UTF-8 problems reported one by one; the
// rest are summed up in one more problem, so a Latin-1 file gives a readable report.
const maxEncodingProblems = 10

// decoded is a file's text ready for the parser.
type decoded struct {
	text string
	// bom is the length of a UTF-8 byte-order mark at the start of text (0 or 3).
	bom int
	// note, when not empty, describes a problem found while decoding UTF-16;
	// it is reported at line 1, column 1 with severity sev.
	note string
	sev  Severity
}

// decode turns src into UTF-8 text. UTF-8 (with or without a BOM) is kept
// byte for byte. UTF-16 with a BOM, or without one when the first characters
// are plainly ASCII with NUL halves, is converted to UTF-8; positions then
// refer to the converted text. With noCopy, UTF-8 text shares src's memory
// (see [ParseOptions.NoCopy]).
func decode(src []byte, noCopy bool) decoded {
	str := func() string {
		if noCopy {
			return unsafe.String(unsafe.SliceData(src), len(src))
		}
		return string(src)
	}
	switch {
	case len(src) >= 3 && src[0] == 0xEF && src[1] == 0xBB && src[2] == 0xBF:
		return decoded{text: str(), bom: 3}
	case len(src) >= 2 && src[0] == 0xFF && src[1] == 0xFE:
		return decodeUTF16(src[2:], false, "")
	case len(src) >= 2 && src[0] == 0xFE && src[1] == 0xFF:
		return decodeUTF16(src[2:], true, "")
	case len(src) >= 4 && src[0] != 0 && src[1] == 0 && src[2] != 0 && src[3] == 0:
		return decodeUTF16(src, false, "UTF-16LE without a byte-order mark; decoded as UTF-16LE")
	case len(src) >= 4 && src[0] == 0 && src[1] != 0 && src[2] == 0 && src[3] != 0:
		return decodeUTF16(src, true, "UTF-16BE without a byte-order mark; decoded as UTF-16BE")
	}
	return decoded{text: str()}
}

func decodeUTF16(b []byte, bigEndian bool, note string) decoded {
	u := make([]uint16, len(b)/2)
	for i := range u {
		if bigEndian {
			u[i] = uint16(b[2*i])<<8 | uint16(b[2*i+1])
		} else {
			u[i] = uint16(b[2*i+1])<<8 | uint16(b[2*i])
		}
	}
	d := decoded{note: note, sev: SeverityWarning}
	buf := make([]byte, 0, len(u)+len(u)/4)
	bad := 0
	for i := 0; i < len(u); i++ {
		r := rune(u[i])
		switch {
		case utf16.IsSurrogate(r):
			if i+1 < len(u) {
				if dr := utf16.DecodeRune(r, rune(u[i+1])); dr != utf8.RuneError {
					r = dr
					i++
					break
				}
			}
			r = utf8.RuneError
			bad++
		}
		buf = utf8.AppendRune(buf, r)
	}
	if bad > 0 {
		d.note = joinNote(d.note, fmt.Sprintf("%d unpaired UTF-16 surrogates replaced by U+FFFD", bad))
		d.sev = SeverityError
	}
	if len(b)%2 != 0 {
		d.note = joinNote(d.note, "UTF-16 input has an odd number of bytes; the last byte is dropped")
		d.sev = SeverityError
	}
	d.text = string(buf)
	return d
}

func joinNote(a, b string) string {
	if a == "" {
		return b
	}
	return a + "; " + b
}

// encodingScan records the invalid UTF-8 in one range of the text: the
// first maxEncodingProblems+1 problems and how many lines had invalid bytes.
type encodingScan struct {
	problems ErrorList
	lines    int
}

// scanUTF8 reports each line of text[start:end] holding invalid UTF-8, at
// its first invalid byte. The bytes stay as they are: the entry still loads,
// so the problem is a warning.
func scanUTF8(c *cursor, start, end int) encodingScan {
	var s encodingScan
	text := c.src
	// Check blocks of about 64 KiB ending at a newline, and lines only
	// inside the rare invalid blocks: utf8.ValidString is fast, a rune loop is not.
	for bs := start; bs < end; {
		be := min(bs+64<<10, end)
		if be < end {
			if k := strings.IndexByte(text[be:end], '\n'); k >= 0 {
				be += k + 1
			} else {
				be = end
			}
		}
		if utf8.ValidString(text[bs:be]) {
			bs = be
			continue
		}
		for ls := bs; ls < be; {
			le := be
			if k := strings.IndexByte(text[ls:be], '\n'); k >= 0 {
				le = ls + k + 1
			}
			if !utf8.ValidString(text[ls:le]) {
				s.lines++
				if len(s.problems) <= maxEncodingProblems {
					i := ls
					for {
						r, size := utf8.DecodeRuneInString(text[i:le])
						if r == utf8.RuneError && size == 1 {
							break
						}
						i += size
					}
					s.problems = append(s.problems, &Error{
						Pos:      c.pos(i),
						Err:      fmt.Errorf("%w: invalid UTF-8 byte %#02x (is the file Latin-1 or Windows-1252?); bytes kept as written", ErrEncoding, text[i]),
						Severity: SeverityWarning,
					})
				}
			}
			ls = le
		}
		bs = be
	}
	return s
}

// mergeEncoding joins the scans of consecutive ranges, keeping the first
// maxEncodingProblems problems and summing up the rest in one more.
func mergeEncoding(scans []encodingScan) ErrorList {
	var all ErrorList
	lines := 0
	for _, s := range scans {
		all = append(all, s.problems...)
		lines += s.lines
	}
	if lines <= maxEncodingProblems {
		return all
	}
	out := all[:maxEncodingProblems:maxEncodingProblems]
	more := all[maxEncodingProblems]
	return append(out, &Error{
		Pos:      more.Pos,
		Err:      fmt.Errorf("%w: %d more lines hold invalid UTF-8", ErrEncoding, lines-maxEncodingProblems),
		Severity: SeverityWarning,
	})
}

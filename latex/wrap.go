package latex

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// verbatimColumns is how many monospace columns fit on a report line: the
// A4 page with 2.5 cm margins is 455pt wide, and a \small typewriter
// character is 5.25pt, so 86 fit; 78 leave room for the indent of
// continuation lines. A wide (CJK) character counts as two columns.
const verbatimColumns = 78

// wrapVerbatim breaks the lines of a verbatim block (a BibTeX entry) that
// are wider than width columns, so that the block stays inside the page
// (LaTeX never breaks verbatim lines; a long author list overflowed by
// 600pt and more). A line breaks at its last space that fits, and goes on
// indented by 4 spaces: inside a BibTeX value a line break is white space
// like any other, so the entry still reads the same. A run with no space
// (a long URL) breaks after a '/', '-', ',' or '.', else anywhere. Tabs
// become spaces.
func wrapVerbatim(src string, width int) string {
	var out []string
	for _, line := range strings.Split(src, "\n") {
		line = expandTabs(line)
		indent := ""
		for displayWidth(line) > width {
			cut := breakAt(line, width)
			out = append(out, strings.TrimRight(line[:cut], " "))
			line = strings.TrimLeft(line[cut:], " ")
			if indent == "" {
				lead := len(out[len(out)-1]) - len(strings.TrimLeft(out[len(out)-1], " "))
				indent = strings.Repeat(" ", min(lead+4, width/2))
			}
			line = indent + line
		}
		out = append(out, line)
	}
	return strings.Join(out, "\n")
}

// breakAt returns the byte offset to cut line at so that line[:cut] is at
// most width columns and cut > the line's indentation (progress is always made).
func breakAt(line string, width int) int {
	lead := len(line) - len(strings.TrimLeft(line, " "))
	w, fit := 0, 0
	lastSpace, lastPunct := -1, -1
	for i, r := range line {
		rw := runeWidth(r)
		if w+rw > width {
			break
		}
		w += rw
		_, size := utf8.DecodeRuneInString(line[i:])
		fit = i + size
		switch {
		case r == ' ' && i > lead:
			lastSpace = i
		case strings.ContainsRune("/-,.;&?=", r) || rw == 2:
			lastPunct = fit
		}
	}
	switch {
	case lastSpace > lead:
		return lastSpace
	case lastPunct > lead:
		return lastPunct
	case fit > lead:
		return fit
	}
	// Only indentation fits: cut after the first rune past it.
	if lead < len(line) {
		_, size := utf8.DecodeRuneInString(line[lead:])
		return lead + size
	}
	return len(line)
}

func expandTabs(s string) string {
	if !strings.Contains(s, "\t") {
		return s
	}
	var b strings.Builder
	col := 0
	for _, r := range s {
		if r == '\t' {
			n := 8 - col%8
			b.WriteString(strings.Repeat(" ", n))
			col += n
			continue
		}
		b.WriteRune(r)
		col += runeWidth(r)
	}
	return b.String()
}

func displayWidth(s string) int {
	w := 0
	for _, r := range s {
		w += runeWidth(r)
	}
	return w
}

// runeWidth is 2 for wide East Asian characters (the ones LaTeX sets a
// full em wide), else 1.
func runeWidth(r rune) int {
	if r >= 0x1100 && (unicode.Is(unicode.Han, r) || unicode.Is(unicode.Hangul, r) ||
		unicode.Is(unicode.Hiragana, r) || unicode.Is(unicode.Katakana, r) ||
		r >= 0x3000 && r <= 0x303F || r >= 0xFF00 && r <= 0xFF60 || r >= 0xFFE0 && r <= 0xFFE6) {
		return 2
	}
	return 1
}

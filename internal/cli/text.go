package cli

import (
	"bufio"
	"io"
	"unicode"

	"golang.org/x/text/width"

	"github.com/papernotes/papernotes/catalog"
)

// foldText returns s lower-cased, without accents and with runs of white
// space as single spaces, for matching user queries ("Muller" finds "Müller").
func foldText(s string) string { return catalog.Fold(s) }

// displayWidth returns how many terminal columns s takes: East Asian wide
// and fullwidth characters take two, combining marks and control
// characters none, everything else one. Padding by runes misaligns every
// row holding CJK text.
func displayWidth(s string) int {
	n := 0
	for _, r := range s {
		switch {
		case r < 0x20 || r == 0x7f || unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Me, r) || r == 0x200b:
		case isWide(r):
			n += 2
		default:
			n++
		}
	}
	return n
}

func isWide(r rune) bool {
	switch width.LookupRune(r).Kind() {
	case width.EastAsianWide, width.EastAsianFullwidth:
		return true
	}
	return false
}

// table writes rows of cells as aligned columns, two spaces apart, padded by
// display width (see [displayWidth]), like text/tabwriter but right for CJK.
// A cell's style (colour) is applied after padding, so escape codes never
// count. The last column is not padded.
type table struct {
	rows [][]tableCell
}

type tableCell struct {
	text  string
	style func(string) string
}

// add appends a row of plain cells.
func (t *table) add(cells ...string) {
	row := make([]tableCell, len(cells))
	for i, c := range cells {
		row[i] = tableCell{text: c}
	}
	t.rows = append(t.rows, row)
}

// style sets the style of column col of the last row.
func (t *table) style(col int, f func(string) string) {
	t.rows[len(t.rows)-1][col].style = f
}

// write prints the table to w.
func (t *table) write(w io.Writer) error {
	return writeTable(w, len(t.rows), func(i int, dst []tableCell) []tableCell { return append(dst, t.rows[i]...) })
}

// writeTable prints n rows as a table, where row(i, dst) appends the cells
// of row i to dst. It calls row twice per row, to measure the columns and
// then to write them, so that the rows are never all held: the list of a
// large library is tens of MB.
func writeTable(w io.Writer, n int, row func(i int, dst []tableCell) []tableCell) error {
	var widths []int
	var cells []tableCell
	for r := range n {
		cells = row(r, cells[:0])
		for i, c := range cells {
			if i >= len(widths) {
				widths = append(widths, 0)
			}
			widths[i] = max(widths[i], displayWidth(c.text))
		}
	}
	b := bufio.NewWriterSize(w, 64<<10)
	for r := range n {
		cells = row(r, cells[:0])
		// Trailing empty cells add no padding.
		last := len(cells) - 1
		for last > 0 && cells[last].text == "" {
			last--
		}
		for i, c := range cells[:last+1] {
			s := c.text
			if c.style != nil {
				s = c.style(s)
			}
			b.WriteString(s)
			if i < last {
				writeSpaces(b, widths[i]-displayWidth(c.text)+2)
			}
		}
		b.WriteByte('\n')
	}
	return b.Flush()
}

const spaces = "                                                                "

// writeSpaces writes n spaces to b.
func writeSpaces(b *bufio.Writer, n int) {
	for n > 0 {
		k := min(n, len(spaces))
		b.WriteString(spaces[:k])
		n -= k
	}
}

package index

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestLocate(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "n.md")
	src := "# T\n\n## Method\n\nWe use **开放**词汇 here.\r\nA phrase\nbroken. 开放词汇 at last.\n" + strings.Repeat("x", locateLine+10) + " 目标\n## Next\n\n目标\n"
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		term      string
		from, to  int
		line, col int
		ok        bool
	}{
		{"开放词汇", 4, 0, 7, 9, true},  // the bold one is split by markdown
		{"here", 4, 0, 5, 17, true}, // \r\n line end
		{"phrase broken", 4, 0, 0, 0, false},
		{"目标", 4, 9, 0, 0, false}, // only on a line too long, before to
		{"目标", 4, 0, 11, 1, true},
		{"method", 3, 4, 3, 4, true},
		{"nothing", 1, 0, 0, 0, false},
	} {
		p, _ := termPattern(c.term)
		line, col, ok := locate(path, c.from, c.to, []pattern{p})
		if line != c.line || col != c.col || ok != c.ok {
			t.Errorf("%s in %d..%d: %d:%d %v, want %d:%d %v", c.term, c.from, c.to, line, col, ok, c.line, c.col, c.ok)
		}
	}
}

// FuzzLocate checks that locate never panics and that a position it gives
// is inside the file, on a line that holds the term at that column.
func FuzzLocate(f *testing.F) {
	f.Add("# T\n\n## M\n\n开放词汇 here\n", "开放词汇", 1)
	f.Add("a\r\nb b\n\n\nb", "b", 2)
	f.Add("", "x", 1)
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, src, term string, from int) {
		p, ok := termPattern(term)
		if !ok {
			return
		}
		path := filepath.Join(dir, "f.md")
		if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		line, col, found := locate(path, from, 0, []pattern{p})
		if !found {
			return
		}
		lines := strings.Split(src, "\n")
		if line < max(from, 1) || line > len(lines) {
			t.Fatalf("line %d outside %d..%d", line, from, len(lines))
		}
		l := strings.TrimSuffix(lines[line-1], "\r")
		if col < 1 || col > utf8.RuneCountInString(l) {
			t.Fatalf("column %d outside line %q", col, l)
		}
	})
}

package bib

import (
	"bufio"
	"fmt"
	"go/token"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/papernotes/papernotes/internal/testutil"
)

// reference is one line of the corpus's REFERENCE.tsv.
type reference struct {
	rel     string
	median  int // median entry count of five established parsers
	btparse int // btparse's count, -1 where btparse failed
}

func readReference(t testing.TB, dir string) []reference {
	t.Helper()
	fh, err := os.Open(filepath.Join(dir, "REFERENCE.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	var refs []reference
	sc := bufio.NewScanner(fh)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "#") || line == "" {
			continue
		}
		cols := strings.Split(line, "\t")
		if len(cols) < 3 {
			t.Fatalf("REFERENCE.tsv: bad line %q", line)
		}
		m, err1 := strconv.Atoi(cols[1])
		b, err2 := strconv.Atoi(cols[2])
		if err1 != nil || err2 != nil {
			t.Fatalf("REFERENCE.tsv: bad counts in %q", line)
		}
		refs = append(refs, reference{rel: cols[0], median: m, btparse: b})
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return refs
}

// checkPositions fails the test when a position of f is out of range (lines
// from 1 to the file's last, columns from 1 to one past the line's last
// rune) or does not point at what it positions: Raw must be the exact
// source at the entry's offset, the key must stand at KeyPos, and each
// field name at its position.
func checkPositions(t testing.TB, f *File, text string) {
	t.Helper()
	starts := []int{0}
	for i := 0; i < len(text); i++ {
		if text[i] == '\n' {
			starts = append(starts, i+1)
		}
	}
	check := func(what string, p token.Position) {
		if p.Line < 1 || p.Line > len(starts) || p.Column < 1 {
			t.Errorf("%s: %s at %d:%d out of range (%d lines)", f.Name, what, p.Line, p.Column, len(starts))
			return
		}
		end := len(text)
		if p.Line < len(starts) {
			end = starts[p.Line] - 1
		}
		line := text[starts[p.Line-1]:end]
		if n := utf8.RuneCountInString(line); p.Column > n+1 {
			t.Errorf("%s: %s at %d:%d past the end of the line (%d runes)", f.Name, what, p.Line, p.Column, n)
		}
		if p.Offset < 0 || p.Offset > len(text) {
			t.Errorf("%s: %s at offset %d out of range", f.Name, what, p.Offset)
		}
	}
	for _, e := range f.Entries {
		check("entry "+e.Key, e.Pos)
		check("key "+e.Key, e.KeyPos)
		if !strings.HasPrefix(e.Raw, "@") || !strings.HasPrefix(text[e.Pos.Offset:], e.Raw) {
			t.Errorf("%s: entry %q at %v: Raw is not the source at its offset", f.Name, e.Key, e.Pos)
		}
		if !strings.HasPrefix(text[e.KeyPos.Offset:], e.Key) {
			t.Errorf("%s: key %q is not at %v", f.Name, e.Key, e.KeyPos)
		}
		for _, fl := range e.Fields {
			pos := fl.Pos(e.Pos.Filename)
			check("field "+fl.Name, pos)
			// The name is the source's, lower-cased, which may shorten it
			// (İ is two bytes, i one): a window of the source, lower-cased,
			// starts with it.
			window := text[pos.Offset:min(len(text), pos.Offset+4*len(fl.Name)+8)]
			if !strings.HasPrefix(strings.ToLower(window), fl.Name) {
				t.Errorf("%s: field %q is not at %v", f.Name, fl.Name, pos)
			}
		}
	}
	for _, s := range f.Strings {
		check("@string "+s.Name, s.Pos)
		if !strings.HasPrefix(text[s.Pos.Offset:], s.Raw) {
			t.Errorf("%s: @string %s at %v: Raw is not the source at its offset", f.Name, s.Name, s.Pos)
		}
	}
	for _, p := range f.Problems {
		check("problem "+p.Err.Error(), p.Pos)
		if p.Pos.Filename != f.Name {
			t.Errorf("%s: problem %v names file %q", f.Name, p, p.Pos.Filename)
		}
	}
}

// TestCorpus reads every corpus file and compares the number of entries
// loaded with REFERENCE.tsv: at least 99.5% of the reference in total, and
// no file below btparse unless an error-severity problem names it.
func TestCorpus(t *testing.T) {
	dir := testutil.CorpusDir(t)
	refs := readReference(t, dir)
	var total, want, silent, belowWithProblem int
	type miss struct {
		rel                  string
		got, median, btparse int
		errs                 int
	}
	var misses []miss
	for _, r := range refs {
		src, err := os.ReadFile(filepath.Join(dir, r.rel))
		if err != nil {
			t.Errorf("%s: %v", r.rel, err)
			continue
		}
		f := Parse(r.rel, src, nil)
		checkPositions(t, f, decode(src, false).text)
		got := len(f.Entries)
		total += got
		want += r.median
		errs := len(f.Problems.Errors())
		if got < r.median || (r.btparse >= 0 && got < r.btparse) {
			misses = append(misses, miss{r.rel, got, r.median, r.btparse, errs})
		}
		if r.btparse >= 0 && got < r.btparse {
			if errs == 0 {
				silent++
				t.Errorf("%s: %d entries, btparse finds %d, and no error is reported", r.rel, got, r.btparse)
			} else {
				belowWithProblem++
			}
		}
	}
	sort.Slice(misses, func(i, j int) bool {
		return misses[i].median-misses[i].got > misses[j].median-misses[j].got
	})
	for _, m := range misses {
		t.Logf("below reference: %s: %d entries (median %d, btparse %d, %d errors)", m.rel, m.got, m.median, m.btparse, m.errs)
	}
	pct := 100 * float64(total) / float64(want)
	t.Logf("corpus: %d files, %d of %d reference entries (%.2f%%); below btparse: %d with an error reported, %d silent",
		len(refs), total, want, pct, belowWithProblem, silent)
	if float64(total) < 0.995*float64(want) {
		t.Errorf("loaded %d entries, want at least 99.5%% of %d", total, want)
	}
}

// TestCorpusProblems goldens the problems found in the corpus's malformed/
// files and the error-severity problems of all the other files, so that a
// change in recovery or positions shows up as a diff.
func TestCorpusProblems(t *testing.T) {
	dir := testutil.CorpusDir(t)
	var malformed, errs strings.Builder
	for _, r := range readReference(t, dir) {
		src, err := os.ReadFile(filepath.Join(dir, r.rel))
		if err != nil {
			t.Fatal(err)
		}
		f := Parse(r.rel, src, nil)
		if strings.HasPrefix(r.rel, "malformed/") {
			fmt.Fprintf(&malformed, "%s: %d entries\n", r.rel, len(f.Entries))
			for _, p := range f.Problems {
				fmt.Fprintf(&malformed, "%s: %s\n", p.Severity, p)
			}
			continue
		}
		for _, p := range f.Problems.Errors() {
			fmt.Fprintf(&errs, "%s (key %q)\n", p, p.Key)
		}
	}
	testutil.Golden(t, "testdata/corpus-malformed.golden", []byte(malformed.String()))
	testutil.Golden(t, "testdata/corpus-errors.golden", []byte(errs.String()))
}

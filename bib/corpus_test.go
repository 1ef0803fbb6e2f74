package bib

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

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

// checkPositions fails the test when a position of f is out of range.
func checkPositions(t testing.TB, f *File, text string) {
	t.Helper()
	nlines := strings.Count(text, "\n") + 1
	check := func(what string, line, col int) {
		if line < 1 || line > nlines || col < 1 {
			t.Errorf("%s: %s at %d:%d out of range (%d lines)", f.Name, what, line, col, nlines)
		}
	}
	for _, e := range f.Entries {
		check("entry "+e.Key, e.Pos.Line, e.Pos.Column)
		check("key "+e.Key, e.KeyPos.Line, e.KeyPos.Column)
		for _, fl := range e.Fields {
			check("field "+fl.Name, fl.Pos.Line, fl.Pos.Column)
		}
	}
	for _, s := range f.Strings {
		check("@string "+s.Name, s.Pos.Line, s.Pos.Column)
	}
	for _, p := range f.Problems {
		check("problem "+p.Err.Error(), p.Pos.Line, p.Pos.Column)
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

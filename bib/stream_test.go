package bib

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/papernotes/papernotes/internal/testutil"
)

// problemLines prints problems with everything a caller reads of them.
func problemLines(l ErrorList) []string {
	out := make([]string, len(l))
	for i, p := range l {
		out[i] = fmt.Sprintf("%s [%s %s key=%q off=%d]", p.Error(), p.Severity, Code(p), p.Key, p.Pos.Offset)
	}
	return out
}

// sameAsLibrary fails unless CheckFiles(paths) gives what Load, Problems
// and Check give. It compares after CheckFiles has unmapped the files, so
// a problem that still shared memory with a file would crash the test.
func sameAsLibrary(t *testing.T, paths []string, opts LoadOptions) *Checked {
	t.Helper()
	lib := Load(paths, opts)
	got := CheckFiles(paths, CheckOptions{LoadOptions: opts})
	var want []FileStat
	for _, f := range lib.Files() {
		want = append(want, f.Stat())
	}
	if diff := cmp.Diff(want, got.Files); diff != "" {
		t.Errorf("files (-Load +CheckFiles):\n%s", diff)
	}
	if diff := cmp.Diff(problemLines(lib.Problems()), problemLines(got.Problems)); diff != "" {
		t.Errorf("Problems (-Load +CheckFiles):\n%s", diff)
	}
	if diff := cmp.Diff(problemLines(lib.Check()), problemLines(got.Checks)); diff != "" {
		t.Errorf("Check (-Load +CheckFiles):\n%s", diff)
	}
	return got
}

// writeTemp writes text to the file name in dir and returns its path.
func writeTemp(t testing.TB, dir, name, text string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// smallWindows makes CheckFiles read windows of about n bytes.
func smallWindows(t *testing.T, n int) {
	old, oldMin := windowSize, streamMinSize
	windowSize, streamMinSize = n, 0
	t.Cleanup(func() { windowSize, streamMinSize = old, oldMin })
}

func TestCheckFilesCases(t *testing.T) {
	smallWindows(t, 64)
	dir := t.TempDir()
	write := func(name, text string) string { return writeTemp(t, dir, name, text) }
	pad := "% " + strings.Repeat("x", 70) + "\n"
	a := write("a.bib", `@string{conf = "Proc. of Things"}
@string{ieee = "IEEE"}
`+pad+`@article{Child, title = {A Study of Streams}, crossref = {parent}, author = {A}, year = 2020}
`+pad+`@inproceedings{dup, title = {Duplicates Everywhere}, author = {B}, booktitle = conf, year = 2021, doi = {10.1/x}}
`+pad+`@misc{dup, title = {Other}}
@misc{undef, title = later # { and } # nowhere, doi = {https://doi.org/10.1/X}}
`+pad+`@string{later = "Later"}
@proceedings{Parent, title = {The Parent Proceedings}, year = 2020, editor = ieee}
<<<<<<< HEAD
@misc{in, title = {Inside the conflict}}
=======
@misc{in2, title = {Inside the conflict, theirs}}
>>>>>>> theirs
@book{bad key, title = {Bad \"u key}}
@misc{über, title = {Duplicates everywhere}, year = 2021}
@misc{broken, title = {never closed
@misc{after, title = {After the Break}, eprint = {2301.12597}, archiveprefix = {arXiv}}
`+pad+`@misc{arx, title = {Another}, url = {https://arxiv.org/abs/2301.12597}}
@comment{ spans
`+pad+`@misc{inner, title = {In a comment}}
`+"\xff "+pad+`}
@misc{last, crossref = {nowhere}, title = {x}}
`)
	b := write("b.bib", "\xef\xbb\xbf@misc{Fromb, title = conf # ieee # undefd, note = {\xff bad utf-8}}\n@misc{child, title={x}}")
	c := write("c.bib", "<<<<<<< ours\n@misc{open, title = {No end}}\n")
	empty := write("empty.bib", "")
	u16 := write("u16.bib", "\xff\xfe@\x00m\x00i\x00s\x00c\x00{\x00u\x00,\x00}\x00")
	got := sameAsLibrary(t, []string{a, b, c, empty, u16, filepath.Join(dir, "missing.bib")}, LoadOptions{})
	if len(got.Problems) < 8 || len(got.Checks) < 5 {
		t.Errorf("too few problems to compare: %d and %d", len(got.Problems), len(got.Checks))
	}
	t.Logf("%s", strings.Join(append(problemLines(got.Problems), problemLines(got.Checks)...), "\n"))
	for _, n := range []int{1, 200, 4096} {
		smallWindows(t, n)
		sameAsLibrary(t, []string{a, b, c}, LoadOptions{})
		sameAsLibrary(t, []string{a}, LoadOptions{})
	}
}

// TestCheckFilesCorpus compares CheckFiles with the library on every
// corpus file, in windows small enough that most files take several.
func TestCheckFilesCorpus(t *testing.T) {
	if testing.Short() {
		t.Skip("corpus comparison skipped in -short mode")
	}
	dir := testutil.CorpusDir(t)
	var paths []string
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".bib") {
			paths = append(paths, p)
		}
		return nil
	})
	sort.Strings(paths)
	smallWindows(t, 8<<10)
	for i := 0; i < len(paths); i += 100 {
		sameAsLibrary(t, paths[i:min(i+100, len(paths))], LoadOptions{})
		samePartial(t, paths[i:min(i+100, len(paths))], func(e *Entry) bool { return len(e.Key)%3 == 0 })
	}
}

// FuzzCheckFiles compares CheckFiles in small windows with the library on
// arbitrary input, split into two files. Inputs whose macros run past the
// expansion budget are skipped: CheckFiles spends it window by window.
func FuzzCheckFiles(f *testing.F) {
	f.Add("@string{a = {A}}\n@misc{x, title = a # b}\n@string{b = {B}}\n@misc{X, crossref = {y}}\n", "@misc{y, title = a}\n<<<<<<< h\n@misc{x,}\n", 3)
	f.Add("@comment{\n@misc{in,}\n}\n@article{k, doi = {10.1/a}}\n@misc{l, url = {https://doi.org/10.1/A}}\n", "", 1)
	f.Fuzz(func(t *testing.T, a, b string, window int) {
		smallWindows(t, 1+int(uint(window)%512))
		dir := t.TempDir()
		pa, pb := writeTemp(t, dir, "a.bib", a), writeTemp(t, dir, "b.bib", b)
		lib := Load([]string{pa, pb}, LoadOptions{})
		for _, p := range lib.Problems() {
			if errors.Is(p, ErrTooLarge) {
				t.Skip("over the expansion budget")
			}
		}
		sameAsLibrary(t, []string{pa, pb}, LoadOptions{})
		samePartial(t, []string{pa, pb}, func(e *Entry) bool { return len(e.Key)%2 == 0 })
	})
}

// BenchmarkCheckFiles checks the corpus concatenated into one file, as
// CheckFiles streams it and as a library loaded whole; -benchmem shows what
// each allocates.
func BenchmarkCheckFiles(b *testing.B) {
	all := corpusConcat(b, testutil.CorpusDir(b))
	path := filepath.Join(b.TempDir(), "all.bib")
	if err := os.WriteFile(path, all, 0o644); err != nil {
		b.Fatal(err)
	}
	old := streamMinSize
	streamMinSize = 0
	b.Cleanup(func() { streamMinSize = old })
	b.Run("stream", func(b *testing.B) {
		b.SetBytes(int64(len(all)))
		for b.Loop() {
			CheckFiles([]string{path}, CheckOptions{})
		}
	})
	b.Run("library", func(b *testing.B) {
		b.SetBytes(int64(len(all)))
		for b.Loop() {
			l := Load([]string{path}, LoadOptions{})
			l.Check()
		}
	})
}

// OnStream is called, with the files' size, only when CheckFiles streams;
// AfterWindow after each window.
func TestCheckFilesHooks(t *testing.T) {
	var b strings.Builder
	for i := range 100 {
		fmt.Fprintf(&b, "@misc{k%d, title = {Title %d}}\n", i, i)
	}
	p := writeTemp(t, t.TempDir(), "a.bib", b.String())
	var sizes []int64
	windows := 0
	opts := CheckOptions{LoadOptions{OnStream: func(n int64) { sizes = append(sizes, n) }, AfterWindow: func() { windows++ }}}
	CheckFiles([]string{p}, opts)
	if len(sizes) != 0 || windows != 0 {
		t.Errorf("loaded whole: OnStream got %v, AfterWindow ran %d times; want neither", sizes, windows)
	}
	smallWindows(t, 256)
	got := CheckFiles([]string{p}, opts)
	if len(sizes) != 1 || sizes[0] != int64(b.Len()) {
		t.Errorf("streamed: OnStream got %v, want [%d]", sizes, b.Len())
	}
	if want := b.Len() / 512; windows < want {
		t.Errorf("AfterWindow ran %d times for %d bytes in windows of 256", windows, b.Len())
	}
	if got.Files[0].Entries != 100 {
		t.Errorf("entries %d, want 100", got.Files[0].Entries)
	}
}

// entryDump prints entries with everything a caller reads of them.
func entryDump(es []*Entry) []string {
	var out []string
	for _, e := range es {
		s := fmt.Sprintf("%s @%s{%q} %s key@%s raw=%q", e.Pos, e.Type, e.Key, e.Pos.Filename, e.KeyPos, e.Raw)
		for _, f := range e.Fields {
			s += fmt.Sprintf("\n  %s=%q %T at %s", f.Name, Expand(f.Value), f.Value, f.Pos(e.Pos.Filename))
		}
		out = append(out, s)
	}
	return out
}

// samePartial fails unless Load with keep on paths, streamed, holds what
// Load without it holds of the entries keep keeps and their crossref
// parents, and all the keys and problems; and unless CheckFiles with keep
// returns such a library too. It compares after the files are unmapped.
func samePartial(t *testing.T, paths []string, keep func(*Entry) bool) {
	t.Helper()
	full := Load(paths, LoadOptions{})
	var visited []string
	opts := LoadOptions{Keep: keep, Visit: func(es []*Entry) { visited = append(visited, entryDump(es)...) }}
	for _, load := range []func() *Library{
		func() *Library { return Load(paths, opts) },
		func() *Library { return CheckFiles(paths, CheckOptions{LoadOptions: opts}).Library },
	} {
		part := load()
		// Visit saw every entry, in order, as the window had it.
		if diff := cmp.Diff(entryDump(full.Entries()), visited); diff != "" {
			t.Errorf("visited (-Load +Visit):\n%s", diff)
		}
		visited = nil
		if !part.Partial() || full.Partial() {
			t.Fatalf("Partial: %v with Keep and %v without", part.Partial(), full.Partial())
		}
		var want []*Entry
		need := map[string]bool{}
		for _, e := range full.Entries() {
			if keep(e) {
				need[strings.ToLower(e.Key)] = true
			}
		}
		// Crossref parents, to any depth.
		for grew := true; grew; {
			grew = false
			for _, e := range full.Entries() {
				if !need[strings.ToLower(e.Key)] {
					continue
				}
				if p := strings.ToLower(strings.TrimSpace(e.Get("crossref"))); p != "" && !need[p] && len(full.LookupFold(p)) > 0 {
					need[p], grew = true, true
				}
			}
		}
		for _, e := range full.Entries() {
			if keep(e) || need[strings.ToLower(e.Key)] {
				want = append(want, e)
			}
		}
		if diff := cmp.Diff(entryDump(want), entryDump(part.Entries())); diff != "" {
			t.Errorf("entries (-Load +partial):\n%s", diff)
		}
		if diff := cmp.Diff(full.Keys(), part.Keys()); diff != "" {
			t.Errorf("keys (-Load +partial):\n%s", diff)
		}
		if diff := cmp.Diff(problemLines(full.Problems()), problemLines(part.Problems())); diff != "" {
			t.Errorf("Problems (-Load +partial):\n%s", diff)
		}
		for _, e := range want {
			got, _ := part.Lookup(e.Key)
			exp, _ := full.Lookup(e.Key)
			if keep(exp) && got.Pos != exp.Pos {
				t.Errorf("Lookup(%q) = %s, want %s", e.Key, got.Pos, exp.Pos)
			}
			if !part.HasKeyFold(strings.ToUpper(e.Key)) {
				t.Errorf("HasKeyFold(%q) = false", strings.ToUpper(e.Key))
			}
		}
		macros := func(l *Library) map[string]string {
			m := map[string]string{}
			for k, v := range l.Macros() {
				m[k] = Expand(v)
			}
			return m
		}
		if diff := cmp.Diff(macros(full), macros(part)); diff != "" {
			t.Errorf("macros (-Load +partial):\n%s", diff)
		}
		var fs, ps []string
		for i, f := range full.Files() {
			last := map[string]string{} // a partial library keeps a redefinition only when it changes the value
			for _, s := range f.Strings {
				k, v := strings.ToLower(s.Name), Expand(s.Value)
				if prev, ok := last[k]; !ok || prev != v {
					fs = append(fs, fmt.Sprintf("%d %s=%q %s %q", i, s.Name, v, s.Pos, s.Raw))
				}
				last[k] = v
			}
			for _, p := range f.Preambles {
				fs = append(fs, fmt.Sprintf("%d preamble %q %s %q", i, Expand(p.Value), p.Pos, p.Raw))
			}
		}
		for i, f := range part.Files() {
			for _, s := range f.Strings {
				ps = append(ps, fmt.Sprintf("%d %s=%q %s %q", i, s.Name, Expand(s.Value), s.Pos, s.Raw))
			}
			for _, p := range f.Preambles {
				ps = append(ps, fmt.Sprintf("%d preamble %q %s %q", i, Expand(p.Value), p.Pos, p.Raw))
			}
		}
		if diff := cmp.Diff(fs, ps); diff != "" {
			t.Errorf("@strings and @preambles (-Load +partial):\n%s", diff)
		}
	}
}

func TestLoadPartial(t *testing.T) {
	smallWindows(t, 64)
	dir := t.TempDir()
	pad := "% " + strings.Repeat("x", 70) + "\n"
	a := writeTemp(t, dir, "a.bib", `@string{conf = "Proc. of Things"}
@preamble{"\newcommand{\x}{x}"}
`+pad+`@proceedings{Grand, title = {Grand Parent}, year = 2019}
`+pad+`@proceedings{Early, title = {Before its child}, crossref = {grand}, year = 2020}
`+pad+`@article{Child, title = {A Study} # { of Streams}, crossref = {parent}, author = {A}, year = 2020, booktitle = conf}
`+pad+`@inproceedings{Late, crossref = {EARLY}, title = conf}
`+pad+`@misc{dup, title = {First}}
@misc{dup, title = {Second}}
@misc{gone, crossref = {nowhere}}
`+pad+`@string{later = "Later"}
@string{LATER = "Later"}
@string{conf = "Proc. of Things"}
@string{conf = "Proceedings"}
@proceedings{Parent, title = later, year = 2020}
@misc{broken, title = {never closed
`)
	b := writeTemp(t, dir, "b.bib", "@misc{fromB, title = conf # later}\n@misc{dup, title={Third}}\n")
	paths := []string{a, b, filepath.Join(dir, "missing.bib")}
	for _, n := range []int{1, 64, 4096} {
		smallWindows(t, n)
		samePartial(t, paths, func(e *Entry) bool {
			return e.Key == "Child" || e.Key == "Late" || e.Key == "dup" || e.Key == "fromB" || e.Key == "gone"
		})
		samePartial(t, paths, func(e *Entry) bool { return false })
		samePartial(t, paths, func(e *Entry) bool { return true })
	}
	lib := Load(paths, LoadOptions{Keep: func(e *Entry) bool { return e.Key == "Late" }})
	var got []string
	for _, e := range lib.Entries() {
		got = append(got, e.Key)
	}
	// Early comes before Late, its child, and Grand before Early: two
	// more passes.
	if want := []string{"Grand", "Early", "Late"}; !cmp.Equal(got, want) {
		t.Errorf("kept %q, want %q", got, want)
	}
	if c := lib.Closest("fromb", 1); !cmp.Equal(c, []string{"fromB"}) {
		t.Errorf("Closest(fromb) = %q: keys not kept must count", c)
	}
}

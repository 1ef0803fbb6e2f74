package bib

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nickng/bibtex"

	"github.com/papernotes/papernotes/internal/testutil"
)

// formatProblems prints problems one per line with severity and code, with
// paths relative to dir.
func formatProblems(dir string, l ErrorList) string {
	var b strings.Builder
	for _, p := range l {
		fmt.Fprintf(&b, "%s [%s %s]\n", strings.ReplaceAll(p.Error(), dir+string(filepath.Separator), ""), p.Severity, Code(p))
	}
	return b.String()
}

func loadFixture(t *testing.T) (*Library, string) {
	t.Helper()
	dir := filepath.Join("testdata", "library", "ws")
	l, err := LoadDir(dir, LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return l, dir
}

func TestLoadDir(t *testing.T) {
	t.Parallel()
	l, dir := loadFixture(t)
	var names []string
	for _, f := range l.Files() {
		names = append(names, filepath.ToSlash(strings.TrimPrefix(f.Name, dir+string(filepath.Separator))))
	}
	if got, want := strings.Join(names, " "), "a.bib b.bib sub/c.bib"; got != want {
		t.Errorf("files = %q, want %q", got, want)
	}
	var keys []string
	for _, e := range l.Entries() {
		keys = append(keys, e.Key)
	}
	t.Logf("keys: %q", keys)
	if len(keys) < 12 {
		t.Errorf("got %d entries, want at least 12", len(keys))
	}

	// The macro of a.bib is resolved in b.bib.
	he, ok := l.Lookup("he2016resnet")
	if !ok {
		t.Fatal("he2016resnet not found")
	}
	if got := he.Text("journal"); got != "IEEE Transactions on Pattern Analysis and Machine Intelligence" {
		t.Errorf("journal = %q, want the expansion of tpami from a.bib", got)
	}
	if _, ok := l.Macros()["tpami"]; !ok {
		t.Error("Macros() lacks tpami")
	}

	// The first definition wins; the fold lookup finds all case variants.
	e, ok := l.Lookup("li2023blip")
	if !ok || !strings.HasSuffix(e.Pos.Filename, "a.bib") {
		t.Errorf("Lookup(li2023blip) = %v, %v; want the entry of a.bib", e, ok)
	}
	if got := l.LookupFold("Li2022Grounded"); len(got) != 2 {
		t.Errorf("LookupFold(Li2022Grounded) found %d entries, want 2", len(got))
	}
	if _, ok := l.Lookup("Li2022Grounded"); ok {
		t.Error("Lookup is not exact")
	}
	if title, ok := l.CiteTitle("li2022grounded"); !ok || title != "Grounded language-image pre-training" {
		t.Errorf("CiteTitle = %q, %v", title, ok)
	}
	if _, ok := l.CiteTitle("nope"); ok {
		t.Error("CiteTitle(nope) is ok")
	}
}

// TestLibraryProblems compares the load problems and the checks with a golden file.
func TestLibraryProblems(t *testing.T) {
	t.Parallel()
	l, dir := loadFixture(t)
	got := "# Problems\n" + formatProblems(dir, l.Problems()) + "# Check\n" + formatProblems(dir, l.Check())
	testutil.Golden(t, filepath.Join("testdata", "library", "problems.golden"), []byte(got))

	var dups int
	for _, p := range l.Problems() {
		if errors.Is(p, ErrDuplicateKey) {
			dups++
			if p.Severity != SeverityError {
				t.Errorf("duplicate key %v is not an error", p)
			}
		}
	}
	if dups != 1 {
		t.Errorf("got %d duplicate-key problems, want 1 (li2023blip; case variants are not duplicates)", dups)
	}
}

func TestDuplicates(t *testing.T) {
	t.Parallel()
	l, _ := loadFixture(t)
	var b strings.Builder
	for _, g := range l.Duplicates() {
		fmt.Fprintf(&b, "%s:", g.Reason)
		for _, e := range g.Entries {
			fmt.Fprintf(&b, " %s", e.Key)
		}
		b.WriteString("\n")
	}
	testutil.Golden(t, filepath.Join("testdata", "library", "duplicates.golden"), []byte(b.String()))

	// A candidate not in the library.
	cand := mkEntry("article", "new", "title", "Grounded Language-Image Pre-Training", "year", "2022", "doi", "10.1109/CVPR52688.2022.01069")
	groups := l.FindDuplicates(cand)
	if len(groups) != 2 || !strings.HasPrefix(groups[0].Reason, "same DOI") || !strings.HasPrefix(groups[1].Reason, "same title and year") {
		t.Errorf("FindDuplicates = %+v, want a DOI group and a title group", groups)
	}
	if got := l.FindDuplicates(mkEntry("misc", "x", "title", "Something else entirely", "year", "2022")); got != nil {
		t.Errorf("FindDuplicates of a new work = %+v, want nil", got)
	}
}

func TestLoadUnreadable(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	good := filepath.Join(dir, "good.bib")
	if err := os.WriteFile(good, []byte("@misc{k, title={T}}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(dir, "missing.bib")
	l := Load([]string{missing, good}, LoadOptions{Workers: 1})
	if len(l.Files()) != 2 || len(l.Entries()) != 1 {
		t.Fatalf("got %d files, %d entries; want 2, 1", len(l.Files()), len(l.Entries()))
	}
	ps := l.Problems()
	if len(ps) != 1 || !errors.Is(ps[0], ErrIO) || ps[0].Pos.Filename != missing {
		t.Fatalf("Problems = %v, want one ErrIO for %s", ps, missing)
	}
	if _, err := LoadDir(filepath.Join(dir, "nope"), LoadOptions{}); err == nil {
		t.Error("LoadDir of a missing directory succeeded")
	}
	if l := Load(nil, LoadOptions{}); l == nil || len(l.Entries()) != 0 {
		t.Error("Load(nil) is not an empty library")
	}
}

func TestLoadPredefinedMacros(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	p := filepath.Join(dir, "x.bib")
	if err := os.WriteFile(p, []byte("@article{k, journal = IEEE_J_PAMI, title={T}}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	l := Load([]string{p}, LoadOptions{Macros: map[string]bibtex.BibString{"ieee_j_pami": bibtex.BibConst("IEEE Trans. PAMI")}})
	e, _ := l.Lookup("k")
	if got := e.Get("journal"); got != "IEEE Trans. PAMI" {
		t.Errorf("journal = %q", got)
	}
	for _, pr := range l.Problems() {
		if errors.Is(pr, ErrUndefinedMacro) {
			t.Errorf("macro still undefined: %v", pr)
		}
	}
}

// TestLoadCorpus loads the whole corpus as one library and checks it, with
// no panic; it also times the load.
func TestLoadCorpus(t *testing.T) {
	if testing.Short() {
		t.Skip("corpus load skipped in -short mode")
	}
	dir := testutil.CorpusDir(t)
	l, err := LoadDir(dir, LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	checks := l.Check()
	dups := l.Duplicates()
	t.Logf("%d files, %d entries, %d load problems, %d check problems, %d duplicate groups",
		len(l.Files()), len(l.Entries()), len(l.Problems()), len(checks), len(dups))
	for _, e := range l.Entries()[:min(len(l.Entries()), 2000)] {
		if got, ok := l.Lookup(e.Key); !ok || got.Key != e.Key {
			t.Fatalf("Lookup(%q) failed", e.Key)
		}
	}
}

// TestLibraryConcurrentReads runs the lazily indexed lookups at once; run
// with -race.
func TestLibraryConcurrentReads(t *testing.T) {
	t.Parallel()
	l, _ := loadFixture(t)
	cand := mkEntry("article", "new", "title", "Grounded Language-Image Pre-Training", "year", "2022")
	done := make(chan int)
	for i := 0; i < 4; i++ {
		go func() {
			n := len(l.LookupFold("LI2022GROUNDED")) + len(l.Duplicates()) + len(l.FindDuplicates(cand)) + len(l.Check())
			done <- n
		}()
	}
	first := <-done
	for i := 1; i < 4; i++ {
		if n := <-done; n != first {
			t.Errorf("concurrent reads disagree: %d and %d", first, n)
		}
	}
}

// BenchmarkLibrary loads the corpus as one library and checks it.
func BenchmarkLibrary(b *testing.B) {
	dir := testutil.CorpusDir(b)
	var paths []string
	var size int64
	_ = filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".bib") {
			if fi, err := d.Info(); err == nil {
				size += fi.Size()
			}
			paths = append(paths, p)
		}
		return nil
	})
	b.SetBytes(size)
	b.ReportAllocs()
	for b.Loop() {
		l := Load(paths, LoadOptions{})
		l.Check()
	}
}

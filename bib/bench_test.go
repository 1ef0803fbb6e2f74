package bib

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/papernotes/papernotes/internal/testutil"
)

// BenchmarkParseBib reads big real .bib files from the corpus: one large
// file as Parse reads it (in chunks on all cores) and in one piece, and the
// whole corpus concatenated into one input (also with NoCopy).
func BenchmarkParseBib(b *testing.B) {
	dir := testutil.CorpusDir(b)
	icml, err := os.ReadFile(filepath.Join(dir, "b-vitamins-bibliography/conferences/icml/2023.bib"))
	if err != nil {
		b.Fatal(err)
	}
	all := corpusConcat(b, dir)
	run := func(name string, src []byte, chunks int) {
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(src)))
			b.ResetTimer()
			for b.Loop() {
				var f *File
				if chunks < 0 {
					f = Parse("bench.bib", src, &ParseOptions{NoCopy: true})
				} else if chunks == 0 {
					f = Parse("bench.bib", src, nil)
				} else {
					f = parse("bench.bib", src, nil, chunks)
				}
				if len(f.Entries) == 0 {
					b.Fatal("no entries")
				}
			}
		})
	}
	run("icml2023", icml, 0)
	run("icml2023-sequential", icml, 1)
	run("corpus", all, 0)
	run("corpus-nocopy", all, -1)
	run("corpus-sequential", all, 1)
}

// corpusConcat returns the reference corpus files under dir, each followed
// by a newline, in one buffer.
func corpusConcat(tb testing.TB, dir string) []byte {
	var all []byte
	for _, r := range readReference(tb, dir) {
		src, err := os.ReadFile(filepath.Join(dir, r.rel))
		if err != nil {
			tb.Fatal(err)
		}
		all = append(append(all, src...), '\n')
	}
	return all
}

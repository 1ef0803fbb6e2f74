package index

import (
	"context"
	"path/filepath"
	"testing"
)

// benchPapers is the size of the generated workspace of the benchmarks;
// scripts/bench-search.sh measures the 10,000-note case as whole processes.
const benchPapers = 1000

func benchSources(b *testing.B) Sources {
	dir := b.TempDir()
	genWorkspace(b, dir, benchPapers, 1)
	return Sources{Root: dir, NotesDir: filepath.Join(dir, "notes"), BibPaths: []string{filepath.Join(dir, "bib")}}
}

func BenchmarkIndexBuild(b *testing.B) {
	src := benchSources(b)
	ctx := context.Background()
	ix, err := Open(filepath.Join(b.TempDir(), "index.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer ix.Close()
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := ix.Rebuild(ctx, src); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N)/benchPapers*1000, "ms/1000papers")
}

func BenchmarkSearch(b *testing.B) {
	src := benchSources(b)
	ctx := context.Background()
	ix, err := Open(filepath.Join(b.TempDir(), "index.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer ix.Close()
	if _, err := ix.Sync(ctx, src); err != nil {
		b.Fatal(err)
	}
	for _, qs := range []string{"开放词汇", "检", "detection", `"frozen encoders"`, "relevance:SAM -检测", "tag:vlm year:2018..2020"} {
		q, err := ParseQuery(qs)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(qs, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := ix.Search(ctx, q, SearchOptions{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	b.Run("sync-unchanged", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := ix.Sync(ctx, src); err != nil {
				b.Fatal(err)
			}
		}
	})
}

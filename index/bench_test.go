package index

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"
)

// benchPapers is the size of the generated workspace of the benchmarks;
// scripts/bench-search.sh measures the 10,000-note case as whole processes.
const benchPapers = 1000

func benchSources(b *testing.B) Sources {
	dir := b.TempDir()
	genWorkspace(b, dir, benchPapers, 1)
	return Sources{Root: dir, NotesDir: filepath.Join(dir, "notes"), BibPaths: []string{filepath.Join(dir, "bib")}}
}

// syncedIndex returns an index in a temporary folder, synced with src and
// closed at the end of the test.
func syncedIndex(tb testing.TB, src Sources) *Index {
	tb.Helper()
	ix, err := Open(filepath.Join(tb.TempDir(), "index.db"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { ix.Close() })
	if _, err := ix.Sync(context.Background(), src); err != nil {
		tb.Fatal(err)
	}
	return ix
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
	ix := syncedIndex(b, src)
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

// BenchmarkFixed times the fixed paths of a search process apart from the
// query: opening the index (lock, header check, SQLite open) and the
// freshness scan of the sources.
func BenchmarkFixed(b *testing.B) {
	src := benchSources(b)
	ctx := context.Background()
	path := filepath.Join(b.TempDir(), "index.db")
	ix, err := Open(path)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := ix.Sync(ctx, src); err != nil {
		b.Fatal(err)
	}
	ix.Close()
	b.Run("open", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			ix, err := Open(path)
			if err != nil {
				b.Fatal(err)
			}
			ix.Close()
		}
	})
	b.Run("scan", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, _, err := scan(src, runtime.GOMAXPROCS(0), nil); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkSearchAfterEdit times a search right after one note changed:
// the scan, reindexing that note, and the query.
func BenchmarkSearchAfterEdit(b *testing.B) {
	src := benchSources(b)
	ctx := context.Background()
	ix := syncedIndex(b, src)
	names, err := filepath.Glob(filepath.Join(src.NotesDir, "*.md"))
	if err != nil || len(names) == 0 {
		b.Fatal("no notes", err)
	}
	note := names[len(names)/2]
	orig, err := os.ReadFile(note)
	if err != nil {
		b.Fatal(err)
	}
	q, _ := ParseQuery("新加的文字")
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		i++
		b.StopTimer()
		text := fmt.Sprintf("%s\n\n新加的文字 %d\n", orig, i)
		if err := os.WriteFile(note, []byte(text), 0o644); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		res, _, err := ix.SyncSearch(ctx, src, q, SearchOptions{})
		if err != nil || res.Total != 1 {
			b.Fatalf("%+v, %v", res, err)
		}
	}
}

// BenchmarkNotesRead times what `report --week` asks the index: the scan,
// and the notes read in a week (nothing changed since the last sync).
func BenchmarkNotesRead(b *testing.B) {
	src := benchSources(b)
	ctx := context.Background()
	ix := syncedIndex(b, src)
	from, to := time.Date(2025, 11, 13, 0, 0, 0, 0, time.UTC), time.Date(2025, 11, 19, 0, 0, 0, 0, time.UTC)
	b.ReportAllocs()
	for b.Loop() {
		if _, _, ok, err := ix.NotesRead(ctx, src, from, to, 100); err != nil || !ok {
			b.Fatal(ok, err)
		}
	}
}

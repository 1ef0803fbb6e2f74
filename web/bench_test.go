package web

import (
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"testing"

	"github.com/papernotes/papernotes/bib"
	"github.com/papernotes/papernotes/index"
	"github.com/papernotes/papernotes/internal/testutil"
)

// The benchmarks run on a workspace written by scripts/gen-notes:
// PAPERNOTES_BENCH_NOTES notes (default 10,000), one bib entry each, with
// citations between notes, math and tables. It is generated once per run.
var (
	benchOnce sync.Once
	benchWS   string
	benchErr  error
)

func benchWorkspace(b *testing.B) string {
	b.Helper()
	benchOnce.Do(func() {
		n := 10000
		if v := os.Getenv("PAPERNOTES_BENCH_NOTES"); v != "" {
			n, benchErr = strconv.Atoi(v)
			if benchErr != nil {
				return
			}
		}
		dir, err := os.MkdirTemp("", "papernotes-web-bench-")
		if err != nil {
			benchErr = err
			return
		}
		benchWS = filepath.Join(dir, "ws")
		cmd := exec.Command("go", "run", "./scripts/gen-notes", "-n", strconv.Itoa(n), "-out", benchWS, "-seed", "1")
		cmd.Dir = testutil.RepoRoot(b)
		if out, err := cmd.CombinedOutput(); err != nil {
			benchErr = fmt.Errorf("gen-notes: %v\n%s", err, out)
		}
	})
	if benchErr != nil {
		b.Fatal(benchErr)
	}
	return benchWS
}

func TestMain(m *testing.M) {
	code := m.Run()
	if benchWS != "" {
		os.RemoveAll(filepath.Dir(benchWS))
	}
	os.Exit(code)
}

func benchOptions(ws string) Options {
	bibDir := filepath.Join(ws, "bib")
	notesDir := filepath.Join(ws, "notes")
	return Options{
		Root:        ws,
		NotesDir:    notesDir,
		BibPaths:    []string{bibDir},
		LoadLibrary: func() (*bib.Library, error) { return bib.LoadDir(bibDir, bib.LoadOptions{}) },
		OpenIndex: func() (*index.Index, error) {
			return index.Open(filepath.Join(ws, ".papernotes", "index.db"))
		},
		Sources: index.Sources{Root: ws, NotesDir: notesDir, BibPaths: []string{bibDir}},
		Addr:    testAddr,
	}
}

func benchServer(b *testing.B) *Server {
	b.Helper()
	s, err := New(benchOptions(benchWorkspace(b)))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	return s
}

// BenchmarkServerStart is serve's start: loading the library and parsing
// every note (bar: 2 s on 10,000 notes).
func BenchmarkServerStart(b *testing.B) {
	opts := benchOptions(benchWorkspace(b))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		s, err := New(opts)
		if err != nil {
			b.Fatal(err)
		}
		s.Close()
	}
}

// BenchmarkLibraryPage is a library page (bar: 100 ms): the first one
// after start builds the catalog, the others reuse it.
func BenchmarkLibraryPage(b *testing.B) {
	s := benchServer(b)
	for _, target := range []string{"/", "/?sort=title&page=20", "/?q=vision&tag=vlm&year=2020..", "/?sort=read&desc=1&note=yes"} {
		b.Run(url.QueryEscape(target), func(b *testing.B) {
			get(b, s, target)
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				if rec := get(b, s, target); rec.Code != 200 {
					b.Fatalf("status %d", rec.Code)
				}
			}
		})
	}
	b.Run("first", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			b.StopTimer()
			s.mu.Lock()
			s.state = &state{lib: s.state.lib, notes: s.state.notes, byKey: s.state.byKey, citedBy: s.state.citedBy}
			s.mu.Unlock()
			b.StartTimer()
			get(b, s, "/")
		}
	})
}

// benchKey is a key of the generated workspace with a note that cites and
// is cited.
func benchKey(b *testing.B, s *Server) string {
	st := s.snapshot()
	best, n := "", -1
	for k, note := range st.byKey {
		if c := len(st.citedBy[k]); len(note.Cites) > 0 && (c > n || c == n && k < best) {
			best, n = k, c
		}
	}
	if best == "" {
		b.Fatal("no note cites")
	}
	return best
}

// BenchmarkPaperPage is one paper page (bar: 20 ms).
func BenchmarkPaperPage(b *testing.B) {
	s := benchServer(b)
	target := KeyURL("/p/", benchKey(b, s))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if rec := get(b, s, target); rec.Code != 200 {
			b.Fatalf("status %d", rec.Code)
		}
	}
}

// BenchmarkSearch is one /api/search request on an index already up to
// date (bar: 30 ms).
func BenchmarkSearch(b *testing.B) {
	s := benchServer(b)
	for _, q := range []string{"开放词汇", "vision transformer", `"frozen encoders" -segment`, "tag:vlm year:2023.."} {
		target := "/api/search?q=" + url.QueryEscape(q)
		b.Run(url.QueryEscape(q), func(b *testing.B) {
			if rec := get(b, s, target); rec.Code != 200 { // builds or syncs the index
				b.Fatalf("status %d: %s", rec.Code, rec.Body)
			}
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				if rec := get(b, s, target); rec.Code != 200 {
					b.Fatalf("status %d", rec.Code)
				}
			}
		})
	}
}

// BenchmarkReload is the reload after one note is written (bar: 100 ms),
// with the search that follows it (which reindexes that note).
func BenchmarkReload(b *testing.B) {
	s := benchServer(b)
	key := benchKey(b, s)
	path := s.snapshot().byKey[key].Path
	src, err := os.ReadFile(path)
	if err != nil {
		b.Fatal(err)
	}
	get(b, s, "/api/search?q=vision")
	b.Cleanup(func() { os.WriteFile(path, src, 0o644) })
	b.Run("reload", func(b *testing.B) {
		i := 0
		for b.Loop() {
			i++
			os.WriteFile(path, append(src, fmt.Sprintf("\nedit %d\n", i)...), 0o644)
			if err := s.Reload([]string{path}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("reload+library", func(b *testing.B) {
		get(b, s, "/")
		i := 0
		for b.Loop() {
			i++
			os.WriteFile(path, append(src, fmt.Sprintf("\nedit %d\n", i)...), 0o644)
			if err := s.Reload([]string{path}); err != nil {
				b.Fatal(err)
			}
			if rec := get(b, s, "/"); rec.Code != 200 {
				b.Fatalf("status %d", rec.Code)
			}
		}
	})
	b.Run("reload+search", func(b *testing.B) {
		i := 0
		for b.Loop() {
			i++
			os.WriteFile(path, append(src, fmt.Sprintf("\nedit %d\n", i)...), 0o644)
			if err := s.Reload([]string{path}); err != nil {
				b.Fatal(err)
			}
			if rec := get(b, s, "/api/search?q=vision"); rec.Code != 200 {
				b.Fatalf("status %d", rec.Code)
			}
		}
	})
}

// BenchmarkLibraryPageBig is the library page over a large library: the
// .bib files under $PAPERNOTES_BENCH_BIB (../shared/corpus/bib has 85,000
// entries), without notes. Skipped when unset.
func BenchmarkLibraryPageBig(b *testing.B) {
	dir := os.Getenv("PAPERNOTES_BENCH_BIB")
	if dir == "" {
		b.Skip("set PAPERNOTES_BENCH_BIB to a folder of .bib files")
	}
	s, err := New(Options{
		Root:        b.TempDir(),
		LoadLibrary: func() (*bib.Library, error) { return bib.LoadDir(dir, bib.LoadOptions{}) },
		Addr:        testAddr,
	})
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("%d entries", len(s.snapshot().lib.Entries()))
	for _, target := range []string{"/", "/?page=200", "/?sort=title", "/?q=learning&year=2015.."} {
		b.Run(url.QueryEscape(target), func(b *testing.B) {
			get(b, s, target)
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				if rec := get(b, s, target); rec.Code != 200 {
					b.Fatalf("status %d", rec.Code)
				}
			}
		})
	}
}

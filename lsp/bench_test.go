package lsp

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/papernotes/papernotes/internal/testutil"
)

// The speed bars of issue 11, on a workspace of the corpus concatenated to
// 80,000 entries plus 10,000 generated notes (scripts/bench-lsp.sh runs
// these and prints the figures):
//   - server start to first completion <= 1 s   (BenchmarkLSPStart)
//   - completion and hover <= 20 ms each        (BenchmarkLSPCompletion, BenchmarkLSPHover)
//   - diagnostics of an edited 1,000-entry .bib <= 50 ms (BenchmarkLSPBibDiagnostics)
// BenchmarkLSPStart also reports the heap and the process RSS once loaded.

const (
	benchEntries = 80000
	benchNotes   = 10000
)

var entryHead = regexp.MustCompile(`(?m)^[ \t]*@[ \t]*([A-Za-z][A-Za-z0-9_:-]*)[ \t]*[{(][ \t]*([^ \t,{}()\n]*)`)

// benchWorkspace writes the benchmark workspace under dir and returns the
// keys of its notes.
//
// With LSP_BENCH_DIR set, the workspace is written there once and reused by
// later runs (scripts/bench-lsp.sh does this); the benchmarks never write it.
func benchWorkspace(b *testing.B) (string, []string) {
	b.Helper()
	d := os.Getenv("LSP_BENCH_DIR")
	if d == "" {
		d = b.TempDir()
		return d, writeBenchWorkspace(b, d)
	}
	keysFile := filepath.Join(d, "keys.txt")
	if data, err := os.ReadFile(keysFile); err == nil {
		return d, strings.Fields(string(data))
	}
	keys := writeBenchWorkspace(b, d)
	if err := os.WriteFile(keysFile, []byte(strings.Join(keys, "\n")), 0o644); err != nil {
		b.Fatal(err)
	}
	return d, keys
}

func writeBenchWorkspace(b *testing.B, dir string) []string {
	b.Helper()
	corpus := testutil.CorpusDir(b)
	ref, err := os.ReadFile(filepath.Join(corpus, "REFERENCE.tsv"))
	if err != nil {
		b.Fatal(err)
	}
	var files [][]byte
	for _, line := range strings.Split(string(ref), "\n") {
		rel, _, _ := strings.Cut(line, "\t")
		if rel == "" || strings.HasPrefix(rel, "#") || strings.HasPrefix(rel, "malformed/") {
			continue
		}
		src, err := os.ReadFile(filepath.Join(corpus, rel))
		if err != nil || bytes.IndexByte(src, 0) >= 0 {
			continue // UTF-16 would not survive concatenation
		}
		files = append(files, src)
	}
	var big bytes.Buffer
	var keys []string
	n := 0
	for copyN := 1; n < benchEntries; copyN++ {
		for fi, src := range files {
			if n >= benchEntries {
				break
			}
			suffix := fmt.Sprintf("-r%df%d", copyN, fi)
			out := entryHead.ReplaceAllFunc(src, func(m []byte) []byte {
				sub := entryHead.FindSubmatch(m)
				switch strings.ToLower(string(sub[1])) {
				case "string", "comment", "preamble":
					return m
				}
				n++
				key := string(sub[2]) + suffix
				if len(keys) < benchNotes {
					keys = append(keys, key)
				}
				return append(bytes.TrimSuffix(m, sub[2]), key...)
			})
			big.Write(out)
			big.WriteByte('\n')
		}
	}
	must := func(err error) {
		if err != nil {
			b.Fatal(err)
		}
	}
	for _, d := range []string{"bib", "notes", "paper", "journal"} {
		must(os.MkdirAll(filepath.Join(dir, d), 0o755))
	}
	must(os.WriteFile(filepath.Join(dir, "config.yaml"), []byte("language: en\n"), 0o644))
	must(os.WriteFile(filepath.Join(dir, "bib", "corpus.bib"), big.Bytes(), 0o644))
	var small bytes.Buffer
	for i := range 1000 {
		fmt.Fprintf(&small, "@article{small%d,\n  title = {Small paper number %d about {LSP} diagnostics},\n  author = {Writer, Ann and Reader, Bob},\n  journal = {Journal of Tests},\n  year = {%d},\n}\n\n", i, i, 2000+i%25)
	}
	must(os.WriteFile(filepath.Join(dir, "bib", "small.bib"), small.Bytes(), 0o644))
	for i, k := range keys {
		other := keys[(i*7+3)%len(keys)]
		note := fmt.Sprintf("---\nkey: %s\ntags: [bench, t%d]\nstatus: read\nread: 2025-11-%02d\n---\n\n# Note %d\n\n## Problem\n\nWhat problem number %d solves, and why it matters for [@%s].\n\n## Method\n\nThe method, compared with [@%s; @%s].\n\n## Relevance\n\nRelevant to our project %d.\n", k, i%20, 1+i%28, i, i, other, other, keys[(i+1)%len(keys)], i%50)
		must(os.WriteFile(filepath.Join(dir, "notes", fmt.Sprintf("n%05d.md", i)), []byte(note), 0o644))
	}
	must(os.WriteFile(filepath.Join(dir, "paper", "main.tex"), []byte(benchTeX(keys)), 0o644))
	return keys
}

func benchTeX(keys []string) string {
	return "\\documentclass{article}\n\\begin{document}\nSee \\citep{" + keys[0] + "} and \\cite{" + keys[1] + "}.\nNow \\cite{li\n\\end{document}\n"
}

func benchOpts(root string) Options {
	return Options{FindWorkspace: fixedWorkspace(root), Debounce: -1}
}

// benchClient starts and initializes a server on root; it is a testClient
// over a *testing.T that reports to b.
func benchClient(b *testing.B, root string) *testClient {
	c := startServerNoCleanup(b, benchOpts(root))
	c.root = pathURI(root)
	c.call("initialize", map[string]any{"rootUri": pathURI(root), "capabilities": map[string]any{}})
	c.notify("initialized", map[string]any{})
	return c
}

func BenchmarkLSPStart(b *testing.B) {
	root, keys := benchWorkspace(b)
	tex := benchTeX(keys)
	texPath := filepath.Join(root, "paper", "main.tex")
	pos := posOf(tex, "\\cite{li", true)
	b.ResetTimer()
	var cpuSum int64
	cpuStart := cpuTime()
	var last *testClient
	for i := 0; i < b.N; i++ {
		if last != nil {
			// Let the previous server finish its background load, untimed:
			// it would take the CPU from this one.
			b.StopTimer()
			cpuSum += cpuTime() - cpuStart
			last.call("textDocument/documentSymbol", map[string]any{"textDocument": map[string]any{"uri": pathURI(texPath)}})
			last.close()
			runtime.GC()
			cpuStart = cpuTime()
			b.StartTimer()
		}
		c := benchClient(b, root)
		uri := c.open(texPath, tex)
		m := c.call("textDocument/completion", map[string]any{"textDocument": map[string]any{"uri": uri}, "position": pos})
		var l completionList
		if err := json.Unmarshal(m.Result, &l); err != nil || len(l.Items) == 0 {
			b.Fatalf("completion: %s %v", m.Result, err)
		}
		last = c
	}
	b.StopTimer()
	cpuSum += cpuTime() - cpuStart
	// The process's CPU time per start (both cores): a figure that depends
	// less on the machine's load than the wall time does.
	b.ReportMetric(float64(cpuSum)/float64(b.N)/1e6, "cpu-ms/op")
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	b.ReportMetric(float64(ms.HeapInuse)/(1<<20), "heap-MB")
	b.ReportMetric(rssMB(), "rss-MB")
	last.close()
}

func loadedClient(b *testing.B) (*testClient, string, []string) {
	root, keys := benchWorkspace(b)
	c := benchClient(b, root)
	texPath := filepath.Join(root, "paper", "main.tex")
	uri := c.open(texPath, benchTeX(keys))
	c.call("textDocument/documentSymbol", map[string]any{"textDocument": map[string]any{"uri": uri}}) // waits for the whole load
	return c, uri, keys
}

func BenchmarkLSPCompletion(b *testing.B) {
	c, _, _ := loadedClient(b)
	defer c.close()
	for _, q := range []string{"li", "attention", "vaswani 2017", "z"} {
		b.Run(strings.ReplaceAll(q, " ", "_"), func(b *testing.B) {
			text := "\\cite{" + q
			uri := c.open(filepath.Join(b.TempDir(), "q.tex"), text)
			_ = uri
			p := Position{Line: 0, Character: len(text)}
			for i := 0; i < b.N; i++ {
				m := c.call("textDocument/completion", map[string]any{"textDocument": map[string]any{"uri": uri}, "position": p})
				if m.Error != nil {
					b.Fatal(m.Error)
				}
			}
		})
	}
}

func BenchmarkLSPHover(b *testing.B) {
	c, uri, keys := loadedClient(b)
	defer c.close()
	p := posOf(benchTeX(keys), keys[0], false)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		m := c.call("textDocument/hover", map[string]any{"textDocument": map[string]any{"uri": uri}, "position": p})
		if m.Error != nil || string(m.Result) == "null" {
			b.Fatal(m.Error, string(m.Result))
		}
	}
}

func BenchmarkLSPBibDiagnostics(b *testing.B) {
	root, _ := benchWorkspace(b)
	c := benchClient(b, root)
	defer c.close()
	path := filepath.Join(root, "bib", "small.bib")
	src, err := os.ReadFile(path)
	if err != nil {
		b.Fatal(err)
	}
	uri := c.open(path, string(src))
	c.diagnostics(uri) // waits for the whole load
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		// Break one entry (a missing comma), then fix it: each edit is a
		// full check of the file against the 81,000-entry library.
		edit := strings.Replace(string(src), "year = {2003},", "year = {2003}"+strconv.Itoa(i%2), 1)
		c.notify("textDocument/didChange", map[string]any{"textDocument": map[string]any{"uri": uri, "version": i + 2}, "contentChanges": []any{map[string]any{"text": edit}}})
		c.waitDiagnostics(uri)
	}
}

// cpuTime is the process's user plus system CPU time in nanoseconds.
func cpuTime() int64 {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}

// rssMB reads the process's resident set from /proc (0 elsewhere).
func rssMB() float64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmRSS:"); ok {
			kb, _ := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")))
			return float64(kb) / 1024
		}
	}
	return 0
}

// BenchmarkLSPLoadParts times the parts of a workspace load.
func BenchmarkLSPLoadParts(b *testing.B) {
	root, _ := benchWorkspace(b)
	ws, _ := fixedWorkspace(root)("")
	st := newState(*ws)
	b.Run("bib", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			st = newState(*ws)
			st.loadBib()
		}
	})
	b.Run("keys", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			st.quickKeys()
		}
	})
	b.Run("library", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			st.libDirty = true
			st.library()
		}
	})
	b.Run("index", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			st.idxDirty = true
			st.index()
		}
	})
	b.Run("notes", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			st.installNotes(st.readNotes())
		}
	})
	b.Run("others", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			st.installOthers(st.readOthers())
		}
	})
}

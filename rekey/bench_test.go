package rekey

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/papernotes/papernotes/bib"
)

// benchWorkspace writes a workspace of entries generated entries in one
// .bib file (about 250 bytes each, every tenth a crossref child of the
// entry before it) and notes notes (one per entry, each citing four other
// keys), plus a .tex file citing forty keys.
func benchWorkspace(b *testing.B, entries, nnotes int) Workspace {
	b.Helper()
	root := b.TempDir()
	for _, d := range []string{"bib", "notes", "reports", "paper"} {
		if err := os.MkdirAll(filepath.Join(root, d), 0o755); err != nil {
			b.Fatal(err)
		}
	}
	key := func(i int) string { return fmt.Sprintf("author%d%dword%d", i%997, 1990+i%35, i) }
	var lib strings.Builder
	for i := range entries {
		fmt.Fprintf(&lib, "@inproceedings{%s,\n  title     = {A Study of Things Number %d in {Deep} Learning},\n  author    = {Author, Some and Other, Person and Third, Writer},\n  booktitle = {Proceedings of the Conference %d},\n  year      = %d,\n", key(i), i, i%50, 1990+i%35)
		if i%10 == 1 {
			fmt.Fprintf(&lib, "  crossref  = {%s},\n", key(i-1))
		}
		lib.WriteString("}\n\n")
	}
	if err := os.WriteFile(filepath.Join(root, "bib", "library.bib"), []byte(lib.String()), 0o644); err != nil {
		b.Fatal(err)
	}
	for i := range nnotes {
		n := fmt.Sprintf("---\nkey: %s\nstatus: read\ntags: [vlm, bench]\n---\n# Note %d\n\n## Problem\nThis paper studies things, as [@%s] did before, and compares with [@%s; @%s, p. 3].\n\n## Method\nLike [[%s]] but larger.\n",
			key(i), i, key((i+1)%entries), key((i+7)%entries), key((i+13)%entries), key((i+29)%entries))
		if err := os.WriteFile(filepath.Join(root, "notes", key(i)+".md"), []byte(n), 0o644); err != nil {
			b.Fatal(err)
		}
	}
	var tex strings.Builder
	tex.WriteString("\\documentclass{article}\n\\begin{document}\n")
	for i := range 40 {
		fmt.Fprintf(&tex, "Text \\citep{%s, %s}.\n", key(i*3), key(i*3+1))
	}
	tex.WriteString("\\end{document}\n")
	if err := os.WriteFile(filepath.Join(root, "paper", "main.tex"), []byte(tex.String()), 0o644); err != nil {
		b.Fatal(err)
	}
	return Workspace{
		Root:         root,
		BibPaths:     []string{filepath.Join(root, "bib")},
		NotesDir:     filepath.Join(root, "notes"),
		MarkdownDirs: []string{filepath.Join(root, "reports")},
	}
}

// BenchmarkRename renames one key (cited by five notes and the .tex file,
// with a crossref child) on an 80,000-entry library with 10,000 notes:
// "plan" reads and parses the library each time as the CLI does,
// "plan-loaded" gets the library in memory as the language server has it,
// "apply" plans and writes, renaming back and forth.
func BenchmarkRename(b *testing.B) {
	ws := benchWorkspace(b, 80000, 10000)
	const old, alt = "author1002020word100", "renamed2020word100"
	b.Run("plan", func(b *testing.B) {
		b.ReportAllocs()
		defer reportCPU(b)()
		for b.Loop() {
			r, err := Plan(ws, old, alt)
			if err != nil {
				b.Fatal(err)
			}
			if r.Edits() != 8 {
				b.Fatalf("only %d edits", r.Edits())
			}
		}
	})
	b.Run("plan-loaded", func(b *testing.B) {
		loaded := ws
		var err error
		if loaded.Library, err = bib.LoadDir(filepath.Join(ws.Root, "bib"), bib.LoadOptions{}); err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		b.ResetTimer()
		defer reportCPU(b)()
		for b.Loop() {
			if _, err := Plan(loaded, old, alt); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("apply", func(b *testing.B) {
		b.ReportAllocs()
		from, to := old, alt
		defer reportCPU(b)()
		for b.Loop() {
			r, err := Plan(ws, from, to)
			if err != nil {
				b.Fatal(err)
			}
			if err := Apply(r); err != nil {
				b.Fatal(err)
			}
			from, to = to, from
		}
	})
}

// reportCPU reports the process's CPU time (user and system) per
// operation, a figure that stays meaningful on a shared, loaded machine
// where ns/op measures the wait for a core as well.
func reportCPU(b *testing.B) func() {
	start := cpuTime()
	return func() {
		if b.N > 0 {
			b.ReportMetric(float64((cpuTime()-start).Milliseconds())/float64(b.N), "cpu-ms/op")
		}
	}
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

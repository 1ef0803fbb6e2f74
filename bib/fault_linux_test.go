//go:build linux

package bib

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"syscall"
	"testing"
)

// merge-bib parses files mapped into memory (NoCopy). When one shrinks
// under it, the parse workers touch vanished pages: each worker must turn
// the fault into a panic that reaches the caller, who recovers it, rather
// than crash the process from a goroutine the caller cannot recover.
func TestParseMappedFileShrinks(t *testing.T) {
	var b strings.Builder
	for i := 0; b.Len() < 4<<20; i++ {
		fmt.Fprintf(&b, "@article{k%d,\n  title = {Title %d},\n  year = 2020,\n}\n\n", i, i)
	}
	p := filepath.Join(t.TempDir(), "big.bib")
	if err := os.WriteFile(p, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	src, err := syscall.Mmap(int(f.Fd()), 0, b.Len(), syscall.PROT_READ, syscall.MAP_PRIVATE)
	if err != nil {
		t.Skipf("mmap: %v", err)
	}
	defer syscall.Munmap(src)
	if n := len(splitChunks(string(src), 0, 2)); n < 3 {
		t.Fatalf("the file is one chunk (%d bounds): the test needs parallel workers", n)
	}
	// Keep the first three quarters: the caller itself reads up to the
	// last chunk (line counts, chunk bounds), only the last worker reads
	// past it.
	if err := os.Truncate(p, int64(b.Len()*3/4)); err != nil {
		t.Fatal(err)
	}
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	got := func() (r any) {
		defer func() { r = recover() }()
		parse("big.bib", src, &ParseOptions{NoCopy: true}, 2)
		return nil
	}()
	if got == nil {
		t.Skip("the kernel kept the truncated pages readable; nothing to recover")
	}
	if _, ok := got.(interface{ Addr() uintptr }); !ok {
		t.Fatalf("recovered %T %v, want the fault", got, got)
	}
}

// A file that shrinks while CheckFiles reads it gives an I/O problem after
// what was read of it, not a crash.
func TestCheckFilesFileShrinks(t *testing.T) {
	smallWindows(t, 64<<10)
	var b strings.Builder
	for i := 0; b.Len() < 1<<20; i++ {
		fmt.Fprintf(&b, "@article{k%d,\n  title = {Title %d},\n  year = 2020,\n}\n\n", i, i)
	}
	dir := t.TempDir()
	p := writeTemp(t, dir, "big.bib", b.String())
	other := writeTemp(t, dir, "other.bib", "@misc{after, title = {Read after}}\n")
	windows := 0
	got := CheckFiles([]string{p, other}, CheckOptions{LoadOptions: LoadOptions{AfterWindow: func() {
		if windows++; windows == 1 {
			if err := os.Truncate(p, 100<<10); err != nil {
				t.Error(err)
			}
		}
	}}})
	if len(got.Files) != 2 || got.Files[0].Entries == 0 || got.Files[1].Entries != 1 {
		t.Fatalf("files %+v: want what was read of big.bib, then other.bib", got.Files)
	}
	var io []string
	for _, e := range got.Problems {
		if errors.Is(e, ErrIO) {
			io = append(io, e.Error())
		}
	}
	if len(io) != 1 || !strings.Contains(io[0], "big.bib: ") || !strings.Contains(io[0], "changed while it was read") {
		t.Errorf("I/O problems %q, want one saying big.bib changed", io)
	}
}

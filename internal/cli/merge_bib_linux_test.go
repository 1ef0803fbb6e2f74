//go:build linux

package cli

import (
	"os"
	"path/filepath"
	"runtime/debug"
	"testing"

	"github.com/papernotes/papernotes/bib"
)

var sink byte

// A mapped input that shrinks under the driver is a fault on its vanished
// pages. mergeBibRun relies on SetPanicOnFault turning that fault into a
// panic with an address, which it recovers as an error; this checks the
// mechanism on a real mapping.
func TestMappedFileShrinkIsRecoverable(t *testing.T) {
	p := filepath.Join(t.TempDir(), "ours.bib")
	if err := os.WriteFile(p, make([]byte, 3*os.Getpagesize()), 0o644); err != nil {
		t.Fatal(err)
	}
	b, release, err := bib.MapFile(p, true)
	if err != nil {
		t.Fatal(err)
	}
	defer release(-1)
	if err := os.Truncate(p, 0); err != nil {
		t.Fatal(err)
	}
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	got := func() (r any) {
		defer func() { r = recover() }()
		sink += b[len(b)-1]
		return nil
	}()
	if got == nil {
		t.Skip("the kernel kept the truncated pages readable; nothing to recover")
	}
	if _, ok := got.(interface{ Addr() uintptr }); !ok {
		t.Fatalf("fault panic %T %v has no address; mergeBibRun would re-panic", got, got)
	}
}

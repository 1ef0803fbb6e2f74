package cli

import (
	"runtime"
	"runtime/debug"
	"testing"
)

// The soft memory limit of a streaming check is twice the files' size less
// 24 MB, at least 48 MB; it is raised when the live heap outgrows it, and
// put back afterwards.
func TestMemoryLimit(t *testing.T) {
	before := debug.SetMemoryLimit(-1)
	var m memoryLimit
	m.check() // not started: nothing to do
	if got := debug.SetMemoryLimit(-1); got != before {
		t.Fatalf("check before start set the limit to %d", got)
	}
	m.start(100 << 20)
	if got := debug.SetMemoryLimit(-1); got != 176<<20 {
		t.Errorf("limit for 100 MB: %d MB, want 176", got>>20)
	}
	m.restore()
	m = memoryLimit{}
	m.start(1 << 20)
	if got := debug.SetMemoryLimit(-1); got != 48<<20 {
		t.Errorf("limit for 1 MB: %d MB, want the 48 MB floor", got>>20)
	}
	m.check() // this test's heap is far below the limit
	if got := debug.SetMemoryLimit(-1); got != 48<<20 {
		t.Errorf("limit raised to %d MB with a small heap", got>>20)
	}
	live := make([][]byte, 70)
	for i := range live {
		live[i] = make([]byte, 1<<20)
	}
	runtime.GC()
	m.check()
	got := debug.SetMemoryLimit(-1)
	if got < 140<<20 {
		t.Errorf("limit %d MB with 70 MB live, want it raised to twice the live heap", got>>20)
	}
	runtime.KeepAlive(live)
	m.restore()
	if got := debug.SetMemoryLimit(-1); got != before {
		t.Errorf("limit after restore: %d, want %d", got, before)
	}
}

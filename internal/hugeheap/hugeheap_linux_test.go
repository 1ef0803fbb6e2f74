//go:build linux

package hugeheap

import (
	"bytes"
	"os"
	"strconv"
	"testing"
)

// TestHeapOnHugePages checks that, where the kernel takes the advice, memory
// the heap hands out after the init is backed by huge pages.
func TestHeapOnHugePages(t *testing.T) {
	if !advised {
		t.Skipf("the heap was not advised: transparent huge pages are %q here (the advice applies in madvise mode), or PAPERNOTES_HUGEPAGES=0", bytes.TrimSpace(readSmall("/sys/kernel/mm/transparent_hugepage/enabled")))
	}
	before := anonHuge(t)
	b := make([]byte, 32<<20)
	for i := 0; i < len(b); i += 4096 {
		b[i] = 1
	}
	after := anonHuge(t)
	if after-before < 2<<20 {
		t.Errorf("touching 32 MB of fresh heap added %d bytes of huge pages (AnonHugePages %d -> %d); want at least one 2 MB page", after-before, before, after)
	}
	_ = b[len(b)-1]
}

// anonHuge returns AnonHugePages of /proc/self/smaps_rollup in bytes.
func anonHuge(t *testing.T) int64 {
	t.Helper()
	data, err := os.ReadFile("/proc/self/smaps_rollup")
	if err != nil {
		t.Skipf("no smaps_rollup: %v", err)
	}
	for line := range bytes.Lines(data) {
		if rest, ok := bytes.CutPrefix(line, []byte("AnonHugePages:")); ok {
			f := bytes.Fields(rest)
			n, err := strconv.ParseInt(string(f[0]), 10, 64)
			if err != nil {
				t.Fatal(err)
			}
			return n << 10
		}
	}
	t.Skip("smaps_rollup has no AnonHugePages line")
	return 0
}

package par

import (
	"sync/atomic"
	"testing"
)

func TestDo(t *testing.T) {
	for _, n := range []int{0, 1, 2, 7, 1000} {
		seen := make([]atomic.Int32, n)
		Do(n, func(i int) { seen[i].Add(1) })
		for i := range seen {
			if got := seen[i].Load(); got != 1 {
				t.Errorf("n=%d: fn(%d) ran %d times", n, i, got)
			}
		}
	}
}

func TestRuns(t *testing.T) {
	for _, n := range []int{0, 1, 511, 512, 513, 2000} {
		seen := make([]atomic.Int32, n)
		Runs(n, 512, func(lo, hi int) {
			if lo >= hi || hi-lo > 512 {
				t.Errorf("n=%d: run [%d, %d)", n, lo, hi)
			}
			for i := lo; i < hi; i++ {
				seen[i].Add(1)
			}
		})
		for i := range seen {
			if got := seen[i].Load(); got != 1 {
				t.Errorf("n=%d: index %d in %d runs", n, i, got)
			}
		}
	}
}

// Package par runs independent pieces of work on all cores.
package par

import (
	"runtime"
	"sync"
)

// Do runs fn(0), …, fn(n-1) on all cores and returns when all have
// returned. The calls may run in any order and at the same time.
func Do(n int, fn func(i int)) {
	workers := min(runtime.GOMAXPROCS(0), n)
	if workers <= 1 {
		for i := range n {
			fn(i)
		}
		return
	}
	var wg sync.WaitGroup
	next := make(chan int)
	for range workers {
		wg.Go(func() {
			for i := range next {
				fn(i)
			}
		})
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
}

// Runs splits 0..n-1 into runs of at most run indexes and calls fn(lo, hi)
// for each run [lo, hi) on all cores, as [Do] does.
func Runs(n, run int, fn func(lo, hi int)) {
	Do((n+run-1)/run, func(r int) {
		fn(r*run, min(n, (r+1)*run))
	})
}

package index

import (
	"math/rand/v2"
	"slices"
	"testing"
)

func TestNthLargest(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for range 500 {
		xs := make([]float64, 1+r.IntN(60))
		for i := range xs {
			xs[i] = float64(r.IntN(8)) // many ties
		}
		n := 1 + r.IntN(len(xs))
		sorted := slices.Clone(xs)
		slices.Sort(sorted)
		want := sorted[len(sorted)-n]
		if got := nthLargest(xs, n, func(x float64) float64 { return x }); got != want {
			t.Fatalf("nthLargest(%v, %d) = %v, want %v", xs, n, got, want)
		}
	}
}

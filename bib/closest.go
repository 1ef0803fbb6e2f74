package bib

import (
	"sort"
	"strings"
)

// closeKey is one distinct key as [Library.Closest] compares it.
type closeKey struct {
	key  string // the key as written (its first spelling in library order)
	fold []rune // lower-cased
}

// MaxKeyDistance returns the largest edit distance at which
// [Library.Closest] still suggests a key for a query of n runes: 1 up to 4
// runes, 2 up to 8, then 3. A longer bound would offer unrelated keys of the
// same shape (author+year+word) for every short query.
func MaxKeyDistance(n int) int {
	switch {
	case n <= 4:
		return 1
	case n <= 8:
		return 2
	}
	return 3
}

// Closest returns up to n keys of the library nearest to key, for "did you
// mean" messages: keys within [MaxKeyDistance] edits, comparing without
// case, in runes, where an insertion, a deletion, a substitution or a swap of
// two neighbouring characters is one edit. The nearest come first, ties in
// library order; a key that differs from key only in case comes before all
// others. key itself is never returned; nil means nothing is close. Each
// distinct key appears once.
//
// It reads every key once per call with a distance computation that stops
// as soon as the bound is exceeded (a few milliseconds on 80,000 keys); the
// folded keys are computed on the first call and kept. Safe for concurrent
// use.
func (l *Library) Closest(key string, n int) []string {
	if n <= 0 || key == "" {
		return nil
	}
	l.closeOnce.Do(l.buildCloseKeys)
	q := []rune(strings.ToLower(key))
	bound := MaxKeyDistance(len(q))
	type hit struct {
		d, order int
		key      string
	}
	var hits []hit
	var rows distRows
	for i, c := range l.closeKeys {
		if c.key == key {
			continue
		}
		if d := len(c.fold) - len(q); d > bound || -d > bound {
			continue
		}
		d := rows.distance(q, c.fold, bound)
		if d > bound {
			continue
		}
		// Same key but for case: the most likely meaning.
		rank := d + 1
		if d == 0 {
			rank = 0
		}
		hits = append(hits, hit{rank, i, c.key})
	}
	sort.Slice(hits, func(i, j int) bool {
		if hits[i].d != hits[j].d {
			return hits[i].d < hits[j].d
		}
		return hits[i].order < hits[j].order
	})
	out := make([]string, 0, min(n, len(hits)))
	for _, h := range hits[:min(n, len(hits))] {
		out = append(out, h.key)
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// buildCloseKeys lists each distinct key once, in library order.
func (l *Library) buildCloseKeys() {
	keys := l.Keys()
	seen := make(map[string]bool, len(keys))
	l.closeKeys = make([]closeKey, 0, len(keys))
	for _, key := range keys {
		if seen[key] {
			continue
		}
		seen[key] = true
		var fold []rune
		if asciiOnly(key) {
			fold = make([]rune, len(key))
			for i := 0; i < len(key); i++ {
				c := key[i]
				if 'A' <= c && c <= 'Z' {
					c += 'a' - 'A'
				}
				fold[i] = rune(c)
			}
		} else {
			fold = []rune(strings.ToLower(key))
		}
		l.closeKeys = append(l.closeKeys, closeKey{key: key, fold: fold})
	}
}

// distRows are the three rows of the distance table, reused across calls.
type distRows struct{ pp, prev, cur []int }

// distance returns the optimal-string-alignment distance between a and b
// (Levenshtein plus swaps of neighbours), or some value above bound when it
// exceeds bound. Only the cells within bound of the diagonal are computed
// (the others cannot lead to a distance within bound), and it stops as soon
// as a whole row exceeds bound.
func (r *distRows) distance(a, b []rune, bound int) int {
	m := len(b) + 1
	if cap(r.cur) < m {
		r.pp, r.prev, r.cur = make([]int, m), make([]int, m), make([]int, m)
	}
	pp, prev, cur := r.pp[:m], r.prev[:m], r.cur[:m]
	over := bound + 1
	if d := len(a) - len(b); d > bound || -d > bound {
		return over
	}
	for j := range prev {
		prev[j] = min(j, over)
		pp[j] = over
	}
	for i := 1; i <= len(a); i++ {
		lo, hi := max(1, i-bound), min(m-1, i+bound)
		cur[0] = min(i, over)
		if lo > 1 {
			cur[lo-1] = over
		}
		rowMin := cur[0]
		for j := lo; j <= hi; j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			v := min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				v = min(v, pp[j-2]+1)
			}
			v = min(v, over)
			cur[j] = v
			rowMin = min(rowMin, v)
		}
		if hi+1 < m {
			cur[hi+1] = over
		}
		if rowMin > bound {
			return over
		}
		pp, prev, cur = prev, cur, pp
	}
	return prev[m-1]
}

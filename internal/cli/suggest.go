package cli

import (
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/papernotes/papernotes/bib"
)

// maxKeySuggestions is how many near keys a "did you mean" offers.
const maxKeySuggestions = 3

// keySuggestion returns ` (did you mean "a" or "b"?)` with the library's
// keys nearest to key ([bib.Library.Closest]), or "" when none is close.
// Every command that takes a KEY uses it for a key it cannot find.
func keySuggestion(lib *bib.Library, key string) string {
	if lib == nil {
		return ""
	}
	return didYouMean(lib.Closest(key, maxKeySuggestions), true)
}

// unknownKeyError is the error for a KEY argument that is not in lib:
// `no entry with key "x" (did you mean "y"?)`; with no near key, hint (such
// as "import it first: papernotes add") follows in parentheses instead.
func unknownKeyError(lib *bib.Library, key, hint string) error {
	if s := keySuggestion(lib, key); s != "" {
		return fmt.Errorf("no entry with key %q%s", key, s)
	}
	if hint != "" {
		return fmt.Errorf("no entry with key %q (%s)", key, hint)
	}
	return fmt.Errorf("no entry with key %q", key)
}

// noteKeySuggestion returns ` (did you mean "a"?)` with the keys of the
// notes of set nearest to key (as [bib.Library.Closest] measures), or "".
func noteKeySuggestion(set *noteSet, key string) string {
	if set == nil {
		return ""
	}
	keys := make([]string, 0, len(set.Notes))
	for _, n := range set.Notes {
		if n.Key != key {
			keys = append(keys, n.Key)
		}
	}
	return didYouMean(closeStrings(key, keys, bib.MaxKeyDistance(utf8.RuneCountInString(key))), true)
}

// closeWords returns the distinct words of cands (tags, say) within a small
// edit distance of w, ignoring case, nearest first: 1 edit for a word of up
// to 4 letters, else 2.
func closeWords(w string, cands []string) []string {
	bound := 2
	if utf8.RuneCountInString(w) <= 4 {
		bound = 1
	}
	return closeStrings(w, cands, bound)
}

// closeStrings returns up to maxKeySuggestions distinct strings of cands
// within bound edits of w, ignoring case, nearest first, ties in the order
// of cands.
func closeStrings(w string, cands []string, bound int) []string {
	w = strings.ToLower(w)
	seen := map[string]bool{}
	type hit struct {
		d int
		s string
	}
	var hits []hit
	for _, c := range cands {
		lc := strings.ToLower(c)
		if seen[lc] {
			continue
		}
		seen[lc] = true
		if d := editDistance(w, lc); d <= bound {
			hits = append(hits, hit{d, c})
		}
	}
	sort.SliceStable(hits, func(i, j int) bool { return hits[i].d < hits[j].d })
	var out []string
	for _, h := range hits[:min(len(hits), maxKeySuggestions)] {
		out = append(out, h.s)
	}
	return out
}

// keySuggestionAmong is keySuggestion limited to the keys for which keep
// reports true (those with a note, say).
func keySuggestionAmong(lib *bib.Library, key string, keep func(string) bool) string {
	if lib == nil {
		return ""
	}
	var out []string
	for _, k := range lib.Closest(key, 20) {
		if keep(k) {
			out = append(out, k)
			if len(out) == maxKeySuggestions {
				break
			}
		}
	}
	return didYouMean(out, true)
}

package bib

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// BylineOptions control [Byline]. The zero value lists up to three names
// and writes "et al." for the rest.
type BylineOptions struct {
	// Max is the longest list written whole; 0 means 3. A longer list
	// gives its first Max-1 names (at least one), then EtAl.
	Max int
	// EtAl ends a truncated list: "et al." when empty; "等" for Chinese.
	EtAl string
}

// Byline writes an author list as text for people: "A. Kirillov, E. Mintun,
// et al.", with first names as initials, the von part and Jr kept, LaTeX
// decoded, and a final "and others" written as opts.EtAl (never as a
// person called "others"). A Chinese name (Han script) is written whole
// ("周飞燕"). A list of two is joined by ", " as well, so the result reads
// the same in any language. "" when names is empty.
func Byline(names []Name, opts BylineOptions) string {
	max := opts.Max
	if max <= 0 {
		max = 3
	}
	etAl := opts.EtAl
	if etAl == "" {
		etAl = "et al."
	}
	var people []Name
	others := false
	for _, n := range names {
		if n.Others {
			others = true
			continue
		}
		people = append(people, n)
	}
	if len(people) > max {
		people, others = people[:maxInt(max-1, 1)], true
	}
	var parts []string
	for _, n := range people {
		parts = append(parts, shortName(n))
	}
	if others {
		if len(parts) == 0 {
			return etAl
		}
		if hasHanRune(etAl) {
			return strings.Join(parts, ", ") + " " + etAl // "A. Li, B. Wang 等"
		}
		return strings.Join(parts, ", ") + ", " + etAl
	}
	return strings.Join(parts, ", ")
}

// shortName is "A. B. von Last, Jr" with initials for the first names, or
// the whole name when it is Chinese.
func shortName(n Name) string {
	full := collapseSpace(DecodeLaTeX(n.String()))
	if hasHanRune(full) {
		return full
	}
	var b []string
	for _, w := range strings.Fields(n.FirstText()) {
		b = append(b, initials(w))
	}
	for _, p := range []string{n.Von, n.Last} {
		if t := collapseSpace(DecodeLaTeX(p)); t != "" {
			b = append(b, t)
		}
	}
	s := strings.Join(b, " ")
	if jr := collapseSpace(DecodeLaTeX(n.Jr)); jr != "" {
		s += ", " + jr
	}
	if s == "" {
		return full
	}
	return s
}

// initials turns "Jean-Pierre" into "J.-P." and "Alexander" into "A.".
func initials(w string) string {
	var parts []string
	for _, p := range strings.Split(w, "-") {
		if r, _ := utf8.DecodeRuneInString(p); unicode.IsLetter(r) {
			parts = append(parts, string(r)+".")
		}
	}
	if len(parts) == 0 {
		return w
	}
	return strings.Join(parts, "-")
}

func hasHanRune(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}

func maxInt(a, b int) int {
	if a > b {
		return a
	}
	return b
}

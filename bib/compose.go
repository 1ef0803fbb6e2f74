package bib

import (
	"cmp"
	"slices"
	"unicode/utf8"
)

// This file is the Unicode normalisation that [DecodeLaTeX] and [EncodeLaTeX]
// need, over the tables that gencompose generates from
// golang.org/x/text/unicode/norm: bib imports the standard library and
// nickng/bibtex only (STYLE.md §2). composeString gives the same result as
// norm.NFC.String for valid UTF-8, which compose_test.go checks.

//go:generate go run ./internal/gencompose/main.go -o compose_table.go

// decomposition is a rune with a canonical decomposition: nfd is its full
// decomposition, and nfcNo is set when NFC does not keep the rune.
type decomposition struct {
	r     rune
	nfd   string
	nfcNo bool
}

// composition is a pair (a, b) that NFC composes to c.
type composition struct{ a, b, c rune }

// streamSafe holds the stream-safe counts of r (see nonStarters).
type streamSafe struct {
	r           rune
	lead, trail uint8
}

// cccRange gives the runes lo..hi the canonical combining class ccc.
type cccRange struct {
	lo, hi rune
	ccc    uint8
}

// Hangul syllables (de)compose algorithmically (Unicode §3.12).
const (
	hangulSBase  = 0xAC00
	hangulLBase  = 0x1100
	hangulVBase  = 0x1161
	hangulTBase  = 0x11A7
	hangulLCount = 19
	hangulVCount = 21
	hangulTCount = 28
	hangulNCount = hangulVCount * hangulTCount
	hangulSCount = hangulLCount * hangulNCount
)

// maxNonStarters is the longest run of non-starters that NFC keeps together;
// a longer run gets a combining grapheme joiner (U+034F), as in
// golang.org/x/text/unicode/norm (the Stream-Safe Text Format, UAX #15).
const maxNonStarters = 30

const graphemeJoiner = '\u034F'

func lookupDecomposition(r rune) (decomposition, bool) {
	if r < 0xC0 {
		return decomposition{}, false
	}
	i, ok := slices.BinarySearchFunc(decompositions, r, func(d decomposition, r rune) int { return cmp.Compare(d.r, r) })
	if !ok {
		return decomposition{}, false
	}
	return decompositions[i], true
}

// combiningClass returns the canonical combining class of r.
func combiningClass(r rune) uint8 {
	if r < 0x300 {
		return 0
	}
	i, ok := slices.BinarySearchFunc(combiningClasses, r, func(c cccRange, r rune) int {
		switch {
		case c.hi < r:
			return -1
		case c.lo > r:
			return 1
		}
		return 0
	})
	if !ok {
		return 0
	}
	return combiningClasses[i].ccc
}

// compose returns the primary composite whose canonical decomposition is base
// followed by mark (a combining mark such as U+0308, or a Hangul jamo), and
// whether there is one: compose('o', '\u0308') is 'ö'. This is the pairwise
// step of NFC, so mark must be decomposed (U+0340 is not, U+0300 is).
func compose(base, mark rune) (rune, bool) {
	if l := base - hangulLBase; l >= 0 && l < hangulLCount {
		if v := mark - hangulVBase; v >= 0 && v < hangulVCount {
			return hangulSBase + (l*hangulVCount+v)*hangulTCount, true
		}
		return 0, false
	}
	if s := base - hangulSBase; s >= 0 && s < hangulSCount && s%hangulTCount == 0 {
		if t := mark - hangulTBase; t > 0 && t < hangulTCount {
			return base + t, true
		}
		return 0, false
	}
	i, ok := slices.BinarySearchFunc(compositions, [2]rune{base, mark}, func(c composition, k [2]rune) int {
		if c.a != k[0] {
			return cmp.Compare(c.a, k[0])
		}
		return cmp.Compare(c.b, k[1])
	})
	if !ok {
		return 0, false
	}
	return compositions[i].c, true
}

// decompose returns the full canonical decomposition (NFD) of r: its base
// rune and the combining marks on it, in canonical order. A rune without a
// decomposition is its own base, with no marks.
func decompose(r rune) (base rune, marks []rune) {
	rs := appendDecomposed(nil, r)
	return rs[0], rs[1:]
}

// appendDecomposed appends the full canonical decomposition of r to dst.
func appendDecomposed(dst []rune, r rune) []rune {
	if s := r - hangulSBase; s >= 0 && s < hangulSCount {
		dst = append(dst, hangulLBase+s/hangulNCount, hangulVBase+s%hangulNCount/hangulTCount)
		if t := s % hangulTCount; t != 0 {
			dst = append(dst, hangulTBase+t)
		}
		return dst
	}
	if d, ok := lookupDecomposition(r); ok {
		for _, c := range d.nfd {
			dst = append(dst, c)
		}
		return dst
	}
	return append(dst, r)
}

// decomposeString returns the NFD of s as runes: every rune fully
// decomposed and every run of combining marks in canonical order.
// Like norm.NFD.String, it puts a U+034F after the 30th non-starter in a row.
func decomposeString(s string) []rune {
	rs := appendStreamSafe(make([]rune, 0, len(s)), s)
	sortMarks(rs)
	return rs
}

// appendStreamSafe appends the full canonical decomposition of every rune of
// s to dst, with a combining grapheme joiner (U+034F) before a rune that would
// make the run of non-starters longer than maxNonStarters, like
// golang.org/x/text/unicode/norm (the Stream-Safe Text Format, UAX #15).
func appendStreamSafe(dst []rune, s string) []rune {
	ss := 0 // non-starters in a row
	for _, r := range s {
		lead, trail := nonStarters(r)
		if ss += lead; ss > maxNonStarters {
			dst = append(dst, graphemeJoiner)
			ss = lead
		} else if lead == 0 {
			ss = trail
		}
		dst = appendDecomposed(dst, r)
	}
	return dst
}

// sortMarks puts each run of non-starters in rs in canonical order: a
// stable sort by combining class. Runs are short (see maxNonStarters).
func sortMarks(rs []rune) {
	for i := 1; i < len(rs); i++ {
		c := combiningClass(rs[i])
		if c == 0 {
			continue
		}
		for j := i; j > 0; j-- {
			if p := combiningClass(rs[j-1]); p == 0 || p <= c {
				break
			}
			rs[j-1], rs[j] = rs[j], rs[j-1]
		}
	}
}

// nfcQuickYes reports whether r can stay as it is in NFC text whatever
// surrounds it: a starter that NFC keeps and that composes with nothing
// before it.
func nfcQuickYes(r rune) bool {
	if r < 0x300 {
		return true
	}
	if combiningClass(r) != 0 || combinesBackward(r) {
		return false
	}
	d, ok := lookupDecomposition(r)
	return !ok || !d.nfcNo
}

// nonStarters returns how many non-starters (runes with a non-zero
// combining class, or that combine with the rune before them) the full
// compatibility decomposition of r starts (lead) and ends (trail) with. These
// are the counts of the Stream-Safe Text Format as x/text keeps them.
func nonStarters(r rune) (lead, trail int) {
	if r < utf8.RuneSelf {
		return 0, 0
	}
	if s := r - hangulSBase; s >= 0 && s < hangulSCount {
		if s%hangulTCount == 0 {
			return 0, 1
		}
		return 0, 2
	}
	i, ok := slices.BinarySearchFunc(streamSafeCounts, r, func(c streamSafe, r rune) int { return cmp.Compare(c.r, r) })
	if ok {
		return int(streamSafeCounts[i].lead), int(streamSafeCounts[i].trail)
	}
	d, ok := lookupDecomposition(r)
	if !ok {
		if combiningClass(r) != 0 || combinesBackward(r) {
			return 1, 1
		}
		return 0, 0
	}
	for _, c := range d.nfd {
		if combiningClass(c) == 0 && !combinesBackward(c) {
			break
		}
		lead++
	}
	for j := len(d.nfd); j > 0; {
		c, n := utf8.DecodeLastRuneInString(d.nfd[:j])
		if combiningClass(c) == 0 && !combinesBackward(c) {
			break
		}
		trail++
		j -= n
	}
	return lead, trail
}

// combinesBackward reports whether r can compose with a rune before it: it
// is the second of a pair in compositions, or a Hangul vowel or final jamo.
func combinesBackward(r rune) bool {
	if r >= hangulVBase && r < hangulVBase+hangulVCount || r > hangulTBase && r < hangulTBase+hangulTCount {
		return true
	}
	_, ok := slices.BinarySearch(composeSeconds, r)
	return ok
}

// composeString returns s in Unicode Normalization Form C, exactly as
// norm.NFC.String of golang.org/x/text does: base letters and the combining
// marks on them are composed to the precomposed characters of the tables (ö
// for o and U+0308), marks are put in canonical order, characters that NFC
// replaces are replaced, and a U+034F goes after the 30th non-starter in a
// row. It returns s itself, without allocating, when s has no combining mark
// and nothing else that NFC changes (the quick check of UAX #15). s must be
// valid UTF-8.
func composeString(s string) string {
	i := 0
	ss := 0 // non-starters in a row
	for i < len(s) {
		if s[i] < utf8.RuneSelf {
			i++
			ss = 0
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if !nfcQuickYes(r) {
			break
		}
		lead, trail := nonStarters(r)
		if ss += lead; ss > maxNonStarters {
			break
		} else if lead == 0 {
			ss = trail
		}
		i += n
	}
	if i == len(s) {
		return s
	}
	// Start at the last segment start before i that NFC leaves alone.
	start := i
	for start > 0 {
		r, n := utf8.DecodeLastRuneInString(s[:start])
		start -= n
		if lead, _ := nonStarters(r); lead == 0 && nfcQuickYes(r) {
			break
		}
	}
	// Like x/text, work segment by segment: a segment is a rune that starts
	// no run of non-starters and the non-starters after it, at most 30.
	out := make([]rune, 0, len(s)-start+8)
	segStart := 0
	ss = 0
	for _, r := range s[start:] {
		lead, trail := nonStarters(r)
		if ss += lead; ss > maxNonStarters {
			out = append(out, graphemeJoiner)
			out = composeSegment(out, segStart)
			segStart = len(out)
			ss = lead
		} else if lead == 0 {
			out = composeSegment(out, segStart)
			segStart = len(out)
			ss = trail
		}
		out = appendDecomposed(out, r)
	}
	out = composeSegment(out, segStart)
	return s[:start] + string(out)
}

// composeSegment puts rs[from:] in canonical order and composes it, the way
// x/text's reorderBuffer does, and returns rs with the result in place of
// rs[from:].
func composeSegment(rs []rune, from int) []rune {
	b := rs[from:]
	if len(b) < 2 {
		return rs
	}
	sortMarks(b)
	k := 1
	s := 0 // index of the starter that later runes compose with
	for i := 1; i < len(b); i++ {
		if b[i]&^0xFF == hangulLBase {
			return rs[:from+combineHangul(b, s, i, k)]
		}
		if combinesBackward(b[i]) {
			cccB, cccC := combiningClass(b[k-1]), combiningClass(b[i])
			blocked := false
			if cccB == 0 {
				s = k - 1
			} else {
				blocked = s != k-1 && cccB >= cccC
			}
			if !blocked {
				if c, ok := compose(b[s], b[i]); ok {
					b[s] = c
					continue
				}
			}
		}
		b[k] = b[i]
		k++
	}
	return rs[:from+k]
}

// combineHangul is composeSegment from b[i] on, once a Hangul jamo is seen;
// it returns the new length of b.
func combineHangul(b []rune, s, i, k int) int {
	for ; i < len(b); i++ {
		cccB, cccC := combiningClass(b[k-1]), combiningClass(b[i])
		if cccB == 0 {
			s = k - 1
		}
		if s != k-1 && cccB >= cccC {
			b[k] = b[i]
			k++
			continue
		}
		l, v := b[s], b[i]
		switch {
		case l >= hangulLBase && l < hangulLBase+hangulLCount && v >= hangulVBase && v < hangulVBase+hangulVCount:
			b[s] = hangulSBase + (l-hangulLBase)*hangulNCount + (v-hangulVBase)*hangulTCount
		case l >= hangulSBase && l < hangulSBase+hangulSCount && (l-hangulSBase)%hangulTCount == 0 &&
			v > hangulTBase && v < hangulTBase+hangulTCount:
			b[s] = l + v - hangulTBase
		default:
			b[k] = b[i]
			k++
		}
	}
	return k
}

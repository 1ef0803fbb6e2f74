package index

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// isCJK reports whether r is split into bigrams by this package instead of
// being left to FTS5's unicode61 tokenizer: Han, Hiragana, Katakana and
// Hangul letters. unicode61 sees these scripts as letters with no word
// boundaries, so a whole sentence would otherwise become a single token.
//
// The prolonged sound mark ー (U+30FC, and its half-width form) belongs to
// no script but is part of Katakana words (データ); it joins their runs.
func isCJK(r rune) bool {
	if r < 0x1100 {
		return false
	}
	return unicode.Is(unicode.Han, r) || unicode.Is(unicode.Hiragana, r) ||
		unicode.Is(unicode.Katakana, r) || unicode.Is(unicode.Hangul, r) ||
		r == 0x30FC || r == 0xFF70
}

// segment returns s rewritten for FTS5's unicode61 tokenizer: text outside
// CJK runs is kept as it is, and each maximal run of CJK letters is replaced
// by its overlapping bigrams followed by its last letter on its own (a run of
// one letter gives just that letter), each separated by spaces.
//
// The trailing unigram does two jobs. It makes every CJK letter of the text
// the first character of some token, so a one-letter query is the prefix
// query "x"*; and it sits between the last bigram of one run and the first
// bigram of the next, so a phrase never matches across the punctuation or
// space that separated the runs ("检测。目标" gives 检测 测 目标 标, which the
// query 检测目标 = "检测 测目 目标" cannot match).
func segment(s string) string {
	// Fast path: nothing to split.
	i := 0
	for i < len(s) {
		if s[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if isCJK(r) {
			break
		}
		i += n
	}
	if i == len(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) * 2)
	b.WriteString(s[:i])
	appendSegmented(&b, s[i:])
	return b.String()
}

// appendSegmented writes the segmentation of s to b (see [segment]).
func appendSegmented(b *strings.Builder, s string) {
	runStart := -1 // byte offset of the current CJK run, or -1
	var prev, prevLen int
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if isCJK(r) {
			if runStart < 0 {
				runStart = i
				b.WriteByte(' ')
			} else {
				// A bigram of the previous letter and this one.
				b.WriteString(s[prev : prev+prevLen])
				b.WriteString(s[i : i+n])
				b.WriteByte(' ')
			}
			prev, prevLen = i, n
			i += n
			continue
		}
		if runStart >= 0 {
			b.WriteString(s[prev : prev+prevLen])
			b.WriteByte(' ')
			runStart = -1
		}
		b.WriteString(s[i : i+n])
		i += n
	}
	if runStart >= 0 {
		b.WriteString(s[prev : prev+prevLen])
		b.WriteByte(' ')
	}
}

// segmentTerm returns the FTS5 phrase text for one query term or phrase and
// whether it must be a prefix phrase ("..."*). It segments s as [segment]
// does, then adjusts the end: a final CJK run of two or more letters drops
// its trailing unigram (the text's run may go on after the match), and a
// final CJK run of one letter makes the phrase a prefix phrase (that letter
// may start a bigram or be a trailing unigram in the text). A CJK run at the
// start or in the middle of s needs nothing: bigrams overlap, and a run that
// is followed by other text in the query must end there in the text too,
// which the trailing unigram checks.
func segmentTerm(s string) (text string, prefix bool) {
	// Find the last token-ish rune: if it is CJK, measure its run.
	end := len(s)
	for end > 0 {
		r, n := utf8.DecodeLastRuneInString(s[:end])
		if isCJK(r) || isTokenRune(r) {
			break
		}
		end -= n
	}
	// Separators after the last token change nothing for FTS5; cutting
	// them off makes the segmentation end with the last run's tokens.
	s = s[:end]
	seg := segment(s)
	if end == 0 {
		return seg, false
	}
	r, _ := utf8.DecodeLastRuneInString(s)
	if !isCJK(r) {
		return seg, false
	}
	runLen := 0
	for j := end; j > 0; {
		r, n := utf8.DecodeLastRuneInString(s[:j])
		if !isCJK(r) {
			break
		}
		runLen++
		j -= n
	}
	seg = strings.TrimRight(seg, " ")
	if runLen == 1 {
		return seg, true
	}
	// Drop the trailing unigram: the last space-separated token.
	k := strings.LastIndexByte(seg, ' ')
	return seg[:k], false
}

// isTokenRune reports whether unicode61 (with its default categories
// "L* N* Co") keeps r inside a token rather than treating it as a separator.
func isTokenRune(r rune) bool {
	if r < utf8.RuneSelf {
		return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9'
	}
	return unicode.IsLetter(r) || unicode.IsNumber(r) || unicode.Is(unicode.Co, r)
}

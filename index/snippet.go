package index

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Span is a half-open range of byte offsets [Start, End) into a text.
type Span struct {
	Start, End int
}

// Snippet is a short excerpt of a matching section, with the matches
// marked by spans into Text.
type Snippet struct {
	// Text is the excerpt on one line: white space collapsed to single
	// spaces, with "…" where it was cut.
	Text string
	// Highlights are the matches in Text, sorted and not overlapping.
	Highlights []Span
}

// Marked returns the snippet text with each highlight wrapped in open and
// close, for example "**" and "**", or terminal colour codes.
func (s Snippet) Marked(open, close string) string {
	if len(s.Highlights) == 0 {
		return s.Text
	}
	var b strings.Builder
	last := 0
	for _, h := range s.Highlights {
		b.WriteString(s.Text[last:h.Start])
		b.WriteString(open)
		b.WriteString(s.Text[h.Start:h.End])
		b.WriteString(close)
		last = h.End
	}
	b.WriteString(s.Text[last:])
	return b.String()
}

// textToken is one token of a text as FTS5 sees it after [segment]: a CJK
// bigram or trailing unigram, or a unicode61 word, lower-cased.
type textToken struct {
	text       string
	start, end int
}

// tokens splits s the way segment plus unicode61 do, keeping offsets into
// s. Case folding is Go's lower-casing, which differs from unicode61 only
// in removing diacritics: good enough for highlighting, which is all this
// is used for.
func tokens(s string) []textToken {
	var out []textToken
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case isCJK(r):
			// A run: bigrams, then the last letter on its own.
			prev, prevN := i, n
			j := i + n
			for j < len(s) {
				r2, m := utf8.DecodeRuneInString(s[j:])
				if !isCJK(r2) {
					break
				}
				out = append(out, textToken{s[prev : j+m], prev, j + m})
				prev, prevN = j, m
				j += m
			}
			out = append(out, textToken{s[prev : prev+prevN], prev, prev + prevN})
			i = j
		case isTokenRune(r):
			j := i + n
			for j < len(s) {
				r2, m := utf8.DecodeRuneInString(s[j:])
				if isCJK(r2) || !isTokenRune(r2) {
					break
				}
				j += m
			}
			out = append(out, textToken{strings.ToLower(s[i:j]), i, j})
			i = j
		default:
			i += n
		}
	}
	return out
}

// pattern is a term as a sequence of tokens to find in a text.
type pattern struct {
	toks   []string
	prefix bool // the last token may be a prefix
}

// patterns returns what to highlight for a term: one pattern for a word or
// phrase, one per word for an author's name.
func patterns(t *termNode) []pattern {
	if t.field == sectionAuthor && !t.phrase {
		var out []pattern
		for _, w := range strings.Fields(t.text) {
			if p, ok := termPattern(w); ok {
				out = append(out, p)
			}
		}
		return out
	}
	if p, ok := termPattern(t.text); ok {
		return []pattern{p}
	}
	return nil
}

// termPattern mirrors [segmentTerm] on tokens.
func termPattern(s string) (pattern, bool) {
	ts := tokens(s)
	if len(ts) == 0 {
		return pattern{}, false
	}
	p := pattern{}
	for _, t := range ts {
		p.toks = append(p.toks, t.text)
	}
	// The final CJK run: drop its trailing unigram, or, for a run of one
	// letter, match it as a prefix.
	last, _ := utf8.DecodeLastRuneInString(p.toks[len(p.toks)-1])
	if isCJK(last) {
		if len(ts) >= 2 && utf8.RuneCountInString(p.toks[len(p.toks)-2]) == 2 && ts[len(ts)-2].end == ts[len(ts)-1].end {
			p.toks = p.toks[:len(p.toks)-1]
		} else if utf8.RuneCountInString(p.toks[len(p.toks)-1]) == 1 {
			p.prefix = true
		}
	}
	return p, true
}

// find returns the spans in s matched by the patterns, sorted and merged.
func find(s string, pats []pattern) []Span {
	if len(pats) == 0 {
		return nil
	}
	ts := tokens(s)
	var spans []Span
	for _, p := range pats {
		n := len(p.toks)
		for i := 0; i+n <= len(ts); i++ {
			ok := true
			for j, want := range p.toks {
				got := ts[i+j].text
				if j == n-1 && p.prefix {
					ok = strings.HasPrefix(got, want)
				} else {
					ok = got == want
				}
				if !ok {
					break
				}
			}
			if ok {
				spans = append(spans, Span{ts[i].start, ts[i+n-1].end})
			}
		}
	}
	slices.SortFunc(spans, func(a, b Span) int { return a.Start - b.Start })
	var out []Span
	for _, sp := range spans {
		if k := len(out) - 1; k >= 0 && sp.Start <= out[k].End {
			out[k].End = max(out[k].End, sp.End)
			continue
		}
		out = append(out, sp)
	}
	return out
}

// findEarly is find for a snippet: the first match and those near it. It
// looks in the first 16 KiB of s first, so that a long section with a match
// near its start (most of them) is not split into tokens as a whole.
func findEarly(s string, pats []pattern) []Span {
	const early = 16 << 10
	if len(s) > early {
		head := cutText(s, early)
		if spans := find(head, pats); len(spans) > 0 && spans[0].End+4*snippetLen < len(head) {
			return spans
		}
	}
	return find(s, pats)
}

// Snippet sizes, in runes.
const (
	snippetBefore = 30
	snippetLen    = 120
)

// makeSnippet cuts a window of s around its first span, collapses white
// space, and maps the spans into the result.
func makeSnippet(s string, spans []Span) Snippet {
	start := 0
	if len(spans) > 0 {
		start = spans[0].Start
		for k := 0; k < snippetBefore && start > 0; k++ {
			_, n := utf8.DecodeLastRuneInString(s[:start])
			start -= n
		}
	}
	end := start
	for k := 0; k < snippetLen && end < len(s); k++ {
		_, n := utf8.DecodeRuneInString(s[end:])
		end += n
	}
	// Never cut a highlight in two.
	for _, sp := range spans {
		if sp.Start < end && sp.End > end {
			end = sp.End
		}
	}
	var b strings.Builder
	var out []Span
	if start > 0 {
		b.WriteString("…")
	}
	k := 0 // next span to open or close
	open := false
	space := false
	for i := start; i < end; {
		for k < len(spans) && !open && spans[k].Start <= i && spans[k].End > i {
			// The span starts here (or before the window).
			out = append(out, Span{Start: b.Len()})
			open = true
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if unicode.IsSpace(r) {
			if !space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = true
		} else {
			b.WriteString(s[i : i+n])
			space = false
		}
		i += n
		if open && i >= spans[k].End {
			out[len(out)-1].End = b.Len()
			open = false
			k++
		}
		for k < len(spans) && spans[k].End <= i && !open {
			k++
		}
	}
	if open {
		out[len(out)-1].End = b.Len()
	}
	text := b.String()
	trimmed := strings.TrimRight(text, " ")
	for i := range out {
		out[i].End = min(out[i].End, len(trimmed))
	}
	text = trimmed
	if end < len(s) {
		text += "…"
	}
	// Drop empty highlights (a span that was only white space).
	out = slices.DeleteFunc(out, func(sp Span) bool { return sp.End <= sp.Start })
	return Snippet{Text: text, Highlights: out}
}

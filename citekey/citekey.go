package citekey

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/papernotes/papernotes/bib"
)

// DefaultPattern gives Google-Scholar-style keys: li2023blip.
const DefaultPattern = "{auth:lower}{year}{title:lower}"

// fields are the field names a pattern may use.
var fields = map[string]bool{"auth": true, "authors": true, "year": true, "title": true, "shorttitle": true, "type": true}

// Pattern is a compiled key pattern (see the package documentation). A
// Pattern is immutable and safe for concurrent use.
type Pattern struct {
	src   string
	parts []part
}

type part struct {
	lit   string // literal text when field == ""
	field string
	mods  []string
}

// String returns the pattern's source.
func (p *Pattern) String() string { return p.src }

// Compile parses a pattern. It fails on an unknown field or modifier, an
// unclosed brace, or a literal that is not safe in a key (see
// [bib.UnsafeKey]); the empty pattern means [DefaultPattern].
func Compile(pattern string) (*Pattern, error) {
	if pattern == "" {
		pattern = DefaultPattern
	}
	p := &Pattern{src: pattern}
	s := pattern
	for s != "" {
		i := strings.IndexByte(s, '{')
		if i < 0 {
			i = len(s)
		}
		if i > 0 {
			lit := s[:i]
			if strings.Contains(lit, "}") {
				return nil, fmt.Errorf("compile key pattern %q: unmatched '}'", pattern)
			}
			if reason, bad := bib.UnsafeKey("k" + lit + "k"); bad {
				return nil, fmt.Errorf("compile key pattern %q: literal %q: %s", pattern, lit, reason)
			}
			p.parts = append(p.parts, part{lit: lit})
			s = s[i:]
			continue
		}
		j := strings.IndexByte(s, '}')
		if j < 0 {
			return nil, fmt.Errorf("compile key pattern %q: unclosed '{'", pattern)
		}
		spec := strings.Split(s[1:j], ":")
		s = s[j+1:]
		name := strings.TrimSpace(spec[0])
		if !fields[name] {
			return nil, fmt.Errorf("compile key pattern %q: unknown field %q", pattern, name)
		}
		pt := part{field: name}
		for _, m := range spec[1:] {
			m = strings.TrimSpace(m)
			switch m {
			case "lower", "upper", "capitalize":
			default:
				if n, err := strconv.Atoi(m); err != nil || n <= 0 {
					return nil, fmt.Errorf("compile key pattern %q: unknown modifier %q", pattern, m)
				}
			}
			pt.mods = append(pt.mods, m)
		}
		p.parts = append(p.parts, pt)
	}
	return p, nil
}

// Generator makes keys from one pattern, using surname readings learned
// from a library. Learn must not run concurrently with other methods; once
// learning is done, Key and Generate are safe for concurrent use.
type Generator struct {
	pat *Pattern
	// votes counts, per hanzi surname, how many existing keys use each reading.
	votes map[string]map[string]int
}

// New returns a Generator for pattern ("" means [DefaultPattern]), or the
// error of [Compile].
func New(pattern string) (*Generator, error) {
	p, err := Compile(pattern)
	if err != nil {
		return nil, err
	}
	return &Generator{pat: p}, nil
}

// Pattern returns the generator's pattern.
func (g *Generator) Pattern() *Pattern { return g.pat }

// Generate returns a key for e from pattern, with an a, b, c, ... suffix
// when taken reports the key as used (taken may be nil: nothing is taken).
// An invalid pattern falls back to [DefaultPattern]; callers that take the
// pattern from a user should check it with [Compile] first.
func Generate(e *bib.Entry, pattern string, taken func(string) bool) string {
	g, err := New(pattern)
	if err != nil {
		g, _ = New(DefaultPattern)
	}
	return g.Generate(e, taken)
}

// Generate returns [Generator.Key] of e made unique with [Suffix].
func (g *Generator) Generate(e *bib.Entry, taken func(string) bool) string {
	return Suffix(g.Key(e), taken)
}

// Suffix returns base when it is not taken, else base followed by the
// first free suffix of a, b, ..., z, aa, ab, ... (Google Scholar's style).
// A nil taken means nothing is taken.
func Suffix(base string, taken func(string) bool) string {
	if taken == nil || !taken(base) {
		return base
	}
	for n := 0; ; n++ {
		k := base + letters(n)
		if !taken(k) {
			return k
		}
	}
}

// Suffixer is [Suffix] for many keys at once: it remembers, per base, the
// last suffix it handed out and goes on from there, so that n entries that
// all want the same key take linear time, not quadratic. It is correct as
// long as taken only ever grows between calls (a key once taken stays
// taken), as when keys are handed out one import at a time. The zero value
// is ready to use; it is not safe for concurrent use.
type Suffixer struct {
	next map[string]int // base -> first suffix number not yet known taken
}

// Suffix returns base when it is not taken, else base followed by the
// first free suffix (a, b, ..., z, aa, ...), as [Suffix] does.
func (s *Suffixer) Suffix(base string, taken func(string) bool) string {
	if taken == nil || !taken(base) {
		return base
	}
	if s.next == nil {
		s.next = make(map[string]int)
	}
	for n := s.next[base]; ; n++ {
		k := base + letters(n)
		if !taken(k) {
			s.next[base] = n
			return k
		}
	}
}

// letters returns the n-th suffix: 0 is "a", 25 is "z", 26 is "aa".
func letters(n int) string {
	var b []byte
	for {
		b = append([]byte{byte('a' + n%26)}, b...)
		n = n/26 - 1
		if n < 0 {
			return string(b)
		}
	}
}

// Key returns the key the pattern gives for e, without collision handling.
// It is never empty and always passes [bib.UnsafeKey]: when every field is
// empty it is "anon".
func (g *Generator) Key(e *bib.Entry) string {
	var b strings.Builder
	for _, p := range g.pat.parts {
		if p.field == "" {
			b.WriteString(p.lit)
			continue
		}
		v := g.fieldValue(e, p.field)
		for _, m := range p.mods {
			switch m {
			case "lower":
				v = strings.ToLower(v)
			case "upper":
				v = strings.ToUpper(v)
			case "capitalize":
				v = capitalize(v)
			default:
				n, _ := strconv.Atoi(m)
				if len(v) > n { // v is ASCII
					v = v[:n]
				}
			}
		}
		b.WriteString(v)
	}
	k := b.String()
	if _, bad := bib.UnsafeKey(k); bad || strings.Trim(k, "-_:./+") == "" {
		return "anon"
	}
	return k
}

func (g *Generator) fieldValue(e *bib.Entry, field string) string {
	switch field {
	case "auth":
		names := people(e)
		if len(names) == 0 {
			return "anon"
		}
		if s := g.lastName(names[0]); s != "" {
			return s
		}
		return "anon"
	case "authors":
		names := people(e)
		var b strings.Builder
		for i, n := range names {
			if i == 3 {
				b.WriteString("EtAl")
				break
			}
			b.WriteString(g.lastName(n))
		}
		if b.Len() == 0 {
			return "anon"
		}
		return b.String()
	case "year":
		return keepAlnum(e.Year())
	case "title":
		words := titleWords(e.Title(), 1)
		if len(words) == 0 {
			return ""
		}
		return words[0]
	case "shorttitle":
		var b strings.Builder
		for _, w := range titleWords(e.Title(), 3) {
			b.WriteString(capitalize(w))
		}
		return b.String()
	case "type":
		return keepAlnum(e.Type)
	}
	return ""
}

// people returns the authors, or the editors when there are none, without
// the "others" marker.
func people(e *bib.Entry) []bib.Name {
	var out []bib.Name
	for _, list := range [][]bib.Name{e.Authors(), e.Editors()} {
		for _, n := range list {
			if !n.Others {
				out = append(out, n)
			}
		}
		if len(out) > 0 {
			return out
		}
	}
	return nil
}

// lastName returns the ASCII form of a name's Last part, without the von
// part (as Better BibTeX does: "van der Maaten" gives "maaten"); a Chinese
// surname becomes its pinyin.
func (g *Generator) lastName(n bib.Name) string {
	last := n.LastText()
	if hasHan(last) {
		return g.hanSurname(last)
	}
	return fold(last)
}

// surnameOf returns the hanzi surname of a Chinese last name: the first
// word when it has spaces, a compound surname at the start of a longer
// name, else the first character. rest is what follows it.
func surnameOf(last string) (surname, rest string) {
	last = strings.TrimSpace(last)
	if i := strings.IndexAny(last, " \t"); i > 0 {
		return last[:i], strings.TrimSpace(last[i:])
	}
	rs := []rune(last)
	if len(rs) >= 3 && compoundSurnames[string(rs[:2])] {
		return string(rs[:2]), string(rs[2:])
	}
	if len(rs) <= 1 {
		return last, ""
	}
	return string(rs[:1]), string(rs[1:])
}

// hanSurname returns the pinyin of the surname of a Chinese last name.
// When the last name is written alone (a "Last, First" form with Last 张),
// the whole of it is the surname.
func (g *Generator) hanSurname(last string) string {
	surname, _ := surnameOf(last)
	if !allHan(surname) {
		return fold(surname)
	}
	return g.reading(surname)
}

// reading returns the pinyin of a hanzi surname: the library's most common
// reading when [Generator.Learn] saw one, else the surname table's, else
// go-pinyin's default reading of each character (see pinyin.go).
func (g *Generator) reading(surname string) string {
	if votes := g.votes[surname]; len(votes) > 0 {
		best, bestN := "", 0
		for r, n := range votes {
			if n > bestN || n == bestN && r < best {
				best, bestN = r, n
			}
		}
		return best
	}
	if r, ok := surnameReadings[surname]; ok {
		return r
	}
	var b strings.Builder
	for _, r := range surname {
		if p, ok := surnameReadings[string(r)]; ok && b.Len() == 0 {
			b.WriteString(p)
			continue
		}
		b.WriteString(defaultReading(r))
	}
	return b.String()
}

// candidates returns every reading of a hanzi surname: the table's, and
// each combination of the characters' heteronyms (bounded).
func candidates(surname string) []string {
	set := map[string]bool{}
	if r, ok := surnameReadings[surname]; ok {
		set[r] = true
	}
	combos := []string{""}
	for _, r := range surname {
		readings := heteronyms(r)
		if t, ok := surnameReadings[string(r)]; ok {
			readings = append(readings, t)
		}
		var next []string
		for _, c := range combos {
			for _, rd := range readings {
				if len(next) < 64 {
					next = append(next, c+rd)
				}
			}
		}
		combos = next
	}
	for _, c := range combos {
		if c != "" {
			set[c] = true
		}
	}
	out := make([]string, 0, len(set))
	for c := range set {
		out = append(out, c)
	}
	sort.Strings(out)
	return out
}

// MayTeach reports whether [Generator.Learn] may learn from e: whether its
// author or editor is written with more than ASCII. Names written in ASCII
// (LaTeX escapes included) have no Han characters, so most entries are
// passed over without parsing their names; a caller that keeps only some
// entries of a library (bib.LoadOptions.Keep) keeps these for Learn.
func MayTeach(e *bib.Entry) bool {
	return !isASCII(e.Get("author")) || !isASCII(e.Get("editor"))
}

// Learn records, for each entry whose first author has a Chinese surname
// with more than one reading, which reading the entry's key starts with
// (case-insensitive): an existing key shan2020x for a 单 author votes for
// "shan". [Generator.Key] then prefers the reading with the most votes (ties
// go to the alphabetically first). Keys that start with none of the
// readings do not vote. Learn may be called several times; votes add up.
func (g *Generator) Learn(entries []*bib.Entry) {
	for _, e := range entries {
		if !MayTeach(e) {
			continue
		}
		names := people(e)
		if len(names) == 0 {
			continue
		}
		last := names[0].LastText()
		if !hasHan(last) {
			continue
		}
		surname, _ := surnameOf(last)
		if !allHan(surname) {
			continue
		}
		cands := candidates(surname)
		if len(cands) < 2 {
			continue
		}
		key := strings.ToLower(e.Key)
		// The longest matching reading wins, so "shan" beats "sha" if both existed.
		best := ""
		for _, c := range cands {
			if strings.HasPrefix(key, c) && len(c) > len(best) {
				best = c
			}
		}
		if best == "" {
			continue
		}
		if g.votes == nil {
			g.votes = map[string]map[string]int{}
		}
		if g.votes[surname] == nil {
			g.votes[surname] = map[string]int{}
		}
		g.votes[surname][best]++
	}
}

// stopWords are skipped when looking for a title's first significant word.
// The list follows what Google Scholar does, measured on the 4,772 keys of
// the form name+year+word in the shared corpus: titles starting with a, an,
// the, on, from, in, is, are or do give keys with the next word (for
// example 164 of 172 for "a"), while towards (35 of 43), beyond, what, how,
// does and can are kept as the key's word: madry2017towards.
var stopWords = map[string]bool{
	"a": true, "an": true, "the": true, "on": true, "of": true, "for": true, "in": true,
	"to": true, "with": true, "and": true, "from": true, "by": true, "at": true, "via": true,
	"into": true, "onto": true, "is": true, "are": true, "as": true, "or": true, "do": true,
}

// titleWords returns up to n significant words of a plain-text title, as
// ASCII. Stop words and numbers are skipped ("BLIP-2" gives "BLIP"), but a
// title of numbers only gives its first number. A title with Chinese characters and no significant ASCII word
// gives one word: the pinyin of its first two Chinese characters.
func titleWords(title string, n int) []string {
	var out []string
	var han []rune
	var cur []rune
	number := "" // the first all-digit word, used only when nothing else is found
	flush := func() {
		if len(cur) == 0 || len(out) >= n {
			cur = cur[:0]
			return
		}
		w := fold(string(cur))
		cur = cur[:0]
		if w == "" || stopWords[strings.ToLower(w)] {
			return
		}
		if strings.Trim(w, "0123456789") == "" {
			if number == "" {
				number = w
			}
			return
		}
		out = append(out, w)
	}
	for _, r := range title {
		switch {
		case unicode.Is(unicode.Han, r):
			flush()
			han = append(han, r)
		case unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r):
			cur = append(cur, r)
		default:
			flush()
		}
	}
	flush()
	if len(han) > 0 && len(out) == 0 {
		if len(han) > 2 {
			han = han[:2]
		}
		var b strings.Builder
		for _, r := range han {
			b.WriteString(defaultReading(r))
		}
		return []string{b.String()}
	}
	if len(out) == 0 && number != "" {
		return []string{number}
	}
	return out
}

// special letters that NFD does not decompose.
var foldTable = map[rune]string{
	'ß': "ss", 'ø': "o", 'Ø': "O", 'ł': "l", 'Ł': "L", 'æ': "ae", 'Æ': "AE", 'œ': "oe", 'Œ': "OE",
	'đ': "d", 'Đ': "D", 'ð': "d", 'Ð': "D", 'þ': "th", 'Þ': "Th", 'ı': "i", 'ȷ': "j", 'ŋ': "ng", 'Ŋ': "Ng",
}

// fold returns s ASCII-folded with letters and digits only; Han characters
// become pinyin, other scripts are dropped.
func fold(s string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(s) {
		switch {
		case r < utf8.RuneSelf:
			if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' {
				b.WriteRune(r)
			}
		case foldTable[r] != "":
			b.WriteString(foldTable[r])
		case unicode.Is(unicode.Han, r):
			b.WriteString(defaultReading(r))
		}
	}
	return b.String()
}

func keepAlnum(s string) string { return fold(s) }

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + strings.ToLower(s[1:])
}

// isASCII reports whether s has only ASCII bytes.
func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

func hasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}

func allHan(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if !unicode.Is(unicode.Han, r) {
			return false
		}
	}
	return true
}

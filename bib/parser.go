package bib

import (
	"fmt"
	"slices"
	"strings"

	"github.com/nickng/bibtex"
)

// ParseOptions configures [Parse]. The zero value (or a nil pointer) works.
type ParseOptions struct {
	// Macros are predefined @string macros keyed by lower-cased name, for
	// example those of files read earlier. A file's own @string definitions
	// take precedence from the point where they appear. jan..dec are always
	// predefined (expanding to "January"...) unless Macros or the file
	// redefines them. Parse only reads the map.
	Macros map[string]bibtex.BibString

	// NoCopy lets the returned strings (keys, values, Raw) share src's
	// memory instead of a copy of it, which saves one copy of the file in
	// time and memory. The caller must then never modify src after Parse:
	// the strings would change with it. It has no effect on UTF-16 input.
	NoCopy bool

	// noCommentIndex turns commentIndex off, for tests that check it is exact.
	noCommentIndex bool
}

// monthMacros are BibTeX's predefined month macros. Read-only.
var monthMacros = map[string]bibtex.BibString{
	"jan": bibtex.BibConst("January"), "feb": bibtex.BibConst("February"),
	"mar": bibtex.BibConst("March"), "apr": bibtex.BibConst("April"),
	"may": bibtex.BibConst("May"), "jun": bibtex.BibConst("June"),
	"jul": bibtex.BibConst("July"), "aug": bibtex.BibConst("August"),
	"sep": bibtex.BibConst("September"), "oct": bibtex.BibConst("October"),
	"nov": bibtex.BibConst("November"), "dec": bibtex.BibConst("December"),
}

// undefinedMacro is the error of an undefined-macro warning. It keeps the
// *BibVar it is about, so that [File.Resolve] can fill the value in later and
// drop the warning.
type undefinedMacro struct {
	name string // lower-cased
	v    *bibtex.BibVar
}

func (u *undefinedMacro) Error() string { return ErrUndefinedMacro.Error() + ": " + u.v.Key }
func (u *undefinedMacro) Unwrap() error { return ErrUndefinedMacro }

// Resolve looks f's undefined macro references up again in macros (keyed by
// lower-cased name), for example in the @string definitions of other files.
// Each reference found gets its value and loses its ErrUndefinedMacro
// warning; the others stay as they were. A nil f or macros does nothing.
// Resolve changes f, so it must not run concurrently with other uses of f.
func (f *File) Resolve(macros map[string]bibtex.BibString) {
	if f == nil || len(macros) == 0 || !hasUndefined(f.Problems) {
		return
	}
	// A new array, so that a caller holding the old slice sees no change.
	f.Problems = resolveProblems(slices.Clone(f.Problems), func(name string) (bibtex.BibString, bool) {
		v, ok := macros[name]
		return v, ok
	})
	// Values filled in may now expand past the limits.
	f.limitExpansion()
}

// resolveProblems fills in the undefined-macro references that lookup
// knows, and returns problems without their warnings (reusing its array).
func resolveProblems(problems ErrorList, lookup func(string) (bibtex.BibString, bool)) ErrorList {
	out := problems[:0]
	for _, p := range problems {
		if u, ok := p.Err.(*undefinedMacro); ok {
			if v, ok := lookup(u.name); ok {
				u.v.Value = v
				continue
			}
		}
		out = append(out, p)
	}
	clear(problems[len(out):])
	return out
}

// parser reads the items that start in [start, limit) of src. An item may
// run past limit; run returns where reading stopped.
type parser struct {
	src   string
	name  string
	limit int
	cur   cursor

	// deferMacros is set for every chunk of a file but the first: macros
	// not defined earlier in the chunk are left undefined, to be resolved
	// when the chunks are merged (they may be defined in an earlier chunk).
	deferMacros bool
	base        map[string]bibtex.BibString
	local       map[string]bibtex.BibString
	lowered     map[string]string

	entries []*Entry
	strings []*StringDef
	// Entries and fields are carved out of arenas, a few allocations per
	// hundred entries instead of several per entry. The fields of the entry
	// being read are fieldArena[fieldStart:].
	entryArena []Entry
	fieldArena []Field
	fieldStart int
	preambles  []*Preamble
	problems   ErrorList

	comments       commentIndex
	noCommentIndex bool
}

func newParser(name, src string, bom, start, limit, line int, base map[string]bibtex.BibString, deferMacros bool) *parser {
	return &parser{
		entries:     make([]*Entry, 0, (limit-start)/1024+1),
		src:         src,
		name:        name,
		limit:       limit,
		cur:         newCursor(name, src, bom, start, line),
		deferMacros: deferMacros,
		base:        base,
	}
}

// newEntry returns a zeroed Entry from the arena.
func (p *parser) newEntry() *Entry {
	if len(p.entryArena) == 0 {
		// The first arena fits the input, so that reading one small entry
		// (import reads every entry back on its own) allocates little.
		n := 256
		if p.entryArena == nil {
			n = min(n, (p.limit-p.cur.off)/64+1)
		}
		p.entryArena = make([]Entry, n)
	}
	e := &p.entryArena[0]
	p.entryArena = p.entryArena[1:]
	return e
}

// addField appends f to the fields of the entry being read.
func (p *parser) addField(f Field) {
	if len(p.fieldArena) == cap(p.fieldArena) {
		n := len(p.fieldArena) - p.fieldStart
		size := 4096
		if p.fieldArena == nil {
			size = min(size, (p.limit-p.cur.off)/16+4)
		}
		arena := make([]Field, n, max(size, 4*n))
		copy(arena, p.fieldArena[p.fieldStart:])
		p.fieldArena, p.fieldStart = arena, 0
	}
	p.fieldArena = append(p.fieldArena, f)
}

// commitFields returns the fields of the entry just read, as a slice with
// no spare capacity (so appending to it copies), and starts the next entry.
func (p *parser) commitFields() []Field {
	fs, fe := p.fieldStart, len(p.fieldArena)
	p.fieldStart = fe
	if fs == fe {
		return nil
	}
	return p.fieldArena[fs:fe:fe]
}

// lower returns s lower-cased, without allocating for names already in
// lower case or seen before.
func (p *parser) lower(s string) string {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'A' && c <= 'Z' || c >= 0x80 {
			if l, ok := p.lowered[s]; ok {
				return l
			}
			if p.lowered == nil {
				p.lowered = make(map[string]string)
			}
			l := strings.ToLower(s)
			p.lowered[s] = l
			return l
		}
	}
	return s
}

func (p *parser) addf(off int, sev Severity, key string, sentinel error, format string, args ...any) {
	p.problems = append(p.problems, &Error{
		Pos:      p.cur.pos(off),
		Err:      fmt.Errorf("%w: "+format, append([]any{sentinel}, args...)...),
		Severity: sev,
		Key:      key,
	})
}

// skipSpace skips white space and '%' comments (to the end of the line)
// inside an item. BibTeX has no such comments, but btparse and biber skip
// them, and files written for biber put them after fields.
func (p *parser) skipSpace(i int) int {
	src := p.src
	for {
		for i < len(src) && isSpace(src[i]) {
			i++
		}
		if i >= len(src) || src[i] != '%' {
			return i
		}
		j := strings.IndexByte(src[i:], '\n')
		if j < 0 {
			return len(src)
		}
		i += j + 1
	}
}

func (p *parser) skipIdent(i int) int {
	for i < len(p.src) && isIdent(p.src[i]) {
		i++
	}
	return i
}

// atLineStart reports whether only spaces and tabs stand between the start
// of i's line and i.
func (p *parser) atLineStart(i int) bool {
	for i > 0 {
		switch p.src[i-1] {
		case ' ', '\t', '\r', '\f', '\v':
			i--
		case '\n':
			return true
		default:
			return i == p.cur.bom
		}
	}
	return true
}

// entryStart reports whether an item starts at src[i]: '@', optional space,
// an identifier, optional space, and '{' or '('.
func entryStart(src string, i int) bool {
	if i >= len(src) || src[i] != '@' {
		return false
	}
	i++
	for i < len(src) && isSpace(src[i]) {
		i++
	}
	j := i
	for j < len(src) && isIdent(src[j]) {
		j++
	}
	if j == i {
		return false
	}
	for j < len(src) && isSpace(src[j]) {
		j++
	}
	return j < len(src) && (src[j] == '{' || src[j] == '(')
}

// lineEntryStart returns the offset of the '@' when the line starting at i
// (just after a newline) starts an item after optional spaces and tabs, or
// -1. Inside an entry, such a line ends the entry: this is how an unclosed
// brace or quote is contained, as BibTeX-style tools do.
func lineEntryStart(src string, i int) int {
	for i < len(src) && (src[i] == ' ' || src[i] == '\t' || src[i] == '\r') {
		i++
	}
	if i < len(src) && src[i] == '@' && entryStart(src, i) {
		return i
	}
	return -1
}

// resync returns the offset of the first '@' at or after i that starts a
// line (after optional spaces and tabs), or len(src). Parsing resumes there
// after an error.
func (p *parser) resync(i int) int {
	src := p.src
	if i < len(src) && src[i] == '@' && p.atLineStart(i) {
		return i
	}
	for {
		j := strings.IndexByte(src[i:], '\n')
		if j < 0 {
			return len(src)
		}
		i += j + 1
		k := i
		for k < len(src) && (src[k] == ' ' || src[k] == '\t' || src[k] == '\r') {
			k++
		}
		if k < len(src) && src[k] == '@' {
			return k
		}
	}
}

// run reads items from start until limit and returns the offset where it
// stopped (>= limit, or past it when the last item runs over).
func (p *parser) run(start int) int {
	src := p.src
	i := start
	for i < p.limit {
		switch src[i] {
		case '@':
			i = p.item(i)
		case '%':
			// BibTeX ignores all text between entries; btparse and biber also
			// treat '%' lines as comments, so an '@' in them starts nothing.
			j := strings.IndexByte(src[i:], '\n')
			if j < 0 {
				return len(src)
			}
			i += j + 1
		default:
			i++
		}
	}
	return i
}

// item reads what follows the '@' at at and returns where to continue.
func (p *parser) item(at int) int {
	src := p.src
	ts := p.skipSpace(at + 1)
	te := p.skipIdent(ts)
	if te == ts {
		return at + 1 // a lone '@' in text between entries
	}
	typ := src[ts:te]
	ltyp := p.lower(typ)
	j := p.skipSpace(te)
	if j >= len(src) || (src[j] != '{' && src[j] != '(') {
		// As in BibTeX, "@word" without a delimiter is text between entries
		// (an e-mail address, "@comment" used as a line comment). Only an
		// entry-like line start deserves a warning.
		if ltyp != "comment" && p.atLineStart(at) && te < len(src) {
			p.addf(at, SeverityWarning, "", ErrSyntax, "@%s is not followed by '{' or '(', skipped as a comment", typ)
		}
		return te
	}
	closer := byte('}')
	if src[j] == '(' {
		closer = ')'
	}
	switch ltyp {
	case "comment":
		return p.comment(at, j, closer)
	case "string":
		return p.stringDef(at, j, closer)
	case "preamble":
		return p.preamble(at, j, closer)
	}
	return p.entry(at, ltyp, j, closer)
}

// comment skips a delimited @comment: everything up to the matching closer,
// with braces balanced, as btparse and biber do. Line-start '@'s inside are
// commented out, so unlike entries a comment is not cut at one; an unclosed
// comment is an error and reading resumes at the next line-start '@'.
func (p *parser) comment(at, open int, closer byte) int {
	src := p.src
	if p.comments.knownUnclosed(src, open, closer) {
		return p.unclosedComment(open)
	}
	depth := 0
	for i := open + 1; i < len(src); i++ {
		switch src[i] {
		case '{':
			depth++
		case '}':
			if depth == 0 && closer == '}' {
				return i + 1
			}
			depth--
		case ')':
			if depth <= 0 && closer == ')' {
				return i + 1
			}
		}
	}
	if !p.comments.built && !p.noCommentIndex {
		p.comments.build(src, open+1)
	}
	return p.unclosedComment(open)
}

func (p *parser) unclosedComment(open int) int {
	p.addf(open, SeverityError, "", ErrUnbalanced, "@comment's %q is never closed", p.src[open])
	return p.resync(open + 1)
}

// maxCommentLevels bounds the memory of a commentIndex; past it (absurdly
// deep nesting) comments are simply scanned.
const maxCommentLevels = 1 << 20

// commentIndex lets @comments after an unclosed one be found unclosed
// without scanning to the end of the file each time, which would take
// quadratic time on a file of many unclosed comments.
//
// Let b(t) be the brace balance of src[origin:t]. A comment opened by '{'
// at o closes at the first '}' after o that stands at balance b(o)+1 (the
// balance cannot fall below that level without such a '}'), so it closes
// iff the last '}' at that level comes after o. A comment opened by '(' at
// o closes at the first ')' after o whose balance is at most b(o), so it
// closes iff the last ')' at a balance <= b(o) comes after o. build
// records both in one pass from the first unclosed comment to the end.
type commentIndex struct {
	built  bool
	origin int
	pos, b int   // b is the balance of src[origin:pos]
	lo     int   // the lowest balance; index level L at L-lo
	close  []int // close[L-lo]: offset of the last '}' at balance L, or -1
	paren  []int // paren[L-lo]: offset of the last ')' at a balance <= L, or -1
}

func (c *commentIndex) build(src string, origin int) {
	c.built = true
	b, lo, hi := 0, 0, 0
	for i := origin; i < len(src); i++ {
		switch src[i] {
		case '{':
			b++
			hi = max(hi, b)
		case '}':
			b--
			lo = min(lo, b)
		}
	}
	if hi-lo >= maxCommentLevels {
		return // origin stays unset below: knownUnclosed reports false
	}
	n := hi - lo + 1
	c.close, c.paren = make([]int, n), make([]int, n)
	for i := range n {
		c.close[i], c.paren[i] = -1, -1
	}
	b = 0
	for i := origin; i < len(src); i++ {
		switch src[i] {
		case '{':
			b++
		case '}':
			c.close[b-lo] = i
			b--
		case ')':
			c.paren[b-lo] = i
		}
	}
	for i := 1; i < n; i++ {
		c.paren[i] = max(c.paren[i], c.paren[i-1])
	}
	c.origin, c.pos, c.b, c.lo = origin, origin, 0, lo
}

// knownUnclosed reports whether the comment whose delimiter is at open
// surely never closes. Calls must come in increasing order of open.
func (c *commentIndex) knownUnclosed(src string, open int, closer byte) bool {
	if c.close == nil || open < c.pos {
		return false
	}
	for ; c.pos < open; c.pos++ {
		switch src[c.pos] {
		case '{':
			c.b++
		case '}':
			c.b--
		}
	}
	if closer == '}' {
		l := c.b + 1 - c.lo
		return l >= len(c.close) || c.close[l] <= open
	}
	l := min(c.b-c.lo, len(c.paren)-1)
	return c.paren[l] <= open
}

// stringDef reads `@string{name = value}`.
func (p *parser) stringDef(at, open int, closer byte) int {
	src := p.src
	pos := p.cur.pos(at)
	i := p.skipSpace(open + 1)
	ns := i
	i = p.skipIdent(i)
	if i == ns {
		return p.syntaxErr(i, "", "expected a macro name in @string, found %s", p.found(i))
	}
	name := src[ns:i]
	i = p.skipSpace(i)
	if i >= len(src) || src[i] != '=' {
		return p.syntaxErr(i, "", "expected '=' after @string name %s, found %s", name, p.found(i))
	}
	v, i, ok := p.value(p.skipSpace(i+1), open, "")
	if !ok {
		return i
	}
	i = p.skipSpace(i)
	if i < len(src) && src[i] == ',' {
		i = p.skipSpace(i + 1)
	}
	if i >= len(src) || src[i] != closer {
		return p.closeErr(i, open, closer, "")
	}
	if p.local == nil {
		p.local = make(map[string]bibtex.BibString)
	}
	p.local[p.lower(name)] = v
	p.strings = append(p.strings, &StringDef{Name: name, Value: v, Pos: pos, Raw: src[at : i+1]})
	return i + 1
}

// preamble reads `@preamble{value}`.
func (p *parser) preamble(at, open int, closer byte) int {
	src := p.src
	pos := p.cur.pos(at)
	i := p.skipSpace(open + 1)
	var v bibtex.BibString = bibtex.BibConst("")
	if i < len(src) && src[i] != closer {
		var ok bool
		v, i, ok = p.value(i, open, "")
		if !ok {
			return i
		}
		i = p.skipSpace(i)
	}
	if i >= len(src) || src[i] != closer {
		return p.closeErr(i, open, closer, "")
	}
	p.preambles = append(p.preambles, &Preamble{Value: v, Pos: pos, Raw: src[at : i+1]})
	return i + 1
}

// found describes what stands at i, for messages.
func (p *parser) found(i int) string {
	if i >= len(p.src) {
		return "end of file"
	}
	c := p.src[i]
	if c == '\n' || c == '\r' {
		return "end of line"
	}
	if c < utf8RuneSelf {
		return fmt.Sprintf("%q", c)
	}
	r := []rune(p.src[i:min(i+4, len(p.src))])
	return fmt.Sprintf("%q", r[0])
}

const utf8RuneSelf = 0x80

// syntaxErr reports a syntax error at i and returns where to resume.
func (p *parser) syntaxErr(i int, key, format string, args ...any) int {
	p.addf(i, SeverityError, key, ErrSyntax, format, args...)
	return p.resync(i)
}

// closeErr reports that the item opened at open does not close where
// expected (at i) and returns where to resume. Reaching the end of the file
// or a line-start '@' means the item was never closed (unbalanced);
// anything else is a syntax error.
func (p *parser) closeErr(i, open int, closer byte, key string) int {
	if i >= len(p.src) || (p.src[i] == '@' && p.atLineStart(i)) {
		where := "the end of the file"
		if i < len(p.src) {
			where = fmt.Sprintf("the next entry at line %d", p.cur.pos(i).Line)
		}
		p.addf(open, SeverityError, key, ErrUnbalanced, "%q is not closed before %s", p.src[open], where)
		return p.resync(i)
	}
	return p.syntaxErr(i, key, "expected %q, found %s", closer, p.found(i))
}

// entry reads a regular entry whose type ltyp is already lower-cased and
// whose delimiter is at open. Whenever the key could be read the entry is
// kept, with the fields read before any error.
func (p *parser) entry(at int, ltyp string, open int, closer byte) int {
	src := p.src
	e := p.newEntry()
	e.Type, e.Pos = ltyp, p.cur.pos(at)
	ks := p.skipSpace(open + 1)
	// A key is anything but white space, ',' and the closing delimiter
	// (BibTeX's scan for a key; btparse and biber agree). We also stop at
	// '=' so that an entry with no key, `@misc{title = ...}`, is recognised.
	ke := ks
	for ke < len(src) {
		c := src[ke]
		if isSpace(c) || c == ',' || c == closer || c == '=' || c == '}' {
			break
		}
		ke++
	}
	e.KeyPos = p.cur.pos(ks)
	i := p.skipSpace(ke)
	switch {
	case i < len(src) && src[i] == '=' && ke > ks:
		// No key: what we took for one is the first field name.
		p.addf(ks, SeverityWarning, "", ErrSyntax, "entry has no key")
		i = ks
	case i < len(src) && (src[i] == ',' || src[i] == closer):
		e.Key = src[ks:ke]
		if ke == ks {
			p.addf(ks, SeverityWarning, "", ErrSyntax, "empty key")
		}
		if src[i] == ',' {
			i++
		}
	default:
		key := src[ks:ke]
		if i < len(src) && src[i] == '@' && p.atLineStart(i) || i >= len(src) {
			return p.closeErr(i, open, closer, key)
		}
		if ke > ks && p.isFieldStart(i) {
			// `@article{key  title = ...`: a missing comma after the key.
			e.Key = key
			p.addf(i, SeverityError, key, ErrSyntax, "missing ',' after key %q", key)
			break
		}
		return p.syntaxErr(i, key, "expected ',' after key %q, found %s", key, p.found(i))
	}
	p.entries = append(p.entries, e)
	i, ok := p.fields(e, i, open, closer)
	e.Fields = p.commitFields()
	if ok {
		e.Raw = src[at : i+1]
		return i + 1
	}
	e.Raw = strings.TrimRight(src[at:i], " \t\r\n\f\v")
	return i
}

// isFieldStart reports whether a field `name =` starts at i.
func (p *parser) isFieldStart(i int) bool {
	j := p.skipIdent(i)
	if j == i {
		return false
	}
	j = p.skipSpace(j)
	return j < len(p.src) && p.src[j] == '='
}

// fields reads `name = value` pairs separated by commas up to closer. It
// returns the offset of the closer and true, or where to resume and false
// after an error (already reported).
func (p *parser) fields(e *Entry, i, open int, closer byte) (int, bool) {
	src := p.src
	var seen map[string]struct{}
	var seenMask uint64
	for {
		i = p.skipSpace(i)
		if i >= len(src) {
			return p.closeErr(i, open, closer, e.Key), false
		}
		c := src[i]
		switch {
		case c == closer:
			return i, true
		case c == ',':
			i++
			continue
		case c == '@' && p.atLineStart(i):
			return p.closeErr(i, open, closer, e.Key), false
		}
		ns := i
		i = p.skipIdent(i)
		if i == ns {
			return p.syntaxErr(i, e.Key, "expected a field name, found %s", p.found(i)), false
		}
		name := p.lower(src[ns:i])
		ne := i
		i = p.skipSpace(i)
		if i >= len(src) || src[i] != '=' {
			return p.syntaxErr(i, e.Key, "expected '=' after field name %s, found %s", src[ns:ne], p.found(i)), false
		}
		pos := p.cur.pos(ns)
		v, j, ok := p.value(p.skipSpace(i+1), open, e.Key)
		if !ok {
			return j, false
		}
		i = j
		// Duplicate check: a 64-bit mask of (length, first byte) rules out
		// most names at once; a map takes over for very long entries.
		dup := false
		bit := uint64(1) << ((uint(len(name))*7 + uint(name[0])) & 63)
		cur := p.fieldArena[p.fieldStart:]
		if len(cur) < 16 {
			if seenMask&bit != 0 {
				for k := range cur {
					if cur[k].Name == name {
						dup = true
						break
					}
				}
			}
			seenMask |= bit
		} else {
			if seen == nil {
				seen = make(map[string]struct{}, 2*len(cur))
				for k := range cur {
					seen[cur[k].Name] = struct{}{}
				}
			}
			_, dup = seen[name]
			seen[name] = struct{}{}
		}
		if dup {
			// BibTeX keeps the first value and warns.
			p.problems = append(p.problems, &Error{
				Pos:      pos,
				Err:      fmt.Errorf("%w: %s (the first value is kept)", ErrDuplicateField, name),
				Severity: SeverityWarning,
				Key:      e.Key,
			})
		} else {
			off, line, col := fieldAt(pos)
			p.addField(Field{Name: name, Value: v, Offset: off, Line: line, Col: col})
		}
		i = p.skipSpace(i)
		if i < len(src) && (src[i] == ',' || src[i] == closer) {
			continue
		}
		if i < len(src) && p.isFieldStart(i) {
			// `title = {x}  year = 2000`: a missing comma. Keep reading.
			p.addf(i, SeverityError, e.Key, ErrSyntax, "missing ',' before field %s", src[i:p.skipIdent(i)])
			continue
		}
		return p.closeErr(i, open, closer, e.Key), false
	}
}

// value reads `part # part # ...` at i, where a part is {text}, "text", a
// number or a macro name. It returns the value and the offset after it, or
// where to resume and false after an error (already reported).
func (p *parser) value(i, open int, key string) (bibtex.BibString, int, bool) {
	src := p.src
	var first bibtex.BibString
	var parts []bibtex.BibString
	for {
		if i >= len(src) {
			return nil, p.closeErr(i, open, 0, key), false
		}
		var part bibtex.BibString
		switch c := src[i]; {
		case c == '{' || c == '"':
			end, ok := p.delimited(i)
			if !ok {
				return nil, p.unclosed(i, end, key), false
			}
			part = bibtex.BibConst(src[i+1 : end])
			i = end + 1
		case classes[c]&classDigit != 0:
			j := p.skipIdent(i)
			part = bibtex.BibConst(src[i:j])
			i = j
		case isIdent(c):
			j := p.skipIdent(i)
			part = p.macro(src[i:j], i, key)
			i = j
		default:
			if c == '@' && p.atLineStart(i) || c == '}' || c == ')' || c == ',' {
				return nil, p.closeErrValue(i, open, key), false
			}
			return nil, p.syntaxErr(i, key, "expected a value, found %s", p.found(i)), false
		}
		if first == nil {
			first = part
		} else {
			if parts == nil {
				parts = append(make([]bibtex.BibString, 0, 4), first)
			}
			parts = append(parts, part)
		}
		j := p.skipSpace(i)
		if j < len(src) && src[j] == '#' {
			i = p.skipSpace(j + 1)
			continue
		}
		if parts != nil {
			comp := bibtex.BibComposite(parts)
			return &comp, i, true
		}
		return first, i, true
	}
}

// closeErrValue reports a missing value before a delimiter or a new entry.
func (p *parser) closeErrValue(i, open int, key string) int {
	if p.src[i] == '@' {
		return p.closeErr(i, open, 0, key)
	}
	return p.syntaxErr(i, key, "expected a value, found %s", p.found(i))
}

// delimited finds the end of the {braced} or "quoted" text starting at i:
// the offset of the closing '}' or '"' and true. Braces nest; a quote ends
// the text only outside braces (as in BibTeX, a backslash does not escape
// it). A line that starts a new entry, or the end of the file, means the
// text is unclosed: it returns that offset and false.
func (p *parser) delimited(i int) (int, bool) {
	src := p.src
	// Fast path for the common value with no nested braces: find the
	// closer with a vectorised search and check the text before it.
	closer := byte('}')
	if src[i] == '"' {
		closer = '"'
	}
	// The search is bounded, so that many unclosed values cannot make
	// reading quadratic; longer values take the loop below.
	if e := strings.IndexByte(src[i+1:min(i+1+fastValueWindow, len(src))], closer); e >= 0 {
		seg := src[i+1 : i+1+e]
		if strings.IndexByte(seg, '{') < 0 && (closer == '}' || strings.IndexByte(seg, '}') < 0) && !p.entryLineIn(seg, i+1) {
			return i + 1 + e, true
		}
	}
	quoted := src[i] == '"'
	depth := 0
	if !quoted {
		depth = 1
	}
	for j := i + 1; j < len(src); j++ {
		if classes[src[j]]&classDelim == 0 {
			continue
		}
		switch src[j] {
		case '{':
			depth++
		case '}':
			depth--
			if depth == 0 && !quoted {
				return j, true
			}
			if depth < 0 {
				// BibTeX rejects a '}' with no '{' inside quotes; we keep it
				// as text, as bibtex-tidy and Better BibTeX do.
				depth = 0
			}
		case '"':
			if quoted && depth == 0 {
				return j, true
			}
		case '\n':
			if k := lineEntryStart(src, j+1); k >= 0 {
				return k, false
			}
		}
	}
	return len(src), false
}

// fastValueWindow is how far delimited's fast path looks for the closer.
const fastValueWindow = 8 << 10

// entryLineIn reports whether seg, which starts at offset off, holds a
// newline followed by a line that starts an item.
func (p *parser) entryLineIn(seg string, off int) bool {
	for {
		k := strings.IndexByte(seg, '\n')
		if k < 0 {
			return false
		}
		if lineEntryStart(p.src, off+k+1) >= 0 {
			return true
		}
		seg, off = seg[k+1:], off+k+1
	}
}

// unclosed reports the brace or quote at open that is not closed before
// stop (a new entry or the end of file) and returns where to resume.
func (p *parser) unclosed(open, stop int, key string) int {
	where := "the end of the file"
	if stop < len(p.src) {
		where = fmt.Sprintf("the next entry at line %d", p.cur.pos(stop).Line)
	}
	p.addf(open, SeverityError, key, ErrUnbalanced, "%q is not closed before %s", p.src[open], where)
	return p.resync(stop)
}

// macro returns a reference to the macro name (as written, at offset off):
// a *BibVar whose Value is the macro's value, or its own name with an
// undefined-macro warning when it is not (yet) known.
func (p *parser) macro(name string, off int, key string) bibtex.BibString {
	ln := p.lower(name)
	if v, ok := p.local[ln]; ok {
		return &bibtex.BibVar{Key: name, Value: v}
	}
	if !p.deferMacros {
		if v, ok := p.base[ln]; ok {
			return &bibtex.BibVar{Key: name, Value: v}
		}
		if v, ok := monthMacros[ln]; ok {
			return &bibtex.BibVar{Key: name, Value: v}
		}
	}
	v := &bibtex.BibVar{Key: name, Value: bibtex.BibConst(name)}
	p.problems = append(p.problems, &Error{
		Pos:      p.cur.pos(off),
		Err:      &undefinedMacro{name: ln, v: v},
		Severity: SeverityWarning,
		Key:      key,
	})
	return v
}

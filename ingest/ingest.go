package ingest

import (
	"bytes"
	"errors"
	"fmt"
	"hash/maphash"
	"slices"
	"sort"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/nickng/bibtex"

	"github.com/papernotes/papernotes/bib"
	"github.com/papernotes/papernotes/citekey"
	"github.com/papernotes/papernotes/internal/par"
	"github.com/papernotes/papernotes/internal/safefile"
)

// Action is what a [Plan] does with one incoming entry.
type Action int

const (
	// Add appends the entry (under [Item.Key], which may be a new key).
	Add Action = iota
	// SkipSame skips the entry: the library (or an earlier entry of the
	// import) already has an entry with the same content ([SameContent]),
	// usually under the same key, but under any key counts too.
	SkipSame
	// KeyCollision appends the entry under a freshly generated key: its
	// key (ignoring case) belongs to a different entry of the library or of
	// the import.
	KeyCollision
	// SuspectedDuplicate holds the entry back: the library (or an earlier
	// entry of the import) has the same DOI, arXiv id, or title and year.
	// With [Options.Force] it is appended anyway ([Item.Added]).
	SuspectedDuplicate
	// Broken skips the entry: its source bytes, read back on their own, do
	// not give the same entry (the reader recovered it from a syntax error),
	// so appending them would lose or corrupt data. Fix the source first.
	Broken
)

var actionNames = [...]string{"add", "skip-same", "key-collision", "suspected-duplicate", "broken"}

// String returns "add", "skip-same", "key-collision", "suspected-duplicate" or "broken".
func (a Action) String() string {
	if a >= 0 && int(a) < len(actionNames) {
		return actionNames[a]
	}
	return fmt.Sprintf("Action(%d)", int(a))
}

// MarshalText returns [Action.String], so that --json prints the name.
func (a Action) MarshalText() ([]byte, error) { return []byte(a.String()), nil }

// Options configures [NewPlan]. The zero value works: the default key
// pattern, keys kept where they are safe, suspected duplicates held back.
type Options struct {
	// Pattern is the citekey pattern for generated keys; "" means
	// [citekey.DefaultPattern]. An invalid pattern falls back to the
	// default: validate it with [citekey.Compile] first.
	Pattern string
	// Rekey gives every added entry a generated key, even a safe one.
	Rekey bool
	// Force adds suspected duplicates too.
	Force bool
	// Strings are the @string definitions of the imported files. When an
	// added entry uses a macro that the library does not define, the
	// definition found here is appended before the entries.
	Strings []*bib.StringDef
	// Problems are the problems found parsing the imported files. When
	// given, an entry kept under its own key, with no error on its lines
	// and whose macros expand as they will in the library, is not read back
	// on its own: the whole-file parse already read those bytes cleanly.
	// Without them every added entry is read back (slower, same result).
	Problems bib.ErrorList
}

// Item is the plan for one incoming entry.
type Item struct {
	// Entry is the incoming entry as parsed; the plan never changes it.
	Entry  *bib.Entry
	Action Action
	// Added reports whether [Plan.Apply] appends the entry: true for Add
	// and KeyCollision, and for SuspectedDuplicate with Force.
	Added bool
	// Key is the key the entry gets when added ("" when it is not added).
	Key string
	// Rekeyed reports whether Key differs from Entry.Key, and RekeyReason
	// says why: "empty key", "unsafe key: ...", "rekey requested", or
	// "key ... is taken by a different entry".
	Rekeyed     bool
	RekeyReason string
	// Existing is the entry that makes this one SkipSame or a KeyCollision.
	Existing *bib.Entry
	// Duplicates are the probable duplicates of a SuspectedDuplicate.
	Duplicates []bib.DuplicateGroup
	// Raw is the text to append: Entry.Raw with only the key replaced.
	Raw string
	// Warnings are notes for the user, such as a macro that stays undefined.
	Warnings []string
}

// Plan says what importing a list of entries into a library does. Build
// it with [NewPlan], look at Items, then call [Plan.Apply]. A Plan is not
// safe for concurrent use.
type Plan struct {
	// Items holds one item per incoming entry, in input order.
	Items []Item
	// Strings are the @string definitions appended before the entries.
	Strings []*bib.StringDef
	applied bool
}

// planned indexes the entries added so far, to find collisions and
// duplicates within one import.
type planned struct {
	sigs    *sigHasher
	libSig  map[uint64]*bib.Entry // hashed content signature -> first library entry
	bySig   map[uint64]*bib.Entry // hashed content signature -> added entry
	byFold  map[string]*bib.Entry // lower-cased final key -> added entry
	byDOI   map[string]*bib.Entry
	byArXiv map[string]*bib.Entry
	byTitle map[string]*bib.Entry
}

// NewPlan decides, for each incoming entry in order, whether it is added,
// and under which key; it reads lib (which may be nil: an empty library)
// and never writes anything. Entries added earlier in the same import
// count as part of the library for the entries after them.
//
// The checks, in order: an entry whose content equals that of a library
// entry ([SameContent]), whatever its key, is SkipSame; a probable duplicate ([bib.Library.FindDuplicates])
// is a SuspectedDuplicate; an entry whose key (ignoring case) is taken by
// a different entry is a KeyCollision and gets a generated key; the rest
// are Added. An added entry's key is generated from opts.Pattern when it
// is empty, unsafe ([bib.UnsafeKey]), taken, or when opts.Rekey is set;
// otherwise it is kept as written. Generated keys avoid every key of the
// library and of the import, ignoring case, with an a, b, ... suffix, and
// read Chinese surnames as the library's existing keys do
// ([citekey.Generator.Learn]).
//
// Parse the imported files with bib.ParseOptions{Macros: lib.Macros()}, so
// that their entries' macros expand as they will in the library and
// content comparisons see the same text; pass their @string definitions in
// opts.Strings. An entry whose bytes do not read back as the same entry
// (a broken entry the reader recovered) is [Broken] and never added.
func NewPlan(lib *bib.Library, incoming []*bib.Entry, opts Options) *Plan {
	if lib == nil {
		lib = bib.NewLibrary(nil, bib.LoadOptions{})
	}
	gen, err := citekey.New(opts.Pattern)
	if err != nil {
		gen, _ = citekey.New(citekey.DefaultPattern)
	}
	gen.Learn(lib.Entries())

	// Keys written in the import and kept as they are: generated keys avoid them.
	reserved := make(map[string]bool, len(incoming))
	if !opts.Rekey {
		for _, e := range incoming {
			if _, bad := bib.UnsafeKey(e.Key); !bad {
				reserved[strings.ToLower(e.Key)] = true
			}
		}
	}
	pl := planned{
		sigs:   newSigHasher(),
		libSig: make(map[uint64]*bib.Entry, len(lib.Entries())), bySig: make(map[uint64]*bib.Entry, len(incoming)),
		byFold: make(map[string]*bib.Entry, len(incoming)), byDOI: map[string]*bib.Entry{},
		byArXiv: map[string]*bib.Entry{}, byTitle: map[string]*bib.Entry{},
	}
	libSigs := pl.sigs.sumAll(lib.Entries(), nil)
	for i, x := range lib.Entries() {
		if sig := libSigs[i]; pl.libSig[sig] == nil {
			pl.libSig[sig] = x
		}
	}
	// The incoming entries' signatures and duplicate keys depend on nothing
	// else: they are computed on every core before the entries are decided
	// in order.
	dks := make([]bib.DupKeys, len(incoming))
	sigs := pl.sigs.sumAll(incoming, func(i int) { dks[i] = bib.DupKeysOf(incoming[i]) })
	taken := func(k string) bool {
		f := strings.ToLower(k)
		return lib.HasKeyFold(k) || pl.byFold[f] != nil || reserved[f]
	}

	// Macros for reading entries back: the library's, then the import's.
	macros := make(map[string]bibtex.BibString, len(lib.Macros())+len(opts.Strings))
	for k, v := range lib.Macros() {
		macros[k] = v
	}
	for _, s := range opts.Strings {
		macros[strings.ToLower(s.Name)] = s.Value
	}

	clean := newCleanLines(opts.Problems)
	p := &Plan{Items: make([]Item, 0, len(incoming))}
	var sfx citekey.Suffixer // taken only grows below: suffixes go on where they stopped
	for i, e := range incoming {
		it := Item{Entry: e}
		sig, dk := sigs[i], dks[i]
		p.decide(&it, sig, dk, lib, &pl, opts)
		if it.Added {
			rekey := ""
			switch {
			case e.Key == "":
				rekey = "empty key"
			case opts.Rekey:
				rekey = "rekey requested"
			case it.Action == KeyCollision:
				rekey = fmt.Sprintf("key %q is taken by a different entry", e.Key)
			default:
				if reason, bad := bib.UnsafeKey(e.Key); bad {
					rekey = "unsafe key: " + reason
				} else if owner := pl.byFold[strings.ToLower(e.Key)]; owner != nil || lib.HasKeyFold(e.Key) {
					// A forced duplicate whose key is taken.
					rekey = fmt.Sprintf("key %q is taken by a different entry", e.Key)
				}
			}
			it.Key = e.Key
			if rekey != "" {
				it.Key = sfx.Suffix(gen.Key(e), taken)
				it.Rekeyed = it.Key != e.Key
				it.RekeyReason = rekey
			}
			it.Raw = ReplaceKey(e.Raw, it.Key)
			if !(opts.Problems != nil && it.Key == e.Key && clean.entry(incoming, i) && sameMacros(e, macros)) && !readsBack(it.Raw, e, macros, pl.sigs) {
				it.Action, it.Added, it.Key, it.Raw, it.Rekeyed, it.RekeyReason = Broken, false, "", "", false, ""
			} else {
				// Index it under its final key (a copy when that differs), so
				// later items name it by that key.
				x := e
				if it.Key != e.Key || it.Raw != e.Raw {
					c := *e
					c.Key, c.Raw = it.Key, it.Raw
					x = &c
				}
				pl.add(it.Key, sig, dk, x)
				if bib.NonASCIIKey(it.Key) {
					it.Warnings = append(it.Warnings, fmt.Sprintf("%v: %q: %s (import with --rekey makes one)", bib.ErrNonASCIIKey, it.Key, bib.NonASCIIKeyAdvice))
				}
			}
		}
		p.Items = append(p.Items, it)
	}
	p.collectStrings(lib, opts.Strings)
	return p
}

// readsBack reports whether raw, parsed on its own, gives one entry with
// the same content as e and no errors.
func readsBack(raw string, e *bib.Entry, macros map[string]bibtex.BibString, sigs *sigHasher) bool {
	// The bytes are a copy of raw's, never written: the parser may keep them.
	f := bib.Parse(e.Pos.Filename, []byte(raw), &bib.ParseOptions{Macros: macros, NoCopy: true})
	if len(f.Entries) != 1 || len(f.Problems.Errors()) > 0 {
		return false
	}
	return sigs.same(f.Entries[0], e)
}

// cleanLines holds, per file, the sorted lines of error-severity problems.
type cleanLines map[string][]int

func newCleanLines(problems bib.ErrorList) cleanLines {
	c := cleanLines{}
	for _, p := range problems {
		if p.Severity == bib.SeverityError {
			c[p.Pos.Filename] = append(c[p.Pos.Filename], p.Pos.Line)
		}
	}
	for _, lines := range c {
		sort.Ints(lines)
	}
	return c
}

// entry reports whether no error lies between the line of incoming[i]'s
// '@' and the line of the next entry of its file, that line included, or
// the end of the file: an error reported past an entry's recovered bytes
// (at the end of the file, say) still belongs to it.
func (c cleanLines) entry(incoming []*bib.Entry, i int) bool {
	e := incoming[i]
	lines := c[e.Pos.Filename]
	if len(lines) == 0 {
		return true
	}
	last := int(^uint(0) >> 1)
	if i+1 < len(incoming) && incoming[i+1].Pos.Filename == e.Pos.Filename && incoming[i+1].Pos.Line >= e.Pos.Line {
		last = incoming[i+1].Pos.Line
	}
	j := sort.SearchInts(lines, e.Pos.Line)
	return j == len(lines) || lines[j] > last
}

// sameMacros reports whether every macro e uses expands in macros (the
// library's, then the import's definitions) to what it expanded to when e
// was parsed: then e's bytes read back on their own give the same values.
func sameMacros(e *bib.Entry, macros map[string]bibtex.BibString) bool {
	var same func(v bibtex.BibString) bool
	same = func(v bibtex.BibString) bool {
		switch v := v.(type) {
		case *bibtex.BibVar:
			d, ok := macros[strings.ToLower(v.Key)]
			if !ok {
				// jan..dec are predefined in both parses; anything else is undefined.
				return isMonth(strings.ToLower(v.Key))
			}
			return bib.Expand(d) == bib.Expand(v.Value)
		case *bibtex.BibComposite:
			for _, part := range *v {
				if !same(part) {
					return false
				}
			}
		}
		return true
	}
	for _, f := range e.Fields {
		if !same(f.Value) {
			return false
		}
	}
	return true
}

// Needs returns what [NewPlan] reads of a library's entries to plan
// incoming: an entry with the key of an incoming one (ignoring case), the
// same content, or the same DOI, arXiv id or title and year, and one the
// key generator learns from ([citekey.MayTeach]). A caller may load only
// those of a large library (bib.LoadOptions.Keep, which also keeps
// crossref parents): the plan is then the same as with the whole library,
// whose other keys count through [bib.Library.HasKeyFold]. Parse incoming
// with the library's macros first, as for NewPlan. The function it returns
// is safe for concurrent use.
func Needs(incoming []*bib.Entry) func(*bib.Entry) bool {
	h := newSigHasher()
	keys := make(map[string]bool, len(incoming))
	sigs := make(map[uint64]bool, len(incoming))
	var doi, arxiv, title map[string]bool = map[string]bool{}, map[string]bool{}, map[string]bool{}
	for i, sig := range h.sumAll(incoming, nil) {
		e := incoming[i]
		sigs[sig] = true
		keys[strings.ToLower(e.Key)] = true
		dk := bib.DupKeysOf(e)
		doi[dk.DOI], arxiv[dk.ArXiv], title[dk.TitleYear] = true, true, true
	}
	delete(doi, "")
	delete(arxiv, "")
	delete(title, "")
	hashers := sync.Pool{New: func() any { return &sigHasher{seed: h.seed} }}
	return func(e *bib.Entry) bool {
		if keys[strings.ToLower(e.Key)] || citekey.MayTeach(e) {
			return true
		}
		if dk := bib.DupKeysOf(e); doi[dk.DOI] || arxiv[dk.ArXiv] || title[dk.TitleYear] {
			return true
		}
		w := hashers.Get().(*sigHasher)
		defer hashers.Put(w)
		return sigs[w.sum(e)]
	}
}

// decide sets the action of one item.
// sig is the entry's hashed signature.
func (p *Plan) decide(it *Item, sig uint64, dk bib.DupKeys, lib *bib.Library, pl *planned, opts Options) {
	e := it.Entry
	// The same content anywhere, under any key: nothing to add.
	if x := pl.libSig[sig]; x != nil && pl.sigs.same(x, e) {
		it.Action, it.Existing = SkipSame, x
		return
	}
	if x := pl.bySig[sig]; x != nil && pl.sigs.same(x, e) {
		it.Action, it.Existing = SkipSame, x
		return
	}
	// Probable duplicates, in the library and earlier in the import.
	groups := lib.FindDuplicatesOf(e, dk)
	groups = append(groups, pl.find(e, dk)...)
	if len(groups) > 0 {
		it.Action, it.Duplicates, it.Added = SuspectedDuplicate, groups, opts.Force
		return
	}
	var keyOwners []*bib.Entry
	if e.Key != "" {
		keyOwners = append(keyOwners, lib.LookupFold(e.Key)...)
		if x := pl.byFold[strings.ToLower(e.Key)]; x != nil {
			keyOwners = append(keyOwners, x)
		}
	}
	if len(keyOwners) > 0 {
		it.Action, it.Existing, it.Added = KeyCollision, keyOwners[0], true
		return
	}
	it.Action, it.Added = Add, true
}

// sig and dk are e's hashed signature and duplicate keys.
func (pl *planned) add(key string, sig uint64, dk bib.DupKeys, e *bib.Entry) {
	pl.byFold[strings.ToLower(key)] = e
	if pl.bySig[sig] == nil {
		pl.bySig[sig] = e
	}
	if d := dk.DOI; d != "" && pl.byDOI[d] == nil {
		pl.byDOI[d] = e
	}
	if a := dk.ArXiv; a != "" && pl.byArXiv[a] == nil {
		pl.byArXiv[a] = e
	}
	if t := dk.TitleYear; t != "" && pl.byTitle[t] == nil {
		pl.byTitle[t] = e
	}
}

// find returns the duplicates of e among the entries added so far.
func (pl *planned) find(e *bib.Entry, dk bib.DupKeys) []bib.DuplicateGroup {
	var out []bib.DuplicateGroup
	if d := dk.DOI; d != "" && pl.byDOI[d] != nil {
		out = append(out, bib.DuplicateGroup{Reason: "same DOI " + d + " (earlier in this import)", Entries: []*bib.Entry{pl.byDOI[d]}})
	}
	if a := dk.ArXiv; a != "" && pl.byArXiv[a] != nil {
		out = append(out, bib.DuplicateGroup{Reason: "same arXiv id " + a + " (earlier in this import)", Entries: []*bib.Entry{pl.byArXiv[a]}})
	}
	if t := dk.TitleYear; t != "" && pl.byTitle[t] != nil {
		out = append(out, bib.DuplicateGroup{Reason: fmt.Sprintf("same title and year: %q (%s) (earlier in this import)", e.Title(), e.Year()), Entries: []*bib.Entry{pl.byTitle[t]}})
	}
	return out
}

// collectStrings finds the macros used by added entries that the library
// does not define, and schedules their definitions from strs.
func (p *Plan) collectStrings(lib *bib.Library, strs []*bib.StringDef) {
	defs := map[string]*bib.StringDef{}
	for _, s := range strs {
		defs[strings.ToLower(s.Name)] = s // the last definition wins, as in BibTeX
	}
	known := lib.Macros()
	scheduled := map[string]bool{}
	var need func(v bibtex.BibString, it *Item)
	need = func(v bibtex.BibString, it *Item) {
		switch v := v.(type) {
		case *bibtex.BibVar:
			name := strings.ToLower(v.Key)
			if _, ok := known[name]; ok || isMonth(name) || scheduled[name] {
				return
			}
			if d, ok := defs[name]; ok {
				scheduled[name] = true
				// A definition may itself use other macros.
				need(d.Value, it)
				p.Strings = append(p.Strings, d)
				return
			}
			it.Warnings = append(it.Warnings, fmt.Sprintf("macro %q is not defined in the library or the import", v.Key))
		case *bibtex.BibComposite:
			for _, part := range *v {
				need(part, it)
			}
		}
	}
	for i := range p.Items {
		it := &p.Items[i]
		if !it.Added {
			continue
		}
		for _, f := range it.Entry.Fields {
			need(f.Value, it)
		}
	}
}

func isMonth(name string) bool {
	switch name {
	case "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec":
		return true
	}
	return false
}

// SameContent reports whether a and b hold the same entry, whatever their
// keys and formatting: the same type (ignoring case) and the same fields
// with the same values once macros are expanded and white space is
// collapsed. Field order, delimiters, `{2023}` versus `2023`, the case of
// field names and line breaks do not matter; the case of values and LaTeX
// do. A nil entry is the same as nothing.
func SameContent(a, b *bib.Entry) bool {
	if a == nil || b == nil {
		return false
	}
	return signature(a) == signature(b)
}

// signature is the normalised content that [SameContent] compares. A
// repeated field name keeps its first value, as BibTeX does.
//
// It is built in one buffer: the fields (first value of each name) sorted
// by name, each "name\x00value" with white space collapsed, joined by
// "\x01" after "type\x01". Names hold no byte below '\x01', so sorting by
// name orders them as sorting the "name\x00value" strings did.
func signature(e *bib.Entry) string {
	return string(appendSignature(nil, e))
}

// appendSignature appends e's [signature] to buf.
func appendSignature(buf []byte, e *bib.Entry) []byte {
	type field struct{ name, value string }
	var small [8]field
	fields := small[:0]
	var seen map[string]bool // only for many fields; a scan is cheaper for few
	if len(e.Fields) > 16 {
		seen = make(map[string]bool, len(e.Fields))
	}
	size := len(e.Type) + 1
	for _, f := range e.Fields {
		name := strings.ToLower(f.Name)
		if seen != nil {
			if seen[name] {
				continue
			}
			seen[name] = true
		} else if hasName(fields, func(x field) bool { return x.name == name }) {
			continue
		}
		v := bib.Expand(f.Value)
		fields = append(fields, field{name, v})
		size += len(name) + len(v) + 2
	}
	slices.SortFunc(fields, func(a, b field) int { return strings.Compare(a.name, b.name) })
	buf = slices.Grow(buf, size)
	buf = append(buf, strings.ToLower(e.Type)...)
	buf = append(buf, '\x01')
	for i, f := range fields {
		if i > 0 {
			buf = append(buf, '\x01')
		}
		buf = append(buf, f.name...)
		buf = append(buf, '\x00')
		buf = appendCollapsed(buf, f.value)
	}
	return buf
}

// sigHasher hashes entries' signatures with a seed of its own, so that
// content chosen to collide cannot be written ahead; a plan keys its maps
// by these hashes rather than by the signatures (a copy of every entry)
// and confirms each match with [SameContent].
type sigHasher struct {
	seed       maphash.Seed
	buf, other []byte
}

func newSigHasher() *sigHasher { return &sigHasher{seed: maphash.MakeSeed()} }

func (h *sigHasher) sum(e *bib.Entry) uint64 {
	h.buf = appendSignature(h.buf[:0], e)
	return maphash.Bytes(h.seed, h.buf)
}

// sumAll returns the hashed signatures of es, computed on every core (with
// the same seed as h), calling also, when not nil, for each index i.
func (h *sigHasher) sumAll(es []*bib.Entry, also func(i int)) []uint64 {
	out := make([]uint64, len(es))
	par.Runs(len(es), 256, func(lo, hi int) {
		w := &sigHasher{seed: h.seed}
		for i := lo; i < hi; i++ {
			out[i] = w.sum(es[i])
			if also != nil {
				also(i)
			}
		}
	})
	return out
}

// same is [SameContent] of two entries, in h's buffers.
func (h *sigHasher) same(a, b *bib.Entry) bool {
	h.buf = appendSignature(h.buf[:0], a)
	h.other = appendSignature(h.other[:0], b)
	return bytes.Equal(h.buf, h.other)
}

func hasName[T any](xs []T, match func(T) bool) bool {
	for _, x := range xs {
		if match(x) {
			return true
		}
	}
	return false
}

// appendCollapsed appends strings.Join(strings.Fields(s), " ") to b
// without the intermediate slice: runs of white space (unicode.IsSpace)
// become one space, and leading and trailing ones go. Runs of other bytes
// are copied whole.
func appendCollapsed(b []byte, s string) []byte {
	space, wrote := false, false
	start := -1 // start of the run of non-space bytes being read
	for i := 0; i < len(s); {
		c := s[i]
		n := 1
		isSpace := false
		if c < utf8.RuneSelf {
			isSpace = c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r'
		} else {
			var r rune
			r, n = utf8.DecodeRuneInString(s[i:])
			isSpace = unicode.IsSpace(r)
		}
		if isSpace {
			if start >= 0 {
				b = append(b, s[start:i]...)
				start = -1
			}
			space = true
		} else if start < 0 {
			if space && wrote {
				b = append(b, ' ')
			}
			space, wrote, start = false, true, i
		}
		i += n
	}
	if start >= 0 {
		b = append(b, s[start:]...)
	}
	return b
}

// ReplaceKey returns raw (an entry's source, `@type{key, ...}`) with only
// the key replaced: the text between the opening delimiter and the first
// comma (or the closing delimiter of an entry without fields). '%' comment
// lines before the opening delimiter or the key, which the parser skips
// there, are kept, and so is any '{', '(' or ',' in them. Every other byte
// is kept. raw without an opening delimiter is returned unchanged.
func ReplaceKey(raw, key string) string {
	open := -1
	for i := 0; i < len(raw) && open < 0; i++ {
		switch raw[i] {
		case '{', '(':
			open = i
		case '%':
			nl := strings.IndexByte(raw[i:], '\n')
			if nl < 0 {
				return raw
			}
			i += nl
		}
	}
	if open < 0 {
		return raw
	}
	start := open + 1
	for i := start; i < len(raw); {
		if strings.IndexByte(" \t\r\n\v\f", raw[i]) >= 0 {
			i++
			continue
		}
		if raw[i] != '%' {
			break
		}
		nl := strings.IndexByte(raw[i:], '\n')
		if nl < 0 {
			return raw
		}
		i += nl + 1
		start = i // the key's text starts after the last comment line
	}
	end := strings.IndexAny(raw[start:], ",})")
	if end < 0 {
		return raw
	}
	end += start
	if raw[start:end] == key {
		return raw // the same key: no copy of the entry
	}
	return raw[:start] + key + raw[end:]
}

// Entries returns copies of the entries the plan adds, in input order,
// with their final Key and Raw. Their positions still point into the
// imported file. The `add` command uses them to scaffold notes.
func (p *Plan) Entries() []*bib.Entry {
	var out []*bib.Entry
	for _, it := range p.Items {
		if !it.Added {
			continue
		}
		c := *it.Entry
		c.Key = it.Key
		c.Raw = it.Raw
		out = append(out, &c)
	}
	return out
}

// Bytes returns the text [Plan.Apply] appends: the needed @string
// definitions, then the added entries, separated by blank lines and ending
// with a newline; "" when nothing is added.
func (p *Plan) Bytes() string {
	var parts []string
	for _, s := range p.Strings {
		parts = append(parts, strings.TrimRight(s.Raw, " \t\r\n"))
	}
	for _, it := range p.Items {
		if it.Added {
			parts = append(parts, strings.TrimRight(it.Raw, " \t\r\n"))
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return strings.Join(parts, "\n\n") + "\n"
}

// ErrApplied is returned by [Plan.Apply] when the plan was applied already.
var ErrApplied = errors.New("plan already applied")

// Apply appends [Plan.Bytes] to the file target, atomically
// ([safefile.Update]: a temporary file, then rename), creating it when
// absent. Bytes already in target are never rewritten. The new entries are
// separated from what is there by one blank line (newlines are added only
// as needed), and written with the target's line ending: CRLF when most of
// its lines end so, else LF. Nothing is written when the plan adds nothing.
// A plan applies once; a second call returns [ErrApplied].
func (p *Plan) Apply(target string) error {
	if p.applied {
		return ErrApplied
	}
	data := p.Bytes()
	if data == "" {
		p.applied = true
		return nil
	}
	err := safefile.Update(target, 0o644, func(old []byte, _ bool) ([]byte, error) {
		return appendEntries(old, data), nil
	})
	if err != nil {
		return fmt.Errorf("import into %s: %w", target, err)
	}
	p.applied = true
	return nil
}

// appendEntries returns old followed by a blank line and data (LF line
// endings) converted to old's line ending.
func appendEntries(old []byte, data string) []byte {
	nl := "\n"
	if crlf := bytes.Count(old, []byte("\r\n")); crlf > bytes.Count(old, []byte("\n"))-crlf {
		nl = "\r\n"
	}
	data = strings.ReplaceAll(data, "\r\n", "\n")
	if nl != "\n" {
		data = strings.ReplaceAll(data, "\n", nl)
	}
	out := append([]byte(nil), old...)
	if len(bytes.TrimSpace(old)) > 0 {
		// Newlines already ending old, after its last non-blank character.
		tail := old[len(bytes.TrimRight(old, " \t\r\n")):]
		for n := bytes.Count(tail, []byte("\n")); n < 2; n++ {
			out = append(out, nl...)
		}
	}
	return append(out, data...)
}

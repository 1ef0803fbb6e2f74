package bib

import (
	"fmt"
	"go/token"
	"strings"
	"unicode/utf8"

	"github.com/nickng/bibtex"
)

// Field bits for the required-field check: each entry's fields are looked
// at once, into a bit set, rather than searched for every requirement.
const (
	fAuthor uint32 = 1 << iota
	fEditor
	fTitle
	fJournal
	fYear
	fPublisher
	fBooktitle
	fChapter
	fPages
	fSchool
	fInstitution
	fNote
)

// fieldBit returns the bit of a field name, with biblatex's aliases: date
// counts as year, journaltitle as journal, and institution as school too.
func fieldBit(name string) uint32 {
	switch name {
	case "author":
		return fAuthor
	case "editor":
		return fEditor
	case "title":
		return fTitle
	case "journal", "journaltitle":
		return fJournal
	case "year", "date":
		return fYear
	case "publisher":
		return fPublisher
	case "booktitle":
		return fBooktitle
	case "chapter":
		return fChapter
	case "pages":
		return fPages
	case "school":
		return fSchool
	case "institution":
		return fInstitution | fSchool
	case "note":
		return fNote
	}
	return 0
}

// requirement is one required field, satisfied by any of its bits.
type requirement struct {
	bits uint32
	name string // as printed: "author or editor"
}

// requiredFields lists, per entry type, the fields BibTeX's standard styles
// require. Types not listed (misc, online, software, ...) require nothing.
var requiredFields = map[string][]requirement{
	"article":       {{fAuthor, "author"}, {fTitle, "title"}, {fJournal, "journal"}, {fYear, "year"}},
	"book":          {{fAuthor | fEditor, "author or editor"}, {fTitle, "title"}, {fPublisher, "publisher"}, {fYear, "year"}},
	"booklet":       {{fTitle, "title"}},
	"inbook":        {{fAuthor | fEditor, "author or editor"}, {fTitle, "title"}, {fChapter | fPages, "chapter or pages"}, {fPublisher, "publisher"}, {fYear, "year"}},
	"incollection":  {{fAuthor, "author"}, {fTitle, "title"}, {fBooktitle, "booktitle"}, {fPublisher, "publisher"}, {fYear, "year"}},
	"inproceedings": {{fAuthor, "author"}, {fTitle, "title"}, {fBooktitle, "booktitle"}, {fYear, "year"}},
	"conference":    {{fAuthor, "author"}, {fTitle, "title"}, {fBooktitle, "booktitle"}, {fYear, "year"}},
	"manual":        {{fTitle, "title"}},
	"mastersthesis": {{fAuthor, "author"}, {fTitle, "title"}, {fSchool, "school"}, {fYear, "year"}},
	"phdthesis":     {{fAuthor, "author"}, {fTitle, "title"}, {fSchool, "school"}, {fYear, "year"}},
	"proceedings":   {{fTitle, "title"}, {fYear, "year"}},
	"techreport":    {{fAuthor, "author"}, {fTitle, "title"}, {fInstitution, "institution"}, {fYear, "year"}},
	"unpublished":   {{fAuthor, "author"}, {fTitle, "title"}, {fNote, "note"}},
}

// scanned is what Check needs of one entry, found in one pass over its
// fields (Entry.Field searches them all for every name).
type scanned struct {
	bits     uint32 // fields present and not blank
	crossref *Field
	doi      *Field
	url      string
}

func scan(e *Entry) scanned {
	var s scanned
	for i := range e.Fields {
		f := &e.Fields[i]
		switch f.Name {
		case "crossref":
			if s.crossref == nil {
				s.crossref = f
			}
			continue
		case "doi":
			if s.doi == nil {
				s.doi = f
			}
			continue
		case "url":
			if s.url == "" {
				s.url = Expand(f.Value)
			}
			continue
		}
		if b := fieldBit(f.Name); b != 0 && s.bits&b != b && !blank(f.Value) {
			s.bits |= b
		}
	}
	return s
}

// blank reports whether a value has nothing but braces and white space:
// `year = {}` does not count as a year.
func blank(v bibtex.BibString) bool {
	s := Expand(v)
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '{', '}', ' ', '\t', '\r', '\n':
		default:
			return false
		}
	}
	return true
}

// Check returns the semantic problems of the library's entries, sorted:
//
//   - [ErrMissingField] (warning): a field that the entry type requires in
//     BibTeX's standard styles is absent (article: author, title, journal,
//     year; book: author or editor, title, publisher, year; inproceedings:
//     author, title, booktitle, year; and so on; misc and non-standard
//     types require nothing). biblatex's date counts for year, journaltitle
//     for journal and institution for school, and the fields of a crossref
//     parent count, as BibTeX inherits them (the parent's title counts for
//     booktitle, as in biblatex). A warning, because the entry still loads
//     and still prints, only less completely.
//   - [ErrUndefinedCrossref] (error): crossref names a key that no entry
//     has (compared ignoring case, as BibTeX does). An error, because BibTeX
//     then fails on every document that cites the entry.
//   - [ErrUnsafeKey]: see [UnsafeKey]. An error when LaTeX or BibTeX cannot
//     cite the key at all (empty, white space, `,{}%#\~&$^`), a warning when
//     it is only suspicious (quotes, parentheses, '=', dots).
//   - [ErrDuplicateDOI] (warning): an entry has the same DOI as an earlier
//     one, which it names; a warning, because two entries for one work are
//     untidy but break nothing.
//   - [ErrProbableDuplicate] (warning): an entry probably describes the same
//     work as an earlier one under another key: the same arXiv id, or the
//     same normalised title and year, as [Library.Duplicates] groups them
//     (and `import` holds back with [Library.FindDuplicates]). Groups of the
//     same DOI are left to [ErrDuplicateDOI], and entries of the same key to
//     [ErrDuplicateKey], so that one cause gives one problem.
//   - [ErrNonASCIIKey] (warning): see [NonASCIIKey].
//
// Problems are positioned at the entry's key (unsafe keys), its '@'
// (missing fields) or the field concerned (crossref, doi). Check does not
// repeat [Library.Problems]; a caller that wants everything appends both.
func (l *Library) Check() ErrorList {
	l.buildDupIndex()
	c := &checker{byKey: l.byKey, dup: &l.dup, entries: l.entries}
	for i, e := range l.entries {
		c.summarize(e, &l.keys[i], false)
		c.check(int32(i))
	}
	return c.finish()
}

// spot is what a [summary] keeps of a token.Position: its file is the
// summary's.
type spot struct{ off, line, col int32 }

func spotOf(p token.Position) spot {
	return spot{int32(p.Offset), int32(p.Line), int32(p.Column)}
}

// summary is what [Library.Check] needs of every entry. A library in memory
// keeps its entries too; a streaming check ([CheckFiles]) keeps only the
// summaries, whose strings then share nothing with the source. What only
// some entries have (a crossref, a DOI, duplicate keys) is in an [extra],
// so that a summary of an entry with none of it is 56 bytes.
type summary struct {
	key       string
	at, keyAt spot   // the '@' and the key (line 0: no key position)
	file      int32  // index into checker.files
	bits      uint32 // required fields present, see scan
	typ       int32  // index into checker.typeNames
	extra     int32  // index into checker.extras; -1: none
}

// extra is what a [summary] keeps of an entry that has a crossref, a DOI,
// an arXiv id or a title and year.
type extra struct {
	crossref   string
	crossrefAt spot // line 0: no crossref field
	doiAt      spot // line 0: no doi field
	keys       DupKeys
	title      string // the plain title, kept when streaming and keys.TitleYear != ""
}

// checker runs the checks of [Library.Check] on summaries, so that a library
// in memory and a streaming check share one implementation. Entries are
// checked in library order by check; finish adds what needs them all
// (crossref parents, which may come later, and probable duplicates).
type checker struct {
	sums      chunked[summary]
	extras    chunked[extra]
	entries   []*Entry // the library's, or nil when streaming
	files     []string
	typeNames []string
	types     map[string]int32 // index of each type in typeNames
	byKey     map[string]int32 // first summary of each exact key
	byFold    map[string]int32 // first summary of each lower-cased key, built on first use
	dup       *dupIndexes
	deferred  []int32 // summaries with a crossref
	out       ErrorList
}

// fileIndex returns the index of name in c.files, adding it after the last.
func (c *checker) fileIndex(name string) int32 {
	if n := len(c.files); n > 0 && c.files[n-1] == name {
		return int32(n - 1)
	}
	c.files = append(c.files, name)
	return int32(len(c.files) - 1)
}

// typeIndex returns the index of the entry type t in c.typeNames, adding a
// copy of it when new.
func (c *checker) typeIndex(t string) int32 {
	if i, ok := c.types[t]; ok {
		return i
	}
	if c.types == nil {
		c.types = map[string]int32{}
	}
	t = strings.Clone(t)
	c.typeNames = append(c.typeNames, t)
	c.types[t] = int32(len(c.typeNames) - 1)
	return int32(len(c.typeNames) - 1)
}

// summarize adds e's summary, with its duplicate keys k; with own, its
// strings are copies, so that it keeps nothing of the source alive.
func (c *checker) summarize(e *Entry, k *DupKeys, own bool) {
	sc := scan(e)
	s := summary{key: e.Key, file: c.fileIndex(e.Pos.Filename), bits: sc.bits, typ: c.typeIndex(e.Type), at: spotOf(e.Pos), extra: -1}
	if own {
		s.key = strings.Clone(s.key)
	}
	if e.KeyPos.IsValid() {
		s.keyAt = spotOf(e.KeyPos)
	}
	if sc.crossref != nil || sc.doi != nil || *k != (DupKeys{}) {
		x := extra{keys: *k}
		if sc.crossref != nil {
			x.crossref = strings.TrimSpace(Expand(sc.crossref.Value))
			x.crossrefAt = spot{sc.crossref.Offset, sc.crossref.Line, sc.crossref.Col}
		}
		if sc.doi != nil {
			x.doiAt = spot{sc.doi.Offset, sc.doi.Line, sc.doi.Col}
		}
		if own {
			x.crossref = strings.Clone(x.crossref)
			x.keys.DOI = strings.Clone(x.keys.DOI)
			x.keys.ArXiv = strings.Clone(x.keys.ArXiv)
			if x.keys.TitleYear != "" {
				x.title = strings.Clone(e.Title())
			}
		}
		s.extra = int32(c.extras.n)
		c.extras.add(x)
	}
	c.sums.add(s)
}

// noExtra is the extra of a summary that has none.
var noExtra extra

// extraOf returns s's extra.
func (c *checker) extraOf(s *summary) *extra {
	if s.extra < 0 {
		return &noExtra
	}
	return c.extras.at(s.extra)
}

func (c *checker) pos(s *summary, p spot) token.Position {
	return token.Position{Filename: c.files[s.file], Offset: int(p.off), Line: int(p.line), Column: int(p.col)}
}

// keyPos is where a problem about s's key points: the key, else the '@'.
func (c *checker) keyPos(s *summary) token.Position {
	if s.keyAt.line > 0 {
		return c.pos(s, s.keyAt)
	}
	return c.pos(s, s.at)
}

// where returns "file:line" of s.
func (c *checker) where(s *summary) string {
	return fmt.Sprintf("%s:%d", c.files[s.file], s.at.line)
}

// titleOf returns the plain title of summary i.
func (c *checker) titleOf(i int32) string {
	if c.entries != nil {
		return c.entries[i].Title()
	}
	return c.extraOf(c.sums.at(i)).title
}

// check runs the checks of summary i that need no later entry: c.byKey
// and c.dup already hold it.
func (c *checker) check(i int32) {
	s := c.sums.at(i)
	x := c.extraOf(s)
	if reason, sev, bad := keyProblem(s.key); bad {
		c.out.Addf(c.keyPos(s), sev, s.key, ErrUnsafeKey, "%q: %s", s.key, reason)
	} else if NonASCIIKey(s.key) {
		c.out.Addf(c.keyPos(s), SeverityWarning, s.key, ErrNonASCIIKey, "%q: %s", s.key, NonASCIIKeyAdvice)
	}
	if x.crossrefAt.line > 0 {
		c.deferred = append(c.deferred, i)
	} else {
		c.missing(s, 0)
	}
	if d := x.keys.DOI; d != "" {
		if first := c.dup[dupDOI].first[d]; first != i {
			f := c.sums.at(first)
			pos := c.pos(s, s.at)
			if x.doiAt.line > 0 {
				pos = c.pos(s, x.doiAt)
			}
			c.out.Addf(pos, SeverityWarning, s.key, ErrDuplicateDOI, "%s is also the DOI of %q at %s", d, f.key, c.where(f))
		}
	}
}

// missing reports the required fields s lacks, given the fields of its
// crossref parent (pbits).
func (c *checker) missing(s *summary, pbits uint32) {
	typ := c.typeNames[s.typ]
	reqs := requiredFields[typ]
	if reqs == nil {
		return
	}
	if pbits&fTitle != 0 {
		pbits |= fBooktitle // biblatex inherits the parent's title as booktitle
	}
	have := s.bits | pbits
	for _, r := range reqs {
		if have&r.bits == 0 {
			c.out.Addf(c.pos(s, s.at), SeverityWarning, s.key, ErrMissingField, "@%s %q has no %s", typ, s.key, r.name)
		}
	}
}

// finish runs the checks that need every entry and returns all problems,
// sorted.
func (c *checker) finish() ErrorList {
	for _, i := range c.deferred {
		s := c.sums.at(i)
		x := c.extraOf(s)
		parent, ok := c.parent(x.crossref)
		if !ok {
			c.out.Addf(c.pos(s, x.crossrefAt), SeverityError, s.key, ErrUndefinedCrossref, "%q has no entry", x.crossref)
		}
		var pbits uint32
		if ok && parent != i {
			pbits = c.sums.at(parent).bits
		}
		c.missing(s, pbits)
	}
	c.checkDuplicates()
	c.out.Sort()
	return c.out
}

// parent finds a crossref target: the exact key, else the first key equal
// ignoring case.
func (c *checker) parent(key string) (int32, bool) {
	if i, ok := c.byKey[key]; ok {
		return i, true
	}
	if c.byFold == nil {
		// The targets not found, lower-cased, then the first key of each
		// in one pass: a map of every key, lower-cased, would take as much
		// memory as the keys.
		c.byFold = map[string]int32{}
		for _, i := range c.deferred {
			t := c.extraOf(c.sums.at(i)).crossref
			if _, ok := c.byKey[t]; !ok {
				c.byFold[strings.ToLower(t)] = -1
			}
		}
		var buf []byte
		for i := range int32(c.sums.n) {
			buf = appendLower(buf[:0], c.sums.at(i).key)
			if j, ok := c.byFold[string(buf)]; ok && j < 0 {
				c.byFold[string(buf)] = i
			}
		}
	}
	i, ok := c.byFold[strings.ToLower(key)]
	return i, ok && i >= 0
}

// appendLower appends strings.ToLower(s) to dst.
func appendLower(dst []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= utf8.RuneSelf || ('A' <= c && c <= 'Z') {
			return append(dst, strings.ToLower(s)...)
		}
	}
	return append(dst, s...)
}

// chunked holds values in chunks: a slice grown by append would copy them
// all on every doubling and leave up to half of its memory unused.
type chunked[T any] struct {
	chunks [][]T
	n      int
}

const chunkLen = 4096

func (l *chunked[T]) add(v T) {
	if l.n%chunkLen == 0 {
		l.chunks = append(l.chunks, make([]T, 0, chunkLen))
	}
	c := &l.chunks[len(l.chunks)-1]
	*c = append(*c, v)
	l.n++
}

func (l *chunked[T]) at(i int32) *T {
	return &l.chunks[i/chunkLen][i%chunkLen]
}

// checkDuplicates adds an [ErrProbableDuplicate] warning for each entry of a
// duplicate group ([Library.Duplicates]) after the group's first, at its
// key, unless the group is one of the same DOI or the entry has the first's
// key or DOI: those are reported already.
func (c *checker) checkDuplicates() {
	for _, g := range c.dup.groups() {
		if g.kind == dupDOI {
			continue
		}
		first := c.sums.at(g.members[0])
		fx := c.extraOf(first)
		reason := ""
		for _, i := range g.members[1:] {
			s := c.sums.at(i)
			if s.key == first.key {
				continue // a duplicate key, already reported
			}
			if d := c.extraOf(s).keys.DOI; d != "" && d == fx.keys.DOI {
				continue // a duplicate DOI, already reported
			}
			if reason == "" {
				reason = g.reason(func() string { return c.titleOf(g.members[0]) }, fx.keys.TitleYear)
			}
			c.out.Addf(c.keyPos(s), SeverityWarning, s.key, ErrProbableDuplicate,
				"%q is probably %q at %s: %s", s.key, first.key, c.where(first), reason)
		}
	}
}

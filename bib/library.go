package bib

import (
	"errors"
	"fmt"
	"go/token"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"syscall"
	"unicode"
	"unicode/utf8"

	"github.com/nickng/bibtex"
)

// LoadOptions configures [Load] and [LoadDir]. The zero value works.
type LoadOptions struct {
	// Macros are @string macros defined before the first file, keyed by
	// lower-cased name (for example IEEEabrv's journal names). Load only
	// reads the map.
	Macros map[string]bibtex.BibString
	// Workers is the number of files read at once; 0 means
	// runtime.GOMAXPROCS(0).
	Workers int
	// Keep, when set, lets Load keep only some entries when the files are
	// large (over 16 MB in all): it then reads them a window at a time, as
	// [CheckFiles] does, keeps the entries for which Keep returns true and
	// the crossref parents of those, and copies them out of the window, so
	// that memory grows with what is kept rather than with the files. The
	// library is then partial (see [Library.Partial]). Smaller files are
	// loaded whole whatever Keep says, so a caller looks entries up as
	// usual rather than assume that all of them were kept. Keep is called
	// on all cores at once, so it must be safe for concurrent use; the
	// entry it is given belongs to the window and must not be retained.
	Keep func(e *Entry) bool
	// Visit, when set, is called when Load reads the files a window at a
	// time (Keep is set and they are large), with each window's entries
	// in library order, on one goroutine: a caller can keep what it needs
	// of every entry (a row of `list`, say) without the entries. They
	// belong to the window and must not be retained.
	Visit func(entries []*Entry)
	// OnStream, when set, is called once before the files are read a
	// window at a time ([CheckFiles], or Load with Keep), with their size
	// in bytes (a caller may set a memory limit from it); it is not called
	// when they are loaded whole.
	OnStream func(size int64)
	// AfterWindow, when set, is called after each window read a window
	// at a time (a caller may look at the heap between windows).
	AfterWindow func()
	// StreamAbove is the size in bytes over which files are read a window
	// at a time; 0 means 16 MB. (Tests set it low, to compare both ways on
	// small files.)
	StreamAbove int64
}

// streamMin returns the size from which files are read a window at a time.
func (o *LoadOptions) streamMin() int64 {
	if o.StreamAbove > 0 {
		return o.StreamAbove
	}
	return streamMinSize
}

// Library is every entry of a set of .bib files, indexed by key. It is
// built once by [Load] or [LoadDir] and never changes afterwards, so all of
// its methods are safe for concurrent use. Slices and maps it returns are
// shared: callers must not modify them.
type Library struct {
	files   []*File
	entries []*Entry
	byKey   map[string]int32 // first definition of each exact key, an index into entries

	foldOnce sync.Once
	byFold   map[string][]*Entry // lower-cased key -> entries, in library order; built on first use
	macros   map[string]bibtex.BibString
	problems ErrorList

	closeOnce sync.Once
	closeKeys []closeKey // distinct keys for Closest; built on first use

	dupOnce sync.Once
	dup     dupIndexes
	keys    []DupKeys // of each entry

	// partial: only some entries were kept (LoadOptions.Keep); allKeys
	// are then the keys of all of them, kept or not, in library order.
	partial   bool
	allKeys   []string
	knownOnce sync.Once
	known     map[string]struct{} // lower-cased allKeys, built on first use
	exactOnce sync.Once
	exact     map[string]struct{} // allKeys, built on first use
}

// dupIndex maps a duplicate key (a DOI, say) to the entries that have it,
// as indexes in library order. Nearly every key belongs to one entry, so
// that entry sits in first and only keys shared by two or more get a slice
// in more: one slice per entry cost a third of check's time on a large
// library.
type dupIndex struct {
	first map[string]int32
	more  map[string][]int32 // every entry of a shared key, first included
}

func newDupIndex(n int) dupIndex {
	return dupIndex{first: make(map[string]int32, n), more: map[string][]int32{}}
}

func (x *dupIndex) add(k string, i int32) {
	f, ok := x.first[k]
	if !ok {
		x.first[k] = i
		return
	}
	if x.more[k] == nil {
		x.more[k] = []int32{f}
	}
	x.more[k] = append(x.more[k], i)
}

// get returns the entries with key k; the slice must not be modified.
func (x *dupIndex) get(k string) []int32 {
	if es := x.more[k]; es != nil {
		return es
	}
	if f, ok := x.first[k]; ok {
		return []int32{f}
	}
	return nil
}

// dupKind says what the entries of a [dupGroup] share.
type dupKind int

const (
	dupDOI dupKind = iota
	dupArXiv
	dupTitle // normalised title + "\x00" + year
)

// dupIndexes are the three indexes behind [Library.Duplicates], over the
// entries of a library or the summaries of a streaming check.
type dupIndexes [3]dupIndex

func newDupIndexes(n int) dupIndexes {
	return dupIndexes{newDupIndex(n / 2), newDupIndex(n / 8), newDupIndex(n)}
}

// add indexes entry i under its keys k.
func (x *dupIndexes) add(i int32, k *DupKeys) {
	if k.DOI != "" {
		x[dupDOI].add(k.DOI, i)
	}
	if k.ArXiv != "" {
		x[dupArXiv].add(k.ArXiv, i)
	}
	if k.TitleYear != "" {
		x[dupTitle].add(k.TitleYear, i)
	}
}

// dupGroup is a [DuplicateGroup] as indexes: members in library order.
type dupGroup struct {
	kind    dupKind
	key     string
	members []int32
}

// reason is the group's [DuplicateGroup.Reason]; title returns the plain
// title of its first entry, whose title key is titleYear.
func (g *dupGroup) reason(title func() string, titleYear string) string {
	switch g.kind {
	case dupDOI:
		return "same DOI " + g.key
	case dupArXiv:
		return "same arXiv id " + g.key
	}
	return titleReason(title(), titleYear[strings.IndexByte(titleYear, 0)+1:])
}

// groups returns the groups of [Library.Duplicates]: DOI groups first, then
// arXiv groups, then title groups, each sorted by their first entry, and
// without a group whose entries all belong to one earlier group.
func (x *dupIndexes) groups() []dupGroup {
	var out []dupGroup
	covered := map[int32][]int{} // entry -> indexes of groups holding it
	for kind := range x {
		var groups []dupGroup
		for k, es := range x[kind].more {
			groups = append(groups, dupGroup{kind: dupKind(kind), key: k, members: es})
		}
		sort.Slice(groups, func(i, j int) bool { return groups[i].members[0] < groups[j].members[0] })
		for _, g := range groups {
			if subsetOfOne(g.members, covered) {
				continue
			}
			for _, e := range g.members {
				covered[e] = append(covered[e], len(out))
			}
			out = append(out, g)
		}
	}
	return out
}

// *Library satisfies notes.CiteResolver. bib cannot import notes (both
// are leaves), so the assertion names the method set instead.
var _ interface {
	CiteTitle(key string) (title string, ok bool)
} = (*Library)(nil)

// Load reads and parses the files at paths, on all cores, and builds a
// [Library]. @string scope follows the order of paths: each file sees its
// own definitions and those of the files before it (the later definition
// of a name wins), as when the files are given to BibTeX in that order.
// Files are parsed independently and concurrently; undefined macro
// references are then resolved in order with [File.Resolve].
//
// Load never fails and never returns nil: an unreadable file becomes an
// empty [File] whose one problem wraps [ErrIO]. Duplicate keys are reported
// in [Library.Problems].
func Load(paths []string, opts LoadOptions) *Library {
	if opts.Keep != nil && Streamed(paths, opts) {
		return loadPartial(paths, opts)
	}
	files := make([]*File, len(paths))
	workers := opts.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = min(workers, len(paths))
	var wg sync.WaitGroup
	next := make(chan int)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				files[i] = readFile(paths[i])
			}
		}()
	}
	for i := range paths {
		next <- i
	}
	close(next)
	wg.Wait()
	return newLibrary(files, opts.Macros)
}

func readFile(path string) *File {
	src, err := readRegular(path)
	if err != nil {
		f := &File{Name: path}
		f.Problems.Add(token.Position{Filename: path}, SeverityError, "", fmt.Errorf("%w: %w", ErrIO, unwrapPath(err)))
		return f
	}
	// src is ours and never modified again, so the entries may share it
	// instead of the parser copying the whole file once more.
	return Parse(path, src, &ParseOptions{NoCopy: true})
}

// errNotRegular is the reason a .bib path that is a FIFO, a device
// (/dev/zero) or a socket is not read: reading it could block forever or
// never end. bib imports no internal package, so it has its own check.
var errNotRegular = errors.New("not a regular file")

// readRegular reads the whole file at path, following links, and fails
// with errNotRegular instead of blocking when it is not a regular file.
func readRegular(path string) ([]byte, error) {
	f, size, err := openRegular(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return readAll(f, size)
}

// openRegular opens the file at path, following links, and returns it with
// its size, or errNotRegular instead of blocking when it is not a regular
// file.
func openRegular(path string) (*os.File, int64, error) {
	// O_NONBLOCK keeps the open itself from waiting for a FIFO's writer;
	// the check after it keeps the read from waiting.
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, 0, err
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, 0, err
	}
	if !fi.Mode().IsRegular() {
		f.Close()
		return nil, 0, errNotRegular
	}
	return f, fi.Size(), nil
}

// readAll reads r to the end into one buffer of size+1 bytes, growing it
// only if r turns out longer. A plain make, not bytes.Buffer.Grow: a large
// slice from make comes from memory the OS has zeroed, while Grow clears
// the whole buffer first, which on a 59 MB library cost 0.7 s of page
// faults and kept the collector spinning on a goroutine it could not stop.
func readAll(r io.Reader, size int64) ([]byte, error) {
	if size < 0 {
		size = 0
	}
	b := make([]byte, 0, size+1)
	for {
		n, err := r.Read(b[len(b):cap(b)])
		b = b[:len(b)+n]
		if err == io.EOF {
			return b, nil
		}
		if err != nil {
			return b, err
		}
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)]
		}
	}
}

// unwrapPath drops the path from an *fs.PathError, which the position already names.
func unwrapPath(err error) error {
	if pe, ok := err.(*fs.PathError); ok {
		return pe.Err
	}
	return err
}

// NewLibrary builds a [Library] from files already parsed (for example by
// [Parse] on text that is not in a file), in @string scope order, as
// [Load] does after reading. It resolves undefined macros across files and
// so changes the files; it never returns nil. nil files are skipped.
func NewLibrary(files []*File, opts LoadOptions) *Library {
	var kept []*File
	for _, f := range files {
		if f != nil {
			kept = append(kept, f)
		}
	}
	return newLibrary(kept, opts.Macros)
}

func newLibrary(files []*File, predefined map[string]bibtex.BibString) *Library {
	l := &Library{files: files, macros: map[string]bibtex.BibString{}}
	for k, v := range predefined {
		l.macros[k] = v
	}
	n := 0
	for _, f := range files {
		n += len(f.Entries)
	}
	l.entries = make([]*Entry, 0, n)
	l.byKey = make(map[string]int32, n)
	for _, f := range files {
		f.Resolve(l.macros)
		for _, s := range f.Strings {
			l.macros[strings.ToLower(s.Name)] = s.Value
		}
		l.problems = append(l.problems, f.Problems...)
		for _, e := range f.Entries {
			if first, ok := l.byKey[e.Key]; ok {
				duplicateKey(&l.problems, e, where(l.entries[first]))
			} else {
				l.byKey[e.Key] = int32(len(l.entries))
			}
			l.entries = append(l.entries, e)
		}
	}
	l.problems.Sort()
	return l
}

// duplicateKey adds the [ErrDuplicateKey] error of e, whose key is already
// the key of the entry at first ("file:line").
func duplicateKey(l *ErrorList, e *Entry, first string) {
	l.Addf(keyPos(e), SeverityError, e.Key, ErrDuplicateKey, "%q is already defined at %s", e.Key, first)
}

// keyPos is where a problem about e's key points: the key, else the '@'.
func keyPos(e *Entry) token.Position {
	if e.KeyPos.IsValid() {
		return e.KeyPos
	}
	return e.Pos
}

// where returns "file:line" of an entry.
func where(e *Entry) string {
	return fmt.Sprintf("%s:%d", e.Pos.Filename, e.Pos.Line)
}

// LoadDir loads every *.bib file under dir, recursively, in lexical order
// of their paths (so @string scope is that order). Hidden directories
// (starting with '.') are skipped. It fails only when dir cannot be walked;
// files that cannot be read are problems of the library, as in [Load].
func LoadDir(dir string, opts LoadOptions) (*Library, error) {
	var paths []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			if path == dir {
				return err
			}
			paths = append(paths, path) // reported as ErrIO by Load
			if d != nil && d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			if path != dir && strings.HasPrefix(d.Name(), ".") {
				return fs.SkipDir
			}
			return nil
		}
		if strings.EqualFold(filepath.Ext(path), ".bib") {
			paths = append(paths, path)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("load bib directory: %w", err)
	}
	sort.Strings(paths)
	return Load(paths, opts), nil
}

// Files returns the files in load order.
func (l *Library) Files() []*File { return l.files }

// Entries returns every entry, in file order then source order, duplicate
// keys included.
func (l *Library) Entries() []*Entry { return l.entries }

// Lookup returns the entry with exactly this key; when the key is defined
// more than once, the first definition wins (as in BibTeX).
func (l *Library) Lookup(key string) (*Entry, bool) {
	i, ok := l.byKey[key]
	if !ok {
		return nil, false
	}
	return l.entries[i], true
}

// LookupFold returns the entries whose key equals key ignoring case, in
// library order, or nil.
func (l *Library) LookupFold(key string) []*Entry {
	l.foldOnce.Do(func() {
		l.byFold = make(map[string][]*Entry, len(l.entries))
		for _, e := range l.entries {
			fold := strings.ToLower(e.Key)
			l.byFold[fold] = append(l.byFold[fold], e)
		}
	})
	return l.byFold[strings.ToLower(key)]
}

// CiteTitle returns the plain-text title of the entry with this key, and
// whether the key is known. With it *Library satisfies notes.CiteResolver
// (bib does not import notes, so the assertion lives in internal/cli). In
// a partial library, a key whose entry was not kept is known, with no
// title.
func (l *Library) CiteTitle(key string) (string, bool) {
	e, ok := l.Lookup(key)
	if !ok {
		if l.partial {
			return "", l.hasKey(key)
		}
		return "", false
	}
	return e.Title(), true
}

// Macros returns the @string macros of all files and of
// [LoadOptions.Macros], keyed by lower-cased name; a later definition
// replaces an earlier one.
func (l *Library) Macros() map[string]bibtex.BibString { return l.macros }

// Problems returns the problems found while loading, sorted: each file's
// parse problems (macros defined in earlier files no longer count as
// undefined) and one [ErrDuplicateKey] error per repeated key, at the
// repeated definition and naming the first one's file:line. Entries with
// the same key are never merged. Problems does not include the semantic
// checks of [Library.Check].
func (l *Library) Problems() ErrorList { return l.problems }

// DuplicateGroup is a set of entries that probably describe the same work.
type DuplicateGroup struct {
	// Reason says what they share: `same DOI 10.1/x`, `same arXiv id
	// 2301.12597` or `same title and year: "..." (2023)`.
	Reason string
	// Entries are the entries, in library order.
	Entries []*Entry
}

// buildDupIndex builds the DOI, arXiv and title indexes on first use.
func (l *Library) buildDupIndex() {
	l.dupOnce.Do(func() {
		l.keys = dupKeysAll(l.entries)
		l.dup = newDupIndexes(len(l.entries))
		for i := range l.entries {
			l.dup.add(int32(i), &l.keys[i])
		}
	})
}

// dupKeysAll returns [DupKeysOf] of each entry, computed on every core: the
// keys are independent, and normalising titles and looking for arXiv ids
// is most of the cost of [Library.Duplicates].
func dupKeysAll(entries []*Entry) []DupKeys {
	keys := make([]DupKeys, len(entries))
	eachIndex(len(entries), func(i int) { keys[i] = DupKeysOf(entries[i]) })
	return keys
}

// eachIndex calls fn(i) for each i below n, on all cores when n is large
// (bib imports no internal package, so it has its own loop).
func eachIndex(n int, fn func(i int)) {
	workers := min(runtime.GOMAXPROCS(0), n/2048+1)
	var wg sync.WaitGroup
	chunk := (n + workers - 1) / max(workers, 1)
	for lo := 0; lo < n; lo += chunk {
		hi := min(lo+chunk, n)
		wg.Go(func() {
			for i := lo; i < hi; i++ {
				fn(i)
			}
		})
	}
	wg.Wait()
}

// NormalizeTitle returns title reduced for comparison: LaTeX decoded,
// lower-cased, letters and digits only (in any script, so Chinese titles
// compare too).
func NormalizeTitle(title string) string {
	return string(appendNormalizedTitle(nil, title))
}

// appendNormalizedTitle appends [NormalizeTitle] of title to dst.
func appendNormalizedTitle(dst []byte, title string) []byte {
	d := DecodeLaTeX(title)
	for i := 0; i < len(d); {
		c := d[i]
		if c < utf8.RuneSelf {
			switch {
			case 'a' <= c && c <= 'z', '0' <= c && c <= '9':
				dst = append(dst, c)
			case 'A' <= c && c <= 'Z':
				dst = append(dst, c+'a'-'A')
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(d[i:])
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			dst = utf8.AppendRune(dst, unicode.ToLower(r))
		}
		i += size
	}
	return dst
}

// minTitleBytes is the shortest normalised title that takes part in
// duplicate detection: "Preface" or "Introduction" of the same year are
// not the same work. Four Chinese characters are 12 bytes.
const minTitleBytes = 12

func titleYearKey(e *Entry) string {
	title := e.Get("title")
	b := appendNormalizedTitle(make([]byte, 0, len(title)+6), title)
	if len(b) < minTitleBytes {
		return ""
	}
	b = append(append(b, 0), e.Year()...)
	return string(b)
}

// Duplicates returns the groups of entries that probably describe the same
// work: the same DOI, the same arXiv id, or the same normalised title (see
// [NormalizeTitle]) and year. DOI groups come first, then arXiv groups,
// then title groups, each sorted by the library order of their first entry;
// a group whose entries all belong to an earlier group is left out. An
// entry may be in several groups. Duplicate keys are reported by
// [Library.Problems], not here, unless the entries also match as above.
func (l *Library) Duplicates() []DuplicateGroup {
	l.buildDupIndex()
	var out []DuplicateGroup
	for _, g := range l.dup.groups() {
		es := make([]*Entry, len(g.members))
		for i, m := range g.members {
			es[i] = l.entries[m]
		}
		out = append(out, DuplicateGroup{Reason: g.reason(es[0].Title, l.keys[g.members[0]].TitleYear), Entries: es})
	}
	return out
}

// titleReason is the reason of a group of the same title and year.
func titleReason(title, year string) string {
	if year == "" {
		return fmt.Sprintf("same title and no year: %q", title)
	}
	return fmt.Sprintf("same title and year: %q (%s)", title, year)
}

// subsetOfOne reports whether one earlier group holds every entry of es.
func subsetOfOne(es []int32, covered map[int32][]int) bool {
	for _, g := range covered[es[0]] {
		all := true
		for _, e := range es[1:] {
			found := false
			for _, h := range covered[e] {
				if h == g {
					found = true
					break
				}
			}
			if !found {
				all = false
				break
			}
		}
		if all {
			return true
		}
	}
	return false
}

// FindDuplicates returns the library's entries that probably describe the
// same work as e, an entry that is not (yet) in the library, grouped by
// reason (DOI, then arXiv id, then title and year), or nil. e itself is
// never in a group, even when it is in the library.
func (l *Library) FindDuplicates(e *Entry) []DuplicateGroup {
	return l.FindDuplicatesOf(e, DupKeysOf(e))
}

// DupKeys are the keys under which [Library.FindDuplicates] looks an entry
// up: its DOI, its arXiv id and its normalised title and year ("" when it
// has none or the title is too short).
type DupKeys struct {
	DOI, ArXiv, TitleYear string
}

// DupKeysOf returns e's duplicate keys.
func DupKeysOf(e *Entry) DupKeys {
	return DupKeys{DOI: e.DOI(), ArXiv: e.ArXiv(), TitleYear: titleYearKey(e)}
}

// FindDuplicatesOf is [Library.FindDuplicates] with e's keys already
// computed by [DupKeysOf], for callers that need them too.
func (l *Library) FindDuplicatesOf(e *Entry, k DupKeys) []DuplicateGroup {
	l.buildDupIndex()
	var out []DuplicateGroup
	try := func(m dupIndex, k string, reason func() string) {
		if k == "" {
			return
		}
		var es []*Entry
		for _, i := range m.get(k) {
			if x := l.entries[i]; x != e {
				es = append(es, x)
			}
		}
		if len(es) > 0 {
			out = append(out, DuplicateGroup{Reason: reason(), Entries: es})
		}
	}
	d, a := k.DOI, k.ArXiv
	try(l.dup[dupDOI], d, func() string { return "same DOI " + d })
	try(l.dup[dupArXiv], a, func() string { return "same arXiv id " + a })
	try(l.dup[dupTitle], k.TitleYear, func() string { return titleReason(e.Title(), e.Year()) })
	return out
}

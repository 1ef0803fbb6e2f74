package bib

import (
	"fmt"
	"go/token"
	"os"
	"runtime"
	"runtime/debug"
	"strings"

	"github.com/nickng/bibtex"
)

// FileStat is what [CheckFiles] keeps of a file: its name and what it holds.
type FileStat struct {
	Name    string
	Entries int // entries, duplicates included
	Strings int // @string definitions
}

// Stat returns f's [FileStat].
func (f *File) Stat() FileStat {
	return FileStat{Name: f.Name, Entries: len(f.Entries), Strings: len(f.Strings)}
}

// Checked is the result of [CheckFiles].
type Checked struct {
	// Files are the files in load order.
	Files []FileStat
	// Problems are what [Library.Problems] would be, Checks what
	// [Library.Check] would return; both sorted.
	Problems, Checks ErrorList
	// Library is set when [LoadOptions.Keep] is: the library that [Load]
	// with the same options returns, read in the same pass.
	Library *Library
}

// windowSize is about how much of a file [CheckFiles] reads at a time;
// files smaller than streamMinSize in all are loaded whole.
var (
	windowSize    = 1 << 20
	streamMinSize = int64(16 << 20)
)

// CheckOptions are the options of [CheckFiles].
type CheckOptions struct {
	LoadOptions
}

// CheckFiles returns the problems that [Load] with paths and opts, then
// [Library.Problems] and [Library.Check], would find, in memory that grows
// with the number of entries and problems rather than with the files'
// size: when they are over 16 MB in all, it maps each file and reads it a
// window of about 1 MB at a time (on all cores, as [Parse] does, the next
// window while the one before is checked), reduces each entry to what the
// checks need (its key, positions, duplicate keys and the fields present),
// and lets the window's pages go. Smaller files are loaded whole, which is
// faster. A file that shrinks while it is read gives an [ErrIO] problem
// after what was read of it.
//
// The result is the same as through a [Library], but for one case: when
// macros expand past the file's budget (ErrTooLarge), the budget is spent
// window by window, so which fields are dropped may differ.
func CheckFiles(paths []string, opts CheckOptions) *Checked {
	size := filesSize(paths)
	if size < opts.streamMin() { // !Streamed
		lib := Load(paths, LoadOptions{Macros: opts.Macros, Workers: opts.Workers})
		out := &Checked{Problems: lib.Problems(), Checks: lib.Check()}
		for _, f := range lib.Files() {
			out.Files = append(out.Files, f.Stat())
		}
		if opts.Keep != nil {
			out.Library = lib
		}
		return out
	}
	if opts.OnStream != nil {
		opts.OnStream(size)
	}
	s := newStream(opts.LoadOptions, true)
	for _, p := range paths {
		s.file(p)
	}
	s.out.Problems.Sort()
	s.out.Checks = s.c.finish()
	if opts.Keep != nil {
		s.out.Library = s.library(paths, opts.LoadOptions)
	}
	return &s.out
}

// Streamed reports whether [CheckFiles], and [Load] with a Keep option,
// read the files at paths a window at a time with opts: whether they are
// over opts.StreamAbove (16 MB) in all. Smaller files are loaded whole.
func Streamed(paths []string, opts LoadOptions) bool {
	return filesSize(paths) >= opts.streamMin()
}

// filesSize returns the size in bytes of the regular files among paths.
func filesSize(paths []string) int64 {
	var size int64
	for _, p := range paths {
		if fi, err := os.Stat(p); err == nil && fi.Mode().IsRegular() {
			size += fi.Size()
		}
	}
	return size
}

// streamCheck reads files a window at a time for [CheckFiles] and for
// [Load] with a Keep option.
type streamCheck struct {
	macros      map[string]bibtex.BibString // of the files read, copied
	c           checker
	out         Checked
	afterWindow func()
	// checks: run the checks of Library.Check (CheckFiles); without, only
	// keys and duplicate keys are summarised (Load).
	checks bool
	keep   func(*Entry) bool
	visit  func([]*Entry)
	// wanted are the lower-cased crossref targets of kept entries that
	// were not kept when met; kept holds what keep kept, a File per file
	// read with entries, copied @strings and @preambles.
	wanted map[string]bool
	kept   []*File
	names  map[string]string // field names of kept entries, each copied once
}

func newStream(opts LoadOptions, checks bool) *streamCheck {
	s := &streamCheck{
		macros:      make(map[string]bibtex.BibString, len(opts.Macros)),
		c:           checker{byKey: map[string]int32{}},
		checks:      checks,
		keep:        opts.Keep,
		visit:       opts.Visit,
		afterWindow: opts.AfterWindow,
		wanted:      map[string]bool{},
	}
	if checks {
		dup := newDupIndexes(0)
		s.c.dup = &dup
	}
	for k, v := range opts.Macros {
		s.macros[k] = v
	}
	return s
}

// file checks one file, window by window.
func (s *streamCheck) file(path string) {
	kept := &File{Name: path}
	s.kept = append(s.kept, kept)
	src, release, err := MapFile(path, false)
	if err != nil {
		f := &File{Name: path}
		f.Problems.Add(token.Position{Filename: path}, SeverityError, "", fmt.Errorf("%w: %w", ErrIO, unwrapPath(err)))
		s.out.Files = append(s.out.Files, f.Stat())
		s.out.Problems = append(s.out.Problems, f.Problems...)
		return
	}
	defer release(-1)
	stat := FileStat{Name: path}
	defer func() { s.out.Files = append(s.out.Files, stat) }()
	// A file that shrinks while it is read faults on its vanished pages:
	// that is an I/O problem of the file, after what was read of it, not a
	// crash.
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		passFault(recover(), func(any) {
			var l ErrorList
			l.Add(token.Position{Filename: path}, SeverityError, "", fmt.Errorf("%w: the file changed while it was read", ErrIO))
			s.out.Problems = append(s.out.Problems, l...)
		})
	}()
	kept.Size = len(src)
	s.read(path, src, release, &stat, kept)
}

// read checks the file path mapped at src, window by window, counting
// what it holds in stat, and adds what s.keep keeps to kept.
func (s *streamCheck) read(path string, src []byte, release func(int), stat *FileStat, kept *File) {
	f := &File{Name: path, Size: len(src)}
	if len(src) > maxFileBytes {
		f = parse(path, src, nil, 1) // only the problem that says so
		s.out.Problems = append(s.out.Problems, f.Problems...)
		return
	}
	d := decode(src, true)
	text := d.text
	r := newRangeParser(f, d, nil)
	var cs conflictScan
	own := map[string]bibtex.BibString{} // this file's macros so far, copied, for s.macros at the end
	clones := &cloner{}
	n := max(1, min(2*runtime.GOMAXPROCS(0), windowSize/chunkMinSize, maxChunks))
	// While a window's entries are summarised and checked here, the next
	// window is being read on the other cores: r.start reads it without
	// the macros of this one, which r.wait then resolves.
	at, line, scanned := d.bom, 1, 0
	var next *pendingRange
	defer func() {
		if next != nil {
			next.wg.Wait() // before the file is unmapped, on a panic
		}
	}()
	if at < len(text) {
		next = r.start(at, windowEnd(text, at), line, nil, n, true)
	}
	for next != nil {
		stop := r.wait(next, own)
		next = nil
		nextLine := line + strings.Count(text[at:stop], "\n")
		if stop < len(text) {
			next = r.start(stop, windowEnd(text, stop), nextLine, nil, n, true)
		}
		// Conflict markers: the lines up to the end of the line where
		// reading stopped, so that every entry read has its lines scanned.
		end := stop
		if end < len(text) && end > 0 && text[end-1] != '\n' {
			if i := strings.IndexByte(text[end:], '\n'); i >= 0 {
				end += i + 1
			} else {
				end = len(text)
			}
		}
		cs.lines(text, scanned, end, d.bom)
		scanned = end
		cs.entries(f.Entries)
		f.limitExpansion()
		f.Resolve(s.macros)
		for _, sd := range f.Strings {
			name := strings.Clone(sd.Name)
			v, k := clones.clone(sd.Value), strings.ToLower(name)
			// A library keeps a name's definitions once per value: a
			// file of many concatenated ones repeats each month's.
			if prev, ok := own[k]; s.keep != nil && (!ok || Expand(prev) != Expand(v)) {
				kept.Strings = append(kept.Strings, &StringDef{Name: name, Value: v, Pos: sd.Pos, Raw: strings.Clone(sd.Raw)})
			}
			own[k] = v
		}
		if s.keep != nil {
			for _, p := range f.Preambles {
				kept.Preambles = append(kept.Preambles, &Preamble{Value: clones.clone(p.Value), Pos: p.Pos, Raw: strings.Clone(p.Raw)})
			}
		}
		s.entries(f, kept, clones)
		clones.forget()
		stat.Entries += len(f.Entries)
		stat.Strings += len(f.Strings)
		s.out.Problems = appendOwned(s.out.Problems, f.Problems)
		f.Entries, f.Strings, f.Preambles, f.Problems = nil, nil, nil, nil
		line = nextLine
		at = stop
		release(min(at, scanned))
		if s.afterWindow != nil {
			s.afterWindow()
		}
	}
	if at <= d.bom {
		// An empty file still counts its one line for the conflict scan.
		cs.lines(text, 0, len(text), d.bom)
	}
	r.finish()
	cs.add(f)
	s.out.Problems = appendOwned(s.out.Problems, f.Problems)
	for k, v := range own {
		s.macros[k] = v
	}
}

// entries summarises f's entries for the checks, with the duplicate-key
// errors of [Library.Problems] in f.Problems, and adds copies of those
// s.keep keeps to kept.
func (s *streamCheck) entries(f *File, kept *File, clones *cloner) {
	c := &s.c
	var keys []DupKeys
	if s.checks {
		keys = dupKeysAll(f.Entries)
	}
	if s.visit != nil {
		s.visit(f.Entries)
	}
	var keep []bool
	if s.keep != nil {
		keep = make([]bool, len(f.Entries))
		eachIndex(len(f.Entries), func(i int) { keep[i] = s.keep(f.Entries[i]) })
	}
	for j, e := range f.Entries {
		i := int32(c.sums.n)
		if first, ok := c.byKey[e.Key]; ok {
			duplicateKey(&f.Problems, e, c.where(c.sums.at(first)))
		}
		if s.checks {
			c.summarize(e, &keys[j], true)
		} else {
			// Load needs only the key, for Keys, and where it is, for
			// the duplicate-key errors.
			c.sums.add(summary{key: strings.Clone(e.Key), file: c.fileIndex(e.Pos.Filename), at: spotOf(e.Pos), extra: -1})
		}
		sm := c.sums.at(i)
		if _, ok := c.byKey[sm.key]; !ok {
			c.byKey[sm.key] = i
		}
		if s.checks {
			c.dup.add(i, &c.extraOf(sm).keys)
			c.check(i)
		}
		if s.keep != nil && (keep[j] || len(s.wanted) > 0 && s.wanted[strings.ToLower(e.Key)]) {
			kept.Entries = append(kept.Entries, s.own(e, clones))
		}
	}
}

// windowEnd returns where the window of text that starts at at ends: the
// start of the first item line windowSize bytes on, or the end of text.
func windowEnd(text string, at int) int {
	if len(text)-at <= windowSize+windowSize/2 {
		return len(text)
	}
	return nextItemLine(text, at+windowSize)
}

// appendOwned appends the problems of list to dst, with nothing in them
// that shares memory with the source: keys are copied, and a macro left
// undefined is reduced to its message.
func appendOwned(dst, list ErrorList) ErrorList {
	for _, p := range list {
		q := *p
		q.Key = strings.Clone(p.Key)
		if _, ok := p.Err.(*undefinedMacro); ok {
			q.Err = &ownedError{msg: p.Err.Error(), sentinel: ErrUndefinedMacro}
		}
		dst = append(dst, &q)
	}
	return dst
}

// ownedError is an error reduced to its message and sentinel.
type ownedError struct {
	msg      string
	sentinel error
}

func (e *ownedError) Error() string { return e.msg }
func (e *ownedError) Unwrap() error { return e.sentinel }

// cloner copies values so that they share no memory with the source. A
// value met again (a macro used twice, or already copied) is copied once,
// so that macros built of macros copy in linear time.
type cloner struct {
	done map[bibtex.BibString]bibtex.BibString
	// originals are the keys of done that belong to the window read.
	originals []bibtex.BibString
}

// forget drops the originals, which belong to a window read, and keeps the
// copies, which later windows' values may use. (It used to sweep the whole
// map, once per window: quadratic in a file's @strings.)
func (c *cloner) forget() {
	for _, k := range c.originals {
		delete(c.done, k)
	}
	c.originals = c.originals[:0]
}

// remember records that original was copied as x.
func (c *cloner) remember(original, x bibtex.BibString) {
	if c.done == nil {
		c.done = map[bibtex.BibString]bibtex.BibString{}
	}
	c.done[original], c.done[x] = x, x
	c.originals = append(c.originals, original)
}

func (c *cloner) clone(v bibtex.BibString) bibtex.BibString {
	switch v := v.(type) {
	case bibtex.BibConst:
		return bibtex.BibConst(strings.Clone(string(v)))
	case *bibtex.BibConst:
		if v == nil {
			return v
		}
		if done, ok := c.done[v]; ok {
			return done
		}
		x := bibtex.BibConst(strings.Clone(string(*v)))
		c.remember(v, &x)
		return &x
	case *bibtex.BibVar:
		if v == nil {
			return v
		}
		if done, ok := c.done[v]; ok {
			return done
		}
		x := &bibtex.BibVar{Key: strings.Clone(v.Key), Value: c.clone(v.Value)}
		c.remember(v, x)
		return x
	case *bibtex.BibComposite:
		if v == nil {
			return v
		}
		if done, ok := c.done[v]; ok {
			return done
		}
		x := make(bibtex.BibComposite, len(*v))
		for i, part := range *v {
			x[i] = c.clone(part)
		}
		c.remember(v, &x)
		return &x
	}
	return v
}

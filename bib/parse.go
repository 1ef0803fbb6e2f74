package bib

import (
	"fmt"
	"go/token"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"sync"

	"github.com/nickng/bibtex"
)

// parallelMinSize is the smallest input that [Parse] splits into chunks
// read on several cores; chunkMinSize is the smallest chunk.
const (
	parallelMinSize = 2 << 20
	chunkMinSize    = 1 << 20
	maxChunks       = 64
)

// Parse reads one .bib file. filename is used only for positions. src may
// be UTF-8, with or without a byte-order mark, or UTF-16 with a BOM (then
// positions refer to the text converted to UTF-8). Columns count runes.
//
// Parse never panics and never returns nil: what could be read comes back
// in the [File] together with its problems, sorted by position. A broken
// entry gives an error (ErrUnbalanced or ErrSyntax) and reading resumes at
// the next line that starts with '@', so the other entries still load. An
// undefined macro gives an ErrUndefinedMacro warning and a *bibtex.BibVar
// whose Value is the macro's name; see [File.Resolve].
//
// Parse never calls bibtex.Parse (which can end the process) and keeps no
// state between calls, so it is safe for concurrent use. It reads large
// inputs on several cores. Keys, values and Raw share one copy of src.
func Parse(filename string, src []byte, opts *ParseOptions) *File {
	n := 1
	if len(src) >= parallelMinSize {
		n = min(2*runtime.GOMAXPROCS(0), len(src)/chunkMinSize, maxChunks)
	}
	return parse(filename, src, opts, n)
}

// parse is Parse with the input split into at most n chunks. The result is
// the same for every n.
func parse(filename string, src []byte, opts *ParseOptions, n int) *File {
	f := &File{Name: filename, Size: len(src)}
	if len(src) > maxFileBytes {
		f.Problems.Addf(token.Position{Filename: filename, Line: 1, Column: 1}, SeverityError, "", ErrTooLarge,
			"the file is %d bytes; papernotes reads .bib files up to %d bytes", len(src), maxFileBytes)
		return f
	}
	noCopy := opts != nil && opts.NoCopy
	d := decode(src, noCopy)
	r := newRangeParser(f, d, opts)
	r.parse(d.bom, len(d.text), 1, opts.macros(), n)
	r.finish()
	var cs conflictScan
	cs.lines(d.text, 0, len(d.text), d.bom)
	cs.entries(f.Entries)
	cs.add(f)
	f.limitExpansion()
	return f
}

// macros returns o.Macros, or nil for a nil o.
func (o *ParseOptions) macros() map[string]bibtex.BibString {
	if o == nil {
		return nil
	}
	return o.Macros
}

// rangeParser reads a decoded file range by range into f: the whole file
// at once for [Parse], or a window at a time for [CheckFiles].
type rangeParser struct {
	f              *File
	d              decoded
	noCommentIndex bool
	scans          []encodingScan
}

func newRangeParser(f *File, d decoded, opts *ParseOptions) *rangeParser {
	return &rangeParser{f: f, d: d, noCommentIndex: opts != nil && opts.noCommentIndex}
}

// parse reads the items that start in [from, to) of the text, from line
// line on, in at most n chunks read concurrently. It appends them and
// their problems (unsorted) to r.f and returns where reading stopped: at
// or after to, as an item may run past it. base are the macros defined
// before from.
func (r *rangeParser) parse(from, to, line int, base map[string]bibtex.BibString, n int) int {
	return r.wait(r.start(from, to, line, base, n, false), base)
}

// passFault, called with what a deferred recover returned, passes a memory
// fault (a panic of debug.SetPanicOnFault, which has the faulting address)
// to handle, panics again with anything else, and does nothing for nil.
func passFault(r any, handle func(any)) {
	if r == nil {
		return
	}
	if _, ok := r.(interface{ Addr() uintptr }); !ok {
		panic(r)
	}
	handle(r)
}

// pendingRange is a range being read by [rangeParser.start].
type pendingRange struct {
	to     int
	bounds []int
	lines  []int
	res    []chunkResult
	wg     sync.WaitGroup
	once   sync.Once
	fault  any // a fault of a worker, for the caller to recover
}

type chunkResult struct {
	p           *parser
	start, stop int
	enc         encodingScan
}

// start begins reading the items that start in [from, to), from line line
// on, in at most n chunks, and returns what [rangeParser.wait] finishes.
// With async, every chunk is read on a goroutine of its own and looks up
// no macro defined outside it before wait, so that the caller may go on
// defining macros (base) meanwhile; otherwise the first chunk uses base
// as it reads, and a range of one chunk is read before start returns.
func (r *rangeParser) start(from, to, line int, base map[string]bibtex.BibString, n int, async bool) *pendingRange {
	filename, text, bom := r.f.Name, r.d.text, r.d.bom
	bounds := splitChunks(text[:to], from, n)
	k := len(bounds) - 1
	lines := make([]int, k)
	lines[0] = line
	for i := 1; i < k; i++ {
		lines[i] = lines[i-1] + strings.Count(text[bounds[i-1]:bounds[i]], "\n")
	}
	pr := &pendingRange{to: to, bounds: bounds, lines: lines, res: make([]chunkResult, k)}
	noCommentIndex := r.noCommentIndex
	work := func(i int) {
		c := newCursor(filename, text, bom, bounds[i], lines[i])
		enc := scanUTF8(&c, bounds[i], bounds[i+1])
		deferMacros := i > 0 || async
		var b map[string]bibtex.BibString
		if !deferMacros {
			b = base
		}
		p := newParser(filename, text, bom, bounds[i], bounds[i+1], lines[i], b, deferMacros)
		p.noCommentIndex = noCommentIndex
		pr.res[i] = chunkResult{p: p, start: bounds[i], stop: p.run(bounds[i]), enc: enc}
	}
	if k == 1 && !async {
		work(0)
		return pr
	}
	// A caller reading mapped memory turns faults into panics
	// (debug.SetPanicOnFault, a per-goroutine setting); the workers do
	// the same, and hand such a panic back to the caller to recover in
	// wait.
	onFault := debug.SetPanicOnFault(false)
	debug.SetPanicOnFault(onFault)
	for i := range k {
		pr.wg.Go(func() {
			if onFault {
				debug.SetPanicOnFault(true)
				defer func() {
					passFault(recover(), func(r any) { pr.once.Do(func() { pr.fault = r }) })
				}()
			}
			work(i)
		})
	}
	return pr
}

// wait finishes reading the range pr, as [rangeParser.parse] does, with
// base the macros defined before the range.
func (r *rangeParser) wait(pr *pendingRange, base map[string]bibtex.BibString) int {
	pr.wg.Wait()
	if pr.fault != nil {
		panic(pr.fault)
	}
	filename, text, bom := r.f.Name, r.d.text, r.d.bom
	bounds, lines, res, to := pr.bounds, pr.lines, pr.res, pr.to
	k := len(bounds) - 1
	for i := range res {
		r.scans = append(r.scans, res[i].enc)
	}

	// Merge in order. A chunk after the first resolves its deferred macros
	// against the definitions of the chunks before it, then the base, then
	// the months: the order a sequential read would have seen them in.
	var acc map[string]bibtex.BibString
	var prior [][]*StringDef // the @string definitions of each chunk merged
	built := 0               // how many of prior are in acc
	lookup := func(name string) (bibtex.BibString, bool) {
		if v, ok := acc[name]; ok {
			return v, true
		}
		if v, ok := base[name]; ok {
			return v, true
		}
		v, ok := monthMacros[name]
		return v, ok
	}
	f := r.f
	at := bounds[0]
	nEntries := len(f.Entries)
	for i := range res {
		nEntries += len(res[i].p.entries)
	}
	f.Entries = slices.Grow(f.Entries, nEntries-len(f.Entries))
	for i := range res {
		rs := &res[i]
		if rs.start != at {
			// The chunk before ran past this chunk's start (an item spanning
			// the boundary, such as an @comment holding entry lines): what
			// this chunk read is void; read on from where that item ended.
			if at >= bounds[i+1] {
				continue
			}
			line := lines[i] + strings.Count(text[bounds[i]:at], "\n")
			rs.p = newParser(filename, text, bom, at, bounds[i+1], line, base, true)
			rs.p.noCommentIndex = r.noCommentIndex
			rs.stop = rs.p.run(at)
		}
		at = rs.stop
		p := rs.p
		if p.deferMacros && hasUndefined(p.problems) {
			// Collect the definitions of the chunks before, in order, only
			// now that they are needed.
			for ; built < len(prior); built++ {
				for _, s := range prior[built] {
					if acc == nil {
						acc = make(map[string]bibtex.BibString)
					}
					acc[strings.ToLower(s.Name)] = s.Value
				}
			}
			p.problems = resolveProblems(p.problems, lookup)
		}
		prior = append(prior, p.strings)
		f.Entries = append(f.Entries, p.entries...)
		f.Strings = append(f.Strings, p.strings...)
		f.Preambles = append(f.Preambles, p.preambles...)
		f.Problems = append(f.Problems, p.problems...)
	}
	if at > to {
		// An item ran past the range: its bytes there are this range's to
		// check, as the next range starts after it.
		c := newCursor(filename, text, bom, to, lines[k-1]+strings.Count(text[bounds[k-1]:to], "\n"))
		r.scans = append(r.scans, scanUTF8(&c, to, at))
	}
	return max(at, to)
}

// finish adds the encoding problems of everything read, and sorts r.f's
// problems.
func (r *rangeParser) finish() {
	f := r.f
	f.Problems = append(f.Problems, mergeEncoding(r.scans)...)
	if r.d.note != "" {
		f.Problems = append(f.Problems, &Error{
			Pos:      token.Position{Filename: f.Name, Line: 1, Column: 1},
			Err:      fmt.Errorf("%w: %s", ErrEncoding, r.d.note),
			Severity: r.d.sev,
		})
	}
	f.Problems.Sort()
	f.Problems = slices.Clip(f.Problems)
}

// splitChunks returns the offsets where at most n chunks of text[start:]
// begin, followed by len(text). Each chunk after the first begins at a line
// that starts an item, so that (barring an item that spans it) a chunk can
// be read on its own.
func splitChunks(text string, start, n int) []int {
	b := []int{start}
	if n > 1 {
		size := (len(text) - start) / n
		for k := 1; k < n; k++ {
			i := nextItemLine(text, max(start+k*size, b[len(b)-1]))
			if i >= len(text) {
				break
			}
			b = append(b, i)
		}
	}
	return append(b, len(text))
}

// nextItemLine returns where the first line after offset i that starts
// an item starts its item, or len(text).
func nextItemLine(text string, i int) int {
	for i < len(text) {
		j := strings.IndexByte(text[i:], '\n')
		if j < 0 {
			return len(text)
		}
		i += j + 1
		if at := lineEntryStart(text, i); at >= 0 {
			return at
		}
	}
	return len(text)
}

// hasUndefined reports whether problems hold an undefined-macro warning.
func hasUndefined(problems ErrorList) bool {
	for _, p := range problems {
		if _, ok := p.Err.(*undefinedMacro); ok {
			return true
		}
	}
	return false
}

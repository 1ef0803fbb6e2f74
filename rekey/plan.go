package rekey

import (
	"bytes"
	"errors"
	"fmt"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"

	"github.com/papernotes/papernotes/bib"
	"github.com/papernotes/papernotes/internal/safefile"
	"github.com/papernotes/papernotes/latex"
	"github.com/papernotes/papernotes/notes"
)

// Workspace says where [Plan] looks. Paths should be absolute; the zero
// value of every optional field means "none".
type Workspace struct {
	// Root is the workspace root. Every *.tex file under it (hidden
	// folders skipped, symbolic links to folders not followed) is scanned
	// for citations.
	Root string
	// BibPaths are the library's .bib files and folders (a folder stands
	// for every *.bib under it). They are read when Library is nil, and
	// the files of the entries to change are read in any case.
	BibPaths []string
	// Library, when not nil, is the library already in memory (a language
	// server's); Plan then parses no .bib file. Its positions must be those
	// of the bytes Plan reads (Overrides or disk), or Plan fails with
	// [ErrStale].
	Library *bib.Library
	// NotesDir is the notes folder: its *.md files are notes, whose front
	// matter key and file name follow the rename.
	NotesDir string
	// MarkdownDirs are other folders of markdown that may cite (reports,
	// the journal): only their citations change.
	MarkdownDirs []string
	// TexRoots are folders outside Root whose *.tex files are scanned too.
	TexRoots []string
	// Overrides maps a path to the text to use instead of the file's (an
	// editor's unsaved buffer). A path in Overrides under a scanned folder
	// is scanned even when it does not exist on disk.
	Overrides map[string][]byte
}

// Kind says what an [Edit] changes.
type Kind string

// The kinds of [Edit].
const (
	KindEntryKey Kind = "entry key"
	KindCrossref Kind = "crossref"
	KindXData    Kind = "xdata"
	KindNoteKey  Kind = "note key"
	KindCitation Kind = "citation"
)

// Edit replaces the bytes from Start to End (the old key, or a quoted
// front matter value) with NewText.
type Edit struct {
	Kind    Kind     `json:"kind"`
	Start   Position `json:"start"`
	End     Position `json:"end"`
	NewText string   `json:"new_text"`
}

// FileEdit is the edits of one file, sorted by offset and never
// overlapping. Positions refer to Original.
type FileEdit struct {
	// Path is the file's path as Plan found it (before any rename).
	Path  string `json:"path"`
	Edits []Edit `json:"edits"`
	// Original is the text the edits were planned on. [Apply] refuses to
	// write when the file no longer holds exactly these bytes.
	Original []byte `json:"-"`
}

// FileRename renames a note file to the file name of the new key.
type FileRename struct {
	From string `json:"from"`
	To   string `json:"to"`
}

// Result is a planned rename. Files are sorted by path. To apply it as an
// LSP WorkspaceEdit, send every file's edits (on the old paths) first and
// the renames after them.
type Result struct {
	Old     string       `json:"old"`
	New     string       `json:"new"`
	Files   []FileEdit   `json:"files"`
	Renames []FileRename `json:"renames"`
}

// Edits returns the number of edits in all files.
func (r *Result) Edits() int {
	n := 0
	for _, f := range r.Files {
		n += len(f.Edits)
	}
	return n
}

// Rewrite returns src with the edits applied. src is normally Original;
// Rewrite never modifies it. Edits out of src's range are skipped.
func (f *FileEdit) Rewrite(src []byte) []byte {
	var b bytes.Buffer
	b.Grow(len(src) + len(f.Edits)*16)
	at := 0
	for _, e := range f.Edits {
		if e.Start.Offset < at || e.End.Offset > len(src) || e.End.Offset < e.Start.Offset {
			continue
		}
		b.Write(src[at:e.Start.Offset])
		b.WriteString(e.NewText)
		at = e.End.Offset
	}
	b.Write(src[at:])
	return b.Bytes()
}

// CheckKey reports whether key may become a cite key: it must be safe
// ([bib.UnsafeKey]) and read back whole by the citation scanners of notes
// (`[@key]`, `[[key]]`) and LaTeX (`\cite{key}`). The error wraps
// [ErrUnsafeKey].
func CheckKey(key string) error {
	if reason, unsafe := bib.UnsafeKey(key); unsafe {
		return fmt.Errorf("%w: %q: %s", ErrUnsafeKey, key, reason)
	}
	for _, form := range []string{"[@" + key + "]", "[[" + key + "]]"} {
		items := notes.ParseCitations([]byte(form))
		if len(items) != 1 || items[0].Key != key {
			return fmt.Errorf("%w: %q: a note could not cite it as %s", ErrUnsafeKey, key, form)
		}
	}
	cites, _ := latex.ScanTeXSource("", []byte(`\cite{`+key+`}`))
	if len(cites) != 1 || cites[0].Key != key {
		return fmt.Errorf("%w: %q: LaTeX could not cite it as \\cite{%s}", ErrUnsafeKey, key, key)
	}
	return nil
}

// rawEdit is an edit before positions are computed.
type rawEdit struct {
	kind       Kind
	start, end int
	text       string
}

type planner struct {
	ws        Workspace
	old, new  string
	overrides map[string][]byte
	srcs      map[string][]byte
	edits     map[string][]rawEdit
	renames   []FileRename
	seen      map[string]bool
}

// Plan computes the rename of old to new over ws and writes nothing. It
// fails, with an error wrapping one of the sentinels ([ErrSameKey],
// [ErrUnsafeKey], [ErrUnknownKey], [ErrDuplicateKey], [ErrTaken],
// [ErrConflict], [ErrStale]) or an I/O error, before returning any Result.
// Several conflict markers are joined (errors.Join), one [*Error] each.
//
// Plan is safe for concurrent use when nothing modifies ws.Library or
// ws.Overrides meanwhile.
func Plan(ws Workspace, old, new string) (*Result, error) {
	if old == new {
		return nil, fmt.Errorf("%w: %q", ErrSameKey, old)
	}
	if err := CheckKey(new); err != nil {
		return nil, err
	}
	p := &planner{ws: ws, old: old, new: new, srcs: map[string][]byte{}, edits: map[string][]rawEdit{}, seen: map[string]bool{}}
	p.overrides = make(map[string][]byte, len(ws.Overrides))
	for k, v := range ws.Overrides {
		p.overrides[filepath.Clean(k)] = v
	}
	lib := ws.Library
	if lib == nil {
		var err error
		if lib, err = p.loadLibrary(); err != nil {
			return nil, err
		}
	}
	if err := p.bibEdits(lib); err != nil {
		return nil, err
	}
	if err := p.markdownEdits(); err != nil {
		return nil, err
	}
	if err := p.texEdits(); err != nil {
		return nil, err
	}
	return p.result()
}

// read returns the text of path: its override, or the file's bytes.
func (p *planner) read(path string) ([]byte, error) {
	path = filepath.Clean(path)
	if src, ok := p.srcs[path]; ok {
		return src, nil
	}
	src, ok := p.overrides[path]
	if !ok {
		var err error
		if src, err = safefile.ReadRegular(path); err != nil {
			return nil, err
		}
	}
	p.srcs[path] = src
	return src, nil
}

func (p *planner) add(path string, e rawEdit) {
	path = filepath.Clean(path)
	p.edits[path] = append(p.edits[path], e)
}

// Needs returns which entries of a library [Plan] reads to rename old to
// new: those whose key is either, ignoring case, and those whose crossref
// or xdata field names old. A caller may load only those of a large
// library (bib.LoadOptions.Keep) and give it as Workspace.Library; the
// other keys still count for the suggestions of an unknown key
// ([bib.Library.Closest]). The function is safe for concurrent use.
func Needs(old, new string) func(*bib.Entry) bool {
	lower := strings.ToLower(old)
	return func(e *bib.Entry) bool {
		if strings.EqualFold(e.Key, old) || strings.EqualFold(e.Key, new) {
			return true
		}
		for _, fd := range e.Fields {
			if (fd.Name == "crossref" || fd.Name == "xdata") && strings.Contains(strings.ToLower(bib.Expand(fd.Value)), lower) {
				return true
			}
		}
		return false
	}
}

// loadLibrary parses the .bib files of ws.BibPaths, overrides included.
func (p *planner) loadLibrary() (*bib.Library, error) {
	var paths []string
	for _, bp := range p.ws.BibPaths {
		fi, err := os.Stat(bp)
		if err != nil || !fi.IsDir() {
			if _, ok := p.overrides[filepath.Clean(bp)]; ok || err == nil {
				paths = append(paths, bp)
			}
			continue
		}
		found, err := p.walk(bp, ".bib")
		if err != nil {
			return nil, err
		}
		paths = append(paths, found...)
	}
	files := make([]*bib.File, 0, len(paths))
	for _, path := range paths {
		src, err := p.read(path)
		if err != nil {
			return nil, fmt.Errorf("read library: %w", err)
		}
		files = append(files, bib.Parse(path, src, &bib.ParseOptions{NoCopy: true}))
	}
	return bib.NewLibrary(files, bib.LoadOptions{}), nil
}

// walk lists the files with extension ext under dir (hidden entries and
// the folders in skip skipped, links to folders not followed), plus
// overrides under dir, sorted. A missing dir lists nothing.
func (p *planner) walk(dir, ext string, skip ...string) ([]string, error) {
	var out []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if d != nil && d.IsDir() && path != dir && slices.Contains(skip, path) {
			return fs.SkipDir
		}
		if err != nil {
			if path == dir && errors.Is(err, fs.ErrNotExist) {
				return fs.SkipDir
			}
			return err
		}
		if path != dir && strings.HasPrefix(d.Name(), ".") {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if !d.IsDir() && strings.EqualFold(filepath.Ext(path), ext) && (d.Type().IsRegular() || d.Type()&fs.ModeSymlink != 0) {
			out = append(out, filepath.Clean(path))
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("walk %s: %w", dir, err)
	}
	clean := filepath.Clean(dir) + string(filepath.Separator)
	for path := range p.overrides {
		if strings.HasPrefix(path, clean) && strings.EqualFold(filepath.Ext(path), ext) && !hiddenBelow(path[len(clean):]) {
			out = append(out, path)
		}
	}
	sort.Strings(out)
	return compactStrings(out), nil
}

func hiddenBelow(rel string) bool {
	for _, part := range strings.Split(filepath.ToSlash(rel), "/") {
		if strings.HasPrefix(part, ".") {
			return true
		}
	}
	return false
}

func compactStrings(s []string) []string {
	out := s[:0]
	for i, v := range s {
		if i == 0 || v != s[i-1] {
			out = append(out, v)
		}
	}
	return out
}

// bibEdits finds the entry to rename, refuses a taken key and plans the
// edits of the entry key and of the crossref and xdata fields naming it.
func (p *planner) bibEdits(lib *bib.Library) error {
	var defs, taken []*bib.Entry
	for _, f := range lib.Files() {
		for _, e := range f.Entries {
			switch {
			case e.Key == p.old:
				defs = append(defs, e)
			case e.Key == p.new || strings.EqualFold(e.Key, p.new):
				taken = append(taken, e)
			}
		}
	}
	if len(defs) == 0 {
		msg := fmt.Sprintf("%q", p.old)
		// The nearest keys, as every command suggests them (a key that
		// differs only in case first).
		if near := lib.Closest(p.old, 3); len(near) > 0 {
			q := make([]string, len(near))
			for i, k := range near {
				q[i] = strconv.Quote(k)
			}
			list := q[len(q)-1]
			if len(q) > 1 {
				list = strings.Join(q[:len(q)-1], ", ") + " or " + list
			}
			msg += " (did you mean " + list + "?)"
		}
		return fmt.Errorf("%w: %s", ErrUnknownKey, msg)
	}
	if len(defs) > 1 {
		var at []string
		for _, e := range defs {
			at = append(at, e.KeyPos.String())
		}
		return fmt.Errorf("%w: %q at %s", ErrDuplicateKey, p.old, strings.Join(at, ", "))
	}
	if len(taken) > 0 {
		return &Error{Pos: taken[0].KeyPos, Err: fmt.Errorf("%w: %q is the key of this entry", ErrTaken, taken[0].Key)}
	}
	e := defs[0]
	src, err := p.read(e.KeyPos.Filename)
	if err != nil {
		return fmt.Errorf("read library: %w", err)
	}
	off := e.KeyPos.Offset
	if off < 0 || off+len(p.old) > len(src) || string(src[off:off+len(p.old)]) != p.old {
		return &Error{Pos: e.KeyPos, Err: ErrStale}
	}
	p.add(e.KeyPos.Filename, rawEdit{kind: KindEntryKey, start: off, end: off + len(p.old), text: p.new})

	// A child names its parent exactly, or ignoring case when no entry has
	// the exact name (bib resolves crossref that way).
	names := func(v string) bool {
		if v == p.old {
			return true
		}
		if !strings.EqualFold(v, p.old) {
			return false
		}
		_, exact := lib.Lookup(v)
		return !exact
	}
	for _, f := range lib.Files() {
		for _, c := range f.Entries {
			for _, fd := range c.Fields {
				var kind Kind
				switch fd.Name {
				case "crossref":
					kind = KindCrossref
				case "xdata":
					kind = KindXData
				default:
					continue
				}
				if !strings.Contains(strings.ToLower(bib.Expand(fd.Value)), strings.ToLower(p.old)) {
					continue
				}
				src, err := p.read(c.Pos.Filename)
				if err != nil {
					return fmt.Errorf("read library: %w", err)
				}
				for _, r := range fieldKeys(src, int(fd.Offset)) {
					if names(string(src[r[0]:r[1]])) {
						p.add(c.Pos.Filename, rawEdit{kind: kind, start: r[0], end: r[1], text: p.new})
					}
				}
			}
		}
	}
	return nil
}

// fieldKeys returns the byte ranges of the comma-separated keys in the
// braced or quoted value of the field whose name starts at off. A bare
// value (a macro or number) or a concatenation yields nothing.
func fieldKeys(src []byte, off int) [][2]int {
	i := off
	for i < len(src) && !isSpace(src[i]) && src[i] != '=' {
		i++
	}
	for i < len(src) && isSpace(src[i]) {
		i++
	}
	if i >= len(src) || src[i] != '=' {
		return nil
	}
	i++
	for i < len(src) && isSpace(src[i]) {
		i++
	}
	if i >= len(src) || src[i] != '{' && src[i] != '"' {
		return nil
	}
	open := src[i]
	start := i + 1
	depth := 0
	end := -1
	for j := start; j < len(src); j++ {
		c := src[j]
		switch {
		case c == '{':
			depth++
		case c == '}' && depth > 0:
			depth--
		case c == '}' && open == '{', c == '"' && open == '"' && depth == 0:
			end = j
		}
		if end >= 0 {
			break
		}
	}
	if end < 0 {
		return nil
	}
	var out [][2]int
	for s := start; s <= end; {
		e := bytes.IndexByte(src[s:end], ',')
		if e < 0 {
			e = end
		} else {
			e += s
		}
		a, b := s, e
		for a < b && isSpace(src[a]) {
			a++
		}
		for b > a && isSpace(src[b-1]) {
			b--
		}
		if a < b && !bytes.ContainsAny(src[a:b], "{}") {
			out = append(out, [2]int{a, b})
		}
		s = e + 1
	}
	return out
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'
}

// scanned is what a worker of [planner.scan] found in one file: its text
// when it may need edits, the parsed note of a markdown file, the LaTeX
// citations of a .tex file.
type scanned struct {
	path  string
	src   []byte
	note  *notes.Note
	cites []latex.Citation
	err   error
}

// scan reads the files at paths on all cores and calls fn on the text of
// each file that keep accepts, returning the results of kept files (and
// read errors) in path order. Files not kept are dropped at once, so that
// memory stays flat over many notes.
func (p *planner) scan(paths []string, keep func([]byte) bool, fn func(*scanned)) []*scanned {
	out := make([]*scanned, len(paths))
	workers := min(runtime.GOMAXPROCS(0), len(paths))
	var wg sync.WaitGroup
	next := make(chan int)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				path := paths[i]
				src, ok := p.overrides[path]
				if !ok {
					var err error
					if src, err = safefile.ReadRegular(path); err != nil {
						out[i] = &scanned{path: path, err: err}
						continue
					}
				}
				if !keep(src) {
					continue
				}
				sc := &scanned{path: path, src: src}
				fn(sc)
				out[i] = sc
			}
		}()
	}
	for i := range paths {
		next <- i
	}
	close(next)
	wg.Wait()
	kept := out[:0]
	for _, sc := range out {
		if sc != nil {
			kept = append(kept, sc)
		}
	}
	return kept
}

// markdownEdits plans the edits of notes (front matter key, citations, file
// name) and of the other markdown folders (citations).
func (p *planner) markdownEdits() error {
	oldB, newB := []byte(p.old), []byte(p.new)
	dirs := append([]string{p.ws.NotesDir}, p.ws.MarkdownDirs...)
	for i, dir := range dirs {
		if dir == "" {
			continue
		}
		isNotes := i == 0
		paths, err := p.walk(dir, ".md")
		if err != nil {
			return err
		}
		paths = p.unseen(paths)
		keep := func(src []byte) bool {
			return bytes.Contains(src, oldB) || isNotes && bytes.Contains(src, newB)
		}
		parse := func(sc *scanned) { sc.note, _ = notes.Parse(sc.path, sc.src, notes.Options{}) }
		for _, sc := range p.scan(paths, keep, parse) {
			if sc.err != nil {
				return fmt.Errorf("read note: %w", sc.err)
			}
			path, src, n := sc.path, sc.src, sc.note
			p.srcs[path] = src
			if isNotes && n.Key == p.new {
				return &Error{Pos: n.KeyPos, Err: fmt.Errorf("%w: this note has the key %q", ErrTaken, p.new)}
			}
			if isNotes && n.Key == p.old {
				if err := p.noteKey(path, src, n.KeyPos); err != nil {
					return err
				}
			}
			for _, c := range n.Cites {
				if c.Key == p.old {
					off := c.Pos.Offset
					if off >= 0 && off+len(p.old) <= len(src) && string(src[off:off+len(p.old)]) == p.old {
						p.add(path, rawEdit{kind: KindCitation, start: off, end: off + len(p.old), text: p.new})
					}
				}
			}
		}
	}
	return nil
}

// unseen returns the paths not scanned yet and marks them seen.
func (p *planner) unseen(paths []string) []string {
	out := paths[:0]
	for _, path := range paths {
		if !p.seen[path] {
			p.seen[path] = true
			out = append(out, path)
		}
	}
	return out
}

// plainYAML matches keys YAML reads back as the same plain string.
var plainYAML = regexp.MustCompile(`^[\p{L}_][\p{L}\p{N}_.+/\-:]*$`)

func yamlKey(key string) string {
	switch strings.ToLower(key) {
	case "true", "false", "yes", "no", "on", "off", "null", "y", "n":
		return `"` + key + `"`
	}
	if plainYAML.MatchString(key) && !strings.HasSuffix(key, ":") {
		return key
	}
	// A safe key holds no '"' or '\', so double quotes need no escapes.
	return `"` + key + `"`
}

// noteKey plans the front matter key edit and the file rename of a note.
func (p *planner) noteKey(path string, src []byte, kp token.Position) error {
	// The key's position gives its line (the YAML decoder's offsets and
	// columns are not bytes), so find the value on that line after the colon.
	off, quoted := frontMatterKey(src, kp.Line, p.old)
	if off < 0 {
		return &Error{Pos: kp, Err: fmt.Errorf("%w: cannot find the key %q in the front matter", ErrStale, p.old)}
	}
	text := yamlKey(p.new)
	if quoted {
		text = p.new
	}
	p.add(path, rawEdit{kind: KindNoteKey, start: off, end: off + len(p.old), text: text})
	to := filepath.Join(filepath.Dir(path), notes.FileName(p.new))
	if to == path {
		return nil
	}
	if _, ok := p.overrides[to]; ok {
		return &Error{Pos: token.Position{Filename: to}, Err: fmt.Errorf("%w: the note file of %q exists", ErrTaken, p.new)}
	}
	if _, err := os.Lstat(to); err == nil || !errors.Is(err, fs.ErrNotExist) {
		return &Error{Pos: token.Position{Filename: to}, Err: fmt.Errorf("%w: the note file of %q exists", ErrTaken, p.new)}
	}
	for _, r := range p.renames {
		if r.To == to {
			return &Error{Pos: token.Position{Filename: path}, Err: fmt.Errorf("%w: two notes have the key %q (%s)", ErrDuplicateKey, p.old, r.From)}
		}
	}
	p.renames = append(p.renames, FileRename{From: path, To: to})
	return nil
}

// texEdits plans the citation edits of the .tex files under the root and
// the extra TeX roots.
func (p *planner) texEdits() error {
	oldB := []byte(p.old)
	for _, dir := range append([]string{p.ws.Root}, p.ws.TexRoots...) {
		if dir == "" {
			continue
		}
		// The notes folder holds notes, not LaTeX sources (the language
		// server does not serve .tex files there either); skipping it
		// saves a walk over thousands of notes.
		paths, err := p.walk(dir, ".tex", filepath.Clean(p.ws.NotesDir))
		if err != nil {
			return err
		}
		paths = p.unseen(paths)
		keep := func(src []byte) bool { return bytes.Contains(src, oldB) }
		parse := func(sc *scanned) { sc.cites, _ = latex.ScanTeXSource(sc.path, sc.src) }
		for _, sc := range p.scan(paths, keep, parse) {
			if sc.err != nil {
				return fmt.Errorf("read tex: %w", sc.err)
			}
			p.srcs[sc.path] = sc.src
			for _, c := range sc.cites {
				off := c.Pos.Offset
				if c.Key == p.old && off >= 0 && off+len(p.old) <= len(sc.src) && string(sc.src[off:off+len(p.old)]) == p.old {
					p.add(sc.path, rawEdit{kind: KindCitation, start: off, end: off + len(p.old), text: p.new})
				}
			}
		}
	}
	return nil
}

// conflictMarkers returns an error per merge conflict marker line in src,
// sorted by line. It searches for each marker after a newline, which is
// much faster than looking at every line of a big .bib file.
func conflictMarkers(path string, src []byte) []error {
	var at []int
	for _, m := range []string{"<<<<<<<", "|||||||", ">>>>>>>"} {
		nm := []byte("\n" + m)
		for i := 0; i < len(src); {
			var hit int
			if i == 0 && bytes.HasPrefix(src, nm[1:]) {
				hit = 0
			} else {
				k := bytes.Index(src[i:], nm)
				if k < 0 {
					break
				}
				hit = i + k + 1
			}
			i = hit + len(m)
			if i == len(src) || src[i] == ' ' || src[i] == '\n' || src[i] == '\r' {
				at = append(at, hit)
			}
		}
	}
	sort.Ints(at)
	errs := make([]error, 0, len(at))
	c := &cursor{src: src, line: 1}
	for _, off := range at {
		pos := c.pos(off)
		errs = append(errs, &Error{Pos: token.Position{Filename: path, Offset: off, Line: pos.Line, Column: 1}, Err: ErrConflict})
	}
	return errs
}

// result sorts the edits, checks conflict markers and computes positions.
func (p *planner) result() (*Result, error) {
	r := &Result{Old: p.old, New: p.new, Renames: p.renames}
	paths := make([]string, 0, len(p.edits))
	for path := range p.edits {
		paths = append(paths, path)
	}
	sort.Strings(paths)
	paths = p.mergeSameFiles(paths)
	var conflicts []error
	for _, path := range paths {
		src := p.srcs[path]
		conflicts = append(conflicts, conflictMarkers(path, src)...)
		raw := p.edits[path]
		sort.Slice(raw, func(i, j int) bool { return raw[i].start < raw[j].start })
		x := &cursor{src: src, line: 1}
		fe := FileEdit{Path: path, Original: src}
		last := -1
		for _, e := range raw {
			if e.start < last {
				continue // the same bytes found twice
			}
			last = e.end
			start := x.pos(e.start)
			fe.Edits = append(fe.Edits, Edit{Kind: e.kind, Start: start, End: x.pos(e.end), NewText: e.text})
		}
		r.Files = append(r.Files, fe)
	}
	if len(conflicts) > 0 {
		return nil, errors.Join(conflicts...)
	}
	sort.Slice(r.Renames, func(i, j int) bool { return r.Renames[i].From < r.Renames[j].From })
	return r, nil
}

// frontMatterKey returns the byte offset of key as the value on the given
// 1-based line ("key: li2023", "key: 'li2023'"), whether it is quoted, or
// -1 when the line holds no such value.
func frontMatterKey(src []byte, line int, key string) (int, bool) {
	at := 0
	for l := 1; l < line; l++ {
		i := bytes.IndexByte(src[at:], '\n')
		if i < 0 {
			return -1, false
		}
		at += i + 1
	}
	end := bytes.IndexByte(src[at:], '\n')
	if end < 0 {
		end = len(src)
	} else {
		end += at
	}
	colon := bytes.IndexByte(src[at:end], ':')
	if colon < 0 {
		return -1, false
	}
	i := at + colon + 1
	for i < end && (src[i] == ' ' || src[i] == '\t') {
		i++
	}
	quoted := i < end && (src[i] == '"' || src[i] == '\'')
	if quoted {
		i++
	}
	if i+len(key) > end || string(src[i:i+len(key)]) != key {
		return -1, false
	}
	return i, quoted
}

// mergeSameFiles moves the edits of a path that names the same file as an
// earlier one (a symbolic link into another scanned folder) to that
// earlier path, so that each file is written once. Paths only in
// Overrides are never merged.
func (p *planner) mergeSameFiles(paths []string) []string {
	type id struct{ dev, ino uint64 }
	first := map[id]string{}
	out := paths[:0]
	for _, path := range paths {
		if _, over := p.overrides[path]; !over {
			if fi, err := os.Stat(path); err == nil {
				if st, ok := fi.Sys().(*syscall.Stat_t); ok {
					k := id{uint64(st.Dev), st.Ino}
					if to, dup := first[k]; dup {
						p.edits[to] = append(p.edits[to], p.edits[path]...)
						delete(p.edits, path)
						continue
					}
					first[k] = path
				}
			}
		}
		out = append(out, path)
	}
	return out
}

package lsp

import (
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/papernotes/papernotes/bib"
	"github.com/papernotes/papernotes/internal/par"
	"github.com/papernotes/papernotes/latex"
	"github.com/papernotes/papernotes/notes"
)

// Workspace describes a papernotes workspace to the server. The CLI fills
// it from the workspace's configuration; every path is absolute.
type Workspace struct {
	// Root is the workspace folder; .tex files anywhere under it are served.
	Root string
	// BibPaths are the .bib files and folders of the library, in scope order
	// (a folder stands for every *.bib under it, skipping hidden folders).
	BibPaths []string
	// NotesDir holds the reading notes; JournalDir the work log and
	// ReportDir the weekly reports, whose citations count as references.
	NotesDir   string
	JournalDir string
	ReportDir  string
	// TexRoots are extra folders searched for .tex files.
	TexRoots []string
	// Aliases are the section heading aliases (nil: notes.DefaultAliases).
	Aliases map[string][]string
	// Required are the section ids `check` requires.
	Required []string
	// Language ("zh" or "en") and Headings are those of `new`'s scaffold.
	Language string
	Headings map[string]string
}

// bibFile is one parsed .bib file with its source.
type bibFile struct {
	file *bib.File
	text *text
}

// noteFile is one parsed note.
type noteFile struct {
	note     *notes.Note
	problems notes.ErrorList
	text     *text // built on first use
}

func (n *noteFile) txt() *text {
	if n.text == nil {
		n.text = newText(string(n.note.Source))
	}
	return n.text
}

// cite is one citation in a file, as byte offsets into its text.
type cite struct {
	key      string
	off, end int
}

// citeFile is a .tex file or a markdown file that is not a note (a weekly
// report, a README): only its citations matter.
type citeFile struct {
	cites    []cite
	problems latex.ErrorList
	text     *text
	tex      bool
}

// state is everything the server knows about one workspace. It is guarded
// by Server.mu.
type state struct {
	ws       Workspace
	bibOrder []string
	bibs     map[string]*bibFile
	lib      *bib.Library
	libDirty bool
	notes    map[string]*noteFile
	// notesLoaded is false while only the note keys are known (the first
	// phase of a load): notes holds the few parsed on demand.
	notesLoaded bool
	byKey       map[string][]string // note key -> note paths, sorted
	others      map[string]*citeFile
	idx         *completionIndex
	rel         *relatedIndex // the other files' entries, for one file's checks
	idxDirty    bool
}

func newState(ws Workspace) *state {
	return &state{
		ws:     ws,
		bibs:   map[string]*bibFile{},
		notes:  map[string]*noteFile{},
		byKey:  map[string][]string{},
		others: map[string]*citeFile{},
	}
}

func (st *state) loadBib() {
	st.bibOrder = bibFiles(st.ws.BibPaths)
	files := make([]*bib.File, len(st.bibOrder))
	par.Do(len(st.bibOrder), func(i int) {
		p := st.bibOrder[i]
		src, err := notes.ReadFile(p)
		if err != nil {
			// bib.Load reports an unreadable file as a problem; so do we.
			files[i] = bib.Load([]string{p}, bib.LoadOptions{Workers: 1}).Files()[0]
			return
		}
		files[i] = bib.Parse(p, src, &bib.ParseOptions{NoCopy: true})
	})
	for i, p := range st.bibOrder {
		st.bibs[p] = &bibFile{file: files[i]}
	}
	st.libDirty = true
}

// quickKeys guesses which keys have a note from the notes' file names
// alone (a note of KEY is normally notes/KEY.md), without reading them, so
// that completion can rank papers with a note first before the notes are
// parsed; the second phase of the load replaces the guess with the keys
// the notes declare.
func (st *state) quickKeys() {
	st.byKey = map[string][]string{}
	if st.ws.NotesDir == "" {
		return
	}
	for _, p := range walkExt(st.ws.NotesDir, ".md", "") {
		name := strings.TrimSuffix(filepath.Base(p), filepath.Ext(p))
		st.byKey[name] = append(st.byKey[name], p)
	}
}

// notesData is what readNotes found, installed by installNotes.
type notesData struct {
	notes []*notes.Note
	probs notes.ErrorList
}

func (st *state) readNotes() notesData {
	if st.ws.NotesDir == "" {
		return notesData{}
	}
	if _, err := os.Stat(st.ws.NotesDir); err != nil {
		return notesData{}
	}
	ns, probs := notes.LoadDir(st.ws.NotesDir, notes.Options{Aliases: st.ws.Aliases})
	return notesData{ns, probs}
}

func (st *state) installNotes(d notesData) {
	byPath := map[string]notes.ErrorList{}
	for _, e := range d.probs {
		byPath[e.Pos.Filename] = append(byPath[e.Pos.Filename], e)
	}
	st.notes = make(map[string]*noteFile, len(d.notes))
	for _, n := range d.notes {
		st.notes[n.Path] = &noteFile{note: n, problems: byPath[n.Path]}
	}
	st.notesLoaded = true
	st.rebuildByKey()
}

func (st *state) readOthers() map[string]*citeFile {
	var others []string
	seenMD := map[string]bool{}
	for _, d := range []string{st.ws.JournalDir, st.ws.ReportDir} {
		if d == "" || within(d, st.ws.NotesDir) {
			continue
		}
		for _, p := range walkExt(d, ".md", st.ws.NotesDir) {
			if !seenMD[p] {
				seenMD[p] = true
				others = append(others, p)
			}
		}
	}
	roots := append([]string{st.ws.Root}, st.ws.TexRoots...)
	seen := map[string]bool{}
	for _, r := range roots {
		if r == "" {
			continue
		}
		for _, p := range walkExt(r, ".tex", st.ws.NotesDir) {
			if !seen[p] {
				seen[p] = true
				others = append(others, p)
			}
		}
	}
	cfs := make([]*citeFile, len(others))
	par.Do(len(others), func(i int) {
		src, err := notes.ReadFile(others[i])
		if err == nil {
			cfs[i] = scanOther(others[i], string(src))
		}
	})
	out := map[string]*citeFile{}
	for i, p := range others {
		if cfs[i] != nil {
			out[p] = cfs[i]
		}
	}
	return out
}

func (st *state) installOthers(m map[string]*citeFile) {
	st.others = m
}

// library returns the library, rebuilt when a .bib file changed.
func (st *state) library() *bib.Library {
	if st.lib == nil || st.libDirty {
		files := make([]*bib.File, 0, len(st.bibOrder))
		for _, p := range st.bibOrder {
			files = append(files, st.bibs[p].file)
		}
		st.lib = bib.NewLibrary(files, bib.LoadOptions{})
		st.libDirty = false
		st.idxDirty = true
	}
	return st.lib
}

func (st *state) index() *completionIndex {
	lib := st.library()
	if st.idx == nil || st.idxDirty {
		st.idx = buildIndex(lib, st.byKey)
		st.idxDirty = false
	}
	return st.idx
}

// rebuildByKey indexes the notes by key; the completion index is rebuilt
// only when the set of keys with a note changed.
func (st *state) rebuildByKey() {
	old := st.byKey
	st.byKey = map[string][]string{}
	for p, n := range st.notes {
		if k := n.note.Key; k != "" {
			st.byKey[k] = append(st.byKey[k], p)
		}
	}
	for _, ps := range st.byKey {
		sort.Strings(ps)
	}
	if len(old) != len(st.byKey) {
		st.idxDirty = true
		return
	}
	for k := range st.byKey {
		if len(old[k]) == 0 {
			st.idxDirty = true
			return
		}
	}
}

// noteFor returns the first note (by path) of key. Before the notes are
// all parsed, it parses the one it needs.
func (st *state) noteFor(key string) *noteFile {
	ps := st.byKey[key]
	if len(ps) == 0 {
		return nil
	}
	if nf := st.notes[ps[0]]; nf != nil || st.notesLoaded {
		if nf != nil && nf.note.Key != key {
			return nil
		}
		return nf
	}
	src, err := notes.ReadFile(ps[0])
	if err != nil {
		return nil
	}
	n, err := notes.Parse(ps[0], src, notes.Options{Aliases: st.ws.Aliases})
	nf := &noteFile{note: n}
	if l, ok := err.(notes.ErrorList); ok {
		nf.problems = l
	}
	st.notes[ps[0]] = nf
	if n.Key != key {
		return nil // the file name was a wrong guess
	}
	return nf
}

// kindOf says how the server treats path.
type docKind int

const (
	kindOther docKind = iota
	kindBib
	kindNote
	kindMarkdown
	kindTeX
)

func (st *state) kindOf(path string) docKind {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".bib":
		return kindBib
	case ".tex":
		return kindTeX
	case ".md", ".markdown":
		if st != nil && st.ws.NotesDir != "" && within(path, st.ws.NotesDir) {
			return kindNote
		}
		return kindMarkdown
	}
	return kindOther
}

// inLibrary reports whether path is one of the library's .bib files.
func (st *state) inLibrary(path string) bool {
	_, ok := st.bibs[path]
	return ok
}

// update replaces the content of path (a buffer or the file on disk) and
// re-parses only that file. A nil src means the file was deleted.
func (st *state) update(path string, src *string) {
	switch st.kindOf(path) {
	case kindBib:
		if !st.inLibrary(path) {
			return
		}
		if src == nil {
			st.bibs[path] = &bibFile{file: &bib.File{Name: path}, text: newText("")}
		} else {
			st.bibs[path] = parseBib(path, *src)
		}
		st.libDirty = true
		if st.rel != nil && st.rel.exclude != path {
			st.rel = nil
		}
	case kindNote:
		if src == nil {
			delete(st.notes, path)
		} else {
			n, err := notes.Parse(path, []byte(*src), notes.Options{Aliases: st.ws.Aliases})
			var probs notes.ErrorList
			if l, ok := err.(notes.ErrorList); ok {
				probs = l
			}
			st.notes[path] = &noteFile{note: n, problems: probs}
		}
		if st.notesLoaded {
			st.rebuildByKey()
		} else if nf := st.notes[path]; nf != nil && nf.note.Key != "" && !slices.Contains(st.byKey[nf.note.Key], path) {
			st.byKey[nf.note.Key] = append(st.byKey[nf.note.Key], path)
			st.idxDirty = true
		}
	case kindTeX, kindMarkdown:
		if src == nil {
			delete(st.others, path)
		} else {
			st.others[path] = scanOther(path, *src)
		}
	}
}

func parseBib(path, src string) *bibFile {
	t := newText(src)
	// NoCopy: the strings share src's bytes; src is never modified.
	f := bib.Parse(path, []byte(src), &bib.ParseOptions{NoCopy: true})
	return &bibFile{file: f, text: t}
}

// bibText returns the text of a library .bib file, reading it on first use.
func (st *state) bibText(path string) *text {
	b := st.bibs[path]
	if b == nil {
		return nil
	}
	if b.text == nil {
		src, _ := notes.ReadFile(path)
		b.text = newText(string(src))
	}
	return b.text
}

// scanOther finds the citations of a .tex or non-note markdown file.
func scanOther(path, src string) *citeFile {
	cf := &citeFile{text: newText(src)}
	if strings.EqualFold(filepath.Ext(path), ".tex") {
		cf.tex = true
		cs, probs := latex.ScanTeXSource(path, []byte(src))
		cf.problems = probs
		for _, c := range cs {
			if c.Key == "*" || c.Pos.Line == 0 {
				continue
			}
			off := cf.text.fromRuneCol(c.Pos.Line, c.Pos.Column)
			cf.cites = append(cf.cites, cite{key: c.Key, off: off, end: off + len(c.Key)})
		}
		return cf
	}
	for _, it := range notes.ParseCitations([]byte(src)) {
		cf.cites = append(cf.cites, cite{key: it.Key, off: it.Offset, end: it.Offset + len(it.Key)})
	}
	return cf
}

// noteCites returns a note's citations as byte offsets.
func noteCites(nf *noteFile) []cite {
	t := nf.txt()
	out := make([]cite, 0, len(nf.note.Cites))
	for _, c := range nf.note.Cites {
		off := t.fromRuneCol(c.Pos.Line, c.Pos.Column)
		out = append(out, cite{key: c.Key, off: off, end: off + len(c.Key)})
	}
	return out
}

// bibFiles expands folders to the *.bib files under them, as the CLI does.
func bibFiles(paths []string) []string {
	var out []string
	for _, p := range paths {
		fi, err := os.Stat(p)
		if err != nil || !fi.IsDir() {
			out = append(out, p)
			continue
		}
		out = append(out, walkExt(p, ".bib", "")...)
	}
	return out
}

// walkExt lists the files with extension ext under root, sorted, skipping
// hidden folders and the folder skip.
func walkExt(root, ext, skip string) []string {
	var found []string
	_ = filepath.WalkDir(root, func(q string, d fs.DirEntry, err error) error {
		if err != nil {
			if d != nil && d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			if q != root && (strings.HasPrefix(d.Name(), ".") || d.Name() == "node_modules" || (skip != "" && q == skip)) {
				return fs.SkipDir
			}
			return nil
		}
		if strings.EqualFold(filepath.Ext(q), ext) && d.Type().IsRegular() {
			found = append(found, q)
		}
		return nil
	})
	sort.Strings(found)
	return found
}

// within reports whether path is dir or below it.
func within(path, dir string) bool {
	if dir == "" {
		return false
	}
	rel, err := filepath.Rel(dir, path)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

// today returns the date for a new note's front matter, or the zero time.
func (s *Server) today() time.Time {
	if s.opts.Today == nil {
		return time.Time{}
	}
	t := s.opts.Today()
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

func readFile(path string) (string, error) {
	b, err := notes.ReadFile(path)
	return string(b), err
}

// coveredByBibPaths reports whether a new .bib file belongs to the library
// (it is under one of the configured folders).
func (st *state) coveredByBibPaths(path string) bool {
	for _, p := range st.ws.BibPaths {
		if p == path {
			return true
		}
		if fi, err := os.Stat(p); err == nil && fi.IsDir() && within(path, p) {
			return true
		}
	}
	return false
}

// addBib adds a new library file, keeping the order bibFiles gives.
func (st *state) addBib(path string) {
	st.bibOrder = bibFiles(st.ws.BibPaths)
	st.bibs[path] = &bibFile{file: &bib.File{Name: path}}
	st.rel = nil
	for _, p := range st.bibOrder {
		if st.bibs[p] == nil {
			st.bibs[p] = &bibFile{file: &bib.File{Name: p}}
		}
	}
	st.libDirty = true
}

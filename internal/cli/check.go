package cli

import (
	"bufio"
	"fmt"
	"go/token"
	"io"
	"runtime/debug"
	"runtime/metrics"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/spf13/cobra"

	"github.com/papernotes/papernotes/bib"
	"github.com/papernotes/papernotes/citekey"
	"github.com/papernotes/papernotes/internal/config"
)

type checkOptions struct {
	IO     *IOStreams
	Config func() (*config.Config, error)
	Load   func(paths []string) (*bib.Library, error)
	// CheckFiles checks FILE arguments without keeping a library; nil
	// means Load them.
	CheckFiles func(paths []string, m *memoryLimit) (*bib.Checked, error)
	// CheckWorkspace checks the workspace's bib paths and returns the
	// library in Checked.Library, keeping of a large one what keep keeps;
	// nil means Load them.
	CheckWorkspace func(paths []string, keep func(*bib.Entry) bool, m *memoryLimit) (*bib.Checked, error)
	DisplayPath    func(string) string
	Factory        *Factory

	// Files are the files given on the command line; empty means the workspace.
	Files []string
	JSON  bool
	// Extensions check more than the bib files (the notes, say). They run only
	// on a workspace, not on files given as arguments.
	Extensions []checkExtension
}

// checkExtension adds problems to `check` on a workspace. Register one in
// checkExtensions (root.go).
type checkExtension interface {
	// Check returns the extension's problems; lib is the workspace's library.
	// An error means the check could not run at all.
	Check(opts *checkOptions, lib *bib.Library) ([]checkProblem, error)
}

// checkProblem is one problem; its JSON form (written by checkJSON, in this
// field order) is the documented contract. The "files" elements are
// {"path","entries","strings"}.
type checkProblem struct {
	File     string `json:"file"`
	Line     int    `json:"line"`
	Col      int    `json:"col"`
	Severity string `json:"severity"` // "error" or "warning"
	Code     string `json:"code"`
	Message  string `json:"message"`
	Key      string `json:"key"`
}

// newCheckProblem makes a problem from a position; extensions use it.
func newCheckProblem(pos token.Position, severity, code, message, key string) checkProblem {
	return checkProblem{File: pos.Filename, Line: pos.Line, Col: pos.Column, Severity: severity, Code: code, Message: message, Key: key}
}

func newCmdCheck(f *Factory, runF func(*checkOptions) error) *cobra.Command {
	opts := &checkOptions{IO: f.IOStreams, Config: f.Config, Load: loadLibrary, CheckFiles: checkFiles, CheckWorkspace: f.checkWorkspace, DisplayPath: f.displayPath, Factory: f, Extensions: checkExtensions(f)}
	cmd := &cobra.Command{
		Use:   "check [FILE...]",
		Short: "Report problems in the workspace's bib files and notes, or in the given .bib files",
		Long: `Report parse problems, duplicate keys and DOIs, missing required fields,
undefined crossrefs and unsafe keys, one per line as file:line:col: severity: message.
In a workspace, the conflict markers of an unresolved git merge (<<<<<<<) in the
bib files, notes, journal, reports, templates and config.yaml are errors too
(code conflict-marker, one per block, at its <<<<<<< line).
Columns count runes. With FILE arguments, only those files are read, and no
workspace is needed. Exits 1 when any problem is an error.`,
		Example: `  papernotes check
  papernotes check --json refs.bib other.bib`,
		RunE: func(_ *cobra.Command, args []string) error {
			opts.Files = args
			if runF != nil {
				return runF(opts)
			}
			return checkRun(opts)
		},
	}
	cmd.Flags().BoolVar(&opts.JSON, "json", false, `print JSON: {"files":[{path,entries,strings}],"problems":[{file,line,col,severity,code,message,key}]}`)
	return cmd
}

func checkRun(opts *checkOptions) error {
	paths, workspace := opts.Files, false
	if len(paths) == 0 {
		cfg, err := opts.Config()
		if err != nil {
			if probs := configConflicts(opts); len(probs) > 0 {
				// A config.yaml merged with conflicts does not load: say why.
				return checkOutput(opts, nil, probs)
			}
			return err
		}
		paths, workspace = cfg.BibPaths(), true
	}
	var (
		lib     *bib.Library
		checked *bib.Checked
		err     error
		// A streaming check holds the heap near twice the files' size
		// to the end: what comes after the reading (the problems made
		// into lines or JSON) would otherwise double a heap that is by
		// then mostly problems.
		m memoryLimit
	)
	defer m.restore()
	switch {
	case workspace && opts.CheckWorkspace != nil:
		// The extensions and the advice need the library: of a large
		// one, only the entries that the advice reads (the notes' checks
		// need only to know the keys).
		if checked, err = opts.CheckWorkspace(paths, adviceNeeds, &m); err != nil {
			return err
		}
		lib = checked.Library
	case workspace || opts.CheckFiles == nil:
		if lib, err = opts.Load(paths); err != nil {
			return err
		}
		checked = &bib.Checked{Problems: lib.Problems(), Checks: lib.Check()}
		for _, f := range lib.Files() {
			checked.Files = append(checked.Files, f.Stat())
		}
	default:
		if checked, err = opts.CheckFiles(paths, &m); err != nil {
			return err
		}
	}
	files := checked.Files
	// Sized up front: growing it by appends allocated twice its final size.
	probs := make([]checkProblem, 0, len(checked.Problems)+len(checked.Checks))
	for _, list := range []bib.ErrorList{checked.Problems, checked.Checks} {
		for _, e := range list {
			probs = append(probs, newCheckProblem(e.Pos, e.Severity.String(), bib.Code(e), e.Err.Error(), e.Key))
			if len(probs)%4096 == 0 {
				m.check()
			}
		}
	}
	checked = nil
	if workspace {
		for _, ext := range opts.Extensions {
			more, err := ext.Check(opts, lib)
			if err != nil {
				return err
			}
			probs = append(probs, more...)
		}
	}
	sortProblems(files, probs)
	nerr := 0
	var shown map[string]string // a bib file's path -> its display path
	if workspace {
		adviseRekey(probs, lib, opts)
		shown = make(map[string]string, len(files))
		for _, f := range files {
			shown[f.Name] = opts.DisplayPath(f.Name)
		}
	}
	for i := range probs {
		if workspace {
			probs[i].File = opts.DisplayPath(probs[i].File)
			probs[i].Message = displayAt(probs[i].Message, shown)
		}
		if probs[i].Severity == "error" {
			nerr++
		}
	}
	return writeCheck(opts, files, probs, workspace, nerr)
}

// checkFiles is checkOptions.CheckFiles: the FILE arguments, folders
// replaced by their .bib files, checked a window at a time.
func checkFiles(paths []string, m *memoryLimit) (*bib.Checked, error) {
	files, err := bibFiles(paths)
	if err != nil {
		return nil, err
	}
	return bib.CheckFiles(files, bib.CheckOptions{LoadOptions: bib.LoadOptions{OnStream: m.start, AfterWindow: m.check}}), nil
}

// checkWorkspace is checkOptions.CheckWorkspace: the workspace's bib files
// checked as checkFiles checks them, with the library of what keep keeps.
func (f *Factory) checkWorkspace(paths []string, keep func(*bib.Entry) bool, m *memoryLimit) (*bib.Checked, error) {
	files, err := bibFiles(paths)
	if err != nil {
		return nil, err
	}
	return bib.CheckFiles(files, bib.CheckOptions{LoadOptions: bib.LoadOptions{Keep: keep, OnStream: m.start, AfterWindow: m.check, StreamAbove: f.streamAbove}}), nil
}

// adviceNeeds reports whether adviseRekey reads e: an entry whose key is
// not ASCII, or one the key generator learns from.
func adviceNeeds(e *bib.Entry) bool {
	return bib.NonASCIIKey(e.Key) || citekey.MayTeach(e)
}

// memoryLimit holds the Go heap's soft limit while bib.CheckFiles streams
// files: twice their size less what the process holds besides its heap
// (its code and the windows being read, about 24 MB), and never under
// 48 MB (at 40 MB, the corpus's 29.5 MB took 40% longer). The collector
// then runs more often as the heap nears the limit, instead of letting it
// grow to twice what is live, so that the process's peak stays near twice
// the files' size. When what CheckFiles keeps (a
// summary of each entry, the problems) outgrows the limit anyway, as with
// many tiny entries, the limit is raised to twice the live heap: held, it
// would only keep the collector running without end.
type memoryLimit struct {
	limit, prev int64
	set         bool
	live        [1]metrics.Sample
}

func (m *memoryLimit) start(size int64) {
	m.limit = max(2*size-24<<20, 48<<20)
	m.prev, m.set = debug.SetMemoryLimit(m.limit), true
	m.live[0].Name = "/gc/heap/live:bytes"
}

// check raises the limit when the live heap, as of the last collection, is
// over 7/8 of it.
func (m *memoryLimit) check() {
	if !m.set {
		return
	}
	metrics.Read(m.live[:])
	if m.live[0].Value.Kind() != metrics.KindUint64 {
		return
	}
	if live := int64(m.live[0].Value.Uint64()); live > m.limit/8*7 {
		m.limit = 2 * live
		debug.SetMemoryLimit(m.limit)
	}
}

func (m *memoryLimit) restore() {
	if m.set {
		debug.SetMemoryLimit(m.prev)
	}
}

func writeCheck(opts *checkOptions, files []bib.FileStat, probs []checkProblem, workspace bool, nerr int) error {
	var err error
	if opts.JSON {
		err = checkJSON(opts.IO.Out, files, probs, workspace, opts.DisplayPath)
	} else {
		err = checkText(opts, files, probs, nerr)
	}
	if err != nil {
		return err
	}
	if nerr > 0 {
		return ErrSilent
	}
	return nil
}

// checkOutput prints problems found before any file was loaded, with paths
// as the workspace's problems show them.
func checkOutput(opts *checkOptions, files []bib.FileStat, probs []checkProblem) error {
	nerr := 0
	for i := range probs {
		probs[i].File = opts.DisplayPath(probs[i].File)
		if probs[i].Severity == "error" {
			nerr++
		}
	}
	return writeCheck(opts, files, probs, true, nerr)
}

// adviseRekey completes the advice of each non-ascii-key problem of a
// workspace with the command that fixes it and an ASCII key made from
// bib.key_pattern, as import --rekey would make it.
func adviseRekey(probs []checkProblem, lib *bib.Library, opts *checkOptions) {
	var gen *citekey.Generator
	for i := range probs {
		p := &probs[i]
		if p.Code != "non-ascii-key" {
			continue
		}
		e, ok := lib.Lookup(p.Key)
		if !ok {
			continue
		}
		if gen == nil {
			pattern := citekey.DefaultPattern
			if cfg, err := opts.Config(); err == nil && cfg.Bib.KeyPattern != "" {
				pattern = cfg.Bib.KeyPattern
			}
			var err error
			if gen, err = citekey.New(pattern); err != nil {
				gen, _ = citekey.New(citekey.DefaultPattern)
			}
			gen.Learn(lib.Entries())
		}
		k := gen.Generate(e, lib.HasKeyFold)
		if bib.NonASCIIKey(k) {
			continue
		}
		p.Message += fmt.Sprintf(": papernotes rename-key %s %s (import --rekey makes such keys on import)", p.Key, k)
	}
}

// displayAt rewrites the "at FILE:LINE" of a message naming another entry
// (duplicate key, DOI, probable duplicate) with FILE as the other problems
// show it, relative to the current directory, when FILE is a bib file of the
// library.
func displayAt(msg string, shown map[string]string) string {
	i := strings.LastIndex(msg, " at ")
	if i < 0 {
		return msg
	}
	rest := msg[i+4:]
	j := strings.LastIndex(rest, ":")
	for j > 0 {
		if d, ok := shown[rest[:j]]; ok {
			return msg[:i+4] + d + rest[j:]
		}
		j = strings.LastIndex(rest[:j], ":")
	}
	return msg
}

// sortProblems orders problems by the order of the files, then line and
// column; other files (notes) come after, by name. The library's two lists
// are each sorted already, so the check for order usually spares the sort;
// file ranks are looked up once per problem, not once per comparison.
func sortProblems(files []bib.FileStat, probs []checkProblem) {
	rank := make(map[string]int, len(files))
	for i, f := range files {
		rank[f.Name] = i
	}
	ranks := make([]int, len(probs))
	for i := range probs {
		r, ok := rank[probs[i].File]
		if !ok {
			r = len(files)
		}
		ranks[i] = r
	}
	less := func(i, j int) bool {
		a, b := &probs[i], &probs[j]
		switch {
		case ranks[i] != ranks[j]:
			return ranks[i] < ranks[j]
		case a.File != b.File:
			return a.File < b.File
		case a.Line != b.Line:
			return a.Line < b.Line
		}
		return a.Col < b.Col
	}
	for i := 1; i < len(probs); i++ {
		if less(i, i-1) {
			sort.Stable(problemSorter{probs, ranks, less})
			return
		}
	}
}

// problemSorter sorts problems and their ranks together.
type problemSorter struct {
	probs []checkProblem
	ranks []int
	less  func(i, j int) bool
}

func (s problemSorter) Len() int           { return len(s.probs) }
func (s problemSorter) Less(i, j int) bool { return s.less(i, j) }
func (s problemSorter) Swap(i, j int) {
	s.probs[i], s.probs[j] = s.probs[j], s.probs[i]
	s.ranks[i], s.ranks[j] = s.ranks[j], s.ranks[i]
}

func checkText(opts *checkOptions, files []bib.FileStat, probs []checkProblem, nerr int) error {
	cs := opts.IO.Colors()
	w := bufio.NewWriterSize(opts.IO.Out, 64<<10)
	for _, p := range probs {
		sev := cs.Yellow(p.Severity)
		if p.Severity == "error" {
			sev = cs.Red(p.Severity)
		}
		pos := token.Position{Filename: textSafe(p.File), Line: p.Line, Column: p.Col}
		fmt.Fprintf(w, "%s: %s: %s\n", pos, sev, escapeControls(p.Message))
	}
	if err := w.Flush(); err != nil {
		return err
	}
	entries := 0
	for _, f := range files {
		entries += f.Entries
	}
	fmt.Fprintf(opts.IO.ErrOut, "%s, %s: %s, %s\n",
		plural(len(files), "file"), plural(entries, "entry"),
		plural(nerr, "error"), plural(len(probs)-nerr, "warning"))
	return nil
}

// checkJSON streams the result, so a large corpus never sits in memory
// twice. Problems are written by hand rather than through encoding/json's
// reflection: a big file can have tens of thousands of them.
func checkJSON(out io.Writer, files []bib.FileStat, probs []checkProblem, workspace bool, display func(string) string) error {
	w := bufio.NewWriterSize(out, 64<<10)
	buf := make([]byte, 0, 512)
	buf = append(buf, `{"files":[`...)
	for i, f := range files {
		if i > 0 {
			buf = append(buf, ",\n"...)
		}
		path := f.Name
		if workspace {
			path = display(path)
		}
		buf = append(buf, `{"path":`...)
		buf = appendJSONString(buf, path)
		buf = append(buf, `,"entries":`...)
		buf = strconv.AppendInt(buf, int64(f.Entries), 10)
		buf = append(buf, `,"strings":`...)
		buf = strconv.AppendInt(buf, int64(f.Strings), 10)
		buf = append(buf, '}')
		w.Write(buf)
		buf = buf[:0]
	}
	buf = append(buf, "],\n"+`"problems":[`...)
	lastFile, quotedFile := "", []byte(nil)
	for i := range probs {
		p := &probs[i]
		if i > 0 {
			buf = append(buf, ",\n"...)
		}
		if quotedFile == nil || p.File != lastFile {
			lastFile, quotedFile = p.File, appendJSONString(nil, p.File)
		}
		buf = append(buf, `{"file":`...)
		buf = append(buf, quotedFile...)
		buf = append(buf, `,"line":`...)
		buf = strconv.AppendInt(buf, int64(p.Line), 10)
		buf = append(buf, `,"col":`...)
		buf = strconv.AppendInt(buf, int64(p.Col), 10)
		buf = append(buf, `,"severity":`...)
		buf = appendJSONString(buf, p.Severity)
		buf = append(buf, `,"code":`...)
		buf = appendJSONString(buf, p.Code)
		buf = append(buf, `,"message":`...)
		buf = appendJSONString(buf, p.Message)
		buf = append(buf, `,"key":`...)
		buf = appendJSONString(buf, p.Key)
		buf = append(buf, '}')
		w.Write(buf)
		buf = buf[:0]
	}
	w.WriteString("]}\n")
	return w.Flush()
}

// appendJSONString appends s as a JSON string, as encoding/json writes it
// with HTML escaping off: invalid UTF-8 becomes U+FFFD, and U+2028 and
// U+2029 are escaped so the output is also valid JavaScript.
func appendJSONString(buf []byte, s string) []byte {
	const hex = "0123456789abcdef"
	buf = append(buf, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			buf = append(buf, s[start:i]...)
			switch c {
			case '"', '\\':
				buf = append(buf, '\\', c)
			case '\n':
				buf = append(buf, '\\', 'n')
			case '\r':
				buf = append(buf, '\\', 'r')
			case '\t':
				buf = append(buf, '\\', 't')
			case '\b':
				buf = append(buf, '\\', 'b')
			case '\f':
				buf = append(buf, '\\', 'f')
			default:
				buf = append(buf, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			buf = append(buf, s[start:i]...)
			buf = append(buf, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			buf = append(buf, s[start:i]...)
			buf = append(buf, '\\', 'u', '2', '0', '2', hex[r&0xf])
			i += size
			start = i
			continue
		}
		i += size
	}
	buf = append(buf, s[start:]...)
	return append(buf, '"')
}

// plural returns "1 entry", "2 entries", "0 files".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	switch {
	case len(noun) > 1 && noun[len(noun)-1] == 'y':
		noun = noun[:len(noun)-1] + "ies"
	default:
		noun += "s"
	}
	return fmt.Sprintf("%d %s", n, noun)
}

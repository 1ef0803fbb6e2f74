package latex

import (
	"bytes"
	"fmt"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf8"
)

// Citation is one cited key.
type Citation struct {
	// Key is the cite key as written, or "*" for \nocite{*} (cite everything).
	Key string
	// Pos is where the key is written (column in runes). It is the zero
	// Position for keys given on the command line.
	Pos token.Position
	// Command is the command that cited it, without backslash or star
	// ("citep", "parencites", "nocite"), "citation" for a .aux file, "bcf" for
	// a .bcf file, or "" for a key given directly.
	Command string
}

// citeCommands are the citation commands of LaTeX, natbib, biblatex, apacite
// and jurabib-style packages whose arguments are `[opt][opt]{keys}`.
var citeCommands = setOf(
	"cite", "Cite", "nocite", "citep", "Citep", "citet", "Citet", "citealp", "Citealp",
	"citealt", "Citealt", "citeauthor", "Citeauthor", "citefullauthor", "Citefullauthor",
	"citeyear", "citeyearpar", "citenum", "citetitle", "Citetitle", "citeurl", "citedate",
	"citeurldate", "citefield", "citename", "citelist",
	"parencite", "Parencite", "textcite", "Textcite", "autocite", "Autocite",
	"footcite", "Footcite", "footcitetext", "smartcite", "Smartcite", "supercite",
	"fullcite", "footfullcite", "notecite", "Notecite", "pnotecite", "Pnotecite",
	"fnotecite", "citeA", "citeNP", "citeN", "citeyearNP", "shortcite", "shortciteNP",
	"Shortcite",
)

// multiCiteCommands are biblatex's multicite commands,
// `\cites(pre)(post)[pre][post]{a}[pre][post]{b}...`.
var multiCiteCommands = setOf(
	"cites", "Cites", "parencites", "Parencites", "footcites", "footcitetexts",
	"smartcites", "Smartcites", "textcites", "Textcites", "supercites",
	"autocites", "Autocites",
)

// verbatimEnvs are environments whose body is not LaTeX: nothing in them cites.
var verbatimEnvs = setOf(
	"verbatim", "verbatim*", "Verbatim", "Verbatim*", "BVerbatim", "LVerbatim",
	"lstlisting", "minted", "comment", "filecontents", "filecontents*",
)

func setOf(names ...string) map[string]bool {
	m := make(map[string]bool, len(names))
	for _, n := range names {
		m[n] = true
	}
	return m
}

// include is one \input, \include, \subfile, \import or \subimport.
type include struct {
	path    string // as written (\import: dir and file joined)
	pos     token.Position
	command string
	// relCurrent is true for \subimport, whose path is relative to the
	// including file rather than to the main file.
	relCurrent bool
}

// ScanTeXSource finds the citations in one LaTeX source without following
// includes. filename is used only for positions. It ignores `%` comments
// (but not `\%`), verbatim environments (verbatim, Verbatim, lstlisting,
// minted, comment), \verb and keys holding `#` or `\` (the parameters of a
// \newcommand). Problems (an unclosed brace) are returned sorted; the
// citations found are valid even then.
func ScanTeXSource(filename string, src []byte) ([]Citation, ErrorList) {
	s := newTexScanner(filename, src)
	s.run()
	return s.cites, s.problems
}

// ScanTeX reads the LaTeX document at path and, recursively, the files it
// \input-s, \include-s, \subfile-s or \import-s, and returns the citations in
// reading order (an included file's citations where it is included). Paths
// are resolved as LaTeX run in the main file's directory resolves them:
// relative to that directory (\subimport: to the including file), with
// ".tex" tried first when missing. Only regular files are read, each at
// most once, so include cycles end.
//
// The error is nil, or an [ErrorList] of problems (a missing included file
// is [ErrMissingFile], an unreadable main file [ErrRead]); the citations
// returned are the ones found in spite of them.
func ScanTeX(path string) ([]Citation, error) {
	w := &texWalker{base: filepath.Dir(path), seen: map[string]bool{}}
	if err := w.file(path, token.Position{}, "main"); err != nil {
		w.problems.Add(token.Position{Filename: path}, "", err)
	}
	w.problems.Sort()
	return w.cites, w.problems.Err()
}

type texWalker struct {
	base     string
	seen     map[string]bool
	cites    []Citation
	problems ErrorList
	depth    int
}

// file scans one file and the files it includes. It returns an error only
// when the file cannot be read.
func (w *texWalker) file(path string, _ token.Position, _ string) error {
	abs, err := filepath.Abs(path)
	if err != nil {
		abs = filepath.Clean(path)
	}
	if w.seen[abs] {
		return nil
	}
	w.seen[abs] = true
	src, err := readRegular(path)
	if err != nil {
		return err
	}
	s := newTexScanner(path, src)
	s.onInclude = func(inc include) {
		w.include(path, inc)
	}
	s.onCite = func(c Citation) { w.cites = append(w.cites, c) }
	s.run()
	w.problems = append(w.problems, s.problems...)
	return nil
}

func (w *texWalker) include(from string, inc include) {
	p := inc.path
	if strings.HasPrefix(p, "|") { // \input{|"shell command"}: never run, never read
		return
	}
	if !filepath.IsAbs(p) {
		dir := w.base
		if inc.relCurrent {
			dir = filepath.Dir(from)
		}
		p = filepath.Join(dir, p)
	}
	var candidates []string
	switch {
	case strings.HasSuffix(p, ".tex"):
		candidates = []string{p}
	case inc.command == "include":
		candidates = []string{p + ".tex"}
	default:
		candidates = []string{p + ".tex", p}
	}
	for _, c := range candidates {
		if fi, err := os.Stat(c); err == nil && fi.Mode().IsRegular() {
			if w.depth >= 64 {
				w.problems.Add(inc.pos, "", fmt.Errorf("%w: includes nested more than 64 deep", ErrSyntax))
				return
			}
			w.depth++
			if err := w.file(c, inc.pos, inc.command); err != nil {
				w.problems.Add(inc.pos, "", err)
			}
			w.depth--
			return
		}
	}
	w.problems.Add(inc.pos, "", fmt.Errorf("%w: \\%s{%s} (looked for %s)", ErrMissingFile, inc.command, inc.path, strings.Join(candidates, ", ")))
}

// texScanner walks one LaTeX source byte by byte. It is not a TeX
// interpreter: it knows comments, control sequences, verbatim material and
// the argument syntax of citation and include commands, which is what
// finding citations needs.
type texScanner struct {
	src       []byte
	file      *token.File
	i         int
	cites     []Citation
	problems  ErrorList
	onCite    func(Citation)
	onInclude func(include)
}

func newTexScanner(filename string, src []byte) *texScanner {
	fset := token.NewFileSet()
	f := fset.AddFile(filename, -1, len(src))
	f.SetLinesForContent(src)
	s := &texScanner{src: src, file: f}
	s.onCite = func(c Citation) { s.cites = append(s.cites, c) }
	s.onInclude = func(include) {}
	return s
}

// pos returns the position of byte offset off with the column in runes,
// as every position papernotes prints counts them.
func (s *texScanner) pos(off int) token.Position {
	p := s.file.Position(s.file.Pos(off))
	if start := off - (p.Column - 1); p.Column > 1 && start >= 0 && off <= len(s.src) {
		p.Column = utf8.RuneCount(s.src[start:off]) + 1
	}
	return p
}

func (s *texScanner) run() {
	for s.i < len(s.src) {
		switch s.src[s.i] {
		case '%':
			s.skipComment()
		case '\\':
			s.command()
		default:
			s.i++
		}
	}
}

func (s *texScanner) skipComment() {
	if j := bytes.IndexByte(s.src[s.i:], '\n'); j >= 0 {
		s.i += j + 1
	} else {
		s.i = len(s.src)
	}
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

func (s *texScanner) command() {
	start := s.i
	s.i++ // the backslash
	if s.i >= len(s.src) {
		return
	}
	if !isLetter(s.src[s.i]) {
		s.i++ // a control symbol such as \% or \\ : never a comment or a command
		return
	}
	j := s.i
	for j < len(s.src) && isLetter(s.src[j]) {
		j++
	}
	name := string(s.src[s.i:j])
	s.i = j
	switch {
	case citeCommands[name]:
		s.cite(start, name, false)
	case multiCiteCommands[name]:
		s.cite(start, name, true)
	case name == "begin":
		s.begin()
	case name == "verb" || name == "lstinline":
		s.verb()
	case name == "input" || name == "include" || name == "subfile":
		s.include(start, name)
	case name == "import" || name == "subimport" || name == "inputfrom" || name == "subinputfrom" || name == "includefrom" || name == "subincludefrom":
		s.importCmd(start, name)
	}
}

// skipSpace skips blanks, one line end and comments, as TeX does while
// looking for the next argument; it stops at a blank line (a \par).
func (s *texScanner) skipSpace() {
	newlines := 0
	for s.i < len(s.src) {
		switch s.src[s.i] {
		case ' ', '\t', '\r':
			s.i++
		case '\n':
			if newlines == 1 {
				return
			}
			newlines++
			s.i++
		case '%':
			s.skipComment()
		default:
			return
		}
	}
}

// group returns the offsets of the content of the balanced group that
// starts at s.i with open (a '{', '[' or '('), and moves past it. Braces
// nest inside any group; `\{` and `\}` do not count. ok is false when the
// group is not closed.
func (s *texScanner) group(open, closing byte) (from, to int, ok bool) {
	from = s.i + 1
	depth := 0
	for j := from; j < len(s.src); j++ {
		switch c := s.src[j]; {
		case c == '\\':
			j++
		case c == '%':
			if k := bytes.IndexByte(s.src[j:], '\n'); k >= 0 {
				j += k
			} else {
				j = len(s.src)
			}
		case c == '{':
			depth++
		case c == '}' && depth > 0:
			depth--
		case c == closing && depth == 0:
			s.i = j + 1
			return from, j, true
		case c == '}' && open != '{':
			// a closing brace of an enclosing group ends the search: the
			// optional argument was not one.
			return from, j, false
		}
	}
	return from, len(s.src), false
}

func (s *texScanner) cite(start int, name string, multi bool) {
	if s.i < len(s.src) && s.src[s.i] == '*' {
		s.i++
	}
	if multi {
		for k := 0; k < 2; k++ {
			save := s.i
			s.skipSpace()
			if s.i < len(s.src) && s.src[s.i] == '(' {
				if _, _, ok := s.group('(', ')'); ok {
					continue
				}
			}
			s.i = save
			break
		}
	}
	for n := 0; ; n++ {
		save := s.i
		s.skipSpace()
		for k := 0; k < 2 && s.i < len(s.src) && s.src[s.i] == '['; k++ {
			if _, _, ok := s.group('[', ']'); !ok {
				break
			}
			s.skipSpace()
		}
		if s.i >= len(s.src) || s.src[s.i] != '{' {
			s.i = save
			if n == 0 {
				return // \cite with no braced argument: not something we can read
			}
			return
		}
		from, to, ok := s.group('{', '}')
		if !ok {
			s.problems.Add(s.pos(start), "", fmt.Errorf("%w: unclosed argument of \\%s", ErrSyntax, name))
			s.i = start + 1
			return
		}
		s.keys(name, from, to)
		if !multi {
			return
		}
	}
}

// keys emits the comma-separated keys in src[from:to]. Blanks around a key
// and comments inside the list are ignored.
func (s *texScanner) keys(name string, from, to int) {
	keyStart := -1
	var key []byte
	flush := func() {
		// Only trailing blanks can be in key (leading ones never start a
		// key), and only the ASCII blanks below: trimming more (as
		// TrimSpace does with \u00a0) would move the key off keyStart.
		k := strings.TrimRight(string(key), " \t\n\r\f\v")
		if k != "" && !strings.ContainsAny(k, "#\\{}") {
			s.onCite(Citation{Key: k, Pos: s.pos(keyStart), Command: name})
		}
		keyStart, key = -1, key[:0]
	}
	for j := from; j < to; j++ {
		switch c := s.src[j]; c {
		case '%':
			// A comment removes the rest of the line, its line end and
			// the next line's indentation: `a%` + "\n  b" is the key "ab".
			for j+1 < to && s.src[j+1] != '\n' {
				j++
			}
			j++
			for j+1 < to && (s.src[j+1] == ' ' || s.src[j+1] == '\t') {
				j++
			}
		case ',':
			flush()
		case ' ', '\t', '\n', '\r', '\f', '\v':
			if keyStart >= 0 {
				key = append(key, c)
			}
		default:
			if keyStart < 0 {
				keyStart = j
			}
			key = append(key, c)
		}
	}
	flush()
}

// begin skips the body of a verbatim environment.
func (s *texScanner) begin() {
	save := s.i
	s.skipSpace()
	if s.i >= len(s.src) || s.src[s.i] != '{' {
		s.i = save
		return
	}
	from, to, ok := s.group('{', '}')
	if !ok {
		s.i = save
		return
	}
	env := string(s.src[from:to])
	if !verbatimEnvs[env] {
		return
	}
	end := []byte(`\end{` + env + `}`)
	if k := bytes.Index(s.src[s.i:], end); k >= 0 {
		s.i += k + len(end)
	} else {
		s.i = len(s.src)
	}
}

// verb skips \verb|...|, \verb*|...| and \lstinline|...| or \lstinline{...}.
func (s *texScanner) verb() {
	if s.i < len(s.src) && s.src[s.i] == '*' {
		s.i++
	}
	if s.i < len(s.src) && s.src[s.i] == '[' { // \lstinline[style]
		if _, _, ok := s.group('[', ']'); !ok {
			return
		}
	}
	if s.i >= len(s.src) || isLetter(s.src[s.i]) || s.src[s.i] == ' ' || s.src[s.i] == '\n' {
		return
	}
	delim := s.src[s.i]
	if delim == '{' {
		delim = '}'
	}
	for j := s.i + 1; j < len(s.src); j++ {
		if s.src[j] == delim || s.src[j] == '\n' {
			s.i = j + 1
			return
		}
	}
	s.i = len(s.src)
}

// include reads the file argument of \input, \include and \subfile. \input
// also takes TeX's primitive form, `\input chapter1`, ended by a blank.
func (s *texScanner) include(start int, name string) {
	save := s.i
	s.skipSpace()
	if s.i < len(s.src) && s.src[s.i] == '{' {
		from, to, ok := s.group('{', '}')
		if !ok {
			s.i = save
			return
		}
		s.emitInclude(start, name, strings.TrimSpace(string(s.src[from:to])), false)
		return
	}
	if name != "input" || s.i == save {
		s.i = save
		return
	}
	j := s.i
	for j < len(s.src) && !strings.ContainsRune(" \t\r\n%{}\\", rune(s.src[j])) {
		j++
	}
	if j > s.i {
		p := string(s.src[s.i:j])
		s.i = j
		s.emitInclude(start, name, p, false)
	}
}

// importCmd reads \import{dir}{file} and its relatives from the import package.
func (s *texScanner) importCmd(start int, name string) {
	if s.i < len(s.src) && s.src[s.i] == '*' {
		s.i++
	}
	var args [2]string
	for k := range args {
		s.skipSpace()
		if s.i >= len(s.src) || s.src[s.i] != '{' {
			return
		}
		from, to, ok := s.group('{', '}')
		if !ok {
			return
		}
		args[k] = strings.TrimSpace(string(s.src[from:to]))
	}
	cmd := "input"
	if strings.Contains(name, "include") {
		cmd = "include"
	}
	s.emitInclude(start, cmd, filepath.Join(args[0], args[1]), strings.HasPrefix(name, "sub"))
}

func (s *texScanner) emitInclude(start int, name, path string, relCurrent bool) {
	if path == "" {
		return
	}
	s.onInclude(include{path: path, pos: s.pos(start), command: name, relCurrent: relCurrent})
}

// readRegular reads path only when it is a regular file, so that an \input
// or \@input naming a FIFO or a device cannot block the scan. Every failure
// wraps [ErrRead].
func readRegular(path string) ([]byte, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrRead, err)
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("%w: %s is not a regular file", ErrRead, path)
	}
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrRead, err)
	}
	return src, nil
}

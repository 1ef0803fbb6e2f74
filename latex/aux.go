package latex

import (
	"bytes"
	"fmt"
	"go/token"
	"os"
	"path/filepath"
	"strings"
)

// AuxData is what [ScanAux] found in a LaTeX .aux file and the files it
// \@input-s.
type AuxData struct {
	// Citations are the \citation keys (BibTeX) and \abx@aux@cite keys
	// (biblatex) in order; \citation{*} and \abx@aux@nociteall give "*".
	Citations []Citation
	// BibData are the names in \bibdata{...} as written (usually without .bib).
	BibData []string
}

// ScanAux reads a .aux file written by LaTeX and the .aux files it \@input-s
// (relative to its directory, each read once). The error is nil or an
// [ErrorList] (an unreadable main file is [ErrRead], a missing \@input file
// [ErrMissingFile]); what was found is returned even then.
func ScanAux(path string) (*AuxData, error) {
	a := &auxReader{dir: filepath.Dir(path), seen: map[string]bool{}, data: &AuxData{}}
	if err := a.file(path); err != nil {
		a.problems.Add(token.Position{Filename: path}, "", err)
	}
	a.problems.Sort()
	return a.data, a.problems.Err()
}

type auxReader struct {
	dir      string
	seen     map[string]bool
	data     *AuxData
	problems ErrorList
}

func (a *auxReader) file(path string) error {
	clean := filepath.Clean(path)
	if a.seen[clean] {
		return nil
	}
	a.seen[clean] = true
	src, err := readRegular(path)
	if err != nil {
		return err
	}
	fset := token.NewFileSet()
	f := fset.AddFile(path, -1, len(src))
	f.SetLinesForContent(src)
	pos := func(off int) token.Position { return f.Position(f.Pos(off)) }

	// .aux files are written by LaTeX one command per line, so a line scan
	// is exact; arguments are balanced brace groups.
	off := 0
	for off < len(src) {
		end := bytes.IndexByte(src[off:], '\n')
		if end < 0 {
			end = len(src)
		} else {
			end += off
		}
		line := src[off:end]
		switch {
		case bytes.HasPrefix(line, []byte(`\citation{`)):
			a.keys(line, off, len(`\citation`), "citation", pos)
		case bytes.HasPrefix(line, []byte(`\abx@aux@cite{`)):
			// biblatex >= 3.13 writes \abx@aux@cite{refsection}{key}; older
			// versions \abx@aux@cite{key}.
			if args := braceArgs(line, len(`\abx@aux@cite`)); len(args) > 0 {
				a.keys(line, off, args[len(args)-1][0]-1, "citation", pos)
			}
		case bytes.HasPrefix(line, []byte(`\abx@aux@nociteall`)):
			a.data.Citations = append(a.data.Citations, Citation{Key: "*", Pos: pos(off), Command: "citation"})
		case bytes.HasPrefix(line, []byte(`\bibdata{`)):
			if args := braceArgs(line, len(`\bibdata`)); len(args) > 0 {
				for _, name := range strings.Split(string(line[args[0][0]:args[0][1]]), ",") {
					if name = strings.TrimSpace(name); name != "" {
						a.data.BibData = append(a.data.BibData, name)
					}
				}
			}
		case bytes.HasPrefix(line, []byte(`\@input{`)):
			args := braceArgs(line, len(`\@input`))
			if len(args) == 0 {
				break
			}
			name := string(line[args[0][0]:args[0][1]])
			p := name
			if !filepath.IsAbs(p) {
				p = filepath.Join(a.dir, p)
			}
			if _, err := os.Stat(p); err != nil {
				// LaTeX itself tolerates a missing \@input file (a chapter
				// not compiled yet under \includeonly).
				a.problems.Add(pos(off), "", fmt.Errorf("%w: \\@input{%s}", ErrMissingFile, name))
				break
			}
			if err := a.file(p); err != nil {
				a.problems.Add(pos(off), "", err)
			}
		}
		off = end + 1
	}
	return nil
}

// keys adds the comma-separated keys of the brace group at line[at:].
func (a *auxReader) keys(line []byte, lineOff, at int, cmd string, pos func(int) token.Position) {
	args := braceArgs(line, at)
	if len(args) == 0 {
		return
	}
	from, to := args[0][0], args[0][1]
	for from <= to {
		k := bytes.IndexByte(line[from:to], ',')
		if k < 0 {
			k = to - from
		}
		raw := line[from : from+k]
		key := strings.TrimSpace(string(raw))
		if key != "" {
			lead := len(raw) - len(bytes.TrimLeft(raw, " \t"))
			a.data.Citations = append(a.data.Citations, Citation{Key: key, Pos: pos(lineOff + from + lead), Command: cmd})
		}
		from += k + 1
	}
}

// braceArgs returns the [from,to) content offsets of the consecutive brace
// groups starting at line[at:].
func braceArgs(line []byte, at int) [][2]int {
	var out [][2]int
	for at < len(line) && line[at] == '{' {
		depth := 0
		j := at
		for ; j < len(line); j++ {
			if line[j] == '{' {
				depth++
			} else if line[j] == '}' {
				depth--
				if depth == 0 {
					break
				}
			}
		}
		if j >= len(line) {
			break
		}
		out = append(out, [2]int{at + 1, j})
		at = j + 1
	}
	return out
}

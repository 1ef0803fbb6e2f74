package guard

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/papernotes/papernotes/internal/safefile"
)

// ErrSource is wrapped by every [*Conflict]: the output is a source.
var ErrSource = errors.New("output would overwrite a source")

// Set is a list of protected files and folders. Its zero value protects
// nothing. A Set is not safe for concurrent use while it is being filled.
type Set struct {
	items []item
}

type item struct {
	path string
	dir  bool
	// ext limits a folder to the files with this extension (any case);
	// "" means every file in it.
	ext string
	// what names the source ("a note"); harm says what writing an existing
	// one destroys. where names a folder ("the notes folder") and added
	// says what a new file in it would do ("" when a new file is harmless).
	what, harm, where, added string
}

// File protects the file at path (absolute). what names it for the user
// ("one of this command's inputs"), harm says what overwriting it destroys.
// A path that does not exist protects nothing.
func (s *Set) File(path, what, harm string) {
	s.items = append(s.items, item{path: path, what: what, harm: harm})
}

// Dir protects the files with extension ext ("" for all) anywhere below the
// folder dir (absolute): what and harm as for [Set.File]. where names the
// folder, and added, when not empty, says what a new file there would do
// (a new .bib in a library folder adds its entries to the library) and
// makes such a new file a conflict too.
func (s *Set) Dir(dir, ext, what, harm, where, added string) {
	s.items = append(s.items, item{path: dir, dir: true, ext: ext, what: what, harm: harm, where: where, added: added})
}

// Conflict is the error for an output that is a source.
type Conflict struct {
	// Output is the output path as the caller gave it to [Set.Check].
	Output string
	// What says what the output is ("a note", "in the notes folder"), Harm
	// what writing it would do.
	What, Harm string
}

// Error says which output, what it is and what writing it would do.
func (c *Conflict) Error() string {
	return fmt.Sprintf("%s is %s: writing it would %s", c.Output, c.What, c.Harm)
}

var _ error = (*Conflict)(nil)

// Unwrap returns [ErrSource].
func (c *Conflict) Unwrap() error { return ErrSource }

// Check returns a [*Conflict] when writing out would overwrite a protected
// file, or create a file in a protected folder that says what a new file
// does, and nil otherwise. out is compared by identity: symbolic links are
// followed (a write goes through them, see [safefile.Resolve]), and the
// folders above it are compared with os.SameFile, so another spelling of a
// path (a different case where the file system ignores it, a linked
// folder) is caught. out must be absolute; display is how the conflict
// names it.
func (s *Set) Check(out, display string) error {
	real := realPath(out)
	outInfo, err := os.Stat(real)
	exists := err == nil
	var ancestors []fs.FileInfo
	for d := filepath.Dir(real); ; d = filepath.Dir(d) {
		if fi, err := os.Stat(d); err == nil {
			ancestors = append(ancestors, fi)
		}
		if filepath.Dir(d) == d {
			break
		}
	}
	for _, it := range s.items {
		fi, err := os.Stat(it.path)
		if err != nil {
			continue
		}
		if !it.dir {
			if exists && os.SameFile(fi, outInfo) {
				return &Conflict{Output: display, What: it.what, Harm: it.harm}
			}
			continue
		}
		if it.ext != "" && !strings.EqualFold(filepath.Ext(real), it.ext) {
			continue
		}
		if exists && outInfo.IsDir() {
			continue
		}
		inside := false
		for _, a := range ancestors {
			if os.SameFile(fi, a) {
				inside = true
				break
			}
		}
		switch {
		case !inside:
		case exists:
			return &Conflict{Output: display, What: it.what, Harm: it.harm}
		case it.added != "":
			return &Conflict{Output: display, What: "in " + it.where, Harm: it.added}
		}
	}
	return nil
}

// Inside reports whether path (absolute) is dir or lies below it, by
// identity as in [Set.Check].
func Inside(path, dir string) bool {
	di, err := os.Stat(dir)
	if err != nil {
		return false
	}
	for d := realPath(path); ; d = filepath.Dir(d) {
		if fi, err := os.Stat(d); err == nil && os.SameFile(fi, di) {
			return true
		}
		if filepath.Dir(d) == d {
			return false
		}
	}
}

// realPath returns the file a write to path changes, with every symbolic
// link on the way resolved: the links of the name itself ([safefile.Resolve],
// which follows a dangling one too), then those of the longest existing
// folder above it, so that the folders above the result are the ones the
// file really lies in.
func realPath(path string) string {
	p, err := safefile.Resolve(path)
	if err != nil {
		p = path
	}
	p = filepath.Clean(p)
	rest := ""
	for {
		if r, err := filepath.EvalSymlinks(p); err == nil {
			return filepath.Join(r, rest)
		}
		parent := filepath.Dir(p)
		if parent == p {
			return filepath.Join(p, rest)
		}
		rest = filepath.Join(filepath.Base(p), rest)
		p = parent
	}
}

package notes

import (
	"errors"
	"fmt"
	"go/token"
	"io/fs"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
)

// LoadDir parses every "*.md" file under dir (recursively, skipping hidden
// files and folders) using all cores, and returns the notes sorted by path
// with every problem found, sorted. A file that cannot be read yields an
// [ErrIO] problem and no note; a note with problems is still returned.
// A missing dir yields no notes and one problem.
//
// A file that is a symbolic link is read only when it resolves inside dir
// or opts.Root (both resolved: dir itself may be a link); otherwise it is
// an [ErrOutside] problem. A FIFO, device or socket named *.md is an
// [ErrNotRegular] problem: it is never opened for a blocking read.
func LoadDir(dir string, opts Options) ([]*Note, ErrorList) {
	var paths []string
	var errs ErrorList
	confine := NewConfine(dir, opts.Root)
	root := WalkRoot(dir)
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			errs.Add(token.Position{Filename: path}, fmt.Errorf("%w: %v", ErrIO, err))
			if d != nil && d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		name := d.Name()
		if path != root && strings.HasPrefix(name, ".") {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if !d.IsDir() && strings.HasSuffix(name, ".md") {
			if d.Type()&fs.ModeSymlink != 0 {
				if err := confine.Check(path); err != nil {
					errs.Add(token.Position{Filename: path}, fileError(path, err))
					return nil
				}
			}
			paths = append(paths, path)
		}
		return nil
	})
	if err != nil {
		errs.Add(token.Position{Filename: dir}, fmt.Errorf("%w: %v", ErrIO, err))
	}
	slices.Sort(paths)

	notes := make([]*Note, len(paths))
	perFile := make([]ErrorList, len(paths))
	var wg sync.WaitGroup
	next := make(chan int)
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				src, err := ReadFile(paths[i])
				if err != nil {
					perFile[i].Add(token.Position{Filename: paths[i]}, fileError(paths[i], err))
					continue
				}
				n, err := Parse(paths[i], src, opts)
				notes[i] = n
				var list ErrorList
				if errors.As(err, &list) {
					perFile[i] = list
				}
			}
		}()
	}
	for i := range paths {
		next <- i
	}
	close(next)
	wg.Wait()

	out := notes[:0]
	for i, n := range notes {
		errs = append(errs, perFile[i]...)
		if n != nil {
			out = append(out, n)
		}
	}
	errs.Sort()
	return out, errs
}

// fileError is the problem for a note file that cannot be used: the
// sentinel alone when the file is skipped on purpose (the position names
// the file), else [ErrIO] with the file system's words.
func fileError(path string, err error) error {
	for _, sentinel := range []error{ErrOutside, ErrNotRegular} {
		if errors.Is(err, sentinel) {
			return sentinel
		}
	}
	return fmt.Errorf("%w: %v", ErrIO, err)
}

// CitedBy returns, for each cited key, the keys of the notes citing it,
// sorted and without repeats. Notes without a key are skipped, and a note
// citing itself is not its own backlink.
func CitedBy(notes []*Note) map[string][]string {
	out := map[string][]string{}
	for _, n := range notes {
		if n == nil || n.Key == "" {
			continue
		}
		for _, c := range n.Cites {
			if c.Key != n.Key {
				out[c.Key] = append(out[c.Key], n.Key)
			}
		}
	}
	for k, v := range out {
		slices.Sort(v)
		out[k] = slices.Compact(v)
	}
	return out
}

// CheckOptions configures [Check].
type CheckOptions struct {
	// Resolver says which keys the library has. Nil skips the checks of note
	// keys and citations against the library.
	Resolver CiteResolver
	// Required lists section ids every note must fill.
	Required []string
}

// Check reports the problems of a set of notes that need more than one file
// or a library to see: a note key not in the library ([ErrUnknownKey]),
// citations of unknown keys ([ErrUnknownCite], at the key's file:line:col),
// required sections missing or empty ([ErrEmptySection]) and two notes
// claiming one key ([ErrDuplicateNote], reported on every note after the
// first by path, naming the first relative to the second's folder), and a
// read date without status read or the reverse ([ErrReadStatus]). The
// result is sorted.
func Check(notes []*Note, opts CheckOptions) ErrorList {
	var errs ErrorList
	first := map[string]*Note{}
	for _, n := range notes {
		if n == nil {
			continue
		}
		if n.Key != "" {
			if prev, dup := first[n.Key]; dup {
				other := prev.Path
				if rel, err := filepath.Rel(filepath.Dir(n.Path), prev.Path); err == nil {
					other = rel
				}
				errs.Add(n.KeyPos, fmt.Errorf("%w: %q is also the key of %s", ErrDuplicateNote, n.Key, other))
			} else {
				first[n.Key] = n
			}
			if opts.Resolver != nil {
				if _, ok := opts.Resolver.CiteTitle(n.Key); !ok {
					errs.Add(n.KeyPos, fmt.Errorf("%w: %q", ErrUnknownKey, n.Key))
				}
			}
		}
		if opts.Resolver != nil {
			for _, c := range n.Cites {
				if _, ok := opts.Resolver.CiteTitle(c.Key); !ok {
					errs.Add(c.Pos, fmt.Errorf("%w: %q", ErrUnknownCite, c.Key))
				}
			}
		}
		switch st := n.Meta.Status; {
		case st == "read" && n.Meta.Read.IsZero():
			errs.Add(frontMatterPos(n, "status"), fmt.Errorf("%w: status read but no read: date, so the paper is in no weekly report (papernotes status %s read --date DATE)", ErrReadStatus, n.Key))
		case st == "toread" && !n.Meta.Read.IsZero():
			errs.Add(frontMatterPos(n, "read"), fmt.Errorf("%w: read: %s but status %s; the report leaves it out (papernotes status %s read, or remove read:)", ErrReadStatus, n.Meta.Read.Format("2006-01-02"), st, n.Key))
		}
		for _, id := range opts.Required {
			s, ok := n.Section(id)
			switch {
			case !ok:
				errs.Add(token.Position{Filename: n.Path, Line: n.BodyLine}, fmt.Errorf("%w: no %q section", ErrEmptySection, id))
			case strings.TrimSpace(s.Text) == "":
				errs.Add(token.Position{Filename: n.Path, Line: s.Line, Column: 1}, fmt.Errorf("%w: %q (%s) is empty", ErrEmptySection, id, s.Heading))
			}
		}
	}
	errs.Sort()
	return errs
}

// frontMatterPos is the position of the top-level front-matter field name
// in n (column 1 of its line), or of the key when the field is absent.
func frontMatterPos(n *Note, name string) token.Position {
	line := 1
	src := n.Source[:min(n.BodyOffset, len(n.Source))]
	for len(src) > 0 {
		l, rest, _ := cutLine(src)
		if v, ok := strings.CutPrefix(string(l), name); ok && strings.HasPrefix(strings.TrimLeft(v, " "), ":") {
			return token.Position{Filename: n.Path, Line: line, Column: 1}
		}
		src = rest
		line++
	}
	return n.KeyPos
}

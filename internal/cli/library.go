package cli

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/papernotes/papernotes/bib"
	"github.com/papernotes/papernotes/catalog"
	"github.com/papernotes/papernotes/notes"
)

// *bib.Library resolves citations for notes; internal/cli joins the two
// packages, which never import each other.
var _ notes.CiteResolver = (*bib.Library)(nil)

// loadLibrary reads the .bib files at paths: a folder stands for every *.bib
// file under it, in lexical order, skipping hidden folders (as bib.LoadDir
// does). Files are read on all cores. A path that does not exist becomes a
// problem of the library (bib.ErrIO), so that `check` reports it.
//
// loadLibrary loads it whole; Factory.loadKeeping keeps of a large one only
// some entries.
func loadLibrary(paths []string) (*bib.Library, error) {
	files, err := bibFiles(paths)
	if err != nil {
		return nil, err
	}
	return bib.Load(files, bib.LoadOptions{}), nil
}

// bibFiles returns paths with each folder replaced by the .bib files under
// it, in lexical order (hidden folders skipped).
func bibFiles(paths []string) ([]string, error) {
	var files []string
	for _, p := range paths {
		fi, err := os.Stat(p)
		if err != nil || !fi.IsDir() {
			files = append(files, p)
			continue
		}
		var found []string
		err = filepath.WalkDir(p, func(q string, d fs.DirEntry, err error) error {
			switch {
			case err != nil:
				found = append(found, q) // bib.Load reports it as unreadable
				if d != nil && d.IsDir() {
					return fs.SkipDir
				}
			case d.IsDir():
				if q != p && strings.HasPrefix(d.Name(), ".") {
					return fs.SkipDir
				}
			case strings.EqualFold(filepath.Ext(q), ".bib"):
				found = append(found, q)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
		sort.Strings(found)
		files = append(files, found...)
	}
	return files, nil
}

// warnUnread prints a warning to w for each bib file of lib that could not
// be read ([bib.ErrIO]: missing, a folder, no permission, ...), with its
// path and the cause, and for each file in a bib.paths folder that is not
// read because its name does not end in .bib (refs.bibtex). Without it a
// command would show an empty library, or say a key is not in it, without
// saying why. `check` reports the unreadable files as problems instead.
//
// The library file import creates (bib.default, or --to) and its folder are
// not warned about when they do not exist yet: nothing was imported.
func warnUnread(w io.Writer, lib *bib.Library, paths []string, display func(string) string, created ...string) {
	for _, p := range lib.Problems() {
		if notYetCreated(p.Pos.Filename, p, created) {
			continue
		}
		if errors.Is(p, bib.ErrIO) {
			warnUnreadFile(w, display(p.Pos.Filename), p.Err)
		}
	}
	warnMisnamed(w, paths, display)
}

func warnUnreadFile(w io.Writer, path string, err error) {
	fmt.Fprintf(w, "warning: %s: %v (bib.paths; every command reads the library without it)\n", path, err)
}

// warnBibPaths is warnUnread for commands that do not load the library
// (search reads the bib files through its index): it only checks that each
// path of bib.paths exists, and looks for misnamed files.
func warnBibPaths(w io.Writer, paths []string, display func(string) string, created ...string) {
	for _, p := range paths {
		if _, err := os.Stat(p); err != nil && !notYetCreated(p, err, created) {
			warnUnreadFile(w, display(p), fmt.Errorf("%w: %w", bib.ErrIO, unwrapPathErr(err)))
		}
	}
	warnMisnamed(w, paths, display)
}

// notYetCreated reports whether err says that path does not exist and path
// is one of created or the folder of one.
func notYetCreated(path string, err error, created []string) bool {
	if !errors.Is(err, fs.ErrNotExist) {
		return false
	}
	for _, c := range created {
		if c != "" && (path == c || path == filepath.Dir(c)) {
			return true
		}
	}
	return false
}

// unwrapPathErr drops the path from an *fs.PathError, which the message
// already names.
func unwrapPathErr(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// warnMisnamed warns about each file of a bib.paths folder that is skipped
// for its name (see misnamedBib).
func warnMisnamed(w io.Writer, paths []string, display func(string) string) {
	for _, dir := range paths {
		if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
			continue
		}
		filepath.WalkDir(dir, func(q string, d fs.DirEntry, err error) error {
			switch {
			case err != nil:
				return nil
			case d.IsDir():
				if q != dir && strings.HasPrefix(d.Name(), ".") {
					return fs.SkipDir
				}
			case misnamedBib(d.Name()):
				fmt.Fprintf(w, "warning: %s is not read: only *.bib files of a bib.paths folder are (rename it to end in .bib)\n", display(q))
			}
			return nil
		})
	}
}

// misnamedBib reports whether a file name looks like BibTeX that a folder
// of bib.paths skips: refs.bibtex, refs.biblatex, refs.bib.txt.
func misnamedBib(name string) bool {
	n := strings.ToLower(name)
	if strings.HasPrefix(n, ".") {
		return false
	}
	for _, ext := range []string{".bibtex", ".bibtext", ".biblatex", ".bib.txt"} {
		if strings.HasSuffix(n, ext) {
			return true
		}
	}
	return false
}

// entryAuthors returns the authors, or else the editors, as display names.
func entryAuthors(e *bib.Entry) []string { return catalog.Authors(e) }

package cli

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"

	"github.com/papernotes/papernotes/notes"
)

// confinedFS is the report templates folder as an fs.FS that a shared
// workspace cannot use to leak or hang: a template that is a link leading
// outside the folder and the workspace, or that is not a regular file (a
// FIFO), is skipped with a warning on warn and reads as missing, so the
// built-in template is used.
type confinedFS struct {
	dir, root string
	warn      io.Writer
}

var _ fs.FS = confinedFS{}

// Open implements fs.FS.
func (c confinedFS) Open(name string) (fs.File, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrInvalid}
	}
	path := filepath.Join(c.dir, filepath.FromSlash(name))
	skip := func(err error) (fs.File, error) {
		fmt.Fprintf(c.warn, "warning: %v\n", err)
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	if err := notes.NewConfine(c.dir, c.root).Check(path); errors.Is(err, notes.ErrOutside) {
		return skip(err)
	}
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, err
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	if !fi.Mode().IsRegular() && !fi.IsDir() {
		f.Close()
		return skip(fmt.Errorf("%s: %w", path, notes.ErrNotRegular))
	}
	return f, nil
}

// imageCheck returns the check of the images a .tex file in dir includes:
// an existing image that resolves (through links) outside the workspace
// is refused, so a shared workspace cannot pull a private file into the
// PDF through a link named figs/x.pdf.
func imageCheck(dir, workspace string) func(string) error {
	confine := notes.NewConfine(workspace)
	return func(file string) error {
		p := filepath.Join(dir, filepath.FromSlash(file))
		if _, err := os.Lstat(p); err != nil {
			return nil // nothing there to leak; TeX will say it is missing
		}
		if err := confine.Check(p); err != nil {
			return errors.New("it links outside the workspace")
		}
		return nil
	}
}

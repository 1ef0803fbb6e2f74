package notes

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
)

var (
	// ErrOutside marks a file inside a workspace folder (notes/, journal/,
	// the templates) that is a symbolic link leading out of that folder and
	// the workspace: it is skipped, so that a shared workspace cannot make
	// papernotes index, show or copy a file such as /etc/passwd.
	ErrOutside = errors.New("links outside the folder and the workspace; skipped")
	// ErrNotRegular marks a path that is not a regular file (a FIFO, a
	// device, a socket): reading it could block forever or never end.
	ErrNotRegular = errors.New("not a regular file; skipped")
)

// ReadFile reads the whole file at path, following links, and fails with
// [ErrNotRegular] instead of blocking when it is a FIFO, a device or
// anything else that is not a regular file. It is safe for concurrent use.
func ReadFile(path string) ([]byte, error) {
	// O_NONBLOCK keeps the open itself from waiting for a FIFO's writer;
	// the check after it keeps the read from waiting.
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("%s: %w", path, ErrNotRegular)
	}
	return io.ReadAll(f)
}

// Confine says which files a folder's links may lead to: a file that is a
// link is kept only when it resolves inside one of Roots. Roots are
// resolved themselves (a configured folder may be a link). The zero value
// confines nothing.
type Confine struct {
	roots []string
}

// NewConfine returns a [Confine] to the given folders (typically the
// configured folder and the workspace); folders that cannot be resolved
// (missing) are left out. Empty strings are ignored.
func NewConfine(roots ...string) Confine {
	var c Confine
	for _, r := range roots {
		if r == "" {
			continue
		}
		if real, err := filepath.EvalSymlinks(r); err == nil {
			if abs, err := filepath.Abs(real); err == nil {
				c.roots = append(c.roots, abs)
			}
		}
	}
	return c
}

// Check returns nil when path, with its links resolved, is inside one of
// c's roots (or c confines nothing), else an error wrapping [ErrOutside]
// that names path. A dangling link is an error from the file system.
func (c Confine) Check(path string) error {
	if len(c.roots) == 0 {
		return nil
	}
	real, err := filepath.EvalSymlinks(path)
	if err != nil {
		return err
	}
	if real, err = filepath.Abs(real); err != nil {
		return err
	}
	for _, r := range c.roots {
		if real == r || strings.HasPrefix(real, r+string(filepath.Separator)) || r == string(filepath.Separator) {
			return nil
		}
	}
	return fmt.Errorf("%s: %w", path, ErrOutside)
}

// WalkRoot returns dir to give filepath.WalkDir so that a folder that is a
// symbolic link (a configured notes folder may be one) is walked: WalkDir
// does not follow a link at its root, but a trailing separator does.
func WalkRoot(dir string) string {
	if fi, err := os.Lstat(dir); err == nil && fi.Mode()&fs.ModeSymlink != 0 {
		return dir + string(filepath.Separator)
	}
	return dir
}

package safefile

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// ErrExists is returned by [CreateNew] when the target already exists.
var ErrExists = fs.ErrExist

// ErrOutside is returned by [Within] when a path would leave its root.
var ErrOutside = errors.New("path leaves the workspace")

// ErrNotRegular is returned when a path that is read or written is not a
// regular file: a FIFO, a device, a socket or a folder. Reading one could
// hang (a FIFO) or never end (/dev/zero).
var ErrNotRegular = errors.New("not a regular file")

// ErrHardLink is returned when a file to be replaced has more than one hard
// link: an atomic rename would give this name a new file and leave the
// other names with the old one, splitting the file in two.
var ErrHardLink = errors.New("file has several hard links; an atomic replace would split them (use a symbolic link instead)")

// LinkError is the error for a file that is not replaced because it has
// several hard links. It wraps [ErrHardLink]; callers that print it for a
// user take Path and Links from it to say which file and what to do.
type LinkError struct {
	// Path is the file (after following symbolic links).
	Path string
	// Links is its number of hard links.
	Links uint64
}

// Error names the file, its link count and [ErrHardLink]'s reason.
func (e *LinkError) Error() string {
	return fmt.Sprintf("%s: %d hard links: %v", e.Path, e.Links, ErrHardLink)
}

var _ error = (*LinkError)(nil)

// Unwrap returns [ErrHardLink].
func (e *LinkError) Unwrap() error { return ErrHardLink }

// Resolve returns the file that a write to path changes: path itself, or,
// when path is a symbolic link (or a chain of them), the file the link
// finally names, even when that file does not exist yet. Writes go through
// links, so that a linked library file gets the entry and stays a link.
func Resolve(path string) (string, error) {
	for hops := 0; ; hops++ {
		fi, err := os.Lstat(path)
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return path, nil
			}
			return "", err
		}
		if fi.Mode()&fs.ModeSymlink == 0 {
			return path, nil
		}
		if hops == 40 {
			return "", fmt.Errorf("%s: too many levels of symbolic links", path)
		}
		dest, err := os.Readlink(path)
		if err != nil {
			return "", err
		}
		if !filepath.IsAbs(dest) {
			dest = filepath.Join(filepath.Dir(path), dest)
		}
		path = dest
	}
}

// checkReplaceable reports whether the existing file at target (already
// resolved) may be replaced by a rename, and returns its mode.
func checkReplaceable(target string, perm fs.FileMode) (fs.FileMode, error) {
	fi, err := os.Stat(target)
	if errors.Is(err, fs.ErrNotExist) {
		return perm, nil
	}
	if err != nil {
		return 0, err
	}
	if !fi.Mode().IsRegular() {
		return 0, fmt.Errorf("%s: %w", target, ErrNotRegular)
	}
	if n := linkCount(fi); n > 1 {
		return 0, &LinkError{Path: target, Links: n}
	}
	return fi.Mode().Perm(), nil
}

// ReadRegular reads the whole file at path, following links, and fails with
// [ErrNotRegular] instead of blocking when it is a FIFO, a device or
// anything else that is not a regular file.
func ReadRegular(path string) ([]byte, error) {
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
	buf := make([]byte, 0, fi.Size()+1)
	for {
		n, err := f.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return nil, err
		}
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
	}
}

// WriteFile atomically replaces path with data, through symbolic links
// ([Resolve]). The file's mode is perm, or the existing file's mode when
// path already exists. An existing target that is not a regular file, or
// that has several hard links, is refused.
func WriteFile(path string, data []byte, perm fs.FileMode) error {
	target, err := Resolve(path)
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	perm, err = checkReplaceable(target, perm)
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	tmp, err := writeTemp(target, data, perm)
	if err != nil {
		return err
	}
	if err := os.Rename(tmp, target); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("replace %s: %w", path, err)
	}
	return syncDir(filepath.Dir(target))
}

// Update replaces the file at path with change's result: it reads the
// current bytes (nil and exists=false when there is no file), calls change,
// and writes what it returns atomically, through links, as [WriteFile]
// does. change returning an error, or the same slice it was given unchanged
// in length and content, writes nothing. Callers hold the workspace lock
// ([LockWorkspace]) around Update, so that the bytes change sees are the
// latest ones.
func Update(path string, perm fs.FileMode, change func(old []byte, exists bool) ([]byte, error)) error {
	target, err := Resolve(path)
	if err != nil {
		return fmt.Errorf("update %s: %w", path, err)
	}
	old, err := ReadRegular(target)
	exists := err == nil
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("update %s: %w", path, err)
	}
	data, err := change(old, exists)
	if err != nil {
		return err
	}
	if exists && bytes.Equal(data, old) {
		return nil
	}
	return WriteFile(target, data, perm)
}

// CreateNew atomically creates path with data, and fails with an error
// wrapping [ErrExists] when path already exists (a symbolic link, even a
// dangling one, exists): it never overwrites.
func CreateNew(path string, data []byte, perm fs.FileMode) error {
	tmp, err := writeTemp(path, data, perm)
	if err != nil {
		return err
	}
	defer os.Remove(tmp)
	// os.Link fails when the target exists, which makes the check and the
	// creation one atomic step, unlike Stat followed by Rename.
	if err := os.Link(tmp, path); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return fmt.Errorf("create %s: %w", path, ErrExists)
		}
		// Some file systems have no hard links; fall back to O_EXCL.
		f, err2 := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm)
		if err2 != nil {
			return fmt.Errorf("create %s: %w", path, err2)
		}
		if _, err := f.Write(data); err != nil {
			f.Close()
			os.Remove(path)
			return fmt.Errorf("write %s: %w", path, err)
		}
		if err := f.Close(); err != nil {
			return fmt.Errorf("write %s: %w", path, err)
		}
	}
	return syncDir(filepath.Dir(path))
}

// Append atomically appends data to path, creating it when absent, through
// links. The existing bytes are copied unchanged: the new file is the old
// bytes followed by data. Callers hold the workspace lock.
func Append(path string, data []byte, perm fs.FileMode) error {
	err := Update(path, perm, func(old []byte, _ bool) ([]byte, error) {
		buf := make([]byte, 0, len(old)+len(data))
		return append(append(buf, old...), data...), nil
	})
	if err != nil {
		return fmt.Errorf("append to %s: %w", path, err)
	}
	return nil
}

// tempMarker is in the name of every temporary file, followed by the
// writer's pid, so that the next writer can tell a dead writer's leftover
// from a live one's file.
const tempMarker = ".tmp-papernotes-"

func writeTemp(path string, data []byte, perm fs.FileMode) (string, error) {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("create directory %s: %w", dir, err)
	}
	base := filepath.Base(path)
	removeStale(dir, base)
	f, err := os.CreateTemp(dir, "."+base+tempMarker+strconv.Itoa(os.Getpid())+"-*")
	if err != nil {
		return "", fmt.Errorf("write %s: %w", path, err)
	}
	name := f.Name()
	fail := func(err error) (string, error) {
		f.Close()
		os.Remove(name)
		return "", fmt.Errorf("write %s: %w", path, err)
	}
	if _, err := f.Write(data); err != nil {
		return fail(err)
	}
	if err := f.Chmod(perm); err != nil {
		return fail(err)
	}
	if err := f.Sync(); err != nil {
		return fail(err)
	}
	if err := f.Close(); err != nil {
		os.Remove(name)
		return "", fmt.Errorf("write %s: %w", path, err)
	}
	return name, nil
}

// removeStale deletes the temporary files of base in dir whose writer is
// gone: a process killed between writing its temporary file and renaming it
// (an interrupted import of a 30 MB library) would otherwise leave it
// forever. A file of ours names its writer's pid; it is stale when that
// process no longer exists, or when it is a day old (the pid may have been
// reused). Files of the older naming ".NAME.tmpDIGITS" are stale after ten
// minutes. Best effort: errors are ignored.
func removeStale(dir, base string) {
	names, err := filepath.Glob(filepath.Join(dir, "."+globEscape(base)+".tmp*"))
	if err != nil {
		return
	}
	now := time.Now()
	for _, name := range names {
		fi, err := os.Lstat(name)
		if err != nil || !fi.Mode().IsRegular() {
			continue
		}
		rest := strings.TrimPrefix(filepath.Base(name), "."+base)
		age := now.Sub(fi.ModTime())
		stale := false
		if pidText, ok := strings.CutPrefix(rest, tempMarker); ok {
			pidText, _, _ = strings.Cut(pidText, "-")
			pid, err := strconv.Atoi(pidText)
			stale = err == nil && (!processAlive(pid) || age > 24*time.Hour)
		} else if digits, ok := strings.CutPrefix(rest, ".tmp"); ok && digits != "" && strings.Trim(digits, "0123456789") == "" {
			stale = age > 10*time.Minute
		}
		if stale {
			os.Remove(name)
		}
	}
}

func globEscape(s string) string {
	r := strings.NewReplacer(`\`, `\\`, "*", `\*`, "?", `\?`, "[", `\[`)
	return r.Replace(s)
}

// processAlive reports whether a process with this pid exists (signal 0
// checks without sending anything; EPERM means it exists as another user).
func processAlive(pid int) bool {
	if pid <= 0 {
		return false
	}
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}

func linkCount(fi fs.FileInfo) uint64 {
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		return uint64(st.Nlink)
	}
	return 1
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return nil // the rename happened; a directory we cannot open cannot be synced
	}
	defer d.Close()
	_ = d.Sync() // not every file system supports syncing a directory
	return nil
}

// Within joins root and rel and returns the result only when it stays inside
// root, lexically (no ".." escape, no absolute rel). It does not follow
// symbolic links.
func Within(root, rel string) (string, error) {
	if filepath.IsAbs(rel) || strings.HasPrefix(rel, "/") || strings.HasPrefix(rel, `\`) {
		return "", fmt.Errorf("%q: %w", rel, ErrOutside)
	}
	p := filepath.Join(root, rel)
	r, err := filepath.Rel(filepath.Clean(root), p)
	if err != nil || r == ".." || strings.HasPrefix(r, ".."+string(filepath.Separator)) {
		return "", fmt.Errorf("%q: %w", rel, ErrOutside)
	}
	return p, nil
}

package safefile

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// ErrExists is returned by [CreateNew] when the target already exists.
var ErrExists = fs.ErrExist

// ErrOutside is returned by [Within] when a path would leave its root.
var ErrOutside = errors.New("path leaves the workspace")

// WriteFile atomically replaces path with data. The file's mode is perm, or
// the existing file's mode when path already exists.
func WriteFile(path string, data []byte, perm fs.FileMode) error {
	if fi, err := os.Stat(path); err == nil {
		perm = fi.Mode().Perm()
	}
	tmp, err := writeTemp(path, data, perm)
	if err != nil {
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("replace %s: %w", path, err)
	}
	return syncDir(filepath.Dir(path))
}

// CreateNew atomically creates path with data, and fails with an error
// wrapping [ErrExists] when path already exists: it never overwrites.
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

// Append atomically appends data to path, creating it when absent. The
// existing bytes are copied unchanged: the new file is the old bytes followed
// by data.
func Append(path string, data []byte, perm fs.FileMode) error {
	old, err := os.ReadFile(path)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("append to %s: %w", path, err)
	}
	buf := make([]byte, 0, len(old)+len(data))
	buf = append(append(buf, old...), data...)
	return WriteFile(path, buf, perm)
}

func writeTemp(path string, data []byte, perm fs.FileMode) (string, error) {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("create directory %s: %w", dir, err)
	}
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp*")
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

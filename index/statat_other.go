//go:build !(linux && amd64)

package index

import (
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// openDirFD returns -1: without fstatat, [statAt] stats full paths.
func openDirFD(string) (int, error) { return -1, nil }

func closeDirFD(int) {}

// readDir lists dir: the names that do not start with '.', sorted, each
// marked when it is a symbolic link.
func readDir(_ int, dir string) ([]dirEntry, error) {
	f, err := os.Open(dir)
	if err != nil {
		return nil, err
	}
	entries, err := f.ReadDir(-1)
	f.Close()
	if err != nil {
		return nil, err
	}
	ents := make([]dirEntry, 0, len(entries))
	for _, e := range entries {
		if !strings.HasPrefix(e.Name(), ".") {
			ents = append(ents, dirEntry{name: e.Name(), link: e.Type()&fs.ModeSymlink != 0})
		}
	}
	slices.SortFunc(ents, func(a, b dirEntry) int { return strings.Compare(a.name, b.name) })
	return ents, nil
}

// statAt fills in e's kind, modification time and size, following links.
func statAt(_ int, dir string, e *dirEntry) error {
	mtime, size, isDir, isReg, err := statPath(filepath.Join(dir, e.name))
	if err != nil {
		return err
	}
	e.setStat(mtime, size, isDir, isReg)
	return nil
}

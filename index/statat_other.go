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

// statAt is [statPath] of dir/e.
func statAt(_ int, dir string, e dirEntry) (mtime, size int64, isDir, isRegular bool, err error) {
	return statPath(filepath.Join(dir, e.name))
}

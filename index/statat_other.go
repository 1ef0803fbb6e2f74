//go:build !(linux && amd64)

package index

import "path/filepath"

// openDirFD returns -1: without fstatat, [statAt] stats full paths.
func openDirFD(string) (int, error) { return -1, nil }

func closeDirFD(int) {}

// statAt is [statPath] of dir/name.
func statAt(_ int, dir, name string) (mtime, size int64, isDir, isRegular bool, err error) {
	return statPath(filepath.Join(dir, name))
}

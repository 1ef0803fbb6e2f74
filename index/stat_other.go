//go:build !linux

package index

import "os"

// statPath returns the modification time (Unix nanoseconds), size and kind
// of the file at path, following symbolic links.
func statPath(path string) (mtime, size int64, isDir, isRegular bool, err error) {
	fi, err := os.Stat(path)
	if err != nil {
		return 0, 0, false, false, err
	}
	return fi.ModTime().UnixNano(), fi.Size(), fi.IsDir(), fi.Mode().IsRegular(), nil
}

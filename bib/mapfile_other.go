//go:build !linux

package bib

// MapFile reads the regular file at path (mapfile_linux.go maps it);
// release does nothing.
func MapFile(path string, populate bool) ([]byte, func(off int), error) {
	b, err := readRegular(path)
	return b, func(int) {}, err
}

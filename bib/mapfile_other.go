//go:build !linux

package bib

// mapFile reads the regular file at path (mapfile_linux.go maps it);
// release does nothing.
func mapFile(path string) ([]byte, func(off int), error) {
	b, err := readRegular(path)
	return b, func(int) {}, err
}

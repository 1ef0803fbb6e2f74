//go:build linux

package bib

import (
	"os"
	"syscall"
)

// mapFile returns the bytes of the regular file at path mapped into
// memory read-only, and release: release(off) lets the pages wholly before
// off go (a later read of them faults them in again from the file), and
// release(-1) unmaps the file, after which nothing from it may be used.
// When mapping fails, the file is read into memory and release does
// nothing.
func mapFile(path string) ([]byte, func(off int), error) {
	none := func(int) {}
	f, size, err := openRegular(path)
	if err != nil {
		return nil, none, err
	}
	defer f.Close()
	if size == 0 || size != int64(int(size)) {
		b, err := readAll(f, size)
		return b, none, err
	}
	b, err := syscall.Mmap(int(f.Fd()), 0, int(size), syscall.PROT_READ, syscall.MAP_PRIVATE)
	if err != nil {
		b, err := readAll(f, size)
		return b, none, err
	}
	page := os.Getpagesize()
	done := 0 // pages before it are released
	return b, func(off int) {
		if off < 0 {
			syscall.Munmap(b)
			return
		}
		// Keep the page before off: the next read looks back to the
		// start of its line.
		end := (off/page - 1) * page
		if end > done {
			syscall.Madvise(b[done:end], syscall.MADV_DONTNEED)
			done = end
		}
	}, nil
}

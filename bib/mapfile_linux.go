//go:build linux

package bib

import (
	"os"
	"syscall"
)

// MapFile returns the bytes of the regular file at path mapped into memory
// read-only (on Linux; elsewhere read), and release: release(off) lets the
// pages wholly before off go (a later read of them faults them in again
// from the file), and release(-1) unmaps the file, after which nothing
// from it may be used. With populate, the pages are read in at once
// rather than on first touch. When mapping fails, the file is read into
// memory and release does nothing.
//
// A file that shrinks while it is mapped faults on its vanished pages: a
// reader turns that into a panic to recover with
// debug.SetPanicOnFault, as [CheckFiles] does.
func MapFile(path string, populate bool) ([]byte, func(off int), error) {
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
	flags := syscall.MAP_PRIVATE
	if populate {
		flags |= syscall.MAP_POPULATE
	}
	b, err := syscall.Mmap(int(f.Fd()), 0, int(size), syscall.PROT_READ, flags)
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

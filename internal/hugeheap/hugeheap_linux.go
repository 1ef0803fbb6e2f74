//go:build linux

package hugeheap

import (
	"bytes"
	"runtime"
	"runtime/debug"
	"syscall"
	"unsafe"
)

const (
	madvHugepage = 14      // MADV_HUGEPAGE
	hugePage     = 2 << 20 // the x86-64 and arm64 transparent huge page
)

// advised is true once the init has advised the heap (for tests).
var advised bool

func init() {
	if v, _ := syscall.Getenv("PAPERNOTES_HUGEPAGES"); v == "0" || !worthIt() {
		return
	}
	// No collection may start at the allocation: one is run below, once b
	// is dropped.
	gc := debug.SetGCPercent(-1)
	b := make([]byte, reserve)
	p := uintptr(unsafe.Pointer(unsafe.SliceData(b)))
	beg := (p + hugePage - 1) &^ (hugePage - 1)
	end := (p + uintptr(len(b))) &^ (hugePage - 1)
	if beg < end {
		_, _, errno := syscall.Syscall(syscall.SYS_MADVISE, beg, end-beg, madvHugepage)
		advised = errno == 0
	}
	runtime.KeepAlive(b)
	b = nil
	debug.SetGCPercent(gc)
	runtime.GC() // frees b: its range is the next memory the heap uses
}

// worthIt reports whether the kernel applies MADV_HUGEPAGE (transparent
// huge pages in "madvise" mode) and the reservation is safe: a 64-bit
// address space with no limit, and overcommit not strict.
func worthIt() bool {
	if unsafe.Sizeof(uintptr(0)) < 8 {
		return false // 256 MB is too much of a 32-bit address space
	}
	mode := readSmall("/sys/kernel/mm/transparent_hugepage/enabled")
	if !bytes.Contains(mode, []byte("[madvise]")) {
		return false
	}
	if oc := bytes.TrimSpace(readSmall("/proc/sys/vm/overcommit_memory")); string(oc) != "0" && string(oc) != "1" {
		return false
	}
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_AS, &lim); err != nil || lim.Cur != ^uint64(0) {
		return false
	}
	return true
}

// readSmall returns the first bytes of a small system file, or nil.
func readSmall(path string) []byte {
	fd, err := syscall.Open(path, syscall.O_RDONLY|syscall.O_CLOEXEC, 0)
	if err != nil {
		return nil
	}
	defer syscall.Close(fd)
	buf := make([]byte, 128)
	n, err := syscall.Read(fd, buf)
	if err != nil || n < 0 {
		return nil
	}
	return buf[:n]
}

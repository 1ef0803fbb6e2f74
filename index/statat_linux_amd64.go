package index

import (
	"syscall"
	"unsafe"
)

// openDirFD opens dir for [statAt].
func openDirFD(dir string) (int, error) {
	return syscall.Open(dir, syscall.O_RDONLY|syscall.O_DIRECTORY|syscall.O_CLOEXEC, 0)
}

func closeDirFD(fd int) {
	if fd >= 0 {
		syscall.Close(fd)
	}
}

// statAt is [statPath] of dir/name, resolving name relative to the open
// folder fd: fstatat(2) skips the walk of dir's path for every file, which
// is most of the kernel's work when a scan stats 10,000 notes.
func statAt(fd int, dir, name string) (mtime, size int64, isDir, isRegular bool, err error) {
	p, err := syscall.BytePtrFromString(name)
	if err != nil {
		return 0, 0, false, false, err
	}
	var st syscall.Stat_t
	for {
		_, _, errno := syscall.Syscall6(syscall.SYS_NEWFSTATAT, uintptr(fd), uintptr(unsafe.Pointer(p)), uintptr(unsafe.Pointer(&st)), 0, 0, 0)
		if errno == syscall.EINTR {
			continue
		}
		if errno != 0 {
			return 0, 0, false, false, errno
		}
		break
	}
	mode := st.Mode & syscall.S_IFMT
	return st.Mtim.Sec*1e9 + st.Mtim.Nsec, st.Size, mode == syscall.S_IFDIR, mode == syscall.S_IFREG, nil
}

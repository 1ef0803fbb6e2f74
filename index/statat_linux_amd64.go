package index

import (
	"encoding/binary"
	"io/fs"
	"slices"
	"strings"
	"syscall"
	"unsafe"
)

// openDirFD opens dir for [readDir] and [statAt].
func openDirFD(dir string) (int, error) {
	for {
		fd, err := syscall.Open(dir, syscall.O_RDONLY|syscall.O_DIRECTORY|syscall.O_CLOEXEC, 0)
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return -1, &fs.PathError{Op: "open", Path: dir, Err: err}
		}
		return fd, nil
	}
}

func closeDirFD(fd int) {
	if fd >= 0 {
		syscall.Close(fd)
	}
}

// readDir lists the folder open as fd (dir names it in errors): the names
// that do not start with '.', sorted, each marked when it is a symbolic
// link. It reads getdents(2) records itself rather than through
// os.ReadDir: on a small VM the fresh memory of 10,000 DirEntry values
// cost more than the system calls. The names share one buffer, and each is
// followed there by a NUL, which [statAt] passes to the kernel as it is.
func readDir(fd int, dir string) ([]dirEntry, error) {
	var st syscall.Stat_t
	if err := syscall.Fstat(fd, &st); err != nil {
		return nil, &fs.PathError{Op: "stat", Path: dir, Err: err}
	}
	// A folder's size bounds the length of its names on most file systems,
	// and at about 40 bytes a record, their number; memory from make is
	// touched only where the names and entries go.
	names := make([]byte, 0, min(max(st.Size, 4096), 64<<20))
	ents := make([]dirEntry, 0, min(max(st.Size/40, 64), 1<<20))
	buf := make([]byte, 32<<10)
	for {
		n, err := syscall.ReadDirent(fd, buf)
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return nil, &fs.PathError{Op: "readdirent", Path: dir, Err: err}
		}
		if n <= 0 {
			break
		}
		for b := buf[:n]; len(b) >= 19; {
			// struct linux_dirent64: ino u64, off s64, reclen u16, type u8, name.
			reclen := int(binary.LittleEndian.Uint16(b[16:18]))
			if reclen < 19 || reclen > len(b) {
				break
			}
			typ, name := b[18], b[19:reclen]
			b = b[reclen:]
			if i := slices.Index(name, 0); i >= 0 {
				name = name[:i]
			}
			if len(name) == 0 || name[0] == '.' {
				continue
			}
			start := len(names)
			names = append(append(names, name...), 0)
			link := typ == syscall.DT_LNK
			if typ == syscall.DT_UNKNOWN {
				// The file system does not say; ask without following links.
				var lst syscall.Stat_t
				errno := fstatat(fd, unsafe.Pointer(&names[start]), &lst, _AT_SYMLINK_NOFOLLOW)
				link = errno == 0 && lst.Mode&syscall.S_IFMT == syscall.S_IFLNK
			}
			// names may still move as it grows: until it is complete, an
			// entry keeps its name's offsets in mtime and size.
			ents = append(ents, dirEntry{mtime: int64(start), size: int64(start + len(name)), link: link})
		}
	}
	// names is not written again: the entries point into it.
	all := unsafe.String(unsafe.SliceData(names), len(names))
	for i := range ents {
		e := &ents[i]
		e.name, e.mtime, e.size = all[e.mtime:e.size], 0, 0
	}
	slices.SortFunc(ents, func(a, b dirEntry) int { return strings.Compare(a.name, b.name) })
	return ents, nil
}

const _AT_SYMLINK_NOFOLLOW = 0x100

// fstatat is fstatat(2) of the NUL-terminated name in the folder open as
// fd, retried when interrupted.
func fstatat(fd int, name unsafe.Pointer, st *syscall.Stat_t, flags uintptr) syscall.Errno {
	for {
		_, _, errno := syscall.Syscall6(syscall.SYS_NEWFSTATAT, uintptr(fd), uintptr(name), uintptr(unsafe.Pointer(st)), flags, 0, 0)
		if errno != syscall.EINTR {
			return errno
		}
	}
}

// statAt fills in e's kind, modification time (Unix nanoseconds) and size,
// following links, from fstatat(2) in the folder open as fd: that skips the
// walk of the folder's path for every file, which is most of the kernel's
// work when a scan stats 10,000 notes. e's name is NUL-terminated in
// memory (see [readDir]), so it is passed without a copy.
func statAt(fd int, _ string, e *dirEntry) error {
	var st syscall.Stat_t
	if errno := fstatat(fd, unsafe.Pointer(unsafe.StringData(e.name)), &st, 0); errno != 0 {
		return errno
	}
	e.setStat(st.Mtim.Sec*1e9+st.Mtim.Nsec, st.Size, st.Mode&syscall.S_IFMT == syscall.S_IFDIR, st.Mode&syscall.S_IFMT == syscall.S_IFREG)
	return nil
}

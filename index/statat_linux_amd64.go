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
	// A folder's size bounds the length of its names on most file systems;
	// memory from make is touched only where the names go.
	names := make([]byte, 0, min(max(st.Size, 4096), 64<<20))
	type span struct {
		start, end uint32
		link       bool
	}
	var spans []span
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
			if len(name) == 0 || name[0] == '.' || len(names)+len(name)+1 > 1<<32-1 {
				continue
			}
			link := typ == syscall.DT_LNK
			if typ == syscall.DT_UNKNOWN {
				// The file system does not say; ask without following links.
				names = append(append(names, name...), 0)
				var lst syscall.Stat_t
				p := unsafe.Pointer(&names[len(names)-len(name)-1])
				_, _, errno := syscall.Syscall6(syscall.SYS_NEWFSTATAT, uintptr(fd), uintptr(p), uintptr(unsafe.Pointer(&lst)), _AT_SYMLINK_NOFOLLOW, 0, 0)
				link = errno == 0 && lst.Mode&syscall.S_IFMT == syscall.S_IFLNK
				names = names[:len(names)-len(name)-1]
			}
			start := uint32(len(names))
			names = append(append(names, name...), 0)
			spans = append(spans, span{start, start + uint32(len(name)), link})
		}
	}
	// names is not written again: the entries may point into it.
	all := unsafe.String(unsafe.SliceData(names), len(names))
	ents := make([]dirEntry, len(spans))
	for i, s := range spans {
		ents[i] = dirEntry{name: all[s.start:s.end], link: s.link}
	}
	slices.SortFunc(ents, func(a, b dirEntry) int { return strings.Compare(a.name, b.name) })
	return ents, nil
}

const _AT_SYMLINK_NOFOLLOW = 0x100

// statAt is [statPath] of e in the folder open as fd: fstatat(2) skips the
// walk of the folder's path for every file, which is most of the kernel's
// work when a scan stats 10,000 notes. e's name is NUL-terminated in
// memory (see [readDir]), so it is passed without a copy.
func statAt(fd int, _ string, e dirEntry) (mtime, size int64, isDir, isRegular bool, err error) {
	p := unsafe.Pointer(unsafe.StringData(e.name))
	var st syscall.Stat_t
	for {
		_, _, errno := syscall.Syscall6(syscall.SYS_NEWFSTATAT, uintptr(fd), uintptr(p), uintptr(unsafe.Pointer(&st)), 0, 0, 0)
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

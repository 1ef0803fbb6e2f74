package index

import "syscall"

// statPath returns the modification time (Unix nanoseconds), size and kind
// of the file at path, following symbolic links. On Linux it calls stat(2)
// directly: os.Stat's FileInfo costs more than the system call itself, and
// a search stats every note.
func statPath(path string) (mtime, size int64, isDir, isRegular bool, err error) {
	var st syscall.Stat_t
	for {
		err = syscall.Stat(path, &st)
		if err != syscall.EINTR {
			break
		}
	}
	if err != nil {
		return 0, 0, false, false, err
	}
	mode := st.Mode & syscall.S_IFMT
	return st.Mtim.Sec*1e9 + st.Mtim.Nsec, st.Size, mode == syscall.S_IFDIR, mode == syscall.S_IFREG, nil
}

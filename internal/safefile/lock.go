package safefile

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// LockName is the lock file of a workspace, relative to its root. It lives in
// the folder that `init` puts in .gitignore, beside the default index.
const LockName = ".papernotes/lock"

// ErrLocked is returned by [LockWorkspace] when another process held the lock
// for longer than the wait.
var ErrLocked = errors.New("workspace is locked by another papernotes process")

// LockWait is how long [LockWorkspace] waits for another writer. Writers hold
// the lock only from reading their target to renaming the new file into
// place, so a long wait means a stuck process.
var LockWait = 60 * time.Second

// Lock is a held workspace lock. Its zero value and nil are released locks.
type Lock struct {
	f *os.File
}

// LockWorkspace takes the exclusive advisory lock (flock(2)) of the
// workspace at root, creating the lock file when needed, and waits up to
// [LockWait] for another holder. Every command that writes a workspace file
// holds it from reading the file it changes until the new file is renamed
// into place, and re-reads under it; readers never take it, because every
// write is an atomic rename. The lock is released by [Lock.Unlock] or when
// the process ends, however it ends. Locks are per open file, so two
// LockWorkspace calls in one process exclude each other too.
func LockWorkspace(root string) (*Lock, error) {
	path := filepath.Join(root, LockName)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, fmt.Errorf("lock workspace: %w", err)
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("lock workspace: %w", err)
	}
	deadline := time.Now().Add(LockWait)
	delay := time.Millisecond
	for {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if err == nil {
			break
		}
		if !errors.Is(err, syscall.EWOULDBLOCK) && !errors.Is(err, syscall.EINTR) {
			f.Close()
			return nil, fmt.Errorf("lock workspace %s: %w", path, err)
		}
		if time.Now().After(deadline) {
			holder := ""
			if b, err := os.ReadFile(path); err == nil && len(b) > 0 {
				holder = " (pid " + strings.TrimSpace(string(b)) + ")"
			}
			f.Close()
			return nil, fmt.Errorf("%s%s: %w", path, holder, ErrLocked)
		}
		time.Sleep(delay)
		if delay < 20*time.Millisecond {
			delay *= 2
		}
	}
	// The holder's pid, for the message another process prints after
	// waiting; best effort.
	if err := f.Truncate(0); err == nil {
		_, _ = f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
	}
	return &Lock{f: f}, nil
}

// Unlock releases the lock. It is safe to call on nil and more than once.
func (l *Lock) Unlock() error {
	if l == nil || l.f == nil {
		return nil
	}
	f := l.f
	l.f = nil
	// Closing the descriptor releases the flock.
	return f.Close()
}

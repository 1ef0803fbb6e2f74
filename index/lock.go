package index

import (
	"context"
	"errors"
	"fmt"
	"os"
	"syscall"
	"time"
)

// LockWait is how long [Open], [Index.Sync] and [Index.Rebuild] wait for
// another process that builds or replaces the index before they give up
// with [ErrBusy]. A first build of 10,000 notes takes a few seconds.
var LockWait = 2 * time.Minute

// ErrBusy is wrapped by the error of an operation that waited [LockWait]
// for another process using the index.
var ErrBusy = errors.New("the index is busy: another papernotes process is building it; try again")

// Lock modes of the file beside the index. Every process that has the
// database open holds the lock shared; creating, deleting or replacing the
// database files (and their -wal and -shm companions, which SQLite finds by
// name) needs it exclusive, so no process ever reads a file that is being
// replaced or writes the journal of another one. Ordinary incremental syncs
// are SQLite write transactions, which SQLite's own locking (with a busy
// timeout) serialises under the shared lock.
const (
	lockNone = 0
	lockSH   = syscall.LOCK_SH
	lockEX   = syscall.LOCK_EX
)

// fileLock is an flock(2) lock on the file beside the index. Locks belong
// to the open file, so two Index values in one process exclude each other
// as two processes do.
type fileLock struct {
	f    *os.File
	mode int
}

func openLock(path string) (*fileLock, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, err
	}
	return &fileLock{f: f}, nil
}

// set takes the lock in mode (lockSH or lockEX), converting the one held,
// waiting at most LockWait or until ctx is done. A conversion is not atomic
// (flock releases the old lock first): callers check again what they
// decided under the old one.
func (l *fileLock) set(ctx context.Context, mode int) error {
	if l.mode == mode {
		return nil
	}
	deadline := time.Now().Add(LockWait)
	delay := time.Millisecond
	for {
		err := syscall.Flock(int(l.f.Fd()), mode|syscall.LOCK_NB)
		if err == nil {
			l.mode = mode
			return nil
		}
		if !errors.Is(err, syscall.EWOULDBLOCK) && !errors.Is(err, syscall.EINTR) {
			return fmt.Errorf("lock %s: %w", l.f.Name(), err)
		}
		// A conversion that failed has dropped the old lock.
		l.mode = lockNone
		if time.Now().After(deadline) {
			return ErrBusy
		}
		t := time.NewTimer(delay)
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
		if delay < 20*time.Millisecond {
			delay *= 2
		}
	}
}

// close releases the lock.
func (l *fileLock) close() error {
	if l == nil || l.f == nil {
		return nil
	}
	err := l.f.Close()
	l.f, l.mode = nil, lockNone
	return err
}

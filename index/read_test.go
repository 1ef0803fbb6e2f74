package index

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func readNote(key, read string) string {
	return fmt.Sprintf("---\nkey: %s\nstatus: read\nread: %s\n---\n\n# %s\n", key, read, key)
}

// TestNotesRead checks that NotesRead answers from an index it brings up
// to date (a changed read date, a new note, a removed note), and declines,
// writing nothing, when there is no index or more files changed than
// allowed.
func TestNotesRead(t *testing.T) {
	ctx := context.Background()
	src, dir := smallWorkspace(t)
	note := func(k string) string { return filepath.Join(dir, "notes", k+".md") }
	writeFile(t, note("in1"), readNote("in1", "2025-11-13"))
	writeFile(t, note("in2"), readNote("in2", "2025-11-19T23:00:00Z"))
	writeFile(t, note("out"), readNote("out", "2025-11-20"))
	from, to := time.Date(2025, 11, 13, 0, 0, 0, 0, time.UTC), time.Date(2025, 11, 19, 0, 0, 0, 0, time.UTC)

	ix, err := Open(filepath.Join(t.TempDir(), "index.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if _, _, ok, err := ix.NotesRead(ctx, src, from, to, 10); ok || err != nil {
		t.Fatalf("NotesRead on an index never built: ok %v, err %v; want false, nil", ok, err)
	}
	if ix.Built() {
		t.Fatal("NotesRead built the index")
	}
	if _, err := ix.Sync(ctx, src); err != nil {
		t.Fatal(err)
	}
	check := func(most int, wantOK bool, want ...string) {
		t.Helper()
		got, _, ok, err := ix.NotesRead(ctx, src, from, to, most)
		if err != nil || ok != wantOK {
			t.Fatalf("NotesRead: ok %v, err %v; want ok %v", ok, err, wantOK)
		}
		var wantPaths []string
		for _, k := range want {
			wantPaths = append(wantPaths, note(k))
		}
		if d := cmp.Diff(wantPaths, got); d != "" {
			t.Errorf("NotesRead (-want +got):\n%s", d)
		}
	}
	check(10, true, "in1", "in2")

	// A read date moved out of the week, a new note, a removed one.
	writeFile(t, note("in1"), readNote("in1", "2025-11-12"))
	writeFile(t, note("new"), readNote("new", "2025-11-15"))
	if err := os.Remove(note("in2")); err != nil {
		t.Fatal(err)
	}
	check(3, true, "new")

	// More changes than allowed: nothing is written, the next call with a
	// higher limit catches up.
	writeFile(t, note("in1"), readNote("in1", "2025-11-14"))
	writeFile(t, note("out"), readNote("out", "2025-11-16"))
	check(1, false)
	var stored int64
	if err := ix.db.QueryRow(`SELECT COUNT(*) FROM notes WHERE read = '2025-11-14'`).Scan(&stored); err != nil || stored != 0 {
		t.Fatalf("a declined NotesRead wrote the index: %d rows, %v", stored, err)
	}
	check(2, true, "in1", "new", "out")
}

// TestChangedByChunks checks the shortcut a sync takes after a few edits:
// only the runs of files whose hash changed are read, and it gives up
// (ok false) whenever a file may be gone.
func TestChangedByChunks(t *testing.T) {
	ctx := context.Background()
	src, dir := smallWorkspace(t)
	note := func(i int) string { return filepath.Join(dir, "notes", fmt.Sprintf("n%03d.md", i)) }
	for i := range 200 {
		writeFile(t, note(i), readNote(fmt.Sprintf("n%03d", i), "2025-11-13"))
	}
	ix := syncedIndex(t, src)
	changed := func() (todo []string, haveN int, ok bool) {
		t.Helper()
		files, _, err := scan(src, 2, nil)
		if err != nil {
			t.Fatal(err)
		}
		tx, err := ix.db.BeginTx(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer tx.Rollback()
		have, fs, ok, err := changedByChunks(ctx, tx, files, chunkHashes(files))
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range fs {
			todo = append(todo, f.rel())
		}
		return todo, len(have), ok
	}
	if todo, n, ok := changed(); !ok || len(todo) != 0 || n != 0 {
		t.Fatalf("nothing changed: todo %v, %d rows read, ok %v", todo, n, ok)
	}
	writeFile(t, note(100), readNote("n100", "2025-11-14"))
	if todo, n, ok := changed(); !ok || len(todo) != 1 || todo[0] != "notes/n100.md" || n != chunkFiles {
		t.Fatalf("one note edited: todo %v, %d rows read, ok %v; want [notes/n100.md], %d, true", todo, n, ok, chunkFiles)
	}
	if _, err := ix.Sync(ctx, src); err != nil {
		t.Fatal(err)
	}
	// A rename keeps the number of files: the new name is not indexed.
	if err := os.Rename(note(150), note(999)); err != nil {
		t.Fatal(err)
	}
	if _, _, ok := changed(); ok {
		t.Fatal("a renamed note: ok true, so the old name would stay indexed")
	}
	if _, err := ix.Sync(ctx, src); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := ix.db.QueryRow(`SELECT COUNT(*) FROM files WHERE path = 'notes/n150.md'`).Scan(&n); err != nil || n != 0 {
		t.Errorf("the old name of a renamed note is still indexed (%d rows, %v)", n, err)
	}
	writeFile(t, note(5), readNote("n005", "2025-11-15"))
	if err := os.Remove(note(6)); err != nil {
		t.Fatal(err)
	}
	if _, _, ok := changed(); ok {
		t.Fatal("a removed note: ok true")
	}
}

// TestOpenContextStopsWaiting checks that OpenContext gives up when its
// context ends while another process holds the index's exclusive lock (as
// a rebuild does), rather than waiting LockWait.
func TestOpenContextStopsWaiting(t *testing.T) {
	path := filepath.Join(t.TempDir(), "index.db")
	f, err := os.OpenFile(path+".lock", os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	done := make(chan error, 1)
	go func() {
		ix, err := OpenContext(ctx, path)
		if err == nil {
			ix.Close()
		}
		done <- err
	}()
	select {
	case err := <-done:
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("OpenContext with the lock held: %v, want the context's deadline", err)
		}
	case <-time.After(LockWait / 4):
		t.Fatal("OpenContext kept waiting after its context ended")
	}
}

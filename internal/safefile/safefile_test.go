package safefile

import (
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"
)

func TestCreateNewNeverOverwrites(t *testing.T) {
	t.Parallel()
	p := filepath.Join(t.TempDir(), "sub", "note.md")
	if err := CreateNew(p, []byte("first"), 0o644); err != nil {
		t.Fatal(err)
	}
	err := CreateNew(p, []byte("second"), 0o644)
	if !errors.Is(err, ErrExists) {
		t.Fatalf("second CreateNew: got %v, want ErrExists", err)
	}
	got, _ := os.ReadFile(p)
	if string(got) != "first" {
		t.Fatalf("content = %q, want %q", got, "first")
	}
	left, _ := filepath.Glob(filepath.Join(filepath.Dir(p), ".*tmp*"))
	if len(left) != 0 {
		t.Fatalf("temporary files left behind: %v", left)
	}
}

func TestAppendKeepsBytes(t *testing.T) {
	t.Parallel()
	p := filepath.Join(t.TempDir(), "lib.bib")
	old := "% no newline at end\r\n@misc{a,}"
	if err := os.WriteFile(p, []byte(old), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := Append(p, []byte("\n@misc{b,}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(p)
	if want := old + "\n@misc{b,}\n"; string(got) != want {
		t.Fatalf("got %q, want %q", got, want)
	}
	fi, _ := os.Stat(p)
	if fi.Mode().Perm() != 0o600 {
		t.Fatalf("mode = %v, want the original 0600", fi.Mode().Perm())
	}
}

func TestWithin(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	for _, rel := range []string{"../x", "../../etc/passwd", "/etc/passwd", "a/../../b"} {
		if p, err := Within(root, rel); !errors.Is(err, ErrOutside) {
			t.Errorf("Within(%q) = %q, %v; want ErrOutside", rel, p, err)
		}
	}
	for _, rel := range []string{"notes/a.md", "a/../b.md", "DBLP_conf.md"} {
		if _, err := Within(root, rel); err != nil {
			t.Errorf("Within(%q): %v", rel, err)
		}
	}
}

func TestWriteThroughSymlink(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	real := filepath.Join(dir, "shared", "library.bib")
	if err := os.MkdirAll(filepath.Dir(real), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(real, []byte("@misc{a,}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "library.bib")
	if err := os.Symlink("shared/library.bib", link); err != nil {
		t.Fatal(err)
	}
	if err := Append(link, []byte("@misc{b,}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Fatalf("link replaced by a regular file: %v %v", fi.Mode(), err)
	}
	got, _ := os.ReadFile(real)
	if string(got) != "@misc{a,}\n@misc{b,}\n" {
		t.Fatalf("target = %q", got)
	}
	if fi, _ := os.Stat(real); fi.Mode().Perm() != 0o600 {
		t.Fatalf("mode = %v, want 0600 kept", fi.Mode().Perm())
	}
	// A dangling link is written through too: the target is created.
	dangling := filepath.Join(dir, "new.bib")
	if err := os.Symlink("shared/new.bib", dangling); err != nil {
		t.Fatal(err)
	}
	if err := WriteFile(dangling, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(filepath.Join(dir, "shared", "new.bib")); string(got) != "x" {
		t.Fatalf("dangling link target = %q", got)
	}
}

func TestHardLinkRefused(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.bib"), filepath.Join(dir, "b.bib")
	if err := os.WriteFile(a, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Link(a, b); err != nil {
		t.Skip("no hard links here:", err)
	}
	err := Append(b, []byte("new"), 0o644)
	if !errors.Is(err, ErrHardLink) {
		t.Fatalf("Append to a hard-linked file: %v, want ErrHardLink", err)
	}
	var le *LinkError
	if !errors.As(err, &le) || le.Path != b || le.Links != 2 {
		t.Fatalf("Append to a hard-linked file: %#v, want a LinkError for %s with 2 links", err, b)
	}
	if got, _ := os.ReadFile(a); string(got) != "old" {
		t.Fatalf("a = %q", got)
	}
}

func TestSpecialFilesRefused(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	fifo := filepath.Join(dir, "x.bib")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skip("no FIFOs here:", err)
	}
	if _, err := ReadRegular(fifo); !errors.Is(err, ErrNotRegular) {
		t.Fatalf("ReadRegular(FIFO) = %v, want ErrNotRegular", err)
	}
	if _, err := ReadRegular("/dev/zero"); !errors.Is(err, ErrNotRegular) {
		t.Fatalf("ReadRegular(/dev/zero) = %v, want ErrNotRegular", err)
	}
	if err := Append(fifo, []byte("x"), 0o644); !errors.Is(err, ErrNotRegular) {
		t.Fatalf("Append(FIFO) = %v, want ErrNotRegular", err)
	}
}

func TestStaleTempRemoved(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	p := filepath.Join(dir, "library.bib")
	// A dead writer's file: pid 0x7ffffffe cannot exist (pid_max is lower).
	dead := filepath.Join(dir, ".library.bib"+tempMarker+"2147483646-123")
	live := filepath.Join(dir, ".library.bib"+tempMarker+strconv.Itoa(os.Getpid())+"-456")
	legacy := filepath.Join(dir, ".library.bib.tmp98765")
	other := filepath.Join(dir, ".other.bib"+tempMarker+"2147483646-1")
	for _, f := range []string{dead, live, legacy, other} {
		if err := os.WriteFile(f, []byte("junk"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	old := time.Now().Add(-time.Hour)
	if err := os.Chtimes(legacy, old, old); err != nil {
		t.Fatal(err)
	}
	if err := Append(p, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	for f, want := range map[string]bool{dead: false, live: true, legacy: false, other: true} {
		_, err := os.Stat(f)
		if got := err == nil; got != want {
			t.Errorf("%s exists = %v, want %v", filepath.Base(f), got, want)
		}
	}
}

func TestLockExcludes(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	l1, err := LockWorkspace(root)
	if err != nil {
		t.Fatal(err)
	}
	got := make(chan *Lock)
	go func() {
		l2, err := LockWorkspace(root)
		if err != nil {
			t.Error(err)
		}
		got <- l2
	}()
	select {
	case <-got:
		t.Fatal("second lock taken while the first is held")
	case <-time.After(100 * time.Millisecond):
	}
	if err := l1.Unlock(); err != nil {
		t.Fatal(err)
	}
	l2 := <-got
	if err := l2.Unlock(); err != nil {
		t.Fatal(err)
	}
	if err := l2.Unlock(); err != nil {
		t.Fatal("second Unlock:", err)
	}
}

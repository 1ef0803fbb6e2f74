package notes

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// TestLoadDirSkipsLinksOutAndFIFOs checks issue 9 points 8 and 10: a note
// linked to a file outside the folder and the workspace, and a FIFO named
// *.md, are skipped with a problem; a link inside the workspace is read.
func TestLoadDirSkipsLinksOutAndFIFOs(t *testing.T) {
	tmp := t.TempDir()
	ws := filepath.Join(tmp, "ws")
	dir := filepath.Join(ws, "notes")
	for _, d := range []string{dir, filepath.Join(ws, "shared")} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	write := func(p, s string) {
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(filepath.Join(tmp, "secret.md"), "---\nkey: secret\n---\nSECRET\n")
	write(filepath.Join(ws, "shared", "in.md"), "---\nkey: in\n---\nIN\n")
	write(filepath.Join(dir, "a.md"), "---\nkey: a\n---\nA\n")
	if err := os.Symlink(filepath.Join(tmp, "secret.md"), filepath.Join(dir, "leak.md")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("../shared/in.md", filepath.Join(dir, "in.md")); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(filepath.Join(dir, "fifo.md"), 0o644); err != nil {
		t.Skip("mkfifo:", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	type result struct {
		ns   []*Note
		errs ErrorList
	}
	done := make(chan result, 1)
	go func() {
		ns, errs := LoadDir(dir, Options{Root: ws})
		done <- result{ns, errs}
	}()
	var r result
	select {
	case r = <-done:
	case <-ctx.Done():
		t.Fatal("LoadDir hangs on a FIFO")
	}
	var keys []string
	for _, n := range r.ns {
		keys = append(keys, n.Key)
	}
	if len(keys) != 2 || keys[0] != "a" || keys[1] != "in" {
		t.Errorf("notes = %v, want [a in]", keys)
	}
	if len(r.errs) != 2 || !errors.Is(r.errs[0], ErrNotRegular) || !errors.Is(r.errs[1], ErrOutside) ||
		r.errs[0].Pos.Filename != filepath.Join(dir, "fifo.md") || r.errs[1].Pos.Filename != filepath.Join(dir, "leak.md") {
		t.Errorf("problems = %v", r.errs)
	}
	// Without Root, a link is confined to the notes folder itself.
	_, errs := LoadDir(dir, Options{})
	if len(errs) != 3 {
		t.Errorf("problems without Root = %v, want fifo, in and leak", errs)
	}
}

package bib

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestLoadSpecialFiles checks issue 9 point 10: a .bib that is a FIFO and
// /dev/zero are problems naming their path, read without blocking and
// without reading forever.
func TestLoadSpecialFiles(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo.bib")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skip("mkfifo:", err)
	}
	paths := []string{fifo}
	if _, err := os.Stat("/dev/zero"); err == nil {
		paths = append(paths, "/dev/zero")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	done := make(chan *Library, 1)
	go func() { done <- Load(paths, LoadOptions{}) }()
	var lib *Library
	select {
	case lib = <-done:
	case <-ctx.Done():
		t.Fatal("Load hangs on a FIFO or /dev/zero")
	}
	probs := lib.Problems()
	if len(probs) != len(paths) {
		t.Fatalf("problems = %v, want one per path", probs)
	}
	got := map[string]bool{}
	for _, p := range probs {
		got[p.Pos.Filename] = true
		if !errors.Is(p, ErrIO) || !strings.HasPrefix(p.Error(), p.Pos.Filename+": ") || !strings.Contains(p.Error(), "not a regular file") {
			t.Errorf("problem = %v", p)
		}
	}
	for _, p := range paths {
		if !got[p] {
			t.Errorf("no problem for %s: %v", p, probs)
		}
	}
}

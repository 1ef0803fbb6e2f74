package fswatch_test

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/papernotes/papernotes/fswatch"
)

// next waits for the next batch; the budget is a context deadline, not an
// assertion on how long the watcher takes.
func next(t *testing.T, ch <-chan []string) []string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	select {
	case b := <-ch:
		return b
	case <-ctx.Done():
		t.Fatal("no batch before the deadline")
		return nil
	}
}

func TestWatch(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	notesDir := filepath.Join(dir, "notes")
	bibDir := filepath.Join(dir, "bib")
	for _, d := range []string{notesDir, filepath.Join(notesDir, "sub"), bibDir} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	lib := filepath.Join(bibDir, "library.bib")
	w, err := fswatch.New([]string{notesDir, lib}, fswatch.Options{
		Debounce: 20 * time.Millisecond,
		Want:     func(p string) bool { return !strings.HasSuffix(p, "~") },
	})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	ch := make(chan []string, 10)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan struct{})
	go func() {
		w.Run(ctx, func(p []string) { ch <- p })
		close(done)
	}()

	write := func(p, s string) {
		t.Helper()
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	a := filepath.Join(notesDir, "sub", "a.md")
	write(a, "x")
	write(a, "xy")
	write(a+"~", "backup") // filtered out
	if got := next(t, ch); !slices.Equal(got, []string{a}) {
		t.Errorf("batch %q, want %q", got, a)
	}
	write(filepath.Join(bibDir, "other.bib"), "ignored: not a root") // not watched
	write(lib, "@misc{k,}")
	if got := next(t, ch); !slices.Equal(got, []string{lib}) {
		t.Errorf("batch %q, want %q", got, lib)
	}
	// A new folder is watched, and its files count as changed.
	nd := filepath.Join(notesDir, "new")
	if err := os.Mkdir(nd, 0o755); err != nil {
		t.Fatal(err)
	}
	b := filepath.Join(nd, "b.md")
	write(b, "b") // before or after the folder is added: reported either way
	got := next(t, ch)
	for !slices.Contains(got, b) {
		got = next(t, ch)
	}
	cancel()
	<-done
}

func TestWithin(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		path, dir string
		want      bool
	}{
		{"/a/b", "/a", true}, {"/a", "/a", true}, {"/ab", "/a", false}, {"/a/../b", "/a", false}, {"/a/..b", "/a", true},
	} {
		if got := fswatch.Within(filepath.Clean(tt.path), tt.dir); got != tt.want {
			t.Errorf("Within(%q, %q) = %v", tt.path, tt.dir, got)
		}
	}
}

package testutil

import (
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// Update is the -update flag: when set, [Golden] rewrites golden files
// instead of comparing. Run it one package at a time and review the diff.
var Update = flag.Bool("update", false, "rewrite golden files")

// Golden compares got with the golden file at path (relative to the test's
// package directory). With -update it writes got to path instead. The
// comparison prints a (-want +got) diff.
func Golden(t testing.TB, path string, got []byte) {
	t.Helper()
	if *Update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read golden file (run with -update to create it): %v", err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s mismatch (-want +got):\n%s", path, diff)
	}
}

// RepoRoot returns the directory holding go.mod, found by walking up from the
// current directory. It fails the test when there is none.
func RepoRoot(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the current directory")
		}
		dir = parent
	}
}

// CorpusDir returns the shared corpus of real .bib files
// (../shared/corpus/bib beside the repository), or skips the test with a
// clear message when it is absent, as in a user's clone. CI always has it.
func CorpusDir(t testing.TB) string {
	t.Helper()
	dir := filepath.Join(RepoRoot(t), "..", "shared", "corpus", "bib")
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		if os.Getenv("CI") != "" {
			t.Fatalf("corpus %s is missing, and CI must have it", dir)
		}
		t.Skipf("corpus %s is absent (a user's clone); skipping the real-input test", dir)
	}
	return dir
}

package safefile

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
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

package guard

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestCheck(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	for _, f := range []string{"bib/library.bib", "bib/sub/more.bib", "bib/README.txt", "notes/a.md", "notes/a.html", "paper.tex", "out/old.html"} {
		p := filepath.Join(root, f)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	mustLink := func(target, link string) {
		if err := os.Symlink(target, filepath.Join(root, link)); err != nil {
			t.Fatal(err)
		}
	}
	mustLink("bib/library.bib", "lib-link.bib")
	mustLink("notes", "notes-link")
	mustLink("nowhere/new.bib", "dangling.bib")
	mustLink("bib/new2.bib", "dangling-in-bib.bib")
	var s Set
	s.Dir(filepath.Join(root, "bib"), ".bib", "a library file", "replace the library", "a library folder", "add its entries to the library")
	s.Dir(filepath.Join(root, "notes"), ".md", "a note", "destroy the note", "the notes folder", "add a note")
	s.File(filepath.Join(root, "paper.tex"), "an input", "destroy it")
	s.File(filepath.Join(root, "missing.tex"), "an input", "destroy it")
	tests := []struct {
		out  string
		want string // "" for no conflict
	}{
		{"bib/library.bib", "is a library file: writing it would replace the library"},
		{"bib/LIBRARY.BIB", ""}, // another file unless the file system ignores case; see below
		{"bib/sub/more.bib", "is a library file"},
		{"bib/new.bib", "is in a library folder: writing it would add its entries to the library"},
		{"bib/README.txt", ""},
		{"bib/../bib/library.bib", "is a library file"},
		{"lib-link.bib", "is a library file"},
		{"notes/a.md", "is a note: writing it would destroy the note"},
		{"notes-link/a.md", "is a note"},
		{"notes-link/b.md", "is in the notes folder: writing it would add a note"},
		{"notes/a.html", ""},
		{"paper.tex", "is an input: writing it would destroy it"},
		{"missing.tex", ""},
		{"out/old.html", ""},
		{"out/new.bib", ""},
		{"dangling.bib", ""},
		{"dangling-in-bib.bib", "is in a library folder"},
	}
	for _, tt := range tests {
		out := filepath.Join(root, tt.out)
		err := s.Check(out, tt.out)
		if tt.out == "bib/LIBRARY.BIB" {
			// On a case-insensitive file system this is the library file.
			if _, statErr := os.Stat(out); statErr == nil && err == nil {
				t.Errorf("Check(%s): the name reaches the library file but no conflict", tt.out)
			}
			continue
		}
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("Check(%s) = %v, want nil", tt.out, err)
		case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
			t.Errorf("Check(%s) = %v, want %q", tt.out, err, tt.want)
		case tt.want != "" && (!errors.Is(err, ErrSource) || !strings.HasPrefix(err.Error(), tt.out+" ")):
			t.Errorf("Check(%s) = %v: want an ErrSource that starts with the output", tt.out, err)
		}
	}
}

func TestInside(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	ws := filepath.Join(root, "ws")
	if err := os.MkdirAll(filepath.Join(ws, "reports"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("ws/reports", filepath.Join(root, "reports-link")); err != nil {
		t.Fatal(err)
	}
	for out, want := range map[string]bool{
		"ws/reports/a.md":   true,
		"ws/new/dir/a.md":   true,
		"reports-link/b.md": true,
		"other/a.md":        false,
		"wsx/a.md":          false,
	} {
		if got := Inside(filepath.Join(root, out), ws); got != want {
			t.Errorf("Inside(%s) = %v, want %v", out, got, want)
		}
	}
}

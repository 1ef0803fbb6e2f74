package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/papernotes/papernotes/bib"
	"github.com/papernotes/papernotes/notes"
)

func TestGenerate(t *testing.T) {
	t.Parallel()
	last := time.Date(2025, 11, 30, 0, 0, 0, 0, time.UTC)
	a, b := t.TempDir(), t.TempDir()
	if err := generate(a, 200, 7, last); err != nil {
		t.Fatal(err)
	}
	if err := generate(b, 200, 7, last); err != nil {
		t.Fatal(err)
	}

	src, err := os.ReadFile(filepath.Join(a, "bib", "library.bib"))
	if err != nil {
		t.Fatal(err)
	}
	f := bib.Parse("library.bib", src, nil)
	if len(f.Entries) != 200 || len(f.Problems) != 0 {
		t.Fatalf("bib: %d entries, problems %v", len(f.Entries), f.Problems)
	}
	keys := map[string]bool{}
	for _, e := range f.Entries {
		keys[e.Key] = true
	}

	paths, _ := filepath.Glob(filepath.Join(a, "notes", "*.md"))
	if len(paths) != 200 {
		t.Fatalf("%d notes, want 200", len(paths))
	}
	first := last.AddDate(-3, 0, 1)
	cites := 0
	for _, p := range paths {
		src, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		other, err := os.ReadFile(filepath.Join(b, "notes", filepath.Base(p)))
		if err != nil || !bytes.Equal(src, other) {
			t.Fatalf("%s differs between two runs with the same seed", filepath.Base(p))
		}
		n, err := notes.Parse(p, src, notes.Options{})
		if err != nil {
			t.Fatalf("parse %s: %v", p, err)
		}
		if !keys[n.Key] {
			t.Errorf("%s: key %q not in the bib", p, n.Key)
		}
		if n.Meta.Read.Before(first) || n.Meta.Read.After(last) {
			t.Errorf("%s: read %s outside the 3 years", p, n.Meta.Read)
		}
		for _, c := range n.Cites {
			cites++
			if !keys[c.Key] {
				t.Errorf("%s: cites unknown key %q", p, c.Key)
			}
		}
	}
	if cites == 0 {
		t.Error("no citations between notes")
	}
	if js, _ := filepath.Glob(filepath.Join(a, "journal", "*.md")); len(js) < 100 {
		t.Errorf("%d journal files for 3 years", len(js))
	}
}

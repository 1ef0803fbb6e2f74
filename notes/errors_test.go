package notes

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/papernotes/papernotes/internal/testutil"
)

// TestParseErrors compares the full "file:line:col: msg" of every problem
// with testdata/errors/*.err, and checks that a note with a bad front matter
// still comes back with its sections.
func TestParseErrors(t *testing.T) {
	files, _ := filepath.Glob("testdata/errors/*.md")
	for _, path := range files {
		name := strings.TrimSuffix(filepath.Base(path), ".md")
		t.Run(name, func(t *testing.T) {
			src, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			n, err := Parse(path, src, Options{})
			if n == nil {
				t.Fatal("nil note")
			}
			if err == nil {
				t.Fatal("no error")
			}
			var list ErrorList
			if !errors.As(err, &list) || len(list) == 0 {
				t.Fatalf("error %T is not a non-empty ErrorList", err)
			}
			var e *Error
			if !errors.As(list[0], &e) {
				t.Fatal("not an *Error")
			}
			testutil.Golden(t, "testdata/errors/"+name+".err", []byte(err.Error()+"\n"))
			if name == "bad-yaml" {
				if !errors.Is(list[0], ErrBadFrontMatter) {
					t.Errorf("want ErrBadFrontMatter, got %v", list[0])
				}
				if _, ok := n.Section(SectionMethod); !ok {
					t.Error("partial result lost the sections")
				}
			}
		})
	}
}

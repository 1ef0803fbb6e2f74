package bib

import (
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestParseConcurrent parses the test inputs on several goroutines at once
// (run it with -race) and checks each result matches a sequential parse.
// Two goroutines also call nickng's parser through nickngParse, whose mutex
// keeps nickng's package-level state consistent.
func TestParseConcurrent(t *testing.T) {
	files, err := filepath.Glob("testdata/parse/*.bib")
	if err != nil || len(files) == 0 {
		t.Fatalf("no test inputs: %v", err)
	}
	srcs := make([][]byte, len(files))
	want := make([]string, len(files))
	for i, path := range files {
		if srcs[i], err = os.ReadFile(path); err != nil {
			t.Fatal(err)
		}
		want[i] = dump(Parse(path, srcs[i], nil))
	}
	// A big input makes Parse itself use several goroutines.
	big := []byte(strings.Repeat(string(srcs[0])+"\n", parallelMinSize/len(srcs[0])+1))
	wantBig := dump(parse("big.bib", big, nil, 1))

	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for k := range files {
				i := (k + g) % len(files)
				if diff := cmp.Diff(want[i], dump(Parse(files[i], srcs[i], nil))); diff != "" {
					t.Errorf("%s: concurrent parse differs (-want +got):\n%s", files[i], diff)
				}
			}
			if got := dump(Parse("big.bib", big, nil)); got != wantBig {
				t.Errorf("big.bib: concurrent chunked parse differs from a sequential one")
			}
		})
	}
	for range 2 {
		wg.Go(func() {
			for range 20 {
				bt, err := nickngParse("@article{a, title = {x}, year = 2000}\n@article{b, title = {y}}\n")
				if err != nil || len(bt.Entries) != 2 {
					t.Errorf("nickng under the mutex: %v, %+v", err, bt)
				}
			}
		})
	}
	wg.Wait()
}

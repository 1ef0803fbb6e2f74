package scaffold

import (
	"slices"
	"testing"

	"github.com/papernotes/papernotes/bib"
	"github.com/papernotes/papernotes/notes"
)

func TestEntry(t *testing.T) {
	src := `@inproceedings{li2023blip,
  title = {{BLIP-2}: Bootstrapping},
  author = {Li, Junnan and van der Berg, Anna and others},
  booktitle = {ICML},
  year = {2023},
  doi = {10.1/x},
  abstract = {We do it.}
}
@book{ed2020,
  title = {Edited},
  editor = {M{\"u}ller, Jan},
  year = {2020}
}
`
	f := bib.Parse("t.bib", []byte(src), nil)
	if len(f.Entries) != 2 {
		t.Fatalf("entries = %d, problems %v", len(f.Entries), f.Problems)
	}
	got := Entry(f.Entries[0])
	if got.Key != "li2023blip" || got.Year != "2023" || got.DOI != "10.1/x" || got.Abstract != "We do it." || got.Venue != "ICML" {
		t.Errorf("entry = %+v", got)
	}
	if want := []string{"Junnan Li", "Anna van der Berg", "et al."}; !slices.Equal(got.Authors, want) {
		t.Errorf("authors = %q, want %q", got.Authors, want)
	}
	if got := Entry(f.Entries[1]).Authors; !slices.Equal(got, []string{"Jan Müller"}) {
		t.Errorf("editors = %q", got)
	}
	// The scaffold of the result parses as a note of the key.
	n, err := notes.Parse("li2023blip.md", notes.Scaffold(got, "en", notes.ScaffoldOptions{}), notes.Options{})
	if err != nil || n.Key != "li2023blip" {
		t.Fatalf("parse scaffold: key %q, %v", n.Key, err)
	}
}

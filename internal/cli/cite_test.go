package cli

import (
	"fmt"
	"strings"
	"testing"

	"github.com/papernotes/papernotes/bib"
	"github.com/papernotes/papernotes/internal/testutil"
)

// citeMatches matches on all cores, in runs of entries: the matches come
// back once each and in library order.
func TestCiteMatchesOrder(t *testing.T) {
	var b strings.Builder
	for i := range 3000 {
		title := "Other Things"
		if i%7 == 0 {
			title = "Grounded Müller Models"
		}
		fmt.Fprintf(&b, "@article{k%d, title = {%s %d}, author = {Ann Author}, year = 2020}\n", i, title, i)
	}
	f := bib.Parse("lib.bib", []byte(b.String()), nil)
	lib := bib.NewLibrary([]*bib.File{f}, bib.LoadOptions{})
	got := citeMatches(lib, "grounding muller")
	var want []string
	for i := 0; i < 3000; i += 7 {
		want = append(want, fmt.Sprintf("k%d", i))
	}
	keys := make([]string, len(got))
	for i, e := range got {
		keys[i] = e.Key
	}
	if strings.Join(keys, " ") != strings.Join(want, " ") {
		t.Errorf("matched %d entries %v…, want %d in order", len(keys), keys[:min(5, len(keys))], len(want))
	}
}

// BenchmarkCiteMatches matches a key against every entry of the corpus,
// as `cite KEY` does.
func BenchmarkCiteMatches(b *testing.B) {
	lib, err := bib.LoadDir(testutil.CorpusDir(b), bib.LoadOptions{})
	if err != nil {
		b.Fatal(err)
	}
	key := lib.Entries()[len(lib.Entries())/2].Key
	for b.Loop() {
		if len(citeMatches(lib, key)) == 0 {
			b.Fatalf("%s matches nothing", key)
		}
	}
}

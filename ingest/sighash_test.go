package ingest

import (
	"testing"

	"github.com/papernotes/papernotes/bib"
)

// TestSignatureHashCollision checks that a plan never takes an entry for
// one it has already seen on the strength of the hash alone: a different
// entry under the same hash (as a collision would put it) is not the same
// content.
func TestSignatureHashCollision(t *testing.T) {
	f := bib.Parse("in.bib", []byte("@misc{a, title={One}}\n@misc{b, title={Two}}\n@misc{c, title={One}}\n"), nil)
	one, two, oneAgain := f.Entries[0], f.Entries[1], f.Entries[2]
	lib := bib.NewLibrary(nil, bib.LoadOptions{})
	for _, tc := range []struct {
		name     string
		have     *bib.Entry
		e        *bib.Entry
		wantSame bool
	}{
		{"collision", one, two, false},
		{"same content", one, oneAgain, true},
	} {
		for _, inLib := range []bool{true, false} {
			pl := planned{sigs: newSigHasher(), libSig: map[uint64]*bib.Entry{}, bySig: map[uint64]*bib.Entry{},
				byFold: map[string]*bib.Entry{}, byDOI: map[string]*bib.Entry{}, byArXiv: map[string]*bib.Entry{}, byTitle: map[string]*bib.Entry{}}
			sig := pl.sigs.sum(tc.e)
			if inLib {
				pl.libSig[sig] = tc.have
			} else {
				pl.bySig[sig] = tc.have
			}
			it := Item{Entry: tc.e}
			(&Plan{}).decide(&it, sig, bib.DupKeysOf(tc.e), lib, &pl, Options{})
			if got := it.Action == SkipSame; got != tc.wantSame {
				t.Errorf("%s (in library %v): action %v, want SkipSame %v", tc.name, inLib, it.Action, tc.wantSame)
			}
		}
	}
}

package catalog

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/papernotes/papernotes/bib"
	"github.com/papernotes/papernotes/internal/testutil"
	"github.com/papernotes/papernotes/notes"
)

const testBib = `@article{b2021, title={Zeta Grounding}, author={Müller, Anna and Li, Bo}, year={2021}}
@inproceedings{a2023, title={Alpha Segment}, author={Zhou, Chen}, year={2023}}
@book{c2019, title={Beta}, editor={Ng, Andrew}, year={2019}}
`

func testCatalog(t *testing.T) *Catalog {
	t.Helper()
	f := bib.Parse("lib.bib", []byte(testBib), nil)
	lib := bib.NewLibrary([]*bib.File{f}, bib.LoadOptions{})
	ns := []*notes.Note{
		{Path: "notes/a2023.md", Key: "a2023", Meta: notes.Meta{Status: "toread", Tags: []string{"seg"}}},
		{Path: "notes/b2021.md", Key: "b2021", Meta: notes.Meta{Status: "read", Tags: []string{"vlm", "seg"}}},
	}
	return New(lib, ByKey(ns), nil)
}

func keys(c *Catalog, idx []int) []string {
	var out []string
	for _, it := range c.Items(idx) {
		out = append(out, it.Key)
	}
	return out
}

func TestFilterSort(t *testing.T) {
	c := testCatalog(t)
	yes, no := true, false
	tests := []struct {
		name string
		f    Filter
		sort string
		want []string
	}{
		{"all by key", Filter{}, "key", []string{"a2023", "b2021", "c2019"}},
		{"by year", Filter{}, "year", []string{"c2019", "b2021", "a2023"}},
		{"by title", Filter{}, "title", []string{"a2023", "c2019", "b2021"}},
		{"by author", Filter{}, "author", []string{"c2019", "b2021", "a2023"}},
		{"text folds accents", Filter{Text: "muller"}, "key", []string{"b2021"}},
		{"author", Filter{Author: "ng"}, "key", []string{"c2019"}},
		{"years", Filter{YearFrom: 2020}, "key", []string{"a2023", "b2021"}},
		{"years to", Filter{YearTo: 2021}, "key", []string{"b2021", "c2019"}},
		{"tag", Filter{Tags: []string{"seg"}}, "key", []string{"a2023", "b2021"}},
		{"tags all", Filter{Tags: []string{"seg", "vlm"}}, "key", []string{"b2021"}},
		{"status", Filter{Status: "toread"}, "key", []string{"a2023"}},
		{"has note", Filter{HasNote: &yes}, "key", []string{"a2023", "b2021"}},
		{"no note", Filter{HasNote: &no}, "key", []string{"c2019"}},
		{"type", Filter{Type: "book"}, "key", []string{"c2019"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			idx := c.Filter(tt.f)
			c.Sort(idx, tt.sort)
			if diff := cmp.Diff(tt.want, keys(c, idx)); diff != "" {
				t.Errorf("(-want +got)\n%s", diff)
			}
		})
	}
}

func TestByKeyPrefersOwnFileName(t *testing.T) {
	ns := []*notes.Note{
		{Path: "notes/a-copy.md", Key: "a"},
		{Path: "notes/a.md", Key: "a"},
		{Path: "notes/b1.md", Key: "b"},
		{Path: "notes/b2.md", Key: "b"},
		{Path: "notes/none.md"},
	}
	m := ByKey(ns)
	if m["a"].Path != "notes/a.md" || m["b"].Path != "notes/b1.md" || len(m) != 2 {
		t.Errorf("ByKey = %v", m)
	}
}

func TestOrderFilterIn(t *testing.T) {
	c := testCatalog(t)
	for _, by := range []string{"key", "year", "title", "author", "venue", "status", "read", "note"} {
		want := c.Filter(Filter{Tags: []string{"seg"}})
		c.Sort(want, by)
		got := c.FilterIn(Filter{Tags: []string{"seg"}}, c.Order(by))
		if diff := cmp.Diff(keys(c, want), keys(c, got)); diff != "" {
			t.Errorf("%s: (-want +got)\n%s", by, diff)
		}
	}
	if o1, o2 := c.Order("title"), c.Order("title"); &o1[0] != &o2[0] {
		t.Errorf("Order is not cached")
	}
}

func TestWithNotes(t *testing.T) {
	c := testCatalog(t)
	c.Order("title")
	ns := []*notes.Note{{Path: "notes/c2019.md", Key: "c2019", Meta: notes.Meta{Status: "reading", Tags: []string{"book"}}}}
	n := c.WithNotes(ByKey(ns), nil)
	if got := keys(n, n.Filter(Filter{Status: "reading"})); !cmp.Equal(got, []string{"c2019"}) {
		t.Errorf("status filter after WithNotes: %v", got)
	}
	if got := keys(n, n.Filter(Filter{Status: "toread"})); got != nil {
		t.Errorf("old notes kept: %v", got)
	}
	if got := keys(n, n.FilterIn(Filter{Text: "muller"}, n.Order("title"))); !cmp.Equal(got, []string{"b2021"}) {
		t.Errorf("text filter after WithNotes: %v", got)
	}
	if got := keys(c, c.Filter(Filter{Status: "toread"})); !cmp.Equal(got, []string{"a2023"}) {
		t.Errorf("the old catalog changed: %v", got)
	}
	want := c.Filter(Filter{})
	n.Sort(want, "note")
	if got := keys(n, n.FilterIn(Filter{}, n.Order("note"))); !cmp.Equal(got, keys(n, want)) || got[0] != "c2019" {
		t.Errorf("note order %v", got)
	}
}

// FuzzFold: the ASCII fast path of Fold gives what the Unicode path does.
func FuzzFold(f *testing.F) {
	for _, s := range []string{"", " ", "Müller", "A  B", " a b ", "a\tb\n", "ab", "a\v\fB\r", "x ", " x", "a \u00a0b", "ABC def"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := Fold(s), foldUnicode(s); got != want {
			t.Fatalf("Fold(%q) = %q, want %q", s, got, want)
		}
	})
}

// BenchmarkNew makes the items of every corpus entry, as list does.
func BenchmarkNew(b *testing.B) {
	lib, err := bib.LoadDir(testutil.CorpusDir(b), bib.LoadOptions{})
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		New(lib, nil, nil)
	}
}

// A catalog from a Builder, given the entries a few at a time, holds the
// items New makes, and filters and sorts them alike (the venue too, which
// New reads from the entries).
func TestBuilder(t *testing.T) {
	src := testBib + `@inproceedings{d2020, title={G{\"o}del Venue}, author={Kurt}, booktitle={Proc. {CVPR}}, year={2020}}
@article{e2020, title={Journal One}, journal={Zeitschrift}, year={2020}}
@misc{b2021, title={Duplicate key}}
`
	f := bib.Parse("lib.bib", []byte(src), nil)
	lib := bib.NewLibrary([]*bib.File{f}, bib.LoadOptions{})
	ns := []*notes.Note{{Path: "notes/a2023.md", Key: "a2023", Meta: notes.Meta{Status: "toread", Tags: []string{"seg"}}}}
	display := func(s string) string { return "shown/" + s }
	want := New(lib, ByKey(ns), display)
	var b Builder
	es := lib.Entries()
	for i := 0; i < len(es); i += 2 {
		b.Add(es[i:min(i+2, len(es))], display)
	}
	got := b.Catalog(ByKey(ns), display)
	all := want.Filter(Filter{})
	if diff := cmp.Diff(want.Items(all), got.Items(got.Filter(Filter{}))); diff != "" {
		t.Errorf("items (-New +Builder):\n%s", diff)
	}
	if len(got.Items(all)) != len(es) {
		t.Fatalf("%d items for %d entries", len(got.Items(all)), len(es))
	}
	for _, by := range []string{"key", "year", "title", "author", "venue", "status", "read", "note"} {
		for _, fl := range []Filter{{}, {Text: "godel"}, {Author: "kurt"}, {Tags: []string{"seg"}}} {
			w, g := want.FilterIn(fl, want.Order(by)), got.FilterIn(fl, got.Order(by))
			if diff := cmp.Diff(keys(want, w), keys(got, g)); diff != "" {
				t.Errorf("%s %+v (-New +Builder):\n%s", by, fl, diff)
			}
		}
	}
	if _, e, n := got.Item(0); e != nil || n != nil {
		t.Errorf("Item(0) of a built catalog: entry %v, note %v", e, n)
	}
}

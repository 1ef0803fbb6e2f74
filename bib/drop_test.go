package bib

import (
	"slices"
	"testing"
)

func TestRawWithout(t *testing.T) {
	cases := []struct {
		desc, give, want string
		drop             []string
	}{
		{"middle and last", "@article{k,\n  title={A {B} c},\n  abstract={We {learn} \"x\"},\n  year={2023},\n  file={a.pdf}\n}",
			"@article{k,\n  title={A {B} c},\n  year={2023}\n}", []string{"abstract", "file"}},
		{"pattern and quotes", "@misc{k, title = \"T\" # foo,\n\tbdsk-url-1 = {x},\n\tBdsk-File-1 = \"y\" }",
			"@misc{k, title = \"T\" # foo\n\t }", []string{"bdsk-*"}},
		{"same line", "@misc{k, abstract={x}, year=2020}", "@misc{k,  year=2020}", []string{"abstract"}},
		{"nothing to drop", "@misc{k, year=2020}", "@misc{k, year=2020}", []string{"abstract"}},
		{"broken", "@misc{k, year={2020}", "@misc{k, year={2020}", []string{"year"}},
		{"parens", "@misc(k,\n  abstract = {a},\n  note = {n}\n)", "@misc(k,\n  note = {n}\n)", []string{"abstract"}},
	}
	for _, c := range cases {
		t.Run(c.desc, func(t *testing.T) {
			e := &Entry{Raw: c.give}
			if got := e.RawWithout(c.drop); got != c.want {
				t.Errorf("RawWithout(%q)\n got %q\nwant %q", c.drop, got, c.want)
			}
		})
	}
}

// FuzzRawWithout: never panics, and when the input parses, dropping a
// field leaves an entry with the same key and the other fields.
func FuzzRawWithout(f *testing.F) {
	f.Add("@article{k,\n  title={A},\n  abstract={B},\n  year=2020\n}", "abstract")
	f.Add("@misc{k, a = \"x\" # y, b={{}}}", "a")
	f.Add("@misc(k, file={x})", "file")
	f.Fuzz(func(t *testing.T, src, name string) {
		lib := Parse("f.bib", []byte(src), nil)
		if len(lib.Entries) != 1 || lib.Problems.Err() != nil {
			return
		}
		e := lib.Entries[0]
		out := e.RawWithout([]string{name})
		if out == e.Raw {
			return
		}
		again := Parse("g.bib", []byte(out), nil)
		if len(again.Entries) != 1 || again.Entries[0].Key != e.Key {
			t.Fatalf("RawWithout(%q) of %q = %q: does not parse to the same key", name, src, out)
		}
		var want, got []string
		for _, fl := range e.Fields {
			if !MatchField(fl.Name, []string{name}) {
				want = append(want, fl.Name)
			}
		}
		for _, fl := range again.Entries[0].Fields {
			got = append(got, fl.Name)
		}
		if !slices.Equal(want, got) {
			t.Fatalf("RawWithout(%q) of %q = %q: fields %q, want %q", name, src, out, got, want)
		}
	})
}

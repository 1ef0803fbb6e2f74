package bib

import (
	"strings"
	"testing"
)

func TestRawEdited(t *testing.T) {
	cases := []struct {
		name, raw, typ string
		edits          []FieldEdit
		want           string
	}{
		{"replace in place", "@misc{k,\n  title = {Old},\n  year = 2011,\n}", "",
			[]FieldEdit{{Name: "year", Value: "{2012}"}}, "@misc{k,\n  title = {Old},\n  year = {2012},\n}"},
		{"add after a last field without comma", "@misc{k,\n    title={Old}\n}", "article",
			[]FieldEdit{{Name: "journal", Value: "{J}"}}, "@article{k,\n    title={Old},\n    journal = {J},\n}"},
		{"delete and keep layout", "@Misc{k,\n  title        = \"T\",\n  howpublished = {arXiv},\n  note = {n}}", "inproceedings",
			[]FieldEdit{{Name: "howpublished", Delete: true}, {Name: "booktitle", Value: "{ICML}"}},
			"@inproceedings{k,\n  title        = \"T\",\n  note = {n},\n  booktitle = {ICML},\n}"},
		{"crlf", "@misc{k,\r\n  title = {T}\r\n}", "",
			[]FieldEdit{{Name: "doi", Value: "{10.1/x}"}}, "@misc{k,\r\n  title = {T},\r\n  doi = {10.1/x},\r\n}"},
		{"no fields", "@misc{k}", "", []FieldEdit{{Name: "title", Value: "{T}"}}, "@misc{k,\n  title = {T},\n}"},
		{"macro value", "@article{k, journal = prb, month = jan # {~5}}", "",
			[]FieldEdit{{Name: "month", Value: "mar"}}, "@article{k, journal = prb, month = mar}"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := Parse("t.bib", []byte(c.raw), nil)
			if len(f.Entries) != 1 {
				t.Fatalf("%d entries", len(f.Entries))
			}
			got, ok := f.Entries[0].RawEdited(c.typ, c.edits)
			if !ok || got != c.want {
				t.Errorf("RawEdited = %v\n%s\nwant\n%s", ok, got, c.want)
			}
			back := Parse("t.bib", []byte(got), nil)
			if len(back.Entries) != 1 || len(back.Problems.Errors()) > 0 {
				t.Errorf("result does not read back: %v", back.Problems)
			}
		})
	}
}

// TestRawEditedRefuses checks that entries the field scan reads unlike
// the parser are not edited: their edit could change another field than
// the one the library shows.
func TestRawEditedRefuses(t *testing.T) {
	for _, raw := range []string{
		"@misc{B=0,}",        // a field and no key for the parser
		"@0{A=1,A=0}",        // the parser keeps the first A, which the scan takes for the key
		"@misc{k, a=1, a=2}", // the parser drops the second a
	} {
		f := Parse("t.bib", []byte(raw), nil)
		if len(f.Entries) != 1 {
			t.Fatalf("%q: %d entries", raw, len(f.Entries))
		}
		if got, ok := f.Entries[0].RawEdited("", []FieldEdit{{Name: "a", Value: "{x}"}}); ok {
			t.Errorf("RawEdited(%q) = %q, want a refusal", raw, got)
		}
	}
}

// FuzzRawEdited: whatever the entry, an edit that succeeds gives an entry
// that reads back with the same key, the edited field's new value and the
// other fields unchanged.
func FuzzRawEdited(f *testing.F) {
	f.Add("@misc{k,\n  title = {Old},\n  year = 2011,\n}", "year", "2012", false)
	f.Add("@Misc{k,\n  title        = \"T\",\n  howpublished = {arXiv},\n  note = {n}}", "howpublished", "", true)
	f.Add("@misc{k}", "title", "A {GPU} era", false)
	f.Add("@article{k, journal = prb, month = jan # {~5}}", "month", "x", false)
	f.Fuzz(func(t *testing.T, raw, name, value string, del bool) {
		file := Parse("f.bib", []byte(raw), nil)
		if len(file.Entries) != 1 || len(file.Problems.Errors()) > 0 {
			return
		}
		name = strings.ToLower(name)
		if !isFieldName(name) || strings.ContainsAny(value, "{}\\\r") || strings.ContainsRune(value, '\x00') {
			return
		}
		e := file.Entries[0]
		ed := FieldEdit{Name: name, Value: "{" + value + "}", Delete: del}
		got, ok := e.RawEdited("", []FieldEdit{ed})
		if !ok {
			return
		}
		back := Parse("f.bib", []byte(got), nil)
		if len(back.Entries) != 1 || len(back.Problems.Errors()) > 0 {
			t.Fatalf("edited entry does not read back:\n%s\n%v", got, back.Problems)
		}
		n := back.Entries[0]
		if n.Key != e.Key {
			t.Fatalf("key %q became %q", e.Key, n.Key)
		}
		if del {
			if n.Has(name) {
				t.Fatalf("%s still there:\n%s", name, got)
			}
		} else if strings.Join(strings.Fields(n.Get(name)), " ") != strings.Join(strings.Fields(value), " ") {
			t.Fatalf("%s = %q, want %q:\n%s", name, n.Get(name), value, got)
		}
		for _, fl := range e.Fields {
			if fl.Name == name {
				continue
			}
			if n.Get(fl.Name) != e.Get(fl.Name) {
				t.Fatalf("%s changed: %q -> %q\n%s", fl.Name, e.Get(fl.Name), n.Get(fl.Name), got)
			}
		}
	})
}

func isFieldName(s string) bool {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

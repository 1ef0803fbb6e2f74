package bib

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"

	"github.com/google/go-cmp/cmp"
)

// corpusSnippets are small pieces of real-world .bib text that exercise the
// reader's odd corners; FuzzParseBib starts from them and from testdata.
var corpusSnippets = []string{
	"@String{ieeetpami = {IEEE Trans. PAMI}}\n@article{a, journal = ieeetpami # { 2020}, month = Jan}",
	"@inproceedings(x,\n  title = \"The {GPU} era\",\n  url = {https://medium.com/@user}\n)",
	"%@article{c, title={x}}\n@comment{jabref-meta: x;}\n@preamble{\"\\noop\"}",
	"@misc{张三2024, title = {中文}}\r\n@misc{, year = 2020}",
	"@article{a,\n  title = {Unclosed,\n\n@article{b, title = {B}}",
	"@article{a, title = {A} year = 2000, Title = {dup}}",
	"\xef\xbb\xbf@book{k, author = {M\xfcller}}",
}

// FuzzParseBib checks that Parse never panics, that every position is in
// range, that reading in chunks gives the same result, and that a file
// read without errors prints back to BibTeX that reads as the same keys,
// types and expanded field values.
func FuzzParseBib(f *testing.F) {
	files, _ := filepath.Glob("testdata/parse/*.bib")
	for _, path := range files {
		if src, err := os.ReadFile(path); err == nil {
			f.Add(src)
		}
	}
	for _, s := range corpusSnippets {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		file := Parse("fuzz.bib", src, nil)
		if file == nil {
			t.Fatal("Parse returned nil")
		}
		checkPositions(t, file, decode(src, false).text)
		if got, want := dump(parse("fuzz.bib", src, nil, 3)), dump(file); got != want {
			t.Fatalf("chunked parse differs:\n%s", cmp.Diff(want, got))
		}
		if len(file.Problems.Errors()) > 0 {
			return
		}
		printed := format(file)
		again := Parse("printed.bib", []byte(printed), nil)
		if errs := again.Problems.Errors(); len(errs) > 0 {
			t.Fatalf("printed text has errors: %v\n%s", errs, printed)
		}
		if diff := cmp.Diff(entryLines(file), entryLines(again)); diff != "" {
			t.Fatalf("print and re-read changed the entries (-first +second):\n%s\nprinted:\n%s", diff, printed)
		}
	})
}

// entryLines lists each entry's type, key and expanded fields.
func entryLines(f *File) []string {
	var out []string
	for _, e := range f.Entries {
		var b strings.Builder
		b.WriteString(e.Type + "{" + e.Key)
		for _, fl := range e.Fields {
			b.WriteString(", " + fl.Name + "=" + Expand(fl.Value))
		}
		out = append(out, b.String())
	}
	return out
}

// normalizeTitleRef is NormalizeTitle as first written, rune by rune; the
// fast path must agree with it on every input.
func normalizeTitleRef(title string) string {
	var b strings.Builder
	for _, r := range DecodeLaTeX(title) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

func FuzzNormalizeTitle(f *testing.F) {
	for _, s := range []string{"", "Attention Is All You Need", `{\"U}ber {B}ayes--Nets`, "开放词汇 Detection 2", "\xff\xfeA", "ÀÉ \u0301x", `$\alpha$-Nets`, "Ǆ ǅ"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := NormalizeTitle(s), normalizeTitleRef(s); got != want {
			t.Fatalf("NormalizeTitle(%q) = %q, want %q", s, got, want)
		}
	})
}

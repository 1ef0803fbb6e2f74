package bib

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/nickng/bibtex"

	"github.com/papernotes/papernotes/internal/testutil"
)

// rawValue prints v as BibTeX source: {text} (or "text" when the braces in
// text do not balance), bare macro names, and " # " between parts.
func rawValue(v bibtex.BibString) string {
	switch v := v.(type) {
	case bibtex.BibConst:
		if bracesBalance(string(v)) {
			return "{" + string(v) + "}"
		}
		return `"` + string(v) + `"`
	case *bibtex.BibVar:
		return v.Key
	case *bibtex.BibComposite:
		parts := make([]string, len(*v))
		for i, p := range *v {
			parts[i] = rawValue(p)
		}
		return strings.Join(parts, " # ")
	case nil:
		return "<nil>"
	}
	return fmt.Sprintf("<%T>", v)
}

func bracesBalance(s string) bool {
	depth := 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '{':
			depth++
		case '}':
			depth--
			if depth < 0 {
				return false
			}
		}
	}
	return depth == 0
}

// format prints f's @string definitions and entries in source order as
// BibTeX, one field per line; the fuzz test reads it back.
func format(f *File) string {
	type item struct {
		off int
		s   string
	}
	var items []item
	for _, s := range f.Strings {
		items = append(items, item{s.Pos.Offset, fmt.Sprintf("@string{%s = %s}\n", s.Name, rawValue(s.Value))})
	}
	for _, e := range f.Entries {
		var b strings.Builder
		fmt.Fprintf(&b, "@%s{%s,\n", e.Type, e.Key)
		for _, fl := range e.Fields {
			fmt.Fprintf(&b, "  %s = %s,\n", fl.Name, rawValue(fl.Value))
		}
		b.WriteString("}\n")
		items = append(items, item{e.Pos.Offset, b.String()})
	}
	sort.SliceStable(items, func(i, j int) bool { return items[i].off < items[j].off })
	var b strings.Builder
	for _, it := range items {
		b.WriteString(it.s)
	}
	return b.String()
}

// dump prints everything Parse returned, for golden files.
func dump(f *File) string {
	var b strings.Builder
	fmt.Fprintf(&b, "file %s: %d bytes, %d entries, %d strings, %d preambles\n",
		f.Name, f.Size, len(f.Entries), len(f.Strings), len(f.Preambles))
	lc := func(p interface{ String() string }) string {
		s := p.String()
		return s[strings.Index(s, ":")+1:]
	}
	for _, s := range f.Strings {
		fmt.Fprintf(&b, "%s @string %s = %s => %q\n", lc(s.Pos), s.Name, rawValue(s.Value), Expand(s.Value))
	}
	for _, p := range f.Preambles {
		fmt.Fprintf(&b, "%s @preamble %s\n", lc(p.Pos), rawValue(p.Value))
	}
	for _, e := range f.Entries {
		fmt.Fprintf(&b, "%s @%s key %q at %s, raw %d bytes, last line %q\n", lc(e.Pos), e.Type, e.Key, lc(e.KeyPos), len(e.Raw), e.Raw[strings.LastIndexByte(e.Raw, '\n')+1:])
		for _, fl := range e.Fields {
			fmt.Fprintf(&b, "  %s %s = %s => %q\n", lc(fl.Pos(e.Pos.Filename)), fl.Name, rawValue(fl.Value), Expand(fl.Value))
		}
	}
	for _, p := range f.Problems {
		fmt.Fprintf(&b, "%s %s %s key=%q\n", p.Severity, Code(p), lc(p.Pos), p.Key)
	}
	return b.String()
}

// TestParse reads each testdata/parse/*.bib and compares its problems
// (file:line:col: message) with the .err golden file and everything it read
// with the .golden file. Reading the file in chunks must give the same.
func TestParse(t *testing.T) {
	files, err := filepath.Glob("testdata/parse/*.bib")
	if err != nil || len(files) == 0 {
		t.Fatalf("no test inputs: %v", err)
	}
	for _, path := range files {
		name := strings.TrimSuffix(filepath.Base(path), ".bib")
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			src, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			path := filepath.ToSlash(path)
			f := Parse(path, src, nil)
			checkPositions(t, f, decode(src, false).text)
			var errs strings.Builder
			for _, p := range f.Problems {
				errs.WriteString(p.Error() + "\n")
			}
			base := strings.TrimSuffix(path, ".bib")
			testutil.Golden(t, base+".err", []byte(errs.String()))
			got := dump(f)
			testutil.Golden(t, base+".golden", []byte(got))
			for _, n := range []int{2, 3, 7} {
				if diff := cmp.Diff(got, dump(parse(path, src, nil, n))); diff != "" {
					t.Errorf("read in %d chunks: differs (-whole +chunks):\n%s", n, diff)
				}
			}
		})
	}
}

func TestParseNeverNil(t *testing.T) {
	for _, src := range []string{"", "@", "@{", "@article{", "\xff\xfe", "\xfe\xff\x00", "\xef\xbb\xbf", "}}}{{{", "@string{x=", "@comment("} {
		f := Parse("x.bib", []byte(src), nil)
		if f == nil || f.Name != "x.bib" || f.Size != len(src) {
			t.Errorf("Parse(%q) = %+v", src, f)
		}
	}
}

func TestParseColumnsAreRunes(t *testing.T) {
	src := "@misc{张三2024, title = {中文}, note = 未定义}\n"
	f := Parse("c.bib", []byte(src), nil)
	if len(f.Entries) != 1 {
		t.Fatalf("entries = %d, want 1", len(f.Entries))
	}
	e := f.Entries[0]
	if got := e.Fields[1].Pos(e.Pos.Filename); got.Line != 1 || got.Column != 29 {
		t.Errorf("note at %d:%d, want 1:29", got.Line, got.Column)
	}
	if len(f.Problems) != 1 || f.Problems[0].Pos.Column != 36 || f.Problems[0].Key != "张三2024" {
		t.Errorf("problems = %v, want the undefined macro at 1:36", f.Problems)
	}
}

func TestParseMacros(t *testing.T) {
	opts := &ParseOptions{Macros: map[string]bibtex.BibString{
		"tpami": bibtex.BibConst("IEEE TPAMI"),
		"feb":   bibtex.BibConst("Feb."),
	}}
	src := "@article{a, journal = TPAMI, month = feb, note = mar}\n" +
		"@string{tpami = {Local}}\n" +
		"@article{b, journal = tpami, note = other}\n"
	f := Parse("m.bib", []byte(src), opts)
	want := [][]string{{"IEEE TPAMI", "Feb.", "March"}, {"Local", "other"}}
	for i, e := range f.Entries {
		var got []string
		for _, fl := range e.Fields {
			got = append(got, Expand(fl.Value))
		}
		if diff := cmp.Diff(want[i], got); diff != "" {
			t.Errorf("entry %s (-want +got):\n%s", e.Key, diff)
		}
	}
	if len(f.Problems) != 1 || !errors.Is(f.Problems[0], ErrUndefinedMacro) || Code(f.Problems[0]) != "undefined-macro" {
		t.Fatalf("problems = %v, want one undefined macro", f.Problems)
	}

	f.Resolve(map[string]bibtex.BibString{"unrelated": bibtex.BibConst("x")})
	if len(f.Problems) != 1 {
		t.Fatalf("Resolve with an unrelated macro dropped a problem: %v", f.Problems)
	}
	f.Resolve(map[string]bibtex.BibString{"other": bibtex.BibConst("from another file")})
	if len(f.Problems) != 0 {
		t.Errorf("after Resolve: problems = %v, want none", f.Problems)
	}
	if got := f.Entries[1].Get("note"); got != "from another file" {
		t.Errorf("after Resolve: note = %q", got)
	}
	v, _ := f.Entries[1].Field("note")
	if bv, ok := v.Value.(*bibtex.BibVar); !ok || bv.Key != "other" {
		t.Errorf("after Resolve: note value = %#v, want a *BibVar named other", v.Value)
	}
	var nilFile *File
	nilFile.Resolve(nil)
}

// TestParseChunksResolveMacros checks that a macro defined in one chunk and
// used in a later one resolves as in a sequential read, including a month
// redefined by the file.
func TestParseChunksResolveMacros(t *testing.T) {
	var b strings.Builder
	b.WriteString("@string{jan = {Jan.}}\n@string{j = {Journal}}\n")
	for i := range 200 {
		fmt.Fprintf(&b, "@article{k%d, journal = j # { } # %d, month = jan, note = undefined%d}\n", i, i, i%3)
		if i == 100 {
			b.WriteString("@string{j = {Redefined}}\n")
		}
	}
	src := []byte(b.String())
	whole := dump(parse("c.bib", src, nil, 1))
	for _, n := range []int{2, 5, 16} {
		if diff := cmp.Diff(whole, dump(parse("c.bib", src, nil, n))); diff != "" {
			t.Errorf("%d chunks (-whole +chunks):\n%s", n, diff)
		}
	}
	if !strings.Contains(whole, `"Redefined 150"`) || !strings.Contains(whole, `"Jan."`) {
		t.Errorf("macros not applied:\n%.400s", whole)
	}
}

// TestParseNoCopy checks that sharing the caller's buffer reads the same.
func TestParseNoCopy(t *testing.T) {
	files, _ := filepath.Glob("testdata/parse/*.bib")
	for _, path := range files {
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		want := dump(Parse(path, src, nil))
		if diff := cmp.Diff(want, dump(Parse(path, src, &ParseOptions{NoCopy: true}))); diff != "" {
			t.Errorf("%s: NoCopy reads differently (-copy +nocopy):\n%s", path, diff)
		}
	}
}

// TestCommentIndexExact checks on random comment-heavy inputs that finding
// comments unclosed through commentIndex gives what scanning each one does.
func TestCommentIndexExact(t *testing.T) {
	tokens := []string{"@comment{", "@comment(", "{", "}", "(", ")", "\n", "x ", "\n@misc{k, t = {v}}\n", "@comment{a}", "@comment(b)"}
	rng := uint64(1)
	next := func(n int) int {
		rng ^= rng << 13
		rng ^= rng >> 7
		rng ^= rng << 17
		return int(rng % uint64(n))
	}
	for range 3000 {
		var b strings.Builder
		for range 5 + next(40) {
			b.WriteString(tokens[next(len(tokens))])
		}
		src := []byte(b.String())
		want := dump(Parse("c.bib", src, &ParseOptions{noCommentIndex: true}))
		if got := dump(Parse("c.bib", src, nil)); got != want {
			t.Fatalf("input %q:\n%s", src, cmp.Diff(want, got))
		}
	}
}

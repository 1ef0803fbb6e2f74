package notes

import (
	"fmt"
	"io"
	"os"
	"strings"
	"testing"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
)

func BenchmarkParseNote(b *testing.B) {
	src, err := os.ReadFile("testdata/zh-glip.md")
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse("zh-glip.md", src, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// genNotes makes n distinct notes of about 1.3 KB in the shape users write:
// front matter, title, seven sections, a list, a table, math and citations.
func genNotes(n int) [][]byte {
	out := make([][]byte, n)
	for i := range out {
		var b strings.Builder
		fmt.Fprintf(&b, "---\nkey: paper%d\ntags: [vlm, t%d]\nstatus: read\nread: 2025-11-%02d\n---\n\n# Paper %d: a study of things\n\nAuthor A, Author B. *Venue*, 2024.\n\n", i, i%17, 1+i%28, i)
		for j, id := range CanonicalSections {
			fmt.Fprintf(&b, "## %s\n\n", Heading(id, []string{"zh", "en"}[i%2]))
			switch j {
			case 1:
				fmt.Fprintf(&b, "本文研究第 %d 个问题，参见 [@paper%d; @paper%d, p. 3] 与 \\citep{paper%d}。\n\n- 要点一 $x_%d$\n- 要点二 `code`\n\n", i, i/2, i/3, i+1, j)
			case 4:
				fmt.Fprintf(&b, "| Model | AP | AR |\n|---|---|---|\n| A%d | 49.8 | 60.1 |\n| B | 26.9 | 33.3 |\n\n", i)
			default:
				fmt.Fprintf(&b, "Some **text** about section %d of note %d with a [link](https://example.org/%d) and [[paper%d]].\n\n", j, i, i, i+2)
			}
		}
		out[i] = []byte(b.String())
	}
	return out
}

// BenchmarkNotes10k parses 10,000 generated notes, extracts their sections
// and renders them to HTML; one op is all 10,000 notes on one goroutine.
func BenchmarkNotes10k(b *testing.B) {
	srcs := genNotes(10000)
	var size int64
	for _, s := range srcs {
		size += int64(len(s))
	}
	b.SetBytes(size)
	b.ReportAllocs()
	opts := RenderOptions{Resolver: abResolver{}, EntryURL: func(k string) string { return "/e/" + k }}
	for b.Loop() {
		for i, src := range srcs {
			n, err := Parse("n.md", src, Options{})
			if err != nil {
				b.Fatal(err)
			}
			if len(n.Sections) != 7 {
				b.Fatalf("note %d: %d sections", i, len(n.Sections))
			}
			if err := Render(io.Discard, n, opts); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkGoldmark10k is the baseline: plain goldmark with GFM, parse and
// render of the same 10,000 notes.
func BenchmarkGoldmark10k(b *testing.B) {
	srcs := genNotes(10000)
	md := goldmark.New(goldmark.WithExtensions(extension.GFM))
	b.ReportAllocs()
	for b.Loop() {
		for _, src := range srcs {
			if err := md.Convert(src, io.Discard); err != nil {
				b.Fatal(err)
			}
		}
	}
}

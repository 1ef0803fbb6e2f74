package notes

import (
	"bytes"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

func addSeeds(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.md")
	more, _ := filepath.Glob("testdata/errors/*.md")
	for _, p := range append(files, more...) {
		if src, err := os.ReadFile(p); err == nil {
			f.Add(src)
		}
	}
	f.Add([]byte("[@a; -@b, p. 3] \\citep[x][y]{c,d} [[e|f]] `[@g]` $[@h]$"))
}

// FuzzParseNote checks that parsing never panics, positions stay in range,
// and rendering never fails and is deterministic.
func FuzzParseNote(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, src []byte) {
		n, _ := Parse("f.md", src, Options{})
		if n == nil {
			t.Fatal("nil note")
		}
		lines := bytes.Count(src, []byte("\n")) + 1
		for _, c := range n.Cites {
			if c.Pos.Line < 1 || c.Pos.Line > lines || c.Pos.Column < 1 {
				t.Fatalf("cite %q at %v out of range", c.Key, c.Pos)
			}
			// The column counts runes from the line's start to the offset.
			if off := c.Pos.Offset; off >= 0 && off <= len(src) {
				start := bytes.LastIndexByte(src[:off], '\n') + 1
				if want := utf8.RuneCount(src[start:off]) + 1; c.Pos.Column != want {
					t.Fatalf("cite %q at %v: column %d, want rune column %d", c.Key, c.Pos, c.Pos.Column, want)
				}
			}
		}
		for _, s := range n.Sections {
			if s.Line < 1 || s.Line > lines {
				t.Fatalf("section %q at line %d out of range", s.ID, s.Line)
			}
		}
		var a, b, page bytes.Buffer
		const mathTags = "<!--math tags-->"
		opts := RenderOptions{Resolver: abResolver{}, EntryURL: func(k string) string { return "/e/" + k }, MathTags: mathTags}
		if err := Render(&a, n, opts); err != nil {
			t.Fatalf("render: %v", err)
		}
		if err := RenderPage(&page, n, opts); err != nil {
			t.Fatalf("render page: %v", err)
		}
		// The math tags are on the page once, before </body>, exactly when
		// the body has a math element.
		math := bytes.Contains(a.Bytes(), []byte(`class="math inline"`)) || bytes.Contains(a.Bytes(), []byte(`class="math display"`))
		if got := bytes.Count(page.Bytes(), []byte(mathTags)); got != map[bool]int{false: 0, true: 1}[math] {
			t.Fatalf("math tags written %d times; body has math: %v", got, math)
		}
		if math && !bytes.HasSuffix(page.Bytes(), []byte(mathTags+"</body>\n</html>\n")) {
			t.Fatal("math tags not just before </body>")
		}
		if err := Render(&b, n, opts); err != nil || !bytes.Equal(a.Bytes(), b.Bytes()) {
			t.Fatal("rendering twice differs")
		}
	})
}

// FuzzCitations checks the citation scanner alone: no panic, every key
// non-empty, valid UTF-8 and found at its offset.
func FuzzCitations(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, src []byte) {
		for _, it := range ParseCitations(src) {
			if it.Key == "" || !utf8.ValidString(it.Key) {
				t.Fatalf("bad key %q", it.Key)
			}
			if it.Offset < 0 || it.Offset+len(it.Key) > len(src) || string(src[it.Offset:it.Offset+len(it.Key)]) != it.Key {
				t.Fatalf("key %q not at offset %d", it.Key, it.Offset)
			}
		}
	})
}

// FuzzParseReport checks the report splitter: no panic, and every paper's
// line and sections lie inside the input.
func FuzzParseReport(f *testing.F) {
	if src, err := os.ReadFile("testdata/report-20251119.md"); err == nil {
		f.Add(src)
	}
	f.Add([]byte("组会_20251119\n\n二、论文阅读\n\nT\n\n摘要\n\na\tb\nc\td\n\n引用信息\n\n```\n@a{k,\n```\n```\n}\n```\n"))
	f.Add([]byte("# Group meeting 2025-11-19\n\n## 1. Last week's work\n\nNothing was logged this week.\n\n## 2. Papers\n\n### T\n\n#### Citation (BibTeX)\n\n```bibtex\n@a{k,\n}\n```\n"))
	f.Fuzz(func(t *testing.T, src []byte) {
		r, _ := ParseReport("r.txt", src, Options{})
		if r == nil {
			t.Fatal("nil report")
		}
		lines := bytes.Count(src, []byte("\n")) + 1
		for _, p := range r.Papers {
			if p.Line < 1 || p.Line > lines {
				t.Fatalf("paper %q at line %d of %d", p.Title, p.Line, lines)
			}
			for _, s := range p.Sections {
				if s.Line <= p.Line || s.Line > lines {
					t.Fatalf("section %s at line %d", s.ID, s.Line)
				}
			}
		}
	})
}

// FuzzScaffold checks that any scaffolded note parses back without error,
// with its key, tags and title intact.
func FuzzScaffold(f *testing.F) {
	f.Add("li2023blip", "BLIP-2: *Bootstrapping* <b>", "vlm", "摘要")
	f.Add("DBLP:conf/cvpr/LiZZ22", "# Title [x]", "yes", "")
	f.Add("true", "`code` \\", "a, b", "- item")
	f.Fuzz(func(t *testing.T, key, title, tag, abstract string) {
		if !utf8.ValidString(key) || !utf8.ValidString(tag) || strings.TrimSpace(key) != key || key == "" || strings.TrimSpace(tag) != tag || tag == "" || strings.ContainsAny(key+tag, "\x00\r\n") {
			t.Skip()
		}
		src := Scaffold(ScaffoldEntry{Key: key, Title: title, Abstract: abstract}, "zh", ScaffoldOptions{Tags: []string{tag}})
		n, err := Parse("s.md", src, Options{})
		if err != nil {
			t.Fatalf("scaffold of key %q does not parse: %v\n%s", key, err, src)
		}
		if want := oneLine(title); utf8.ValidString(title) && !strings.Contains(title, "$") && want != "" && n.Title != want {
			t.Fatalf("title %q came back as %q\n%s", want, n.Title, src)
		}
		if n.Key != key || len(n.Meta.Tags) != 1 || n.Meta.Tags[0] != tag {
			t.Fatalf("key %q tags %q came back as %q %q\n%s", key, tag, n.Key, n.Meta.Tags, src)
		}
	})
}

// FuzzFastFrontMatter checks that whenever the fast front matter path
// accepts a block, yaml.v3 reads the same meta and key position from it
// without a problem.
func FuzzFastFrontMatter(f *testing.F) {
	for _, s := range []string{
		"key: li2023blip\ntags: [vlm, llm]\nstatus: read\nread: 2025-11-17\nadded: 2025-11-13\n",
		"key: DBLP:conf/cvpr/LiZZ22\r\ntags: []\r\n",
		"key:  张三2024深度\ntags: a\nstatus: toread\n",
		"key: 2020\ntags: [on, x]\n",
		"key: a\nkey: b\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, block []byte) {
		src := append(append([]byte("---\n"), block...), "\n---\n"...)
		file := token.NewFileSet().AddFile("f.md", -1, len(src))
		file.SetLinesForContent(src)
		ys, ye, _, ok, closed := splitFrontMatter(src)
		if !ok || !closed {
			t.Skip()
		}
		var fast, slow Meta
		var fastPos, slowPos token.Position
		if !fastFrontMatter(file, src, ys, ye, &fast, &fastPos) {
			return
		}
		if errs := parseFrontMatter(file, src, ys, ye, &slow, &slowPos); len(errs) > 0 {
			t.Fatalf("fast path accepted what yaml rejects (%v):\n%s", errs, block)
		}
		if diff := cmp.Diff(slow, fast); diff != "" || fastPos != slowPos {
			t.Fatalf("fast and yaml differ (-yaml +fast):\n%s\npos %v vs %v\n%q", diff, slowPos, fastPos, block)
		}
	})
}

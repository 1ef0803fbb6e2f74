package notes

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/papernotes/papernotes/internal/testutil"
)

func TestLoadDirExampleWorkspace(t *testing.T) {
	dir := filepath.Join(testutil.RepoRoot(t), "examples", "workspace", "notes")
	notes, errs := LoadDir(dir, Options{})
	if len(errs) != 0 {
		t.Fatalf("problems: %v", errs)
	}
	var keys []string
	for _, n := range notes {
		keys = append(keys, n.Key)
	}
	if diff := cmp.Diff([]string{"li2022grounded", "li2023blip"}, keys); diff != "" {
		t.Errorf("keys (-want +got):\n%s", diff)
	}
	glip := notes[0]
	var ids []string
	for _, s := range glip.Sections {
		ids = append(ids, s.ID)
	}
	if diff := cmp.Diff([]string{"abstract", "problem", "prior", "method", "data", "relevance"}, ids); diff != "" {
		t.Errorf("GLIP sections (-want +got):\n%s", diff)
	}
	data, _ := glip.Section(SectionData)
	if got := strings.Count(data.Markdown, "\n|---"); got != 3 {
		t.Errorf("data section holds %d tables, want 3", got)
	}
	if diff := cmp.Diff(map[string][]string{"li2023blip": {"li2022grounded"}}, CitedBy(notes)); diff != "" {
		t.Errorf("CitedBy (-want +got):\n%s", diff)
	}
	if !notes[1].Meta.Read.Before(glip.Meta.Read) {
		t.Error("BLIP-2 should be read before GLIP")
	}
}

func TestCheck(t *testing.T) {
	dir := t.TempDir()
	write := func(name, src string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("a.md", "---\nkey: a\n---\n## Abstract\n\nx [@a] [@nobody]\n\n## Method\n\n<!-- prompt -->\n")
	write("b.md", "---\nkey: a\n---\n## Abstract\n\ny\n")
	write("c.md", "---\nkey: stranger\n---\n")
	write(".hidden.md", "not read")
	notes, errs := LoadDir(dir, Options{})
	if len(errs) != 0 || len(notes) != 3 {
		t.Fatalf("got %d notes, problems %v", len(notes), errs)
	}
	got := Check(notes, CheckOptions{Resolver: abResolver{}, Required: []string{SectionMethod}})
	var lines []string
	for _, e := range got {
		lines = append(lines, strings.TrimPrefix(e.Error(), dir+string(filepath.Separator)))
	}
	want := []string{
		`a.md:6:10: unknown cite key: "nobody"`,
		`a.md:8:1: empty required section: "method" (Method) is empty`,
		`b.md:2:6: two notes claim one key: "a" is also the key of a.md`,
		`b.md:4: empty required section: no "method" section`,
		`c.md:2:6: note key not in library: "stranger"`,
		`c.md:4: empty required section: no "method" section`,
	}
	if diff := cmp.Diff(want, lines); diff != "" {
		t.Errorf("Check (-want +got):\n%s", diff)
	}
	if !errors.Is(got[0], ErrUnknownCite) {
		t.Error("sentinel lost")
	}
}

func TestScaffold(t *testing.T) {
	e := ScaffoldEntry{
		Key: "DBLP:conf/x/Y22", Title: "A *bold* [claim]\n about <things>", Authors: []string{"Junnan Li", "张三"},
		Venue: "ICML", Year: "2023", Abstract: "We do things.", URL: "https://arxiv.org/abs/2301.12597", DOI: "10.1/x",
	}
	day := time.Date(2025, 11, 17, 15, 4, 5, 0, time.UTC)
	for _, lang := range []string{"zh", "en"} {
		src := Scaffold(e, lang, ScaffoldOptions{Tags: []string{"vlm", "yes"}, Read: day, Added: day})
		testutil.Golden(t, "testdata/scaffold-"+lang+".golden", src)
		n, err := Parse("new.md", src, Options{})
		if err != nil {
			t.Fatalf("%s: scaffold does not parse: %v", lang, err)
		}
		if n.Key != e.Key || n.Meta.Status != "toread" || !n.Meta.Read.Equal(time.Date(2025, 11, 17, 0, 0, 0, 0, time.UTC)) {
			t.Errorf("%s: meta = %+v", lang, n.Meta)
		}
		if diff := cmp.Diff([]string{"vlm", "yes"}, n.Meta.Tags); diff != "" {
			t.Errorf("tags: %s", diff)
		}
		if len(n.Sections) != len(CanonicalSections) {
			t.Fatalf("%s: %d sections", lang, len(n.Sections))
		}
		for i, s := range n.Sections {
			if s.ID != CanonicalSections[i] {
				t.Errorf("%s: section %d is %q", lang, i, s.ID)
			}
			if want := ""; s.ID != SectionAbstract && s.Text != want {
				t.Errorf("%s: prompt of %s shows as text %q", lang, s.ID, s.Text)
			}
		}
		if a, _ := n.Section(SectionAbstract); a.Text != "We do things." {
			t.Errorf("abstract = %q", a.Text)
		}
		if n.Title != "A *bold* [claim] about <things>" {
			t.Errorf("title = %q", n.Title)
		}
	}
}

// TestParseMetaOnly checks that MetaOnly gives the same key and front matter
// as a full parse, without the body.
func TestParseMetaOnly(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(testutil.RepoRoot(t), "examples", "workspace", "notes")
	full, _ := LoadDir(dir, Options{})
	meta, errs := LoadDir(dir, Options{MetaOnly: true})
	if len(errs) != 0 {
		t.Fatalf("problems: %v", errs)
	}
	if len(meta) != len(full) {
		t.Fatalf("got %d notes, want %d", len(meta), len(full))
	}
	for i, n := range meta {
		if diff := cmp.Diff(full[i].Meta, n.Meta); diff != "" || n.Key != full[i].Key || n.KeyPos != full[i].KeyPos {
			t.Errorf("%s: meta differs (-full +metaonly):\n%s", n.Path, diff)
		}
		if n.Sections != nil || n.Cites != nil || n.Title != "" {
			t.Errorf("%s: MetaOnly parsed the body", n.Path)
		}
	}
	_, err := Parse("bad.md", []byte("---\nkey: a\nstatus: done\n---\n# x\n"), Options{MetaOnly: true})
	var list ErrorList
	if !errors.As(err, &list) || len(list) != 1 || !errors.Is(list[0], ErrBadStatus) {
		t.Errorf("MetaOnly lost the front matter problem: %v", err)
	}
}

// TestScaffoldEtAl checks the byline ends with one period after "et al.".
func TestScaffoldEtAl(t *testing.T) {
	t.Parallel()
	src := string(Scaffold(ScaffoldEntry{Key: "k", Title: "T", Authors: []string{"A B", "C D", "et al."}, Year: "2023"}, "en", ScaffoldOptions{}))
	if !strings.Contains(src, "\nA B, C D, et al. 2023.\n") || strings.Contains(src, "..") {
		t.Errorf("byline:\n%s", src)
	}
	src = string(Scaffold(ScaffoldEntry{Key: "k", Title: "T", Authors: []string{"A B"}}, "en", ScaffoldOptions{}))
	if !strings.Contains(src, "\nA B.\n") {
		t.Errorf("byline:\n%s", src)
	}
}

func TestNoteLang(t *testing.T) {
	t.Parallel()
	for src, want := range map[string]string{
		"---\nkey: a\n---\n## 摘要\n\nx\n\n## Method\n\ny\n": "zh",
		"---\nkey: a\n---\n## Abstract\n\n深度\n":            "en",
		"---\nkey: a\n---\nno headings\n":                  "",
	} {
		n, _ := Parse("a.md", []byte(src), Options{})
		if got := n.Lang(); got != want {
			t.Errorf("Lang of %q = %q, want %q", src, got, want)
		}
	}
}

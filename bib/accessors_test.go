package bib

import (
	"testing"

	"github.com/nickng/bibtex"
)

// mkEntry builds an entry from name/value pairs, for tests that need no parser.
func mkEntry(typ, key string, kv ...string) *Entry {
	e := &Entry{Type: typ, Key: key}
	for i := 0; i+1 < len(kv); i += 2 {
		e.Fields = append(e.Fields, Field{Name: kv[i], Value: bibtex.BibConst(kv[i+1])})
	}
	return e
}

func TestAccessors(t *testing.T) {
	t.Parallel()
	e := mkEntry("article", "li2023blip",
		"title", "{BLIP-2}: Bootstrapping Language-Image\n   Pre-training with Frozen Image Encoders and {L}arge {L}anguage {M}odels",
		"author", "Li, Junnan and Li, Dongxu and Savarese, Silvio and Hoi, Steven",
		"journal", "arXiv preprint arXiv:2301.12597",
		"year", "2023",
	)
	if got, want := e.Title(), "BLIP-2: Bootstrapping Language-Image Pre-training with Frozen Image Encoders and Large Language Models"; got != want {
		t.Errorf("Title() = %q, want %q", got, want)
	}
	if got := e.Authors(); len(got) != 4 || got[0].LastText() != "Li" || got[3].String() != "Steven Hoi" {
		t.Errorf("Authors() = %v", got)
	}
	if got := e.Editors(); got != nil {
		t.Errorf("Editors() = %v, want nil", got)
	}
	if got := e.Year(); got != "2023" {
		t.Errorf("Year() = %q", got)
	}
	if got := e.ArXiv(); got != "2301.12597" {
		t.Errorf("ArXiv() = %q", got)
	}
	if got := e.Venue(); got != "arXiv preprint arXiv:2301.12597" {
		t.Errorf("Venue() = %q", got)
	}
	if got := e.URL(); got != "https://arxiv.org/abs/2301.12597" {
		t.Errorf("URL() = %q", got)
	}
}

func TestYear(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		e    *Entry
		want string
	}{
		{mkEntry("article", "a", "year", " {2021} "), "2021"},
		{mkEntry("article", "a", "date", "2019-05-01"), "2019"},
		{mkEntry("article", "a", "date", "2018/2019"), "2018"},
		{mkEntry("article", "a", "year", "2020", "date", "2019"), "2020"},
		{mkEntry("article", "a"), ""},
	} {
		if got := tt.e.Year(); got != tt.want {
			t.Errorf("Year() of %v = %q, want %q", tt.e.Fields, got, tt.want)
		}
	}
}

func TestDOI(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		e    *Entry
		want string
	}{
		{mkEntry("article", "a", "doi", "10.1109/CVPR52688.2022.01069"), "10.1109/cvpr52688.2022.01069"},
		{mkEntry("article", "a", "doi", "https://doi.org/10.1145/3442188.3445922"), "10.1145/3442188.3445922"},
		{mkEntry("article", "a", "doi", "doi: 10.1000/ABC\\_def"), "10.1000/abc_def"},
		{mkEntry("article", "a", "doi", "{http://dx.doi.org/10.1/x}"), "10.1/x"},
		{mkEntry("article", "a", "url", "https://doi.org/10.5555/Foo"), "10.5555/foo"},
		{mkEntry("article", "a", "url", "https://example.org/"), ""},
		{mkEntry("article", "a"), ""},
	} {
		if got := tt.e.DOI(); got != tt.want {
			t.Errorf("DOI() of %v = %q, want %q", tt.e.Fields, got, tt.want)
		}
	}
}

func TestArXiv(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		e    *Entry
		want string
	}{
		{mkEntry("misc", "a", "eprint", "2301.12597", "archiveprefix", "arXiv"), "2301.12597"},
		{mkEntry("misc", "a", "eprint", "2112.03857v2", "eprinttype", "arxiv"), "2112.03857"},
		{mkEntry("misc", "a", "eprint", "arXiv:1706.03762"), "1706.03762"},
		{mkEntry("misc", "a", "eprint", "hep-th/9901001", "archiveprefix", "arXiv"), "hep-th/9901001"},
		{mkEntry("misc", "a", "doi", "10.48550/arXiv.2301.12597"), "2301.12597"},
		{mkEntry("misc", "a", "url", "https://arxiv.org/abs/2112.03857v1"), "2112.03857"},
		{mkEntry("misc", "a", "url", "http://arxiv.org/pdf/1810.04805.pdf"), "1810.04805"},
		{mkEntry("article", "a", "journal", "arXiv preprint arXiv:2303.08774"), "2303.08774"},
		{mkEntry("article", "a", "journal", "CoRR", "volume", "abs/1409.0473"), "1409.0473"},
		{mkEntry("article", "a", "journal", "Nature", "volume", "abs/1409.0473"), ""},
		{mkEntry("article", "a", "journal", "Nature", "eprint", "12345"), ""},
	} {
		if got := tt.e.ArXiv(); got != tt.want {
			t.Errorf("ArXiv() of %v = %q, want %q", tt.e.Fields, got, tt.want)
		}
	}
}

func TestVenueAndURL(t *testing.T) {
	t.Parallel()
	e := mkEntry("inproceedings", "li2022grounded",
		"booktitle", "Proceedings of the {IEEE/CVF} Conference on Computer Vision and Pattern Recognition",
		"url", `https://example.org/a\_b`, "doi", "10.1/x")
	if got, want := e.Venue(), "Proceedings of the IEEE/CVF Conference on Computer Vision and Pattern Recognition"; got != want {
		t.Errorf("Venue() = %q, want %q", got, want)
	}
	if got := e.URL(); got != "https://example.org/a_b" {
		t.Errorf("URL() = %q", got)
	}
	if got := mkEntry("book", "b", "publisher", "Springer", "doi", "10.1/Y").URL(); got != "https://doi.org/10.1/y" {
		t.Errorf("URL() from DOI = %q", got)
	}
	if got := mkEntry("phdthesis", "c", "school", `Universit{\"a}t Wien`).Venue(); got != "Universität Wien" {
		t.Errorf("Venue() of thesis = %q", got)
	}
}

package latex

import (
	"errors"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func posStrings(cs []Citation) []string {
	var out []string
	for _, c := range cs {
		out = append(out, fmt.Sprintf("%s:%d:%d %s", filepath.Base(c.Pos.Filename), c.Pos.Line, c.Pos.Column, c.Key))
	}
	return out
}

func TestScanAuxBibTeX(t *testing.T) {
	t.Parallel()
	got, err := ScanAux(filepath.Join("testdata", "aux", "bibtex.aux"))
	if !errors.Is(err, ErrMissingFile) {
		t.Errorf("err = %v, want ErrMissingFile", err)
	}
	want := []string{"bibtex.aux:2:11 alpha", "bibtex.aux:3:11 beta", "bibtex.aux:3:16 gamma", "bibtex.aux:6:11 *"}
	if diff := cmp.Diff(want, posStrings(got.Citations)); diff != "" {
		t.Errorf("citations (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"refs", "more"}, got.BibData); diff != "" {
		t.Errorf("bibdata (-want +got):\n%s", diff)
	}
}

// biblatex.aux was written by pdflatex with biblatex 3.18 (\abx@aux@cite{0}{key}).
func TestScanAuxBiblatex(t *testing.T) {
	t.Parallel()
	got, err := ScanAux(filepath.Join("testdata", "aux", "biblatex.aux"))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"biblatex.aux:3:18 a", "biblatex.aux:5:18 b", "biblatex.aux:7:1 *", "chapter.aux:2:18 c", "biblatex.aux:9:18 c"}
	if diff := cmp.Diff(want, posStrings(got.Citations)); diff != "" {
		t.Errorf("citations (-want +got):\n%s", diff)
	}
}

// biblatex.bcf is a trimmed control file written by biblatex 3.18.
func TestScanBCF(t *testing.T) {
	t.Parallel()
	got, err := ScanBCF(filepath.Join("testdata", "aux", "biblatex.bcf"))
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, c := range got.Citations {
		keys = append(keys, fmt.Sprintf("%d %s", c.Pos.Line, c.Key))
	}
	if diff := cmp.Diff([]string{"10 a", "11 b", "12 *", "13 c"}, keys); diff != "" {
		t.Errorf("citations (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"x.bib"}, got.DataSources); diff != "" {
		t.Errorf("datasources (-want +got):\n%s", diff)
	}
}

func TestParseBCFMalformed(t *testing.T) {
	t.Parallel()
	src := "<?xml version=\"1.0\"?>\n<bcf:controlfile xmlns:bcf=\"https://sourceforge.net/projects/biblatex\">\n<bcf:citekey order=\"1\">a</bcf:citekey>\n<bcf:oops>\n"
	got, err := ParseBCF("x.bcf", []byte(src))
	if !errors.Is(err, ErrSyntax) {
		t.Fatalf("err = %v, want ErrSyntax", err)
	}
	if len(got.Citations) != 1 || got.Citations[0].Key != "a" {
		t.Errorf("citations = %v", got.Citations)
	}
}

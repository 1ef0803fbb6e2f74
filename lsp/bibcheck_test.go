package lsp

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/papernotes/papernotes/bib"
	"github.com/papernotes/papernotes/internal/testutil"
)

// TestFileProblemsMatchCheck: the problems the server computes for one
// library file from the related entries only are exactly those of the
// whole library's Problems and Check (what `check` prints) in that file.
func TestFileProblemsMatchCheck(t *testing.T) {
	a := `@string{pami = "IEEE TPAMI"}
@article{base, title = {A Base Paper}, author = {A, B}, journal = pami, year = 2020, doi = {10.1/x}}
@proceedings{conf, title = {Proc. of Things}, year = 2021}
@article{Dup, title = {Other}, author = {C, D}, journal = {J}, year = 2019}
`
	b := `@inproceedings{child, crossref = {conf}, title = {Child}, author = {E, F}}
@article{dup, title = {Third}, author = {G, H}, journal = pami, year = 2018}
@article{base, title = {Again}, author = {I, J}, journal = {J}, year = 2017}
@article{copy, title = {A Base Paper}, author = {A, B}, journal = {K}, year = 2020, doi = {https://doi.org/10.1/X}}
@article{orphan, crossref = {nowhere}, title = {Orphan}, author = {K, L}, journal = {J}, year = 2016}
@article{bad key, title = {Broken}
`
	files := map[string]string{"bib/a.bib": a, "bib/b.bib": b}
	compareFileProblems(t, files)
}

func TestFileProblemsMatchCheckCorpus(t *testing.T) {
	if testing.Short() {
		t.Skip("corpus comparison")
	}
	corpus := testutil.CorpusDir(t)
	files := map[string]string{}
	for i, rel := range []string{
		"b-vitamins-bibliography/conferences/iclr/2021.bib",
		"b-vitamins-bibliography/collections/_archive/2026-03-03/llm.bib",
		"b-vitamins-bibliography/collections/_archive/2026-03-03/transformers.bib",
		"jabref/src/test/resources/testbib/complex.bib",
	} {
		src, err := os.ReadFile(filepath.Join(corpus, rel))
		if err != nil {
			continue
		}
		files[fmt.Sprintf("bib/%d.bib", i)] = string(src)
	}
	if len(files) < 2 {
		t.Skip("corpus files missing")
	}
	compareFileProblems(t, files)
}

func compareFileProblems(t *testing.T, files map[string]string) {
	t.Helper()
	root := workspaceFixture(t, files)
	ws, _ := fixedWorkspace(root)("")
	st := newState(*ws)
	st.loadBib()
	full := st.library()
	for _, p := range st.bibOrder {
		var want []string
		for _, list := range []bib.ErrorList{full.Problems(), full.Check()} {
			for _, e := range list {
				if e.Pos.Filename == p {
					want = append(want, e.Error())
				}
			}
		}
		var got []string
		for _, e := range st.fileProblems(p) {
			got = append(got, e.Error())
		}
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("%s:\ngot\n%s\nwant\n%s", filepath.Base(p), strings.Join(got, "\n"), strings.Join(want, "\n"))
		} else {
			t.Logf("%s: %d problems agree", filepath.Base(p), len(got))
		}
	}
}

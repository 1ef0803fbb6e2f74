package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// partialWorkspace writes a workspace whose library holds what a library
// kept in part must get right: crossref parents before and after their
// children, duplicate keys, @strings and a @preamble, a non-ASCII key and a
// Han author (check's rekey advice), and a note that cites.
func partialWorkspace(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	write := func(name, text string) {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("config.yaml", "language: en\n")
	var a strings.Builder
	a.WriteString(`@string{cvpr = "Proc. CVPR"}
@preamble{"\newcommand{\noop}[1]{}"}
@proceedings{early, title = {Early Proceedings}, year = 2020, booktitle = cvpr}
@inproceedings{child, author = {Li, Wei}, title = {A Child of Early}, crossref = {EARLY}}
@article{单2020x, author = {单, 雄}, title = {Han Surname}, journal = {J}, year = 2020}
@article{dan2019y, author = {单, 一}, title = {Votes for dan}, journal = {J}, year = 2019}
@misc{dup, title = {First}}
`)
	for i := range 200 {
		fmt.Fprintf(&a, "@article{pad%03d, author = {Author, Number%d and Other, O.}, title = {Padding Paper %d on Scaling}, journal = cvpr, year = %d, doi = {10.1/%d}}\n", i, i, i, 1990+i%30, i%150)
	}
	write("bib/a.bib", a.String())
	write("bib/b.bib", `@misc{dup, title = {Second}}
@inproceedings{late, author = {Müller, Anna}, title = {Late Child}, crossref = {parent}}
@proceedings{parent, title = {The Parent}, year = 2021, booktitle = cvpr # { 2021}}
@misc{orphan, crossref = {nowhere}}
`)
	write("notes/child.md", "---\nkey: child\nstatus: read\nread: 2025-11-17\n---\n\n# A Child of Early\n\n## Problem\n\nSee [@late] and [@pad007], not [@missing].\n")
	write("incoming.bib", `@proceedings{early, title = {Early Proceedings}, year = 2020, booktitle = cvpr}
@article{pad005copy, author = {Someone}, title = {Another Take}, journal = {J}, year = 2001, doi = {https://doi.org/10.1/5}}
@misc{child, title = {Not the same child}}
@article{, author = {单, 三}, title = {Needs a Key}, journal = {J}, year = 2022}
@inproceedings{fresh, author = {New, Person}, title = {Fresh Paper}, booktitle = cvpr, year = 2024}
@article{again, author = {Author, Number1}, title = {Padding Paper 1 on Scaling}, journal = {X}, year = 1991}
`)
	write("report.md", "# 组会_20251119\n\n## 二、论文阅读\n\n### Early\n\n#### 引用信息 (BibTeX格式)\n\n```\n"+
		"@proceedings{early, title = {Early Proceedings}, year = 2020, booktitle = cvpr, note = {with a note}}\n```\n\n#### 本论文解决什么问题\n\n早。\n\n"+
		"### Fresh\n\n#### 引用信息 (BibTeX格式)\n\n```\n@article{fresh2, author = {单, 四}, title = {Fresh Two}, journal = cvpr, year = 2023}\n```\n\n"+
		"#### 本论文解决什么问题\n\n新。\n")
	write("paper.tex", `\documentclass{article}\begin{document}\cite{child,late}\nocite{pad010}\cite{absent}\bibliography{x}\end{document}`+"\n")
	return dir
}

// TestPartialLibrarySameOutput runs the commands that keep only part of a
// large library on a workspace twice, with the library loaded whole and
// with it read a window at a time (StreamAbove lowered), and wants the same
// output, errors and exit code.
func TestPartialLibrarySameOutput(t *testing.T) {
	dir := partialWorkspace(t)
	run := func(streamAbove int64, args []string) string {
		ios, _, out, errOut := Test()
		f := NewFactory(ios, func(string) string { return "" })
		f.WorkDir, f.streamAbove = dir, streamAbove
		code := Run(f, args)
		if streamAbove > 0 {
			lib, err := f.LibraryFor("child")
			if err != nil || !lib.Partial() {
				t.Fatalf("%v: the library was not kept in part (err %v)", args, err)
			}
		}
		return fmt.Sprintf("exit %d\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
	// Commands that write: each mode on its own copy of the workspace,
	// and the library files compared after.
	for _, args := range [][]string{
		{"import", "-n", "INCOMING"}, {"import", "INCOMING"}, {"import", "--rekey", "INCOMING"}, {"import", "--force", "INCOMING"},
		{"add", "INCOMING"}, {"import-report", "--dry-run", "REPORT"}, {"import-report", "REPORT"},
		{"rename-key", "early", "earliest"}, {"rename-key", "--json", "-n", "parent", "Parent2"}, {"rename-key", "dup", "dup2"},
		{"rename-key", "fromb", "x"}, {"rename-key", "late", "CHILD"}, {"rename-key", "pad010", "pad10"},
	} {
		var outs [2]string
		for i, above := range []int64{0, 1} {
			d := partialWorkspace(t)
			ios, _, out, errOut := Test()
			f := NewFactory(ios, func(string) string { return "" })
			f.WorkDir, f.streamAbove = d, above
			var argv []string
			for _, a := range args {
				if file, ok := map[string]string{"INCOMING": "incoming.bib", "REPORT": "report.md"}[a]; ok {
					a = filepath.Join(d, file)
				}
				argv = append(argv, a)
			}
			code := Run(f, argv)
			n, _ := os.ReadFile(filepath.Join(d, "notes/child.md"))
			tex, _ := os.ReadFile(filepath.Join(d, "paper.tex"))
			a, _ := os.ReadFile(filepath.Join(d, "bib/a.bib"))
			b, _ := os.ReadFile(filepath.Join(d, "bib/b.bib"))
			lib, _ := os.ReadFile(filepath.Join(d, "bib/library.bib"))
			outs[i] = strings.ReplaceAll(fmt.Sprintf("exit %d\nstdout:\n%s\nstderr:\n%s\na.bib:\n%s\nb.bib:\n%s\nlibrary.bib:\n%s\nchild.md:\n%s\npaper.tex:\n%s", code, out, errOut, a, b, lib, n, tex), d, "WS")
		}
		if diff := cmp.Diff(outs[0], outs[1]); diff != "" {
			t.Errorf("%s (-whole +partial):\n%s", strings.Join(args, " "), diff)
		}
		if args[0] != "rename-key" && (strings.Contains(outs[0], "no such file") || !strings.Contains(outs[0], "fresh") || strings.Contains(outs[0], "papernotes: ")) {
			t.Errorf("%s: %s", strings.Join(args, " "), outs[0])
		}
	}
	for _, args := range [][]string{
		{"show", "child"}, {"show", "--json", "late"}, {"show", "CHILD"}, {"show", "pad01"}, {"show", "单2020x"},
		{"cite", "scaling", "padding", "12"}, {"cite", "--json", "child"}, {"cite", "nothing-like-it"},
		{"list"}, {"list", "--json"}, {"list", "--sort", "venue"}, {"list", "--venue", "cvpr", "--sort", "year"},
		{"check"}, {"check", "--json"},
		{"export", "bib", "--tex", "paper.tex"}, {"export", "csl", "--tex", "paper.tex"}, {"export", "bib", "late", "--clean"},
		{"export", "bib", "--week", "2025-11-19"},
		{"report", "--week", "2025-11-19", "--stdout"}, {"report", "--week", "2025-11-19", "--stdout", "--format", "tex"},
		{"render", "child"}, {"render", "--format", "md", "child"}, {"render", "--format", "tex", "child"}, {"render", "chil"},
		{"__complete", "show", "pad00"}, {"__complete", "show", "la"},
	} {
		whole, part := run(0, args), run(1, args)
		if diff := cmp.Diff(whole, part); diff != "" {
			t.Errorf("%s (-whole +partial):\n%s", strings.Join(args, " "), diff)
		}
		if strings.Contains(whole, "exit 1\nstdout:\n\nstderr:\npapernotes: unknown") {
			t.Errorf("%s: %s", strings.Join(args, " "), whole)
		}
	}
}

package latex

import (
	"bytes"
	"context"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/papernotes/papernotes/bib"
	"github.com/papernotes/papernotes/internal/testutil"
	"github.com/papernotes/papernotes/notes"
	"github.com/papernotes/papernotes/report"
)

// needTeX skips the test when one of the TeX programs is not on PATH, on a
// developer's machine without TeX. Under CI a missing program fails the
// test: CI installs TeX (.ci/run) so that these tests really compile.
func needTeX(t *testing.T, programs ...string) {
	t.Helper()
	for _, p := range programs {
		if _, err := exec.LookPath(p); err != nil {
			if os.Getenv("CI") != "" {
				t.Fatalf("%s is not on PATH, and CI must have TeX installed (see .ci/run)", p)
			}
			t.Skipf("%s is not on PATH; skipping the compile test (install TeX to run it)", p)
		}
	}
}

// runTeX runs program in dir and fails the test when it exits non-zero,
// showing the end of its output.
func runTeX(t *testing.T, dir, program string, args ...string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, program, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "max_print_line=1000")
	out, err := cmd.CombinedOutput()
	if err != nil {
		tail := string(out)
		if len(tail) > 3000 {
			tail = tail[len(tail)-3000:]
		}
		t.Fatalf("%s %s: %v\n%s", program, strings.Join(args, " "), err, tail)
	}
}

var (
	// texProblems are the lines of a LaTeX .log that mean a broken document.
	texProblems = regexp.MustCompile("(?m)^!.*$|Citation [`'].*undefined.*$|There were undefined (references|citations).*$|Reference [`'].*undefined.*$|Empty bibliography.*$")
	// bibtexProblems are the lines of a BibTeX or biber .blg that mean a missing entry or an error.
	bibtexProblems = regexp.MustCompile("(?m)^.*(I didn't find a database entry|I couldn't open|error message|ERROR -|Illegal|I was expecting).*$")
)

// overfullRE matches LaTeX's report of a line wider than the page.
var overfullRE = regexp.MustCompile(`Overfull \\hbox \((\d+(?:\.\d+)?)pt too wide\)[^\n]*`)

// maxOverfull is the widest overfull box a report may have: a few points
// are invisible in print; the BibTeX blocks used to overflow by 600pt.
const maxOverfull = 10.0

// checkOverfull fails the test for every overfull \hbox wider than
// maxOverfull in the .log at path, and returns the widest one found.
func checkOverfull(t *testing.T, path string) float64 {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	widest := 0.0
	var bad []string
	for _, m := range overfullRE.FindAllStringSubmatch(string(b), -1) {
		w, err := strconv.ParseFloat(m[1], 64)
		if err != nil {
			t.Fatal(err)
		}
		widest = max(widest, w)
		if w > maxOverfull {
			bad = append(bad, m[0])
		}
	}
	if len(bad) > 0 {
		t.Errorf("%s: %d overfull boxes over %gpt:\n%s", filepath.Base(path), len(bad), maxOverfull, strings.Join(bad, "\n"))
	}
	t.Logf("%s: widest overfull \\hbox %.2fpt", filepath.Base(path), widest)
	return widest
}

func checkLog(t *testing.T, path string, re *regexp.Regexp) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if m := re.FindAllString(string(b), 10); len(m) > 0 {
		t.Errorf("%s:\n%s", filepath.Base(path), strings.Join(m, "\n"))
	}
}

// copyDir copies the files of src (one level) into dst.
func copyDir(t *testing.T, src, dst string) {
	t.Helper()
	ents, err := os.ReadDir(src)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ents {
		if e.IsDir() {
			continue
		}
		b, err := os.ReadFile(filepath.Join(src, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dst, e.Name()), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// corpusFiles are the real .bib files the compile documents cite from (see
// testdata/compile/README.md). Order matters: cryptobib's abbreviations
// come before the file that uses them, as BibTeX needs.
var corpusFiles = []string{
	"cryptobib-export/abbrev0.bib",
	"cryptobib-db/crypto_conf_list.bib",
	"biber/t/tdata/crossrefs.bib",
	"cobib/tests/example_literature.bib",
	"nime-bibliography/paper_proceedings/nime2024.bib",
	"python-bibtexparser/bibtexparser/tests/data/article_with_strings_output.bib",
}

func corpusLibrary(t *testing.T) *bib.Library {
	t.Helper()
	dir := testutil.CorpusDir(t)
	var paths []string
	for _, f := range corpusFiles {
		paths = append(paths, filepath.Join(dir, filepath.FromSlash(f)))
	}
	return bib.Load(paths, bib.LoadOptions{})
}

// TestCompileExport exports what each document in testdata/compile cites,
// from real corpus files, and compiles it with BibTeX (natbib) or biber
// (biblatex): no errors, no undefined citations.
func TestCompileExport(t *testing.T) {
	lib := corpusLibrary(t)
	tests := []struct {
		name  string
		doc   string
		opts  ExportOptions
		biber bool
	}{
		{"natbib-raw", "natbib", ExportOptions{}, false},
		{"natbib-clean-ascii", "natbib", ExportOptions{Clean: &CleanOptions{ASCII: true, To: DialectBibTeX, Drop: testDrop}}, false},
		{"biblatex-raw", "biblatex", ExportOptions{}, true},
		{"biblatex-clean", "biblatex", ExportOptions{Order: OrderKey, Clean: &CleanOptions{FieldOrder: testFieldOrder, To: DialectBiblatex}}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.biber {
				needTeX(t, "pdflatex", "biber")
			} else {
				needTeX(t, "pdflatex", "bibtex")
			}
			dir := t.TempDir()
			copyDir(t, filepath.Join("testdata", "compile", tt.doc), dir)
			cited, err := ScanTeX(filepath.Join(dir, "main.tex"))
			if err != nil {
				t.Fatalf("scan: %v", err)
			}
			r, err := Export(lib, cited, tt.opts)
			if err != nil {
				t.Fatalf("export: %v", err)
			}
			want := []string{"einstein", "latexcompanion", "nime2024_42", "cr1", "ACISP25-1", "Cesar2013", "cr_m"}
			got := r.Keys()
			if tt.opts.Order == OrderKey {
				slices.Sort(want[:6])
			}
			if !slices.Equal(got, want) {
				t.Errorf("exported %v, want %v", got, want)
			}
			if err := os.WriteFile(filepath.Join(dir, "refs.bib"), r.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
			latex := []string{"-interaction=nonstopmode", "-halt-on-error", "main.tex"}
			runTeX(t, dir, "pdflatex", latex...)
			if tt.biber {
				runTeX(t, dir, "biber", "main")
			} else {
				runTeX(t, dir, "bibtex", "main")
			}
			runTeX(t, dir, "pdflatex", latex...)
			runTeX(t, dir, "pdflatex", latex...)
			checkLog(t, filepath.Join(dir, "main.log"), texProblems)
			checkLog(t, filepath.Join(dir, "main.blg"), bibtexProblems)
			if _, err := os.Stat(filepath.Join(dir, "main.pdf")); err != nil {
				t.Error(err)
			}
		})
	}
}

// TestCompileRendered compiles the renderer's golden outputs inside a
// document: blocks with pdflatex, escape (which holds Chinese) with xelatex.
func TestCompileRendered(t *testing.T) {
	for _, tc := range []struct{ golden, engine, class string }{
		{"blocks.tex.golden", "pdflatex", "article"},
		{"escape.tex.golden", "xelatex", "ctexart"},
		{"blocks.biblatex.tex.golden", "pdflatex", "article"},
	} {
		t.Run(tc.golden, func(t *testing.T) {
			needTeX(t, tc.engine)
			frag, err := os.ReadFile(filepath.Join("testdata", "render", tc.golden))
			if err != nil {
				t.Fatal(err)
			}
			dir := t.TempDir()
			writePNG(t, filepath.Join(dir, "figs", "plot.png"))
			cite := `\usepackage[authoryear]{natbib}`
			if strings.Contains(tc.golden, "biblatex") {
				cite = `\usepackage[backend=biber]{biblatex}`
			}
			links := `\usepackage{hyperref}`
			if tc.engine == "xelatex" {
				links = xeHyperref
			}
			doc := "\\documentclass{" + tc.class + "}\n\\usepackage{amsmath,graphicx,booktabs}\n" + cite +
				"\n" + links + "\n\\begin{document}\n" + string(frag) + "\\end{document}\n"
			if err := os.WriteFile(filepath.Join(dir, "doc.tex"), []byte(doc), 0o644); err != nil {
				t.Fatal(err)
			}
			runTeX(t, dir, tc.engine, "-interaction=nonstopmode", "-halt-on-error", "doc.tex")
			// The fragments cite keys that no .bib defines; only real errors count here.
			checkLog(t, filepath.Join(dir, "doc.log"), regexp.MustCompile(`(?m)^!.*$`))
		})
	}
}

func writePNG(t *testing.T, path string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := png.Encode(&b, image.NewGray(image.Rect(0, 0, 4, 3))); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestCompileReport renders the example workspace's report for the week of
// 2025-11-19 as LaTeX, in Chinese (xelatex) and English (pdflatex), with
// the .bib of the cited entries beside it, and compiles it into a PDF.
func TestCompileReport(t *testing.T) {
	ws := filepath.Join(testutil.RepoRoot(t), "examples", "workspace")
	lib, err := bib.LoadDir(filepath.Join(ws, "bib"), bib.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	ns, errs := notes.LoadDir(filepath.Join(ws, "notes"), notes.Options{})
	if len(errs) > 0 {
		t.Fatalf("notes: %v", errs)
	}
	week := report.WeekEnding(time.Date(2025, 11, 19, 0, 0, 0, 0, time.UTC))
	for _, lang := range []string{"zh", "en"} {
		t.Run(lang, func(t *testing.T) {
			engine := "xelatex"
			if lang == "en" {
				engine = "pdflatex"
			}
			d := report.Build(week, ns, lib, report.Options{Lang: lang})
			if len(d.Papers) != 2 {
				t.Fatalf("report has %d papers, want 2", len(d.Papers))
			}
			tex, bibText, problems, err := ReportFiles(d, lib, DocOptions{Lang: lang, BibName: "report"})
			if err != nil || len(problems) > 0 {
				t.Fatalf("err %v, problems %v", err, problems)
			}
			testutil.Golden(t, filepath.Join("testdata", "report", "report-"+lang+".tex.golden"), tex)
			needTeX(t, engine, "bibtex")
			dir := t.TempDir()
			for name, b := range map[string][]byte{"report.tex": tex, "report.bib": bibText} {
				if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			args := []string{"-interaction=nonstopmode", "-halt-on-error", "report.tex"}
			if lang == "en" && hasHan(string(tex)) {
				engine = "xelatex" // the English report quotes Chinese note text
			}
			runTeX(t, dir, engine, args...)
			runTeX(t, dir, "bibtex", "report")
			runTeX(t, dir, engine, args...)
			runTeX(t, dir, engine, args...)
			checkLog(t, filepath.Join(dir, "report.log"), texProblems)
			checkLog(t, filepath.Join(dir, "report.blg"), bibtexProblems)
			checkOverfull(t, filepath.Join(dir, "report.log"))
			if fi, err := os.Stat(filepath.Join(dir, "report.pdf")); err != nil || fi.Size() == 0 {
				t.Errorf("no PDF: %v", err)
			}
		})
	}
}

// TestCompileNote renders the example workspace's GLIP note (Chinese text,
// results tables, a citation of BLIP-2) as a standalone document and
// compiles it with xelatex and bibtex.
func TestCompileNote(t *testing.T) {
	ws := filepath.Join(testutil.RepoRoot(t), "examples", "workspace")
	lib, err := bib.LoadDir(filepath.Join(ws, "bib"), bib.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(ws, "notes", "li2022grounded.md")
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	n, err := notes.Parse(path, src, notes.Options{})
	if err != nil {
		t.Fatal(err)
	}
	tex, bibText, problems, err := NoteFiles(n, lib, DocOptions{BibName: "note"})
	if err != nil || len(problems) > 0 {
		t.Fatalf("err %v, problems %v", err, problems)
	}
	testutil.Golden(t, filepath.Join("testdata", "report", "note-li2022grounded.tex.golden"), tex)
	if !strings.HasPrefix(string(tex), "% !TEX program = xelatex\n") {
		t.Error("a note with Chinese text must be a xelatex document")
	}
	if !strings.Contains(string(bibText), "@inproceedings{li2023blip,") {
		t.Error("the .bib lacks the cited li2023blip")
	}
	needTeX(t, "xelatex", "bibtex")
	dir := t.TempDir()
	for name, b := range map[string][]byte{"note.tex": tex, "note.bib": bibText} {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	args := []string{"-interaction=nonstopmode", "-halt-on-error", "note.tex"}
	runTeX(t, dir, "xelatex", args...)
	runTeX(t, dir, "bibtex", "note")
	runTeX(t, dir, "xelatex", args...)
	runTeX(t, dir, "xelatex", args...)
	checkLog(t, filepath.Join(dir, "note.log"), texProblems)
	checkLog(t, filepath.Join(dir, "note.blg"), bibtexProblems)
}

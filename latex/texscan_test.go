package latex

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// citeStrings formats citations as "line:col key (command)" for compact comparison.
func citeStrings(cs []Citation) []string {
	var out []string
	for _, c := range cs {
		out = append(out, fmt.Sprintf("%d:%d %s (%s)", c.Pos.Line, c.Pos.Column, c.Key, c.Command))
	}
	return out
}

func TestScanTeXSource(t *testing.T) {
	t.Parallel()
	tests := []struct {
		desc string
		give string
		want []string
	}{
		{"plain", `\cite{a}`, []string{"1:7 a (cite)"}},
		{"several keys", `\cite{a, b,c}`, []string{"1:7 a (cite)", "1:10 b (cite)", "1:12 c (cite)"}},
		{"star and optionals", `\citep*[see][p.~3]{a}`, []string{"1:20 a (citep)"}},
		{"spaces between args", "\\citet [see] \n [p. 3] {a}", []string{"2:10 a (citet)"}},
		{"natbib family", `\citealp{a}\citealt{b}\citeauthor{c}\citeyear{d}\Citep{e}\Citet{f}`, []string{"1:10 a (citealp)", "1:21 b (citealt)", "1:35 c (citeauthor)", "1:47 d (citeyear)", "1:56 e (Citep)", "1:65 f (Citet)"}},
		{"biblatex family", `\parencite{a}\textcite{b}\autocite{c}\footcite{d}\smartcite{e}\supercite{f}\fullcite{g}`, []string{"1:12 a (parencite)", "1:24 b (textcite)", "1:36 c (autocite)", "1:48 d (footcite)", "1:61 e (smartcite)", "1:74 f (supercite)", "1:86 g (fullcite)"}},
		{"nocite all", `\nocite{*}`, []string{"1:9 * (nocite)"}},
		{"multicite", `\cites(pre)(post)[p][s]{a}[p]{b}{c}. {text}`, []string{"1:25 a (cites)", "1:31 b (cites)", "1:34 c (cites)"}},
		{"multicite ends at text", `\parencites{a}[x] more`, []string{"1:13 a (parencites)"}},
		{"textcites", `\textcites[1]{a}[2]{b}`, []string{"1:15 a (textcites)", "1:21 b (textcites)"}},
		{"comment", "% \\cite{x}\n\\cite{a}", []string{"2:7 a (cite)"}},
		{"escaped percent is not a comment", `50\% \cite{a}`, []string{"1:12 a (cite)"}},
		{"comment inside keys", "\\cite{a,% b\n c}", []string{"1:7 a (cite)", "2:2 c (cite)"}},
		{"comment joins a key", "\\cite{ab%\n  cd,e}", []string{"1:7 abcd (cite)", "2:6 e (cite)"}},
		{"verbatim", "\\begin{verbatim}\n\\cite{x}\n\\end{verbatim}\\cite{a}", []string{"3:21 a (cite)"}},
		{"Verbatim lstlisting minted comment", "\\begin{Verbatim}\\cite{x}\\end{Verbatim}\\begin{lstlisting}\\cite{x}\\end{lstlisting}\\begin{minted}{tex}\\cite{x}\\end{minted}\\begin{comment}\\cite{x}\\end{comment}\\cite{a}", []string{"1:162 a (cite)"}},
		{"verb", `\verb|\cite{x}| \verb*+\cite{y}+ \cite{a}`, []string{"1:40 a (cite)"}},
		{"not a cite command", `\citation{x}\excite{y}\cite`, nil},
		{"macro parameter", `\newcommand{\mycite}[1]{\cite{#1}}`, nil},
		{"unicode key", `\cite{张三2024}`, []string{"1:7 张三2024 (cite)"}},
		{"rune columns after CJK text", `深度学习\cite{a}，见\cite{b}`, []string{"1:11 a (cite)", "1:21 b (cite)"}},
		{"optional with brackets in braces", `\cite[{[}x{]}]{a}`, []string{"1:16 a (cite)"}},
		{"no key group", `\cite and then {x}`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			t.Parallel()
			got, problems := ScanTeXSource("x.tex", []byte(tt.give))
			if problems != nil {
				t.Errorf("problems: %v", problems)
			}
			if diff := cmp.Diff(tt.want, citeStrings(got)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestScanTeXSourceUnclosed(t *testing.T) {
	t.Parallel()
	got, problems := ScanTeXSource("x.tex", []byte("ok \\cite{a}\n\\cite{b, c\n"))
	if diff := cmp.Diff([]string{"1:10 a (cite)"}, citeStrings(got)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if want := "x.tex:2:1: syntax error: unclosed argument of \\cite"; problems.Error() != want {
		t.Errorf("problems = %q, want %q", problems.Error(), want)
	}
}

func TestScanTeXFollowsIncludes(t *testing.T) {
	t.Parallel()
	main := filepath.Join("testdata", "scan", "main.tex")
	got, err := ScanTeX(main)
	var want []string
	for _, s := range []string{
		"main.tex:4:14 alpha (citep)",
		"main.tex:4:43 beta (citet)",
		"main.tex:4:49 gamma (citet)",
		"main.tex:6:18 delta (cite)",
		"chapters/one.tex:1:24 one (parencite)",
		"chapters/two.tex:1:33 two-a (textcites)",
		"chapters/two.tex:1:43 two-b (textcites)",
		"chapters/three.tex:1:21 three (footcite)",
		"main.tex:14:33 * (nocite)",
	} {
		want = append(want, filepath.Join("testdata", "scan", s))
	}
	var gotS []string
	for _, c := range got {
		gotS = append(gotS, fmt.Sprintf("%s %s (%s)", c.Pos, c.Key, c.Command))
	}
	if diff := cmp.Diff(want, gotS); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if !errors.Is(err, ErrMissingFile) {
		t.Fatalf("err = %v, want ErrMissingFile", err)
	}
	if !strings.HasPrefix(err.Error(), filepath.Join("testdata", "scan", "main.tex")+":10:1: included file not found: \\input{missing}") {
		t.Errorf("err = %v", err)
	}
}

func TestScanTeXMissingMain(t *testing.T) {
	t.Parallel()
	_, err := ScanTeX(filepath.Join(t.TempDir(), "nope.tex"))
	if !errors.Is(err, ErrRead) {
		t.Fatalf("err = %v, want ErrRead", err)
	}
}

// FuzzScanTeXSource checks that any input scans without panicking and that
// every citation points inside the input at its key.
func FuzzScanTeXSource(f *testing.F) {
	for _, s := range []string{
		`\cite{a}`, `\citep*[see][p.~3]{a, b}`, `\cites(pre)(post)[p]{a}[q]{b}`, "% \\cite{x}\n\\cite{y}",
		`\begin{verbatim}\cite{x}\end{verbatim}`, `\verb|\cite{x}|`, `\cite{a,% c` + "\n b}", `\input{x} \cite{`,
	} {
		f.Add([]byte(s))
	}
	if b, err := os.ReadFile(filepath.Join("testdata", "scan", "main.tex")); err == nil {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		cites, _ := ScanTeXSource("f.tex", src)
		for _, c := range cites {
			// A key may be split by a comment, so only its first byte is checked.
			if c.Key == "" || c.Pos.Offset < 0 || c.Pos.Offset >= len(src) || src[c.Pos.Offset] != c.Key[0] {
				t.Fatalf("citation %q at offset %d does not point at its key", c.Key, c.Pos.Offset)
			}
		}
	})
}

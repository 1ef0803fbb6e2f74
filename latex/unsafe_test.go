package latex

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/papernotes/papernotes/notes"
)

func TestCheckMath(t *testing.T) {
	ok := []string{
		`x^2 + y_{i,j}`,
		`\frac{a}{b} \leq \sqrt{\alpha}`,
		`\mathcal{L} = \sum_{i=1}^{N} \log p(x_i)`,
		`\begin{pmatrix} a & b \\ c & d \end{pmatrix}`,
		`\left\{ x \right\}`,
		`\text{if } x > 0`,
		`a\,b\;c\!d`,
		`50\%`,
		`\begin{aligned*} a \end{aligned*}`,
	}
	for _, m := range ok {
		if err := checkMath(m); err != nil {
			t.Errorf("checkMath(%q) = %v, want nil", m, err)
		}
	}
	bad := []string{
		`x \immediate\write18{touch PWNED} y`,
		`\input{/etc/hostname}`,
		`\include{x}`,
		`\openin1=/etc/passwd`,
		`\read1 to\x`,
		`\catcode`,
		`\def\x{y}`,
		`\let\a\b`,
		`\csname input\endcsname{x}`,
		`^^5cinput{/etc/hostname}`,
		`\special{x}`,
		`\directlua{os.execute("x")}`,
		`\usepackage{x}`,
		`\begin{verbatim}`,
		`\end{document}`,
		`\begin{x\input{y}}`,
		`a } b {`,
		`a { b`,
		`a % comment`,
		`a $ \text{b} $ c`,
		`#1`,
		`\`,
		"\\\n",
		`\~`,
		`\inputé`,
		`\mathrm{\string\input}`,
	}
	for _, m := range bad {
		if err := checkMath(m); err == nil {
			t.Errorf("checkMath(%q) = nil, want an error", m)
		}
	}
}

// hostileNote is the note of issue 9 point 6, with the file it tries to
// read and the file it tries to create given as paths in dir.
func hostileNote(secret, pwned string) string {
	return `---
key: evil2024
---
# Evil

Inline $x \immediate\write18{touch ` + pwned + `} y$ and $\input{` + secret + `}$.

Escapes $^^5cinput{` + secret + `}$ and $\csname input\endcsname{` + secret + `}$.

$$
\openin1=` + secret + ` \read1 to \x \x
$$

Good math stays: $\alpha^2 + \frac{1}{2}$.

![img](` + secret + `)

![up](../../etc/passwd.png)

[click](javascript:alert(1)) and [run](run:/bin/sh).

[@evil}\input{` + secret + `}]
`
}

// forbidden matches a file or shell primitive written as TeX.
// A control word counts only where its backslash starts a control
// sequence: after an even run of backslashes (`\\input` is a line break
// and the letters "input").
var forbidden = regexp.MustCompile(`(?:^|[^\\])(?:\\\\)*\\(input|include|write|immediate|openin|openout|read|catcode|def|edef|gdef|xdef|let|csname|special|directlua|usepackage|newcommand|renewcommand)\b|\^\^|includegraphics(\[[^]]*\])?\{/`)

func renderHostile(t *testing.T, dir string) ([]byte, ErrorList) {
	return renderHostileLang(t, dir, "en")
}

func renderHostileLang(t *testing.T, dir, lang string) ([]byte, ErrorList) {
	t.Helper()
	secret := filepath.Join(dir, "secret")
	src := hostileNote(secret, filepath.Join(dir, "PWNED"))
	n, err := notes.Parse("notes/evil2024.md", []byte(src), notes.Options{})
	if err != nil {
		t.Fatal(err)
	}
	tex, _, problems, err := NoteFiles(n, nil, DocOptions{Lang: lang})
	if err != nil {
		t.Fatal(err)
	}
	return tex, problems
}

func TestRenderHostileNote(t *testing.T) {
	tex, problems := renderHostile(t, "/tmp/x")
	_, body, _ := strings.Cut(string(tex), `\begin{document}`)
	if m := forbidden.FindAllString(body, -1); len(m) > 0 {
		t.Errorf("the .tex holds %q:\n%s", m, tex)
	}
	for _, want := range []string{`$\alpha^2 + \frac{1}{2}$`, `\$\textbackslash{}input\{`} {
		if !strings.Contains(string(tex), want) {
			t.Errorf("the .tex lacks the safe formula %s:\n%s", want, tex)
		}
	}
	if strings.Contains(string(tex), "javascript:") && strings.Contains(string(tex), `\href{javascript`) {
		t.Errorf("a javascript: link was written as a link:\n%s", tex)
	}
	if strings.Contains(string(tex), `\href{run:`) {
		t.Errorf("a run: link was written as a link:\n%s", tex)
	}
	var got []string
	for _, p := range problems {
		if !errors.Is(p, ErrUnsafe) {
			t.Errorf("problem %v is not ErrUnsafe", p)
		}
		got = append(got, p.Pos.String())
	}
	want := []string{
		"notes/evil2024.md:6:8", "notes/evil2024.md:6:57",
		"notes/evil2024.md:8:9", "notes/evil2024.md:8:40",
		"notes/evil2024.md:10:1",
		"notes/evil2024.md:16:3", "notes/evil2024.md:18:3",
		"notes/evil2024.md:20:2", "notes/evil2024.md:20:35",
	}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("problem positions\n got %v\nwant %v\n%v", got, want, problems)
	}
}

// TestCompileHostileNote compiles the hostile note with -shell-escape, in
// English with pdflatex and in Chinese with xelatex (where Unicode letters
// may form control words): nothing may be run (no PWNED file) and the
// secret file's content must not reach the PDF.
func TestCompileHostileNote(t *testing.T) {
	for _, tc := range []struct{ lang, engine string }{{"en", "pdflatex"}, {"zh", "xelatex"}} {
		t.Run(tc.engine, func(t *testing.T) {
			needTeX(t, tc.engine, "pdftotext")
			dir := t.TempDir()
			const secretText = "SECRETCONTENTXYZZY"
			for _, name := range []string{"secret", "secret.tex"} {
				if err := os.WriteFile(filepath.Join(dir, name), []byte(secretText+"\n"), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			tex, _ := renderHostileLang(t, dir, tc.lang)
			if err := os.WriteFile(filepath.Join(dir, "evil.tex"), tex, 0o644); err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
			defer cancel()
			cmd := exec.CommandContext(ctx, tc.engine, "-shell-escape", "-interaction=nonstopmode", "evil.tex")
			cmd.Dir = dir
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("%s: %v\n%s", tc.engine, err, out)
			}
			if _, err := os.Lstat(filepath.Join(dir, "PWNED")); err == nil {
				t.Fatal("compiling the note ran a shell command (PWNED exists)")
			}
			cmd = exec.CommandContext(ctx, "pdftotext", "evil.pdf", "-")
			cmd.Dir = dir
			text, err := cmd.Output()
			if err != nil {
				t.Fatalf("pdftotext: %v", err)
			}
			if bytes.Contains(text, []byte(secretText)) {
				t.Errorf("the PDF holds the secret file's content:\n%s", text)
			}
			if !bytes.Contains(text, []byte("Good math stays")) {
				t.Errorf("the PDF lacks the note's text:\n%s", text)
			}
		})
	}
}

// FuzzMath checks the math allow-list: whatever a formula holds, the LaTeX
// written for it holds no file or shell primitive, and a formula that
// checkMath accepts has only allow-listed control words.
func FuzzMath(f *testing.F) {
	for _, s := range []string{
		`x^2`, `\frac{a}{b}`, `\input{/etc/hostname}`, `x \immediate\write18{touch PWNED} y`,
		`^^5cinput{x}`, `\csname input\endcsname`, `\begin{pmatrix}a\end{pmatrix}`, `\begin{x}`,
		`\text{\def\x{}}`, `a % b`, "a\n\\\nb", `\left( x \right)`,
	} {
		f.Add(s)
	}
	// A control sequence is a backslash and either letters or one character.
	word := regexp.MustCompile(`(?s)\\([A-Za-z]+|.)`)
	f.Fuzz(func(t *testing.T, m string) {
		if checkMath(m) == nil {
			if strings.Contains(m, "^^") {
				t.Fatalf("accepted ^^ in %q", m)
			}
			for _, w := range word.FindAllString(m, -1) {
				if len(w) > 2 && !mathCommands[w[1:]] {
					t.Fatalf("accepted %s in %q", w, m)
				}
			}
		}
		for _, src := range []string{"$" + m + "$\n", "$$\n" + m + "\n$$\n", "a $" + m + "$ b\n"} {
			var b bytes.Buffer
			if err := RenderMarkdown(&b, []byte(src), RenderOptions{}); err != nil {
				t.Fatal(err)
			}
			if loc := forbidden.FindString(b.String()); loc != "" {
				t.Fatalf("rendering %q wrote %q:\n%s", src, loc, b.String())
			}
		}
	})
}

// TestUnsafeColumnRunes: positions of refused formulas count runes.
func TestUnsafeColumnRunes(t *testing.T) {
	n, err := notes.Parse("n.md", []byte("---\nkey: k\n---\n中文 $\\input{x}$\n"), notes.Options{})
	if err != nil {
		t.Fatal(err)
	}
	_, _, problems, err := NoteFiles(n, nil, DocOptions{})
	if err != nil || len(problems) != 1 || problems[0].Pos.String() != "n.md:4:4" {
		t.Fatalf("err %v, problems %v", err, problems)
	}
}

// TestImageHook: an image that passes the lexical check is still refused
// when RenderOptions.Image says so, and written as text with the reason.
func TestImageHook(t *testing.T) {
	var asked []string
	opts := RenderOptions{Image: func(file string) error {
		asked = append(asked, file)
		if file == "figs/leak.png" {
			return errors.New("it links outside the workspace")
		}
		return nil
	}}
	var b bytes.Buffer
	src := "![a](figs/leak.png) ![b](./figs/ok.png) ![c](/abs.png)\n"
	_, problems, err := renderFragment(&b, []byte(src), opts, false, nil)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(asked, " ") != "figs/leak.png figs/ok.png" {
		t.Errorf("asked about %v", asked)
	}
	if got := b.String(); strings.Contains(got, "leak") && strings.Contains(got, "{figs/leak") || !strings.Contains(got, "{figs/ok.png}") {
		t.Errorf("output:\n%s", got)
	}
	if len(problems) != 2 || !strings.Contains(problems[0].Error(), "it links outside the workspace") || !strings.Contains(problems[1].Error(), "not a relative path") {
		t.Errorf("problems = %v", problems)
	}
}

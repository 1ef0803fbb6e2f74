package latex

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/papernotes/papernotes/internal/testutil"
)

func TestEscape(t *testing.T) {
	t.Parallel()
	tests := map[string]string{
		"plain":               "plain",
		`# $ % & _ { } ~ ^ \`: `\# \$ \% \& \_ \{ \} \textasciitilde{} \textasciicircum{} \textbackslash{}`,
		"< > |":               `\textless{} \textgreater{} \textbar{}`,
		"a≥b α":               `a\ensuremath{\geq}b \ensuremath{\alpha}`,
		"中文 Über":             "中文 Über",
		`\textbf{x}`:          `\textbackslash{}textbf\{x\}`,
	}
	for give, want := range tests {
		if got := Escape(give); got != want {
			t.Errorf("Escape(%q) = %q, want %q", give, got, want)
		}
	}
}

func TestRenderMarkdownGolden(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob(filepath.Join("testdata", "render", "*.md"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no inputs: %v", err)
	}
	variants := []struct {
		suffix string
		opts   RenderOptions
	}{
		{"", RenderOptions{}},
		{".biblatex", RenderOptions{Biblatex: true, TopLevel: "subsection", Unnumbered: true, Figures: true}},
	}
	for _, f := range files {
		for _, v := range variants {
			name := strings.TrimSuffix(filepath.Base(f), ".md") + v.suffix
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				src, err := os.ReadFile(f)
				if err != nil {
					t.Fatal(err)
				}
				var a, b bytes.Buffer
				if err := RenderMarkdown(&a, src, v.opts); err != nil {
					t.Fatal(err)
				}
				if err := RenderMarkdown(&b, src, v.opts); err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(a.Bytes(), b.Bytes()) {
					t.Error("rendering twice gave different bytes")
				}
				testutil.Golden(t, filepath.Join("testdata", "render", name+".tex.golden"), a.Bytes())
			})
		}
	}
}

package notes

import (
	"bytes"
	"strings"
	"testing"
)

// TestRenderPageMathTags checks that RenderPage writes opts.MathTags once,
// before </body>, only for a note with math, and that the TeX inside the
// math elements (what the browser shows when a formula fails) is escaped.
func TestRenderPageMathTags(t *testing.T) {
	const tags = "<script>/*math*/</script>\n"
	tests := []struct {
		name, body string
		want       int
	}{
		{"inline", "Loss $\\mathcal{L}_{itc} < 1$ here.\n", 1},
		{"display", "$$\n\\frac{a}{b} & <x>\n$$\n", 1},
		{"both-twice", "$a$ and $b$\n\n$$\nc\n$$\n", 1},
		{"none", "No math, only 5 dollars.\n", 0},
		{"code", "`$x$` is code.\n", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n, err := Parse(tt.name+".md", []byte("---\nkey: k\n---\n\n"+tt.body), Options{})
			if err != nil {
				t.Fatal(err)
			}
			var b bytes.Buffer
			if err := RenderPage(&b, n, RenderOptions{MathTags: tags}); err != nil {
				t.Fatal(err)
			}
			out := b.String()
			if got := strings.Count(out, tags); got != tt.want {
				t.Fatalf("math tags written %d times, want %d:\n%s", got, tt.want, out)
			}
			if tt.want == 1 && !strings.HasSuffix(out, "</article>\n"+tags+"</body>\n</html>\n") {
				t.Errorf("math tags not just before </body>:\n%s", out)
			}
			if strings.Contains(out, "<x>") || strings.Contains(out, "< 1") {
				t.Errorf("TeX not escaped:\n%s", out)
			}
			// Render (a fragment) never writes them.
			b.Reset()
			if err := Render(&b, n, RenderOptions{MathTags: tags}); err != nil {
				t.Fatal(err)
			}
			if strings.Contains(b.String(), tags) {
				t.Error("Render wrote the math tags")
			}
		})
	}
	t.Run("escaped", func(t *testing.T) {
		n, _ := Parse("e.md", []byte("$a<b & \\text{</span>}$\n"), Options{})
		var b bytes.Buffer
		if err := Render(&b, n, RenderOptions{}); err != nil {
			t.Fatal(err)
		}
		want := `<span class="math inline">$a&lt;b &amp; \text{&lt;/span&gt;}$</span>`
		if !strings.Contains(b.String(), want) {
			t.Errorf("got %s, want it to contain %s", b.String(), want)
		}
	})
}

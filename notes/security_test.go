package notes

import (
	"bytes"
	"os"
	"strings"
	"sync"
	"testing"
)

type evilResolver struct{}

func (evilResolver) CiteTitle(key string) (string, bool) {
	return `Title <img src=x onerror=alert(1)> "quoted" & more`, true
}

// TestRenderInert checks that raw HTML in a note and HTML in a bib title
// (from the resolver) both come out as text, never as markup.
func TestRenderInert(t *testing.T) {
	src := "---\nkey: x2020evil\n---\n\n# T <script>alert(1)</script>\n\n## Abstract\n\n<script>alert(2)</script>\n\nInline <img src=x onerror=alert(3)> and [@x2020evil] and [[x2020evil]].\n\n[link](javascript:alert(4))\n\n<!-- a prompt --><script>alert(5)</script>\n\n$<script>alert(6)</script>$\n"
	n, err := Parse("evil.md", []byte(src), Options{})
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	opts := RenderOptions{
		Resolver: evilResolver{},
		NoteURL:  func(string) (string, bool) { return "javascript:alert(7)", true },
	}
	if err := RenderPage(&b, n, opts); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, bad := range []string{"<script", "<img", "javascript:", "onerror=alert(1)>"} {
		if strings.Contains(out, bad) {
			t.Errorf("output contains %q:\n%s", bad, out)
		}
	}
	if !strings.Contains(out, "&lt;img src=x onerror=alert(1)&gt;") {
		t.Errorf("resolver title not escaped into the tooltip:\n%s", out)
	}
	if strings.Contains(out, "a prompt") {
		t.Error("HTML comment rendered")
	}

	// With AllowHTML the note's own HTML passes, the bib title never does.
	b.Reset()
	opts.AllowHTML = true
	if err := Render(&b, n, opts); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "<script>alert(2)</script>") {
		t.Error("AllowHTML did not pass raw HTML")
	}
	if strings.Contains(b.String(), "<img src=x onerror=alert(1)>") {
		t.Error("bib title rendered as HTML with AllowHTML")
	}
}

// TestConcurrentRender renders one parsed note from several goroutines at
// once (run with -race): rendering must not write to the shared tree.
func TestConcurrentRender(t *testing.T) {
	src, err := os.ReadFile("testdata/en-attention.md")
	if err != nil {
		t.Fatal(err)
	}
	n, _ := Parse("en-attention.md", src, Options{})
	var want bytes.Buffer
	if err := Render(&want, n, testRenderOptions); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			var b bytes.Buffer
			if err := Render(&b, n, testRenderOptions); err != nil || !bytes.Equal(b.Bytes(), want.Bytes()) {
				t.Error("concurrent render differs")
			}
		})
	}
	wg.Wait()
}

func TestRenderMarkdown(t *testing.T) {
	var b bytes.Buffer
	if err := RenderMarkdown(&b, []byte("| a |\n|---|\n| $x$ [@a1] |\n\n<i>x</i>\n"), RenderOptions{Resolver: abResolver{}}); err != nil {
		t.Fatal(err)
	}
	want := "<table>\n<thead>\n<tr>\n<th>a</th>\n</tr>\n</thead>\n<tbody>\n<tr>\n<td><span class=\"math inline\">$x$</span> <span class=\"citation\">[<span class=\"cite\" data-key=\"a1\" title=\"Title of a1\">a1</span>]</span></td>\n</tr>\n</tbody>\n</table>\n<p>&lt;i&gt;x&lt;/i&gt;</p>\n"
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
}

package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCheckOddFileName checks issue 9 point 11: a note whose file name
// holds a newline cannot inject a fake "file:line:col: error:" line into
// check's text output; the name is printed quoted.
func TestCheckOddFileName(t *testing.T) {
	ws := t.TempDir()
	odd := "x\nnotes/fake.md:1:1: error: injected.md"
	for name, src := range map[string]string{
		"config.yaml":      "language: en\n",
		"bib/library.bib":  "@misc{a2025, title = {A}, year = {2025}}\n",
		"notes/" + odd:     "---\nkey: [bad\n---\n",
		"notes/a2025.md":   "---\nkey: a2025\n---\n\nSee [@nokey].\n",
		".home/.config/.k": "",
	} {
		p := filepath.Join(ws, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Skipf("file system refuses the name: %v", err)
		}
	}
	ios, _, out, errOut := Test()
	f := NewFactory(ios, func(string) string { return "" })
	f.WorkDir = ws
	if code := Run(f, []string{"check"}); code != 1 {
		t.Fatalf("exit %d, want 1\n%s\n%s", code, out, errOut)
	}
	for _, line := range strings.Split(strings.TrimRight(out.String(), "\n"), "\n") {
		if strings.HasPrefix(line, "notes/fake.md") {
			t.Errorf("injected line %q in:\n%s", line, out)
		}
	}
	want := `"notes/x\nnotes/fake.md:1:1: error: injected.md":`
	if !strings.Contains(out.String(), want) {
		t.Errorf("stdout lacks the quoted name %s:\n%s", want, out)
	}
	if !strings.Contains(out.String(), "notes/a2025.md:") {
		t.Errorf("plain names must stay unquoted:\n%s", out)
	}
}

func TestTextSafe(t *testing.T) {
	for give, want := range map[string]string{
		"notes/a.md":        "notes/a.md",
		"notes/周飞燕 2017.md": "notes/周飞燕 2017.md",
		"a\nb.md":           `"a\nb.md"`,
		"a\x1b[31mred.md":   `"a\x1b[31mred.md"`,
		"a\u2028b.md":       `"a\u2028b.md"`,
		"bad\xffutf8.md":    `"bad\xffutf8.md"`,
		"tab\tname.md":      `"tab\tname.md"`,
	} {
		if got := textSafe(give); got != want {
			t.Errorf("textSafe(%q) = %s, want %s", give, got, want)
		}
	}
	if got := escapeControls("see a\nb.md: x"); got != `see a\nb.md: x` {
		t.Errorf("escapeControls = %q", got)
	}
}

package lsp

import (
	"context"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// TestSpecialFilesDoNotHang checks issue 9 point 10 for the language
// server: a .bib that is a FIFO and /dev/zero among the bib paths neither
// block nor read forever; the rest of the library still completes.
func TestSpecialFilesDoNotHang(t *testing.T) {
	if _, err := os.Stat("/dev/zero"); err != nil {
		t.Skip("no /dev/zero")
	}
	root := t.TempDir()
	for name, body := range map[string]string{
		"bib/library.bib": "@misc{li2023blip, title = {BLIP-2}, year = {2023}}\n",
		"notes/.keep":     "",
	} {
		p := filepath.Join(root, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := syscall.Mkfifo(filepath.Join(root, "bib", "fifo.bib"), 0o644); err != nil {
		t.Skip("mkfifo:", err)
	}
	if err := syscall.Mkfifo(filepath.Join(root, "notes", "fifo.md"), 0o644); err != nil {
		t.Skip("mkfifo:", err)
	}
	ws := func(string) (*Workspace, error) {
		return &Workspace{Root: root, BibPaths: []string{filepath.Join(root, "bib"), "/dev/zero"}, NotesDir: filepath.Join(root, "notes"), Language: "en"}, nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	done := make(chan []string, 1)
	go func() {
		c := startServer(t, Options{FindWorkspace: ws})
		var res map[string]any
		c.result("initialize", map[string]any{"rootUri": pathURI(root), "capabilities": map[string]any{}}, &res)
		c.notify("initialized", map[string]any{})
		text := `\cite{li`
		uri := c.open(filepath.Join(root, "a.tex"), text)
		var l completionList
		c.result("textDocument/completion", map[string]any{"textDocument": map[string]any{"uri": uri}, "position": posOf(text, "{li", true)}, &l)
		var keys []string
		for _, it := range l.Items {
			keys = append(keys, it.Label)
		}
		done <- keys
	}()
	select {
	case keys := <-done:
		if len(keys) != 1 || keys[0] != "li2023blip" {
			t.Errorf("completion = %v, want [li2023blip]", keys)
		}
	case <-ctx.Done():
		t.Fatal("the language server hangs on a FIFO or /dev/zero")
	}
}

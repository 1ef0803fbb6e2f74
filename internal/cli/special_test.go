package cli

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestSpecialFilesDoNotHang checks issue 9 point 10: a *.bib that is a
// FIFO, bib.paths naming /dev/zero, and a note, a journal file and a
// report template that are FIFOs make no command hang or read forever;
// each is a problem naming its path. Every command runs under a deadline,
// so a regression fails the test instead of hanging it.
func TestSpecialFilesDoNotHang(t *testing.T) {
	if _, err := os.Stat("/dev/zero"); err != nil {
		t.Skip("no /dev/zero")
	}
	ws := t.TempDir()
	files := map[string]string{
		"config.yaml":      "language: en\nbib:\n  paths: [bib, /dev/zero]\nreport:\n  weekday: wednesday\n  templates: tmpl\n",
		"bib/library.bib":  "@misc{ok2025, title = {Fine}, year = {2025}}\n",
		"notes/ok2025.md":  "---\nkey: ok2025\nstatus: read\nread: 2025-11-18\n---\n\n# Fine\n\n## Abstract\n\nFINEWORD\n",
		"journal/.keep":    "",
		"tmpl/.keep":       "",
		".home/.config/.k": "",
	}
	for name, src := range files {
		p := filepath.Join(ws, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, name := range []string{"bib/fifo.bib", "notes/fifo.md", "journal/2025-W47.md", "tmpl/en.md.tmpl"} {
		if err := syscall.Mkfifo(filepath.Join(ws, name), 0o644); err != nil {
			t.Skip("mkfifo:", err)
		}
	}
	env := map[string]string{"HOME": filepath.Join(ws, ".home"), "XDG_CONFIG_HOME": filepath.Join(ws, ".home", ".config")}
	run := func(t *testing.T, args ...string) (code int, stdout, stderr string) {
		t.Helper()
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		defer cancel()
		ios, _, out, errOut := Test()
		f := NewFactory(ios, func(k string) string { return env[k] })
		f.WorkDir = ws
		done := make(chan int, 1)
		go func() { done <- Run(f, args) }()
		select {
		case code = <-done:
		case <-ctx.Done():
			t.Fatalf("papernotes %s hangs on a special file", strings.Join(args, " "))
		}
		return code, out.String(), errOut.String()
	}
	for _, tc := range []struct {
		args      []string
		wantOut   string
		wantInAll []string // in stdout+stderr
	}{
		// list does not print library problems (check does); it must not hang.
		{[]string{"list"}, "ok2025", nil},
		{[]string{"check"}, "", []string{"fifo.bib: error: cannot read file: not a regular file", "/dev/zero: error: cannot read file: not a regular file", "notes/fifo.md: warning: not a regular file; skipped"}},
		{[]string{"show", "ok2025"}, "FINEWORD", nil},
		{[]string{"search", "FINEWORD"}, "ok2025", nil},
		{[]string{"report", "--week", "2025-11-19", "--stdout"}, "ok2025", []string{"notes/fifo.md: not a regular file; skipped", "journal/2025-W47.md: not a regular file; skipped", "tmpl/en.md.tmpl: not a regular file; skipped"}},
	} {
		t.Run(tc.args[0], func(t *testing.T) {
			code, out, errOut := run(t, tc.args...)
			if !strings.Contains(out, tc.wantOut) {
				t.Errorf("exit %d, stdout lacks %q:\n%s\nstderr:\n%s", code, tc.wantOut, out, errOut)
			}
			for _, w := range tc.wantInAll {
				if !strings.Contains(out+errOut, w) {
					t.Errorf("exit %d, output lacks %q:\nstdout:\n%s\nstderr:\n%s", code, w, out, errOut)
				}
			}
		})
	}
}

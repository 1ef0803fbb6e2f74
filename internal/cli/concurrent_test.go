package cli_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/papernotes/papernotes/bib"
	"github.com/papernotes/papernotes/worklog"
)

// buildBinary builds cmd/papernotes into a temporary folder, for tests that
// need several real processes at once.
func buildBinary(t *testing.T) string {
	t.Helper()
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command to build the binary:", err)
	}
	bin := filepath.Join(t.TempDir(), "papernotes")
	cmd := exec.Command(goBin, "build", "-o", bin, "github.com/papernotes/papernotes/cmd/papernotes")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// hermeticEnv is a process environment with HOME and the XDG folders inside
// dir, no editor and no PAPERNOTES_* variable.
func hermeticEnv(dir string) []string {
	env := []string{"PATH=" + os.Getenv("PATH"), "HOME=" + dir, "XDG_CONFIG_HOME=" + dir + "/.config", "XDG_CACHE_HOME=" + dir + "/.cache", "EDITOR=", "VISUAL="}
	if tmp := os.Getenv("TMPDIR"); tmp != "" {
		env = append(env, "TMPDIR="+tmp)
	}
	return env
}

// procResult is what one process of the concurrency test did.
type procResult struct {
	args           []string
	err            error
	stdout, stderr string
}

// TestConcurrentWriters runs 49 real papernotes processes at once on one
// workspace (import of different entries, two imports of one entry, add,
// log, new and import-report) and checks that every write acknowledged with exit 0 is
// there: each entry once in a library that parses with no problem, each
// journal line once, each note. Before the workspace lock, 20 parallel
// imports kept 8-12 of 20 entries and 20 parallel logs kept 8 of 20 lines.
func TestConcurrentWriters(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and runs 49 processes; skipped with -short")
	}
	t.Parallel()
	bin := buildBinary(t)
	dir := t.TempDir()
	ws := filepath.Join(dir, "ws")
	in := filepath.Join(dir, "in")
	const nImport, nAdd, nLog, nNew, nReport = 15, 10, 10, 8, 4
	var lib strings.Builder
	lib.WriteString("% Shared library; the bytes above the new entries never change.\n\n")
	for i := range nNew {
		fmt.Fprintf(&lib, "@article{pre%d,\n  title = {Existing Paper Number %d on Topic %d},\n  author = {Pre, Author%d},\n  year = {%d}\n}\n\n", i, i, i*7, i, 1990+i)
	}
	files := map[string]string{
		"ws/config.yaml":     "language: en\n",
		"ws/bib/library.bib": lib.String(),
		"in/same.bib":        "@misc{same2021,\n  title = {One Entry Imported Twice at Once},\n  author = {Same, Sam},\n  year = {2021}\n}\n",
	}
	entry := func(kind string, i int) string {
		return fmt.Sprintf("@inproceedings{%s%d,\n  title = {A Distinct %s Study Number %d of %s},\n  author = {Writer, %s%d},\n  booktitle = {Proc. %d},\n  year = {%d}\n}\n",
			kind, i, kind, i, strings.Repeat("x", i+1), kind, i, i, 2000+i)
	}
	for i := range nImport {
		files[fmt.Sprintf("in/imp%d.bib", i)] = entry("imp", i)
	}
	for i := range nAdd {
		files[fmt.Sprintf("in/add%d.bib", i)] = entry("add", i)
	}
	for i := range nReport {
		files[fmt.Sprintf("in/rep%d.md", i)] = fmt.Sprintf("# 组会_20251119\n\n## 二、论文阅读\n\n### [Report Paper %d](https://example.org/%d)\n\n#### 引用信息 (BibTeX格式)\n\n```\n%s```\n\n#### 本论文解决什么问题\n\nSomething.\n", i, i, entry("rep", i))
	}
	for name, text := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}

	var jobs [][]string
	for i := range nImport {
		jobs = append(jobs, []string{"import", filepath.Join(in, fmt.Sprintf("imp%d.bib", i))})
	}
	jobs = append(jobs, []string{"import", filepath.Join(in, "same.bib")}, []string{"import", filepath.Join(in, "same.bib")})
	for i := range nAdd {
		jobs = append(jobs, []string{"add", filepath.Join(in, fmt.Sprintf("add%d.bib", i))})
	}
	for i := range nLog {
		jobs = append(jobs, []string{"log", "--date", "2026-11-30", fmt.Sprintf("work line number %d", i)})
	}
	for i := range nNew {
		jobs = append(jobs, []string{"new", "--no-edit", fmt.Sprintf("pre%d", i)})
	}
	for i := range nReport {
		jobs = append(jobs, []string{"import-report", filepath.Join(in, fmt.Sprintf("rep%d.md", i))})
	}

	// A hang (a lock never released) fails the test instead of blocking it.
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	results := make([]procResult, len(jobs))
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i, args := range jobs {
		wg.Go(func() {
			cmd := exec.CommandContext(ctx, bin, append([]string{"-C", ws}, args...)...)
			cmd.Dir = dir
			cmd.Env = hermeticEnv(dir)
			var out, errOut bytes.Buffer
			cmd.Stdout, cmd.Stderr = &out, &errOut
			<-start
			err := cmd.Run()
			results[i] = procResult{args, err, out.String(), errOut.String()}
		})
	}
	close(start)
	wg.Wait()
	if ctx.Err() != nil {
		t.Fatal("the processes did not all finish in 90 s: a writer hangs")
	}

	library := bib.Load([]string{filepath.Join(ws, "bib", "library.bib")}, bib.LoadOptions{})
	for _, p := range library.Problems() {
		t.Errorf("library problem after concurrent writes: %v", p)
	}
	count := map[string]int{}
	for _, e := range library.Entries() {
		count[e.Key]++
	}
	journal, err := os.ReadFile(filepath.Join(ws, "journal", worklog.FileName(time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC))))
	if err != nil {
		t.Errorf("journal: %v", err)
	}
	acked := 0
	for _, r := range results {
		if r.err != nil {
			// Every writer waits for the lock; none should fail.
			t.Errorf("papernotes %s: %v\nstdout: %s\nstderr: %s", strings.Join(r.args, " "), r.err, r.stdout, r.stderr)
			continue
		}
		acked++
		switch r.args[0] {
		case "import":
			key := strings.TrimSuffix(filepath.Base(r.args[1]), ".bib")
			if key == "same" {
				key = "same2021"
			}
			if count[key] != 1 {
				t.Errorf("import %s exited 0 but the library has %d entries %s", r.args[1], count[key], key)
			}
		case "add":
			key := strings.TrimSuffix(filepath.Base(r.args[1]), ".bib")
			if count[key] != 1 {
				t.Errorf("add %s exited 0 but the library has %d entries %s", r.args[1], count[key], key)
			}
			if _, err := os.Stat(filepath.Join(ws, "notes", key+".md")); err != nil {
				t.Errorf("add %s exited 0 but its note is missing: %v", key, err)
			}
		case "log":
			line := "- 2026-11-30 " + r.args[3] + "\n"
			if n := strings.Count(string(journal), line); n != 1 {
				t.Errorf("log %q exited 0 but the journal has it %d times:\n%s", r.args[3], n, journal)
			}
		case "import-report":
			key := strings.TrimSuffix(filepath.Base(r.args[1]), ".md")
			if count[key] != 1 {
				t.Errorf("import-report %s exited 0 but the library has %d entries %s", r.args[1], count[key], key)
			}
			if _, err := os.Stat(filepath.Join(ws, "notes", key+".md")); err != nil {
				t.Errorf("import-report %s exited 0 but its note is missing: %v", key, err)
			}
		case "new":
			if _, err := os.Stat(filepath.Join(ws, "notes", r.args[2]+".md")); err != nil {
				t.Errorf("new %s exited 0 but its note is missing: %v", r.args[2], err)
			}
		}
	}
	if want := nNew + nImport + 1 + nAdd + nReport; len(library.Entries()) != want {
		t.Errorf("library has %d entries, want %d", len(library.Entries()), want)
	}
	if !strings.HasPrefix(string(journal), "# 2026-W49\n\n") || strings.Count(string(journal), "# 2026-W49") != 1 {
		t.Errorf("journal heading written %d times:\n%s", strings.Count(string(journal), "# 2026-W49"), journal)
	}
	// No writer left a temporary file behind.
	for _, sub := range []string{"bib", "notes", "journal"} {
		left, _ := filepath.Glob(filepath.Join(ws, sub, ".*tmp*"))
		if len(left) > 0 {
			t.Errorf("temporary files left in %s: %v", sub, left)
		}
	}
	t.Logf("%d of %d processes acknowledged their write", acked, len(jobs))
}

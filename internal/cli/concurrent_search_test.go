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
)

// TestConcurrentSearch runs real papernotes processes on one index at once:
// searches on a workspace with no index yet (they all want to build it),
// searches while a reindex replaces it, and searches after an edit (they
// all want to sync it). Every process must succeed with the full result and
// print nothing on stderr: before the lock beside the index, six searches
// failed 2-4 times with "table meta already exists" or "database is
// locked", and 21 of 25 failed during a reindex.
func TestConcurrentSearch(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and runs many processes; skipped with -short")
	}
	t.Parallel()
	bin := buildBinary(t)
	dir := t.TempDir()
	ws := filepath.Join(dir, "ws")
	const nNotes = 300
	write := func(name, text string) {
		p := filepath.Join(ws, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("config.yaml", "language: en\n")
	for i := range nNotes {
		write(fmt.Sprintf("notes/n%03d.md", i), fmt.Sprintf("---\nkey: n%03d\nstatus: read\n---\n\n# Paper %d\n\n## 摘要\n\n开放词汇目标检测 number %d.\n\n## Method\n\n%s\n", i, i, i, strings.Repeat("Some words about the method. ", 20)))
	}

	ctx, cancel := context.WithTimeout(context.Background(), 120*time.Second)
	defer cancel()
	run := func(args ...string) procResult {
		cmd := exec.CommandContext(ctx, bin, append([]string{"-C", ws}, args...)...)
		cmd.Dir = dir
		cmd.Env = hermeticEnv(dir)
		var out, errOut bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errOut
		err := cmd.Run()
		return procResult{args, err, out.String(), errOut.String()}
	}
	// all runs jobs at once, each started after its delay.
	all := func(jobs [][]string, delay func(i int) time.Duration) []procResult {
		results := make([]procResult, len(jobs))
		var wg sync.WaitGroup
		for i, args := range jobs {
			wg.Go(func() {
				time.Sleep(delay(i))
				results[i] = run(args...)
			})
		}
		wg.Wait()
		if ctx.Err() != nil {
			t.Fatal("the processes did not all finish in 120 s: a search hangs")
		}
		return results
	}
	search := []string{"search", "--limit", "0", "--json", "开放词汇"}
	check := func(phase string, results []procResult) {
		t.Helper()
		for _, r := range results {
			if r.err != nil || r.stderr != "" {
				t.Errorf("%s: papernotes %s: %v\nstderr: %s", phase, strings.Join(r.args, " "), r.err, r.stderr)
				continue
			}
			if r.args[0] == "search" {
				if n := strings.Count(r.stdout, `"key"`); n != nNotes {
					t.Errorf("%s: search found %d papers, want %d", phase, n, nNotes)
				}
			}
		}
	}

	// 1. Eight searches on a workspace without an index.
	jobs := make([][]string, 8)
	for i := range jobs {
		jobs[i] = search
	}
	check("no index", all(jobs, func(int) time.Duration { return 0 }))

	// 2. Twenty searches spread over a reindex.
	jobs = [][]string{{"reindex"}}
	for range 20 {
		jobs = append(jobs, search)
	}
	check("during reindex", all(jobs, func(i int) time.Duration { return time.Duration(i) * 15 * time.Millisecond }))

	// 3. Eight searches after an edit, each syncing the index.
	write("notes/n007.md", "---\nkey: n007\n---\n\n# Paper 7\n\n## 摘要\n\n开放词汇 edited.\n")
	jobs = make([][]string, 8)
	for i := range jobs {
		jobs[i] = search
	}
	check("after an edit", all(jobs, func(int) time.Duration { return 0 }))

	for _, left := range []string{"index.db.new", "index.db.new-journal"} {
		if _, err := os.Stat(filepath.Join(ws, ".papernotes", left)); err == nil {
			t.Errorf("%s left behind", left)
		}
	}
}
